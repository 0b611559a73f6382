import { phrase } from '../../api/phrase.js';
import type { Database } from 'better-sqlite3';
import type { SamplingPoint } from '../../api/methods/segregation.js';
import type { CnnMetrics, SampleLabel } from '../../api/methods/cnn.js';
import type { PointPlan } from '../../api/methods/fewer-points.js';
import { ApiError } from '../../api/errors.js';
import { createModelsRepo } from '../../store/repos/models-repo.js';
import type { StoredPlan } from '../../store/repos/point-plans-repo.js';
import { CNN_MODEL_KIND } from '../../segregation/cnn/params.js';
import { blendedTestPoints } from '../../segregation/cnn/texture-blend.js';
import { fitResidualVariogram, pureNugget, type MeasuredPoint, type ResidualVariogram } from '../../segregation/fewer-points/index.js';

/**
 * The model's residual sd before any correction, the prior of the correction's scatter: the RMSE over every
 * held-out test point of its k splits (pooled), else — a model trained without a test split — its in-sample
 * RMSE (an underestimate, but the K points' own residuals soon outweigh it).
 */
export function modelPriorSd(db: Database, modelId: number): number {
  const rec = createModelsRepo(db).get(modelId);
  if (rec.kind !== CNN_MODEL_KIND) throw ApiError.said('invalid_argument', phrase('errors.cnn.notCnn', { id: String(modelId) }), { field: 'modelId' });
  const m = rec.metrics as CnnMetrics | null;
  const test = blendedTestPoints(m?.splits ?? [], m?.blend).flat();
  if (test.length >= 2) return Math.sqrt(test.reduce((a, p) => a + (p.mean - p.actual) ** 2, 0) / test.length);
  const rmse = m?.final.train.rmse;
  if (rmse !== undefined && rmse > 0) return rmse;
  throw ApiError.said('failed_precondition', phrase('errors.fewer.noErrorFigures', { id: String(modelId) }), { field: 'modelId' });
}

/**
 * The shape of the model's residual covariance for regression-kriging: the variogram of its held-out residuals
 * (its k splits' test points, pairs within one billet), fitted once. A model without positioned held-out points
 * gets a pure nugget (kriging is then its level/slope correction alone).
 */
export function modelResidualVariogram(db: Database, modelId: number): ResidualVariogram {
  const m = createModelsRepo(db).get(modelId).metrics as CnnMetrics | null;
  const test = blendedTestPoints(m?.splits ?? [], m?.blend).flat();
  // random splits hold some points out more than once: residuals and distinct points are told apart
  const points = new Set(test.map((p) => `${p.billetId}/${p.label}`)).size;
  const one = new Set(test.map((p) => p.billetId)).size === 1;
  const source = `held-out residuals of model ${modelId} on its training billet${one ? '' : 's'} (${test.length} residuals at ${points} distinct points)`;
  const distinct = points === test.length; // each point held out once: the residuals are the points
  if (test.length < 10) {
    return {
      ...pureNugget(1, `no spatial structure assumed: model ${modelId} has ${test.length} held-out residuals at ${points} distinct points`),
      sourcePhrase: distinct ? phrase('mapNotes.correction.sourceFew', { model: modelId, n: test.length }) : phrase('mapNotes.correction.sourceFewResiduals', { model: modelId, n: test.length, points }),
      sourceWordsPhrase: phrase('fewerVariogram.sourceFew', { model: modelId, n: test.length, points }),
    };
  }
  // the source as a code too, so the correction's words are in the reader's language (core/services/shared/map-notes.ts)
  const sourcePhrase = distinct
    ? one ? phrase('mapNotes.correction.sourceOne', { model: modelId, n: test.length }) : phrase('mapNotes.correction.sourceMany', { model: modelId, n: test.length })
    : one ? phrase('mapNotes.correction.sourceOneResiduals', { model: modelId, n: test.length, points }) : phrase('mapNotes.correction.sourceManyResiduals', { model: modelId, n: test.length, points });
  const sourceWordsPhrase = one ? phrase('fewerVariogram.sourceOne', { model: modelId, n: test.length, points }) : phrase('fewerVariogram.sourceMany', { model: modelId, n: test.length, points });
  return { ...fitResidualVariogram(test.map((p) => ({ xMm: p.xMm, yMm: p.yMm, residual: p.actual - p.mean, group: p.billetId })), source), sourcePhrase, sourceWordsPhrase };
}

/** A plan as the contract shows it: its points with their pick order and today's readings. */
export function planView(p: StoredPlan, points: readonly SamplingPoint[]): PointPlan {
  const reading = new Map(points.map((q) => [q.label, q.meanWtPct]));
  const pick = new Map(p.labels.map((l, i) => [l, i + 1]));
  return {
    id: p.id,
    billetId: p.billetId,
    modelId: p.modelId,
    modelName: p.modelName,
    k: p.k,
    seed: p.seed,
    widthSource: p.widthSource,
    widthWeight: p.widthWeight,
    labels: p.labels,
    points: p.predictions.map((q) => ({ ...q, pick: pick.get(q.label) ?? null, reading: reading.get(q.label) ?? null })),
    priorSd: p.priorSd,
    measured: p.labels.filter((l) => (reading.get(l) ?? null) !== null).length,
    sample: p.sample as SampleLabel,
    createdAt: p.createdAt,
    correctedAt: p.correctedAt,
  };
}

/** Points with both a prediction and a reading, for the K-curve (TTA spread as the proposal's width). */
export function toMeasured(points: ReadonlyArray<{ label: string; xMm: number; yMm: number; mean: number; sd: number; actual: number | null }>): MeasuredPoint[] {
  return points.filter((p) => p.actual !== null).map((p) => ({ label: p.label, xMm: p.xMm, yMm: p.yMm, predicted: p.mean, reading: p.actual!, width: p.sd }));
}
