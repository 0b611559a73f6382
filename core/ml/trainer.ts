import * as tf from '@tensorflow/tfjs';
import { createRng, shuffled } from '../runtime/random.js';
import { CancelledError } from '../runtime/cancelled.js';
import type { EpochLog } from '../api/methods/cnn.js';
import { batchTensor, predictAll, subset, type SampleSet } from './tensors.js';
import { DataParallelTrainer, type ParallelTiming } from './data-parallel.js';
import type { GradientWorkers } from './gradient-workers.js';
import { resetDropoutSequences } from './architecture.js';
import { beginGpuWork, throwIfGpuFailed } from './webgpu-backend.js';
import { assertTrainingBatchFits } from './webgpu-limits.js';
import { phrase } from '../api/phrase.js';
import { FailedError } from '../runtime/failure.js';
import { adam } from './heap-adam.js';
import { beginTrainingRun } from './kernels/conv2d-winograd.js';

/**
 * One epoch of a run, the contract's shape (stored with the run and sent to the UI): `loss` is the mean
 * training MAE over the epoch's batches (target units × yScale), `valMae` the validation MAE after the epoch
 * (null without a validation set), `etaS` the estimated seconds left if training runs to the epoch limit.
 */
export type { EpochLog };

export interface TrainOptions {
  epochs: number;
  batchSize: number;
  learningRate: number;
  /** Epochs without a validation improvement before stopping (paper: 50). */
  patience: number;
  seed: number;
  /** Improvement smaller than this does not reset the patience counter. */
  minDelta?: number;
  /** Multiplies reported losses (targets are standardised for training; report in wt.%). */
  yScale?: number;
  signal?: AbortSignal;
  onEpoch?: (log: EpochLog) => void;
  /**
   * Data-parallel training on `workers` gradient threads (core/ml/data-parallel.ts; wasm/cpu backends).
   * Absent: every step runs in this thread. `granted`: the caller already leased the threads. `gradientWorkers`: the
   * job's workers, kept warm across its trainings (core/ml/gradient-workers.ts; then `workers` must be theirs).
   */
  parallel?: { workers: number; granted?: boolean; gradientWorkers?: GradientWorkers };
}

export interface TrainResult {
  history: EpochLog[];
  /** 1-based epoch whose weights the model holds at the end (the best validation epoch). */
  bestEpoch: number;
  bestValMae: number | null;
  stoppedEarly: boolean;
  /** true when the weights were rolled back to an earlier epoch than the last one run. */
  restoredBest: boolean;
  /** Data-parallel runs: where the steps' time went (wall, and the workers' thread-CPU per phase; see ParallelTiming). */
  parallel?: ParallelTiming;
  /** Data-parallel runs: `parallel` as it stood at each epoch's end (cumulative), so that a bench can leave the first epochs (start-up, JIT warm-up) out. */
  parallelByEpoch?: ParallelTiming[];
}

export const BATCH_SIZES = [16, 32, 64] as const;


/** Mean absolute error of the model on a set, in target units. */
export async function evaluateMae(model: tf.LayersModel, set: SampleSet, batchSize = 32): Promise<number> {
  const pred = await predictAll(model, set.x, set.count, set.shape, batchSize);
  let s = 0;
  for (let i = 0; i < set.count; i++) s += Math.abs(pred[i] - set.y[i]);
  return s / set.count;
}

/**
 * Adam on MAE with mini-batches in a seeded order, early stopping on validation MAE with patience,
 * and the best epoch's weights restored at the end (the paper's protocol). Cancels between batches
 * through the signal and throws an AbortError; the caller's model is then left as it was mid-run,
 * so callers must not persist it.
 */
