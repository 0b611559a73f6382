import { Worker, type TransferListItem, type WorkerOptions } from 'node:worker_threads';
import { existsSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CancelledError } from './cancelled.js';
import { defaultJobThreads } from './cores.js';
import { postedError, workerExited, workerFailure, type PostedError } from './worker-error.js';

/**
 * Every worker thread of the app starts here, and all of them share one cap: a CNN training run, a GA
 * design, a predicted map and a PDF report started together take at most `workerCap()` threads (default
 * cores − 1, at least 1), so the thread that serves the UI keeps a core. One-shot work uses `runWorker`;
 * pools of long-lived workers (core/runtime/worker-pool.ts) lease their threads from the same budget.
 *
 * Why not piscina: our workers are stateful (a loaded CNN, a compiled JoMiner predictor), post progress
 * while they work, and must share one cap across pools of different workers; piscina's cap is per pool.
 */

// ---- the shared thread budget ------------------------------------------------------------------------

let cap = defaultJobThreads();
let inUse = 0;
const waiting: Array<() => void> = [];

export function workerCap(): number {
  return cap;
}

/** Sets the cap (the Settings' job threads, tests, benchmarks); threads already running keep their slot. */
export function setWorkerCap(n: number): void {
  cap = Math.max(1, Math.floor(n));
  wake();
}

/** Threads leased now (for tests and diagnostics). */
export function workersInUse(): number {
  return inUse;
}

function wake(): void {
  while (inUse < cap && waiting.length) {
    inUse++;
    waiting.shift()!();
  }
}

function acquire(signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(new CancelledError());
  if (inUse < cap && !waiting.length) {
    inUse++;
    return Promise.resolve();
  }
  return new Promise((resolve, reject) => {
    const grant = () => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    };
    const onAbort = () => {
      const i = waiting.indexOf(grant);
      if (i >= 0) waiting.splice(i, 1);
      reject(new CancelledError());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    waiting.push(grant);
  });
}

export interface ThreadLease {
  /** Threads granted: at least 1, at most what was asked. */
  readonly count: number;
  /** Gives the threads back (idempotent). */
  release(): void;
}

/**
 * Leases up to `want` threads: waits for the first, then takes the others only if free now, so a pool
 * never waits on another job's threads and results never depend on how many it got.
 */
export async function leaseThreads(want: number, signal?: AbortSignal): Promise<ThreadLease> {
  await acquire(signal);
  return takeFree(1, want);
}

/** Adds free threads (never waiting) to `held` already taken, up to `want`, as one lease. */
function takeFree(held: number, want: number): ThreadLease {
  let count = held;
  while (count < want && inUse < cap && !waiting.length) {
    inUse++;
    count++;
  }
  let holding = true;
  return {
    count,
    release() {
      if (!holding) return;
      holding = false;
      inUse -= count;
      wake();
    },
  };
}

/**
 * Takes up to `want` threads only if they are free now (possibly none). For a job that already holds a
 * thread and can use more: data-parallel training asks for its extra gradient workers this way, so it
 * never waits on (or starves) a map or a prediction that holds the rest of the cap.
 */
export function leaseFreeThreads(want: number): ThreadLease {
  return takeFree(0, want);
}

// ---- starting a worker -------------------------------------------------------------------------------

/** Worker threads of this thread started by startWorker and not yet exited (tests: nothing is left alive). */
let live = 0;
export function liveWorkers(): number {
  return live;
}

/** Worker threads this thread has started so far (tests: a job's trainings share their gradient workers). */
let started = 0;
export function workersStarted(): number {
  return started;
}

function counted(w: Worker): Worker {
  started++;
  live++;
  w.once('exit', () => live--);
  return w;
}

/**
 * The test suite's bundle of this worker, if it has one. Tests run the TypeScript sources, and a worker started
 * through tsx transpiles and loads its modules one by one: ≈ 0.5 s more CPU per start than the same code bundled
 * into one file, and the suite starts hundreds. Its global setup (test/global-setup.ts) bundles the workers of
 * core/ once per code version (test/helpers/worker-bundle.ts: the same code, npm packages loaded from node_modules
 * as here) and names the bundle's folder in FERROLAB_TEST_WORKER_BUNDLE and the source tree it mirrors in
 * FERROLAB_TEST_WORKER_ROOT; a worker the folder lacks starts from the sources. Unset (the app, `tsx`, a bench),
 * this is never used.
 */
function bundledWorker(ts: string): string | null {
  const dir = process.env.FERROLAB_TEST_WORKER_BUNDLE;
  const root = process.env.FERROLAB_TEST_WORKER_ROOT;
  if (!dir || !root) return null;
  const rel = relative(root, ts);
  if (rel.startsWith('..') || isAbsolute(rel)) return null;
  const js = join(dir, rel).replace(/\.ts$/, '.js');
  return existsSync(js) ? js : null;
}

