import { withValues } from './section-grid.js';
import type { PatchPrediction } from './predicted-map.js';
import { MASK, type FieldGrid, type MeasuredPoint } from './types.js';

/** One row of the point table: measured, predicted ± sd, error and relative error (paper Fig. 5). */
export interface PointComparison {
  label: string;
  xMm: number;
  yMm: number;
  /** null: the point has no reading (yet). The mean of its replicate readings. */
  measuredWtPct: number | null;
  /** How many readings measuredWtPct averages (0: none yet, 1: a single reading). */
  replicates: number;
  /** Their sample sd (n − 1), wt.%; null with fewer than two readings. */
  replicateSdWtPct: number | null;
  predictedWtPct: number | null;
  predictedSdWtPct: number | null;
  /** predicted − measured, wt.% */
  errorWtPct: number | null;
  /** (predicted − measured) / measured */
  relativeError: number | null;
  masked: string | null;
}

export interface ComparisonSummary {
  n: number;
  maeWtPct: number;
  maxAbsErrorWtPct: number;
  meanAbsRelativeError: number;
  /** Share of points with |relative error| < 5 % (the paper's headline reading of Fig. 5). */
  within5Pct: number;
  r2: number;
}

/** A sampling point that may not have a reading yet (a billet assessed by the model alone). */
export type MapPoint = Omit<MeasuredPoint, 'carbonWtPct'> & { carbonWtPct: number | null };

/** Pairs each point with the model's prediction at that same point (predictions in point order). */
export function comparePoints(points: readonly MapPoint[], predictions: readonly (PatchPrediction | null)[]): PointComparison[] {
  if (predictions.length !== points.length) throw new Error(`${predictions.length} predictions for ${points.length} points`);
  return points.map((p, i) => {
    const q = predictions[i];
    const ok = q && !q.masked && Number.isFinite(q.mean);
    const err = ok && p.carbonWtPct !== null ? q.mean - p.carbonWtPct : null;
    return {
      label: p.label,
      xMm: p.xMm,
      yMm: p.yMm,
      measuredWtPct: p.carbonWtPct,
      replicates: p.carbonWtPct === null ? 0 : (p.replicates ?? 1),
      replicateSdWtPct: p.carbonWtPct !== null && (p.replicates ?? 1) >= 2 ? (p.replicateSdWtPct ?? null) : null,
      predictedWtPct: ok ? q.mean : null,
      predictedSdWtPct: ok ? q.sd : null,
      errorWtPct: err,
      relativeError: err === null ? null : err / p.carbonWtPct!,
      masked: q?.masked ?? (q ? null : 'not predicted'),
    };
  });
}

export function summariseComparison(rows: readonly PointComparison[]): ComparisonSummary | null {
  const ok = rows.filter((r) => r.errorWtPct !== null);
  if (!ok.length) return null;
  const abs = ok.map((r) => Math.abs(r.errorWtPct!));
  const meas = ok.map((r) => r.measuredWtPct!);
  const mean = meas.reduce((a, b) => a + b, 0) / meas.length;
  const ssTot = meas.reduce((a, b) => a + (b - mean) ** 2, 0);
  const ssRes = ok.reduce((a, r) => a + r.errorWtPct! ** 2, 0);
  return {
    n: ok.length,
    maeWtPct: abs.reduce((a, b) => a + b, 0) / abs.length,
    maxAbsErrorWtPct: Math.max(...abs),
    meanAbsRelativeError: ok.reduce((a, r) => a + Math.abs(r.relativeError!), 0) / ok.length,
    within5Pct: ok.filter((r) => Math.abs(r.relativeError!) < 0.05).length / ok.length,
    r2: ssTot > 0 ? 1 - ssRes / ssTot : Number.NaN,
  };
}

/**
 * Difference layer on the predicted lattice: predicted − measured, where the measured surface is
 * evaluated at each valid patch centre. Masked predicted cells stay masked.
 */
export function differenceGrid(predicted: FieldGrid, measuredAt: (xMm: number, yMm: number) => number): FieldGrid {
  const values = new Float64Array(predicted.values.length).fill(Number.NaN);
  for (let j = 0; j < predicted.ny; j++) {
    for (let i = 0; i < predicted.nx; i++) {
      const k = j * predicted.nx + i;
      if (predicted.mask[k] !== MASK.valid) continue;
      values[k] = predicted.values[k] - measuredAt(predicted.x0Mm + i * predicted.stepMm, predicted.y0Mm + j * predicted.stepMm);
    }
  }
  return withValues(predicted, values);
}

/**
 * The uncertainty of a predicted grid as a layer of its own: the calibrated interval's half-width of each
 * valid cell, from its mean and TTA sd (`halfWidth`, e.g. core/ml/conformal.ts intervalFor). Masked cells stay
 * empty. The TTA sd alone is no uncertainty (it covered a quarter of the errors at ±2 sd), so there is no
 * default.
 */
export function uncertaintyGrid(predicted: FieldGrid, halfWidth: (mean: number, sd: number) => number): FieldGrid {
  if (!predicted.sd) throw new RangeError('this map has no uncertainty layer (only predicted maps do)');
  const values = new Float64Array(predicted.values.length).fill(Number.NaN);
  for (let k = 0; k < values.length; k++) {
    if (predicted.mask[k] === MASK.valid && Number.isFinite(predicted.values[k]) && Number.isFinite(predicted.sd[k])) values[k] = halfWidth(predicted.values[k], predicted.sd[k]);
  }
  return withValues(predicted, values);
}
