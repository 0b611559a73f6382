import { createRequire } from 'node:module';
import { createRng, permutation } from '../../runtime/random.js';
import { gridOf, type BaselineModel, type Fitted, type Matrix } from './types.js';

/**
 * Gradient boosting regression as scikit-learn's GradientBoostingRegressor (squared loss): start at the training
 * mean, then each stage fits a shallow ml-cart regression tree to the current residuals and adds it shrunk by the
 * learning rate. Written here (thirty lines on ml-cart) because the registry has no maintained pure-JS gradient
 * boosting regressor; ml-xgboost is the other, regularised, variant. With `subsample` < 1 each stage fits a
 * seeded random subset of rows without replacement (stochastic gradient boosting); 1 draws nothing. The grids keep
 * subsample 1 (scikit-learn's default): ml-cart's ~10 ms per tree makes every extra axis minutes in the full budget.
 */

interface TreeInstance {
  train(X: number[][], y: number[]): void;
  predict(X: number[][]): number[];
}
type TreeClass = new (options: Record<string, unknown>) => TreeInstance;

let treeClass: TreeClass | null = null;
function loadTree(): TreeClass {
  treeClass ??= (createRequire(import.meta.url)('ml-cart') as { DecisionTreeRegression: TreeClass }).DecisionTreeRegression;
  return treeClass;
}

export interface BoostingOptions {
  nEstimators: number;
  learningRate: number;
  maxDepth: number;
  minNumSamples?: number;
  subsample?: number;
}

export function fitGradientBoosting(X: Matrix, y: readonly number[], o: BoostingOptions, seed: number): Fitted {
  const Tree = loadTree();
  const n = X.length;
  const f0 = y.reduce((a, b) => a + b, 0) / n;
  const F = new Array<number>(n).fill(f0);
  const trees: TreeInstance[] = [];
  const sub = o.subsample ?? 1;
  const rng = createRng(seed);
  const nSub = Math.max(2, Math.round(sub * n));
  for (let m = 0; m < o.nEstimators; m++) {
    const rows = sub < 1 ? permutation(n, rng).slice(0, nSub) : Array.from({ length: n }, (_, i) => i);
    const tree = new Tree({ maxDepth: o.maxDepth, minNumSamples: o.minNumSamples ?? 3 });
    tree.train(
      rows.map((i) => X[i]),
      rows.map((i) => y[i] - F[i]),
    );
    const step = tree.predict(X);
    for (let i = 0; i < n; i++) F[i] += o.learningRate * step[i];
    trees.push(tree);
  }
  return {
    predict(Z) {
      const out = new Array<number>(Z.length).fill(f0);
      for (const t of trees) {
        const s = t.predict(Z);
        for (let i = 0; i < Z.length; i++) out[i] += o.learningRate * s[i];
      }
      return out;
    },
  };
}

export const gradientBoosting: BaselineModel = {
  id: 'gradient-boosting',
  label: 'Gradient Boosting Regressor (GBR)',
  library: 'Ferrolab (least-squares boosting of ml-cart trees)',
  grid: (budget) =>
    budget === 'quick'
      ? gridOf({ nEstimators: [100], learningRate: [0.05, 0.1], maxDepth: [2, 3] })
      : gridOf({ nEstimators: [100, 300], learningRate: [0.01, 0.05, 0.1], maxDepth: [2, 3, 4] }),
  fit: async (X, y, p, seed) =>
    fitGradientBoosting(X, y, { nEstimators: Number(p.nEstimators), learningRate: Number(p.learningRate), maxDepth: Number(p.maxDepth), subsample: Number(p.subsample ?? 1) }, seed),
};
