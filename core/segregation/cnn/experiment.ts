import type * as tf from '@tensorflow/tfjs';
import { buildModel, type ArchitectureSpec } from '../../ml/architecture.js';
import { trainRegressor, type EpochLog } from '../../ml/trainer.js';
import { predictTta } from '../../ml/tta.js';
import { regressionMetrics, summariseMetrics, type RegressionMetrics } from '../../ml/metrics.js';
import { modelFromArtifacts, modelToArtifacts, type ModelArtifactsPlain } from '../../ml/model-io.js';
import { pointSamples, targetScaling, type TargetScaling } from './dataset.js';
import type { PointSplit } from './splits.js';
import type { Phrase } from '../../api/phrase.js';
import { augmentationTransforms, type Augmentation } from '../../imaging/augment.js';
import { GradientWorkers } from '../../ml/gradient-workers.js';

export interface Hyperparameters {
  epochs: number;
  batchSize: number;
  learningRate: number;
  patience: number;
  /**
   * Which dihedral copies of each training point an epoch iterates over (Supp. Table 1's ablation): absent =
   * `both`, the whole group, which is what models stored before the switch were trained with.
   */
  augment?: Augmentation;
}

export interface ExperimentInput {
  architecture: ArchitectureSpec;
  hyper: Hyperparameters;
  /** One grey patch per point (size × size) and its carbon (wt.%). */
  patches: Uint8Array[];
  carbon: number[];
  splits: PointSplit[];
  /** Trains the stored model on all points after the evaluation splits (null: store split 1's model). */
  final: PointSplit | null;
  /** Fine-tuning: every run starts from these weights instead of a fresh initialisation. */
  baseModel?: ModelArtifactsPlain | null;
  /** Data-parallel training on this many gradient workers (see core/ml/data-parallel.ts); absent: one thread. */
  parallel?: { workers: number; granted?: boolean };
}

export interface PointPrediction {
  /** Index into the dataset's point list. */
  index: number;
  actual: number;
  /** Mean and sd over the 8 dihedral transforms (test-time augmentation). */
  mean: number;
  sd: number;
}

export interface RunResult {
  name: string;
  /** `name` as a phrase (its split's). */
  namePhrase?: Phrase;
  seed: number;
  bestEpoch: number;
  stoppedEarly: boolean;
  history: EpochLog[];
  /** Training samples one epoch iterates over: training points × the augmentation's copies. */
  trainSamples: number;
  scaling: TargetScaling;
  train: RegressionMetrics;
  test: RegressionMetrics | null;
  /** Baseline: MAE of predicting the training mean for every test point. */
  testMaeOfTrainMean: number | null;
  trainPoints: PointPrediction[];
  testPoints: PointPrediction[];
}

export interface ExperimentResult {
  splits: RunResult[];
  summary: { test: ReturnType<typeof summariseMetrics>; train: ReturnType<typeof summariseMetrics> } | null;
  final: RunResult;
  artifacts: ModelArtifactsPlain;
}

export interface ExperimentHooks {
  signal?: AbortSignal;
  onEpoch?: (runIndex: number, runCount: number, runName: string, log: EpochLog, history: EpochLog[]) => void;
}

