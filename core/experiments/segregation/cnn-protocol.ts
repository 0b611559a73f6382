import { phrase, type Phrase } from '../../api/phrase.js';
import { labelled } from '../words.js';
import { multiplyAdds, validateArchitecture, type ArchitectureSpec } from '../../ml/architecture.js';
import { runSplit, type ExperimentInput, type Hyperparameters } from '../../segregation/cnn/experiment.js';
import type { PointSplit } from '../../segregation/cnn/splits.js';
import type { RegressionMetrics } from '../../ml/metrics.js';
import { cancellationOf } from '../../runtime/cancelled.js';
import type { ExperimentBudget, ExperimentContext, SegregationData, TableColumn } from '../types.js';

/**
 * What the three carbon-CNN experiments (architecture sweep, augmentation ablation, CLAHE ablation) share:
 * the budget's training settings, the architecture of a configuration at the data's patch size, one split
 * trained as a resumable unit of work (core/segregation/cnn/experiment.ts runSplit, the product's own training
 * loop), JSON-safe metrics, means over splits, and the time estimate.
 */

export interface CnnBudgetSettings {
  /** Conv blocks / dense layers of the reference network (the paper's 6 and 5). */
  blocks: number;
  denseLayers: number;
  baseFilters: number;
  convsPerBlock: number;
  dropout: number;
  epochs: number;
  patience: number;
  batchSize: 16 | 32 | 64;
  learningRate: number;
  /** At most this many of data.splits are used (the same ones for every configuration). */
  maxSplits: number;
}

/** The paper's protocol (Wei et al. 2025): 32 → 1024 filters, 0.2 dropout, Adam 1e-4, ≤ 500 epochs, patience 50, 5 splits. */
export const FULL_CNN: CnnBudgetSettings = { blocks: 6, denseLayers: 5, baseFilters: 32, convsPerBlock: 2, dropout: 0.2, epochs: 500, patience: 50, batchSize: 16, learningRate: 1e-4, maxSplits: 5 };

/**
 * Minutes on a 2-core CPU: the compact preset's filters (8 → …), its learning rate (5e-4: standardised targets,
 * see segregation/cnn/params.ts), 20 epochs with patience 6 (at 8 epochs the quick models barely left the training mean: held-out MAE 0.0164 vs 0.0167 on the demo billet); the depth is the paper's where the patch allows it.
 */
export const QUICK_CNN: CnnBudgetSettings = { blocks: 6, denseLayers: 5, baseFilters: 8, convsPerBlock: 2, dropout: 0.1, epochs: 20, patience: 6, batchSize: 16, learningRate: 5e-4, maxSplits: 3 };

export const PAPER_INPUT_PX = 224;

export function budgetSettings(budget: ExperimentBudget, overrides: Partial<CnnBudgetSettings> = {}): CnnBudgetSettings {
  return { ...(budget === 'full' ? FULL_CNN : QUICK_CNN), ...overrides };
}

/** The deepest stack whose last pooling still leaves at least 1 × 1 pixel (size >> blocks ≥ 1). */
export function deepestBlocks(size: number): number {
  return Math.floor(Math.log2(size));
}

/** Dense units of an n-layer head: the paper's halving sequence ending at 16 (5 layers: 256, 128, 64, 32, 16). */
export function denseUnits(n: number): number[] {
  return Array.from({ length: n }, (_, i) => 16 * 2 ** (n - 1 - i));
}

/** A configuration's network at the data's patch size; throws (validateArchitecture's sentence) when it cannot be built. */
export function architectureOf(s: CnnBudgetSettings, size: number, blocks = s.blocks, denseLayers = s.denseLayers): ArchitectureSpec {
  return validateArchitecture({ inputSize: size, channels: 1, blocks, convsPerBlock: s.convsPerBlock, baseFilters: s.baseFilters, dense: denseUnits(denseLayers), dropout: s.dropout });
}

