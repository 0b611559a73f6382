import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../runtime/worker.js';
import { runDesign } from './ga.js';
import { JominyPredictor, type PredictorModel } from './predictor.js';
import type { DesignTask, DesignTaskResult, FromWorker, PoolProgress } from './tasks.js';

export class DesignCancelledError extends Error {
  constructor() {
    super('cancelled by the user');
    this.name = 'AbortError';
  }
}

export interface PoolOptions {
  /** Worker threads (default: all cores). */
  threads?: number;
  signal?: AbortSignal;
  onProgress?: (p: PoolProgress) => void;
}

function totalGens(tasks: DesignTask[]): number {
  return tasks.reduce((a, t) => a + (t.input.settings?.generations ?? 100), 0);
}

/**
 * Runs design tasks in a pool of worker threads, each holding the compiled predictor. Results come
 * back in task order whatever the scheduling, and each task's seed is its own, so the outputs are
 * identical to runDesignsInline. Cancelling terminates the workers at once.
 */
export function runDesignsInPool(model: PredictorModel, tasks: DesignTask[], opts: PoolOptions = {}): Promise<DesignTaskResult[]> {
  const n = Math.max(1, Math.min(opts.threads ?? availableParallelism(), tasks.length));
  const results: (DesignTaskResult | undefined)[] = new Array(tasks.length);
  const indexOf = new Map(tasks.map((t, i) => [t.key, i]));
  const progress: PoolProgress = { done: 0, total: tasks.length, generations: 0, totalGenerations: totalGens(tasks) };
  return new Promise((resolve, reject) => {
    if (tasks.length === 0) return resolve([]);
    const workers: Worker[] = [];
    let next = 0;
    let finished = false;
    const stopAll = () => {
      finished = true;
      for (const w of workers) void w.terminate();
    };
    const fail = (err: Error) => {
      if (finished) return;
      stopAll();
      reject(err);
    };
    const onAbort = () => fail(new DesignCancelledError());
    if (opts.signal?.aborted) return reject(new DesignCancelledError());
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    const feed = (w: Worker) => {
      if (finished) return;
      if (next < tasks.length) w.postMessage({ type: 'run', task: tasks[next++] });
    };
    for (let k = 0; k < n; k++) {
      const w = startWorker(new URL('./ga.worker.js', import.meta.url));
      workers.push(w);
      w.on('message', (m: FromWorker) => {
        if (finished) return;
        if (m.type === 'ready') feed(w);
        else if (m.type === 'generation') {
          progress.generations++;
          opts.onProgress?.({ ...progress });
        } else if (m.type === 'error') {
          const e = new Error(m.message);
          e.name = m.name;
          fail(e);
        } else {
          results[indexOf.get(m.result.key)!] = m.result;
          progress.done++;
          opts.onProgress?.({ ...progress });
          if (progress.done === tasks.length) {
            opts.signal?.removeEventListener('abort', onAbort);
            stopAll();
            resolve(results as DesignTaskResult[]);
          } else feed(w);
        }
      });
      w.on('error', (err) => fail(err));
      w.on('exit', (code) => {
        if (!finished && code !== 0) fail(new Error(`a GA worker stopped (exit code ${code})`));
      });
      w.postMessage({ type: 'init', model });
    }
  });
}

/** The same tasks in this thread, one after the other (for comparison and tiny jobs). */
export async function runDesignsInline(model: PredictorModel | JominyPredictor, tasks: DesignTask[], opts: Omit<PoolOptions, 'threads'> = {}): Promise<DesignTaskResult[]> {
  const predictor = model instanceof JominyPredictor ? model : new JominyPredictor(model);
  const progress: PoolProgress = { done: 0, total: tasks.length, generations: 0, totalGenerations: totalGens(tasks) };
  const out: DesignTaskResult[] = [];
  for (const t of tasks) {
    if (opts.signal?.aborted) throw new DesignCancelledError();
    const output = runDesign(predictor, t.input, {
      onGeneration: () => {
        progress.generations++;
      },
    });
    out.push({ key: t.key, output });
    progress.done++;
    opts.onProgress?.({ ...progress });
    // Let cancellation and I/O in between runs.
    await new Promise((r) => setImmediate(r));
  }
  return out;
}
