import type { Migration } from './migration.js';

/**
 * A design session and an evaluation made from synthetic data say so: the predictor's
 * `models.synthetic` was the only record, and it is gone once the predictor is deleted, so a session left as a record
 * (migration 023) or an evaluation could not tell its numbers came from the generator, not from steel.
 * `design_sessions.synthetic`: 1 its predictor was trained on synthetic data, 0 not; `jominy_evaluations.synthetic`: 1
 * its predictor or its target heats were synthetic, 0 neither. NULL: not recorded — filled here only from the rows
 * still stored (a session whose predictor is deleted, an evaluation missing its predictor or its dataset and with no
 * synthetic side left to show it, stays NULL: unknown, never "not synthetic").
 */
export const m031JominySyntheticLabel: Migration = {
  version: 31,
  name: 'jominy design sessions and evaluations record whether they rest on synthetic data',
  up: (db) => {
    db.exec(`
      ALTER TABLE design_sessions ADD COLUMN synthetic INTEGER;
      UPDATE design_sessions SET synthetic = (SELECT synthetic FROM models WHERE models.id = design_sessions.model_id)
        WHERE model_id IS NOT NULL;
      ALTER TABLE jominy_evaluations ADD COLUMN synthetic INTEGER;
      UPDATE jominy_evaluations SET synthetic = CASE
        WHEN (SELECT synthetic FROM models WHERE models.id = jominy_evaluations.model_id) = 1
          OR (SELECT synthetic FROM jominy_datasets WHERE jominy_datasets.id = jominy_evaluations.dataset_id) = 1 THEN 1
        WHEN (SELECT synthetic FROM models WHERE models.id = jominy_evaluations.model_id) = 0
          AND (SELECT synthetic FROM jominy_datasets WHERE jominy_datasets.id = jominy_evaluations.dataset_id) = 0 THEN 0
        ELSE NULL END;
    `);
  },
};
