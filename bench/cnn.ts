/**
 * Carbon CNN speed on this machine (`npm run bench cnn`): forward and train-step time per image for the
 * `paper` and `compact` presets on every backend that starts here, the train-step/forward ratio of the paper
 * model on wasm (goal ≤ 3.5), the conv-gradient kernels against the stock wasm kernel, map and TTA
 * throughput through the inference pool, the data-parallel scaling table (1…N gradient workers), and the
 * PyTorch reference where python3 can import torch. Over 300 lines: one bench, one table after another.
 *   npx tsx bench/cnn.ts            all of it (paper on the pure-JS cpu backend is skipped: minutes per image)
 *   npx tsx bench/cnn.ts --quick    compact only + kernels
 * Where a paper train step's time goes, kernel by kernel (CPU time of the thread): `npm run bench cnn-profile`.
 * Sizes (flags or FERROLAB_BENCH_* env; see bench/_cnn-options.ts): --paper-size=PX --paper-batch=N
 *   --max-workers=N --scaling-samples=N --scaling-compact-samples=N --scaling-batch=N --scaling-epochs=N
 *   --scaling-warmup-steps=N (untimed steps before the timed epochs, whole epochs; default 32: V8 optimizes for dozens of steps)
 *   --map-patches=N --tta-points=N --inference-presets=compact,paper --backends=wasm,cpu --no-torch
 *   --scaling-workers=1,2,4,8,16 --skip=models,kernels,inference,scaling,torch
 *   --stock-train (a training's convolutions on the stock kernels, not Winograd with the exact product: the before
 *   of 2026-11-30); --stock-dw (dW on the stock routes, not Winograd F(3×3, 2×2): its before)
 *   npx tsx bench/cnn.ts --accuracy [--acc-epochs=N] [--acc-paper-lr=X] [--acc-size=PX] [--acc-splits=K] [--acc-models=test,compact,paper]
 *                                   what `compact` gives up against `paper` (see accuracyGap below)
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { selectBackend } from '../core/ml/backend.js';
import { benchWebGpu } from './_webgpu.js';
import { buildModel, presetArchitecture, multiplyAdds, type PresetName } from '../core/ml/architecture.js';
import { conv2dBackpropInput } from '../core/ml/kernels/conv2d-backprop-input.js';
import { conv2dBackpropFilter } from '../core/ml/kernels/conv2d-backprop-filter.js';
import { beginTrainingRun, inTrainingRun, useWinograd } from '../core/ml/kernels/conv2d-winograd.js';
import { useWinogradFilterGrad } from '../core/ml/kernels/winograd-filter-grad.js';
import { benchApp } from './_bench-app.js';
import type { TrainJobResult } from '../core/services/cnn/index.js';
import { BackendName, type BackendPreference } from '../core/api/methods/system.js';
import { physicalCores } from '../core/runtime/cores.js';
import { benchOptions } from './_cnn-options.js';
import { inferenceRow, inferenceTable, type InferenceRow } from './_cnn-inference.js';
import { scalingTable } from './_cnn-scaling.js';
import { torchPaper, torchUnavailable, type TorchFigures } from './_torch.js';

const quick = benchOptions.quick;
const paperOnly = process.argv.includes('--paper');
const paperBatch = benchOptions.paperBatch;

/**
 * The backend chain as the bench walks it. webgpu (Dawn) reads back asynchronously only, so its rows come from
 * bench/_webgpu.ts (batch cut to the device's largest buffer); asked by name, it runs on a software adapter too
 * (llvmpipe: correctness, not speed — the adapter is printed with the row).
 */
const BENCH_BACKENDS = ['tensorflow-gpu', 'webgpu', 'tensorflow', 'wasm', 'cpu'] as const;

function timeMs(fn: () => void, reps: number): number {
  fn(); // warm-up (kernel setup, XNNPACK operator creation)
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) fn();
  return (performance.now() - t0) / reps;
}

async function timeMsAsync(fn: () => Promise<void>, reps: number): Promise<number> {
  await fn();
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) await fn();
  return (performance.now() - t0) / reps;
}

interface Row {
  backend: string;
  preset: string;
  batch: number;
  forwardMs: number;
  /** The forward on the training kernels (no inference-only route): what a train step's own forward costs. */
  trainForwardMs?: number;
  trainMs: number;
}

