/**
 * Where one training step of the paper model goes on wasm (`npm run bench cnn-profile`): every wasm kernel is
 * wrapped with a timer (self time: nested kernel calls, e.g. the conv-gradient kernels' inner convs, are
 * charged to the inner kernel), and the time outside any kernel (tape, gradient functions, tidy, Adam's JS) is
 * its own row. Prints the forward pass the same way, then the train-step/forward ratio.
 * The step's Adam is the trainer's (heap-adam.ts); --stock-adam profiles tf.train.adam's tensor ops instead.
 * --shard profiles what a data-parallel gradient worker does per step instead of trainOnBatch (grad.worker.ts:
 * reload the shared weights with their transposes, then the summed-loss gradient of its shard into the shared
 * slot), with the reload as its own row; the batch is then the worker's shard (e.g. 8 of a 16 batch on 2 workers).
 * --heap-taps (with --shard) runs the large filters' products on tfjs's heap with the Wᵀ and dW copies, not in the shared
 * arena (the before of task 22-A).
 * --stock-taps runs the large filters' tap products (blocks 5-6 at 64 px) on XNNPACK's product: the before of task 21-G.
 * --stock-train keeps the training's convolutions on the stock kernels (no Winograd: the before of 2026-11-30).
 * --eager-load (with --shard) loads the large filters onto tfjs's heap at each reload instead of deferring the copy.
 *   npx tsx bench/cnn-profile.ts [--paper-size=224] [--paper-batch=8] [--reps=2] [--stock-adam] [--shard] [--by-shape] [--stock-train] [--stock-dw] [--stock-taps] [--heap-taps] [--eager-load]
 *
 * Measured 2026-11-30 (task 22-A: a worker's fixed cost per step, paper@64; 2-core VM under load 9–17 from other
 * sessions, thread CPU, six interleaved before/after pairs of `--shard --by-shape --reps=8` at shards of 4 and 16;
 * before = `--heap-taps`). Change: the large filters' tap products run in the shared arena (shared-tap-products.ts):
 * forward streams Wᵀ and dx W where the workers' Adam wrote them (no Wᵀ copy onto each replica's heap), the 2×2 px
 * layers' dW goes straight into the shard's slot (no copy-out), and the large filters' reload is deferred (fresh heap
 * storage left unwritten; copied in only by a kernel that reads a filter on the heap, none at 64 px). The same bits.
 * | T = F + n·p, ms/step | before (heap) | after (arena) |
 * |---|---|---|
 * | shard of 4 (reload + gradient), mean of 6 | 206.6 (192.7–215.3) | 195.5 (186.7–204.1) |
 * | shard of 16, mean of 6 | 548.7 (523.5–569.0) | 539.7 (530.5–554.2) |
 * | F per pair | 93.3 / 85.3 / 93.1 / 95.8 / 105.5 / 82.4 (mean 92.6) | 94.4 / 75.9 / 81.0 / 85.9 / 75.7 / 71.7 (mean 80.8) |
 * | p (per image) | 28.5 | 28.7 |
 * | F of the reload | 7.2 | 1.2 |
 * | F of the large filters' forward / dx / dW rows | 13.2 / 6.0 / 14.8 | 10.9 / 6.6 / 14.8 |
 * | F outside kernels (the gradient copy-out, tape) | 26.2 | 22.1 |
 * So F fell ~12 ms (pairwise median −10), 13 %: the copies went (reload 6, Wᵀ ~2–3, the 2×2 px dW copy-out ~4); what
 * stays is the streaming itself (each replica reads the ~18 M large-filter weights in the forward and in dx and writes
 * their dW: ~3 passes of 71 MB at ~6 GB/s ≈ 35 ms), the 4×4 px layers' dW by Winograd (its output transform, ~9 ms),
 * per-layer Winograd filter transforms and the per-kernel overhead (this bench's own thread-CPU reads included). With
 * reduce + Adam ≈ 46 ms on one worker, the CPU model gives 2 vs 1 workers (F + 16p + A)/(F + 8p + A/2) = 1.73 → 1.76
 * (before the machine's 2-thread efficiency). Checked in real data-parallel training (paper@64, 48 samples, batch 16,
 * 2 epochs, thread CPU from ParallelTiming, load 6–7.5, four interleaved pairs against the tree before, e4d53de): busiest
 * worker per step, 2 workers 385.7 / 373.6 / 376.6 / 375.7 → 355.0 / 360.9 / 374.5 / 367.1 ms (−3.6 %); 1 worker 591.6 /
 * 595.7 / 614.6 / 598.9 → 625.8 / 618.1 / 613.5 / 604.5 ms (+2.5 %: within the noise, or the shard of 16 lost a little;
 * the profile's six pairs above saw it 9 ms faster); the step's CPU 1 vs 2 workers 1.53–1.63× → 1.64–1.76×. Not done: the products' panels re-stream A once per 8 positions (a rows-
 * outer loop would stream it once: less p, the same bits), and the 4×4 px layers' Winograd dW straight into the slot
 * (one module cannot address both memories: needs wasm multi-memory, behind a flag in Node 20).
 *
 * Measured 2026-11-30 (task 21-G: what a data-parallel worker pays per step whatever its shard, paper@64; 2-core VM,
 * load 1.4–2.6 from other sessions, thread CPU, before/after interleaved; before = --stock-taps / the tap route off).
 * Fixed vs per image from `--shard --by-shape` at shards of 4 and 16 (T = F + n·p per row): ~60–120 ms fixed per step
 * (noisy), nearly all on blocks 5-6 (19 M of the model's 19.2 M weights on 4×4 and 2×2 px): each replica copies the
 * new weights in (reload, 8–11 ms), copies the large filters' Wᵀ onto its heap for the forward (~7 ms), streams
 * every large filter in the forward, dx and dW products (XNNPACK at 4–32 columns: 1024×1024×9 streamed in 6.4 ms at
 * 4 columns, ~6 GB/s) and copies its 19.2 M-float gradient out (~12 ms); a plain 76 MB copy takes 6 ms here. The
 * Winograd filter transforms and rotated dx filters are small at 64 px (layers ≤ 256×256 channels: ~2–3 ms per step).
 * Change: the large filters' tap products (forward, dx, dW tap-wise) on the exact SIMD microkernel of the Winograd
 * route (tap-products-simd.ts) instead of XNNPACK's: the same bits (whole-model gradient at shards of 3 and 8: 0 of
 * 19,175,649 floats differ; the unit test compares the routes bit for bit). 1024×1024×9 products, XNNPACK → SIMD:
 * 4 columns 6.6–7.5 → 4.5–5.1 ms, 36 columns 26–27 → 19–21 ms, 64 columns 39–41 → 31–32 ms.
 * | | before | after |
 * |---|---|---|
 * | worker's shard of 8 (`--shard --paper-batch=8 --reps=6`), ms/step | 335.9 / 338.9 / 327.2 | 312.6 / 304.8 / 313.7 |
 * | … its dx (Conv2DBackpropInput self + its products), ms/img | 6.0 | 4.5 |
 * | shard of 16, ms/step | 630.3 / 648.6 | 541.4 / 599.5 |
 * | `npm run bench cnn` scaling (2 pairs): 2 workers, img/s | 40.7 / 41.5 | 44.3 / 44.8 |
 * | … 2 workers, busiest worker ms/step | 376 / 369 | 348 / 345 |
 * | … 1 worker ms/step | 626 / 604 | 554 / 573 |
 * | … speed-up 2 vs 1 worker | 1.57× / 1.57× | 1.52× / 1.58× |
 * | … "fixed per shard" F, ms | 69 / 83 | 81 / 64 |
 * So the step got ~8 % cheaper on 1 and 2 workers alike and F did not measurably fall: what stays fixed is memory
 * traffic over the 19 M weights (the copies and the streamed filters at few columns), bandwidth-bound, which the faster
 * microkernel does not shorten. Left (each would change bits or needs a new layout, not tried): the forward's Wᵀ heap
 * copy (one of W and Wᵀ per replica would do if forward and dx streamed the same one: a new panel layout), the gradient copy-out
 * (kernels writing dW straight into the shared slot), the dx Winograd transform derived from the forward's U (its sums
 * run in another order: not bit-safe for extreme weight ranges; ~1 ms at 64 px anyway).
 *
 * Measured 2026-11-30 (issue 14, paper@64 on 2 gradient workers; the 2-core machine under load 8–10 from other
 * sessions, so thread CPU only, before/after interleaved). A worker's step, `--paper-size=64 --paper-batch=8
 * --reps=6 --shard`, ms/img (before → after):
 * | kernel (self time) | before | after | what changed |
 * |---|---|---|---|
 * | forward products of blocks 5-6 (Conv2D›BatchMatMul) | 8.4 | 5.5–6.1 | one product per tap over the positions inside the image (tap-products.ts) |
 * | dx products of blocks 5-6 (Conv2DBackpropInput›BatchMatMul) | 7.8 | 5.5–5.8 | same |
 * | dW of blocks 5-6, products + own JS | 18.2 + 4.6 (all dW) | 10.2 + 9–13 (all dW) | per tap, written in place (filter-grad-columns.ts) |
 * | stock Conv2D (blocks 1-4, unchanged) | 16.2–16.8 | 16.7–17.6 | + the per-tap gathers and scatters |
 * | shard gradient, whole | 86.4–90.2 | 78.4–81.1 | −8 % |
 * Per training step (batch 16), `npm run bench cnn -- --backends=wasm --skip=models,kernels,inference,torch
 * --max-workers=2 --scaling-epochs=2`, thread-CPU ms of the busiest worker (= the step's length on an idle machine)
 * and its parts summed over the workers, reload / gradients / reduce+Adam:
 * | paper@64 | before | after |
 * |---|---|---|
 * | 1 worker, ms/step | 1463 (5 / 1270 / 187) | 1304 (6 / 1151 / 148) |
 * | 2 workers, busiest, ms/step | 845 (12 / 1399 / 242) | 693 (11 / 1261 / 84); full-bench runs 686, 672 |
 * | 2 workers, ms/img (busiest / 16) | 52.8 | 43.3 / 42.9 / 42.0 |
 * | vs PyTorch 2 threads (22.8 ms/img, quiet machine) | 2.32 | 1.90 / 1.88 / 1.84 |
 * | 2 workers vs 1, CPU per step | 1.73× | 1.88× |
 * reduce+Adam fell from the one-pass reduce (bit-identical, 44 → 22 ms per half slice), the four-rows-per-turn
 * transposes (106 → 87 ms with reduce and Adam) and the in-place SIMD reduce + Adam in a shared wasm memory
 * (adam-shared.ts: 115 → 42 ms per worker). Paper 224 px, one thread, `--paper-size=224 --reps=2` (untouched
 * routes, two interleaved pairs): forward 275.3 / 518.3 (a load spike) → 273.6 / 276.0 ms/img, train step
 * 1069.6 / 940.7 → 908.0 / 898.0 ms/img. Wall-time figures of `npm run bench cnn` taken in the same hour are load,
 * not code (its machine check: 2 busy threads did 0.69–1.16× the work of one).
 *
 * Measured 2026-11-30 (task 20-A: training's forward and dx on Winograd with the exact SIMD product; 2-core VM, AMD
 * EPYC, load average 5–9 from other sessions, so thread CPU, before/after interleaved; "before" = the code before
 * the change, the stock kernels in training). `--paper-size=224 --reps=2`, ms/img:
 * | | before | after |
 * |---|---|---|
 * | train step, whole | 913.5 / 917.3 / 906.7 | 645.2 / 637.5 / 643.8 |
 * | its forward (Conv2D self time, with the per-step filter transforms) | 237.1 + 39.4 / 229.7 / 227.8 | 129.7 / 127.4 / 131.8 |
 * | its dx convolutions (Conv2DBackpropInput›Conv2D) | 210.9 / 211.0 / 219.5 | 90.8 / 89.7 / 90.0 |
 * | forward on the training kernels, weights fixed | 298.1 / 281.9 / 277.2 | 108.4 / 105.8 / 108.2 |
 * PyTorch 2.13 one thread, the same model and batch, process CPU time: train step 334.0 / 330.7 / 345.8 ms/img, so
 * Ferrolab / PyTorch per core 2.73 → 1.92. A data-parallel worker's shard (`--paper-batch=4 --shard`): 683 ms/img
 * (2732 ms per shard of 4, reload 10 ms): 2 workers on 2 idle cores would take ≈ 2732 + ~40 (reduce + Adam of a half
 * slice, measured at 64 px) ms per step of 8, ≈ 350 ms/img — an estimate, not a measured 2-worker run at 224 px.
 *
 * Measured 2026-11-30 (task 21-B: the training forward's and dx's filter side in wasm SIMD, dx of the 7 px layers by
 * Winograd; 2-core VM, load average 7–10 from other sessions, thread CPU, interleaved before/after pairs, "before"
 * = the tree at 0a70d93; the third pair, load 4–6, after the rotation in blocks of 32 output channels). `--paper-size=224 --by-shape --reps=2`, ms/img (sums of the by-shape rows over 0.2 %):
 * | | before | after | what changed |
 * |---|---|---|---|
 * | train step, whole | 499.8 / 500.1 / 475.1 | 448.3 / 447.8 / 427.0 | |
 * | its forward (Conv2D self time, filter transforms included) | 131.6 / 129.7 / 125.3 | 109.0 / 108.4 / 102.8 | U = G g Gᵀ in SIMD into the GEMM panels (winograd-filter-transform-simd.ts: 181 → 43 ms per step) |
 * | … of which the two 7 px layers | 39.9 / 38.0 / 39.7 | 22.6 / 24.3 / 22.1 | (their 3×3×1024×1024 filter: 113 → 24 ms per step) |
 * | its dx (Conv2DBackpropInput and what it calls) | 136.8 / 136.3 / 129.6 | 111.0 / 111.6 / 103.3 | the rotated filter in one SIMD pass; 7 px by Winograd |
 * | … of which the two 7 px layers | 45.4 / 44.9 / 43.2 | 26.1 / 26.0 / 23.2 | tap products → Winograd (rotated-filter-simd.ts: Transpose 71 → 20 ms; 8 in blocks of 32 output channels, after this table) |
 * | its dW (unchanged here) | 192.1 / 194.2 / 183.1 | 190.8 / 188.7 / 183.2 | |
 * | forward on the training kernels, weights fixed | 103.1 / 109.4 / 103.5 | 110.9 / 107.8 / 103.8 | (unchanged: its transforms are made once) |
 * | train / forward | 4.85 / 4.57 / 4.59 | 4.04 / 4.15 / 4.11 | goal 3.5 |
 * Inside the Winograd convolutions of a whole `--reps=1` run (timers added for the measurement, not kept): the 16 GEMMs
 * are 81 % of the time (exact product at 38–45 GFLOP/s, the rate of a separate multiply and add on 2 + 2 FP pipes), the
 * input transform 6 %, the output transform 5 %, the padded copy 4 %, the filter transforms 4 %; a smaller chunk of tile rows (2 or 1 MiB
 * instead of 8) and zero-filling only the border of the padded copy measured within noise, and reading the input in
 * place (no padded copy; border windows through a scratch, the same bits) 0–4 % slower (two pairs, load 5): not kept. What is left for the ratio is
 * dW (21-A) and fewer multiplies: F(4×4, 3×3) would need 2.25 instead of 4 per output (not tried here).
 */
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../core/ml/backend.js';
import { buildModel, presetArchitecture } from '../core/ml/architecture.js';
import { adam } from '../core/ml/heap-adam.js';
import { benchOptions, num } from './_cnn-options.js';
import { threadCpuClock, threadMs } from './_thread-cpu.js';
import { loadFlatWeights, paramLayout, shardGradientSum, sharedBuffers } from '../core/ml/data-parallel.js';
import { provideSharedFilter } from '../core/ml/kernels/shared-tap-products.js';
import { provideTransposedFilter } from '../core/ml/kernels/conv2d-forward-gemm.js';
import { transposeRange } from '../core/ml/reduce-scatter.js';
import { SeededDropout } from '../core/ml/seeded-dropout.js';
import { beginTrainingRun, useWinograd } from '../core/ml/kernels/conv2d-winograd.js';
import { useWinogradFilterGrad } from '../core/ml/kernels/winograd-filter-grad.js';
import { useExactTapProducts } from '../core/ml/kernels/tap-products-simd.js';