/**
 * The ablations' reference network (Supp. Table 1, Fig. 8G): the configuration's stack, cut to the deepest one the
 * patch size allows.
 */
export function referenceArchitecture(s: CnnBudgetSettings, size: number): ArchitectureSpec {
  return architectureOf(s, size, Math.min(s.blocks, deepestBlocks(size)), s.denseLayers);
}

export function hyperOf(s: CnnBudgetSettings, augment: Hyperparameters['augment'] = 'both'): Hyperparameters {
  return { epochs: s.epochs, batchSize: s.batchSize, learningRate: s.learningRate, patience: s.patience, augment };
}

export function splitsOf(data: SegregationData, s: Pick<CnnBudgetSettings, 'maxSplits'>): PointSplit[] {
  if (!data.splits.length) throw new Error('the data carry no splits: the experiments need the shared held-out splits');
  return data.splits.slice(0, s.maxSplits);
}

/** Metrics as stored in a unit (JSON: NaN becomes null, e.g. R² of determination when the actual values are constant). */
export interface StoredMetrics {
  n: number;
  r2: number | null;
  r2Determination: number | null;
  mae: number | null;
  meanBias: number | null;
  rmse: number | null;
}

export interface SplitOutcome {
  split: string;
  seed: number;
  bestEpoch: number;
  epochsRun: number;
  stoppedEarly: boolean;
  /** Samples one epoch iterated over (training points × augmentation copies). */
  trainSamples: number;
  train: StoredMetrics;
  test: StoredMetrics | null;
  /** Held-out MAE of predicting the training mean (the baseline beside the model's MAE). */
  testMaeOfTrainMean: number | null;
}

const finite = (v: number): number | null => (Number.isFinite(v) ? v : null);

function stored(m: RegressionMetrics): StoredMetrics {
  return { n: m.n, r2: finite(m.r2), r2Determination: finite(m.r2Determination), mae: finite(m.mae), meanBias: finite(m.meanBias), rmse: finite(m.rmse) };
}

/**
 * The unit key of one training: what is trained (inputs, network, training settings) and on which split. Made
 * from the content, not from the experiment, so (1) a run resumed with changed settings recomputes instead of
 * returning a stale value, and (2) the same training asked for by two experiments (the sweep's reference
 * network, the augmentation ablation's `both`, the CLAHE ablation's `CLAHE` are one network) runs once when
 * the orchestrator gives them one store.
 */
export function trainingKey(inputs: 'raw' | 'clahe', a: ArchitectureSpec, h: Hyperparameters, split: PointSplit): string {
  const net = `${a.inputSize}px-${a.channels}ch-${a.blocks}x${a.convsPerBlock}conv-f${a.baseFilters}-dense${a.dense.join('.')}-drop${a.dropout}`;
  const fit = `e${h.epochs}-pat${h.patience}-b${h.batchSize}-lr${h.learningRate}-aug-${h.augment ?? 'both'}`;
  return `cnn-split/${inputs}/${net}/${fit}/split-${split.seed}-${split.train.length}.${split.val.length}.${split.test.length}`;
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw cancellationOf(signal);
}

/**
 * One split of one configuration, trained and evaluated once per run: `ctx.unit` returns the stored outcome when
 * an interrupted run resumes. `onEpoch` reports the fraction of this unit's epochs done.
 */
export async function splitUnit(ctx: ExperimentContext, inputs: 'raw' | 'clahe', input: ExperimentInput, split: PointSplit, onEpoch?: (epochFraction: number, message: Phrase) => void): Promise<SplitOutcome> {
  throwIfAborted(ctx.signal);
  return ctx.unit(trainingKey(inputs, input.architecture, input.hyper, split), async () => {
    const r = await runSplit({ ...input, final: null }, split, {
      signal: ctx.signal,
      onEpoch: (_i, _n, name, log) => onEpoch?.(log.epoch / input.hyper.epochs, phrase('expNotes.progress.epoch', { split: name, epoch: log.epoch, of: input.hyper.epochs })),
    });
    return {
      split: r.name,
      seed: r.seed,
      bestEpoch: r.bestEpoch,
      epochsRun: r.history.length,
      stoppedEarly: r.stoppedEarly,
      trainSamples: r.trainSamples,
      train: stored(r.train),
      test: r.test ? stored(r.test) : null,
      testMaeOfTrainMean: r.testMaeOfTrainMean === null ? null : finite(r.testMaeOfTrainMean),
    };
  });
}

