import type { Migration } from './migration.js';

/**
 * A predicted map corrected with K analysed readings ("measure fewer points", issue 11 §6): the corrected field,
 * its interval half-widths and what made it (plan, readings, K, method, variogram) stored with the map it
 * corrects, so its layer, its CSV and its report page show the same numbers. The newest correction of the map
 * replaces an older one; NULL until a plan of the map's model is corrected. Numbered 020: 019 belongs to another branch.
 */
export const m020CorrectedMaps: Migration = {
  version: 20,
  name: 'corrected predicted maps',
  up: (db) => {
    db.exec(`ALTER TABLE predicted_maps ADD COLUMN corrected_json TEXT;`);
  },
};