interface Acc {
  calls: number;
  self: number;
}
const table = new Map<string, Acc>();
const stack: number[] = []; // child time accumulated per open kernel call
const names: string[] = []; // the open kernel calls, outermost first
/** --by-shape: one row per kernel and input shapes (per layer), not per kernel. */
const byShape = process.argv.includes('--by-shape');

function wrapKernels(): void {
  for (const k of tf.getKernelsForBackend('wasm')) {
    const inner = k.kernelFunc;
    tf.unregisterKernel(k.kernelName, 'wasm');
    tf.registerKernel({
      ...k,
      kernelFunc: (args) => {
        stack.push(0);
        // A kernel called inside another is listed as outer›inner (e.g. the convs inside the gradient kernels).
        const own = byShape ? `${k.kernelName}(${args.inputs ? Object.values(args.inputs).filter(Boolean).map((t) => (t as tf.TensorInfo).shape.join('×')).join(',') : ''})` : k.kernelName;
        const key = names.length ? `${names[names.length - 1]}›${own}` : own;
        names.push(own);
        const t0 = threadMs();
        try {
          return inner(args);
        } finally {
          const dt = threadMs() - t0;
          const child = stack.pop()!;
          names.pop();
          if (stack.length) stack[stack.length - 1] += dt;
          const a = table.get(key) ?? { calls: 0, self: 0 };
          a.calls++;
          a.self += dt - child;
          table.set(key, a);
        }
      },
    });
  }
}

