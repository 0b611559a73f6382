import type { Migration } from './migration.js';

/**
 * A predicted map's scale warning (task 27-B): its section, when the rim calibration its patches were cut at
 * contradicts the file's resolution tag, stored in `scale_warnings_json` with the map's row (one INSERT), so the Maps
 * view, the map's PNG and PDF and `ferrolab map` still say it later (a corrected map is a column of the same row and
 * shares it). `[]`: checked, none. NULL: not recorded (maps made before this migration), never read as none.
 */
export const m029MapScaleWarnings: Migration = {
  version: 29,
  name: 'predicted map scale warnings',
  up: (db) => {
    db.exec('ALTER TABLE predicted_maps ADD COLUMN scale_warnings_json TEXT');
  },
};
