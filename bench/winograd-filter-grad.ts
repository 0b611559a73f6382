import * as tf from '@tensorflow/tfjs';
import { registerWasmTrainingKernels } from '../core/ml/wasm-backend.js';
import { createRng } from '../core/runtime/random.js';
import { inTrainingRun } from '../core/ml/kernels/conv2d-winograd.js';
import { useWinogradFilterGrad } from '../core/ml/kernels/winograd-filter-grad.js';
import { threadMs } from './_thread-cpu.js';

/**
 * dW per layer of the paper model (batch 8 unless --batch=N, 224 px unless --size=N): the stock route (taps / columns /
 * conv trick) against Winograd F(3×3, 2×2) (core/ml/kernels/winograd-filter-grad.ts), thread-CPU ms per image, and
 * the max relative difference (layers where the route does not apply show the stock route twice and Δ 0).
 *   npx tsx bench/winograd-filter-grad.ts [--size=224] [--batch=8] [--reps=2] [--base=32] [--blocks=6]
 * Measured 2026-11-30 (2-core machine, load ~1.2, thread CPU, --reps=1; before filterGradWinogradPays, so every layer
 * that winogradApplies to took the route):
 * 224²×32→32 60 → 31, 112²×32→64 24 → 26, 112²×64→64 41 → 30, 56²×64→128 19 → 9, 56²×128→128 36 → 20,
 * 28²×128→256 20 → 19, 28²×256→256 34 → 17, 14²×256→512 17 → 9, 14²×512→512 32 → 17, 7²×512→1024 16 → 25,
 * 7²×1024→1024 34 → 43 ms/img; max rel Δ ≤ 4.6e-6. The 7 px layers lost: filterGradWinogradPays now keeps them (and
 * few channels) on the stock route, where this bench shows the stock time twice and Δ 0.
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
  console.log(`| layer | stock ms/img | Winograd ms/img | max rel Δ |\n|---|---|---|---|`);
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
      const ms = [0, 0];
      let out: Float32Array[] = [];
      for (let r = 0; r < reps; r++) {
        out = [];
        for (const on of [false, true]) {
          useWinogradFilterGrad(on);
          const t0 = threadMs();
          out.push(run() as Float32Array);
          ms[on ? 1 : 0] += (threadMs() - t0) / reps / batch;
        }
      }
      let num = 0, den = 0;
      for (let i = 0; i < out[0].length; i++) { num = Math.max(num, Math.abs(out[0][i] - out[1][i])); den = Math.max(den, Math.abs(out[0][i])); }
      tot = [tot[0] + ms[0], tot[1] + ms[1]];
      console.log(`| ${side}²×${cin}→${cout} | ${ms[0].toFixed(1)} | ${ms[1].toFixed(1)} | ${(num / den).toExponential(1)} |`);
      tf.dispose([x, dy]);
    }
    side = Math.floor(side / 2);
    c *= 2;
  }
  console.log(`| all (but the first 1→${base}) | ${tot[0].toFixed(0)} | ${tot[1].toFixed(0)} | |`);
}
void main();
