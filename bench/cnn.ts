/**
 * Carbon CNN speed on this machine: forward and train-step time per image for the `paper` and `compact`
 * presets on every backend that starts here, the train-step/forward ratio of the paper model on wasm
 * (goal ≤ 3.5), and the conv-gradient kernels against the stock wasm kernel.
 *   npx tsx bench/cnn.ts            all of it (paper on the pure-JS cpu backend is skipped: minutes per image)
 *   npx tsx bench/cnn.ts --quick    compact only + kernels
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { selectBackend } from '../core/ml/backend.js';
import { buildModel, presetArchitecture, multiplyAdds, type PresetName } from '../core/ml/architecture.js';
import { conv2dBackpropInput } from '../core/ml/kernels/conv2d-backprop-input.js';
import { conv2dBackpropFilter } from '../core/ml/kernels/conv2d-backprop-filter.js';

const quick = process.argv.includes('--quick');
const paperOnly = process.argv.includes('--paper');
const paperBatch = Number(process.argv.find((a) => a.startsWith('--paper-batch='))?.split('=')[1] ?? 8);

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
  trainMs: number;
}

async function benchModel(backend: string, preset: PresetName, batch: number, reps: number): Promise<Row> {
  const a = presetArchitecture(preset);
  const model = buildModel(a, 1);
  model.compile({ optimizer: tf.train.adam(1e-4), loss: 'meanAbsoluteError' });
  const x = tf.randomUniform([batch, a.inputSize, a.inputSize, a.channels]);
  const y = tf.randomNormal([batch, 1]);
  const forwardMs = timeMs(() => {
    const p = model.predict(x) as tf.Tensor;
    p.dataSync();
    p.dispose();
  }, reps);
  const trainMs = await timeMsAsync(async () => {
    await model.trainOnBatch(x, y);
  }, reps);
  x.dispose();
  y.dispose();
  model.dispose();
  return { backend, preset, batch, forwardMs: forwardMs / batch, trainMs: trainMs / batch };
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
  for (const pref of ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'] as const) {
    try {
      const info = await selectBackend(pref);
      if (info.name !== pref) {
        backends.push(`${pref}: not available (${info.skipped.find((k) => k.name === pref)?.reason ?? 'fell back'})`);
        continue;
      }
      backends.push(`${info.name}: ${info.detail}`);
      for (const preset of ['compact', 'paper'] as PresetName[]) {
        if (quick && preset === 'paper') continue;
        if (pref === 'cpu' && preset === 'paper') continue;
        if (paperOnly && (preset !== 'paper' || pref !== 'wasm')) continue;
        const batch = preset === 'paper' ? paperBatch : 16;
        const reps = preset === 'paper' ? 2 : pref === 'cpu' ? 1 : 5;
        rows.push(await benchModel(info.name, preset, batch, reps));
        process.stderr.write(`  done ${info.name} ${preset}\n`);
      }
    } catch (err) {
      backends.push(`${pref}: not available (${err instanceof Error ? err.message.split('\n')[0].slice(0, 120) : String(err)})`);
    }
  }
  console.log(`Backends tried:\n${backends.map((b) => `- ${b}`).join('\n')}\n`);
  console.log('| backend | preset | MMAC/img | batch | forward ms/img | train step ms/img | train/forward |');
  console.log('|---|---|---|---|---|---|---|');
  for (const r of rows) {
    const mmac = multiplyAdds(presetArchitecture(r.preset as PresetName)) / 1e6;
    console.log(`| ${r.backend} | ${r.preset} | ${mmac.toFixed(0)} | ${r.batch} | ${r.forwardMs.toFixed(1)} | ${r.trainMs.toFixed(1)} | ${(r.trainMs / r.forwardMs).toFixed(2)} |`);
  }
  const paperWasm = rows.find((r) => r.backend === 'wasm' && r.preset === 'paper');
  if (paperWasm) console.log(`\npaper model on wasm: train step / forward = ${(paperWasm.trainMs / paperWasm.forwardMs).toFixed(2)} (goal ≤ 3.5)`);
  await selectBackend('wasm');
  console.log('\nConv kernels on wasm, ms per image (batch 2): forward, stock Conv2DBackpropInput, Ferrolab Conv2DBackpropInput / Conv2DBackpropFilter, (fwd+dx+dW)/fwd');
  console.log('| layer | forward | stock dx | dx | dW | ratio |');
  console.log('|---|---|---|---|---|---|');
  for (const r of kernelRows()) console.log(r);
  console.log(
    '\nAccuracy gap compact vs paper: not measured here — one paper-model epoch on the 85-point demo billet (544 training images) takes ≈ 544 × the train step above on this CPU.',
  );
}

void main();
