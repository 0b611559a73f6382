import type { Migration } from './migration.js';

/**
 * A failed run's failure as a phrase (issue 15): `error` keeps the English words (the CLI and logs show them), and
 * `error_phrase_json` the code and parameters it was said with, so RunHistory and the Experiments view word it in
 * the interface language. Written by the same UPDATE that marks the run failed; NULL on rows stored before this
 * migration and on failures that had no words of their own (they show their English).
 */
export const m021FailurePhrases: Migration = {
  version: 21,
  name: 'failure phrases of training and experiment runs',
  up: (db) => {
    db.exec(`
      ALTER TABLE training_runs ADD COLUMN error_phrase_json TEXT;
      ALTER TABLE experiment_runs ADD COLUMN error_phrase_json TEXT;
    `);
  },
};
