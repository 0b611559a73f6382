import { join } from 'node:path';
import type { ServiceContext } from '../context.js';
import type { CnnContext } from './cnn-context.js';
import type { BackendInfo } from '../../api/methods/system.js';
import { ApiError } from '../../api/errors.js';
import { createModelsRepo, type ModelRecord } from '../../store/repos/models-repo.js';
import { multiplyAdds, type ArchitectureSpec } from '../../ml/architecture.js';
import { patchesWorthAThread, predictTtaInWorkers } from '../../ml/parallel-inference.js';
import { regressionMetrics, type RegressionMetrics } from '../../ml/metrics.js';
import type { TargetScaling } from '../../ml/tta.js';
import { loadBilletPoints } from './dataset-loader.js';
import { modelInputNorm, normalisePatch } from '../../ml/input-norm.js';
import { CNN_MODEL_KIND } from '../../segregation/cnn/params.js';
import { samplePointLabeller, pooledSample, sameImageBillets } from '../../segregation/cnn/sample-label.js';
import { modelTrainedImages } from '../shared/model-lineage.js';
import { predictedBillet } from '../shared/predicted-billet.js';
import type { CnnMetrics, SampleLabel, IntervalCalibration, PredictionInterval, PatchScaleInfo } from '../../api/methods/cnn.js';
import { modelCalibration, splitOutIntervals } from '../../segregation/cnn/calibration.js';
import { blendValue, predictDarkFraction } from '../../segregation/cnn/texture-blend.js';
import { intervalFor, coverageWords, coveragePhrase } from '../../ml/conformal.js';
import { patchScaleInfo, recordScale } from './model-scale.js';
import { readingsCoverage, type ReadingsCoverage } from '../../segregation/cnn/readings-coverage.js';
import { phrase, type Phrase } from '../../api/phrase.js';

export interface PointForecast {
  label: string;
  xMm: number;
  yMm: number;
  /** Mean over the 8 dihedral transforms (blended with the model's texture model when it has one). */
  mean: number;
  /** Spread of the 8 views (the paper's error bars): a difficulty, not an uncertainty — `interval` is. */
  sd: number;
  /** Calibrated interval at the model's nominal level (null when the model has no calibration). */
  interval: PredictionInterval | null;
  /**
   * With a texture blend, the two predictors `mean` blends: the CNN's TTA mean and the texture line's value
   * (what "measure fewer points" re-weights with K readings, core/segregation/fewer-points/two-predictor.ts).
   */
  components?: { cnn: number; texture: number };
  actual: number | null;
  error: number | null;
  lowQuality: boolean;
  qualityFlags: string[];
  /** The prediction or the reading lies outside the carbon range the model was trained on. */
  outsideTrainingRange: boolean;
  /** What this point is to the model (see core/segregation/cnn/sample-label.ts). */
  sample: SampleLabel;
}

/** `baselineMae`: the baseline that knows no image — the training mean at every point — on the same points (null: the model records no training points). */
export type PredictionMetrics = RegressionMetrics & { maxDeviation: number; sample: SampleLabel; baselineMae: number | null };

export interface BilletPrediction {
  modelId: number;
  modelName: string;
  billetId: number;
  billetName: string;
  backend: BackendInfo | null;
  workers: number;
  trainingRange: { min: number; max: number } | null;
  /** Mean reading of the points the final model trained on, wt.%: the baseline's constant prediction (null: not recorded). */
  trainingMean: number | null;
  points: PointForecast[];
  /** The intervals' calibration and measured coverage (null: the model could not be calibrated). */
  calibration: IntervalCalibration | null;
  /** "90 % interval, measured coverage 0.88 on 85 held-out points". */
  intervalWords: string;
  intervalPhrase: Phrase;
  /** Metrics over every point with readings (null when fewer than 2), labelled by the least independent point. */
  metrics: PredictionMetrics | null;
  /** The same per label present (in-sample, held-out, out-of-sample), each over its own points (≥ 2). */
  metricsBySample: PredictionMetrics[];
  /** Readings inside their interval on this billet, per sample label (none without a calibration or readings). */
  readingsCoverage: ReadingsCoverage[];
  /** The label of the prediction as a whole (of `metrics`; out-of-sample when no point has a reading and the image is new). */
  sample: SampleLabel;
  /** True when this billet id, or a billet with the same section image (content hash), trained the model. */
  billetInTraining: boolean;
  synthetic: boolean;
  /** The physical scale the patches were cut at, and the warning when the image was enlarged beyond MAX_UPSAMPLE. */
  scale: PatchScaleInfo;
}

