import * as tf from '@tensorflow/tfjs';
import { registerWasmTrainingKernels } from '../core/ml/wasm-backend.js';
import { createRng } from '../core/runtime/random.js';
import { inTrainingRun } from '../core/ml/kernels/conv2d-winograd.js';
import { largeTilesPay, useLargeTiles, useWinogradFilterGrad } from '../core/ml/kernels/winograd-filter-grad.js';
import { convGeometry } from '../core/ml/kernels/conv-geometry.js';
import { threadMs } from './_thread-cpu.js';
import { filterGradByTaps } from '../core/ml/kernels/filter-grad-taps.js';

/**
 * dW per layer of the paper model (batch 8 unless --batch=N, 224 px unless --size=N): the stock route (taps / columns /
 * conv trick, or for the first layer's one channel filter-grad-one-channel.ts against the tap-wise products) against
 * Winograd with 2×2 and with 4×4 tiles of dy (core/ml/kernels/winograd-filter-grad.ts), thread-CPU ms per image, the
 * route's pick (*), and the max relative difference of the pick from the stock route (layers where the route does not
 * apply show the stock time in every column and Δ 0).
 *   npx tsx bench/winograd-filter-grad.ts [--size=224] [--batch=8] [--reps=2] [--base=32] [--blocks=6]
 * Measured 2026-11-30, task 21-A (2-core machine, load average 9–12 from other sessions, thread CPU, --reps=2):
 * | layer | stock ms/img | 2×2 tiles | 4×4 tiles | max rel Δ |
 * |---|---|---|---|---|
 * | 224²×1→32 (taps → one channel) | 11.1 | 2.1 | | 6.9e-6 |
 * | 224²×32→32 | 55.5 | 18.3 | 13.0* | 1.1e-5 |
 * | 112²×32→64 | 22.1 | 7.4 | 5.8* | 8.8e-6 |
 * | 112²×64→64 | 41.9 | 14.6 | 9.8* | 8.7e-6 |
 * | 56²×64→128 | 20.1 | 7.0 | 5.7* | 1.1e-5 |
 * | 56²×128→128 | 65.4 | 12.6 | 9.5* | 1.1e-5 |
 * | 28²×128→256 | 21.0 | 7.7 | 4.1* | 1.2e-5 |
 * | 28²×256→256 | 91.3 | 14.1 | 7.1* | 1.2e-5 |
 * | 14²×256→512 | 17.2 | 6.0 | 4.9* | 5.9e-6 |
 * | 14²×512→512 | 33.4 | 10.9 | 9.2* | 6.3e-6 |
 * | 7²×512→1024 | 16.6 | 8.1 | 6.7* | 2.6e-6 |
 * | 7²×1024→1024 | 34.2 | 18.2 | 14.0* | 2.8e-6 |
 * | all (but the first 1→32), stock → the route's pick | 418 | 90 | | |
 * (the stock 56²×128→128 and 28²×256→256 figures are load spikes: 36 and 34 in quieter runs; Δ against the stock route.)
 * Before (the route in JavaScript transforms, 2×2 tiles only, from 32 tiles per image): 224²×32→32 60 → 31,
 * 14²×512→512 32 → 17, 7²×1024→1024 34 → 43 (so the 7 px layers stayed stock), first layer 8.0 (tap-wise products).
 */
const arg = (name: string, d: number) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? d);
const size = arg('size', 224);
const batch = arg('batch', 8);
const reps = arg('reps', 2);
const base = arg('base', 32); // compact: --size=64 --batch=16 --base=8 --blocks=4
const blocks = arg('blocks', 6);

