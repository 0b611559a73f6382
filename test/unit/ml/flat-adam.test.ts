import { describe, it, expect } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { FlatAdam } from '../../../core/ml/flat-adam.js';
import { createRng } from '../../../core/runtime/random.js';

describe('FlatAdam (data-parallel training’s optimizer)', () => {
  it('takes bit-identical steps to tf.train.adam on the cpu backend', async () => {
    await tf.setBackend('cpu');
    const rng = createRng(3);
    const n = 257;
    const w0 = Float32Array.from({ length: n }, () => rng.next() * 2 - 1);
    const grads = Array.from({ length: 6 }, () => Float32Array.from({ length: n }, () => (rng.next() - 0.5) * (rng.next() < 0.1 ? 100 : 0.01)));
    const cfg = { learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 };

    const ref = tf.variable(tf.tensor1d(w0));
    const opt = tf.train.adam(cfg.learningRate, cfg.beta1, cfg.beta2, cfg.epsilon);
    for (const g of grads) opt.applyGradients([{ name: ref.name, tensor: tf.tensor1d(g) }]);
    const expected = ref.dataSync() as Float32Array;

    const w = w0.slice();
    const flat = new FlatAdam(n, cfg);
    for (const g of grads) flat.apply(w, g);

    let worst = 0;
    let moved = 0;
    for (let i = 0; i < n; i++) {
      worst = Math.max(worst, Math.abs(w[i] - expected[i]));
      moved = Math.max(moved, Math.abs(w[i] - w0[i]));
    }
    expect(moved).toBeGreaterThan(0.03); // six steps of lr 0.01 moved the weights
    expect(worst).toBe(0);
    ref.dispose();
    opt.dispose();
  });

  it('refuses a non-finite setting', () => {
    expect(() => new FlatAdam(4, { learningRate: Number.NaN, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 })).toThrow(/learningRate/);
  });
});