/**
 * Starts a worker thread from a module next to the caller:
 *   startWorker(new URL('./train.worker.js', import.meta.url), { workerData })
 * Compiled code (dist/, Electron) runs the .js file. Tests and `tsx` run from TypeScript sources, where
 * only the .ts file exists: the worker then registers tsx's ESM loader itself before importing it,
 * because `execArgv: ['--import', 'tsx']` does not reach worker threads on Node 20.
 * This does not take a slot of the budget: use `runWorker` or a pool (or lease threads) instead.
 */
export function startWorker(url: URL, opts: WorkerOptions = {}): Worker {
  const js = fileURLToPath(url);
  if (existsSync(js)) return counted(new Worker(url, opts));
  const ts = js.replace(/\.js$/, '.ts');
  if (!existsSync(ts)) throw new Error(`worker module not found: ${js}`);
  const bundled = bundledWorker(ts);
  if (bundled) return counted(new Worker(pathToFileURL(bundled), opts));
  const tsUrl = JSON.stringify(pathToFileURL(ts).href);
  const loader = JSON.stringify(import.meta.resolve('tsx/esm/api'));
  return counted(new Worker(`import(${loader}).then((m) => { m.register(); return import(${tsUrl}); })`, { ...opts, eval: true }));
}

// ---- one-shot work -----------------------------------------------------------------------------------

/**
 * What a one-shot worker posts: progress of its own shape, then one `done` or `error` (`{ type: 'error',
 * ...postedError(err) }`: its name, and its phrase and code when it was said — core/runtime/worker-error.ts).
 */
export type WorkerMessage = { type: string; message?: string; name?: string };

export interface RunWorkerOptions {
  workerData: unknown;
  /**
   * Up to this many threads more for the worker's own sub-workers (data-parallel training), taken once its
   * own thread is granted and only if free then (never waited for), released when it ends. The count granted
   * reaches the worker as `extraThreads` in its workerData (which must then be an object).
   */
  extraThreads?: number;
  transferList?: TransferListItem[];
  /** Cancel = terminate: the worker holds the only copy of its partial work, so nothing half-done is kept. */
  signal?: AbortSignal;
  /** Every message other than `done` and `error` (progress, logs). */
  onMessage?: (m: WorkerMessage) => void;
  /** Names the work in errors, e.g. "training" (core/runtime/worker-error.ts words the known ones in each language). */
  what: string;
}

/**
 * Runs one worker thread once a slot of the budget is free: resolves with its `{type:'done'}` message;
 * rejects with its `error` (as "<what> failed: …", keeping the error's name), a crash, an unexpected exit,
 * or a CancelledError when the signal fires (waiting for a slot or running).
 */
export async function runWorker<Done extends WorkerMessage>(url: URL, opts: RunWorkerOptions): Promise<Done> {
  const lease = await leaseThreads(1, opts.signal);
  const extra = leaseFreeThreads(Math.max(0, opts.extraThreads ?? 0));
  try {
    const workerData = opts.extraThreads === undefined ? opts.workerData : { ...(opts.workerData as object), extraThreads: extra.count };
    return await new Promise<Done>((resolve, reject) => {
      const w = startWorker(url, { workerData, transferList: opts.transferList });
      let settled = false;
      const finish = (fn: () => void) => {
        if (settled) return;
        settled = true;
        opts.signal?.removeEventListener('abort', onAbort);
        // The caller hears once the thread (and any sub-workers it started) is gone.
        w.terminate().then(fn, fn);
      };
      // Settles on 'exit' below, so the thread is gone (and its slot free) when the caller hears of it.
      const onAbort = () => void w.terminate();
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      w.on('message', (m: WorkerMessage) => {
        if (m.type === 'done') finish(() => resolve(m as Done));
        else if (m.type === 'error') {
          const posted = { ...(m as PostedError), message: m.message ?? 'unknown error' };
          finish(() => reject(workerFailure(opts.what, posted, `${opts.what} failed: ${posted.message}`)));
        } else opts.onMessage?.(m);
      });
      // an exception the worker did not catch: said as the work failing, its text quoted
      w.on('error', (err) => finish(() => reject(workerFailure(opts.what, postedError(err), err.message))));
      w.on('exit', (code) =>
        finish(() => reject(opts.signal?.aborted ? new CancelledError(`${opts.what} cancelled`) : workerExited(opts.what, code, `${opts.what} worker exited with code ${code}`))),
      );
    });
  } finally {
    extra.release();
    lease.release();
  }
}
