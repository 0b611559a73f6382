import type { TransferListItem, Worker } from 'node:worker_threads';
import { parentPort, workerData } from 'node:worker_threads';
import { CancelledError } from './cancelled.js';
import { leaseThreads, startWorker, type ThreadLease } from './worker.js';
import { postedError, workerExited, workerFailure, type PostedError } from './worker-error.js';

/**
 * A pool of long-lived, stateful workers (each loads a CNN or compiles a JoMiner predictor once, then
 * answers tasks). Its threads are leased from the app-wide budget in core/runtime/worker.ts: it asks for
 * `size`, gets at least one and never more than are free, so the answers never depend on how many it got
 * (each task carries everything that decides its result, seeds included).
 *
 * The protocol (the worker side is `serveTasks` below):
 *   parent → worker: {type:'task', id, payload}
 *   worker → parent: {type:'ready', info} once, then per task {type:'progress', id, progress}* and one
 *                    {type:'result', id, value} or {type:'error', id, ...postedError}; {type:'fatal', ...postedError}
 *                    when the worker cannot start (the pool then fails).
 * One task at a time per worker; queued tasks go to whichever worker is free first, but a broadcast's copies (the
 * same task for every worker: a new training's model, core/ml/gradient-workers.ts) each to its own worker.
 */

type FromPoolWorker =
  | { type: 'ready'; info: unknown }
  | { type: 'progress'; id: number; progress: unknown }
  | { type: 'result'; id: number; value: unknown }
  | ({ type: 'error'; id: number } & PostedError)
  | ({ type: 'fatal' } & PostedError);

export interface WorkerPoolOptions {
  /** Threads wanted (the budget may grant fewer, at least 1). */
  size: number;
  /** Passed to every worker (what it loads once). */
  workerData: unknown;
  /** Aborting terminates the workers and rejects every task with a CancelledError. */
  signal?: AbortSignal;
  /** Names the work in errors, e.g. "inference". */
  what: string;
  /**
   * Threads the caller has already leased from the app-wide budget and owns (releases) itself: the pool
   * starts exactly this many and leases nothing. For pools started inside a worker thread (data-parallel
   * training inside the training job's thread), whose module copy of the budget is not the app's: the
   * lease is taken in the main thread and only its count travels down.
   */
  granted?: number;
}

interface Task {
  id: number;
  payload: unknown;
  transfer?: TransferListItem[];
  onProgress?: (p: unknown) => void;
  /** Only this worker (its index among the pool's threads) may take the task (broadcast); absent: whichever is free first. */
  slot?: number;
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  task: Task | null;
}

export class WorkerPool<Payload, Result, Progress = never, Info = unknown> {
  private slots: Slot[] = [];
  private queue: Task[] = [];
  private nextId = 1;
  private failure: Error | null = null;
  private lease: ThreadLease | null = null;
  private readonly started: Promise<void>;
  private readonly info: Promise<Info>;
  private resolveInfo!: (i: Info) => void;
  private rejectInfo!: (e: Error) => void;
  private readonly onAbort = () => this.fail(new CancelledError());
  /** Stops a lease still waiting for a free thread when the pool fails or closes first. */
  private readonly stopWaiting = new AbortController();

  constructor(private readonly url: URL, private readonly opts: WorkerPoolOptions) {
    this.info = new Promise<Info>((resolve, reject) => {
      this.resolveInfo = resolve;
      this.rejectInfo = reject;
    });
    this.info.catch(() => undefined); // not lost: the same error rejects every task; this only stops an unhandled rejection
    opts.signal?.addEventListener('abort', this.onAbort, { once: true });
    if (opts.signal?.aborted) this.fail(new CancelledError());
    this.started = this.start();
    this.started.catch(() => undefined);
  }

  /** The pool failed (a worker exited or erred, it was cancelled or closed): every later task would reject. */
  get failed(): boolean {
    return this.failure !== null;
  }

  private async start(): Promise<void> {
    try {
      if (this.opts.granted !== undefined) {
        for (let i = 0; i < Math.max(1, this.opts.granted); i++) this.spawn();
        return;
      }
      const lease = await leaseThreads(Math.max(1, this.opts.size), this.stopWaiting.signal);
      if (this.failure) return lease.release();
      this.lease = lease;
      for (let i = 0; i < lease.count; i++) this.spawn();
    } catch (err) {
      this.fail(err as Error);
    }
  }

