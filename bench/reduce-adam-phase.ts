/**
 * The reduce + Adam phase of one data-parallel step, as one gradient worker runs it on its slice (reduce-scatter.ts),
 * paper model at 64 px on 2 workers (`npm run bench reduce-adam-phase [-- --reps=9 --workers=2 --paper-size=64]`):
 * this thread's CPU ms per slice (mean of --reps: the thread clock may tick in 4 ms steps, a mean of many is still true; other load on the machine stays out), split into the in-place SIMD
 * reduce + Adam (adam-shared.ts) and the large filters' transposes, in JavaScript (before) and in SIMD in the shared
 * arena (filter-transpose-simd.ts); then the whole slice as the worker runs it. Each slice is timed in turn on this
 * thread; the slices of a step run at once on separate cores in training (memory bandwidth is then shared).
 * Checks that both transposes give the same bits.
 *
 * Measured 2026-11-30 (2-core AMD EPYC shared with other sessions, load 3–10; thread CPU, mean of 25), ms per slice:
 * | workers | reduce + Adam in place | transposes JS | transposes SIMD | whole slice now | the slice before (Adam, then JS transposes) |
 * |---|---|---|---|---|---|
 * | 2 | 12.9–13.2 | 26.9–28.0 | 9.2–9.7 | 18.7–19.0 (segments fused: Adam, then the transposes from cache) | ≈ 40 |
 * | 1 | 28.6 (was the copying path) | 55.1 | 19.0 | 39.7 | ≈ 148 (scaling table: 145–151 per step) |
 * Tiles of 64 rows × 32 columns: 16 × 256 took 16 ms per 2-worker slice, 16 × 32 about 9.5 (rows n·4 bytes apart,
 * often a multiple of 4 KiB, fall in one cache set).
 */
import * as tf from '@tensorflow/tfjs';
import { buildModel, presetArchitecture } from '../core/ml/architecture.js';
import { paramLayout, sharedBuffers } from '../core/ml/data-parallel.js';
import { reduceAdamSlice, sliceBounds, sliceScratch, transposeRange, type SliceState } from '../core/ml/reduce-scatter.js';
import { reduceAdamInPlace } from '../core/ml/adam-shared.js';
import { arenaTransposer } from '../core/ml/filter-transpose-simd.js';
import { AdamClock } from '../core/ml/flat-adam.js';
import { createRng } from '../core/runtime/random.js';
import { num } from './_cnn-options.js';
import { threadCpuClock, threadMs } from './_thread-cpu.js';

async function main(): Promise<void> {
  await tf.setBackend('cpu');
  const reps = num('reps', 25);
  const workers = num('workers', 2);
  const size = num('paper-size', 64);
  const model = buildModel(presetArchitecture('paper', { inputSize: size }), 1);
  const layout = paramLayout(model.trainableWeights.map((w) => w.read() as tf.Variable), true);
  model.dispose();
  const buf = sharedBuffers(layout.total, workers, layout.transposedTotal);
  if (!buf.arena) throw new Error('no shared WebAssembly memory here: the in-place path cannot run');
  const rng = createRng(7);
  for (let i = 0; i < layout.total; i++) buf.weights[i] = rng.next() * 0.2 - 0.1;
  for (let i = 0; i < buf.grads.length; i++) buf.grads[i] = rng.next() - 0.5;
  const state: SliceState = { weights: buf.weights, m: buf.m, v: buf.v, grads: buf.grads, total: layout.total, transposed: layout.transposed, filtersT: buf.filtersT, arena: buf.arena };
  const adam = { learningRate: 1e-4, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 };
  const clock = new AdamClock(adam);
  const shards = Array.from({ length: workers }, (_, s) => s);
  const count = 16;
  const scratch = sliceScratch();
  const simd = arenaTransposer(buf.arena, buf.weights, buf.filtersT);
  if (!simd) throw new Error('the SIMD transpose cannot run here');
  const jsCopy = new Float32Array(layout.transposedTotal);
  const rows = { adam: [] as number[], tJs: [] as number[], tSimd: [] as number[], whole: [] as number[] };
  const mean = (a: number[]) => a.reduce((x, y) => x + y, 0) / a.length;
  let same = true;
  for (let rep = 0; rep < reps; rep++) {
    for (let p = 0; p < workers; p++) {
      const [from, to] = sliceBounds(layout.total, workers, p);
      let t0 = threadMs();
      reduceAdamInPlace(buf.arena, adam, clock.next(), buf.weights, buf.m, buf.v, buf.grads, layout.total, shards, count, from, to);
      rows.adam.push(threadMs() - t0);
      t0 = threadMs();
      transposeRange(buf.weights, layout.transposed, buf.filtersT, from, to);
      rows.tJs.push(threadMs() - t0);
      if (rep === 0) jsCopy.set(buf.filtersT);
      t0 = threadMs();
      transposeRange(buf.weights, layout.transposed, buf.filtersT, from, to, simd);
      rows.tSimd.push(threadMs() - t0);
      t0 = threadMs();
      reduceAdamSlice(state, shards, count, adam, clock.next(), from, to, scratch);
      rows.whole.push(threadMs() - t0);
    }
    if (rep === 0) {
      // The last slice's SIMD transpose was followed by a whole slice (its Adam moved the weights): compare on a fresh pass.
      transposeRange(buf.weights, layout.transposed, buf.filtersT, 0, layout.total);
      jsCopy.set(buf.filtersT);
      transposeRange(buf.weights, layout.transposed, buf.filtersT.fill(0), 0, layout.total, simd);
      for (let i = 0; i < jsCopy.length && same; i++) same = Object.is(jsCopy[i], buf.filtersT[i]);
    }
  }
  const large = layout.transposed.reduce((s, t) => s + t.k * t.n, 0);
  console.log(`\nReduce + Adam phase of a data-parallel step, paper model at ${size} px (${(layout.total / 1e6).toFixed(2)} M parameters, ${(large / 1e6).toFixed(2)} M in large filters), ${workers} workers: one worker's slice, ${threadCpuClock ? 'thread-CPU' : 'wall'} ms, mean of ${reps}`);
  console.log('| part | ms per slice |');
  console.log('|---|---|');
  console.log(`| reduce + Adam in place (SIMD) | ${mean(rows.adam).toFixed(1)} |`);
  console.log(`| transposes, JavaScript (before) | ${mean(rows.tJs).toFixed(1)} |`);
  console.log(`| transposes, SIMD in the arena (after) | ${mean(rows.tSimd).toFixed(1)} |`);
  console.log(`| whole slice as a worker runs it (reduceAdamSlice) | ${mean(rows.whole).toFixed(1)} |`);
  console.log(`SIMD and JavaScript transposes bit-identical: ${same ? 'yes' : 'NO'}`);
  if (!same) process.exitCode = 1;
}

void main();
