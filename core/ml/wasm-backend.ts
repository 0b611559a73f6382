import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs';
import { registerWasmConvGradKernels } from './kernels/register-wasm.js';
import { phrase } from '../api/phrase.js';
import { BackendRefusal } from './backend-reasons.js';

/**
 * Brings up tfjs-backend-wasm with the training kernels it lacks (Conv2DBackpropFilter) or runs
 * slowly (Conv2DBackpropInput). In Node it runs single-threaded SIMD (threads are never used there).
 */
export async function registerWasmTrainingKernels(): Promise<string> {
  registerWasmConvGradKernels();
  const ok = await tf.setBackend('wasm');
  if (!ok) throw new BackendRefusal(phrase('backend.wasmInit'));
  await tf.ready();
  return 'WebAssembly SIMD, single thread; Ferrolab conv-gradient kernels';
}
