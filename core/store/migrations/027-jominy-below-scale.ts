import type { Migration } from './migration.js';

/**
 * Jominy readings below 20 HRC left empty on import (task 26-A, `--below-scale empty`): per distance of the dataset's
 * layout, the heats that read below the Rockwell C scale's end there and were left out, in `below_scale_json`
 * (`{"option":"refuse"|"empty","heatsLeftOut":[…]}`). NULL: the count was not recorded (every dataset stored before
 * this migration) — read as "not recorded", never as 0.
 */
export const m027JominyBelowScale: Migration = {
  version: 27,
  name: 'jominy heats left out below 20 HRC, per distance',
  up: (db) => {
    db.exec('ALTER TABLE jominy_datasets ADD COLUMN below_scale_json TEXT');
  },
};
