import type { Migration } from './migration.js';

/**
 * Reproduction runs of the papers' experiments (issue 13). A run is one `ferrolab reproduce` (or Experiments view
 * start): its kind, budget, inputs (billets or Jominy dataset), seed, backend, the data's fingerprint, its state,
 * timings and where its report was written. Units are the checkpoints of a run: one row per finished unit of work
 * (one configuration × split, one baseline fit …), each committed on its own, so a killed run keeps every unit it
 * finished and `--resume` recomputes none of them. `attempt` says which start of the run computed the unit (1 = the
 * first, 2 = the first resume …). Results hold one experiment's ExperimentResult JSON once it finished.
 * The run is owned by its process (pid + start tag, as training runs since 009): a run left `running` by a dead
 * process is marked `interrupted` at the next open.
 */
export const m018ExperimentRuns: Migration = {
  version: 18,
  name: 'experiment runs, units and results',
  up: (db) => {
    db.exec(`
      CREATE TABLE experiment_runs (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('segregation', 'jominy')),
        budget TEXT NOT NULL CHECK (budget IN ('quick', 'full')),
        inputs_json TEXT NOT NULL,
        seed INTEGER NOT NULL,
        backend TEXT,
        fingerprint TEXT,
        synthetic INTEGER NOT NULL DEFAULT 0,
        state TEXT NOT NULL CHECK (state IN ('running', 'done', 'failed', 'cancelled', 'interrupted')),
        attempt INTEGER NOT NULL DEFAULT 1,
        experiments_json TEXT NOT NULL DEFAULT '[]',
        estimate_s REAL,
        error TEXT,
        report_path TEXT,
        created_at TEXT NOT NULL,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        elapsed_ms INTEGER NOT NULL DEFAULT 0,
        interrupted_at TEXT,
        owner_pid INTEGER,
        owner_start TEXT
      );
      CREATE INDEX experiment_runs_state ON experiment_runs(state);
      CREATE TABLE experiment_units (
        run_id INTEGER NOT NULL REFERENCES experiment_runs(id) ON DELETE CASCADE,
        unit_key TEXT NOT NULL,
        value_json TEXT NOT NULL,
        elapsed_ms INTEGER NOT NULL,
        attempt INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (run_id, unit_key)
      );
      CREATE TABLE experiment_results (
        run_id INTEGER NOT NULL REFERENCES experiment_runs(id) ON DELETE CASCADE,
        experiment_id TEXT NOT NULL,
        position INTEGER NOT NULL,
        result_json TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (run_id, experiment_id)
      );
    `);
  },
};
