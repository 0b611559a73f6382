import * as tf from '@tensorflow/tfjs';
import type { BackendInfo, BackendPreference } from '../api/methods/system.js';
import type { WorkerPool } from '../runtime/worker-pool.js';
import { CancelledError } from '../runtime/cancelled.js';
import { modelToArtifacts } from './model-io.js';
import { AdamClock, type AdamConfig } from './flat-adam.js';
import { resetBarrier, sliceBounds, transposeRange } from './reduce-scatter.js';
import { loadFlatWeights, paramLayout, type ParamLayout } from './param-layout.js';
import { inTrainingRun } from './kernels/conv2d-winograd.js';
import type { WebAssemblyMemory } from './adam-shared.js';
import { withSharedShard } from './kernels/shared-tap-products.js';
import { sharedBuffers, type GradMessage, type GradResult, type GradTask, type ShardPart } from './grad-protocol.js';
import { GradientWorkers } from './gradient-workers.js';

export { loadFlatWeights, paramLayout, sharedBuffers, type ParamLayout, type ShardPart, type GradResult };

/**
 * Data-parallel training on CPU backends (tfjs-backend-wasm is single-threaded in Node): N gradient workers
 * (grad.worker.ts) each hold a replica of the model; per step the batch is cut into `workers` contiguous shards,
 * each shard's gradient of the SUMMED loss goes to its own slot of a shared buffer; then the workers themselves
 * reduce-scatter (reduce-scatter.ts): behind a barrier, each sums the slots of its own slice of the parameters in
 * shard order (fixed, whatever finished first), divides by the batch size (= the full-batch mean-loss gradient)
 * and applies Adam (flat-adam.ts: tfjs's formula) to that slice of the weights and moments in shared memory. This
 * thread only cuts the batch and hands out the shards; the model here gets the weights back at syncModel() (each
 * epoch's end, before validation). Deterministic for a seed and a worker count: shards, reduction order and
 * dropout masks (SeededDropout.setStep) depend on nothing else — not on which worker took which shard, nor on how
 * many threads the app's cap granted (with fewer threads than shards, a thread computes several shards).
 * On wasm the workers also write the large filters' transposes beside the new weights (param-layout.ts), which
 * every replica's forward kernel streams (kernels/conv2d-forward-gemm.ts) instead of transposing them itself; the
 * replicas' products of those filters run in the shared memory itself (kernels/shared-tap-products.ts: W and Wᵀ read
 * where Adam left them, the tap-wise dW written straight into the shard's slot, the filters' heap loads deferred).
 * Models without such filters train bit-identically to the earlier coordinator-side reduction.
 * Weights, moments, gradient slots and the transposes are views of one shared WebAssembly.Memory (sharedBuffers in
 * grad-protocol.ts, with the messages), which the workers' SIMD reduce + Adam (adam-shared.ts, any worker count and
 * batch; bit for bit the copying path) and SIMD transposes (filter-transpose-simd.ts) import and update in place.
 * The workers belong to the job where it passes its GradientWorkers (gradient-workers.ts): its trainings then reuse
 * them, warm, each from the state fresh workers would have.
 */

/** Contiguous shards of a batch of `n` as even as possible: [start, end) per worker (empty when n < workers). */
export function shardBounds(n: number, workers: number): Array<[number, number]> {
  return Array.from({ length: workers }, (_, s) => [Math.floor((s * n) / workers), Math.floor(((s + 1) * n) / workers)]);
}

interface WasmHeapRead {
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array;
}

/** A view of a tensor's values without a copy where the backend allows it (wasm: its heap), else dataSync's copy. */
function valuesOf(t: tf.Tensor): Float32Array {
  const b = tf.backend() as unknown as Partial<WasmHeapRead>;
  if (tf.getBackend() === 'wasm' && b.typedArrayFromHeap) return b.typedArrayFromHeap(t);
  return t.dataSync() as Float32Array;
}

