/**
 * One Adam step over the paper model's parameters on wasm (`npx tsx bench/adam-step.ts`): tf.train.adam's tensor
 * ops against heap-adam.ts's one pass, this thread's CPU ms per step (median of --reps).
 */
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../core/ml/backend.js';
import { buildModel, presetArchitecture } from '../core/ml/architecture.js';
import { adam } from '../core/ml/heap-adam.js';
import { num } from './_cnn-options.js';
import { threadMs } from './_thread-cpu.js';

async function main(): Promise<void> {
  await selectBackend('wasm');
  const reps = num('reps', 5);
  const model = buildModel(presetArchitecture('paper'), 1);
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const grads = vars.map((v) => ({ name: v.name, tensor: tf.randomNormal(v.shape) }));
  const params = vars.reduce((s, v) => s + v.size, 0);
  console.log(`\nAdam step, paper model (${(params / 1e6).toFixed(1)} M parameters), ms per step (thread CPU, median of ${reps})`);
  console.log('| optimizer | ms/step | ns/parameter |');
  console.log('|---|---|---|');
  for (const [name, opt] of [['tf.train.adam', tf.train.adam(1e-4)], ['heap Adam', adam(1e-4)]] as const) {
    opt.applyGradients(grads);
    const ts: number[] = [];
    for (let i = 0; i < reps; i++) {
      const t0 = threadMs();
      opt.applyGradients(grads);
      ts.push(threadMs() - t0);
    }
    const ms = ts.sort((a, b) => a - b)[Math.floor(reps / 2)];
    console.log(`| ${name} | ${ms.toFixed(0)} | ${((ms * 1e6) / params).toFixed(1)} |`);
    opt.dispose();
  }
}

void main();