async function benchModel(backend: string, preset: PresetName, batch: number, reps: number): Promise<Row> {
  const a = presetArchitecture(preset, preset === 'paper' ? { inputSize: benchOptions.paperSize } : {});
  const model = buildModel(a, 1);
  model.compile({ optimizer: tf.train.adam(1e-4), loss: 'meanAbsoluteError' });
  const x = tf.randomUniform([batch, a.inputSize, a.inputSize, a.channels]);
  const y = tf.randomNormal([batch, 1]);
  const forwardMs = timeMs(() => {
    const p = model.predict(x) as tf.Tensor;
    p.dataSync();
    p.dispose();
  }, reps);
  // The forward on a training's kernels (Winograd with the exact product; the filters' transforms made once here, a
  // train step makes them at every step since its weights change).
  const stockTrain = process.argv.includes('--stock-train');
  if (stockTrain) useWinograd(false);
  if (process.argv.includes('--stock-dw')) useWinogradFilterGrad(false);
  const trainForwardMs = timeMs(
    () =>
      inTrainingRun(() => {
        const p = model.predict(x) as tf.Tensor;
        p.dataSync();
        p.dispose();
      }),
    reps,
  );
  // As the app trains (core/ml/trainer.ts): a training run's kernels (the exact product).
  const endTraining = beginTrainingRun();
  let trainMs: number;
  try {
    trainMs = await timeMsAsync(async () => {
      await model.trainOnBatch(x, y);
    }, reps);
  } finally {
    endTraining();
    useWinograd(true);
    useWinogradFilterGrad(true);
  }
  x.dispose();
  y.dispose();
  model.dispose();
  return { backend, preset, batch, forwardMs: forwardMs / batch, trainForwardMs: trainForwardMs / batch, trainMs: trainMs / batch };
}

function kernelRows(): string[] {
  const out: string[] = [];
  for (const [h, ci, co] of [
    [224, 32, 32],
    [56, 128, 128],
    [14, 512, 512],
  ] as const) {
    const b = 2;
    const x = tf.randomNormal([b, h, h, ci]) as tf.Tensor4D;
    const w = tf.randomNormal([3, 3, ci, co]) as tf.Tensor4D;
    const dy = tf.randomNormal([b, h, h, co]) as tf.Tensor4D;
    const run = (f: () => tf.Tensor) => () => {
      const r = f();
      r.dataSync();
      r.dispose();
    };
    const fwd = timeMs(run(() => tf.conv2d(x, w, 1, 'same')), 3) / b;
    const stockBi = STOCK_BACKPROP_INPUT
      ? timeMs(
          run(() =>
            tf.engine().makeTensorFromTensorInfo(
              STOCK_BACKPROP_INPUT!({ inputs: { dy, filter: w }, backend: tf.backend(), attrs: { strides: 1, pad: 'same', dataFormat: 'NHWC', dimRoundingMode: undefined, inputShape: x.shape } }) as tf.TensorInfo,
            ),
          ),
          1,
        ) / b
      : Number.NaN;
    const bi = timeMs(run(() => conv2dBackpropInput(dy, w, { strides: 1, pad: 'same', inputShape: x.shape })), 3) / b;
    const bf = timeMs(run(() => conv2dBackpropFilter(x, dy, { strides: 1, pad: 'same', filterShape: w.shape })), 3) / b;
    out.push(`| ${h}×${h}×${ci}→${co} | ${fwd.toFixed(1)} | ${stockBi.toFixed(1)} | ${bi.toFixed(1)} | ${bf.toFixed(1)} | ${((fwd + bi + bf) / fwd).toFixed(2)} |`);
    tf.dispose([x, w, dy]);
  }
  return out;
}

let STOCK_BACKPROP_INPUT: ((args: unknown) => unknown) | null = null;

