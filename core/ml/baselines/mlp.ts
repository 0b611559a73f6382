import { createRng } from '../../runtime/random.js';
import { gridOf, type BaselineModel, type Fitted, type Matrix } from './types.js';

/**
 * A multilayer perceptron regressor as scikit-learn's MLPRegressor: ReLU hidden layers, a linear output, squared
 * loss plus α/2n·‖W‖², Glorot-uniform initialisation, Adam on full batches (scikit-learn's batch is min(200, n):
 * the whole training part at this data size). Written in plain TypeScript rather than tfjs: with ≤ a few hundred
 * rows and a few dozen units a tfjs graph costs more in dispatch than the arithmetic, and plain doubles give the
 * same numbers for a seed on every backend, in the main thread or a worker. `hidden` is "32" or "32-16".
 */

export interface MlpOptions {
  hidden: number[];
  alpha: number;
  learningRate: number;
  epochs: number;
}

interface Layer {
  W: Float64Array; // out × in, row-major
  b: Float64Array;
  nIn: number;
  nOut: number;
}

function forward(layers: Layer[], x: readonly number[], acts: Float64Array[]): number {
  let a: ArrayLike<number> = x;
  for (let l = 0; l < layers.length; l++) {
    const { W, b, nIn, nOut } = layers[l];
    const z = acts[l];
    const last = l === layers.length - 1;
    for (let o = 0; o < nOut; o++) {
      let s = b[o];
      const row = o * nIn;
      for (let i = 0; i < nIn; i++) s += W[row + i] * a[i];
      z[o] = last || s > 0 ? s : 0;
    }
    a = z;
  }
  return acts[layers.length - 1][0];
}

export function fitMlp(X: Matrix, y: readonly number[], o: MlpOptions, seed: number): Fitted {
  const rng = createRng(seed);
  const n = X.length;
  const sizes = [X[0].length, ...o.hidden, 1];
  const layers: Layer[] = [];
  for (let l = 0; l + 1 < sizes.length; l++) {
    const nIn = sizes[l];
    const nOut = sizes[l + 1];
    const lim = Math.sqrt(6 / (nIn + nOut));
    const W = new Float64Array(nIn * nOut);
    const b = new Float64Array(nOut);
    for (let k = 0; k < W.length; k++) W[k] = rng.uniform(-lim, lim);
    for (let k = 0; k < b.length; k++) b[k] = rng.uniform(-lim, lim);
    layers.push({ W, b, nIn, nOut });
  }
  const params = layers.flatMap((L) => [L.W, L.b]);
  const grads = params.map((p) => new Float64Array(p.length));
  const m1 = params.map((p) => new Float64Array(p.length));
  const m2 = params.map((p) => new Float64Array(p.length));
  const acts = layers.map((L) => new Float64Array(L.nOut));
  const deltas = layers.map((L) => new Float64Array(L.nOut));
  const [beta1, beta2, eps] = [0.9, 0.999, 1e-8];
  for (let epoch = 1; epoch <= o.epochs; epoch++) {
    for (const g of grads) g.fill(0);
    for (let r = 0; r < n; r++) {
      const out = forward(layers, X[r], acts);
      // d(½(out − y)²)/d out, averaged over the batch below.
      deltas[layers.length - 1][0] = out - y[r];
      for (let l = layers.length - 1; l >= 0; l--) {
        const { W, nIn, nOut } = layers[l];
        const input: ArrayLike<number> = l === 0 ? X[r] : acts[l - 1];
        const gW = grads[2 * l];
        const gb = grads[2 * l + 1];
        const d = deltas[l];
        for (let j = 0; j < nOut; j++) {
          const dj = d[j];
          if (dj === 0) continue;
          gb[j] += dj;
          const row = j * nIn;
          for (let i = 0; i < nIn; i++) gW[row + i] += dj * input[i];
        }
        if (l > 0) {
          const dPrev = deltas[l - 1];
          const aPrev = acts[l - 1];
          for (let i = 0; i < nIn; i++) {
            if (aPrev[i] <= 0) {
              dPrev[i] = 0;
              continue;
            }
            let s = 0;
            for (let j = 0; j < nOut; j++) s += W[j * nIn + i] * d[j];
            dPrev[i] = s;
          }
        }
      }
    }
    const c1 = 1 - beta1 ** epoch;
    const c2 = 1 - beta2 ** epoch;
    for (let k = 0; k < params.length; k++) {
      const p = params[k];
      const g = grads[k];
      const isWeight = k % 2 === 0;
      for (let i = 0; i < p.length; i++) {
        const gi = g[i] / n + (isWeight ? (o.alpha / n) * p[i] : 0);
        m1[k][i] = beta1 * m1[k][i] + (1 - beta1) * gi;
        m2[k][i] = beta2 * m2[k][i] + (1 - beta2) * gi * gi;
        p[i] -= (o.learningRate * (m1[k][i] / c1)) / (Math.sqrt(m2[k][i] / c2) + eps);
      }
    }
  }
  return { predict: (Z) => Z.map((z) => forward(layers, z, acts)) };
}

export function parseHidden(h: string | number): number[] {
  const units = String(h).split('-').map(Number);
  if (!units.length || units.some((u) => !Number.isInteger(u) || u < 1)) throw new Error(`MLP: hidden layers "${h}" are not positive integers`);
  return units;
}

export const mlp: BaselineModel = {
  id: 'mlp',
  label: 'MLP',
  library: 'Ferrolab (plain TypeScript, Adam)',
  grid: (budget) =>
    budget === 'quick'
      ? gridOf({ hidden: ['16'], alpha: [0.01, 1], learningRate: [0.01], epochs: [300] })
      : gridOf({ hidden: ['16', '32', '32-16', '64-32'], alpha: [1e-4, 1e-2, 1, 10], learningRate: [0.001, 0.01], epochs: [500] }),
  fit: async (X, y, p, seed) =>
    fitMlp(X, y, { hidden: parseHidden(p.hidden), alpha: Number(p.alpha), learningRate: Number(p.learningRate), epochs: Number(p.epochs) }, seed),
};
