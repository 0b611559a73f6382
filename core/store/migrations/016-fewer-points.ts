import type { Migration } from './migration.js';

/**
 * "Measure fewer points" (issue 11 §6). A plan is one proposal of K points of a billet to analyse for one
 * model: the chosen labels in pick order, the seed and settings that chose them, and the model's predictions
 * at every point of the billet at that time (so the correction uses the numbers the proposal was made from,
 * not a later re-run). Its latest correction (level / slope fitted to the readings found at the chosen
 * points) is stored on the row. A curve is one run of the held-out "expected MAE against K" experiment.
 */
export const m016FewerPoints: Migration = {
  version: 16,
  name: 'fewer points',
  up: (db) => {
    db.exec(`
      CREATE TABLE point_plans (
        id INTEGER PRIMARY KEY,
        billet_id INTEGER NOT NULL REFERENCES billets(id) ON DELETE CASCADE,
        model_id INTEGER REFERENCES models(id) ON DELETE SET NULL,
        model_name TEXT NOT NULL,
        k INTEGER NOT NULL CHECK (k >= 1),
        seed INTEGER NOT NULL,
        width_source TEXT NOT NULL,
        width_weight REAL NOT NULL,
        labels_json TEXT NOT NULL,
        predictions_json TEXT NOT NULL,
        prior_sd REAL NOT NULL,
        sample TEXT NOT NULL,
        correction_json TEXT,
        corrected_at TEXT,
        created_at TEXT NOT NULL
      );
      CREATE INDEX point_plans_billet ON point_plans(billet_id, model_id);
      CREATE TABLE k_curves (
        id INTEGER PRIMARY KEY,
        billet_id INTEGER NOT NULL REFERENCES billets(id) ON DELETE CASCADE,
        model_id INTEGER REFERENCES models(id) ON DELETE SET NULL,
        model_name TEXT NOT NULL,
        seed INTEGER NOT NULL,
        draws INTEGER NOT NULL,
        selection TEXT NOT NULL,
        curve_json TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE INDEX k_curves_billet ON k_curves(billet_id, model_id);
    `);
  },
};
