import type { Migration } from './migration.js';

/**
 * The smoothed field of a predicted map (issue 11 §5): the Gaussian-process smoothing of the patch lattice —
 * mean, its sd, and the CV-chosen hyper-parameters — stored with the raw lattice it was fitted to, so a map,
 * its CSV and its report show the same field. NULL for maps predicted before (smoothed when first drawn) and
 * for lattices with too few accepted patches. Numbered 015: 012–014 and 016+ belong to other branches.
 */
export const m015SmoothedPredictedMaps: Migration = {
  version: 15,
  name: 'smoothed predicted maps',
  up: (db) => {
    db.exec(`ALTER TABLE predicted_maps ADD COLUMN smoothed_json TEXT;`);
  },
};
