/**
 * The Winograd route's held filter transforms (core/ml/kernels/conv2d-winograd.ts) and the wasm heap, paper model
 * (`npx tsx bench/winograd-memory.ts [--paper-size=224] [--batch=8]`): heap after a prediction, after the model's
 * dispose, and after allocating the model's weight bytes again (what a next model or batch would take: with the
 * transforms freed at dispose the heap has room for it; held until the route's next call, it grows).
 * Measured 2026-11-30 (paper 224 px, batch 8), MiB of wasm heap: before task 20-A (freed at the next route call) →
 * after (freed at dispose): see the table printed; figures in the report of task 20-A.
 */
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../core/ml/backend.js';
import { buildModel, presetArchitecture } from '../core/ml/architecture.js';
import { heldWinogradFilters } from '../core/ml/kernels/conv2d-winograd.js';
import { num } from './_cnn-options.js';

const heapMiB = (): number => (tf.backend() as unknown as { wasm: { HEAPU8: Uint8Array } }).wasm.HEAPU8.buffer.byteLength / 2 ** 20;

async function main(): Promise<void> {
  await selectBackend('wasm');
  const size = num('paper-size', 224);
  const batch = num('batch', 8);
  const rows: Array<[string, number, number]> = [];
  const note = (what: string) => rows.push([what, heapMiB(), heldWinogradFilters()]);
  note('start');
  const model = buildModel(presetArchitecture('paper', { inputSize: size }), 1);
  const weights = model.getWeights().reduce((s, w) => s + w.size, 0);
  const x = tf.randomUniform([batch, size, size, 1], 0, 1, 'float32', 7);
  tf.tidy(() => void (model.predict(x) as tf.Tensor).dataSync());
  note(`after a prediction (batch ${batch})`);
  model.dispose();
  note('after the model’s dispose');
  // the bytes of the filters' transforms (16/9 of the weights): what the next model's weights and transforms need
  const next = tf.zeros([Math.round((weights * 16) / 9)]);
  note('after allocating 16/9 of its weights again');
  next.dispose();
  x.dispose();
  console.log(`paper model ${size} px, ${(weights / 1e6).toFixed(1)} M weights`);
  console.log('| moment | wasm heap MiB | filters with held transforms |');
  console.log('|---|---|---|');
  for (const [what, mib, held] of rows) console.log(`| ${what} | ${mib.toFixed(0)} | ${held} |`);
}

void main();
