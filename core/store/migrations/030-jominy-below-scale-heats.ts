import type { Migration } from './migration.js';

/**
 * Which heats were left out below 20 HRC, per row (task 27-C): `jominy_samples.below_scale_from` is the layout index
 * from which the row's heat read below the Rockwell C scale and was left out (every row of a heat the same), -1: never.
 * A model judges the 3.5 % rule over the heats it takes, not the dataset's (core/jominy/below-scale.ts heatsBelowScale).
 * NULL: not recorded — a dataset stored before this migration, unless its per-distance counts (migration 027) are all 0:
 * then no heat was left out, and its rows are marked -1 here.
 */
export const m030JominyBelowScaleHeats: Migration = {
  version: 30,
  name: 'jominy heats left out below 20 HRC, per heat',
  up: (db) => {
    db.exec('ALTER TABLE jominy_samples ADD COLUMN below_scale_from INTEGER');
    const rows = db.prepare('SELECT id, below_scale_json FROM jominy_datasets WHERE below_scale_json IS NOT NULL').all() as { id: number; below_scale_json: string }[];
    const none = db.prepare('UPDATE jominy_samples SET below_scale_from = -1 WHERE dataset_id = ?');
    for (const r of rows) {
      const counts = (JSON.parse(r.below_scale_json) as { heatsLeftOut?: unknown }).heatsLeftOut;
      if (Array.isArray(counts) && counts.every((n) => n === 0)) none.run(r.id);
    }
  },
};
