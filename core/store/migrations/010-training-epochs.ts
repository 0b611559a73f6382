import type { Migration } from './migration.js';

/**
 * One row per training epoch (issue 10): a running training appends its newest epoch instead of rewriting the
 * run's whole `history_json` every epoch (the writes grew with epochs²). A run's history is these rows in
 * insertion order, grouped by run name (split); runs finished before this migration keep `history_json`,
 * which the repo still reads when a run has no epoch rows. Numbered 010: 008 and 009 belong to other branches.
 */
export const m010TrainingEpochs: Migration = {
  version: 10,
  name: 'training epochs appended one row each',
  up: (db) => {
    db.exec(`
      CREATE TABLE training_epochs (
        id INTEGER PRIMARY KEY,
        run_id INTEGER NOT NULL REFERENCES training_runs(id) ON DELETE CASCADE,
        run_name TEXT NOT NULL,
        epoch INTEGER NOT NULL CHECK (epoch >= 1),
        log_json TEXT NOT NULL,
        UNIQUE (run_id, run_name, epoch)
      );
    `);
  },
};
