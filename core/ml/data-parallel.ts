import * as tf from '@tensorflow/tfjs';
import type { BackendInfo, BackendPreference } from '../api/methods/system.js';
import { WorkerPool } from '../runtime/worker-pool.js';
import { CancelledError } from '../runtime/cancelled.js';
import { modelToArtifacts, type ModelArtifactsPlain } from './model-io.js';
import { FlatAdam, type AdamConfig } from './flat-adam.js';

/**
 * Data-parallel training on CPU backends (tfjs-backend-wasm is single-threaded in Node): N gradient workers
 * (grad.worker.ts) each hold a replica of the model; per step the batch is cut into N contiguous shards,
 * each worker computes the gradient of the SUMMED loss of its shard and writes it to its own slot of a
 * shared buffer; this thread adds the slots in shard order (fixed, whatever finished first), divides by
 * the batch size (= the full-batch mean-loss gradient) and applies Adam (flat-adam.ts: tfjs's formula in one
 * pass) straight to the weights in shared memory, which the workers read at their next task; the model on this
 * thread gets them back at syncModel() (each epoch's end, before validation). Deterministic for a seed and a
 * worker count: shards, reduction order and dropout masks (SeededDropout.setStep) depend on nothing else.
 */

export interface ParamLayout {
  shapes: number[][];
  sizes: number[];
  /** Float offset of each trainable variable in the flat weight (and per-shard gradient) buffers. */
  offsets: number[];
  total: number;
}

export interface GradWorkerInput {
  backend: BackendPreference;
  model: ModelArtifactsPlain;
  /** layout.total floats: the current weights. */
  weights: SharedArrayBuffer;
  /** workers × layout.total floats: one gradient slot per shard. */
  grads: SharedArrayBuffer;
  layout: ParamLayout;
}

export interface GradTask {
  /** Weight version: the worker reloads the shared weights when it changes. */
  version: number;
  /** Training step of the run (0-based): selects the dropout masks. */
  step: number;
  shard: number;
  x: Float32Array;
  y: Float32Array;
  count: number;
  shape: [number, number, number];
}

export function paramLayout(vars: readonly tf.Variable[]): ParamLayout {
  const shapes = vars.map((v) => v.shape.slice());
  const sizes = vars.map((v) => v.size);
  const offsets: number[] = [];
  let total = 0;
  for (const s of sizes) {
    offsets.push(total);
    total += s;
  }
  return { shapes, sizes, offsets, total };
}

/** Contiguous shards of a batch of `n` as even as possible: [start, end) per worker (empty when n < workers). */
/**
 * Loads flat weights (the shared buffer) into the variables. Each new tensor hands its data to its variable and is
 * then disposed (tidy): left alive, it would keep every earlier weight set in memory — a whole model per step in a
 * gradient worker. `view`: the backend copies the values at creation (wasm's heap), so a view of the buffer will do;
 * cpu keeps the array itself, which the coordinator overwrites at the next step, so it gets a copy.
 */
export function loadFlatWeights(vars: readonly tf.Variable[], layout: ParamLayout, flat: Float32Array, view: boolean): void {
  tf.tidy(() => {
    vars.forEach((v, i) => {
      const off = layout.offsets[i];
      const end = off + layout.sizes[i];
      v.assign(tf.tensor(view ? flat.subarray(off, end) : flat.slice(off, end), v.shape));
    });
  });
}

export function shardBounds(n: number, workers: number): Array<[number, number]> {
  return Array.from({ length: workers }, (_, s) => [Math.floor((s * n) / workers), Math.floor(((s + 1) * n) / workers)]);
}

/**
 * The gradient of Σ|f(x)−y| over one shard (training mode: dropout on), written into slot `task.shard` of
 * `grads`; returns the summed loss. Shared by the workers and the tests (the reference computation).
 */
export function shardGradientSum(model: tf.LayersModel, vars: readonly tf.Variable[], task: GradTask, grads: Float32Array, layout: ParamLayout): { lossSum: number } {
  const base = task.shard * layout.total;
  return tf.tidy(() => {
    const x = tf.tensor4d(task.x, [task.count, ...task.shape]);
    const y = tf.tensor2d(task.y, [task.count, 1]);
    const { value, grads: g } = tf.variableGrads(() => tf.sum(tf.abs(tf.sub(model.apply(x, { training: true }) as tf.Tensor, y))) as tf.Scalar, vars as tf.Variable[]);
    vars.forEach((v, i) => grads.set(g[v.name].dataSync() as Float32Array, base + layout.offsets[i]));
    return { lossSum: value.dataSync()[0] };
  });
}

/**
 * The mean-loss gradient of the whole batch from per-shard summed-loss gradients: the slots of `shards`
 * added in the order given (fixed: the result never depends on which worker finished first), then / count.
 */
