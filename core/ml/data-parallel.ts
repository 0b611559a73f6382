import * as tf from '@tensorflow/tfjs';
import type { BackendInfo, BackendPreference } from '../api/methods/system.js';
import { WorkerPool } from '../runtime/worker-pool.js';
import { CancelledError } from '../runtime/cancelled.js';
import { modelToArtifacts, type ModelArtifactsPlain } from './model-io.js';
import { AdamClock, type AdamConfig, type AdamFactors } from './flat-adam.js';
import { resetBarrier, sliceBounds, SYNC_INTS, transposeRange } from './reduce-scatter.js';
import { loadFlatWeights, paramLayout, type ParamLayout } from './param-layout.js';
import { inTrainingRun } from './kernels/conv2d-winograd.js';
import { arenaPages, sharedArena, type WebAssemblyMemory } from './adam-shared.js';
import { withSharedShard } from './kernels/shared-tap-products.js';

export { loadFlatWeights, paramLayout, type ParamLayout };

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
 * Weights, moments, gradient slots and the transposes are views of one shared WebAssembly.Memory (sharedBuffers
 * below), which the workers' SIMD reduce + Adam (adam-shared.ts, any worker count and batch; bit for bit the copying
 * path) and SIMD transposes (filter-transpose-simd.ts) import and update in place.
 */

export interface GradWorkerInput {
  backend: BackendPreference;
  model: ModelArtifactsPlain;
  layout: ParamLayout;
  adam: AdamConfig;
  /** layout.total floats: the current weights. */
  weights: Float32Array;
  /** layout.total floats each: Adam's first and second moments. */
  m: Float32Array;
  v: Float32Array;
  /** shards × layout.total floats: one gradient slot per shard. */
  grads: Float32Array;
  /**
   * The shared WebAssembly.Memory the four arrays above are views of (null where shared WebAssembly memory is
   * missing: then plain SharedArrayBuffers): the workers' reduce + Adam then runs in place in it (adam-shared.ts).
   */
  arena: WebAssemblyMemory | null;
  /** The step's barrier (reduce-scatter.ts). */
  sync: SharedArrayBuffer;
  /** layout.transposedTotal floats: the large filters' transposes, always those of `weights` (in the arena, after the slots). */
  filtersT: Float32Array;
  /** shards × layout.scratchFloats floats: each shard's scratch for the large filters' products in the arena (kernels/shared-tap-products.ts). */
  scratch: Float32Array;
}

/**
 * Weights, moments, the gradient slots and the large filters' transposes (`transposedTotal` floats) in one shared
 * arena (views; typed arrays over shared memory reach the workers as views of the same memory), each region 16-byte
 * aligned, the transposes 64-byte (filter-transpose-simd.ts writes them there in SIMD, whole cache lines at a time).
 */
export function sharedBuffers(total: number, slots: number, transposedTotal: number, scratchFloats = 0): Pick<GradWorkerInput, 'weights' | 'm' | 'v' | 'grads' | 'arena' | 'filtersT' | 'scratch'> {
  const stride = Math.ceil(total / 4) * 4;
  const tAt = Math.ceil((stride * 3 + slots * total) / 16) * 16;
  const sAt = Math.ceil((tAt + transposedTotal) / 16) * 16;
  const floats = sAt + slots * scratchFloats;
  const arena = sharedArena(arenaPages(floats));
  const buffer = arena ? arena.buffer : new SharedArrayBuffer(floats * 4);
  const view = (at: number, n: number) => new Float32Array(buffer, at * 4, n);
  // The slots are `total` floats apart (the reduction's indexing): one region of slots · total floats.
  return { weights: view(0, total), m: view(stride, total), v: view(2 * stride, total), grads: view(3 * stride, slots * total), filtersT: view(tAt, transposedTotal), scratch: view(sAt, slots * scratchFloats), arena };
}

/** One shard of a batch: samples [start, end) as NHWC floats and their targets. */
export interface ShardPart {
  shard: number;
  x: Float32Array;
  y: Float32Array;
  count: number;
}

