import type { Migration } from './migration.js';

/**
 * Jominy datasets as plants write them (issue 12): each dataset keeps its own layout — distances (mm), their
 * labels and unit (mm or sixteenths), and the elements it analysed — in `layout_json` (NULL: the 15 standard
 * distances and 15 elements, every dataset before this migration). A heat keeps how it was measured when
 * that differs from plain HRC (two flats, HV converted by ASTM E140) in `measured_json`. Missing readings are
 * JSON null in `hardness_json`, never 0. The grade becomes a field to filter and group on: an index.
 * Numbered 017: 012–016 belong to other branches.
 */
export const m017JominyDatasetLayout: Migration = {
  version: 17,
  name: 'jominy dataset layout, measured readings, grade index',
  up: (db) => {
    db.exec(`
      ALTER TABLE jominy_datasets ADD COLUMN layout_json TEXT;
      ALTER TABLE jominy_samples ADD COLUMN measured_json TEXT;
      CREATE INDEX jominy_samples_grade ON jominy_samples(dataset_id, grade);
    `);
  },
};
