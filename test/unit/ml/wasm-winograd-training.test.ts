import { describe, it, expect } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { useWasmWithRouteReset } from '../../helpers/wasm-routes.js';
import { bits, random } from '../../helpers/float-bits.js';
import { createRng } from '../../../core/runtime/random.js';
import { inTrainingRun, trainingProduct, useWinograd, winogradRuns } from '../../../core/ml/kernels/conv2d-winograd.js';
import { useFmaGemm } from '../../../core/ml/kernels/gemm-fma-simd.js';
import { buildModel, presetArchitecture } from '../../../core/ml/architecture.js';
import { trainRegressor } from '../../../core/ml/trainer.js';
import { predictAll, type SampleSet } from '../../../core/ml/tensors.js';
import { paramLayout, shardGradientSum } from '../../../core/ml/data-parallel.js';
import { setWorkerCap, workerCap, workersInUse, liveWorkers } from '../../../core/runtime/worker.js';
import { relErr } from '../../helpers/rel-err.js';
import { rotatedTransposedFilter } from '../../../core/ml/kernels/conv2d-backprop-input.js';

/**
 * Training on the Winograd route (core/ml/kernels/conv2d-winograd.ts): the taped forward and dx of 3×3 stride-1
 * layers take it with the exact SIMD product (multiply, then add: IEEE, the same on every CPU), never the FMA one.
 * A step's loss and gradients stay within float tolerance of the stock kernels; a seeded training repeats bit for
 * bit, and its weights do not depend on whether relaxed SIMD (FMA) is there; data-parallel keeps its contract.
 */

const cap = workerCap();
useWasmWithRouteReset({ alsoAfterEach: () => setWorkerCap(cap) });

/** n seeded images (side px) whose target is their mean brightness, standardised. */
function brightness(n: number, side: number, seed: number): SampleSet {
  const rng = createRng(seed);
  const px = side * side;
  const x = new Float32Array(n * px);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const level = rng.next();
    let s = 0;
    for (let k = 0; k < px; k++) s += x[i * px + k] = Math.min(1, Math.max(0, level + (rng.next() - 0.5) * 0.3));
    y[i] = (s / px - 0.5) / 0.3;
  }
  return { x, y, count: n, shape: [side, side, 1] };
}

