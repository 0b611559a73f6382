import { scaleCheckPhrases } from '../../api/scale-check-words.js';
import type { ScaleCheck } from '../../api/methods/cnn.js';
import { join } from 'node:path';
import type { CnnContext } from './cnn-context.js';
import type { JobControl } from '../../jobs/index.js';
import type { BackendInfo } from '../../api/methods/system.js';
import type { TrainProgressDetail, TrainEstimate, ModelScaleInfo } from '../../api/methods/cnn.js';
import { ApiError, refusalToApi, toErrorBody } from '../../api/errors.js';
import { RefusedError } from '../../runtime/refused.js';
import { inTransaction } from '../../store/tx.js';
import { createModelsRepo, type ModelRecord } from '../../store/repos/models-repo.js';
import { writeModelDir, readModelDir, type ModelArtifactsPlain } from '../../ml/model-io.js';
import type { EpochLog } from '../../ml/trainer.js';
import { runWorker as runJobWorker } from '../../runtime/worker.js';
import { trainWorkers as trainWorkersSetting } from './train-workers.js';
import { defaultTrainWorkers } from '../../runtime/cores.js';
import { modelInputNorm, normalisePatch } from '../../ml/input-norm.js';
import type { ArchitectureSpec } from '../../ml/architecture.js';
import { datasetSummary, type CnnDataset } from '../../segregation/cnn/dataset.js';
import { buildDataset } from './dataset-loader.js';
import { randomPointSplits, leaveOneBilletOutSplits, finalFitSplit, assertDisjoint, type PointSplit } from '../../segregation/cnn/splits.js';
import { CNN_MODEL_KIND, resolveTrainParams, type ResolvedTrainParams, type TrainRequest } from '../../segregation/cnn/params.js';
import type { ExperimentResult, RunResult, PointPrediction } from '../../segregation/cnn/experiment.js';
import { calibrateFromSplits } from '../../segregation/cnn/calibration.js';
import { fitTextureBlend, blendedTestPoints, type TextureBlend } from '../../segregation/cnn/texture-blend.js';
import { measureRefitCoverage, type IntervalCalibration } from '../../ml/conformal.js';
import { trainedBy } from '../../ml/training-kernels.js';
import type { MeasuredStep } from '../../ml/step-timer.js';
import type { TrainWorkerInput } from '../../segregation/cnn/train.worker.js';
import { modelScaleForTraining, scaleInfo } from './model-scale.js';
import { augmentationTransforms } from '../../imaging/augment.js';
import { fixed, phrase, type Phrase } from '../../api/phrase.js';
import { durationParams } from '../shared/duration-words.js';
import { lineageForFineTune } from '../shared/model-lineage.js';
import { ancestorOverlapOf } from './model-catalog.js';
import type { AncestorOverlap } from '../../api/methods/cnn.js';

export { CNN_MODEL_KIND };


export type { TrainProgressDetail };

export interface LabelledPrediction {
  billetId: number;
  label: string;
  xMm: number;
  yMm: number;
  actual: number;
  mean: number;
  sd: number;
  relError: number;
}

export interface StoredRun {
  name: string;
  /** `name` as a phrase (absent on runs stored before it: their English name is shown). */
  namePhrase?: Phrase;
  seed: number;
  bestEpoch: number;
  stoppedEarly: boolean;
  history: EpochLog[];
  train: RunResult['train'];
  test: RunResult['test'];
  testMaeOfTrainMean: number | null;
  trainPoints: LabelledPrediction[];
  testPoints: LabelledPrediction[];
}

export interface CnnMetrics {
  splitMode: string;
  splits: StoredRun[];
  summary: ExperimentResult['summary'];
  final: StoredRun;
  /** Split-conformal intervals from the splits' held-out residuals of the model's prediction (blend included; null: too few held-out points). */
  calibration: IntervalCalibration | null;
  /** The texture blend (core/segregation/cnn/texture-blend.ts); null: the CNN alone. */
  blend?: TextureBlend | null;
}

