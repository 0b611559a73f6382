import { startWorker } from '../runtime/worker.js';
import type { PredictorModel, TrainOptions } from './predictor.js';
import type { JominySample } from './dataset.js';
import { DesignCancelledError } from './pool.js';

/** Trains a predictor in a worker thread; cancelling terminates the worker. */
export function trainInWorker(
  samples: JominySample[],
  opts: Omit<TrainOptions, 'onProgress' | 'checkCancelled'>,
  ctl: { signal?: AbortSignal; onProgress?: (fraction: number, message: string) => void } = {},
): Promise<PredictorModel> {
  return new Promise((resolve, reject) => {
    if (ctl.signal?.aborted) return reject(new DesignCancelledError());
    const w = startWorker(new URL('./train.worker.js', import.meta.url), { workerData: { samples, opts } });
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      ctl.signal?.removeEventListener('abort', onAbort);
      void w.terminate();
      fn();
    };
    const onAbort = () => settle(() => reject(new DesignCancelledError()));
    ctl.signal?.addEventListener('abort', onAbort, { once: true });
    w.on('message', (m: { type: string; fraction?: number; message?: string; model?: PredictorModel; name?: string }) => {
      if (m.type === 'progress') ctl.onProgress?.(m.fraction!, m.message!);
      else if (m.type === 'done') settle(() => resolve(m.model!));
      else {
        const e = new Error(m.message);
        e.name = m.name ?? 'Error';
        settle(() => reject(e));
      }
    });
    w.on('error', (err) => settle(() => reject(err)));
    w.on('exit', (code) => settle(() => reject(new Error(`training worker stopped (exit code ${code})`))));
  });
}