interface CnnHyper {
  clahe?: boolean;
  targetScaling: TargetScaling;
}

export function requireCnnModel(ctx: ServiceContext, modelId: number): ModelRecord {
  const rec = createModelsRepo(ctx.db).get(modelId);
  if (rec.kind !== CNN_MODEL_KIND) throw ApiError.said('invalid_argument', phrase('errors.cnn.notCnn', { id: String(modelId) }), { field: 'modelId' });
  return rec;
}

/**
 * The model's prediction of one patch from its CNN's TTA mean and sd: blended with its texture model when it has one,
 * with its calibrated interval (null: no calibration). The one definition for `predict`, the Grad-CAM view and the
 * predicted map (core/services/cnn/map-predictor.ts).
 */
export function modelPointPrediction(
  blend: CnnMetrics['blend'] | null | undefined,
  calibration: IntervalCalibration | null,
  cnnMean: number,
  sd: number,
  normalisedInput: Uint8Array,
): { mean: number; interval: PredictionInterval | null; components: { cnn: number; texture: number } | null } {
  const texture = blend ? predictDarkFraction(blend.texture, normalisedInput) : null;
  const mean = blend ? blendValue(blend, cnnMean, texture!) : cnnMean;
  return { mean, interval: calibration ? intervalFor(mean, calibration, sd) : null, components: texture !== null ? { cnn: cnnMean, texture } : null };
}