export interface GradTask {
  /** Weight version: the worker reloads the shared weights when it changes. */
  version: number;
  /** Training step of the run (0-based): selects the dropout masks. */
  step: number;
  shape: [number, number, number];
  /** The shards this worker computes (usually one). */
  parts: ShardPart[];
  /** Every non-empty shard of the step, in reduction order. */
  shards: number[];
  /** Samples in the whole batch. */
  count: number;
  /** Workers taking part in this step (the barrier's parties). */
  parties: number;
  /** The parameters [from, to) this worker reduces and updates. */
  slice: [number, number];
  adam: AdamFactors;
}

/** A worker's answer: the summed loss of its shards and its phases (thread-CPU ms; the barrier in wall ms). */
export interface GradResult {
  lossSum: number;
  loadMs: number;
  gradMs: number;
  reduceAdamMs: number;
  barrierMs: number;
  /** Large-filter layers (forward, dx, dW) computed in the shared arena, not on the heap (kernels/shared-tap-products.ts). */
  sharedLayers: number;
}

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

  private constructor(
    private readonly vars: tf.Variable[],
    private readonly layout: ParamLayout,
    private readonly pool: WorkerPool<GradTask, GradResult, never, BackendInfo>,
    input: GradWorkerInput,
    readonly workers: number,
    readonly threads: number,
  ) {
    this.weights = input.weights;
    this.sync = new Int32Array(input.sync);
    this.filtersT = input.filtersT;
    this.clock = new AdamClock(input.adam);
    this.timing = { workers, threads, steps: 0, workerSeconds: 0, serialSeconds: 0, loadCpuSeconds: 0, gradCpuSeconds: 0, reduceAdamCpuSeconds: 0, criticalCpuSeconds: 0, barrierSeconds: 0, sharedLayers: 0, fastestStepSeconds: Number.POSITIVE_INFINITY };
  }

  /** Starts `workers` replicas of the model (on this thread's backend) and publishes its weights. */
  static async start(model: tf.LayersModel, opts: DataParallelOptions): Promise<DataParallelTrainer> {
    if (!Number.isInteger(opts.workers) || opts.workers < 1) throw new Error(`workers must be a positive integer, got ${opts.workers}`);
    if (opts.signal?.aborted) throw new CancelledError('training cancelled');
    const adam = adamConfig(model);
    const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
    const backend = backendPreference();
    const layout = paramLayout(vars, backend === 'wasm');
    const input: GradWorkerInput = {
      backend,
      model: await modelToArtifacts(model),
      layout,
      adam,
      ...sharedBuffers(layout.total, opts.workers, layout.transposedTotal, layout.scratchFloats),
      sync: new SharedArrayBuffer(SYNC_INTS * 4),
    };
    const pool = new WorkerPool<GradTask, GradResult, never, BackendInfo>(new URL('./grad.worker.js', import.meta.url), {
      size: opts.workers,
      granted: opts.granted ? opts.workers : undefined,
      workerData: input,
      signal: opts.signal,
      what: 'training',
    });
    // The barrier needs every task of a step running at once: never more tasks than threads.
    const threads = Math.min(opts.workers, await pool.threads());
    if (threads < 1) {
      await pool.close();
      throw opts.signal?.aborted ? new CancelledError('training cancelled') : new Error('no gradient worker could be started');
    }
    const t = new DataParallelTrainer(vars, layout, pool, input, opts.workers, threads);
    t.publishWeights();
    return t;
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
      const task: GradTask = { version: this.version, step, shape, parts: mine, shards, count, parties, slice: sliceBounds(this.layout.total, parties, k), adam };
      return this.pool.run(task, { transfer: mine.flatMap((p) => [p.x.buffer as ArrayBuffer, p.y.buffer as ArrayBuffer]) });
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

  /** Stops the workers (idempotent); a step in flight fails with a CancelledError. */
  close(): Promise<void> {
    return this.pool.close();
  }
}
