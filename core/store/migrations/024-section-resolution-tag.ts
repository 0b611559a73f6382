import type { Migration } from './migration.js';

/**
 * A section's own resolution tag (task 24-G), kept beside its rim calibration so every view of the calibration can
 * say when the two disagree (core/imaging/resolution-tag.ts): the tag's pixels per inch as read, NULL when the file
 * had no believed tag. Rows imported before hold NULL: their files were not read for it, and nothing is compared.
 */
export const m024SectionResolutionTag: Migration = {
  version: 24,
  name: "a section's believed resolution tag",
  up: (db) => {
    db.exec('ALTER TABLE images ADD COLUMN tag_px_per_inch REAL');
  },
};
