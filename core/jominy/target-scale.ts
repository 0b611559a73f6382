import { DISTANCES_MM } from './elements.js';
import { HELD_END_TOLERANCE_MM, countedPoints, type Target } from './objective.js';
import { SCALE_END } from './below-scale.js';
import { phrase, type Phrase } from '../api/phrase.js';

/**
 * A design target at the scale's end. Rockwell C ends at 20 HRC: the data holds no reading below it (refused, or left
 * empty and counted, on import), so the predictor can say nothing there. A curve value or a band's high line below
 * 20 HRC at a distance the target counts asks for what no prediction can confirm: refused. A band's low line below 20
 * HRC is no bound where every heat read on the scale; where heats were left out below the scale it is judged against
 * data that lacks exactly the heats it is about: refused there too.
 */

/**
 * Per standard distance, the predictor's heats left out below the scale there (0: none), from its below-scale points
 * (below-scale.ts; listed only where some were left out, at its dataset's distances). A heat below 20 HRC at a
 * distance is counted below at every later one, so a standard distance takes the count of the last dataset distance at
 * or before it (within HELD_END_TOLERANCE_MM: a sixteenths set's J1 is 1.5 mm). null: the dataset did not count them.
 */
export function leftOutAtStandard(points: readonly { distanceMm: number; leftOut: number }[] | null | undefined): number[] | null {
  if (points === null || points === undefined) return null;
  return DISTANCES_MM.map((d) => Math.max(0, ...points.filter((p) => p.distanceMm <= d + HELD_END_TOLERANCE_MM).map((p) => p.leftOut)));
}

const num = (v: number) => String(+v.toFixed(2));

/**
 * The refusal of a target below the scale, naming each distance and value, or null. `leftOut`: leftOutAtStandard of
 * the predictor (null: not recorded — a band's low line is then not judged, the session says "not recorded").
 */
export function targetScaleRefusal(target: Target, weights: readonly number[] | null | undefined, leftOut: readonly number[] | null): Phrase | null {
  const counted = countedPoints(target, weights);
  const min = SCALE_END.HRC;
  const under: string[] = [];
  const low: string[] = [];
  DISTANCES_MM.forEach((d, i) => {
    if (!counted[i]) return;
    const high = target.kind === 'curve' ? target.hardness[i] : target.max[i];
    if (high !== null && high < min) under.push(`${d} mm: ${num(high)} HRC`);
    else if (target.kind === 'band' && target.min[i] !== null && target.min[i]! < min && (leftOut?.[i] ?? 0) > 0) low.push(`${d} mm: ${num(target.min[i]!)} HRC [${leftOut![i]}]`);
  });
  if (under.length) return target.kind === 'curve' ? phrase('jominyErrors.targetBelowScale', { points: under.join('; '), min }) : phrase('jominyErrors.bandHighBelowScale', { points: under.join('; '), min });
  if (low.length) return phrase('jominyErrors.bandLowBelowScale', { points: low.join('; '), min });
  return null;
}
