import type { Migration } from './migration.js';

/**
 * JoMiner additions: import warnings and metadata of Jominy datasets, the run record of a design
 * session (state, GA history, stop reason), per-result objective and detail, and stored evaluations.
 */
export const m006Jominy: Migration = {
  version: 6,
  name: 'jominy sessions, results and evaluations',
  up: (db) => {
    db.exec(`
      ALTER TABLE jominy_datasets ADD COLUMN meta_json TEXT;
      ALTER TABLE design_sessions ADD COLUMN run_json TEXT;
      ALTER TABLE design_results ADD COLUMN objective REAL;
      ALTER TABLE design_results ADD COLUMN detail_json TEXT;
      CREATE INDEX design_results_session ON design_results(session_id, rank);

      CREATE TABLE jominy_evaluations (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        model_id INTEGER REFERENCES models(id) ON DELETE CASCADE,
        dataset_id INTEGER REFERENCES jominy_datasets(id) ON DELETE SET NULL,
        params_json TEXT NOT NULL,
        seed INTEGER NOT NULL,
        result_json TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
    `);
  },
};
