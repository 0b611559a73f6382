import type { Migration } from './migration.js';

/**
 * User-defined steel grades for JoMiner design (issue 12): a name, chemistry min/max per element and an
 * optional H-band. Ranges and band are JSON (checked by the contract against the element limits table on
 * the way in); the name is unique so a grade can be chosen by name in the CLI.
 */
export const m011JominyGrades: Migration = {
  version: 11,
  name: 'jominy grades',
  up: (db) => {
    db.exec(`
      CREATE TABLE jominy_grades (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        ranges_json TEXT NOT NULL,
        band_json TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
    `);
  },
};
