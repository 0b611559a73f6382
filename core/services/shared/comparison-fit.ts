import type { ServiceContext } from '../context.js';
import type { CnnMetrics } from '../../api/methods/cnn.js';
import type { PointComparison } from '../../maps/index.js';
import type { ComparisonFit } from '../../report/index.js';
import { createModelsRepo } from '../../store/repos/models-repo.js';
import { createImagesRepo } from '../../store/repos/images-repo.js';
import { regressionMetrics } from '../../ml/metrics.js';
import { samplePointLabeller, pooledSample, imageSample } from '../../segregation/cnn/sample-label.js';
import type { SampleLabel } from '../../api/methods/cnn.js';
import { log } from '../../runtime/log.js';

/**
 * Both R², the bias and the sample label of a predicted map's model-vs-readings comparison (Maps view and
 * PDF): in-sample when the model trained on this billet's section image (content hash) — these figures used
 * to be shown without saying so. Beside the MAE, the baseline that knows no image on the same readings: the mean
 * reading of the points the stored model trained on, predicted everywhere (as `segregation predict` gives it; null
 * when the model is gone or recorded no training points). Null with fewer than 2 compared points or no model.
 */
export function comparisonFit(ctx: ServiceContext, modelId: number | null, billetId: number, rows: readonly PointComparison[]): ComparisonFit | null {
  const ok = rows.filter((r) => r.errorWtPct !== null && r.predictedWtPct !== null && r.measuredWtPct !== null);
  if (ok.length < 2 || modelId === null) return null;
  const fit = regressionMetrics(ok.map((r) => r.predictedWtPct!), ok.map((r) => r.measuredWtPct!));
  let sample: ComparisonFit['sample'] = null;
  let trainingMean: number | null = null;
  try {
    const { trained, billet } = trainedImages(ctx, modelId, billetId);
    const labelOf = samplePointLabeller(trained, billet);
    sample = pooledSample(ok.map(labelOf));
    const own = trained.trainPoints.map((p) => p.actual).filter(Number.isFinite);
    trainingMean = own.length ? own.reduce((a, v) => a + v, 0) / own.length : null;
  } catch (err) {
    // No label is better than a wrong one: readers then say the label is unknown (e.g. the model was deleted).
    log.warn('maps', 'could not decide the sample label of a model-vs-readings comparison', { modelId, err });
  }
  const baselineMae = trainingMean === null ? null : ok.reduce((a, r) => a + Math.abs(trainingMean! - r.measuredWtPct!), 0) / ok.length;
  return { r2: fit.r2, r2Determination: fit.r2Determination, meanBias: fit.meanBias, sample, trainingMean, baselineMae };
}

/** The model's training images and points, and this billet's section as the labeller reads it. */
function trainedImages(ctx: ServiceContext, modelId: number, billetId: number) {
  const rec = createModelsRepo(ctx.db).get(modelId);
  const ds = rec.dataset as { billets?: Array<{ id: number; imageHash?: string | null }> };
  const metrics = rec.metrics as CnnMetrics | null;
  const hash = createImagesRepo(ctx.db, ctx.paths.images).cnnSource(billetId)?.contentHash ?? null;
  return {
    trained: { billets: (ds.billets ?? []).map((b) => ({ id: b.id, imageHash: b.imageHash ?? null })), trainPoints: metrics?.final?.trainPoints ?? [], testPoints: metrics?.final?.testPoints ?? [] },
    billet: { id: billetId, imageHash: hash },
  };
}

/**
 * What a predicted map's cells, and so its indices and acceptance class, are to its model: in-sample when the model
 * trained on this billet's section image, out-of-sample otherwise (never held-out: a map is not the k-split's test
 * points). Null when it cannot be told (no model id, or the model is gone).
 */
export function mapSample(ctx: ServiceContext, modelId: number | null, billetId: number): SampleLabel | null {
  if (modelId === null) return null;
  try {
    const { trained, billet } = trainedImages(ctx, modelId, billetId);
    return imageSample(trained, billet);
  } catch (err) {
    log.warn('maps', 'could not decide what a predicted map is to its model', { modelId, err });
    return null;
  }
}
