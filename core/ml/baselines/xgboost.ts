import { requireEmscripten } from './load-emscripten.js';
import { gridOf, type BaselineModel } from './types.js';

/**
 * XGBoost-type boosting by ml-xgboost (the XGBoost C++ library compiled to wasm; gbtree booster, squared error).
 * Row subsampling 0.8 per tree (its only random choice) is seeded through XGBoost's own `seed` parameter. It
 * computes in float32, so predictions carry ~1e-7 relative rounding. Loading is asynchronous (the wasm module);
 * it loads in worker threads too (checked by the experiment's worker test).
 */

interface XgbInstance {
  train(X: number[][], y: number[]): void;
  predict(X: number[][]): number[];
  free(): void;
}
type XgbClass = new (options: Record<string, unknown>) => XgbInstance;

let loading: Promise<XgbClass> | null = null;
function loadXgb(): Promise<XgbClass> {
  loading ??= requireEmscripten<Promise<XgbClass>>('ml-xgboost');
  return loading;
}

export const xgboost: BaselineModel = {
  id: 'xgboost',
  label: 'XGBoost',
  library: 'ml-xgboost (XGBoost in wasm)',
  grid: (budget) =>
    budget === 'quick'
      ? gridOf({ iterations: [100], max_depth: [2, 4], eta: [0.1], subsample: [0.8] })
      : gridOf({ iterations: [100, 300], max_depth: [2, 3, 5], eta: [0.03, 0.1, 0.3], subsample: [0.8], min_child_weight: [1, 3] }),
  fit: async (X, y, params, seed) => {
    const XGB = await loadXgb();
    const m = new XGB({
      booster: 'gbtree',
      objective: 'reg:linear',
      iterations: Number(params.iterations),
      max_depth: Number(params.max_depth),
      eta: Number(params.eta),
      subsample: Number(params.subsample),
      min_child_weight: Number(params.min_child_weight ?? 1),
      colsample_bytree: 1,
      seed: seed % 2147483647,
      silent: 1,
    });
    m.train(X, y);
    return { predict: (Z) => m.predict(Z).map(Number), dispose: () => m.free() };
  },
};