export interface TrainJobResult {
  runId: number;
  modelId: number;
  name: string;
  backend: BackendInfo;
  metrics: CnnMetrics;
  /** The time estimated before the first epoch (null: the worker ended before measuring a step). */
  estimate: TrainEstimate | null;
  /** What the estimate estimated, measured: the seconds of every epoch of every run (training steps and validation). */
  epochSeconds: number;
  /** The model's physical scale (patch side on the steel, training mm per pixel), or "scale unknown". */
  scale: ModelScaleInfo;
  /** Its training sections checked against their resolution tags (and a fine-tune's base's), in words (core/api/scale-check-words.ts). */
  scaleWords: Phrase[];
  /** A fine-tune's split test points that its parent trained on: held out from the fine-tune only (null: none). */
  ancestorOverlap: AncestorOverlap | null;
}

/**
 * Planned optimiser steps of every run: epochs × batches of the training points' augmented copies
 * (`copiesPerPoint`: 8 for the whole dihedral group, fewer with the augmentation switched down).
 */
export function plannedSteps(plan: { splits: PointSplit[]; final: PointSplit | null }, epochs: number, batchSize: number, copiesPerPoint = 8): number {
  return [...plan.splits, ...(plan.final ? [plan.final] : [])].reduce((a, s) => a + epochs * Math.ceil((s.train.length * copiesPerPoint) / batchSize), 0);
}

/**
 * The run's time from one warm measured step (core/ml/step-timer.ts measureTrainStep: the worker's first steps are
 * discarded, never the basis) × the planned steps, with its basis said: backend, threads, warm-up discarded.
 */
export function trainEstimate(step: Pick<MeasuredStep, 'seconds' | 'discarded' | 'threads'>, steps: number, batchSize: number, backend: string, workers = 1): TrainEstimate {
  const seconds = step.seconds * steps;
  const shorter = workers > 1 ? ` (${workers} gradient workers will shorten it)` : '';
  const basis = `estimate from a measured step on this backend: one warm training step (batch of ${batchSize}, after ${step.discarded} warm-up steps discarded) took ${(step.seconds * 1000).toFixed(1)} ms on ${backend}, ${step.threads} thread${step.threads === 1 ? '' : 's'}${shorter} × ${steps} planned steps; early stopping shortens it`;
  return { seconds, stepSeconds: step.seconds, discardedSteps: step.discarded, threads: step.threads, steps, batchSize, backend, basis };
}

export function estimateWords(e: TrainEstimate): string {
  const t = e.seconds < 90 ? `${Math.round(e.seconds)} s` : e.seconds < 5400 ? `${(e.seconds / 60).toFixed(1)} min` : `${(e.seconds / 3600).toFixed(1)} h`;
  return `about ${t} (${e.basis})`;
}

/** The progress line of the training estimate: the words of estimateWords as a phrase. */
function estimatePhrase(e: TrainEstimate, workers: number): Phrase {
  const { time, unit } = durationParams(e.seconds);
  const ms = fixed(e.stepSeconds * 1000, 1);
  return workers > 1
    ? phrase('jobs.cnn.estimateWorkers', { time, unit, batch: e.batchSize, discarded: e.discardedSteps, ms, backend: e.backend, steps: e.steps, workers })
    : phrase('jobs.cnn.estimate', { time, unit, batch: e.batchSize, discarded: e.discardedSteps, ms, backend: e.backend, steps: e.steps });
}

function labelled(d: CnnDataset, pp: PointPrediction[]): LabelledPrediction[] {
  return pp.map((p) => {
    const pt = d.points[p.index];
    return { billetId: pt.billetId, label: pt.label, xMm: pt.xMm, yMm: pt.yMm, actual: p.actual, mean: p.mean, sd: p.sd, relError: (p.mean - p.actual) / p.actual };
  });
}

function storedRun(d: CnnDataset, r: RunResult): StoredRun {
  return {
    name: r.name,
    ...(r.namePhrase ? { namePhrase: r.namePhrase } : {}),
    seed: r.seed,
    bestEpoch: r.bestEpoch,
    stoppedEarly: r.stoppedEarly,
    history: r.history,
    train: r.train,
    test: r.test,
    testMaeOfTrainMean: r.testMaeOfTrainMean,
    trainPoints: labelled(d, r.trainPoints),
    testPoints: labelled(d, r.testPoints),
  };
}

