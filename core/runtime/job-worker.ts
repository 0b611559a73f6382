import type { TransferListItem } from 'node:worker_threads';
import { startWorker } from './worker.js';

/** What a job's worker posts: progress of its own shape, then one `done` or `error`. */
export type JobWorkerMessage = { type: string; message?: string };

export interface JobWorkerOptions {
  workerData: unknown;
  transferList?: TransferListItem[];
  /** Cancel = terminate: the worker holds the only copy of its partial work, so nothing half-done is kept. */
  signal: AbortSignal;
  /** Every message other than `done` and `error` (progress, logs). */
  onMessage?: (m: JobWorkerMessage) => void;
  /** Names the work in errors, e.g. "training". */
  what: string;
}

/**
 * Runs one worker thread for a job: resolves with its `{type:'done'}` message; rejects with its `error`,
 * a crash, an unexpected exit, or an AbortError when the job's signal fires.
 */
export function runJobWorker<Done extends JobWorkerMessage>(url: URL, opts: JobWorkerOptions): Promise<Done> {
  return new Promise((resolve, reject) => {
    const w = startWorker(url, { workerData: opts.workerData, transferList: opts.transferList });
    const onAbort = () => void w.terminate();
    opts.signal.addEventListener('abort', onAbort, { once: true });
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      opts.signal.removeEventListener('abort', onAbort);
      void w.terminate();
      fn();
    };
    w.on('message', (m: JobWorkerMessage) => {
      if (m.type === 'done') finish(() => resolve(m as Done));
      else if (m.type === 'error') finish(() => reject(new Error(`${opts.what} failed: ${m.message ?? 'unknown error'}`)));
      else opts.onMessage?.(m);
    });
    w.on('error', (err) => finish(() => reject(err)));
    w.on('exit', (code) =>
      finish(() => {
        if (opts.signal.aborted) {
          const e = new Error(`${opts.what} cancelled`);
          e.name = 'AbortError';
          reject(e);
        } else reject(new Error(`${opts.what} worker exited with code ${code}`));
      }),
    );
  });
}