/**
 * The large filters' products of a shard in the shared arena (kernels/shared-tap-products.ts): `scratch` holds every
 * shard's scratch (layout.scratchFloats each) and `grads` must be a view of `arena`; the filters must be bound
 * (provideSharedFilter) to their W and Wᵀ there.
 */
export interface SharedShardArena {
  arena: WebAssemblyMemory;
  scratch: Float32Array;
}

/**
 * The gradient of Σ|f(x)−y| over one shard (training mode: dropout on), written into slot `part.shard` of
 * `grads` (straight from the wasm heap: one copy; with `shared`, the large filters' dW straight from their products,
 * no copy); returns the summed loss. Shared by the workers and the tests.
 */
export function shardGradientSum(model: tf.LayersModel, vars: readonly tf.Variable[], part: ShardPart, shape: [number, number, number], grads: Float32Array, layout: ParamLayout, shared?: SharedShardArena): { lossSum: number } {
  const base = part.shard * layout.total;
  // The training kernels (core/ml/kernels/conv2d-winograd.ts: the exact product, as in trainRegressor): the backward
  // pass runs outside the tape, so the tape alone would not mark its dx convolutions as training.
  const run = (written: ReadonlySet<object>) =>
    inTrainingRun(() => tf.tidy(() => {
      const x = tf.tensor4d(part.x, [part.count, ...shape]);
      const y = tf.tensor2d(part.y, [part.count, 1]);
      const { value, grads: g } = tf.variableGrads(() => tf.sum(tf.abs(tf.sub(model.apply(x, { training: true }) as tf.Tensor, y))) as tf.Scalar, vars as tf.Variable[]);
      vars.forEach((v, i) => {
        if (!written.has(v.dataId)) grads.set(valuesOf(g[v.name]), base + layout.offsets[i]);
      });
      return { lossSum: value.dataSync()[0] };
    }));
  if (!shared || !layout.scratchFloats) return run(new Set());
  const dW = new Map<object, Float32Array>(layout.transposed.map((t) => [vars[t.index].dataId, grads.subarray(base + t.offset, base + t.offset + layout.sizes[t.index])]));
  const scratch = shared.scratch.subarray(part.shard * layout.scratchFloats, (part.shard + 1) * layout.scratchFloats);
  return withSharedShard(shared.arena, scratch, dW, run);
}

export interface DataParallelOptions {
  workers: number;
  /** The worker threads are already leased by the caller (in the main thread): lease nothing here. */
  granted?: boolean;
  signal?: AbortSignal;
  /**
   * The job's gradient workers (`workers` of them), kept alive across its trainings (gradient-workers.ts); `granted`
   * is then theirs. Absent: the training starts workers of its own and closes them when it ends.
   */
  gradientWorkers?: GradientWorkers;
}

function backendPreference(): BackendPreference {
  const b = tf.getBackend();
  if (b === 'wasm' || b === 'cpu') return b;
  throw new Error(`data-parallel training runs on the wasm or cpu backend, not ${b} (which uses its own threads)`);
}

/** The compiled model's Adam settings (data-parallel training applies Adam itself, on the shared weights). */
function adamConfig(model: tf.LayersModel): AdamConfig {
  const opt = model.optimizer as (tf.Optimizer & { getConfig?: () => Record<string, unknown> }) | undefined;
  if (!opt) throw new Error('data-parallel training needs a compiled model (its optimizer gives the learning rate)');
  if (opt.getClassName() !== 'Adam' || !opt.getConfig) throw new Error(`data-parallel training applies Adam; the model is compiled with ${opt.getClassName()}`);
  const c = opt.getConfig();
  return { learningRate: Number(c.learningRate), beta1: Number(c.beta1), beta2: Number(c.beta2), epsilon: Number(c.epsilon) };
}

/**
 * Where the steps' time went. Wall: waiting for the step's workers vs this thread's own work (cutting and
 * posting shards). Thread-CPU, summed over the workers: reloading weights, shard gradients, reduce + Adam of the
 * slices; `criticalCpuSeconds` sums per step the busiest worker's CPU (the step's length on an idle machine);
 * `barrierSeconds` the wall time workers waited for each other.
 */