describe('training on the Winograd route (wasm, exact product)', () => {
  it('one conv: the taped forward and dx take the route with the exact product — within 1e-5 of stock, bit for bit again, and the same with FMA forced off', () => {
    const rng = createRng(80);
    const x = tf.variable(tf.tensor4d(random(3 * 12 * 12 * 16, rng), [3, 12, 12, 16])); // its gradient is dx
    const w = tf.variable(tf.tensor4d(random(9 * 16 * 24, rng, Math.sqrt(6 / 144)), [3, 3, 16, 24]));
    const b = tf.variable(tf.tensor1d(random(24, rng, 0.5)));
    const conv = () => tf.fused.conv2d({ x, filter: w, strides: 1, pad: 'same', bias: b, activation: 'relu' });
    // As in a training run (trainRegressor, a shard): its backward pass runs after the tape has closed.
    const step = () =>
      inTrainingRun(() => {
        const { value, grads } = tf.variableGrads(() => tf.mean(tf.square(conv())) as tf.Scalar, [x, w, b]);
        const out = [value.dataSync()[0], ...grads[x.name].dataSync(), ...grads[w.name].dataSync(), ...grads[b.name].dataSync()];
        tf.dispose([value, ...Object.values(grads)]);
        return out;
      });
    const before = winogradRuns();
    const on = step();
    expect(winogradRuns()).toBe(before + 2); // the taped forward and dx (16 → 24 → 16 channels, 36 tiles per image)
    expect(bits(step())).toEqual(bits(on));
    useFmaGemm(false); // inference's product off: training's does not move
    expect(bits(step())).toEqual(bits(on));
    useFmaGemm(null);
    // The taped forward is the training product: as inside a training run without a tape, not as inference
    const loss = () => tf.tidy(() => tf.mean(tf.square(conv())).dataSync()[0]);
    expect(inTrainingRun(loss)).toBe(on[0]);
    expect(trainingProduct()).toBe(false);
    const inference = loss();
    useWinograd(false);
    const stock = step();
    expect(Math.abs(on[0] - stock[0]) / stock[0]).toBeLessThan(1e-5);
    expect(Math.abs(inference - stock[0]) / stock[0]).toBeLessThan(1e-5);
    expect(on[0]).not.toBe(stock[0]); // another float path than the stock kernels
    expect(relErr(stock.slice(1), on.slice(1))).toBeLessThan(1e-5);
    tf.dispose([x, w, b]);
  });

  it('dx of a large filter on 7 px (the paper model’s 1024-channel blocks at 224 px) takes the route, not the tap products: within 1e-5 of stock, bit for bit again, FMA off the same', () => {
    // 9·344² ≥ 2^20 weights and 2·49 ≤ 344 output channels: the tap products' case (conv2d-backprop-input-gemm.ts)
    const rng = createRng(81);
    const x = tf.variable(tf.tensor4d(random(7 * 7 * 344, rng), [1, 7, 7, 344]));
    const w = tf.tensor4d(random(9 * 344 * 344, rng, Math.sqrt(6 / (9 * 344))), [3, 3, 344, 344]);
    const dx = () =>
      inTrainingRun(() => {
        const { value, grads } = tf.variableGrads(() => tf.mean(tf.square(tf.conv2d(x, w, 1, 'same'))) as tf.Scalar, [x]);
        const out = Float32Array.from(grads[x.name].dataSync());
        tf.dispose([value, ...Object.values(grads)]);
        return out;
      });
    const before = winogradRuns();
    const on = dx();
    expect(winogradRuns()).toBe(before + 2); // the taped forward and dx
    expect(bits(dx())).toEqual(bits(on));
    useFmaGemm(false);
    expect(bits(dx())).toEqual(bits(on));
    useFmaGemm(null);
    useWinograd(false);
    const stock = dx();
    expect(relErr(stock, on)).toBeLessThan(1e-5);
    expect(bits(on)).not.toEqual(bits(stock));
    tf.dispose([x, w]);
  });

  it('dx’s rotated filter (rotated-filter-simd.ts) is the filter reversed and transposed, bit for bit; other channel counts too', () => {
    const rng = createRng(82);
    for (const [ci, co] of [[64, 32], [40, 72], [12, 20], [6, 4]]) { // 72: two chunks of 32 output channels and one of 8
      const f = tf.tensor4d(random(9 * ci * co, rng), [3, 3, ci, co]);
      const got = rotatedTransposedFilter(f);
      const want = tf.transpose(tf.reverse(f, [0, 1]), [0, 1, 3, 2]);
      expect(got.shape).toEqual([3, 3, co, ci]);
      expect(bits(got.dataSync())).toEqual(bits(want.dataSync()));
      tf.dispose([f, got, want]);
    }
  });

  it('a paper-preset training step at 64 px: loss and every variable’s gradient within 1e-4 of the stock kernels', () => {
    const model = buildModel(presetArchitecture('paper', { inputSize: 64 }), 3);
    const rng = createRng(6);
    const x = tf.tensor4d(random(2 * 64 * 64, rng).map((v) => (v + 1) / 2), [2, 64, 64, 1]);
    const y = tf.tensor2d(random(2, rng), [2, 1]);
    const vars = model.trainableWeights.map((v) => v.read() as tf.Variable);
    const step = () =>
      inTrainingRun(() => {
        // Not returned from tf.tidy: it would walk the 21 M gradient values one by one looking for tensors.
        const { value, grads } = tf.variableGrads(() => tf.mean(tf.abs(tf.sub(model.apply(x, { training: false }) as tf.Tensor, y))) as tf.Scalar, vars);
        const out = { loss: value.dataSync()[0], grads: vars.map((v) => grads[v.name].dataSync() as Float32Array) };
        tf.dispose([value, ...Object.values(grads)]);
        return out;
      });
    const before = winogradRuns();
    const on = step();
    // the 7 layers with ≥ 16 tiles per image (64…8 px) but the first (one input channel), each forward and its dx
    expect(winogradRuns() - before).toBe(14);
    useWinograd(false);
    const stock = step();
    expect(Math.abs(on.loss - stock.loss) / Math.abs(stock.loss)).toBeLessThan(1e-5);
    let worst = 0;
    stock.grads.forEach((g, i) => {
      if (g.every((v) => v === 0)) expect(on.grads[i].every((v) => v === 0)).toBe(true); // a dead unit's zeros stay zeros
      else worst = Math.max(worst, relErr(g, on.grads[i]));
    });
    expect(worst).toBeLessThan(1e-4);
    expect(worst).toBeGreaterThan(0);
    tf.dispose([x, y]);
    model.dispose();
  });

  it('a seeded training run (compact, 64 px) takes the route, repeats bit for bit, gives the same weights with FMA forced off, and leaves inference its FMA product', async () => {
    const a = presetArchitecture('compact', { inputSize: 64 });
    const set = brightness(8, 64, 6);
    const run = async () => {
      const m = buildModel(a, 3);
      const r = await trainRegressor(m, set, set, { epochs: 2, batchSize: 4, learningRate: 1e-3, patience: 5, seed: 1 });
      const w = m.getWeights().flatMap((t) => Array.from(t.dataSync()));
      m.dispose();
      return { w, loss: r.history.map((h) => h.loss) };
    };
    const before = winogradRuns();
    const on = await run();
    expect(winogradRuns()).toBeGreaterThan(before);
    expect(bits((await run()).w)).toEqual(bits(on.w));
    useFmaGemm(false); // as on a PC without relaxed SIMD
    const noFma = await run();
    useFmaGemm(null);
    expect(bits(noFma.w)).toEqual(bits(on.w));
    useWinograd(false);
    const stock = await run();
    useWinograd(true);
    expect(bits(stock.w)).not.toEqual(bits(on.w)); // another float path: models differ from the stock kernels'
    on.loss.forEach((l, i) => expect(Math.abs(l - stock.loss[i]) / stock.loss[i]).toBeLessThan(0.05));
    // after the run, predictions in this thread take the inference product again
    expect(trainingProduct()).toBe(false);
    const m = buildModel(a, 3);
    const runs = winogradRuns();
    await predictAll(m, set.x, 8, set.shape);
    expect(winogradRuns()).toBeGreaterThan(runs);
    m.dispose();
  });

  // 16 px, 8 → 8 → 16 → 16 filters: three of four convs take the route (the first has one input channel)
  const arch = presetArchitecture('compact', { inputSize: 16, blocks: 2, baseFilters: 8, dense: [8], dropout: 0.2 });

  it('a data-parallel shard’s gradient takes the route with the exact product: the same bits with FMA forced off, within 1e-4 of stock', () => {
    const model = buildModel({ ...arch, dropout: 0 }, 3); // no dropout: each call would draw the next masks
    const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
    const layout = paramLayout(vars);
    const set = brightness(6, 16, 5);
    const shard = () => {
      const grads = new Float32Array(layout.total);
      const r = shardGradientSum(model, vars, { shard: 0, x: set.x, y: set.y, count: 6 }, set.shape, grads, layout);
      return [r.lossSum, ...grads];
    };
    const before = winogradRuns();
    const on = shard();
    expect(winogradRuns() - before).toBe(6); // 3 forwards and their dx (the second block's first dx included)
    useFmaGemm(false);
    expect(bits(shard())).toEqual(bits(on));
    useWinograd(false);
    const stock = shard();
    expect(relErr(stock, on)).toBeLessThan(1e-4);
    expect(bits(stock)).not.toEqual(bits(on));
    model.dispose();
  });

  it('data-parallel on the route: bit for bit for a seed and a worker count, on 2 threads or 1; 1 worker tracks the single-threaded run within 1e-4', async () => {
    setWorkerCap(2);
    const train = brightness(20, 16, 1);
    const run = async (parallel?: { workers: number }) => {
      const model = buildModel(arch, 7);
      const r = await trainRegressor(model, train, null, { epochs: 2, batchSize: 8, learningRate: 0.01, patience: 10, seed: 9, parallel });
      const w = model.getWeights().flatMap((t) => Array.from(t.dataSync()));
      model.dispose();
      return { w, loss: r.history.map((h) => h.loss), timing: r.parallel };
    };
    const a = await run({ workers: 2 });
    const b = await run({ workers: 2 });
    expect(bits(b.w)).toEqual(bits(a.w));
    expect(b.loss).toEqual(a.loss);
    expect(a.timing).toMatchObject({ workers: 2, threads: 2, steps: 6 });
    setWorkerCap(1);
    const oneThread = await run({ workers: 2 });
    setWorkerCap(2);
    expect(oneThread.timing).toMatchObject({ workers: 2, threads: 1 });
    expect(bits(oneThread.w)).toEqual(bits(a.w));
    const single = await run();
    const one = await run({ workers: 1 });
    let worst = 0;
    single.w.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - one.w[i]))));
    expect(worst).toBeLessThan(1e-4);
    one.loss.forEach((l, i) => expect(l).toBeCloseTo(single.loss[i], 5));
    expect(a.w).not.toEqual(one.w); // two shards: other dropout masks, another sum order
    expect(workersInUse()).toBe(0);
    expect(liveWorkers()).toBe(0);
  }, 120_000);
});
