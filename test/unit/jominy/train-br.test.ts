import { describe, expect, it } from 'vitest';
import { trainBr } from '../../../core/jominy/train-br.js';
import { forwardOne, weightCount } from '../../../core/jominy/mlp.js';
import { createRng } from '../../../core/runtime/random.js';

// Noisy samples of a smooth curve: an over-sized network fitted without regularisation chases the
// noise; Bayesian regularisation should not.
function data(n: number, seed: number, noise: number) {
  const rng = createRng(seed);
  const x = new Float64Array(n * 2);
  const t = new Float64Array(n);
  const clean = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const a = rng.uniform(-1, 1);
    const b = rng.uniform(-1, 1);
    x[2 * i] = a;
    x[2 * i + 1] = b;
    clean[i] = 0.6 * Math.sin(2 * a) + 0.3 * b * b;
    t[i] = clean[i] + noise * rng.normal();
  }
  return { x, t, clean };
}

describe('Bayesian-regularised Levenberg–Marquardt', () => {
  it('beats unregularised LM on held-out data and reports gamma below the weight count', () => {
    const nh = 10;
    const train = data(50, 1, 0.15);
    const test = data(400, 2, 0);
    const nw = weightCount(2, nh);
    const mse = (w: Float64Array) => {
      let s = 0;
      for (let i = 0; i < 400; i++) s += (forwardOne(w, 2, nh, test.x, 2 * i) - test.clean[i]) ** 2;
      return s / 400;
    };
    const br = trainBr(train.x, train.t, 2, nh, createRng(7), { epochs: 200 });
    const lm = trainBr(train.x, train.t, 2, nh, createRng(7), { epochs: 200, regularise: false });
    const mseBr = mse(br.weights);
    const mseLm = mse(lm.weights);
    expect(nw).toBe(41);
    expect(br.gamma).toBeLessThan(nw);
    expect(br.gamma).toBeGreaterThan(2);
    // Regularised: held-out error against the clean curve is well below the noise variance (0.0225).
    expect(mseBr).toBeLessThan(0.01);
    expect(mseBr).toBeLessThan(mseLm * 0.5);
    // Unregularised LM fits the training noise: training SSE far below what the noise implies.
    expect(lm.sse / 50).toBeLessThan(br.sse / 50);
  });

  it('is deterministic for a seed', () => {
    const d = data(30, 3, 0.1);
    const a = trainBr(d.x, d.t, 2, 3, createRng(5), { epochs: 30 });
    const b = trainBr(d.x, d.t, 2, 3, createRng(5), { epochs: 30 });
    expect(Array.from(a.weights)).toEqual(Array.from(b.weights));
  });
});

describe('trace of the inverse from a Cholesky factor', () => {
  it('equals the trace of the explicit inverse', async () => {
    const { Matrix, CholeskyDecomposition, inverse } = await import('ml-matrix');
    const rng = createRng(11);
    const b = Matrix.from1DArray(6, 6, Array.from({ length: 36 }, () => rng.normal()));
    const a = b.mmul(b.transpose()).add(Matrix.eye(6, 6).mul(0.5));
    const inv = inverse(a);
    let tr = 0;
    for (let i = 0; i < 6; i++) tr += inv.get(i, i);
    const { traceOfInverse } = await import('../../../core/jominy/train-br.js');
    expect(traceOfInverse(new CholeskyDecomposition(a).lowerTriangularMatrix, 6)).toBeCloseTo(tr, 10);
  });
});