function report(title: string, totalMs: number, reps: number, batch: number): void {
  const rows = [...table.entries()].sort((a, b) => b[1].self - a[1].self);
  const inKernels = rows.reduce((s, [, a]) => s + a.self, 0);
  console.log(`\n${title}: ${(totalMs / reps / batch).toFixed(1)} ms/img ${threadCpuClock ? 'CPU time of this thread' : 'wall time'} (${reps} reps, batch ${batch})`);
  console.log('| kernel | calls/step | ms/img | share |');
  console.log('|---|---|---|---|');
  for (const [name, a] of rows) {
    if (a.self / totalMs < 0.002) continue;
    console.log(`| ${name} | ${(a.calls / reps).toFixed(0)} | ${(a.self / reps / batch).toFixed(1)} | ${((100 * a.self) / totalMs).toFixed(1)} % |`);
  }
  const outside = totalMs - inKernels;
  console.log(`| (outside kernels) | – | ${(outside / reps / batch).toFixed(1)} | ${((100 * outside) / totalMs).toFixed(1)} % |`);
  table.clear();
}

async function main(): Promise<void> {
  await selectBackend('wasm');
  wrapKernels();
  // --stock-taps: the large filters' tap products on XNNPACK's product (the before of task 21-G; the same bits).
  if (process.argv.includes('--stock-taps')) useExactTapProducts(false);
  const reps = num('reps', 2);
  const batch = benchOptions.paperBatch;
  const a = presetArchitecture('paper', { inputSize: benchOptions.paperSize });
  const model = buildModel(a, 1);
  const stockAdam = process.argv.includes('--stock-adam');
  model.compile({ optimizer: stockAdam ? tf.train.adam(1e-4) : adam(1e-4), loss: 'meanAbsoluteError' });
  const x = tf.randomUniform([batch, a.inputSize, a.inputSize, a.channels]);
  const y = tf.randomNormal([batch, 1]);
  if (process.argv.includes('--shard')) {
    shardProfile(model, x, y, reps, batch, a.inputSize);
    return;
  }
  // A train step's profile: the training kernels throughout, as in the app's training runs (core/ml/trainer.ts),
  // so the forward below is the train step's own forward (Winograd with the exact product), not inference's FMA one.
  if (process.argv.includes('--stock-train')) useWinograd(false);
  // --stock-dw: dW on the stock routes (taps / columns / conv trick), not Winograd F(3×3, 2×2): the before of that change.
  if (process.argv.includes('--stock-dw')) useWinogradFilterGrad(false);
  const endTraining = beginTrainingRun();
  const forward = () => tf.tidy(() => (model.predict(x) as tf.Tensor).dataSync());
  forward();
  await model.trainOnBatch(x, y);
  // Steady states: the forward on fixed weights (their Winograd transforms made once, here), and training with new
  // weights at every step (the untimed step below leaves weights whose transforms the first timed step must make).
  forward();
  table.clear();
  let t0 = threadMs();
  for (let i = 0; i < reps; i++) forward();
  const fwd = threadMs() - t0;
  report(`forward (paper ${a.inputSize} px)`, fwd, reps, batch);
  await model.trainOnBatch(x, y);
  table.clear();
  t0 = threadMs();
  for (let i = 0; i < reps; i++) await model.trainOnBatch(x, y);
  const train = threadMs() - t0;
  report(`train step (paper ${a.inputSize} px, ${stockAdam ? 'tf.train.adam' : 'heap Adam'})`, train, reps, batch);
  console.log(`\ntrain/forward = ${(train / fwd).toFixed(2)}`);
  endTraining();
  tf.dispose([x, y]);
  model.dispose();
}