export interface ParallelTiming {
  workers: number;
  /** Gradient threads the steps ran on (the app's cap may grant fewer than `workers`). */
  threads: number;
  steps: number;
  workerSeconds: number;
  serialSeconds: number;
  loadCpuSeconds: number;
  gradCpuSeconds: number;
  reduceAdamCpuSeconds: number;
  criticalCpuSeconds: number;
  barrierSeconds: number;
  /** Large-filter layers (forward, dx, dW) the workers computed in the shared arena (kernels/shared-tap-products.ts). */
  sharedLayers: number;
  /**
   * The shortest step's wall time (Infinity before the first): on a machine shared with other work, the nearest
   * to what an idle one gives, as load comes and goes between steps.
   */
  fastestStepSeconds: number;
}

export class DataParallelTrainer {
  private version = 0;
  readonly timing: ParallelTiming;
  private readonly weights: Float32Array;
  private readonly clock: AdamClock;
  private readonly sync: Int32Array;
  private readonly filtersT: Float32Array;
  private finished = false;

  private constructor(
    private readonly vars: tf.Variable[],
    private readonly layout: ParamLayout,
    private readonly pool: WorkerPool<GradMessage, GradResult | null, never, BackendInfo>,
    private readonly handle: GradientWorkers,
    /** Whether this training started the workers itself (then it closes them; else the job's owner does). */
    private readonly owned: boolean,
    /** Stops listening to the training's signal (the job's workers: its cancel discards them). */
    private readonly unlisten: () => void,
    buffers: { weights: Float32Array; sync: SharedArrayBuffer; filtersT: Float32Array },
    adam: AdamConfig,
    readonly workers: number,
    readonly threads: number,
  ) {
    this.weights = buffers.weights;
    this.sync = new Int32Array(buffers.sync);
    this.filtersT = buffers.filtersT;
    this.clock = new AdamClock(adam);
    this.timing = { workers, threads, steps: 0, workerSeconds: 0, serialSeconds: 0, loadCpuSeconds: 0, gradCpuSeconds: 0, reduceAdamCpuSeconds: 0, criticalCpuSeconds: 0, barrierSeconds: 0, sharedLayers: 0, fastestStepSeconds: Number.POSITIVE_INFINITY };
  }

  /**
   * Begins a training of the model on `workers` replicas (on this thread's backend) and publishes its weights: on the
   * job's gradient workers when given (kept warm across its trainings, gradient-workers.ts), else on workers of its own.
   */
  static async start(model: tf.LayersModel, opts: DataParallelOptions): Promise<DataParallelTrainer> {
    if (!Number.isInteger(opts.workers) || opts.workers < 1) throw new Error(`workers must be a positive integer, got ${opts.workers}`);
    if (opts.gradientWorkers && opts.gradientWorkers.workers !== opts.workers) throw new Error(`the job's gradient workers are ${opts.gradientWorkers.workers}, the training asks for ${opts.workers}`);
    if (opts.signal?.aborted) throw new CancelledError('training cancelled');
    const adam = adamConfig(model);
    const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
    const backend = backendPreference();
    const layout = paramLayout(vars, backend === 'wasm');
    const owned = !opts.gradientWorkers;
    const handle = opts.gradientWorkers ?? new GradientWorkers({ workers: opts.workers, granted: opts.granted, signal: opts.signal });
    // The job's workers outlive this training: its cancel terminates them (a step in flight then fails), and the next
    // training starts fresh ones. Workers of its own already stop on the signal.
    const stopOnAbort = () => void handle.discard();
    const signal = owned ? undefined : opts.signal;
    signal?.addEventListener('abort', stopOnAbort, { once: true });
    const unlisten = () => signal?.removeEventListener('abort', stopOnAbort);
    try {
      const { pool, threads, buffers } = await handle.begin(backend, { model: await modelToArtifacts(model), layout, adam });
      const t = new DataParallelTrainer(vars, layout, pool, handle, owned, unlisten, buffers, adam, opts.workers, threads);
      t.publishWeights();
      return t;
    } catch (err) {
      unlisten();
      await (owned ? handle.close() : handle.discard());
      throw opts.signal?.aborted && !(err instanceof CancelledError) ? new CancelledError('training cancelled') : err;
    }
  }

