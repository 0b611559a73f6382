import { availableParallelism } from 'node:os';
import { WorkerPool } from '../runtime/worker-pool.js';
import { CancelledError } from '../runtime/cancelled.js';
import { runDesign } from './ga.js';
import { JominyPredictor, type PredictorModel } from './predictor.js';
import type { DesignTask, DesignTaskResult, PoolProgress } from './tasks.js';


export interface PoolOptions {
  /** Worker threads wanted (default: all cores; the app-wide worker cap may grant fewer). */
  threads?: number;
  signal?: AbortSignal;
  onProgress?: (p: PoolProgress) => void;
}

function totalGens(tasks: DesignTask[]): number {
  return tasks.reduce((a, t) => a + (t.input.settings?.generations ?? 100), 0);
}

/**
 * Runs design tasks on a pool of worker threads, each holding the compiled predictor. Results come
 * back in task order whatever the scheduling, and each task's seed is its own, so the outputs are
 * identical to runDesignsInline. Cancelling terminates the workers at once.
 */
export async function runDesignsInPool(model: PredictorModel, tasks: DesignTask[], opts: PoolOptions = {}): Promise<DesignTaskResult[]> {
  if (opts.signal?.aborted) throw new CancelledError();
  if (tasks.length === 0) return [];
  const progress: PoolProgress = { done: 0, total: tasks.length, generations: 0, totalGenerations: totalGens(tasks) };
  const pool = new WorkerPool<DesignTask, DesignTaskResult, number>(new URL('./ga.worker.js', import.meta.url), {
    size: Math.min(opts.threads ?? availableParallelism(), tasks.length),
    workerData: model,
    signal: opts.signal,
    what: 'GA',
  });
  try {
    return await Promise.all(
      tasks.map((t) =>
        pool
          .run(t, {
            onProgress: () => {
              progress.generations++;
              opts.onProgress?.({ ...progress });
            },
          })
          .then((r) => {
            progress.done++;
            opts.onProgress?.({ ...progress });
            return r;
          }),
      ),
    );
  } finally {
    await pool.close();
  }
}

/** The same tasks in this thread, one after the other (for comparison and tiny jobs). */
export async function runDesignsInline(model: PredictorModel | JominyPredictor, tasks: DesignTask[], opts: Omit<PoolOptions, 'threads'> = {}): Promise<DesignTaskResult[]> {
  const predictor = model instanceof JominyPredictor ? model : new JominyPredictor(model);
  const progress: PoolProgress = { done: 0, total: tasks.length, generations: 0, totalGenerations: totalGens(tasks) };
  const out: DesignTaskResult[] = [];
  for (const t of tasks) {
    if (opts.signal?.aborted) throw new CancelledError();
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
