import type { Metrics } from '../api/methods/cnn.js';

/**
 * Regression metrics (carbon in wt.%), the contract's metrics shape: `r2` is the squared Pearson correlation,
 * the paper's Eq. 2, which is blind to a constant offset or a wrong slope; `r2Determination` is 1 − SSE/SST
 * (the coefficient of determination, which a bias pulls down, and can be negative); `meanBias` the mean of
 * pred − actual (wt.%); `meanRelError` the mean of |pred − actual| / actual (the paper's Fig. 5 quantity, as a
 * fraction). Both R² are reported together: Eq. 2 alone hid a +0.012 wt.% bias (0.51 vs 0.09).
 */
export type RegressionMetrics = Metrics & { r2Determination: number; meanBias: number };

function check(pred: ArrayLike<number>, actual: ArrayLike<number>): void {
  if (pred.length !== actual.length) throw new Error(`metrics: ${pred.length} predictions for ${actual.length} actual values`);
  if (pred.length === 0) throw new Error('metrics: no values');
  for (let i = 0; i < pred.length; i++) {
    if (!Number.isFinite(pred[i]) || !Number.isFinite(actual[i])) throw new Error(`metrics: value ${i} is not finite`);
  }
}

/**
 * Eq. 2: (nΣfy − ΣfΣy)² / ((nΣf² − (Σf)²)(nΣy² − (Σy)²)). Computed on centred values (same quantity,
 * no cancellation when carbon sits near 0.4 wt.% with a spread of 0.01). 0 when either side is constant.
 */
export function r2Pearson(pred: ArrayLike<number>, actual: ArrayLike<number>): number {
  check(pred, actual);
  const n = pred.length;
  const constant = (v: ArrayLike<number>) => {
    for (let i = 1; i < v.length; i++) if (v[i] !== v[0]) return false;
    return true;
  };
  if (constant(pred) || constant(actual)) return 0;
  let mf = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mf += pred[i];
    my += actual[i];
  }
  mf /= n;
  my /= n;
  let sfy = 0;
  let sff = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const f = pred[i] - mf;
    const y = actual[i] - my;
    sfy += f * y;
    sff += f * f;
    syy += y * y;
  }
  if (sff === 0 || syy === 0) return 0;
  return (sfy * sfy) / (sff * syy);
}

/**
 * 1 − SSE/SST over the actual values' spread. 0 when the actual values are constant and the predictions hit
 * them exactly is undefined: NaN then (no spread to explain), so a caller shows "—" instead of a number.
 */
export function r2Determination(pred: ArrayLike<number>, actual: ArrayLike<number>): number {
  check(pred, actual);
  const n = pred.length;
  let my = 0;
  for (let i = 0; i < n; i++) my += actual[i];
  my /= n;
  let sse = 0;
  let sst = 0;
  for (let i = 0; i < n; i++) {
    sse += (pred[i] - actual[i]) ** 2;
    sst += (actual[i] - my) ** 2;
  }
  return sst === 0 ? Number.NaN : 1 - sse / sst;
}

export function relativeErrors(pred: ArrayLike<number>, actual: ArrayLike<number>): number[] {
  check(pred, actual);
  const out: number[] = [];
  for (let i = 0; i < pred.length; i++) out.push(actual[i] === 0 ? Number.NaN : (pred[i] - actual[i]) / actual[i]);
  return out;
}

export function regressionMetrics(pred: ArrayLike<number>, actual: ArrayLike<number>): RegressionMetrics {
  check(pred, actual);
  const n = pred.length;
  let abs = 0;
  let sq = 0;
  let max = 0;
  let rel = 0;
  let relN = 0;
  let bias = 0;
  for (let i = 0; i < n; i++) {
    const e = pred[i] - actual[i];
    bias += e;
    abs += Math.abs(e);
    sq += e * e;
    max = Math.max(max, Math.abs(e));
    if (actual[i] !== 0) {
      rel += Math.abs(e / actual[i]);
      relN++;
    }
  }
  return { n, r2: r2Pearson(pred, actual), r2Determination: r2Determination(pred, actual), meanBias: bias / n, mae: abs / n, rmse: Math.sqrt(sq / n), maxAbsError: max, meanRelError: relN ? rel / relN : Number.NaN };
}

export interface MeanSd {
  mean: number;
  sd: number;
}

/** Mean and sample standard deviation (n − 1); sd 0 for a single value. */
export function meanSd(values: readonly number[]): MeanSd {
  if (!values.length) return { mean: Number.NaN, sd: Number.NaN };
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  if (values.length < 2) return { mean, sd: 0 };
  const v = values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1);
  return { mean, sd: Math.sqrt(v) };
}

type Summarised = 'r2' | 'r2Determination' | 'meanBias' | 'mae' | 'rmse' | 'maxAbsError' | 'meanRelError';

/** Mean ± sd of each metric over splits. */
export function summariseMetrics(list: readonly RegressionMetrics[]): Record<Summarised, MeanSd> {
  const pick = (k: Summarised) => meanSd(list.map((m) => m[k] ?? Number.NaN));
  return {
    r2: pick('r2'),
    r2Determination: pick('r2Determination'),
    meanBias: pick('meanBias'),
    mae: pick('mae'),
    rmse: pick('rmse'),
    maxAbsError: pick('maxAbsError'),
    meanRelError: pick('meanRelError'),
  };
}
