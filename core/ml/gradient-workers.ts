import type { BackendInfo, BackendPreference } from '../api/methods/system.js';
import { WorkerPool } from '../runtime/worker-pool.js';
import { CancelledError } from '../runtime/cancelled.js';
import { SYNC_INTS } from './reduce-scatter.js';
import { sharedBuffers, type GradMessage, type GradResult, type GradTraining, type GradWorkerInput, type TrainingBuffers } from './grad-protocol.js';

/**
 * The gradient workers of data-parallel training (grad.worker.ts), kept alive across the trainings of one job, so that
 * a job's second and later trainings find V8's compiled JavaScript and the wasm modules warm: a fresh pair of workers
 * pays ~3 s of compilation at its first step and ~1.5 s more over the next ~30 (README, issue 14), and a paper job
 * trains three times (two k-splits and the final fit).
 *
 * Each training begins with a message to every worker (pool.broadcast) carrying its model and Adam settings: the
 * worker drops its previous replica and builds the new one from these artifacts, with its weight version, dropout
 * masks (SeededDropout.setStep per step) and reduce scratch new — the state a fresh worker would have. The shared
 * arena (weights, Adam moments, gradient slots, transposes, each shard's scratch) is kept when the next training has
 * the same layout and worker count, and zeroed whole before it begins, as a new one is; the workers then keep their
 * SIMD modules instantiated on it (adam-shared.ts, filter-transpose-simd.ts compile once per arena). So a seeded
 * training gives the same bits on fresh or reused workers (test/unit/ml/gradient-workers.test.ts).
 *
 * A training that fails or is cancelled discards the workers (`discard`: terminated, their threads given back), so
 * nothing it left half-done is read by the next one, which starts fresh workers. The owner closes the handle when the
 * job ends, on success, failure and cancel alike (runExperiment's finally). The threads: leased from the app-wide cap
 * when the workers start (or `granted` by the caller), held until they are discarded or closed.
 */
export interface GradientWorkersOptions {
  workers: number;
  /** The worker threads are already leased by the caller (in the main thread): lease nothing here. */
  granted?: boolean;
  /** Aborting terminates the workers (a training in flight then fails with a CancelledError). */
  signal?: AbortSignal;
}

type Pool = WorkerPool<GradMessage, GradResult | null, never, BackendInfo>;

/** The buffers' shape: a training with the same reuses them (and the workers their modules on the arena). */
const layoutKey = (total: number, slots: number, transposedTotal: number, scratchFloats: number) => `${total}/${slots}/${transposedTotal}/${scratchFloats}`;

export class GradientWorkers {
  private pool: Pool | null = null;
  private backend: BackendPreference | null = null;
  private buffers: { key: string; value: TrainingBuffers } | null = null;
  /** Whether the live pool's workers hold `buffers` (a fresh pool is sent them with its first training). */
  private poolHasBuffers = false;
  private closed = false;
  /** Workers being terminated: every discard waits for all of them (a cancel's discard may still be running). */
  private stopping: Promise<void> = Promise.resolve();
  /** Trainings begun, and of those on workers that had trained before (tests and benches: were they reused). */
  readonly counts = { trainings: 0, reused: 0, poolsStarted: 0 };

  constructor(readonly opts: GradientWorkersOptions) {
    if (!Number.isInteger(opts.workers) || opts.workers < 1) throw new Error(`workers must be a positive integer, got ${opts.workers}`);
  }

  get workers(): number {
    return this.opts.workers;
  }

  /**
   * Begins a training on every worker (starting them if none are alive, or if they run another backend): returns the
   * pool, the threads it runs on (the app's cap may grant fewer than `workers`) and the training's shared buffers,
   * zeroed (a reused arena) or new.
   */
  async begin(backend: BackendPreference, training: Omit<GradTraining, 'kind' | 'buffers'>): Promise<{ pool: Pool; threads: number; buffers: TrainingBuffers }> {
    if (this.closed) throw new Error('the gradient workers were closed');
    if (this.opts.signal?.aborted) throw new CancelledError('training cancelled');
    // A pool that failed while idle (a worker exited between trainings) is replaced, not reused: its next task would
    // only repeat that failure.
    if (this.pool && (this.backend !== backend || this.pool.failed)) await this.discard();
    await this.stopping; // discarded workers gone and their threads back before any fresh ones lease theirs
    const { layout } = training;
    const key = layoutKey(layout.total, this.opts.workers, layout.transposedTotal, layout.scratchFloats);
    if (this.buffers?.key === key) {
      // As a new arena is: every float zero (moments, slots, scratch; the weights are published next), the barrier clear.
      new Float32Array(this.buffers.value.weights.buffer).fill(0);
      new Int32Array(this.buffers.value.sync).fill(0);
    } else {
      this.buffers = { key, value: { ...sharedBuffers(layout.total, this.opts.workers, layout.transposedTotal, layout.scratchFloats), sync: new SharedArrayBuffer(SYNC_INTS * 4) } };
      this.poolHasBuffers = false;
    }
    const reused = this.pool !== null;
    if (!this.pool) {
      this.pool = new WorkerPool<GradMessage, GradResult | null, never, BackendInfo>(new URL('./grad.worker.js', import.meta.url), {
        size: this.opts.workers,
        granted: this.opts.granted ? this.opts.workers : undefined,
        workerData: { backend } satisfies GradWorkerInput,
        signal: this.opts.signal,
        what: 'training',
      });
      this.backend = backend;
      this.poolHasBuffers = false;
      this.counts.poolsStarted++;
    }
    const pool = this.pool;
    // The barrier needs every task of a step running at once: never more tasks than threads.
    const threads = Math.min(this.opts.workers, await pool.threads());
    if (threads < 1) {
      await this.discard();
      throw this.opts.signal?.aborted ? new CancelledError('training cancelled') : new Error('no gradient worker could be started');
    }
    try {
      await pool.broadcast({ kind: 'begin', ...training, buffers: this.poolHasBuffers ? null : this.buffers.value });
    } catch (err) {
      await this.discard();
      throw err;
    }
    this.poolHasBuffers = true;
    this.counts.trainings++;
    if (reused) this.counts.reused++;
    return { pool, threads, buffers: this.buffers.value };
  }

  /** A training ended well: the workers drop its replica (its heap is theirs to reuse) and stay for the next. */
  async end(): Promise<void> {
    if (!this.pool) return;
    try {
      await this.pool.broadcast({ kind: 'end' });
    } catch {
      await this.discard(); // a worker that cannot even drop its model is not one to train on again
    }
  }

  /** Terminates the workers (a failed or cancelled training: nothing it left is kept); the next training starts fresh ones. */
  async discard(): Promise<void> {
    const pool = this.pool;
    this.pool = null;
    this.backend = null;
    this.poolHasBuffers = false;
    if (pool) this.stopping = Promise.all([this.stopping, pool.close()]).then(() => undefined);
    await this.stopping;
  }

  /** Stops the workers for good and gives their threads back (idempotent): the owner's finally. */
  async close(): Promise<void> {
    this.closed = true;
    this.buffers = null;
    await this.discard();
  }
}
