import * as tf from '@tensorflow/tfjs';
import { registerWasmTrainingKernels } from '../../../core/ml/wasm-backend.js';

/** Brings up wasm (with Ferrolab's kernels) and cpu in this process; returns a switcher. */
export async function backends(): Promise<{ use(name: 'wasm' | 'cpu'): Promise<void> }> {
  await registerWasmTrainingKernels();
  return {
    async use(name) {
      const ok = await tf.setBackend(name);
      if (!ok) throw new Error(`backend ${name} did not start`);
      await tf.ready();
    },
  };
}
