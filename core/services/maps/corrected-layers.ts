/**
 * The layers of a predicted map corrected with K analysed readings ("measure fewer points", issue 11 §6): the
 * corrected carbon field and the half-width of its interval, both as stored with the map by fewerPoints.correct.
 */
import type { CorrectedMapLabel } from '../../api/methods/maps.js';
import { ApiError } from '../../api/errors.js';
import type { CorrectedMap, StoredPrediction } from '../../store/repos/predicted-maps-repo.js';
import { phrase } from '../../api/phrase.js';

/** The stored correction of a predicted map, or a refusal that says how to make one. */
export function requireCorrected(pred: StoredPrediction): CorrectedMap {
  if (pred.corrected) return pred.corrected;
  throw ApiError.said('failed_precondition', phrase('errors.maps.notCorrected', { id: pred.info.id }), { field: 'layer' });
}

/** The correction in a few words, after the layer's title: "K = 8, residual kriging". */
export function correctedTitle(c: CorrectedMapLabel): string {
  return `K = ${c.k}, ${c.method === 'residual-kriging' ? 'residual kriging' : 'level/slope'}`;
}

/** What the corrected carbon layer is: which readings, K, method, on which field of the map. */
export function correctedMethod(c: CorrectedMapLabel, strideMm: number): string {
  return (
    `Predicted map corrected with the readings of K = ${c.k} analysed point${c.k === 1 ? '' : 's'} (${c.labels.join(', ')}; point plan ${c.planId}, corrected ${c.correctedAt}). ` +
    `The ${c.field === 'smoothed' ? 'smoothed (Gaussian-process) field' : 'raw patch mosaic'} of the map (stride ${strideMm} mm) is corrected cell by cell: ${c.words}`
  );
}

export function correctedUncertaintyMethod(c: CorrectedMapLabel): string {
  return `Half-width (wt.%) of the ${Math.round(c.level * 100)} % interval of the map corrected with K = ${c.k} readings, cell by cell: ${c.words} Its coverage is checked on the billet's points that were not analysed (fewerPoints.correct reports it).`;
}