async function main(): Promise<void> {
  // The stock wasm Conv2DBackpropInput, kept before Ferrolab's kernels replace it.
  await tf.setBackend('wasm');
  await tf.ready();
  const stock = tf.getKernel('Conv2DBackpropInput', 'wasm');
  if (stock) {
    const { kernelFunc, setupFunc } = stock;
    setupFunc?.(tf.backend() as never);
    STOCK_BACKPROP_INPUT = kernelFunc as never;
  }
  const rows: Row[] = [];
  const backends: string[] = [];
  const inference: InferenceRow[] = [];
  for (const pref of BENCH_BACKENDS) {
    if (benchOptions.backends.length && !benchOptions.backends.includes(pref)) continue;
    if (!(BackendName.options as readonly string[]).includes(pref)) {
      backends.push(`${pref}: not in this build’s backend chain (core/ml/backend.ts)`);
      continue;
    }
    try {
      const info = await selectBackend(pref as BackendPreference);
      if (info.name !== pref) {
        backends.push(`${pref}: not available (${info.skipped.find((k) => k.name === pref)?.reason ?? 'fell back'})`);
        continue;
      }
      backends.push(`${info.name}: ${info.detail}`);
      for (const preset of ['compact', 'paper'] as PresetName[]) {
        if (quick && preset === 'paper') continue;
        if (pref === 'cpu' && preset === 'paper') continue;
        if (paperOnly && (preset !== 'paper' || pref !== 'wasm')) continue;
        if (benchOptions.skip.includes('models')) continue;
        const batch = preset === 'paper' ? paperBatch : 16;
        const reps = preset === 'paper' ? 2 : pref === 'cpu' ? 1 : 5;
        if (pref === 'webgpu') {
          const w = await benchWebGpu(preset, batch, reps);
          rows.push({ backend: `webgpu (${w.adapter})`, preset, batch: w.batch, forwardMs: w.forwardMsPerImg, trainMs: w.trainMsPerImg });
        } else rows.push(await benchModel(info.name, preset, batch, reps));
        process.stderr.write(`  done ${info.name} ${preset}\n`);
      }
      // On webgpu the pool is one thread that drives the device (core/ml/parallel-inference.ts).
      if (!paperOnly && !benchOptions.skip.includes('inference')) {
        for (const preset of benchOptions.inferencePresets as PresetName[]) {
          if (pref === 'cpu' && preset === 'paper') continue;
          inference.push(await inferenceRow(pref as BackendPreference, preset));
          process.stderr.write(`  done inference ${info.name} ${preset}\n`);
        }
      }
    } catch (err) {
      const msg = err instanceof Error ? err.message.split('\n')[0].slice(0, 120) : String(err);
      backends.push(`${pref}: not available (${msg})`);
    }
  }
  console.log(`Backends tried:\n${backends.map((b) => `- ${b}`).join('\n')}\n`);
  console.log(`forward: inference (no gradient tape; on wasm the Winograd route, FMA product); training forward: the kernels a training run takes (on wasm ${process.argv.includes('--stock-train') ? 'here the stock kernels: --stock-train' : 'Winograd with the exact product'}); train/forward against the training forward`);
  console.log('| backend | preset | MMAC/img | batch | forward ms/img | training forward ms/img | train step ms/img | train/forward |');
  console.log('|---|---|---|---|---|---|---|');
  for (const r of rows) {
    const mmac = multiplyAdds(presetArchitecture(r.preset as PresetName, r.preset === 'paper' ? { inputSize: benchOptions.paperSize } : {})) / 1e6;
    const tf_ = r.trainForwardMs ?? r.forwardMs;
    console.log(`| ${r.backend} | ${r.preset} | ${mmac.toFixed(0)} | ${r.batch} | ${r.forwardMs.toFixed(1)} | ${tf_.toFixed(1)} | ${r.trainMs.toFixed(1)} | ${(r.trainMs / tf_).toFixed(2)} |`);
  }
  const paperWasm = rows.find((r) => r.backend === 'wasm' && r.preset === 'paper');
  if (paperWasm) console.log(`\npaper model (${benchOptions.paperSize} px) on wasm: train step / training forward = ${(paperWasm.trainMs / (paperWasm.trainForwardMs ?? paperWasm.forwardMs)).toFixed(2)} (goal ≤ 3.5 at 224 px); against the inference forward ${(paperWasm.trainMs / paperWasm.forwardMs).toFixed(2)}`);
  await selectBackend('wasm');
  if (!benchOptions.skip.includes('kernels')) printKernels();
  if (inference.length) console.log(`\n${inferenceTable(inference).join('\n')}`);
  await selectBackend('wasm');
  let scaling: Awaited<ReturnType<typeof scalingTable>> | null = null;
  if (!paperOnly && !benchOptions.skip.includes('scaling')) {
    scaling = await scalingTable();
    console.log(`\n${scaling.lines.join('\n')}`);
  }
  if (benchOptions.torch) torchComparison(paperWasm ?? null, scaling?.paperBest ?? null, inference.find((r) => r.backend === 'wasm' && r.preset === 'paper') ?? null);
  console.log('\nAccuracy gap compact vs paper: run with --accuracy (a reduced, labelled comparison; minutes to tens of minutes).');
}

