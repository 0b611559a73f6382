import { describe, it, expect, beforeAll, afterEach } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { backends } from './setup-backends.js';
import { buildModel, presetArchitecture } from '../../../core/ml/architecture.js';
import { trainRegressor } from '../../../core/ml/trainer.js';
import { loadFlatWeights, paramLayout, shardBounds, shardGradientSum } from '../../../core/ml/data-parallel.js';
import { reduceShards } from '../../../core/ml/reduce-scatter.js';
import { leaseThreads, liveWorkers, setWorkerCap, workerCap, workersInUse } from '../../../core/runtime/worker.js';
import { brightnessSet } from '../../helpers/brightness-set.js';

const arch = presetArchitecture('compact', { inputSize: 8, blocks: 2, baseFilters: 2, dense: [8], dropout: 0.2 });
const noDropout = { ...arch, dense: [8], dropout: 0 };


const flat = (m: tf.LayersModel) => m.getWeights().flatMap((w) => Array.from(w.dataSync()));
const cap = workerCap();

beforeAll(async () => {
  await (await backends()).use('wasm');
});

afterEach(() => setWorkerCap(cap));

describe('data-parallel training', () => {
  it('the shard reduction equals the full-batch mean-loss gradient (1e-5)', () => {
    const model = buildModel(noDropout, 3);
    const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
    const layout = paramLayout(vars);
    const set = brightnessSet(10, 5);
    const shards = shardBounds(10, 3);
    expect(shards).toEqual([[0, 3], [3, 6], [6, 10]]);
    const grads = new Float32Array(layout.total * 3);
    let lossSum = 0;
    shards.forEach(([s, e], shard) => {
      const r = shardGradientSum(model, vars, { shard, x: set.x.slice(s * 64, e * 64), y: set.y.slice(s, e), count: e - s }, set.shape, grads, layout);
      lossSum += r.lossSum;
    });
    const reduced = reduceShards(grads, [0, 1, 2], layout.total, 10, new Float32Array(layout.total));
    const x = tf.tensor4d(set.x, [10, 8, 8, 1]);
    const y = tf.tensor2d(set.y, [10, 1]);
    const full = tf.variableGrads(() => tf.mean(tf.abs(tf.sub(model.apply(x, { training: true }) as tf.Tensor, y))) as tf.Scalar, vars);
    let worst = 0;
    vars.forEach((v, i) => {
      const ref = full.grads[v.name].dataSync();
      for (let k = 0; k < ref.length; k++) worst = Math.max(worst, Math.abs(ref[k] - reduced[layout.offsets[i] + k]));
    });
    expect(worst).toBeLessThan(1e-5);
    expect(Math.abs(lossSum / 10 - full.value.dataSync()[0])).toBeLessThan(1e-6);
    expect(reduced.some((g) => Math.abs(g) > 1e-3)).toBe(true); // a real gradient, not zeros
    tf.dispose([x, y, full.value, ...Object.values(full.grads)]);
    model.dispose();
  });

  it('loads the shared weights into the variables without keeping the earlier sets alive (a view on wasm, a copy on cpu)', () => {
    const model = buildModel(noDropout, 1);
    const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
    const layout = paramLayout(vars);
    const flatW = new Float32Array(layout.total);
    const before = tf.memory();
    for (let step = 1; step <= 20; step++) {
      flatW.fill(step * 0.01);
      loadFlatWeights(vars, layout, flatW, step % 2 === 0);
    }
    // 20 loads of the whole model: as many tensors and bytes as before (each load used to keep one model's worth)
    expect(tf.memory().numTensors).toBe(before.numTensors);
    expect(tf.memory().numBytes).toBe(before.numBytes);
    expect(vars.every((v) => Array.from(v.dataSync()).every((x) => Math.abs(x - 0.2) < 1e-7))).toBe(true);
    flatW.fill(0); // a copy on cpu, but wasm has copied the view into its heap too: the variables keep 0.2
    expect(vars[0].dataSync()[0]).toBeCloseTo(0.2, 7);
    model.dispose();
  });

  it('two runs with the same seed and worker count give bit-identical weights, on 2 threads or 1; 1 worker tracks the single-threaded run within 1e-4', async () => {
    setWorkerCap(2);
    const train = brightnessSet(20, 1);
    const run = async (parallel?: { workers: number }) => {
      const model = buildModel(arch, 7);
      const r = await trainRegressor(model, train, null, { epochs: 2, batchSize: 8, learningRate: 0.01, patience: 10, seed: 9, parallel });
      const w = flat(model);
      model.dispose();
      return { w, loss: r.history.map((h) => h.loss), timing: r.parallel, byEpoch: r.parallelByEpoch };
    };
    const a = await run({ workers: 2 });
    const b = await run({ workers: 2 });
    expect(b.w).toEqual(a.w);
    expect(b.loss).toEqual(a.loss);
    // 2 epochs × ⌈20 / 8⌉ steps, timed: workers vs this thread's reduce + Adam + publish.
    expect(a.timing).toMatchObject({ workers: 2, threads: 2, steps: 6 });
    // The same timing at each epoch's end (a bench leaves the warm-up epochs out with it): 3 steps, then all 6.
    expect(a.byEpoch!.map((t) => t.steps)).toEqual([3, 6]);
    expect(a.byEpoch![1]).toEqual(a.timing);
    expect(a.timing!.workerSeconds).toBeGreaterThan(0);
    expect(a.timing!.serialSeconds).toBeGreaterThan(0);
    // The fastest step (wall): above 0, at most the mean step (each step's wall is its serial part plus its wait).
    expect(a.timing!.fastestStepSeconds).toBeGreaterThan(0);
    expect(a.timing!.fastestStepSeconds).toBeLessThanOrEqual((a.timing!.workerSeconds + a.timing!.serialSeconds) / 6);
    expect(a.byEpoch![0].fastestStepSeconds).toBeGreaterThanOrEqual(a.timing!.fastestStepSeconds);
    // The workers' phases (thread-CPU): gradients, and the reduce + Adam of their slices. A thread's CPU clock
    // (/proc/thread-self/schedstat) advances at scheduler ticks, so the few microseconds this tiny model's reduce +
    // Adam take may read 0 (it did once in CI): only the sum of the phases must have moved.
    expect(a.timing!.gradCpuSeconds).toBeGreaterThanOrEqual(0);
    expect(a.timing!.reduceAdamCpuSeconds).toBeGreaterThanOrEqual(0);
    expect(a.timing!.gradCpuSeconds + a.timing!.reduceAdamCpuSeconds).toBeGreaterThan(0);
    expect(a.timing!.criticalCpuSeconds).toBeLessThanOrEqual(a.timing!.loadCpuSeconds + a.timing!.gradCpuSeconds + a.timing!.reduceAdamCpuSeconds + 1e-9);
    // The cap grants one thread: it computes both shards and the whole reduce + Adam — the same run, bit for bit.
    setWorkerCap(1);
    const oneThread = await run({ workers: 2 });
    setWorkerCap(2);
    expect(oneThread.timing).toMatchObject({ workers: 2, threads: 1, steps: 6 });
    expect(oneThread.w).toEqual(a.w);
    expect(oneThread.loss).toEqual(a.loss);
    const single = await run();
    expect(single.timing).toBeUndefined();
    const one = await run({ workers: 1 });
    let worst = 0;
    single.w.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - one.w[i]))));
    expect(worst).toBeLessThan(1e-4);
    one.loss.forEach((l, i) => expect(l).toBeCloseTo(single.loss[i], 5));
    // Two shards draw other dropout masks and sum in another order: a different (still valid) run.
    expect(a.w).not.toEqual(one.w);
    expect(workersInUse()).toBe(0);
    expect(liveWorkers()).toBe(0);
  }, 120_000);

  it('respects the app-wide cap: with a map holding a thread, training gets the rest, never more', async () => {
    setWorkerCap(2);
    const map = await leaseThreads(1);
    let most = 0;
    let mostLive = 0;
    try {
      const model = buildModel(arch, 2);
      await trainRegressor(model, brightnessSet(16, 2), null, {
        epochs: 2, batchSize: 8, learningRate: 0.01, patience: 10, seed: 1, parallel: { workers: 3 },
        onEpoch: () => {
          most = Math.max(most, workersInUse());
          mostLive = Math.max(mostLive, liveWorkers());
        },
      });
      model.dispose();
    } finally {
      map.release();
    }
    expect(most).toBe(2);
    expect(mostLive).toBe(1);
    expect(workersInUse()).toBe(0);
  }, 120_000);

  it('cancel during parallel training rejects with an AbortError and leaves no worker alive', async () => {
    setWorkerCap(2);
    const ac = new AbortController();
    let liveAtCancel = 0;
    const model = buildModel(arch, 4);
    const p = trainRegressor(model, brightnessSet(24, 3), null, {
      epochs: 50, batchSize: 8, learningRate: 0.01, patience: 100, seed: 2, parallel: { workers: 2 }, signal: ac.signal,
      onEpoch: (l) => {
        if (l.epoch === 1) {
          liveAtCancel = liveWorkers();
          ac.abort();
        }
      },
    });
    await expect(p).rejects.toMatchObject({ name: 'AbortError' });
    expect(liveAtCancel).toBe(2);
    expect(liveWorkers()).toBe(0);
    expect(workersInUse()).toBe(0);
    model.dispose();
  }, 120_000);
});

