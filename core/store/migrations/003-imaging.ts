import type { Migration } from './migration.js';

/**
 * Imaging: which page of a multi-page TIFF is the section, the automatic rim fit (kept next to any manual
 * correction so it can be restored), and the patch/CLAHE/quality settings stored with the image so a dataset
 * built from it can say exactly how its patches were made. All nullable/defaulted: rows written before (or by
 * code that does not know these columns) stay valid.
 */
export const m003Imaging: Migration = {
  version: 3,
  name: 'imaging: page, automatic rim fit, patch settings',
  up: (db) => {
    db.exec(`
      ALTER TABLE images ADD COLUMN page INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE images ADD COLUMN pages INTEGER NOT NULL DEFAULT 1;
      ALTER TABLE images ADD COLUMN auto_circle_json TEXT;
      ALTER TABLE images ADD COLUMN patch_settings_json TEXT;
      CREATE INDEX IF NOT EXISTS images_hash ON images(content_hash);
    `);
  },
};
