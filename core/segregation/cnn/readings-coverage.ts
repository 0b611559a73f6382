import { fixed, phrase, type Phrase } from '../../api/phrase.js';
import type { SampleLabel } from '../../api/methods/cnn.js';
import { samplePhrase } from '../../ml/fit-words.js';
import { wilsonInterval } from '../../jominy/normal.js';

/**
 * How many of a billet's readings its prediction's calibrated intervals cover (task 28-B #4): the stored coverage is
 * measured on the model's held-out split points; this is the same count on the billet at hand, per sample label, so
 * a reading the model trained on (in-sample: its interval was sized on other points' errors, but its prediction was
 * fitted to this very reading) is never pooled with held-out or new points, and says it is no evidence. One function
 * for the CLI `predict`, the prediction's API result and the Predict panel.
 *
 * A held-out reading of a training billet is a test point of one of the model's splits, and the stored interval was
 * calibrated on those very residuals: counted against it, the reading would partly check itself. It is counted instead
 * against the interval calibrated without its split (`splitOut`, core/segregation/cnn/calibration.ts), and the words
 * say so; where that cannot be recomputed the count is labelled circular.
 */
export interface ReadingsCoverage {
  sample: SampleLabel;
  /** Points with a reading and an interval. */
  n: number;
  /** Of those, the readings inside their interval. */
  inside: number;
  /** The intervals' nominal level, % (90). */
  nominal: number;
  /**
   * What the readings were counted against: the intervals shown (their residuals never calibrated them); intervals
   * calibrated without each reading's own split ('split-out'); or the intervals shown although their own residuals
   * calibrated them ('circular', not recomputable).
   */
  against: 'shown' | 'split-out' | 'circular';
  /** "readings inside the 90 % intervals: 17 of 20 (85 %), held-out (…)". */
  phrase: Phrase;
}

/** A reading on an interval's end is inside it (as the calibration's own coverage counts, conformal.ts). */
const EDGE = 1e-12;

export interface CoveragePoint {
  actual: number | null;
  interval: { lo: number; hi: number } | null;
  sample: SampleLabel;
  /** The interval calibrated without the point's own split; null: its split calibrated the shown one and that cannot be recomputed; absent: it did not. */
  splitOut?: { lo: number; hi: number } | null;
}

export function readingsCoverage(points: readonly CoveragePoint[], alpha: number | null): ReadingsCoverage[] {
  if (alpha === null) return [];
  const nominal = Math.round((1 - alpha) * 100);
  const out: ReadingsCoverage[] = [];
  for (const sample of ['out-of-sample', 'held-out', 'unknown', 'in-sample'] as const) {
    const pts = points.filter((p) => p.sample === sample && p.actual !== null && p.interval !== null);
    if (!pts.length) continue;
    // an in-sample reading is no evidence whatever it is counted against: the shown interval
    const own = sample === 'in-sample' ? [] : pts.filter((p) => p.splitOut !== undefined);
    const against = !own.length ? 'shown' : own.some((p) => p.splitOut === null) ? 'circular' : 'split-out';
    const inside = pts.filter((p) => {
      const iv = against === 'split-out' && p.splitOut ? p.splitOut : p.interval!;
      return p.actual! >= iv.lo - EDGE && p.actual! <= iv.hi + EDGE;
    }).length;
    const n = pts.length;
    const percent = fixed((100 * inside) / n, 0);
    // the share's own precision beside it (Wilson 90 %, as JoMiner's coverages): "2 of 2 (100 %)" had read as a
    // confirmed coverage, where 2 readings allow anything from 42 to 100 %
    const [wLo, wHi] = wilsonInterval(inside / n, n);
    const lo = fixed(100 * wLo, 0), hi = fixed(100 * wHi, 0);
    const label = samplePhrase(sample);
    const words = sample === 'in-sample'
      ? phrase('carbonFigures.readingsCoverageInSample', { nominal, inside, n, percent, sample: label })
      : against === 'split-out'
        ? phrase('carbonFigures.readingsCoverageSplitOut', { nominal, inside, n, percent, sample: label, lo, hi })
        : against === 'circular'
          ? phrase('carbonFigures.readingsCoverageCircular', { nominal, inside, n, percent, sample: label, lo, hi })
          : phrase('carbonFigures.readingsCoverage', { nominal, inside, n, percent, sample: label, lo, hi });
    out.push({ sample, n, inside, nominal, against, phrase: words });
  }
  return out;
}
