import { blendedTestPoints, type TextureBlend } from './texture-blend.js';
import { calibrateIntervals, intervalFor, measureCoverage, splitOutFit, TooFewCalibrationPointsError, type ConformalMethod, type HeldOutResidual, type Interval, type IntervalCalibration } from '../../ml/conformal.js';

/**
 * A carbon CNN's interval calibration from its k-split runs: every split's test points, predicted by that
 * split's model (which never trained on them), are the held-out residuals (core/ml/conformal.ts). A point is
 * named by billet id and label, so the same function serves a training that just ended and a model stored
 * before calibration existed (its per-split test predictions are in its metrics).
 *
 * The stored model is the final refit on all points (or split 1's model without refit): its own held-out
 * residuals do not exist, so the split models stand in for it. A refit trains on more points than a split, so
 * its errors are, if anything, smaller than the splits' and the interval errs on the wide side.
 */

export interface SplitTestPoints {
  testPoints: ReadonlyArray<{ billetId: number; label: string; actual: number; mean: number; sd: number }>;
}

export function splitResiduals(splits: readonly SplitTestPoints[]): HeldOutResidual[] {
  return splits.flatMap((s, group) => s.testPoints.map((p) => ({ group, point: `${p.billetId}/${p.label}`, actual: p.actual, predicted: p.mean, sd: p.sd })));
}

/**
 * The model's calibration, or null when its splits held out too few points for a finite interval (the
 * prediction then says so instead of showing one).
 */
export function calibrateFromSplits(splits: readonly SplitTestPoints[], opts: { alpha?: number; method?: ConformalMethod } = {}): IntervalCalibration | null {
  try {
    return calibrateIntervals(splitResiduals(splits), opts);
  } catch (err) {
    if (err instanceof TooFewCalibrationPointsError) return null;
    throw err;
  }
}

/**
 * The calibration a stored model's predictions use: the one stored with it, or — for a model stored before
 * calibration existed — the same computation over the split test predictions its metrics kept.
 */
export function modelCalibration(metrics: { splits?: readonly SplitTestPoints[]; calibration?: IntervalCalibration | null; blend?: Pick<TextureBlend, 'cnnWeight' | 'splitTexture' | 'splitWeights'> | null } | null | undefined): IntervalCalibration | null {
  if (!metrics) return null;
  if (metrics.calibration !== undefined) return withDistinctPoints(metrics.calibration, metrics.splits ?? []);
  try {
    return metrics.splits?.length ? calibrateFromSplits(blendedTestPoints(metrics.splits, metrics.blend).map((testPoints) => ({ testPoints }))) : null;
  } catch {
    // an old record with a non-finite residual (NaN is stored as null): no interval rather than a wrong one
    return null;
  }
}

/**
 * A calibration stored before its distinct points were recorded, with them derived from the split test points its
 * metrics kept — only where those are the very residuals it counted (same number, same coverage count); else as
 * stored, and its words say "residuals" alone.
 */
function withDistinctPoints(c: IntervalCalibration | null, splits: readonly SplitTestPoints[]): IntervalCalibration | null {
  if (!c || c.points !== undefined) return c;
  const res = splitResiduals(splits);
  if (res.length !== c.n) return c;
  const points = new Set(res.map((r) => r.point)).size;
  // which residuals the coverage was measured on depends only on how many each fold calibrates on, not on their values
  const cov = measureCoverage(res.map((r) => ({ ...r, actual: 0, predicted: 0, sd: 1 })), c.method, c.alpha);
  return { ...c, points, ...(cov.n === c.coverageN ? { coveragePoints: cov.points } : {}) };
}

/**
 * What a point's reading is counted against when the billet's readings' coverage is counted (readings-coverage.ts):
 * `undefined` — its residual never calibrated the stored interval, which is then an honest test for it; an interval —
 * its split's residual did (a held-out point of a model stored without refit is one of split 1's test points), so the
 * interval is recalibrated without that split's residuals (leave-one-split-out, as the stored coverage is measured);
 * null — it did, or may have, and that cannot be recomputed (no split test points kept, residuals that no longer give
 * the stored quantile, or too few left without the split): the count is circular and says so.
 * `keys` are the point's names in the residuals ("billetId/label", one per training billet with the same image).
 */
export type SplitOutInterval = (keys: readonly string[], mean: number, sd: number) => Interval | null | undefined;

export function splitOutIntervals(metrics: { splits?: readonly SplitTestPoints[]; blend?: Pick<TextureBlend, 'cnnWeight' | 'splitTexture' | 'splitWeights'> | null } | null | undefined, calibration: IntervalCalibration | null): SplitOutInterval {
  if (!calibration || !metrics?.splits?.length) return () => null;
  let res: HeldOutResidual[];
  try {
    res = splitResiduals(blendedTestPoints(metrics.splits, metrics.blend).map((testPoints) => ({ testPoints })));
  } catch {
    return () => null;
  }
  const groupsOf = new Map<string, Set<number>>();
  for (const r of res) groupsOf.set(r.point, (groupsOf.get(r.point) ?? new Set()).add(r.group));
  // only the very residuals the stored quantile came from may be recalibrated without a split; other ones would be a different interval
  const all = res.every((r) => [r.actual, r.predicted, r.sd].every(Number.isFinite)) ? splitOutFit(res, new Set(), calibration.method, calibration.alpha) : null;
  const same = (a: number | null, b: number | null) => (a === null || b === null ? a === b : Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b)));
  const reproduced = all !== null && res.length === calibration.n && same(all.quantile, calibration.quantile) && same(all.scale, calibration.scale);
  const folds = new Map<string, { quantile: number; scale: number | null }>();
  return (keys, mean, sd) => {
    const groups = new Set(keys.flatMap((k) => [...(groupsOf.get(k) ?? [])]));
    if (!groups.size) return undefined;
    if (!reproduced) return null;
    const id = [...groups].sort((a, b) => a - b).join(',');
    let fold = folds.get(id);
    if (!fold) folds.set(id, (fold = splitOutFit(res, groups, calibration.method, calibration.alpha)));
    if (!Number.isFinite(fold.quantile)) return null;
    return intervalFor(mean, { method: calibration.method, ...fold }, sd);
  };
}