  /** Copies this thread's model weights to the workers (at the start, or after setWeights). */
  publishWeights(): void {
    this.vars.forEach((v, i) => this.weights.set(v.dataSync() as Float32Array, this.layout.offsets[i]));
    transposeRange(this.weights, this.layout.transposed, this.filtersT, 0, this.layout.total);
    this.version++;
  }

  /** Gives this thread's model the trained weights (they live in shared memory during the steps). */
  syncModel(): void {
    loadFlatWeights(this.vars, this.layout, this.weights, false);
  }

  /**
   * One step on a batch (`count` samples, NHWC floats): the mean-loss gradient over the whole batch, reduced
   * from the shards in order and applied with the model's compiled Adam by the workers; returns the batch's mean loss.
   */
  async step(x: Float32Array, y: Float32Array, count: number, shape: [number, number, number], step: number): Promise<number> {
    const t0 = performance.now();
    const per = shape[0] * shape[1] * shape[2];
    const parts: ShardPart[] = shardBounds(count, this.workers)
      .map(([s, e], shard) => ({ shard, x: x.slice(s * per, e * per), y: y.slice(s, e), count: e - s }))
      .filter((p) => p.count > 0);
    const shards = parts.map((p) => p.shard);
    const parties = Math.min(this.threads, parts.length);
    const adam = this.clock.next();
    resetBarrier(this.sync); // every worker is idle here: the previous step's tasks have all answered
    const tasks = Array.from({ length: parties }, (_, k) => {
      const mine = parts.slice(Math.floor((k * parts.length) / parties), Math.floor(((k + 1) * parts.length) / parties));
      const task: GradTask = { kind: 'step', version: this.version, step, shape, parts: mine, shards, count, parties, slice: sliceBounds(this.layout.total, parties, k), adam };
      // A step always answers a GradResult (only a training's begin and end answer null).
      return this.pool.run(task, { transfer: mine.flatMap((p) => [p.x.buffer as ArrayBuffer, p.y.buffer as ArrayBuffer]) }) as Promise<GradResult>;
    });
    const t1 = performance.now();
    const results = await Promise.all(tasks);
    const t2 = performance.now();
    this.version++;
    const tm = this.timing;
    tm.steps++;
    tm.workerSeconds += (t2 - t1) / 1000;
    tm.fastestStepSeconds = Math.min(tm.fastestStepSeconds, (t2 - t0) / 1000);
    let loss = 0;
    let critical = 0;
    for (const r of results) {
      loss += r.lossSum;
      tm.loadCpuSeconds += r.loadMs / 1000;
      tm.gradCpuSeconds += r.gradMs / 1000;
      tm.reduceAdamCpuSeconds += r.reduceAdamMs / 1000;
      tm.barrierSeconds += r.barrierMs / 1000;
      tm.sharedLayers += r.sharedLayers;
      critical = Math.max(critical, r.loadMs + r.gradMs + r.reduceAdamMs);
    }
    tm.criticalCpuSeconds += critical / 1000;
    tm.serialSeconds += (t1 - t0 + performance.now() - t2) / 1000;
    return loss / count;
  }

  /** The backend the workers run on. */
  backend(): Promise<BackendInfo> {
    return this.pool.ready();
  }

  /**
   * Ends the training (idempotent). `ok`: it completed, and the job's workers stay for its next training; otherwise
   * (failed, cancelled) they are terminated, so that nothing it left is read again — a step in flight fails with a
   * CancelledError. Workers of its own are closed either way.
   */
  async close(ok = false): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    this.unlisten();
    if (this.owned) await this.handle.close();
    else if (ok) await this.handle.end();
    else await this.handle.discard();
  }
}
