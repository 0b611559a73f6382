import { tf } from './backend.js';
import { buildModel, type ArchitectureSpec } from './architecture.js';
import { throwIfGpuFailed } from './webgpu-backend.js';
import { assertTrainingBatchFits } from './webgpu-limits.js';
import { adam } from './heap-adam.js';
import { beginTrainingRun } from './kernels/conv2d-winograd.js';

/** A measured training step and how it was measured (said with every estimate made from it). */
export interface MeasuredStep {
  /** Seconds of one warm step: the median of the timed steps. */
  seconds: number;
  /** Steps run and discarded first (weight allocation, kernel set-up, V8 and wasm compilation of the first calls). */
  discarded: number;
  /** Seconds of the very first (cold) step, for the record: never the basis. */
  coldSeconds: number;
  /** Steps timed after the warm-up. */
  timed: number;
  /** Threads the step ran on (this one: the probe does not start gradient workers). */
  threads: number;
}

export interface WarmUpRule {
  /** Always discarded first (the first call's set-up). */
  minDiscard: number;
  /** At most this many discarded (a small network's JIT warm-up takes about ten steps). */
  maxDiscard: number;
  /** Discarding stops once the discarded steps took this long together: a large network warms in a step or two. */
  warmUpSeconds: number;
  /** Steps timed after the warm-up; their median is the step. */
  timed: number;
}

/**
 * A fresh worker's first steps are slower than a run's steps by 2–5× (measured, bench/train-estimate-step.ts): one
 * untimed step was not enough. Steps are discarded until `maxDiscard` or `warmUpSeconds` of them, then `timed` are timed.
 */
export const WARM_UP: WarmUpRule = { minDiscard: 2, maxDiscard: 10, warmUpSeconds: 1.5, timed: 3 };

/**
 * Times `step` (one training step; returns when it is done) warm: discards the first steps by `rule`, then the
 * median of the timed ones. `clock` in seconds (a test gives a scripted one).
 */
export async function warmStepSeconds(step: () => Promise<void>, rule: WarmUpRule = WARM_UP, clock: () => number = () => performance.now() / 1000): Promise<Omit<MeasuredStep, 'threads'>> {
  const timeOne = async () => {
    const t = clock();
    await step();
    return clock() - t;
  };
  const coldSeconds = await timeOne();
  let discarded = 1;
  let spent = coldSeconds;
  while (discarded < rule.maxDiscard && (discarded < rule.minDiscard || spent < rule.warmUpSeconds)) {
    spent += await timeOne();
    discarded++;
  }
  const times: number[] = [];
  for (let i = 0; i < rule.timed; i++) times.push(await timeOne());
  times.sort((a, b) => a - b);
  return { seconds: times[Math.floor(times.length / 2)], discarded, coldSeconds, timed: rule.timed };
}

/**
 * One warm training step (forward + backward + Adam update on one full batch) of an architecture on the backend
 * already active in this thread, on one thread: the basis of the time estimate a training run states before it
 * starts. On a random batch: the numbers do not matter, only the work. Wall time (the run's time is wall time on
 * the same loaded machine); `clock` for a bench.
 */
export async function measureTrainStep(spec: ArchitectureSpec, batchSize: number, rule: WarmUpRule = WARM_UP, clock?: () => number): Promise<MeasuredStep> {
  const model = buildModel(spec, 1);
  const xs = tf.randomUniform([batchSize, spec.inputSize, spec.inputSize, spec.channels]);
  const ys = tf.randomNormal([batchSize, 1]);
  // On the training kernels (the exact Winograd product, core/ml/kernels/conv2d-winograd.ts), as the run it estimates.
  const endTrainingRun = beginTrainingRun();
  try {
    assertTrainingBatchFits(model, batchSize);
    model.compile({ optimizer: adam(1e-3), loss: 'meanAbsoluteError' });
    const measured = await warmStepSeconds(async () => {
      await model.trainOnBatch(xs, ys);
      throwIfGpuFailed();
    }, rule, clock);
    return { ...measured, threads: 1 };
  } finally {
    endTrainingRun();
    xs.dispose();
    ys.dispose();
    model.dispose();
  }
}
