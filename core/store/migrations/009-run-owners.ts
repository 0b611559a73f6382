import type { Migration } from './migration.js';

/**
 * Runs killed mid-way (issue 9, item 5): a training run or design session records the process that runs it
 * (pid + start tag, see core/runtime/process-owner.ts), so that when a data folder is opened the rows left
 * `running` by a dead process can be marked `interrupted`, with the time they were found. The state columns
 * have no CHECK constraint (training_runs.state is free text, a session's state lives in run_json), so the new
 * state needs no table rebuild. Rows from before this migration have no owner and are treated as dead.
 * 008 is the models-table migration of the same issue.
 */
export const m009RunOwners: Migration = {
  version: 9,
  name: 'owners and interrupted state of training runs and design sessions',
  up: (db) => {
    db.exec(`
      ALTER TABLE training_runs ADD COLUMN owner_pid INTEGER;
      ALTER TABLE training_runs ADD COLUMN owner_start TEXT;
      ALTER TABLE training_runs ADD COLUMN interrupted_at TEXT;
      CREATE INDEX training_runs_state ON training_runs(state);
      ALTER TABLE design_sessions ADD COLUMN owner_pid INTEGER;
      ALTER TABLE design_sessions ADD COLUMN owner_start TEXT;
      ALTER TABLE design_sessions ADD COLUMN interrupted_at TEXT;
    `);
  },
};
