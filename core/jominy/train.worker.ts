import { parentPort, workerData } from 'node:worker_threads';
import { trainPredictor, type TrainOptions } from './predictor.js';
import type { JominySample } from './dataset.js';

// Trains one predictor off the main thread; posts progress, then the model.
const { samples, opts } = workerData as { samples: JominySample[]; opts: Omit<TrainOptions, 'onProgress' | 'checkCancelled'> };
try {
  const model = trainPredictor(samples, {
    ...opts,
    onProgress: (fraction, message) => parentPort!.postMessage({ type: 'progress', fraction, message }),
  });
  parentPort!.postMessage({ type: 'done', model });
} catch (err) {
  const e = err instanceof Error ? err : new Error(String(err));
  parentPort!.postMessage({ type: 'error', message: e.message, name: e.name });
}
