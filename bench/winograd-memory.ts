/**
 * The Winograd route's held filter transforms (core/ml/kernels/conv2d-winograd.ts) and the wasm heap, paper model
 * (`npx tsx bench/winograd-memory.ts [--paper-size=224] [--batch=8]`): heap after a prediction, after the model's
 * dispose, and after building and running the next model (whose weights, made before any route call, can take the
 * place of the transforms only where those were freed at dispose).
 * Measured 2026-11-30 (paper 224 px, batch 8, 21.3 M weights), wasm heap MiB (filters with held transforms), before
 * task 20-A (transforms freed at the route's next call) → after (freed with their filter's data):
 *   | moment | before | after |
 *   |---|---|---|
 *   | after a prediction | 281 (11) | 281 (11) |
 *   | after the model's dispose | 281 (11) | 281 (0) |
 *   | after building the next model | 281 (11) | 281 (0) |
 *   | after its prediction | 404 (11) | 337 (11) |
 * (A wasm heap never shrinks; what is freed is reused by the next allocations.)
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
  // the next model (a retrained one, another stored model): its weights come before any route call
  const second = buildModel(presetArchitecture('paper', { inputSize: size }), 2);
  note('after building the next model');
  tf.tidy(() => void (second.predict(x) as tf.Tensor).dataSync());
  note('after its prediction');
  second.dispose();
  x.dispose();
  console.log(`paper model ${size} px, ${(weights / 1e6).toFixed(1)} M weights`);
  console.log('| moment | wasm heap MiB | filters with held transforms |');
  console.log('|---|---|---|');
  for (const [what, mib, held] of rows) console.log(`| ${what} | ${mib.toFixed(0)} | ${held} |`);
}

void main();