async function runOne(input: ExperimentInput, split: PointSplit, runIndex: number, runCount: number, hooks: ExperimentHooks, gradientWorkers?: GradientWorkers): Promise<{ result: RunResult; model: tf.LayersModel }> {
  const a = input.architecture;
  const pick = (idx: number[]) => idx.map((i) => input.patches[i]);
  const carb = (idx: number[]) => idx.map((i) => input.carbon[i]);
  const scaling = targetScaling(carb(split.train));
  const trainSet = pointSamples(pick(split.train), carb(split.train), a.inputSize, a.channels, scaling, augmentationTransforms(input.hyper.augment));
  // Validation scores the model as prediction does (all 8 views, TTA), whatever the training augmentation.
  const valSet = split.val.length ? pointSamples(pick(split.val), carb(split.val), a.inputSize, a.channels, scaling) : null;
  const model = input.baseModel ? await modelFromArtifacts(input.baseModel) : buildModel(a, split.seed);
  const history: EpochLog[] = [];
  const r = await trainRegressor(model, trainSet, valSet, {
    ...input.hyper,
    seed: split.seed,
    yScale: scaling.scale,
    signal: hooks.signal,
    parallel: input.parallel && { ...input.parallel, gradientWorkers },
    onEpoch: (log) => {
      history.push(log);
      hooks.onEpoch?.(runIndex, runCount, split.name, log, history);
    },
  });
  const evalSet = async (idx: number[]): Promise<PointPrediction[]> => {
    if (!idx.length) return [];
    const p = await predictTta(model, pick(idx), a.inputSize, a.channels, scaling);
    return idx.map((index, k) => ({ index, actual: input.carbon[index], mean: p.mean[k], sd: p.sd[k] }));
  };
  const trainPoints = await evalSet(split.train);
  const testPoints = await evalSet(split.test);
  const metricsOf = (pp: PointPrediction[]) => regressionMetrics(pp.map((p) => p.mean), pp.map((p) => p.actual));
  return {
    model,
    result: {
      name: split.name,
      namePhrase: split.namePhrase,
      seed: split.seed,
      bestEpoch: r.bestEpoch,
      stoppedEarly: r.stoppedEarly,
      history: r.history,
      trainSamples: trainSet.count,
      scaling,
      // Labelled where they are made, so no later reader can show training-point figures as a test result.
      train: { ...metricsOf(trainPoints), sample: 'in-sample' },
      test: testPoints.length ? { ...metricsOf(testPoints), sample: 'held-out' } : null,
      testMaeOfTrainMean: testPoints.length ? testPoints.reduce((s, p) => s + Math.abs(p.actual - scaling.mean), 0) / testPoints.length : null,
      trainPoints,
      testPoints,
    },
  };
}

/** One split trained and evaluated, its model disposed: a unit of work of the reproduction experiments. */
export async function runSplit(input: ExperimentInput, split: PointSplit, hooks: ExperimentHooks = {}): Promise<RunResult> {
  const r = await runOne(input, split, 0, 1, hooks);
  r.model.dispose();
  return r.result;
}

/**
 * The evaluation protocol: every split trained from its own seed, metrics per split and mean ± sd, then the stored model.
 * Data-parallel: the runs share one set of gradient workers (core/ml/gradient-workers.ts: V8's compiled code and the
 * wasm modules stay warm; each run starts from what fresh workers would give, bit for bit), closed when the job ends.
 */
export async function runExperiment(input: ExperimentInput, hooks: ExperimentHooks = {}): Promise<ExperimentResult> {
  const runCount = input.splits.length + (input.final ? 1 : 0);
  const splits: RunResult[] = [];
  let keep: { result: RunResult; model: tf.LayersModel } | null = null;
  const gradientWorkers = input.parallel ? new GradientWorkers({ ...input.parallel, signal: hooks.signal }) : undefined;
  try {
    for (let s = 0; s < input.splits.length; s++) {
      const r = await runOne(input, input.splits[s], s, runCount, hooks, gradientWorkers);
      splits.push(r.result);
      if (s === 0 && !input.final) keep = r;
      else r.model.dispose();
    }
    if (input.final) keep = await runOne(input, input.final, input.splits.length, runCount, hooks, gradientWorkers);
  } finally {
    await gradientWorkers?.close();
  }
  if (!keep) throw new Error('nothing to train: no splits and no final model');
  const artifacts = await modelToArtifacts(keep.model);
  keep.model.dispose();
  const tested = splits.filter((s) => s.test);
  return {
    splits,
    summary: tested.length ? { test: summariseMetrics(tested.map((s) => s.test!)), train: summariseMetrics(tested.map((s) => s.train)) } : null,
    final: keep.result,
    artifacts,
  };
}