export interface MeanSdCell {
  mean: number;
  sd: number;
  n: number;
}

/** Mean and sample sd over the splits of a metric; null when no split has it. */
export function meanOver(outcomes: readonly SplitOutcome[], pick: (o: SplitOutcome) => number | null | undefined): MeanSdCell | null {
  const v = outcomes.map(pick).filter((x): x is number => typeof x === 'number' && Number.isFinite(x));
  if (!v.length) return null;
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  const sd = v.length > 1 ? Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / (v.length - 1)) : 0;
  return { mean, sd, n: v.length };
}

/** The figures a table row shows for a set of split outcomes: held-out (test), in-sample (train), and train − test. */
export interface OutcomeSummary {
  test: { r2: MeanSdCell | null; r2Determination: MeanSdCell | null; mae: MeanSdCell | null; meanBias: MeanSdCell | null; baselineMae: MeanSdCell | null };
  train: { r2: MeanSdCell | null; r2Determination: MeanSdCell | null; mae: MeanSdCell | null };
  /** Overfitting: in-sample mean − held-out mean, exactly (negative for MAE when the model fits its training points better). */
  gap: { mae: number | null; r2: number | null; r2Determination: number | null };
}

export function summarise(outcomes: readonly SplitOutcome[]): OutcomeSummary {
  const t = (k: keyof StoredMetrics) => meanOver(outcomes, (o) => o.test?.[k]);
  const r = (k: keyof StoredMetrics) => meanOver(outcomes, (o) => o.train[k]);
  const test = { r2: t('r2'), r2Determination: t('r2Determination'), mae: t('mae'), meanBias: t('meanBias'), baselineMae: meanOver(outcomes, (o) => o.testMaeOfTrainMean) };
  const train = { r2: r('r2'), r2Determination: r('r2Determination'), mae: r('mae') };
  const diff = (a: MeanSdCell | null, b: MeanSdCell | null) => (a && b ? a.mean - b.mean : null);
  return { test, train, gap: { mae: diff(train.mae, test.mae), r2: diff(train.r2, test.r2), r2Determination: diff(train.r2Determination, test.r2Determination) } };
}

export const mean = (c: MeanSdCell | null): number | null => (c ? c.mean : null);

/**
 * THE step model every experiment's estimate is made of (one formula: the reproduction scales it to the machine
 * by a warm reference step measured there, core/experiments/reproduce.worker.ts).
 * Seconds of one training step (forward + backward + Adam, batch `batch`) stated per layer and per multiply-add:
 * fitted (least squares of the log ratio) to warm steps (core/ml/step-timer.ts measureTrainStep, this thread's CPU
 * time, wasm, one thread) of 9 networks, 16–128 px, 2–6 blocks, batch 16–32, on the 2-core development machine: each
 * within 0.78–1.49× (bench/train-estimate-step.ts prints the check). The constants fitted before on cold steps
 * (0.012 s per layer, 0.9 ns per multiply-add) made a 128 px step 1.8× shorter than measured against the 32 px reference.
 */
const SECONDS_PER_LAYER_STEP = 0.00075;
const SECONDS_PER_SAMPLE_MAC = 0.255e-9;

/** What a network costs a step: its weighted layers and its multiply-adds per sample (forward). */
export interface NetworkCost {
  layers: number;
  multiplyAdds: number;
}