describe('data-parallel training of a model with large filters (their transposes shared by the workers)', () => {
  // 8 px, blocks of 256 → 512 → 1024 filters: two filters of ≥ 2^20 weights on 2×2 and 1×1 pixels, which the wasm
  // forward kernel streams from the transposes the workers write beside the weights (not from its own).
  const large = presetArchitecture('compact', { inputSize: 8, blocks: 3, convsPerBlock: 1, baseFilters: 256, dense: [4], dropout: 0 });

  it('1 and 2 workers replay the single-threaded run, which transposes the filters itself (1e-4)', async () => {
    setWorkerCap(2);
    const model0 = buildModel(large, 3);
    const layout = paramLayout(model0.trainableWeights.map((w) => w.read() as tf.Variable), true);
    expect(layout.transposed.map((t) => [t.k, t.n])).toEqual([[9 * 256, 512], [9 * 512, 1024]]);
    model0.dispose();
    const train = brightnessSet(6, 4);
    const run = async (parallel?: { workers: number }) => {
      const model = buildModel(large, 3);
      const r = await trainRegressor(model, train, null, { epochs: 2, batchSize: 4, learningRate: 0.001, patience: 10, seed: 5, parallel });
      const w = flat(model);
      model.dispose();
      return { w, loss: r.history.map((h) => h.loss), timing: r.parallel };
    };
    const single = await run();
    const one = await run({ workers: 1 });
    // 2 workers and a batch of 4: the in-place path, the transposes written in SIMD tiles in the shared arena, which
    // every replica's forward reads (a wrong tile would change the loss at once).
    const two = await run({ workers: 2 });
    let worst = 0;
    let worst2 = 0;
    let moved = 0;
    const start = flat(buildModel(large, 3));
    single.w.forEach((v, i) => {
      worst = Math.max(worst, Math.abs(v - one.w[i]));
      worst2 = Math.max(worst2, Math.abs(v - two.w[i]));
      moved = Math.max(moved, Math.abs(v - start[i]));
    });
    expect(moved).toBeGreaterThan(1e-3); // training moved the weights
    expect(worst).toBeLessThan(1e-4);
    expect(worst2).toBeLessThan(1e-4);
    one.loss.forEach((l, i) => expect(l).toBeCloseTo(single.loss[i], 4));
    two.loss.forEach((l, i) => expect(l).toBeCloseTo(single.loss[i], 4));
    // The workers computed the large filters in the shared arena (kernels/shared-tap-products.ts), every shard of every
    // step: forward and dx of both, dW of the 2×2 px one (the 4×4 px one's goes by Winograd) — 5 layers per shard.
    expect(one.timing!.sharedLayers).toBe(5 * one.timing!.steps);
    expect(two.timing!.sharedLayers).toBe(5 * 2 * two.timing!.steps);
    expect(liveWorkers()).toBe(0);
  }, 180_000);
});

describe('data-parallel training, cancelled with a step in flight', () => {
  it('stops the workers wherever they are (computing, or waiting at the barrier) and rejects with an AbortError', async () => {
    setWorkerCap(2);
    const ac = new AbortController();
    const model = buildModel(arch, 4);
    const p = trainRegressor(model, brightnessSet(24, 3), null, {
      epochs: 50, batchSize: 8, learningRate: 0.01, patience: 100, seed: 2, parallel: { workers: 2 }, signal: ac.signal,
      // A microtask runs at the trainer's next await: the next step's shards are then posted and being computed.
      onEpoch: (l) => {
        if (l.epoch === 1) queueMicrotask(() => ac.abort());
      },
    });
    await expect(p).rejects.toMatchObject({ name: 'AbortError' });
    expect(liveWorkers()).toBe(0);
    expect(workersInUse()).toBe(0);
    model.dispose();
  }, 120_000);
});
