import { parentPort, workerData } from 'node:worker_threads';
import { smoothGrid } from './smooth-field.js';
import type { SmoothWorkerInput, SmoothWorkerOutput } from './smooth-in-worker.js';
import { postedError } from '../runtime/worker-error.js';

/** Fits the smoothed predicted map off the main thread (seconds of CPU for ~2000 patches). */
try {
  const input = workerData as SmoothWorkerInput;
  const msg: SmoothWorkerOutput = { type: 'done', smoothed: smoothGrid(input.grid, input.options) };
  parentPort!.postMessage(msg);
} catch (err) {
  const msg: SmoothWorkerOutput = { type: 'error', ...postedError(err) };
  parentPort!.postMessage(msg);
}