function printKernels(): void {
  console.log('\nConv kernels on wasm, ms per image (batch 2): forward, stock Conv2DBackpropInput, Ferrolab Conv2DBackpropInput / Conv2DBackpropFilter, (fwd+dx+dW)/fwd');
  console.log('| layer | forward | stock dx | dx | dW | ratio |');
  console.log('|---|---|---|---|---|---|');
  for (const r of kernelRows()) console.log(r);
}

/** The same figures from PyTorch (CPU) and the ratio Ferrolab / PyTorch (time per image: > 1 = Ferrolab slower). */
function torchComparison(paperWasm: Row | null, paperBest: { workers: number; imgS: number } | null, paperInfer: InferenceRow | null): void {
  const why = torchUnavailable();
  if (why) {
    console.log(`\nPyTorch reference: ${why}; no comparison.`);
    return;
  }
  const cores = physicalCores();
  const size = benchOptions.paperSize;
  const one: TorchFigures = torchPaper(1, size, paperBatch);
  const all: TorchFigures = torchPaper(cores, size, paperBatch);
  console.log(`\nPyTorch ${one.torch} (CPU) vs Ferrolab, paper model ${size} px, batch ${paperBatch}; ms per image, ratio = Ferrolab / PyTorch`);
  console.log('| figure | Ferrolab wasm, 1 thread | PyTorch 1 thread | ratio | PyTorch all cores | ratio |');
  console.log('|---|---|---|---|---|---|');
  const f = (v: number | undefined) => (v === undefined ? '–' : v.toFixed(1));
  const ratio = (a: number | undefined, b: number) => (a === undefined ? '–' : (a / b).toFixed(2));
  console.log(`| forward | ${f(paperWasm?.forwardMs)} | ${f(one.forwardMsPerImg)} | ${ratio(paperWasm?.forwardMs, one.forwardMsPerImg)} | ${f(all.forwardMsPerImg)} (${all.threads} thr.) | ${ratio(paperWasm?.forwardMs, all.forwardMsPerImg)} |`);
  console.log(`| train step | ${f(paperWasm?.trainMs)} | ${f(one.trainMsPerImg)} | ${ratio(paperWasm?.trainMs, one.trainMsPerImg)} | ${f(all.trainMsPerImg)} (${all.threads} thr.) | ${ratio(paperWasm?.trainMs, all.trainMsPerImg)} |`);
  if (paperInfer && size === 224) {
    // A TTA patch is 8 forward passes of one 224 px image (the model's own input size): ms per forward on all cores.
    const ms = 1000 / (paperInfer.ttaImgS * 8);
    console.log(`\nAll cores, inference with the paper model at 224 px: Ferrolab TTA prediction through the pool on ${paperInfer.workers} worker thread${paperInfer.workers === 1 ? '' : 's'} ${ms.toFixed(1)} ms per forward pass vs PyTorch ${all.threads} threads ${all.forwardMsPerImg.toFixed(1)} ms/img: ratio ${(ms / all.forwardMsPerImg).toFixed(2)} (goal ≤ 1.5; the app's pool gets the job threads of Settings, by default logical cores − 1)`);
  }
  if (paperBest) {
    const px = benchOptions.scalingSize;
    const tAll = torchPaper(cores, px, benchOptions.scalingBatch);
    const ms = 1000 / paperBest.imgS;
    console.log(`\nAll cores, training the paper model at ${px} px (batch ${benchOptions.scalingBatch}): Ferrolab data-parallel on ${paperBest.workers} gradient workers ${ms.toFixed(1)} ms/img (epoch throughput, incl. Adam and weight sharing) vs PyTorch ${tAll.threads} threads ${tAll.trainMsPerImg.toFixed(1)} ms/img: ratio ${(ms / tAll.trainMsPerImg).toFixed(2)} (goal ≤ 2)`);
  }
}

