import { createRequire } from 'node:module';
import { gridOf, type BaselineModel } from './types.js';

/**
 * Random forest regression by ml-random-forest (bootstrap of the rows, a random subset of features per TREE —
 * its feature bagging is per tree, not per split as scikit-learn's — and ml-cart trees). The bootstraps and
 * feature draws come from the seed given (its Mersenne Twister). `maxFeatures` is a fraction of the features,
 * turned into a count here: the library reads 1.0 as the integer 1. ml-cart grows a tree in ~10 ms at ~70 rows on
 * the 2-core machine, so the full grid keeps 200 trees (scikit-learn's default is 100) rather than also trying 500.
 */

interface RfInstance {
  train(X: number[][], y: number[]): void;
  predict(X: number[][]): number[];
}
type RfClass = new (options: Record<string, unknown>) => RfInstance;

let rfClass: RfClass | null = null;
function loadRf(): RfClass {
  rfClass ??= (createRequire(import.meta.url)('ml-random-forest') as { RandomForestRegression: RfClass }).RandomForestRegression;
  return rfClass;
}

export const randomForest: BaselineModel = {
  id: 'random-forest',
  label: 'Random Forest (RF)',
  library: 'ml-random-forest (ml-cart trees)',
  grid: (budget) =>
    budget === 'quick'
      ? gridOf({ nEstimators: [50], maxDepth: [4, 8], maxFeatures: [0.5, 1] })
      : gridOf({ nEstimators: [200], maxDepth: [3, 5, 8, 12], maxFeatures: [0.33, 0.66, 1], minNumSamples: [2, 5] }),
  fit: async (X, y, params, seed) => {
    const RF = loadRf();
    const p = X[0].length;
    const rf = new RF({
      nEstimators: Number(params.nEstimators),
      maxFeatures: Math.max(1, Math.min(p, Math.round(Number(params.maxFeatures) * p))),
      replacement: false,
      useSampleBagging: true,
      noOOB: true,
      seed: seed | 0,
      treeOptions: { maxDepth: Number(params.maxDepth), minNumSamples: Number(params.minNumSamples ?? 3) },
    });
    rf.train(X, y);
    return { predict: (Z) => rf.predict(Z) };
  },
};