export async function trainRegressor(model: tf.LayersModel, train: SampleSet, val: SampleSet | null, opts: TrainOptions): Promise<TrainResult> {
  if (!Number.isInteger(opts.epochs) || opts.epochs < 1) throw new Error(`epochs must be a positive integer, got ${opts.epochs}`);
  if (!Number.isInteger(opts.batchSize) || opts.batchSize < 1) throw new Error(`batch size must be a positive integer, got ${opts.batchSize}`);
  if (!(opts.learningRate > 0)) throw new Error(`learning rate must be positive, got ${opts.learningRate}`);
  if (train.count < 1) throw new Error('no training samples');
  const yScale = opts.yScale ?? 1;
  const minDelta = opts.minDelta ?? 0;
  beginGpuWork();
  assertTrainingBatchFits(model, Math.min(opts.batchSize, train.count));
  model.compile({ optimizer: adam(opts.learningRate), loss: 'meanAbsoluteError' });
  resetDropoutSequences(model);
  const rng = createRng(opts.seed);
  const order = Array.from({ length: train.count }, (_, i) => i);
  const history: EpochLog[] = [];
  let best = Number.POSITIVE_INFINITY;
  let bestEpoch = 0;
  let bestWeights: tf.Tensor[] | null = null;
  let wait = 0;
  let stoppedEarly = false;
  const t0 = performance.now();
  const parallel = opts.parallel ? await DataParallelTrainer.start(model, { ...opts.parallel, signal: opts.signal }) : null;
  let step = 0;
  const byEpoch: ParallelTiming[] = [];
  const endTrainingRun = beginTrainingRun();
  // Whether the run completed: only then may the job's gradient workers train its next model (data-parallel.ts close).
  let completed = false;
  try {
    for (let epoch = 1; epoch <= opts.epochs; epoch++) {
      const te = performance.now();
      const perm = shuffled(order, rng);
      let lossSum = 0;
      let seen = 0;
      for (let start = 0; start < perm.length; start += opts.batchSize) {
        if (opts.signal?.aborted) throw new CancelledError('training cancelled');
        const idx = perm.slice(start, start + opts.batchSize);
        const loss = parallel ? await parallelStep(parallel, train, idx, step) : await singleStep(model, train, idx);
        step++;
        if (!Number.isFinite(loss)) throw FailedError.said('failed_precondition', phrase('workerErrors.trainingDiverged', { epoch, loss: String(loss) }));
        lossSum += loss * idx.length;
        seen += idx.length;
        // Lets timers and messages (cancel) through between batches.
        await new Promise<void>((r) => setImmediate(r));
      }
      parallel?.syncModel(); // the steps updated the shared weights, not the model's variables
      if (parallel) byEpoch.push({ ...parallel.timing });
      const valMae = val && val.count ? await evaluateMae(model, val) : null;
      const seconds = (performance.now() - te) / 1000;
      const mean = (performance.now() - t0) / 1000 / epoch;
      const log: EpochLog = { epoch, loss: (lossSum / seen) * yScale, valMae: valMae === null ? null : valMae * yScale, seconds, etaS: mean * (opts.epochs - epoch) };
      history.push(log);
      const monitored = valMae ?? lossSum / seen;
      if (monitored < best - minDelta) {
        best = monitored;
        bestEpoch = epoch;
        wait = 0;
        bestWeights?.forEach((t) => t.dispose());
        bestWeights = model.getWeights().map((w) => w.clone());
      } else {
        wait++;
      }
      opts.onEpoch?.(log);
      if (wait >= opts.patience && epoch < opts.epochs) {
        stoppedEarly = true;
        break;
      }
    }
    const restoredBest = bestWeights !== null && bestEpoch !== history.length;
    if (bestWeights && restoredBest) model.setWeights(bestWeights);
    completed = true;
    return { history, bestEpoch, bestValMae: val && val.count ? best * yScale : null, stoppedEarly, restoredBest, ...(parallel ? { parallel: { ...parallel.timing }, parallelByEpoch: byEpoch } : {}) };
  } catch (err) {
    // A step in flight when the signal fired fails with the pool's error: say it as the cancel it is.
    throw opts.signal?.aborted && !(err instanceof CancelledError) ? new CancelledError('training cancelled') : err;
  } finally {
    endTrainingRun();
    bestWeights?.forEach((t) => t.dispose());
    await parallel?.close(completed);
  }
}

async function singleStep(model: tf.LayersModel, train: SampleSet, idx: number[]): Promise<number> {
  const xb = batchTensor(train, idx);
  const yb = tf.tensor2d(idx.map((i) => train.y[i]), [idx.length, 1]);
  try {
    const loss = (await model.trainOnBatch(xb, yb)) as number;
    throwIfGpuFailed(); // a dropped GPU command reads back as a plausible loss
    return loss;
  } finally {
    xb.dispose();
    yb.dispose();
  }
}

function parallelStep(parallel: DataParallelTrainer, train: SampleSet, idx: number[], step: number): Promise<number> {
  const b = subset(train, idx);
  return parallel.step(b.x, b.y, b.count, b.shape, step);
}
