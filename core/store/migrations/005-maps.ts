import type { Migration } from './migration.js';

/**
 * Predicted carbon maps (a CNN evaluated on a patch lattice) are stored so that the Maps view, the CLI
 * and later reports reopen the same numbers instead of re-running the model.
 */
export const m005Maps: Migration = {
  version: 5,
  name: 'predicted maps',
  up: (db) => {
    db.exec(`
      CREATE TABLE predicted_maps (
        id INTEGER PRIMARY KEY,
        billet_id INTEGER NOT NULL REFERENCES billets(id) ON DELETE CASCADE,
        model_id INTEGER REFERENCES models(id) ON DELETE SET NULL,
        model_name TEXT,
        stride_mm REAL NOT NULL CHECK (stride_mm > 0),
        patch_count INTEGER NOT NULL,
        masked_count INTEGER NOT NULL,
        grid_json TEXT NOT NULL,
        points_json TEXT NOT NULL,
        backend TEXT,
        params_json TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE INDEX predicted_maps_billet ON predicted_maps(billet_id);
      CREATE INDEX reports_billet ON reports(billet_id);
    `);
  },
};
