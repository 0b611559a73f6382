import { describe, it, expect } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { useWasmWithRouteReset } from '../../helpers/wasm-routes.js';
import { bits, random } from '../../helpers/float-bits.js';
import { createRng } from '../../../core/runtime/random.js';
import { blockWidth, heldFilterBlocks, useFilterBlocks } from '../../../core/ml/kernels/conv2d-forward-blocks.js';
import { buildModel, presetArchitecture } from '../../../core/ml/architecture.js';
import { relErr } from '../../helpers/rel-err.js';
import { forwardGemmPaysOff } from '../../../core/ml/kernels/conv2d-forward-gemm.js';
import { convGeometry } from '../../../core/ml/kernels/conv-geometry.js';

/**
 * A forward convolution with a filter larger than the cache runs on blocks of output channels
 * (core/ml/kernels/conv2d-forward-blocks.ts). It must give the unsplit stock kernel's numbers BIT FOR BIT — in
 * FusedConv2D (inference) and in Conv2D (the training forward) — so predictions and seeded trainings do not move.
 */

type Shape4 = [number, number, number, number];

// These tests are about the direct kernel's blocks; inference 3×3 convs would go to Winograd, so it stays off here.
const be = useWasmWithRouteReset({ winograd: false });

/** Runs fn with the split on, then off (the stock kernel whole); returns both outputs. */
function onOff(fn: () => tf.Tensor): { split: Float32Array; stock: Float32Array } {
  useFilterBlocks(true);
  const split = tf.tidy(() => fn().dataSync() as Float32Array);
  useFilterBlocks(false);
  const stock = tf.tidy(() => fn().dataSync() as Float32Array);
  useFilterBlocks(true);
  return { split, stock };
}