/** A gradient worker's step (grad.worker.ts), reload and shard gradient timed apart; the kernel table is the gradient's. */
function shardProfile(model: tf.LayersModel, x: tf.Tensor, y: tf.Tensor, reps: number, batch: number, size: number): void {
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const layout = paramLayout(vars, true);
  // As a worker: weights, transposes, the gradient slot and the scratch in one shared arena (data-parallel.ts), the large
  // filters' products there (shared-tap-products.ts); --heap-taps: on tfjs's heap with copies (the before of task 22-A).
  const buf = sharedBuffers(layout.total, 1, layout.transposedTotal, layout.scratchFloats);
  const shared = !process.argv.includes('--heap-taps') && buf.arena ? { arena: buf.arena, scratch: buf.scratch } : undefined;
  const { weights, filtersT, grads } = buf;
  // As grad.worker.ts: the large filters' loads deferred (their products read the arena); --eager-load: loaded anyway.
  const deferred = shared && !process.argv.includes('--eager-load') ? new Set(layout.transposed.map((t) => t.index)) : undefined;
  vars.forEach((v, i) => weights.set(v.dataSync() as Float32Array, layout.offsets[i]));
  transposeRange(weights, layout.transposed, filtersT, 0, layout.total);
  const dropouts = model.layers.filter((l): l is SeededDropout => l instanceof SeededDropout);
  const part = { shard: 0, x: x.dataSync() as Float32Array, y: y.dataSync() as Float32Array, count: batch };
  const shape: [number, number, number] = [size, size, x.shape[3]!];
  let loadMs = 0;
  let gradMs = 0;
  const step = (s: number) => {
    const t0 = threadMs();
    loadFlatWeights(vars, layout, weights, true, deferred);
    for (const t of layout.transposed) {
      const wt = filtersT.subarray(t.tOffset, t.tOffset + t.k * t.n);
      provideTransposedFilter(vars[t.index].dataId, wt);
      if (shared) provideSharedFilter(vars[t.index].dataId, shared.arena, weights.subarray(t.offset, t.offset + t.k * t.n), wt, !deferred);
    }
    const t1 = threadMs();
    for (const d of dropouts) d.setStep(s, 0);
    shardGradientSum(model, vars, part, shape, grads, layout, shared);
    const t2 = threadMs();
    loadMs += t1 - t0;
    gradMs += t2 - t1;
  };
  step(0);
  table.clear();
  loadMs = gradMs = 0;
  for (let i = 0; i < reps; i++) step(i + 1);
  report(`shard gradient (paper ${size} px, shard of ${batch}, as a gradient worker)`, gradMs, reps, batch);
  console.log(`\nreload of the weights: ${(loadMs / reps).toFixed(1)} ms/step (${(loadMs / reps / batch).toFixed(1)} ms/img); shard gradient ${(gradMs / reps).toFixed(1)} ms/step`);
  console.log(`tensors alive: ${tf.memory().numTensors}`);
  tf.dispose([x, y]);
  model.dispose();
}

void main();
