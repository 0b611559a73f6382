import * as tf from '@tensorflow/tfjs';
import type { GpuAdapter } from '../../core/api/methods/system.js';
import { startWebGpu } from '../../core/ml/webgpu-backend.js';
import { registerWasmTrainingKernels } from '../../core/ml/wasm-backend.js';

/**
 * Starts the real WebGPU backend (any adapter, software included: tests ask for it by name) next to cpu and
 * wasm. With no adapter at all it FAILS, saying what to install: these tests must run in CI, never be skipped.
 */
export async function webGpuForTests(): Promise<{ adapter: GpuAdapter; use(name: 'webgpu' | 'cpu' | 'wasm'): Promise<void> }> {
  let adapter: GpuAdapter;
  try {
    ({ adapter } = await startWebGpu(true));
  } catch (err) {
    throw new Error(
      `WebGPU could not start (${err instanceof Error ? err.message : String(err)}). These tests need a WebGPU adapter: ` +
        'on Debian 12 install Mesa 25 from bookworm-backports (apt-get install -t bookworm-backports mesa-vulkan-drivers; ' +
        'the default Mesa 22 lavapipe lacks features Dawn requires), see .ci/run.',
    );
  }
  await registerWasmTrainingKernels();
  return {
    adapter,
    async use(name) {
      if (!(await tf.setBackend(name))) throw new Error(`backend ${name} did not start`);
      await tf.ready();
    },
  };
}

/** Largest |a − b| relative to the reference's largest magnitude (1 when it is all zeros). */
export function relDiff(a: ArrayLike<number>, ref: ArrayLike<number>): number {
  if (a.length !== ref.length) throw new Error(`length ${a.length} ≠ ${ref.length}`);
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < ref.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - ref[i]));
    scale = Math.max(scale, Math.abs(ref[i]));
  }
  return diff / (scale || 1);
}
