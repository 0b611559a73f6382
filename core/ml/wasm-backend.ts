import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs';

/**
 * Brings up tfjs-backend-wasm. In Node it runs single-threaded SIMD (threads are never used there).
 * Training kernels the wasm backend lacks are registered by the ML training module.
 */
export async function registerWasmTrainingKernels(): Promise<string> {
  const ok = await tf.setBackend('wasm');
  if (!ok) throw new Error('wasm backend failed to initialise');
  await tf.ready();
  return 'WebAssembly SIMD, single thread';
}