/**
 * Accuracy of `compact` against `paper` on the same held-out points. Full paper training (224 px, up to 500
 * epochs, Adam 1e-4) takes days on a 2-core CPU, so this is a REDUCED comparison, printed as such: the paper
 * architecture (6 blocks × 2 convs, 32…1024 filters, dense 256…16, dropout 0.2) at a 64 px input (the smallest
 * its 6 poolings allow) for a few epochs, against compact at the same 64 px and at the 32 px the unit test uses,
 * all through the app's training job on the same synthetic billet (seed 7, 1500 px, 85 points) and the same
 * random point splits (seed 42). A gap measured this way mixes architecture with under-training of the larger
 * network; it is a floor on what paper can do here, not the paper's converged accuracy.
 *
 * Measured on the 2-core shared dev machine (wasm, 1 split, seed 42: 17 test points, training-mean MAE 0.0200):
 *   compact 32 px, 3 blocks (unit test), 25 ep., lr 2e-3 : R² 0.604, MAE 0.0112, max 0.0498,  22 s
 *   compact 64 px (preset), 25 ep., lr 5e-4             : R² 0.726, MAE 0.0095, max 0.0462,  98 s
 *   paper arch. 64 px, 6 ep., lr 5e-4                    : R² 0.049, MAE 0.0200, max 0.0477, 388 s (train MAE flat: median)
 *   paper arch. 64 px, 6 ep., lr 1e-4 (paper's)          : R² 0.330, MAE 0.0165, max 0.0376, 387 s (still improving at ep. 6)
 * ≈ 65 s per paper epoch at 64 px (the 224 px paper input is ≈ 8× that per epoch): in this budget compact is the
 * better model by far; the converged paper-vs-compact gap needs a GPU or a night of CPU (--acc-epochs=200).
 */
async function accuracyGap(): Promise<void> {
  const num = (name: string, d: number) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? d);
  const epochs = num('acc-epochs', 12);
  const size = num('acc-size', 64);
  const splits = num('acc-splits', 1);
  const paperLr = num('acc-paper-lr', 5e-4);
  const { api, done: wait, close } = benchApp('cnn-acc');
  try {
    const demo = (await wait((await api['billets.loadDemo']({ seed: 7, variant: 'base', sizePx: 1500 })).id)) as { billetId: number };
    const configs = [
      { what: 'compact 32 px, 3 blocks (unit test)', preset: 'compact' as const, architecture: { inputSize: 32, blocks: 3 }, hyper: { epochs: 25, patience: 10, learningRate: 2e-3 } },
      { what: `compact ${size} px (preset, lr 5e-4)`, preset: 'compact' as const, architecture: { inputSize: size }, hyper: { epochs: 25, patience: 10 } },
      { what: `paper arch. ${size} px, ${epochs} epochs, lr ${paperLr}`, preset: 'paper' as const, architecture: { inputSize: size }, hyper: { epochs, patience: epochs, learningRate: paperLr, batchSize: 16 } },
    ];
    const keys = ['test', 'compact', 'paper'];
    const wanted = (process.argv.find((a) => a.startsWith('--acc-models='))?.split('=')[1] ?? keys.join(',')).split(',');
    const rows: string[] = [];
    for (const c of configs.filter((_, i) => wanted.includes(keys[i]))) {
      const t0 = performance.now();
      const r = (await wait((await api['cnn.train']({ billetIds: [demo.billetId], preset: c.preset, architecture: c.architecture, hyper: c.hyper, splits, refit: false, seed: 42 })).id)) as TrainJobResult;
      const s = (performance.now() - t0) / 1000;
      const sm = r.metrics.summary!.test;
      const base = r.metrics.splits.reduce((a, x) => a + x.testMaeOfTrainMean!, 0) / r.metrics.splits.length;
      const best = r.metrics.splits.map((x) => x.bestEpoch).join('/');
      const curve = r.metrics.splits[0].history;
      process.stderr.write(`  ${c.what}: train MAE ${curve[0].loss.toFixed(4)} → ${curve[curve.length - 1].loss.toFixed(4)} over ${curve.length} epochs\n`);
      rows.push(`| ${c.what} | ${sm.r2.mean.toFixed(3)} ± ${sm.r2.sd.toFixed(3)} | ${sm.mae.mean.toFixed(4)} | ${base.toFixed(4)} | ${sm.maxAbsError.mean.toFixed(4)} | ${best} | ${s.toFixed(0)} |`);
      process.stderr.write(`  done ${c.what} (${s.toFixed(0)} s)\n`);
    }
    console.log(`\nAccuracy, compact vs paper (REDUCED: synthetic billet seed 7, 1500 px, 85 points; ${splits} random point split(s), seed 42; wasm, one thread)`);
    console.log('| model | test R² (Eq. 2) | test MAE wt.% | MAE of training mean | max abs err | best epoch | train s |');
    console.log('|---|---|---|---|---|---|---|');
    for (const r of rows) console.log(r);
  } finally {
    await close();
  }
}

if (process.argv.includes('--accuracy')) void accuracyGap();
else void main();