export function networkCost(a: ArchitectureSpec): NetworkCost {
  return { layers: a.blocks * a.convsPerBlock + a.dense.length + 1, multiplyAdds: multiplyAdds(a) };
}

const costOf = (n: ArchitectureSpec | NetworkCost): NetworkCost => ('multiplyAdds' in n ? n : networkCost(n));

/** Seconds of one training step of a batch of `batch` samples (the step model). */
export function stepSeconds(n: ArchitectureSpec | NetworkCost, batch: number): number {
  const c = costOf(n);
  return SECONDS_PER_LAYER_STEP * c.layers + SECONDS_PER_SAMPLE_MAC * batch * c.multiplyAdds;
}

/** Seconds of one forward pass per sample (prediction, features, validation): ⅓ of a training step's cost per sample. */
export function forwardSeconds(n: ArchitectureSpec | NetworkCost, batch: number): number {
  return stepSeconds(n, batch) / batch / 3;
}

/**
 * Upper-bound seconds of a training: every epoch run (early stopping shortens it), a step per batch of the
 * `trainSamples` an epoch iterates over, `valSamples` forward passes per epoch, and `afterSamples` forward passes
 * at the end (the TTA evaluation).
 */
export function trainingSeconds(n: ArchitectureSpec | NetworkCost, samples: { trainSamples: number; valSamples: number; afterSamples: number }, epochs: number, batch: number): number {
  const step = stepSeconds(n, batch);
  const forward = forwardSeconds(n, batch);
  return epochs * (Math.ceil(samples.trainSamples / batch) * step + samples.valSamples * forward) + samples.afterSamples * forward;
}

/**
 * Upper-bound seconds of one split of the CNN protocol (core/segregation/cnn/experiment.ts runSplit): the
 * augmented training copies per epoch, validation and the evaluation on the 8 dihedral views of every point.
 */
export function splitSeconds(a: ArchitectureSpec, points: { train: number; val: number; test: number }, epochs: number, copies: number, batch = 16): number {
  return trainingSeconds(a, { trainSamples: points.train * copies, valSamples: points.val * 8, afterSamples: (points.train + points.test) * 8 }, epochs, batch);
}

/** Point counts of the splits an experiment will use (for the estimate, before any training). */
export function splitPointCounts(data: SegregationData, s: Pick<CnnBudgetSettings, 'maxSplits'>): { train: number; val: number; test: number }[] {
  if (!data.splits.length) {
    // No splits yet: the paper's 70 / 10 / 20 % of the points, so the estimate never throws.
    const n = data.points.length;
    return Array.from({ length: s.maxSplits }, () => ({ train: Math.round(n * 0.7), val: Math.round(n * 0.1), test: Math.round(n * 0.2) }));
  }
  return splitsOf(data, s).map((p) => ({ train: p.train.length, val: p.val.length, test: p.test.length }));
}

/** The held-out columns every CNN experiment's table shows (mean over the shared splits, the baseline beside). */
export const HELD_OUT_COLUMNS: TableColumn[] = [
  { key: 'r2', ...labelled(phrase('experiments.col.r2')), digits: 3 },
  { key: 'r2Sd', ...labelled(phrase('experiments.col.r2Sd')), digits: 3 },
  { key: 'r2Determination', ...labelled(phrase('experiments.col.r2Det')), digits: 3 },
  { key: 'mae', ...labelled(phrase('experiments.col.mae')), unit: 'wt.%', digits: 4 },
  { key: 'maeSd', ...labelled(phrase('experiments.col.maeSd')), unit: 'wt.%', digits: 4 },
  { key: 'meanBias', ...labelled(phrase('experiments.col.meanBias')), unit: 'wt.%', digits: 4 },
  { key: 'baselineMae', ...labelled(phrase('experiments.col.baselineMae')), unit: 'wt.%', digits: 4 },
  { key: 'splits', ...labelled(phrase('experiments.col.splits')) },
];