export function reduceShards<T extends Float32Array>(grads: Float32Array, shards: readonly number[], total: number, count: number, out: T): T {
  out.set(grads.subarray(shards[0] * total, shards[0] * total + total));
  for (let k = 1; k < shards.length; k++) {
    const g = grads.subarray(shards[k] * total, shards[k] * total + total);
    for (let i = 0; i < total; i++) out[i] += g[i];
  }
  const inv = 1 / count;
  for (let i = 0; i < total; i++) out[i] *= inv;
  return out;
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

/** Where the steps' time went: waiting for the gradient workers vs this thread's reduce + Adam + publish. */
export interface ParallelTiming {
  workers: number;
  steps: number;
  workerSeconds: number;
  serialSeconds: number;
}

export class DataParallelTrainer {
  private version = 0;
  readonly timing: ParallelTiming;
  private readonly weights: Float32Array;
  private readonly grads: Float32Array;
  private readonly acc: Float32Array;
  private readonly adam: FlatAdam;

  private constructor(
    private readonly vars: tf.Variable[],
    private readonly layout: ParamLayout,
    private readonly pool: WorkerPool<GradTask, { lossSum: number }, never, BackendInfo>,
    weights: SharedArrayBuffer,
    grads: SharedArrayBuffer,
    readonly workers: number,
    adam: AdamConfig,
  ) {
    this.weights = new Float32Array(weights);
    this.grads = new Float32Array(grads);
    this.acc = new Float32Array(layout.total);
    this.adam = new FlatAdam(layout.total, adam);
    this.timing = { workers, steps: 0, workerSeconds: 0, serialSeconds: 0 };
  }

  /** Starts `workers` replicas of the model (on this thread's backend) and publishes its weights. */
  static async start(model: tf.LayersModel, opts: DataParallelOptions): Promise<DataParallelTrainer> {
    if (!Number.isInteger(opts.workers) || opts.workers < 1) throw new Error(`workers must be a positive integer, got ${opts.workers}`);
    if (opts.signal?.aborted) throw new CancelledError('training cancelled');
    const adam = adamConfig(model);
    const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
    const layout = paramLayout(vars);
    const weights = new SharedArrayBuffer(layout.total * 4);
    const grads = new SharedArrayBuffer(layout.total * 4 * opts.workers);
    const input: GradWorkerInput = { backend: backendPreference(), model: await modelToArtifacts(model), weights, grads, layout };
    const pool = new WorkerPool<GradTask, { lossSum: number }, never, BackendInfo>(new URL('./grad.worker.js', import.meta.url), {
      size: opts.workers,
      granted: opts.granted ? opts.workers : undefined,
      workerData: input,
      signal: opts.signal,
      what: 'training',
    });
    const t = new DataParallelTrainer(vars, layout, pool, weights, grads, opts.workers, adam);
    t.publishWeights();
    return t;
  }

  /** Copies this thread's model weights to the workers (at the start, or after setWeights). */
  publishWeights(): void {
    this.vars.forEach((v, i) => this.weights.set(v.dataSync() as Float32Array, this.layout.offsets[i]));
    this.version++;
  }

  /** Gives this thread's model the trained weights (they live in shared memory during the steps). */
  syncModel(): void {
    loadFlatWeights(this.vars, this.layout, this.weights, false);
  }

  /**
   * One step on a batch (`count` samples, NHWC floats): the mean-loss gradient over the whole batch, reduced
   * from the shards in order, applied with the model's compiled optimizer; returns the batch's mean loss.
   */
  async step(x: Float32Array, y: Float32Array, count: number, shape: [number, number, number], step: number): Promise<number> {
    const t0 = performance.now();
    const per = shape[0] * shape[1] * shape[2];
    const bounds = shardBounds(count, this.workers);
    const live = bounds.map((b, shard) => ({ shard, b })).filter(({ b }) => b[1] > b[0]);
    const results = await Promise.all(
      live.map(({ shard, b: [s, e] }) => {
        const xs = x.slice(s * per, e * per);
        const ys = y.slice(s, e);
        return this.pool.run({ version: this.version, step, shard, x: xs, y: ys, count: e - s, shape }, { transfer: [xs.buffer, ys.buffer] });
      }),
    );
    const t1 = performance.now();
    const acc = reduceShards(this.grads, live.map((l) => l.shard), this.layout.total, count, this.acc);
    this.adam.apply(this.weights, acc);
    this.version++;
    this.timing.steps++;
    this.timing.workerSeconds += (t1 - t0) / 1000;
    this.timing.serialSeconds += (performance.now() - t1) / 1000;
    let loss = 0;
    for (const r of results) loss += r.lossSum;
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
