import { beforeAll } from 'vitest';
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

export type Backends = Awaited<ReturnType<typeof backends>>;

/**
 * backends() for a whole test file: brought up before its tests (with `first` selected, if given); the switcher it
 * returns works from then on.
 */
export function backendsForFile(first?: 'wasm' | 'cpu'): Backends {
  let be: Backends | undefined;
  beforeAll(async () => {
    be = await backends();
    if (first) await be.use(first);
  });
  return {
    use(name) {
      if (!be) throw new Error('a backend is used before the file’s beforeAll ran');
      return be.use(name);
    },
  };
}
