import { describe, expect, it } from 'vitest';
import { fitAndPredict, gradientBoosting, kFolds, linearSvr, mlp, randomForest, rbfSvr, selectByCv, xgboost, type BaselineModel, type Params } from '../../../core/ml/baselines/index.js';
import { r2Determination } from '../../../core/ml/metrics.js';
import { createRng } from '../../../core/runtime/random.js';
import { runWorker } from '../../../core/runtime/worker.js';

/** n rows of p uniform features and a target f(x) + N(0, noise²), from a seed. */
function dataset(n: number, p: number, f: (x: number[]) => number, noise: number, seed: number): { X: number[][]; y: number[] } {
  const rng = createRng(seed);
  const X = Array.from({ length: n }, () => Array.from({ length: p }, () => rng.uniform(-1, 1)));
  return { X, y: X.map((x) => f(x) + noise * rng.normal()) };
}

// Carbon-like scale (0.4 wt.% ± 0.02) so the standardisation is exercised, not bypassed.
const linear = (x: number[]) => 0.4 + 0.02 * x[0] - 0.01 * x[1];
const step = (x: number[]) => 0.4 + (x[0] > 0 ? 0.03 : 0);

async function heldOutR2(model: BaselineModel, f: (x: number[]) => number, params: Params): Promise<number> {
  const train = dataset(80, 4, f, 0.001, 11);
  const test = dataset(40, 4, f, 0.001, 12);
  const pred = await fitAndPredict(model, train.X, train.y, test.X, params, 5);
  return r2Determination(pred, test.y);
}

describe('baseline regressors reach the known relation on held-out rows', () => {
  it('linear SVR, RBF SVR and the MLP on a linear relation with small noise', async () => {
    expect(await heldOutR2(linearSvr, linear, { C: 1, epsilon: 0.05 })).toBeGreaterThan(0.9);
    expect(await heldOutR2(rbfSvr, linear, { C: 10, gamma: 0.1, epsilon: 0.05 })).toBeGreaterThan(0.9);
    expect(await heldOutR2(mlp, linear, { hidden: '16', alpha: 0.01, learningRate: 0.01, epochs: 300 })).toBeGreaterThan(0.9);
  });

  it('random forest, gradient boosting and XGBoost on a step function', async () => {
    expect(await heldOutR2(randomForest, step, { nEstimators: 30, maxDepth: 4, maxFeatures: 1 })).toBeGreaterThan(0.9);
    expect(await heldOutR2(gradientBoosting, step, { nEstimators: 50, learningRate: 0.1, maxDepth: 2 })).toBeGreaterThan(0.9);
    expect(await heldOutR2(xgboost, step, { iterations: 50, max_depth: 2, eta: 0.3, subsample: 0.8 })).toBeGreaterThan(0.9);
  });

  it('the same seed gives the same predictions; another seed changes the forest and the boosting subsample', async () => {
    const { X, y } = dataset(60, 4, step, 0.005, 3);
    const run = (m: BaselineModel, p: Params, seed: number) => fitAndPredict(m, X, y, X.slice(0, 10), p, seed);
    const rf = { nEstimators: 10, maxDepth: 3, maxFeatures: 0.5 };
    expect(await run(randomForest, rf, 7)).toEqual(await run(randomForest, rf, 7));
    expect(await run(randomForest, rf, 7)).not.toEqual(await run(randomForest, rf, 8));
    const xg = { iterations: 20, max_depth: 2, eta: 0.3, subsample: 0.5 };
    expect(await run(xgboost, xg, 7)).toEqual(await run(xgboost, xg, 7));
    expect(await run(xgboost, xg, 7)).not.toEqual(await run(xgboost, xg, 8));
    const nn = { hidden: '8', alpha: 0.01, learningRate: 0.01, epochs: 20 };
    expect(await run(mlp, nn, 7)).toEqual(await run(mlp, nn, 7));
    expect(await run(mlp, nn, 7)).not.toEqual(await run(mlp, nn, 8));
  });
});

/** A model whose prediction is slope × the first (standardised) feature: with y = x₀ exactly, slope 1 is right. */
const slopeModel: BaselineModel = {
  id: 'slope',
  label: 'slope',
  library: 'test',
  grid: () => [],
  fit: async (_X, _y, p) => ({ predict: (Z) => Z.map((z) => Number(p.slope) * z[0]) }),
};

