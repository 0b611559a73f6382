import type { SampleLabel } from '../api/methods/cnn.js';
import { fixed, phrase, type Phrase } from '../api/phrase.js';

/**
 * The words every reader (CLI, report) prints for a fit, so that no output shows one R² without the other,
 * without the bias, or without saying which points it was computed on.
 */

export const R2_EQ2 = 'R² (Eq. 2, squared correlation)';
export const R2_DETERMINATION = 'R² (coefficient of determination)';

export function sampleWords(s: SampleLabel | undefined): string {
  if (s === undefined) return 'sample not recorded (model stored before labels)';
  if (s === 'unknown') return 'sample unknown (a model it was fine-tuned from is deleted: whether that model trained on these points cannot be told)';
  return s === 'in-sample' ? 'IN-SAMPLE (points or image the model trained on)' : s === 'held-out' ? 'held-out (split test points of a training image)' : 'out-of-sample (an image never trained on)';
}

const num = (v: number | null | undefined, d: number) => (v === null || v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(d));

/** "R² (Eq. 2, …) 0.905, R² (coefficient …) 0.871, mean bias +0.0012 wt.%" (— where not recorded). */
export function fitWords(m: { r2: number | null; r2Determination?: number | null; meanBias?: number | null }): string {
  const bias = m.meanBias === null || m.meanBias === undefined || !Number.isFinite(m.meanBias) ? '—' : `${m.meanBias >= 0 ? '+' : ''}${m.meanBias.toFixed(4)}`;
  return `${R2_EQ2} ${num(m.r2, 3)}, ${R2_DETERMINATION} ${num(m.r2Determination, 3)}, mean bias (predicted − measured) ${bias} wt.%`;
}

/** sampleWords as a code, for the report's and the interface's language. */
export function samplePhrase(s: SampleLabel | undefined): Phrase {
  if (s === undefined) return phrase('fit.sample.unknown');
  if (s === 'unknown') return phrase('fit.sample.ancestorUnknown');
  return phrase(s === 'in-sample' ? 'fit.sample.inSample' : s === 'held-out' ? 'fit.sample.heldOut' : 'fit.sample.outOfSample');
}

/** fitWords as a code: each figure as a number with its decimals, or "—" where it was not recorded. */
export function fitPhrase(m: { r2: number | null; r2Determination?: number | null; meanBias?: number | null }): Phrase {
  const n = (v: number | null | undefined, d: number) => (v === null || v === undefined || !Number.isFinite(v) ? '—' : fixed(v, d));
  const b = m.meanBias;
  const bias = b === null || b === undefined || !Number.isFinite(b) ? '—' : `${b >= 0 ? '+' : ''}${b.toFixed(4)}`;
  return phrase('fit.words', { r2: n(m.r2, 3), r2det: n(m.r2Determination, 3), bias });
}