export function planSplits(d: CnnDataset, p: ResolvedTrainParams): { splits: PointSplit[]; final: PointSplit | null } {
  const splits =
    p.splitMode === 'leave-one-billet-out'
      ? leaveOneBilletOutSplits(d.points.map((x) => x.billetId), new Map(d.billets.map((b) => [b.id, b.name])), p.seed)
      : randomPointSplits(d.points.length, p.splits, p.seed);
  const final = p.refit ? finalFitSplit(d.points.length, p.seed) : null;
  for (const s of [...splits, ...(final ? [final] : [])]) assertDisjoint(s);
  return { splits, final };
}

interface WorkerMessage {
  type: 'backend' | 'workers' | 'estimate' | 'epoch' | 'done' | 'error';
  workers?: number;
  step?: MeasuredStep;
  backend?: BackendInfo;
  runIndex?: number;
  runCount?: number;
  runName?: string;
  log?: EpochLog;
  result?: ExperimentResult;
  message?: string;
}

function runTrainingWorker(input: TrainWorkerInput, ctl: JobControl, onMessage: (m: WorkerMessage) => void): Promise<ExperimentResult> {
  return runJobWorker<WorkerMessage & { type: 'done' }>(new URL('../../segregation/cnn/train.worker.js', import.meta.url), {
    workerData: input,
    extraThreads: input.extraThreads,
    transferList: [input.patchBuffer.buffer as ArrayBuffer],
    signal: ctl.signal,
    onMessage: (m) => onMessage(m as WorkerMessage),
    what: 'training',
  }).then((m) => m.result!);
}

function defaultName(p: ResolvedTrainParams, d: CnnDataset): string {
  const names = d.billets.map((b) => b.name).join(', ');
  return `${p.baseModelId ? 'fine-tuned ' : ''}${p.preset} CNN ${p.architecture.inputSize}px · ${names}`.slice(0, 200);
}

