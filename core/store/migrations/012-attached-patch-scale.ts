import type { Migration } from './migration.js';

/**
 * Attached patch images carry their own scale (issue 11 §1): the mm per pixel of the camera frame, given on
 * attach, so a model with a physical patch size cuts the same steel from them as from a section. NULL for
 * patches attached before (and when none was given): a model with a physical scale refuses those by name.
 */
export const m012AttachedPatchScale: Migration = {
  version: 12,
  name: 'attached patch scale (mm per pixel)',
  up: (db) => {
    db.exec(`ALTER TABLE attached_patches ADD COLUMN mm_per_px REAL CHECK (mm_per_px IS NULL OR mm_per_px > 0);`);
  },
};