describe('hyper-parameters by k-fold CV with MAE as the criterion', () => {
  it('folds partition the rows, sizes differ by at most one, and depend on the seed only', () => {
    const f = kFolds(30, 4, 9);
    expect(f.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i));
    expect(f.map((x) => x.length).sort()).toEqual([7, 7, 8, 8]);
    expect(kFolds(30, 4, 9)).toEqual(f);
    expect(kFolds(30, 4, 10)).not.toEqual(f);
  });

  it('picks the grid point with the lowest mean fold MAE, scoring every point', async () => {
    const { X } = dataset(40, 2, () => 0, 0, 21);
    const y = X.map((x) => 0.4 + 0.05 * x[0]);
    const grid = [0, 0.5, 1, 2].map((slope) => ({ slope }));
    const sel = await selectByCv(slopeModel, X, y, { grid, folds: kFolds(40, 4, 1), fitSeed: 1 });
    expect(sel.best.params).toEqual({ slope: 1 });
    // Fold scaling differs a little from the fold's own, so the right slope is near, not exactly, 0.
    expect(sel.best.cvMae).toBeLessThan(0.002);
    const maes = sel.scores.map((s) => s.cvMae);
    expect(maes[0]).toBeGreaterThan(0.01);
    expect(maes[1]).toBeGreaterThan(maes[2]);
    expect(maes[3]).toBeGreaterThan(maes[2]);
  });

  it('a tie keeps the earlier grid point; cancellation stops the search', async () => {
    const { X } = dataset(20, 1, () => 0, 0, 2);
    const y = X.map((x) => x[0]);
    const sel = await selectByCv(slopeModel, X, y, { grid: [{ slope: 1, tag: 'a' }, { slope: 1, tag: 'b' }], folds: kFolds(20, 4, 1), fitSeed: 1 });
    expect(sel.best.params.tag).toBe('a');
    const ac = new AbortController();
    ac.abort();
    await expect(selectByCv(slopeModel, X, y, { grid: [{ slope: 1 }], folds: kFolds(20, 4, 1), fitSeed: 1, signal: ac.signal })).rejects.toMatchObject({ name: 'AbortError' });
  });
});

describe('in a worker thread', () => {
  it('every regressor loads and fits there, with the same predictions as in the main thread', async () => {
    const { X, y } = dataset(40, 3, step, 0.002, 31);
    const url = new URL('./fixtures/baselines-probe.worker.js', import.meta.url);
    const done = await runWorker<{ type: 'done'; preds: Record<string, number[]> }>(url, { workerData: { X, y }, what: 'baselines probe' });
    const { probeParams } = await import('./fixtures/baselines-probe.js');
    for (const [id, p] of Object.entries(probeParams)) {
      const model = [linearSvr, rbfSvr, gradientBoosting, randomForest, xgboost, mlp].find((m) => m.id === id)!;
      expect(done.preds[id], id).toEqual(await fitAndPredict(model, X, y, X.slice(0, 5), p, 3));
    }
    expect(Object.keys(done.preds)).toHaveLength(6);
  });
});

describe('loading an emscripten package', () => {
  it('removes the process-wide handlers its glue installs and drops only the expected streaming warning', async () => {
    const { requireEmscripten } = await import('../../../core/ml/baselines/load-emscripten.js');
    const counts = () => ['unhandledRejection', 'uncaughtException'].map((e) => process.listenerCount(e));
    const before = counts();
    const seen: unknown[] = [];
    const original = console.warn;
    console.warn = (...a: unknown[]) => void seen.push(a[0]);
    try {
      const file = new URL('./fixtures/emscripten-like.cjs', import.meta.url).pathname;
      const m = requireEmscripten<{ loaded: boolean; warnLater: (s: string) => void }>(file);
      expect(m.loaded).toBe(true);
      expect(counts()).toEqual(before);
      m.warnLater('falling back to ArrayBuffer instantiation');
      m.warnLater('xgboost: out of memory');
    } finally {
      console.warn = original;
    }
    expect(seen).toEqual(['a real warning', 'xgboost: out of memory']);
  });
});
