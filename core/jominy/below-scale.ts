import { DISTANCES_MM } from './elements.js';
import { phrase, plain, type Phrase } from '../api/phrase.js';
import { parseStrictDecimal, type DecimalMark } from '../api/strict-decimal.js';
import { E140_HV_MIN } from './hardness-conversion.js';
import { HRC_MIN } from './elements.js';

/**
 * Heats that read below 20 HRC (where the Rockwell C scale ends) at a distance and were left empty there on import
 * (csv.ts, `belowScale: 'empty'`). They are the heats that soften most: without them the data at that distance —
 * its mean, its H-band's low line, the point network and the baselines fitted on it — is biased high.
 *
 * The rule: a distance is flagged biased high when the heats left out there are at least 3.5 % of the heats tested
 * there (measured + left out). 3.5 % is the lower cut of an H-band (3.5–96.5 % of the heats, dataset-stats.ts): from
 * that share on, the band's low line of the tested heats lies among the heats the data does not hold, below 20 HRC —
 * the low end a design target near 20 HRC is judged against is then not in the data at all. Below it the left-out
 * heats still raise the mean, by less than 3.5 % of their distance to it (≤ 0.2 HRC for a mean 5 HRC above them).
 */
export const BIASED_HIGH_SHARE = 0.035;

/** One distance's count of heats left out below the scale, and whether the share is material. */
export interface BelowScalePoint {
  distanceMm: number;
  /** Heats that read below 20 HRC there and were left empty. */
  leftOut: number;
  /** Heats tested there: measured on the scale + left out. */
  tested: number;
  /** leftOut / tested. */
  share: number;
  /** share ≥ BIASED_HIGH_SHARE: the network and baselines there are biased high. */
  biasedHigh: boolean;
}

/**
 * Per distance with heats left out (distances with none are not listed). `measured[i]` is the heats that measured
 * distance i, `leftOut[i]` those left out there; null leftOut: the dataset's count was not recorded (stored before it).
 */
export function belowScalePoints(distancesMm: readonly number[], measured: readonly number[], leftOut: readonly number[] | null): BelowScalePoint[] {
  if (leftOut === null) return [];
  return distancesMm.flatMap((distanceMm, i) => {
    const n = leftOut[i] ?? 0;
    if (n === 0) return [];
    const tested = measured[i] + n;
    const share = n / tested;
    return [{ distanceMm, leftOut: n, tested, share, biasedHigh: share >= BIASED_HIGH_SHARE }];
  });
}

/** "N heats read below 20 HRC here, left out" (dataset statistics beside the heats per distance). */
export function leftOutPhrase(count: number): Phrase {
  return phrase('jominy.belowScale.leftOut', { count, min: 20 });
}

/** The flag of a biased-high point in words (training, the predictor's report, a design's notes). */
export function biasedHighPhrase(p: BelowScalePoint, mm: string): Phrase {
  return phrase('jominy.belowScale.biasedHigh', { mm, leftOut: p.leftOut, tested: p.tested, percent: plain(Math.round(1000 * p.share) / 10), min: 20 });
}

/**
 * Which of the 15 standard distances (where predicted curves and design targets live) a biased-high point reaches:
 * the point itself, and a distance read by PCHIP between it and a neighbouring point (both its sides are shaped by the
 * point's value), or held beyond the last point when that point is flagged.
 */
export function biasedHighAtStandard(pointsMm: readonly number[], flaggedMm: readonly number[]): boolean[] {
  const flagged = (d: number) => flaggedMm.some((f) => Math.abs(f - d) < 1e-9);
  return DISTANCES_MM.map((d) => {
    const at = pointsMm.findIndex((p) => Math.abs(p - d) < 1e-9);
    if (at >= 0) return flagged(pointsMm[at]);
    const after = pointsMm.findIndex((p) => p > d);
    if (after === -1) return pointsMm.length > 0 && flagged(pointsMm[pointsMm.length - 1]);
    if (after === 0) return flagged(pointsMm[0]);
    return flagged(pointsMm[after - 1]) || flagged(pointsMm[after]);
  });
}

/** Where the Rockwell C scale ends, per column scale: 20 HRC (ASTM E18) and its ASTM E140 equivalent, 238 HV. */
export const SCALE_END = { HRC: 20, HV: E140_HV_MIN } as const;
/**
 * Below these a number is no soft reading of a steel bar but a typo or another scale, refused with the option on too:
 * 5 HRC is the importer's HRC floor (elements.ts HRC_MIN); 100 HV lies under the softest steel a Jominy bar is made of
 * (annealed low-carbon ferrite–pearlite, about 110–130 HV), and above the HRC numbers (≤ 70) typed into an HV column.
 */
export const SOFT_FLOOR = { HRC: HRC_MIN, HV: 100 } as const;

/** "<20", "< 20", "<=20", "≤20", "<20 HRC" (the unit, when written, must be the column's). */
const BOUND = /^\s*(?:<=?|≤)\s*(.*?)\s*(hrc|hv)?\s*$/i;

/**
 * A cell read as a bound below the scale's end: 'below' (left empty and counted with the option on), 'notOnScale'
 * (a bound at or under the soft floor, such as "<0" or "<-5": no bound of a reading), or null: no such bound (not a
 * bound, another scale's unit, a bound above the scale's end — refused as a detection limit where the cell is read).
 */
export function belowScaleBound(cell: string, scale: 'HRC' | 'HV', decimalMark: DecimalMark): 'below' | 'notOnScale' | null {
  const m = BOUND.exec(cell);
  if (!m || (m[2] !== undefined && m[2].toUpperCase() !== scale)) return null;
  const r = parseStrictDecimal(m[1], { decimalMark });
  if (!r.ok) return null;
  if (r.value <= SOFT_FLOOR[scale]) return 'notOnScale';
  return r.value <= SCALE_END[scale] ? 'below' : null;
}
