import { fitKrigedCorrection, krigedValue, type PlacedPair, type ResidualVariogram } from './residual-kriging.js';
import type { CorrectionOptions } from './correct.js';

/**
 * The billet's own check (issue 11 §6, task 20-C): the expected MAE of a K-curve is measured on OTHER billets, and the
 * guard (applicability.ts) sees only a billet outside the model's range or one that needs a level shift. The only
 * evidence about THIS billet is its K readings: each in turn is left out, the same correction the workflow makes
 * (level/slope + residual kriging with the same covariance shape and prior) is refitted on the other K − 1, and the
 * reading left out is predicted. The MAE of those K predictions is held out from the correction (to the model the readings
 * may still be in-sample: on its own training billet; the words say which) — but it
 * is the error of a correction with K − 1 readings, not K: slightly pessimistic for the correction actually made,
 * and a mean of only K absolute errors (bench/fewer-points-loo.ts measures how far it is from the MAE on the points
 * that were not analysed).
 */

export interface LeaveOneOutPoint {
  /** Index of the pair in the input. */
  index: number;
  reading: number;
  /** The corrected prediction at this point from the other K − 1 readings, and the interval half-width there. */
  predicted: number;
  halfWidth: number;
  /** reading − predicted (wt.%). */
  error: number;
}

export interface LeaveOneOut {
  /** Readings left out in turn (= K) and the readings each refit used (K − 1). */
  n: number;
  fitPoints: number;
  /** Mean |error| over the K left-out readings (wt.%). */
  mae: number;
  /** Mean signed error (reading − prediction): a bias the correction with K − 1 readings left. */
  bias: number;
  /** Share of the left-out readings inside their refit's interval at `level`. */
  coverage: number;
  level: number;
  points: LeaveOneOutPoint[];
}

/**
 * How far one billet's LOO MAE lies from the MAE of the same correction on the billet's points that were not
 * analysed, as the ratio LOO / actual: its 5 %–95 % range over the synthetic billets and proposals of
 * bench/fewer-points-loo.ts, the widest over its five models, at the K it was measured at (said with every check, so a
 * lab reads the figure as the rough estimate it is; its mean is 1.02–1.07 at every K).
 */
export const LOO_RATIO_SPREADS = [
  { k: 4, low: 0.31, high: 2.26 },
  { k: 8, low: 0.53, high: 1.74 },
  { k: 16, low: 0.65, high: 1.53 },
] as const;

/** The measured spread to quote for a check with K readings: the largest measured K not above it, else the smallest (stated with its K). */
export function looRatioSpread(k: number): (typeof LOO_RATIO_SPREADS)[number] {
  return [...LOO_RATIO_SPREADS].reverse().find((s) => s.k <= k) ?? LOO_RATIO_SPREADS[0];
}

/** The fewest analysed readings for a leave-one-out check (each refit needs at least one reading). */
export const MIN_LOO_K = 2;

/**
 * Leave-one-out over the K analysed points with exactly the workflow's correction (fitKrigedCorrection with the
 * given variogram — a pure nugget gives the level/slope correction alone — and options). Null below MIN_LOO_K.
 */
export function leaveOneOut(pairs: readonly PlacedPair[], variogram: ResidualVariogram, opts: CorrectionOptions, level = 0.9): LeaveOneOut | null {
  const k = pairs.length;
  if (k < MIN_LOO_K) return null;
  const points = pairs.map((left, index): LeaveOneOutPoint => {
    const kc = fitKrigedCorrection(pairs.filter((_, j) => j !== index), variogram, opts);
    const v = krigedValue(kc, left.predicted, left.xMm, left.yMm, level);
    return { index, reading: left.reading, predicted: v.value, halfWidth: v.halfWidth, error: left.reading - v.value };
  });
  return {
    n: k,
    fitPoints: k - 1,
    mae: points.reduce((a, p) => a + Math.abs(p.error), 0) / k,
    bias: points.reduce((a, p) => a + p.error, 0) / k,
    coverage: points.filter((p) => Math.abs(p.error) <= p.halfWidth).length / k,
    level,
    points,
  };
}
