import { describe, it, expect } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { backendsForFile } from './setup-backends.js';
import { bits } from '../../helpers/float-bits.js';
import { createRng } from '../../../core/runtime/random.js';
import { buildModel, presetArchitecture } from '../../../core/ml/architecture.js';
import { adam, HeapAdamOptimizer } from '../../../core/ml/heap-adam.js';

/**
 * The one-pass Adam step on the wasm heap must give the stock tf.train.adam's weights and moments BIT FOR BIT on
 * wasm: a seeded training then follows the same float path with either optimizer.
 */
backendsForFile('wasm');

describe('Adam on the wasm heap', () => {
  it('takes the stock optimizer’s steps bit for bit: weights, both moments, over several shapes and steps', async () => {
    const rng = createRng(41);
    const shapes = [[257], [3, 3, 4, 5], [1], [16, 7]];
    // Gradients from tiny to huge, exact zeros, and the last variable left without a gradient on one step (the stock
    // optimizer keeps moments by position in the list, so only the last one can be left out).
    const value = () => (rng.next() - 0.5) * (rng.next() < 0.1 ? 1e4 : rng.next() < 0.2 ? 1e-6 : 0.02) * (rng.next() < 0.05 ? 0 : 1);
    const w0 = shapes.map((s) => Float32Array.from({ length: tf.util.sizeFromShape(s) }, () => rng.next() * 2 - 1));
    const grads = Array.from({ length: 5 }, () => shapes.map((s) => Float32Array.from({ length: tf.util.sizeFromShape(s) }, value)));
    const run = async (opt: tf.AdamOptimizer) => {
      const vars = shapes.map((s, k) => tf.variable(tf.tensor(w0[k], s)));
      grads.forEach((gs, step) => {
        const named = vars.flatMap((v, k) => (step === 2 && k === shapes.length - 1 ? [] : [{ name: v.name, tensor: tf.tensor(gs[k], shapes[k]) }]));
        opt.applyGradients(named);
        tf.dispose(named.map((n) => n.tensor));
      });
      const out = { w: vars.map((v) => bits(v.dataSync())), state: (await opt.getWeights()).map((n) => bits(n.tensor.dataSync())) };
      const moved = Math.max(...vars.map((v, k) => Math.max(...Array.from(v.dataSync(), (x, i) => Math.abs(x - w0[k][i])))));
      tf.dispose(vars);
      opt.dispose();
      return { ...out, moved };
    };
    const start = tf.memory().numTensors;
    const stock = await run(tf.train.adam(0.01));
    const before = tf.memory().numTensors;
    const ours = await run(adam(0.01));
    expect(ours.moved).toBeGreaterThan(0.02); // five steps of lr 0.01 moved the weights
    expect(ours.w).toEqual(stock.w);
    expect(ours.state.length).toBe(1 + 2 * shapes.length); // iterations, then every m and v
    expect(ours.state).toEqual(stock.state);
    // No tensor left behind that the stock optimizer does not leave too (getWeights' iteration count and its
    // own constants outlive dispose).
    expect(tf.memory().numTensors - before).toBe(before - start);
  });

  it('leaves a clone of the weights (which shares their data) as it was', () => {
    const v = tf.variable(tf.tensor1d([1, 2, 3]));
    const copy = v.clone();
    const opt = adam(0.1);
    opt.applyGradients([{ name: v.name, tensor: tf.tensor1d([1, -1, 0.5]) }]);
    expect(Array.from(copy.dataSync())).toEqual([1, 2, 3]);
    expect(Array.from(v.dataSync()).map((x) => Math.round(x * 1000) / 1000)).toEqual([0.9, 2.1, 2.9]);
    tf.dispose([v, copy]);
    opt.dispose();
  });

  it('is an Adam to the rest of the code (data-parallel training reads its config)', () => {
    const opt = adam(0.003);
    expect(opt).toBeInstanceOf(HeapAdamOptimizer);
    expect(opt.getClassName()).toBe('Adam');
    expect(opt.getConfig()).toEqual(tf.train.adam(0.003).getConfig());
    opt.dispose();
  });
});

describe('a seeded training on wasm', () => {
  it('ends with bit-identical weights with the heap Adam and with tf.train.adam', async () => {
    const a = presetArchitecture('compact', { inputSize: 16, blocks: 2, baseFilters: 4, dense: [8], dropout: 0.1 });
    const rng = createRng(78);
    const xs = Array.from({ length: 8 * 16 * 16 }, () => rng.next());
    const ys = Array.from({ length: 8 }, () => rng.next());
    const train = async (opt: tf.Optimizer) => {
      const model = buildModel(a, 6);
      model.compile({ optimizer: opt, loss: 'meanAbsoluteError' });
      const x = tf.tensor4d(xs, [8, 16, 16, 1]);
      const y = tf.tensor2d(ys, [8, 1]);
      const w0 = model.getWeights().map((t) => bits(t.dataSync()));
      for (let i = 0; i < 6; i++) await model.trainOnBatch(x, y);
      const w = model.getWeights().map((t) => bits(t.dataSync()));
      tf.dispose([x, y]);
      model.dispose();
      return { w0, w };
    };
    const stock = await train(tf.train.adam(0.01));
    const ours = await train(adam(0.01));
    expect(ours.w).not.toEqual(ours.w0);
    expect(ours.w).toEqual(stock.w);
  });
});
