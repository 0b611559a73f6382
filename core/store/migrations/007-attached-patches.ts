import type { Migration } from './migration.js';

/**
 * Separately captured patch images attached to sampling points (issue 3, item 5). Keyed by the point's label,
 * not its row id: re-laying the same layout or undoing a point deletion re-creates the point rows, and the
 * micrograph taken at "P07" must still belong to P07. One active patch per point (UNIQUE); the pixels live
 * content-addressed in `images/patches/<content_hash>.png` as 8-bit grey.
 */
export const m007AttachedPatches: Migration = {
  version: 7,
  name: 'attached patch images per sampling point',
  up: (db) => {
    db.exec(`
      CREATE TABLE attached_patches (
        id INTEGER PRIMARY KEY,
        billet_id INTEGER NOT NULL REFERENCES billets(id) ON DELETE CASCADE,
        point_label TEXT NOT NULL COLLATE NOCASE,
        content_hash TEXT NOT NULL CHECK (length(content_hash) = 64),
        original_name TEXT NOT NULL,
        width INTEGER NOT NULL CHECK (width > 0),
        height INTEGER NOT NULL CHECK (height > 0),
        created_at TEXT NOT NULL,
        UNIQUE (billet_id, point_label)
      );
      CREATE INDEX attached_patches_hash ON attached_patches(content_hash);
    `);
  },
};
