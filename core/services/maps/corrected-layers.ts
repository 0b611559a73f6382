/**
 * The layers of a predicted map corrected with K analysed readings ("measure fewer points", issue 11 §6): the
 * corrected carbon field and the half-width of its interval, both as stored with the map by fewerPoints.correct.
 */
import type { CorrectedMapLabel } from '../../api/methods/maps.js';
import { ApiError } from '../../api/errors.js';
import type { CorrectedMap, StoredPrediction } from '../../store/repos/predicted-maps-repo.js';
import { phrase } from '../../api/phrase.js';
import { correctedNote, correctedUncertaintyNote, noteEnglish, type Note } from '../shared/map-notes.js';

/** The stored correction of a predicted map, or a refusal that says how to make one. */
export function requireCorrected(pred: StoredPrediction): CorrectedMap {
  if (pred.corrected) return pred.corrected;
  throw ApiError.said('failed_precondition', phrase('errors.maps.notCorrected', { id: pred.info.id }), { field: 'layer' });
}

/**
 * What the corrected carbon layer is: which readings, K, method, on which field of the map. A correction stored
 * before its words were codes keeps its stored English words (no codes: the interface shows the English).
 */
export function correctedMethod(c: CorrectedMapLabel, strideMm: number): { method: string; methodPhrases: Note | null } {
  const note = correctedNote(c, strideMm);
  if (note) return { method: noteEnglish(note), methodPhrases: note };
  return {
    method:
      `Predicted map corrected with the readings of K = ${c.k} analysed point${c.k === 1 ? '' : 's'} (${c.labels.join(', ')}; point plan ${c.planId}, corrected ${c.correctedAt}). ` +
      `The ${c.field === 'smoothed' ? 'smoothed (Gaussian-process) field' : 'raw patch mosaic'} of the map (stride ${strideMm} mm) is corrected cell by cell: ${c.words}`,
    methodPhrases: null,
  };
}

export function correctedUncertaintyMethod(c: CorrectedMapLabel): { method: string; methodPhrases: Note | null } {
  const note = correctedUncertaintyNote(c);
  if (note) return { method: noteEnglish(note), methodPhrases: note };
  return {
    method: `Half-width (wt.%) of the ${Math.round(c.level * 100)} % interval of the map corrected with K = ${c.k} readings, cell by cell: ${c.words} Its coverage is checked on the billet's points that were not analysed (fewerPoints.correct reports it).`,
    methodPhrases: null,
  };
}
