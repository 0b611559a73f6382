import type { Matrix } from './types.js';

/**
 * Z-scores of features and target, with the means and sds of the TRAINING rows only, so nothing of the held-out
 * rows leaks into the scaling. A constant column (sd 0) is centred and left unscaled.
 */
export interface Scaler {
  xMean: number[];
  xSd: number[];
  yMean: number;
  ySd: number;
}

function meanSd(values: readonly number[]): { mean: number; sd: number } {
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const v = values.reduce((a, b) => a + (b - mean) ** 2, 0) / n;
  const sd = Math.sqrt(v);
  return { mean, sd: sd > 1e-12 * Math.max(1, Math.abs(mean)) ? sd : 1 };
}

export function fitScaler(X: Matrix, y: readonly number[]): Scaler {
  if (!X.length || X.length !== y.length) throw new Error(`scaler: ${X.length} rows for ${y.length} targets`);
  const p = X[0].length;
  const xMean: number[] = [];
  const xSd: number[] = [];
  for (let j = 0; j < p; j++) {
    const s = meanSd(X.map((r) => r[j]));
    xMean.push(s.mean);
    xSd.push(s.sd);
  }
  const t = meanSd(y);
  return { xMean, xSd, yMean: t.mean, ySd: t.sd };
}

export function scaleX(s: Scaler, X: Matrix): Matrix {
  return X.map((r) => r.map((v, j) => (v - s.xMean[j]) / s.xSd[j]));
}

export function scaleY(s: Scaler, y: readonly number[]): number[] {
  return y.map((v) => (v - s.yMean) / s.ySd);
}

export function unscaleY(s: Scaler, z: readonly number[]): number[] {
  return z.map((v) => v * s.ySd + s.yMean);
}
