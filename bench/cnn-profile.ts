/**
 * Where one training step of the paper model goes on wasm (`npm run bench cnn-profile`): every wasm kernel is
 * wrapped with a timer (self time: nested kernel calls, e.g. the conv-gradient kernels' inner convs, are
 * charged to the inner kernel), and the time outside any kernel (tape, gradient functions, tidy, Adam's JS) is
 * its own row. Prints the forward pass the same way, then the train-step/forward ratio.
 * The step's Adam is the trainer's (heap-adam.ts); --stock-adam profiles tf.train.adam's tensor ops instead.
 *   npx tsx bench/cnn-profile.ts [--paper-size=224] [--paper-batch=8] [--reps=2] [--stock-adam]
 */
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../core/ml/backend.js';
import { buildModel, presetArchitecture } from '../core/ml/architecture.js';
import { adam } from '../core/ml/heap-adam.js';
import { benchOptions, num } from './_cnn-options.js';
import { threadCpuClock, threadMs } from './_thread-cpu.js';

interface Acc {
  calls: number;
  self: number;
}
const table = new Map<string, Acc>();
const stack: number[] = []; // child time accumulated per open kernel call
const names: string[] = []; // the open kernel calls, outermost first

function wrapKernels(): void {
  for (const k of tf.getKernelsForBackend('wasm')) {
    const inner = k.kernelFunc;
    tf.unregisterKernel(k.kernelName, 'wasm');
    tf.registerKernel({
      ...k,
      kernelFunc: (args) => {
        stack.push(0);
        // A kernel called inside another is listed as outer›inner (e.g. the convs inside the gradient kernels).
        const key = names.length ? `${names[names.length - 1]}›${k.kernelName}` : k.kernelName;
        names.push(k.kernelName);
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
  const reps = num('reps', 2);
  const batch = benchOptions.paperBatch;
  const a = presetArchitecture('paper', { inputSize: benchOptions.paperSize });
  const model = buildModel(a, 1);
  const stockAdam = process.argv.includes('--stock-adam');
  model.compile({ optimizer: stockAdam ? tf.train.adam(1e-4) : adam(1e-4), loss: 'meanAbsoluteError' });
  const x = tf.randomUniform([batch, a.inputSize, a.inputSize, a.channels]);
  const y = tf.randomNormal([batch, 1]);
  const forward = () => tf.tidy(() => (model.predict(x) as tf.Tensor).dataSync());
  forward();
  await model.trainOnBatch(x, y);
  table.clear();
  let t0 = threadMs();
  for (let i = 0; i < reps; i++) forward();
  const fwd = threadMs() - t0;
  report(`forward (paper ${a.inputSize} px)`, fwd, reps, batch);
  t0 = threadMs();
  for (let i = 0; i < reps; i++) await model.trainOnBatch(x, y);
  const train = threadMs() - t0;
  report(`train step (paper ${a.inputSize} px, ${stockAdam ? 'tf.train.adam' : 'heap Adam'})`, train, reps, batch);
  console.log(`\ntrain/forward = ${(train / fwd).toFixed(2)}`);
  tf.dispose([x, y]);
  model.dispose();
}

void main();
