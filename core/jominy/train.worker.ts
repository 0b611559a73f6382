import { parentPort, workerData } from 'node:worker_threads';
import { trainPredictor, type TrainOptions } from './predictor.js';
import { trainEnsemble } from './ensemble.js';
import type { JominySample } from './dataset.js';
import type { WorkerTrainOptions } from './train-job.js';
import type { Phrase } from '../api/phrase.js';
import { postedError } from '../runtime/worker-error.js';

// Trains one predictor off the main thread, then (when asked) its bootstrap ensemble; posts progress, then the model.
const { samples, opts } = workerData as { samples: JominySample[]; opts: WorkerTrainOptions };
// a progress message is a phrase code (plain data: it crosses to the job as it is)
const post = (fraction: number, message: Phrase) => parentPort!.postMessage({ type: 'progress', fraction, message });
try {
  const { ensemble: size = 0, ...rest } = opts;
  // The predictor's share of the progress bar; a member costs a fraction of it (one Nh per point, no search).
  const share = size > 0 ? 1 / (1 + 0.3 * size) : 1;
  const t0 = Date.now();
  const model = trainPredictor(samples, { ...(rest as Omit<TrainOptions, 'onProgress' | 'checkCancelled'>), onProgress: (f, m) => post(f * share, m) });
  const ensemble = size > 0 ? trainEnsemble(samples, model, { size, layout: rest.layout ?? undefined, heatKeys: rest.heatKeys, predictorSeconds: (Date.now() - t0) / 1000, onProgress: (f, m) => post(share + f * (1 - share), m) }) : undefined;
  parentPort!.postMessage({ type: 'done', model: ensemble ? { ...model, ensemble } : model });
} catch (err) {
  parentPort!.postMessage({ type: 'error', ...postedError(err) });
}
