import { runWorker } from '../runtime/worker.js';
import type { TrainOptions } from './predictor.js';
import type { PredictorWithEnsemble } from './ensemble.js';
import type { JominySample } from './dataset.js';
import type { Phrase } from '../api/phrase.js';

type TrainWorkerMessage = { type: 'progress'; fraction: number; message: Phrase } | { type: 'done'; model: PredictorWithEnsemble };

/** What the worker is given: the predictor's options and the ensemble size (0 or absent: no ensemble). */
export type WorkerTrainOptions = Omit<TrainOptions, 'onProgress' | 'checkCancelled'> & { ensemble?: number };

/** Trains a predictor (and its ensemble) in a worker thread (one slot of the shared worker cap); cancelling terminates the worker. */
export async function trainInWorker(
  samples: JominySample[],
  opts: WorkerTrainOptions,
  ctl: { signal?: AbortSignal; onProgress?: (fraction: number, message: Phrase) => void } = {},
): Promise<PredictorWithEnsemble> {
  const done = await runWorker<{ type: 'done'; model: PredictorWithEnsemble }>(new URL('./train.worker.js', import.meta.url), {
    workerData: { samples, opts },
    signal: ctl.signal,
    what: 'JoMiner training',
    onMessage: (m) => {
      const p = m as TrainWorkerMessage;
      if (p.type === 'progress') ctl.onProgress?.(p.fraction, p.message);
    },
  });
  return done.model;
}
