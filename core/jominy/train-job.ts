import { runWorker } from '../runtime/worker.js';
import type { PredictorModel, TrainOptions } from './predictor.js';
import type { JominySample } from './dataset.js';

type TrainWorkerMessage = { type: 'progress'; fraction: number; message: string } | { type: 'done'; model: PredictorModel };

/** Trains a predictor in a worker thread (one slot of the shared worker cap); cancelling terminates the worker. */
export async function trainInWorker(
  samples: JominySample[],
  opts: Omit<TrainOptions, 'onProgress' | 'checkCancelled'>,
  ctl: { signal?: AbortSignal; onProgress?: (fraction: number, message: string) => void } = {},
): Promise<PredictorModel> {
  const done = await runWorker<{ type: 'done'; model: PredictorModel }>(new URL('./train.worker.js', import.meta.url), {
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