describe('forward convolution in blocks of output channels (wasm)', () => {
  it('splits only filters over 8 MiB, in blocks of ≤ 2 MiB: the paper model’s deepest layers, nothing of compact', () => {
    expect(blockWidth(9 * 1024, 1024)).toBe(32); // conv6_2: 38 MB
    expect(blockWidth(9 * 512, 1024)).toBe(64); // conv6_1
    expect(blockWidth(9 * 512, 512)).toBe(64); // conv5_2: 9.4 MB
    expect(blockWidth(9 * 256, 512)).toBe(0); // conv5_1: 4.7 MB, whole
    expect(blockWidth(9 * 32, 64)).toBe(0); // compact's largest
    useFilterBlocks(false);
    expect(blockWidth(9 * 1024, 1024)).toBe(0);
  });

  const cases: Array<{ x: Shape4; w: Shape4; s: [number, number]; pad: 'same' | 'valid' }> = [
    { x: [1, 11, 11, 1024], w: [3, 3, 1024, 240], s: [1, 1], pad: 'same' },
    { x: [2, 17, 8, 2048], w: [3, 2, 2048, 200], s: [2, 1], pad: 'valid' }, // blocks of 32 and a last one of 8
    { x: [2, 9, 7, 1024], w: [3, 3, 1024, 236], s: [1, 1], pad: 'same' }, // Cout not a multiple of 8
  ];
  // Enough pixels that Conv2D does not take the few-pixels matrix-product route (conv2d-forward-gemm.ts) first.

  it('FusedConv2D (bias + relu, and none + linear) and Conv2D equal the unsplit kernel bit for bit, and cpu within float tolerance', async () => {
    for (const [i, c] of cases.entries()) {
      expect(blockWidth(c.w[0] * c.w[1] * c.w[2], c.w[3])).toBeGreaterThan(0);
      expect(forwardGemmPaysOff(convGeometry(c.x, c.w, c.s, c.pad, undefined, undefined), [1, 1])).toBe(false);
      const rng = createRng(70 + i);
      const xs = random(c.x.reduce((a, b) => a * b), rng);
      const ws = random(c.w.reduce((a, b) => a * b), rng, 0.05);
      const bs = random(c.w[3], rng, 0.5);
      const x = tf.tensor4d(xs, c.x);
      const w = tf.tensor4d(ws, c.w);
      const b = tf.tensor1d(bs);
      const fused = onOff(() => tf.fused.conv2d({ x, filter: w, strides: c.s, pad: c.pad, bias: b, activation: 'relu' }));
      expect(bits(fused.split)).toEqual(bits(fused.stock));
      expect(heldFilterBlocks()).toBeGreaterThan(0); // the split route was taken
      expect(fused.split.some((v) => v === 0) && fused.split.some((v) => v > 0.1)).toBe(true); // relu did cut, and values are real
      const linear = onOff(() => tf.fused.conv2d({ x, filter: w, strides: c.s, pad: c.pad }));
      expect(bits(linear.split)).toEqual(bits(linear.stock));
      const plain = onOff(() => tf.conv2d(x, w, c.s, c.pad));
      expect(bits(plain.split)).toEqual(bits(plain.stock));
      expect(bits(plain.split)).toEqual(bits(linear.split));
      await be.use('cpu');
      const ref = tf.tidy(() => tf.conv2d(tf.tensor4d(xs, c.x), tf.tensor4d(ws, c.w), c.s, c.pad).dataSync() as Float32Array);
      await be.use('wasm');
      expect(relErr(ref, plain.split)).toBeLessThan(1e-5);
      tf.dispose([x, w, b]);
    }
  });

  it('a bias that is not one value per output channel goes to the stock kernel whole (as tfjs takes or refuses it), never cut into blocks', () => {
    const rng = createRng(9);
    const c = cases[0];
    const x = tf.tensor4d(random(c.x.reduce((a, b) => a * b), rng), c.x);
    const w = tf.tensor4d(random(c.w.reduce((a, b) => a * b), rng, 0.05), c.w);
    const b = tf.tensor1d([0.5]); // a broadcast bias: cut as 240 floats it would read past its one value
    const outcome = (): string => {
      try {
        return bits(tf.tidy(() => tf.fused.conv2d({ x, filter: w, strides: c.s, pad: c.pad, bias: b }).dataSync() as Float32Array)).join(',');
      } catch (e) {
        return `refused: ${(e as Error).message}`;
      }
    };
    const before = heldFilterBlocks();
    const split = outcome();
    expect(heldFilterBlocks()).toBe(before); // no blocks were cut for it
    useFilterBlocks(false);
    expect(split).toBe(outcome());
    tf.dispose([x, w, b]);
  });

  it('keeps a filter’s blocks while the filter lives and frees them at the first call after it is gone', () => {
    const rng = createRng(5);
    const x = tf.tensor4d(random(2 * 2 * 2 * 512, rng), [2, 2, 2, 512]);
    const conv = (w: tf.Tensor4D) => tf.tidy(() => tf.conv2d(x, w, 1, 'same').dataSync() as Float32Array);
    const w1 = tf.tensor4d(random(9 * 512 * 512, rng, 0.05), [3, 3, 512, 512]);
    const first = conv(w1);
    expect(heldFilterBlocks()).toBe(1); // the earlier tests' filters are disposed: their blocks were swept
    const tensors = tf.memory().numTensors;
    expect(bits(conv(w1))).toEqual(bits(first)); // the kept blocks give the same numbers…
    expect(heldFilterBlocks()).toBe(1); // …and are not cut again
    expect(tf.memory().numTensors).toBe(tensors); // blocks are heap data, not engine tensors: nothing leaks into tidy
    w1.dispose();
    const w2 = tf.tensor4d(random(9 * 512 * 512, rng, 0.05), [3, 3, 512, 512]);
    conv(w2);
    expect(heldFilterBlocks()).toBe(1); // w1's blocks went, w2's came
    tf.dispose([w2, x]);
  });

  it('a training step through a split layer gives the same loss and gradients bit for bit', () => {
    const rng = createRng(9);
    const x = tf.tensor4d(random(3 * 12 * 12 * 512, rng), [3, 12, 12, 512]);
    expect(forwardGemmPaysOff(convGeometry(x.shape, [3, 3, 512, 512], 1, 'same', undefined, undefined), [1, 1])).toBe(false);
    const w0 = tf.tensor4d(random(9 * 512 * 512, rng, 0.05), [3, 3, 512, 512]);
    const b0 = tf.tensor1d(random(512, rng, 0.1));
    const w = tf.variable(w0);
    const b = tf.variable(b0);
    tf.dispose([w0, b0]); // the variables hold the data now
    const step = () => {
      const { value, grads } = tf.variableGrads(() => tf.mean(tf.relu(tf.add(tf.conv2d(x, w, 1, 'same'), b))) as tf.Scalar, [w, b]);
      const out = [value.dataSync()[0], ...grads[w.name].dataSync(), ...grads[b.name].dataSync()];
      tf.dispose([value, ...Object.values(grads)]);
      return out;
    };
    useFilterBlocks(true);
    const split = step();
    expect(heldFilterBlocks()).toBe(1); // the forward took the split route (earlier tests' blocks were swept)
    useFilterBlocks(false);
    const stock = step();
    expect(bits(split)).toEqual(bits(stock));
    expect(split[0]).toBeGreaterThan(0);
    tf.dispose([x, w, b]);
  });

  it('the paper preset’s prediction (64 px, 8 dihedral-sized batch) is unchanged bit for bit; compact never splits', () => {
    for (const preset of ['paper', 'compact'] as const) {
      const a = presetArchitecture(preset, { inputSize: 64 });
      const model = buildModel(a, 3);
      const rng = createRng(4);
      const x = tf.tensor4d(random(8 * 64 * 64, rng).map((v) => (v + 1) / 2), [8, 64, 64, 1]);
      const held = heldFilterBlocks();
      const r = onOff(() => model.predict(x) as tf.Tensor);
      expect(bits(r.split)).toEqual(bits(r.stock));
      expect(new Set(r.split).size).toBeGreaterThan(1); // eight different outputs
      // Blocks were cut for the paper model's three large filters (kept while the model lives; earlier tests' filters are
      // disposed and were swept), none for compact.
      expect(heldFilterBlocks()).toBe(preset === 'paper' ? 3 : held);
      model.dispose();
      x.dispose();
    }
  });
});
