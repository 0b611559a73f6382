import { join } from 'node:path';
import type { CnnContext } from './cnn-context.js';
import type { ArchitectureSpec } from '../../ml/architecture.js';
import { InferencePool } from '../../ml/parallel-inference.js';
import type { TargetScaling } from '../../ml/tta.js';
import { maskFromQuality, type PatchPredictorSource } from '../../maps/predictor-source.js';
import type { PatchCentre, PatchPrediction } from '../../maps/predicted-map.js';
import { modelPointPrediction, requireCnnModel } from './predict.js';
import { modelInputNorm, normalisePatch } from '../../ml/input-norm.js';
import { modelCalibration } from '../../segregation/cnn/calibration.js';
import type { CnnMetrics } from '../../api/methods/cnn.js';
import { patchScaleInfo, recordScale } from './model-scale.js';

/**
 * The predicted-map source for core/maps: the billet's section is decoded once, patches are cut at
 * any mm centre at the model's physical patch size with its preprocessing and quality gate, and a pool of
 * inference threads (each holding the model) returns the TTA mean and sd; the model's interval calibration goes with it.
 */
export async function createMapPredictor(ctx: CnnContext, req: { modelId: number; billetId: number }): Promise<PatchPredictorSource> {
  const rec = requireCnnModel(ctx, req.modelId);
  const arch = rec.architecture as ArchitectureSpec;
  const hyper = rec.hyper as { clahe?: boolean; targetScaling: TargetScaling };
  const opened = await ctx.sections.openSectionForModel(req.billetId, recordScale(rec), hyper.clahe === false ? null : undefined);
  const pool = new InferencePool(join(ctx.paths.root, rec.path), arch.inputSize, arch.channels, hyper.targetScaling, { backend: ctx.backendPreference() });
  const backend = await pool.backend();
  const blend = (rec.metrics as CnnMetrics | null)?.blend ?? null;
  const predictor = async (centres: readonly PatchCentre[], signal: AbortSignal): Promise<PatchPrediction[]> => {
    const cut = await ctx.sections.patchesAt(opened, centres.map((c, i) => ({ label: String(i), xMm: c.xMm, yMm: c.yMm })), signal);
    const masks = cut.map((c) => maskFromQuality({ outsideFraction: c.outsideFraction, flags: c.qualityFlags }));
    const todo = cut.flatMap((c, i) => (masks[i] ? [] : [i]));
    const norm = modelInputNorm(rec.hyper);
    const inputs = todo.map((i) => normalisePatch(cut[i].patch, norm));
    const r = await pool.predict(inputs, signal);
    const out: PatchPrediction[] = cut.map((_, i) => ({ mean: Number.NaN, sd: Number.NaN, masked: masks[i] }));
    // The one definition of a patch's prediction (predict and Grad-CAM use it too), so a map cell and a point
    // prediction of the same patch cannot differ; the interval layer applies the calibration to the grid later.
    todo.forEach((i, k) => (out[i] = { mean: modelPointPrediction(blend, null, r.mean[k], r.sd[k], inputs[k]).mean, sd: r.sd[k], masked: null }));
    return out;
  };
  const patchMm = opened.billet.sourceSizePx * opened.calibration.mmPerPx;
  return {
    predictor,
    modelName: rec.name,
    backend: backend.name,
    rimMarginMm: patchMm / 2,
    patchMm,
    scale: patchScaleInfo(opened.patchScale, rec),
    concurrency: pool.size,
    batchSize: 64,
    calibration: modelCalibration(rec.metrics as CnnMetrics | null),
    dispose: () => pool.close(),
  };
}