  private spawn(): void {
    const worker = startWorker(this.url, { workerData: this.opts.workerData });
    const slot: Slot = { worker, ready: false, task: null };
    worker.on('message', (m: FromPoolWorker) => {
      if (m.type === 'ready') {
        slot.ready = true;
        this.resolveInfo(m.info as Info);
        this.pump(slot);
      } else if (m.type === 'fatal') this.fail(workerFailure(this.opts.what, m, `${this.opts.what} worker: ${m.message}`));
      else if (slot.task && m.id === slot.task.id) {
        const t = slot.task;
        if (m.type === 'progress') return t.onProgress?.(m.progress);
        slot.task = null;
        if (m.type === 'result') t.resolve(m.value);
        // a refusal or failure worded as a phrase code (core/api/phrase.ts) keeps it across the thread, for the interface's language
        else t.reject(workerFailure(this.opts.what, m, m.message));
        this.pump(slot);
      }
    });
    worker.on('error', (err) => this.fail(workerFailure(this.opts.what, postedError(err), err.message)));
    worker.on('exit', (code) => {
      if (!this.failure) this.fail(workerExited(this.opts.what, code, `${this.opts.what} worker exited with code ${code}${slot.ready ? '' : ' before it was ready'}`));
    });
    this.slots.push(slot);
  }

  private pump(slot: Slot): void {
    if (this.failure || !slot.ready || slot.task) return;
    const index = this.slots.indexOf(slot);
    const at = this.queue.findIndex((q) => q.slot === undefined || q.slot === index);
    if (at < 0) return;
    const [t] = this.queue.splice(at, 1);
    slot.task = t;
    slot.worker.postMessage({ type: 'task', id: t.id, payload: t.payload }, t.transfer ?? []);
  }

  /** The first worker's `ready` info (e.g. the backend it loaded). */
  ready(): Promise<Info> {
    return this.info;
  }

  /** Threads the pool runs on (known once the lease is granted). */
  async threads(): Promise<number> {
    await this.started;
    return this.slots.length;
  }

  run(payload: Payload, opts: { transfer?: TransferListItem[]; onProgress?: (p: Progress) => void; slot?: number } = {}): Promise<Result> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise<Result>((resolve, reject) => {
      this.queue.push({ id: this.nextId++, payload, transfer: opts.transfer, onProgress: opts.onProgress as ((p: unknown) => void) | undefined, slot: opts.slot, resolve: resolve as (v: unknown) => void, reject });
      for (const s of this.slots) this.pump(s);
    });
  }

  /**
   * The same task once on every thread of the pool (each worker takes its own copy, after the tasks queued before it
   * for that worker): for state every worker must hold, e.g. the model of the next training (core/ml/gradient-workers.ts).
   */
  async broadcast(payload: Payload): Promise<Result[]> {
    await this.started;
    if (this.failure) throw this.failure;
    return Promise.all(this.slots.map((_, slot) => this.run(payload, { slot })));
  }

  private fail(err: Error): void {
    if (this.failure) return;
    this.failure = err;
    this.stopWaiting.abort();
    this.rejectInfo(err);
    for (const s of this.slots) {
      s.task?.reject(err);
      s.task = null;
    }
    for (const t of this.queue.splice(0)) t.reject(err);
    void this.terminate();
  }

  private async terminate(): Promise<void> {
    this.opts.signal?.removeEventListener('abort', this.onAbort);
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
    this.lease?.release();
    this.lease = null;
  }

  /** Stops the workers and gives their threads back; pending tasks fail with a CancelledError. */
  async close(): Promise<void> {
    if (!this.failure) this.fail(new CancelledError(`${this.opts.what} pool closed`));
    await this.started;
    await this.terminate();
  }
}

/**
 * The worker side of the protocol: `setup` runs once with the pool's workerData (load the model…), then
 * `run` answers each task in turn (tasks are handled one after another: tfjs holds one engine per thread).
 */
export function serveTasks<Payload, Result, Progress = never>(
  setup: (data: unknown) => Promise<{ info?: unknown; run: (payload: Payload, progress: (p: Progress) => void) => Result | Promise<Result> }>,
): void {
  const port = parentPort!;
  setup(workerData).then(
    ({ info, run }) => {
      let queue = Promise.resolve();
      port.on('message', (m: { type: 'task'; id: number; payload: Payload }) => {
        queue = queue.then(async () => {
          try {
            const value = await run(m.payload, (progress) => port.postMessage({ type: 'progress', id: m.id, progress }));
            port.postMessage({ type: 'result', id: m.id, value });
          } catch (err) {
            port.postMessage({ type: 'error', id: m.id, ...postedError(err) });
          }
        });
      });
      port.postMessage({ type: 'ready', info: info ?? null });
    },
    (err: unknown) => port.postMessage({ type: 'fatal', ...postedError(err) }),
  );
}