/** The whole training workflow of one job: dataset → splits → worker → stored model + run record. */
export async function trainCnn(ctx: CnnContext, request: TrainRequest, ctl: JobControl): Promise<TrainJobResult> {
  const repo = createModelsRepo(ctx.db);
  let base: { record: ModelRecord; artifacts: ModelArtifactsPlain } | null = null;
  if (request.baseModelId !== undefined) {
    const record = repo.get(request.baseModelId);
    if (record.kind !== CNN_MODEL_KIND) throw ApiError.said('invalid_argument', phrase('errors.cnn.notCnn', { id: String(record.id) }), { field: 'baseModelId' });
    base = { record, artifacts: readModelDir(join(ctx.paths.root, record.path)) };
  }
  let params: ResolvedTrainParams;
  try {
    params = resolveTrainParams(request, base ? (base.record.architecture as ArchitectureSpec) : undefined);
    if (base) {
      // Fine-tuning feeds the base model the inputs it was trained on.
      const baseNorm = modelInputNorm(base.record.hyper);
      if (request.inputNorm !== undefined && request.inputNorm !== baseNorm) throw RefusedError.said('invalid_argument', phrase('errors.cnn.fineTuneNorm', { norm: baseNorm }), { field: 'inputNorm' });
      params = { ...params, inputNorm: baseNorm };
    }
  } catch (err) {
    throw refusalToApi('invalid_argument', err);
  }
  const scale = modelScaleForTraining(ctx, params, base?.record ?? null);
  const runId = repo.startRun(CNN_MODEL_KIND, { ...params, scale }, params.seed);
  /** Kept in memory for the model record (written once); the run's copy is appended epoch by epoch. */
  const history: Record<string, EpochLog[]> = {};
  try {
    ctl.progress(0, phrase('jobs.cnn.dataset'));
    const dataset = await buildDataset(ctx, params.billetIds, {
      inputSize: params.architecture.inputSize,
      scale,
      clahe: params.clahe ? undefined : null,
      requireReadings: true,
      signal: ctl.signal,
      onProgress: (f, m) => ctl.progress(0.05 * f, m),
    });
    // right after the dataset opened the sections (each pending one read for its tag then): a section whose scale its
    // tag contradicts trains the model at a wrong mm per pixel, so the result names it. A fine-tune keeps its base's
    // patch and trained mm per pixel (model-scale.ts), so it carries the base's check as stored (null: not recorded).
    const ownCheck = await ctx.sections.scaleCheck(params.billetIds);
    const scaleCheck: ScaleCheck = base ? { ...ownCheck, from: { role: 'base', modelId: base.record.id, modelName: base.record.name, check: base.record.scaleCheck } } : ownCheck;
    let plan: ReturnType<typeof planSplits>;
    try {
      plan = planSplits(dataset, params);
    } catch (err) {
      throw refusalToApi('failed_precondition', err);
    }
    const size = dataset.size;
    const patchBuffer = new Uint8Array(dataset.points.length * size * size);
    dataset.points.forEach((p, i) => patchBuffer.set(normalisePatch(p.patch, params.inputNorm), i * size * size));
    let backend: BackendInfo | null = null;
    let estimate: TrainEstimate | null = null;
    /** Gradient workers the runs train on (results depend on it: stored with the model). */
    let trainWorkers = 1;
    // The setting when there is one; else the default for this run's batch (never shards of one sample).
    const wantWorkers = request.workers ?? trainWorkersSetting(ctx).setting ?? defaultTrainWorkers(params.hyper.batchSize);
    const steps = plannedSteps(plan, params.hyper.epochs, params.hyper.batchSize, augmentationTransforms(params.hyper.augment).length);
    const epochTimes: number[] = [];
    const result = await runTrainingWorker(
      {
        backend: ctx.backendPreference(),
        size,
        patchBuffer,
        extraThreads: Math.max(0, Math.floor(wantWorkers) - 1),
        experiment: {
          architecture: params.architecture,
          hyper: params.hyper,
          carbon: dataset.points.map((p) => p.carbon!),
          splits: plan.splits,
          final: plan.final,
          baseModel: base?.artifacts ?? null,
        },
      },
      ctl,
      (m) => {
        if (m.type === 'backend') {
          backend = m.backend!;
          repo.updateRun(runId, { backend });
          return;
        }
        if (m.type === 'workers') {
          trainWorkers = m.workers!;
          if (trainWorkers > 1) ctl.progress(0.05, phrase('jobs.cnn.dataParallel', { workers: trainWorkers }));
          return;
        }
        if (m.type === 'estimate') {
          estimate = trainEstimate(m.step!, steps, params.hyper.batchSize, (backend as BackendInfo | null)?.name ?? 'this backend', trainWorkers);
          ctl.progress(0.05, estimatePhrase(estimate, trainWorkers));
          return;
        }
        const log = m.log!;
        const runName = m.runName!;
        const runNamePhrase = [...plan.splits, ...(plan.final ? [plan.final] : [])][m.runIndex!]?.namePhrase;
        (history[runName] ??= []).push(log);
        epochTimes.push(log.seconds);
        const meanEpoch = epochTimes.reduce((a, b) => a + b, 0) / epochTimes.length;
        const epochs = params.hyper.epochs;
        const etaS = log.etaS + (m.runCount! - m.runIndex! - 1) * epochs * meanEpoch;
        const fraction = 0.05 + 0.93 * ((m.runIndex! + log.epoch / epochs) / m.runCount!);
        const detail: TrainProgressDetail = {
          runId,
          runIndex: m.runIndex!,
          runCount: m.runCount!,
          runName,
          ...(runNamePhrase ? { runNamePhrase } : {}),
          epoch: log.epoch,
          epochs,
          loss: log.loss,
          valMae: log.valMae,
          etaS,
          ...(estimate ? { estimate } : {}),
          log,
        };
        ctl.progress(fraction, phrase('jobs.cnn.epoch', { run: runNamePhrase ?? runName, epoch: log.epoch, epochs, loss: fixed(log.loss, 4), mae: log.valMae === null ? '–' : fixed(log.valMae, 4) }), detail);
        repo.appendEpoch(runId, runName, log);
      },
    );
    ctl.throwIfCancelled();
    const epochSeconds = epochTimes.reduce((a, b) => a + b, 0);
    const splits = result.splits.map((r) => storedRun(dataset, r));
    // The texture model reads the patches exactly as the CNN does (normalised input; the buffer went to the worker), split by split.
    const blend = params.textureBlend
      ? fitTextureBlend(
          dataset.points.map((p) => normalisePatch(p.patch, params.inputNorm)),
          dataset.points.map((p) => p.carbon!),
          plan.splits.map((sp, si) => ({ train: sp.train, test: result.splits[si].testPoints.map((t) => ({ index: t.index, cnn: t.mean, actual: t.actual })) })),
          (plan.final ?? plan.splits[0]).train,
        )
      : null;
    const calibration = calibrateFromSplits(blendedTestPoints(splits, blend).map((testPoints) => ({ testPoints })));
    // The splits' residuals stand in for the refit they did not make: measured on the refit's own training points,
    // every coverage sentence says when it misses the interval there (a short training did: 0.75 against 0.94).
    if (calibration && params.refit && !blend) calibration.refitCoverage = measureRefitCoverage(result.final.trainPoints, calibration);
    const metrics: CnnMetrics = {
      splitMode: params.splitMode,
      splits,
      summary: result.summary,
      final: storedRun(dataset, result.final),
      calibration,
      blend,
    };
    const name = params.name ?? defaultName(params, dataset);
    const summary = datasetSummary(dataset);
    // With the version of the code that made it: a seed gives another model after an upgrade of the training kernels.
    const b = backend as BackendInfo | null;
    const used = b ? { ...b, trainedBy: trainedBy(ctx.version, b.tfjsBackend) } : null;
    const record = inTransaction(ctx.db, () => {
      const rec = repo.insert(
        {
          kind: CNN_MODEL_KIND,
          name,
          parentModelId: base?.record.id ?? null,
          architecture: params.architecture,
          hyper: { ...params.hyper, preset: params.preset, splits: params.splits, splitMode: params.splitMode, refit: params.refit, clahe: params.clahe, inputNorm: params.inputNorm, targetScaling: result.final.scaling, scale, trainWorkers, textureBlend: blend !== null },
          seed: params.seed,
          datasetFingerprint: dataset.fingerprint,
          // a fine-tune keeps what its ancestors trained on: in-sample to it too, even once they are deleted (task 27-G)
          dataset: base ? { ...summary, lineage: lineageForFineTune(ctx.db, base.record) } : summary,
          backend: used,
          history,
          metrics,
          synthetic: dataset.billets.some((b) => b.synthetic),
          // stored with the model in its transaction: its figures, read later, still name a section trained at a doubtful scale
          scaleCheck,
        },
        (rel) =>
          writeModelDir(join(ctx.paths.root, rel), result.artifacts, {
            ferrolab: { kind: CNN_MODEL_KIND, targetScaling: result.final.scaling, inputNorm: params.inputNorm, architecture: params.architecture, datasetFingerprint: dataset.fingerprint, seed: params.seed, scale },
          }),
      );
      // the estimate beside the time it estimated: a lab sees how good it was
      repo.finishRun(runId, 'done', { modelId: rec.id, metrics: { summary: metrics.summary, time: { estimate, epochSeconds } } });
      return rec;
    });
    ctx.bus.emit({ type: 'data-changed', entity: 'model', id: record.id });
    return { runId, modelId: record.id, name, backend: used!, metrics, estimate, epochSeconds, scale: scaleInfo(record), scaleWords: scaleCheckPhrases(scaleCheck), ancestorOverlap: ancestorOverlapOf(ctx, record) };
  } catch (err) {
    const cancelled = ctl.signal.aborted || (err instanceof Error && err.name === 'AbortError');
    // the failure's phrase (a refusal, a said worker failure) is stored beside its English words: RunHistory words it
    repo.finishRun(runId, cancelled ? 'cancelled' : 'failed', { error: cancelled ? null : err instanceof Error ? err.message : String(err), errorPhrase: cancelled ? null : toErrorBody(err).phrase });
    throw err;
  }
}

export function startCnnTraining(ctx: CnnContext, request: TrainRequest) {
  const n = request.billetIds.length;
  const base = request.baseModelId;
  const label =
    base === undefined
      ? n === 1
        ? phrase('jobs.cnn.trainLabelOne', { preset: request.preset })
        : phrase('jobs.cnn.trainLabel', { preset: request.preset, n })
      : n === 1
        ? phrase('jobs.cnn.fineTuneLabelOne', { preset: request.preset, base })
        : phrase('jobs.cnn.fineTuneLabel', { preset: request.preset, n, base });
  return ctx.jobs.start('cnn-train', label, (ctl) => trainCnn(ctx, request, ctl));
}
