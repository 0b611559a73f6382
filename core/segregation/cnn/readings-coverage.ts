import { fixed, phrase, type Phrase } from '../../api/phrase.js';
import type { SampleLabel } from '../../api/methods/cnn.js';
import { samplePhrase } from '../../ml/fit-words.js';

/**
 * How many of a billet's readings its prediction's calibrated intervals cover (task 28-B #4): the stored coverage is
 * measured on the model's held-out split points; this is the same count on the billet at hand, per sample label, so
 * a reading the model trained on (in-sample: its interval was sized on other points' errors, but its prediction was
 * fitted to this very reading) is never pooled with held-out or new points, and says it is no evidence. One function
 * for the CLI `predict`, the prediction's API result and the Predict panel.
 */
export interface ReadingsCoverage {
  sample: SampleLabel;
  /** Points with a reading and an interval. */
  n: number;
  /** Of those, the readings inside their interval. */
  inside: number;
  /** The intervals' nominal level, % (90). */
  nominal: number;
  /** "readings inside the 90 % intervals: 17 of 20 (85 %), held-out (…)". */
  phrase: Phrase;
}

/** A reading on an interval's end is inside it (as the calibration's own coverage counts, conformal.ts). */
const EDGE = 1e-12;

export function readingsCoverage(points: ReadonlyArray<{ actual: number | null; interval: { lo: number; hi: number } | null; sample: SampleLabel }>, alpha: number | null): ReadingsCoverage[] {
  if (alpha === null) return [];
  const nominal = Math.round((1 - alpha) * 100);
  const out: ReadingsCoverage[] = [];
  for (const sample of ['out-of-sample', 'held-out', 'unknown', 'in-sample'] as const) {
    const pts = points.filter((p) => p.sample === sample && p.actual !== null && p.interval !== null);
    if (!pts.length) continue;
    const inside = pts.filter((p) => p.actual! >= p.interval!.lo - EDGE && p.actual! <= p.interval!.hi + EDGE).length;
    const n = pts.length;
    const percent = fixed((100 * inside) / n, 0);
    const words = sample === 'in-sample'
      ? phrase('carbonFigures.readingsCoverageInSample', { nominal, inside, n, percent, sample: samplePhrase(sample) })
      : phrase('carbonFigures.readingsCoverage', { nominal, inside, n, percent, sample: samplePhrase(sample) });
    out.push({ sample, n, inside, nominal, phrase: words });
  }
  return out;
}
