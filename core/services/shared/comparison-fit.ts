import type { ServiceContext } from '../context.js';
import type { CnnMetrics } from '../../api/methods/cnn.js';
import { createModelsRepo } from '../../store/repos/models-repo.js';
import type { PointComparison } from '../../maps/index.js';
import type { ComparisonFit } from '../../report/index.js';
import { createImagesRepo } from '../../store/repos/images-repo.js';
import { regressionMetrics } from '../../ml/metrics.js';
import { samplePointLabeller, pooledSample, imageSample } from '../../segregation/cnn/sample-label.js';
import type { SampleLabel } from '../../api/methods/cnn.js';
import { log } from '../../runtime/log.js';
import { modelTrainedImages } from './model-lineage.js';
import { predictedBillet } from './predicted-billet.js';

/**
 * Both R², the bias and the sample label of a predicted map's model-vs-readings comparison (Maps view and
 * PDF): in-sample when the model, or a model it was fine-tuned from, trained on this billet's section image (content
 * hash) — these figures used to be shown without saying so. Beside the MAE, the baseline that knows no image on the
 * same readings: the mean reading of the points the stored model trained on, predicted everywhere (as `segregation
 * predict` gives it; null when the model is gone or recorded no training points). Null with fewer than 2 compared
 * points or no model.
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
    const pooled = pooledSample(ok.map(labelOf));
    // an ancestor whose data is gone: readers say "sample unknown" for null
    sample = pooled === 'unknown' ? null : pooled;
    // the stored model's own final training points (a fine-tune's, not its ancestors'), as `segregation predict` takes them
    const final = (createModelsRepo(ctx.db).get(modelId).metrics as CnnMetrics | null)?.final.trainPoints ?? [];
    const own = final.map((p) => p.actual).filter(Number.isFinite);
    trainingMean = own.length ? own.reduce((a, v) => a + v, 0) / own.length : null;
  } catch (err) {
    // No label is better than a wrong one: readers then say the label is unknown (e.g. the model was deleted).
    log.warn('maps', 'could not decide the sample label of a model-vs-readings comparison', { modelId, err });
  }
  const baselineMae = trainingMean === null ? null : ok.reduce((a, r) => a + Math.abs(trainingMean! - r.measuredWtPct!), 0) / ok.length;
  return { r2: fit.r2, r2Determination: fit.r2Determination, meanBias: fit.meanBias, sample, trainingMean, baselineMae };
}

/** The model's training images and points (its ancestors' included), and this billet's section as the labeller reads it. */
function trainedImages(ctx: ServiceContext, modelId: number, billetId: number) {
  const hash = createImagesRepo(ctx.db, ctx.paths.images).cnnSource(billetId)?.contentHash ?? null;
  const trained = modelTrainedImages(ctx.db, modelId);
  return { trained, billet: predictedBillet(ctx.db, billetId, hash, trained) };
}

/**
 * Each point's sample to the model (its ancestors' training included) on this billet's section; null when it cannot
 * be told (the model is gone or unreadable).
 */
export function pointSampleLabeller(ctx: ServiceContext, modelId: number | null, billetId: number): ((p: { xMm: number; yMm: number }) => SampleLabel) | null {
  if (modelId === null) return null;
  try {
    const { trained, billet } = trainedImages(ctx, modelId, billetId);
    return samplePointLabeller(trained, billet);
  } catch (err) {
    log.warn('maps', 'could not decide what points are to their model', { modelId, err });
    return null;
  }
}

/**
 * What a predicted map's cells, and so its indices and acceptance class, are to its model: in-sample when the model
 * (or an ancestor) trained on this billet's section image, out-of-sample otherwise (unknown when an ancestor's data is) (never held-out: a map is not the k-split's test
 * points). Null when it cannot be told (no model id, or the model is gone).
 */
export function mapSample(ctx: ServiceContext, modelId: number | null, billetId: number): SampleLabel | null {
  if (modelId === null) return null;
  try {
    const { trained, billet } = trainedImages(ctx, modelId, billetId);
    const s = imageSample(trained, billet);
    // readers say "sample unknown" for null: an ancestor whose data is gone
    return s === 'unknown' ? null : s;
  } catch (err) {
    log.warn('maps', 'could not decide what a predicted map is to its model', { modelId, err });
    return null;
  }
}
