/**
 * The CNN on WebGPU: forward and train-step ms per image for compact and paper on this machine's adapter
 * (a software one such as llvmpipe included: only correctness is meaningful there, not speed).
 *   npx tsx bench/webgpu.ts [--batch=8] [--reps=2] [--compact-only] [--stock-dw]
 * --stock-dw: tfjs's own filter gradient instead of kernels/webgpu-filter-grad.ts (the before of 2026-11-30).
 */
import * as tf from '@tensorflow/tfjs';
import { benchWebGpu, useWebGpu } from './_webgpu.js';

const arg = (name: string, dflt: number) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? dflt);
const batch = arg('batch', 8);
const reps = arg('reps', 2);
const presets = process.argv.includes('--compact-only') ? (['compact'] as const) : (['compact', 'paper'] as const);

console.log(`adapter: ${await useWebGpu()}`);
if (process.argv.includes('--stock-dw')) {
  const { stockWebGpuFilterGrad } = await import('../core/ml/kernels/webgpu-filter-grad.js');
  const stock = stockWebGpuFilterGrad();
  if (!stock) throw new Error('no stock webgpu filter gradient to compare with');
  tf.unregisterKernel('Conv2DBackpropFilter', 'webgpu');
  tf.registerKernel(stock);
  console.log('filter gradient: tfjs 4.22 stock kernel (one thread per weight)');
} else console.log('filter gradient: Ferrolab chunked kernel (kernels/webgpu-filter-grad.ts)');
console.log('| preset | batch | forward ms/img | train step ms/img | train/forward |');
console.log('|---|---|---|---|---|');
for (const p of presets) {
  const r = await benchWebGpu(p, batch, reps);
  console.log(`| ${p} | ${r.batch} | ${r.forwardMsPerImg.toFixed(1)} | ${r.trainMsPerImg.toFixed(1)} | ${(r.trainMsPerImg / r.forwardMsPerImg).toFixed(2)} |`);
}
const { releaseWebGpu } = await import('../core/ml/webgpu-backend.js');
releaseWebGpu();
