import type { Migration } from './migration.js';

/**
 * Model ids are never reused (issue 9, item 6). `models.id` was a plain INTEGER PRIMARY KEY, so deleting the
 * newest model handed its id — and its folder name `models/<id>` — to the next one: a folder left behind by a
 * deletion or a killed save then made every later training fail at its very end. AUTOINCREMENT keeps a
 * high-water mark in `sqlite_sequence`. SQLite cannot add it to an existing table, so the table is rebuilt
 * (the documented create-copy-drop-rename procedure, with foreign keys off so the drop does not cascade into
 * training runs, design sessions, predicted maps and Jominy evaluations; migrate() checks
 * `foreign_key_check` before committing). Ids and every column are copied unchanged; the copy sets the
 * high-water mark to the largest id present.
 */
export const m008ModelIdsNeverReused: Migration = {
  version: 8,
  name: 'model ids never reused (AUTOINCREMENT)',
  foreignKeysOff: true,
  up: (db) => {
    const columns =
      'id, kind, name, parent_model_id, path, architecture_json, hyper_json, seed, dataset_fingerprint, dataset_json, backend_json, history_json, metrics_json, synthetic, created_at';
    db.exec(`
      CREATE TABLE models_rebuilt (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        kind TEXT NOT NULL,
        name TEXT NOT NULL,
        parent_model_id INTEGER REFERENCES models(id) ON DELETE SET NULL,
        path TEXT NOT NULL,
        architecture_json TEXT NOT NULL,
        hyper_json TEXT NOT NULL,
        seed INTEGER NOT NULL,
        dataset_fingerprint TEXT NOT NULL,
        dataset_json TEXT NOT NULL,
        backend_json TEXT NOT NULL,
        history_json TEXT,
        metrics_json TEXT,
        synthetic INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL
      );
      INSERT INTO models_rebuilt (${columns}) SELECT ${columns} FROM models ORDER BY id;
      DROP TABLE models;
      ALTER TABLE models_rebuilt RENAME TO models;
    `);
  },
};
