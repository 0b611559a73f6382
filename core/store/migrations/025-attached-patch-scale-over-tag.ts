import type { Migration } from './migration.js';

/**
 * An attached folder whose given scale was kept over the images' resolution tag (task 24-H): a camera program that
 * writes its sensor pitch as the tag contradicts a lab's measured scale, and had no way to attach at all. 1 when the
 * user said so on attach (`--ignore-resolution-tag`, `trustGivenScale`), so `patches list` can say the tag was set
 * aside; rows attached before hold 0 (their tag, where finer than 0.01 mm/px, agreed with the scale).
 */
export const m025AttachedPatchScaleOverTag: Migration = {
  version: 25,
  name: 'attached patch scale kept over the resolution tag',
  up: (db) => {
    db.exec('ALTER TABLE attached_patches ADD COLUMN scale_over_tag INTEGER NOT NULL DEFAULT 0 CHECK (scale_over_tag IN (0, 1))');
  },
};