async function main(): Promise<void> {
  await registerWasmTrainingKernels();
  await tf.setBackend('wasm');
  await tf.ready();
  const rng = createRng(7);
  console.log(`| layer | stock ms/img | 2×2 tiles | 4×4 tiles | max rel Δ |\n|---|---|---|---|---|`);
  {
    // The first layer: one channel (filter-grad-one-channel.ts) against the tap-wise products it replaced.
    const x = tf.tensor4d(Float32Array.from({ length: batch * size * size }, () => rng.next() - 0.5), [batch, size, size, 1]);
    const dy = tf.tensor4d(Float32Array.from({ length: batch * size * size * base }, () => rng.next() - 0.5), [batch, size, size, base]);
    const g = convGeometry(x.shape, [3, 3, 1, base], 1, 'same', undefined, undefined);
    const ms = [0, 0];
    let out: Float32Array[] = [];
    for (let r = 0; r < reps; r++) {
      out = [];
      for (const k of [0, 1]) {
        const t0 = threadMs();
        const t = k === 0 ? tf.tidy(() => filterGradByTaps(x, dy, g)) : (tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides: 1, pad: 'same', filterShape: [3, 3, 1, base] }) as tf.Tensor);
        out.push(t.dataSync() as Float32Array);
        t.dispose();
        ms[k] += (threadMs() - t0) / reps / batch;
      }
    }
    console.log(`| ${size}²×1→${base} (taps → one channel) | ${ms[0].toFixed(1)} | ${ms[1].toFixed(1)} | | ${relDiff(out[0], out[1]).toExponential(1)} |`);
    tf.dispose([x, dy]);
  }
  let side = size;
  let c = base;
  let tot = [0, 0];
  for (let block = 0; block < blocks; block++) {
    const pairs = block === 0 ? [[base, base]] : [[c / 2, c], [c, c]];
    for (const [cin, cout] of pairs) {
      const x = tf.tensor4d(Float32Array.from({ length: batch * side * side * cin }, () => rng.next() - 0.5), [batch, side, side, cin]);
      const dy = tf.tensor4d(Float32Array.from({ length: batch * side * side * cout }, () => rng.next() - 0.5), [batch, side, side, cout]);
      // The tensor read outside any tidy: a typed array returned by tf.tidy is walked key by key (seconds on wide layers).
      const run = () => {
        const t = inTrainingRun(() => tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides: 1, pad: 'same', filterShape: [3, 3, cin, cout] }) as tf.Tensor);
        const v = t.dataSync();
        t.dispose();
        return v;
      };
      const ms = [0, 0, 0];
      let out: Float32Array[] = [];
      for (let r = 0; r < reps; r++) {
        out = [];
        for (const v of [0, 1, 2]) {
          useWinogradFilterGrad(v > 0);
          useLargeTiles(v === 2);
          const t0 = threadMs();
          out.push(run() as Float32Array);
          ms[v] += (threadMs() - t0) / reps / batch;
        }
      }
      useWinogradFilterGrad(true);
      useLargeTiles(null);
      const large = largeTilesPay(convGeometry([batch, side, side, cin], [3, 3, cin, cout], 1, 'same', undefined, undefined));
      const pick = large ? 2 : 1;
      tot = [tot[0] + ms[0], tot[1] + ms[pick]];
      const mark = (v: number) => `${ms[v].toFixed(1)}${v === pick ? '*' : ''}`;
      console.log(`| ${side}²×${cin}→${cout} | ${ms[0].toFixed(1)} | ${mark(1)} | ${mark(2)} | ${relDiff(out[0], out[pick]).toExponential(1)} |`);
      tf.dispose([x, dy]);
    }
    side = Math.floor(side / 2);
    c *= 2;
  }
  console.log(`| all (but the first 1→${base}), stock → the route's pick | ${tot[0].toFixed(0)} | ${tot[1].toFixed(0)} | | |`);
}
function relDiff(ref: Float32Array, got: Float32Array): number {
  let num = 0, den = 0;
  for (let i = 0; i < ref.length; i++) { num = Math.max(num, Math.abs(ref[i] - got[i])); den = Math.max(den, Math.abs(ref[i])); }
  return num / den;
}

void main();
