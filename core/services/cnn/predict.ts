import { join } from 'node:path';
import type { ServiceContext } from '../context.js';
import type { CnnContext } from './cnn-context.js';
import type { BackendInfo } from '../../api/methods/system.js';
import { ApiError } from '../../api/errors.js';
import { createModelsRepo, type ModelRecord } from '../../store/repos/models-repo.js';
import type { ArchitectureSpec } from '../../ml/architecture.js';
import { predictTtaInWorkers } from '../../ml/parallel-inference.js';
import { regressionMetrics, type RegressionMetrics } from '../../ml/metrics.js';
import type { TargetScaling } from '../../ml/tta.js';
import { loadBilletPoints } from './dataset-loader.js';
import { modelInputNorm, normalisePatch } from '../../ml/input-norm.js';
import { CNN_MODEL_KIND } from '../../segregation/cnn/params.js';

export interface PointForecast {
  label: string;
  xMm: number;
  yMm: number;
  /** Mean ± sd over the 8 dihedral transforms (the paper's error bars). */
  mean: number;
  sd: number;
  actual: number | null;
  error: number | null;
  lowQuality: boolean;
  qualityFlags: string[];
  /** The prediction or the reading lies outside the carbon range the model was trained on. */
  outsideTrainingRange: boolean;
}

export interface BilletPrediction {
  modelId: number;
  modelName: string;
  billetId: number;
  billetName: string;
  backend: BackendInfo | null;
  workers: number;
  trainingRange: { min: number; max: number } | null;
  points: PointForecast[];
  /** Out-of-sample metrics over the points with readings (null when none have readings). */
  metrics: (RegressionMetrics & { maxDeviation: number }) | null;
  /** True when the billet was part of the model's training data (metrics are then NOT out-of-sample). */
  billetInTraining: boolean;
  synthetic: boolean;
}

interface CnnHyper {
  clahe?: boolean;
  targetScaling: TargetScaling;
}

export function requireCnnModel(ctx: ServiceContext, modelId: number): ModelRecord {
  const rec = createModelsRepo(ctx.db).get(modelId);
  if (rec.kind !== CNN_MODEL_KIND) throw new ApiError('invalid_argument', `Model ${modelId} is not a carbon CNN`, { field: 'modelId' });
  return rec;
}

export async function predictBillet(ctx: CnnContext, modelId: number, billetId: number, opts: { signal?: AbortSignal; onProgress?: (f: number, m: string) => void; workers?: number } = {}): Promise<BilletPrediction> {
  const rec = requireCnnModel(ctx, modelId);
  const arch = rec.architecture as ArchitectureSpec;
  const hyper = rec.hyper as CnnHyper;
  const ds = rec.dataset as { carbonRange: { min: number; max: number } | null; billets: { id: number }[] };
  const { billet, points } = await loadBilletPoints(ctx, billetId, {
    inputSize: arch.inputSize,
    clahe: hyper.clahe === false ? null : undefined,
    requireReadings: false,
    signal: opts.signal,
    onProgress: (f, m) => opts.onProgress?.(0.3 * f, m),
  });
  opts.onProgress?.(0.3, `predicting ${points.length} points × 8 transforms`);
  const pred = await predictTtaInWorkers(join(ctx.paths.root, rec.path), points.map((p) => normalisePatch(p.patch, modelInputNorm(rec.hyper))), arch.inputSize, arch.channels, hyper.targetScaling, {
    backend: ctx.backendPreference(),
    signal: opts.signal,
    workers: opts.workers,
  });
  const range = ds.carbonRange;
  const out: PointForecast[] = points.map((p, i) => {
    const mean = pred.mean[i];
    const outside = (v: number | null) => range !== null && v !== null && (v < range.min || v > range.max);
    return {
      label: p.label,
      xMm: p.xMm,
      yMm: p.yMm,
      mean,
      sd: pred.sd[i],
      actual: p.carbon,
      error: p.carbon === null ? null : mean - p.carbon,
      lowQuality: p.lowQuality,
      qualityFlags: p.qualityFlags,
      outsideTrainingRange: outside(mean) || outside(p.carbon),
    };
  });
  const withReadings = out.filter((p) => p.actual !== null);
  const metrics = withReadings.length >= 2 ? regressionMetrics(withReadings.map((p) => p.mean), withReadings.map((p) => p.actual!)) : null;
  opts.onProgress?.(1, 'done');
  return {
    modelId,
    modelName: rec.name,
    billetId,
    billetName: billet.name,
    backend: pred.backend,
    workers: pred.workers,
    trainingRange: range,
    points: out,
    metrics: metrics ? { ...metrics, maxDeviation: metrics.maxAbsError } : null,
    billetInTraining: ds.billets.some((b) => b.id === billetId),
    synthetic: billet.synthetic,
  };
}
