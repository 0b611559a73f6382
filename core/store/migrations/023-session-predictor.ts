import type { Migration } from './migration.js';

/**
 * A design session remembers the predictor that made it (issue 24, item 1). `model_id` is a foreign key with
 * ON DELETE SET NULL: deleting the predictor kept the session but lost which predictor it was, so the design view
 * showed it under whichever predictor was chosen. `predictor_id` and `predictor_name` are the predictor as it was
 * when the session was made; they are never cleared, so a session whose `model_id` is NULL and whose
 * `predictor_id` is set was made by that (deleted) predictor. Filled here from the predictors still stored; a
 * session whose predictor was deleted before this migration has neither (its predictor cannot be told).
 */
export const m023SessionPredictor: Migration = {
  version: 23,
  name: 'design sessions keep their predictor id and name',
  up: (db) => {
    db.exec(`
      ALTER TABLE design_sessions ADD COLUMN predictor_id INTEGER;
      ALTER TABLE design_sessions ADD COLUMN predictor_name TEXT;
      UPDATE design_sessions SET predictor_id = model_id, predictor_name = (SELECT name FROM models WHERE models.id = design_sessions.model_id)
        WHERE model_id IS NOT NULL;
    `);
  },
};