export async function predictBillet(ctx: CnnContext, modelId: number, billetId: number, opts: { signal?: AbortSignal; onProgress?: (f: number, m: string | Phrase) => void; workers?: number } = {}): Promise<BilletPrediction> {
  const rec = requireCnnModel(ctx, modelId);
  const arch = rec.architecture as ArchitectureSpec;
  const hyper = rec.hyper as CnnHyper;
  const ds = rec.dataset as { carbonRange: { min: number; max: number } | null; billets: { id: number; imageHash?: string | null }[] };
  const stored = rec.metrics as CnnMetrics | null;
  const { billet, points, patchScale } = await loadBilletPoints(ctx, billetId, {
    inputSize: arch.inputSize,
    scale: recordScale(rec).scale,
    clahe: hyper.clahe === false ? null : undefined,
    requireReadings: false,
    signal: opts.signal,
    onProgress: (f, m) => opts.onProgress?.(0.3 * f, m),
  });
  // one point is "1 point" (a phrase's code is chosen per count, as trainLabelOne)
  opts.onProgress?.(0.3, points.length === 1 ? phrase('jobs.cnn.predictingOne') : phrase('jobs.cnn.predicting', { points: points.length }));
  const inputs = points.map((p) => normalisePatch(p.patch, modelInputNorm(rec.hyper)));
  const pred = await predictTtaInWorkers(join(ctx.paths.root, rec.path), inputs, arch.inputSize, arch.channels, hyper.targetScaling, {
    backend: ctx.backendPreference(),
    signal: opts.signal,
    workers: opts.workers,
    // A large model's patches are worth a thread each (the paper model at 224 px: ~2 s per patch on one core).
    minPatchesPerWorker: patchesWorthAThread(multiplyAdds(arch)),
  });
  const range = ds.carbonRange;
  // what the weights saw: the model's own training data and every ancestor's (a fine-tune starts from its parent's)
  const trainedImages = modelTrainedImages(ctx.db, modelId);
  const predicted = predictedBillet(ctx.db, billetId, billet.imageHash, trainedImages);
  const labelOf = samplePointLabeller(trainedImages, predicted);
  const calibration = modelCalibration(stored);
  const blend = stored?.blend ?? null;
  const out: PointForecast[] = points.map((p, i) => {
    const { mean, interval, components } = modelPointPrediction(blend, calibration, pred.mean[i], pred.sd[i], inputs[i]);
    const outside = (v: number | null) => range !== null && v !== null && (v < range.min || v > range.max);
    return {
      label: p.label,
      xMm: p.xMm,
      yMm: p.yMm,
      mean,
      sd: pred.sd[i],
      interval,
      ...(components ? { components } : {}),
      actual: p.carbon,
      error: p.carbon === null ? null : mean - p.carbon,
      lowQuality: p.lowQuality,
      qualityFlags: p.qualityFlags,
      outsideTrainingRange: outside(mean) || outside(p.carbon),
      sample: labelOf(p),
    };
  });
  const withReadings = out.filter((p) => p.actual !== null);
  const trainPoints = stored?.final.trainPoints ?? [];
  const trainingMean = trainPoints.length ? trainPoints.reduce((a, p) => a + p.actual, 0) / trainPoints.length : null;
  const metricsOf = (pts: PointForecast[]): PredictionMetrics | null => {
    if (pts.length < 2) return null;
    const m = regressionMetrics(pts.map((p) => p.mean), pts.map((p) => p.actual!));
    const baselineMae = trainingMean === null ? null : pts.reduce((a, p) => a + Math.abs(trainingMean - p.actual!), 0) / pts.length;
    return { ...m, maxDeviation: m.maxAbsError, sample: pooledSample(pts.map((p) => p.sample)), baselineMae };
  };
  const metrics = metricsOf(withReadings);
  const metricsBySample = (['in-sample', 'held-out', 'out-of-sample', 'unknown'] as const)
    .map((s) => metricsOf(withReadings.filter((p) => p.sample === s)))
    .filter((m): m is PredictionMetrics => m !== null);
  // The billet id alone is not enough: a re-imported copy of a training image has a new id.
  const sample = pooledSample((withReadings.length ? withReadings : out).map((p) => p.sample));
  // a point's names in the split residuals: this billet's, or a training billet's with the same section image or readings
  const sameImage = sameImageBillets({ billets: ds.billets.map((b) => ({ id: b.id, imageHash: b.imageHash ?? null })) }, predicted);
  const residualKeys = (label: string) => [...new Set([billetId, ...sameImage])].map((id) => `${id}/${label}`);
  const splitOut = splitOutIntervals(stored, calibration);
  opts.onProgress?.(1, phrase('jobs.done'));
  return {
    modelId,
    modelName: rec.name,
    billetId,
    billetName: billet.name,
    backend: pred.backend,
    workers: pred.workers,
    trainingRange: range,
    trainingMean,
    points: out,
    calibration,
    intervalWords: coverageWords(calibration),
    intervalPhrase: coveragePhrase(calibration),
    metrics,
    metricsBySample,
    // the stored coverage is the held-out splits'; this billet's own count, never pooled across sample labels
    readingsCoverage: readingsCoverage(out.map((p) => ({ ...p, splitOut: p.sample === 'held-out' || p.sample === 'unknown' ? splitOut(residualKeys(p.label), p.mean, p.sd) : undefined })), calibration?.alpha ?? null),
    sample,
    billetInTraining: ds.billets.some((b) => b.id === billetId) || out.some((p) => p.sample === 'in-sample' || p.sample === 'held-out'),
    synthetic: billet.synthetic,
    scale: patchScaleInfo(patchScale, rec),
  };
}
