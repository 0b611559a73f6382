import { DISTANCES_MM } from './elements.js';
import { HELD_END_TOLERANCE_MM, beyondPoints } from './objective.js';
import { SCALE_END } from './below-scale.js';

import { POINT_MARK_SIGN, pointMarkNotes, type PointMark } from '../api/jominy-point-marks.js';

/*
 * Why a design's value at a standard distance is not a prediction to print as a confident number. One mark per point,
 * the first that applies in this order (the reason a reader most needs): 'held' — beyond the predictor's first or last
 * point, its end value held (jominy-predictor.ts); 'noNetwork' — the dataset measured a distance there whose network
 * was skipped for too few heats, so the value is read between the neighbouring points; 'capped' — lowered to the
 * martensite maximum of its carbon; 'belowScale' — under 20 HRC, where the Rockwell C scale ends: no reading in the
 * data can be there (heats that low were refused or left out on import), so the networks only extrapolate.
 * The kinds, their order and signs are the contract's pure module (core/api/jominy-point-marks.ts), which the Design
 * page runs too.
 */
export { POINT_MARK_SIGN, type PointMark };

/**
 * Per standard distance, true where the value is read across a point the predictor skipped (no network there): a
 * standard distance inside the predictor's points, not at one of them, whose neighbouring points enclose a skipped
 * distance. A distance beyond the points is 'held' instead.
 */
export function noNetworkAtStandard(pointsMm: readonly number[], skippedMm: readonly number[]): boolean[] {
  return DISTANCES_MM.map((d) => {
    if (!pointsMm.length || !skippedMm.length || beyondPoints(d, pointsMm)) return false;
    if (pointsMm.some((p) => Math.abs(p - d) <= HELD_END_TOLERANCE_MM)) return false;
    const after = pointsMm.findIndex((p) => p > d);
    if (after <= 0) return skippedMm.some((s) => Math.abs(s - d) <= HELD_END_TOLERANCE_MM);
    const [lo, hi] = [pointsMm[after - 1], pointsMm[after]];
    return skippedMm.some((s) => s > lo && s < hi);
  });
}

/** One design's marks per standard distance (null: a prediction), from what its row stored and its profile. */
export function pointMarks(r: { profile: readonly number[]; capped?: readonly boolean[] | null; outside?: readonly boolean[] | null; noNetwork?: readonly boolean[] | null }): (PointMark | null)[] {
  return r.profile.map((v, i) => (r.outside?.[i] ? 'held' : r.noNetwork?.[i] ? 'noNetwork' : r.capped?.[i] ? 'capped' : v < SCALE_END.HRC ? 'belowScale' : null));
}

/** A design's mean 90 % interval half-width over the distances with a prediction (one definition, in the contract's pure modules, the Design page runs it too). */
export { meanHalfWidth } from '../api/jominy-interval-width.js';

/** The standard distances (mm) carrying a given mark. */
export const markedMm = (marks: readonly (PointMark | null)[] | undefined, mark: PointMark): number[] => DISTANCES_MM.filter((_, i) => marks?.[i] === mark);

/** What each mark means, in the words of the CLI and the session CSV (English, as their other lines). */
const MARK_WHY: Readonly<Record<PointMark, string>> = {
  held: "beyond the predictor's first or last point (its dataset did not reach there): the end value is held, not predicted",
  noNetwork: 'no network there (the point was skipped for too few heats): the value is read between the neighbouring points, not predicted',
  capped: 'capped at the martensite maximum of its carbon: the network predicted more',
  belowScale: 'below 20 HRC, where the Rockwell C scale ends: no reading lies there, so the networks only extrapolate',
};

/**
 * One WARNING line per mark the designs carry (CLI; the session CSV as comments): the sign, the distances and the ranks
 * where it stands, and why the value there is not a confident number — so no interval is given there.
 */
export function markWarnings(results: readonly { rank: number; marks?: readonly (PointMark | null)[] }[]): string[] {
  return pointMarkNotes(results, DISTANCES_MM).map(({ mark, mm, ranks }) => `WARNING: ${POINT_MARK_SIGN[mark]} at ${mm.join(', ')} mm (rank ${ranks.join(', ')}): ${MARK_WHY[mark]}; no interval there`);
}
