import type { Migration } from './migration.js';

/**
 * A CNN model's scale warnings (task 27-B): the sections it trained on whose rim calibration their file's resolution
 * tag contradicts — billet, image, both mm per pixel, their ratio and the warning as a phrase — stored in
 * `scale_warnings_json` by the transaction that stores the model, so `model list`, the Models view and the report's
 * model card still say it when its R² is read later. `[]`: checked, none contradicted. NULL: not recorded (every
 * model stored before this migration, an imported or Jominy model) — read as "not recorded", never as none.
 */
export const m028ModelScaleWarnings: Migration = {
  version: 28,
  name: 'model scale warnings',
  up: (db) => {
    db.exec('ALTER TABLE models ADD COLUMN scale_warnings_json TEXT');
  },
};
