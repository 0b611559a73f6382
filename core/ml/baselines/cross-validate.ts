import { cancellationOf } from '../../runtime/cancelled.js';
import { createRng, permutation } from '../../runtime/random.js';
import { fitScaler, scaleX, scaleY, unscaleY } from './standardise.js';
import type { BaselineModel, Matrix, Params } from './types.js';

/**
 * Hyper-parameters by k-fold cross-validation with MAE as the criterion (the paper's "4-fold cross-validation
 * using MAE as the refit criterion"), then one fit on the whole training part. Every fit standardises features
 * and target with its own training rows only. The folds are drawn once from `foldSeed` and shared by every grid
 * point (and, by the caller, by every model of a split), so grid points are compared on the same rows.
 */

/** k folds of 0..n−1 by a seeded shuffle; sizes differ by at most one. */
export function kFolds(n: number, k: number, seed: number): number[][] {
  if (!Number.isInteger(k) || k < 2 || k > n) throw new Error(`${k}-fold cross-validation needs between 2 and ${n} folds`);
  const order = permutation(n, createRng(seed));
  const folds: number[][] = Array.from({ length: k }, () => []);
  order.forEach((row, i) => folds[i % k].push(row));
  return folds.map((f) => f.sort((a, b) => a - b));
}

/** Fit on (X, y) standardised by their own statistics and predict Z in the target's units. */
export async function fitAndPredict(model: BaselineModel, X: Matrix, y: readonly number[], Z: Matrix, params: Params, seed: number): Promise<number[]> {
  const s = fitScaler(X, y);
  const fitted = await model.fit(scaleX(s, X), scaleY(s, y), params, seed);
  try {
    const z = fitted.predict(scaleX(s, Z));
    const pred = unscaleY(s, z);
    for (const [i, v] of pred.entries()) if (!Number.isFinite(v)) throw new Error(`${model.label}: prediction ${i} is not finite (${JSON.stringify(params)})`);
    return pred;
  } finally {
    fitted.dispose?.();
  }
}

function mae(pred: readonly number[], actual: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < pred.length; i++) s += Math.abs(pred[i] - actual[i]);
  return s / pred.length;
}

export interface GridScore {
  params: Params;
  /** Mean over folds of the fold's MAE (target units). */
  cvMae: number;
}

export interface CvSelection {
  best: GridScore;
  scores: GridScore[];
}

export interface CvOptions {
  grid: Params[];
  folds: number[][];
  /** Seed of every fit (the same for each fold and grid point: differences come from the parameters). */
  fitSeed: number;
  signal?: AbortSignal;
  /** Called after each grid point. */
  onGridPoint?: (done: number, total: number) => void;
}

/** The grid point with the lowest mean fold MAE; a tie keeps the earlier point of the grid. */
export async function selectByCv(model: BaselineModel, X: Matrix, y: readonly number[], o: CvOptions): Promise<CvSelection> {
  if (!o.grid.length) throw new Error(`${model.label}: empty hyper-parameter grid`);
  const scores: GridScore[] = [];
  for (const [g, params] of o.grid.entries()) {
    let sum = 0;
    for (const fold of o.folds) {
      if (o.signal?.aborted) throw cancellationOf(o.signal);
      const inFold = new Set(fold);
      const trainRows = X.flatMap((_, i) => (inFold.has(i) ? [] : [i]));
      const pred = await fitAndPredict(
        model,
        trainRows.map((i) => X[i]),
        trainRows.map((i) => y[i]),
        fold.map((i) => X[i]),
        params,
        o.fitSeed,
      );
      sum += mae(
        pred,
        fold.map((i) => y[i]),
      );
    }
    scores.push({ params, cvMae: sum / o.folds.length });
    o.onGridPoint?.(g + 1, o.grid.length);
  }
  let best = scores[0];
  for (const s of scores) if (s.cvMae < best.cvMae) best = s;
  return { best, scores };
}
