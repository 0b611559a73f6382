import type { Database } from 'better-sqlite3';
import type { SamplingPoint } from '../../api/methods/segregation.js';
import type { SampleLabel } from '../../api/methods/cnn.js';
import type { Correction } from '../../api/methods/fewer-points.js';
import { ApiError } from '../../api/errors.js';
import type { StoredPlan } from '../../store/repos/point-plans-repo.js';
import { createPredictedMapsRepo } from '../../store/repos/predicted-maps-repo.js';
import { correctedHalfWidth, correctedValue, fitCorrection, type Correction as Fit } from '../../segregation/fewer-points/index.js';
import { nowIso } from '../../store/tx.js';
import { phrase } from '../../api/phrase.js';

const INTERVAL_WORDS =
  'regression prediction interval of the corrected prediction: t(df) · √(s² + SE²), s = residual sd of the analysed readings about the correction pooled with the model’s held-out RMSE (2 df), SE = s·√(1/K + (p − p̄)²/Sxx) the correction’s own uncertainty (the slope term only when a slope is used)';

/**
 * Fits the plan's correction to the readings found at its proposed points and applies it to every point
 * (with intervals) and to the newest predicted map of the billet by the plan's model. Points that were not
 * analysed but have readings are the held-out check.
 */
export function correctPlan(db: Database, plan: StoredPlan, points: readonly SamplingPoint[], level: number): Correction {
  const reading = new Map(points.map((q) => [q.label, q.meanWtPct]));
  const chosen = new Set(plan.labels);
  const byLabel = new Map(plan.predictions.map((p) => [p.label, p]));
  const used = plan.labels.filter((l) => (reading.get(l) ?? null) !== null && byLabel.has(l));
  const missing = plan.labels.filter((l) => !used.includes(l));
  if (!used.length) {
    throw new ApiError('failed_precondition', `None of the ${plan.labels.length} proposed points has a reading yet: enter readings for ${plan.labels.join(', ')}`, { field: 'planId', details: { missing } });
  }
  const fit: Fit = fitCorrection(used.map((l) => ({ predicted: byLabel.get(l)!.predicted, reading: reading.get(l)! })), { priorSd: plan.priorSd });
  const out = plan.predictions.map((p) => {
    const v = correctedValue(fit, p.predicted);
    const h = correctedHalfWidth(fit, p.predicted, level);
    return { label: p.label, xMm: p.xMm, yMm: p.yMm, predicted: p.predicted, corrected: v, lower: v - h, upper: v + h, reading: reading.get(p.label) ?? null, analysed: used.includes(p.label) };
  });
  const checked = out.filter((p) => !chosen.has(p.label) && p.reading !== null);
  const check = checked.length
    ? {
        n: checked.length,
        mae: checked.reduce((a, p) => a + Math.abs(p.corrected - p.reading!), 0) / checked.length,
        uncorrectedMae: checked.reduce((a, p) => a + Math.abs(p.predicted - p.reading!), 0) / checked.length,
        coverage: checked.filter((p) => p.reading! >= p.lower && p.reading! <= p.upper).length / checked.length,
        sample: plan.sample as SampleLabel,
      }
    : null;
  return {
    planId: plan.id,
    billetId: plan.billetId,
    modelId: plan.modelId,
    modelName: plan.modelName,
    seed: plan.seed,
    missing,
    correction: {
      kind: fit.kind, k: fit.k, offset: fit.offset, levelWeight: fit.levelWeight, appliedOffset: fit.appliedOffset, slope: fit.slope, predictedMean: fit.predictedMean, readingMean: fit.readingMean,
      residualSd: fit.residualSd, df: fit.df, priorSd: fit.priorSd, slopeTest: fit.slopeTest, level, intervalMethod: INTERVAL_WORDS, intervalMethodPhrase: phrase('fewer.intervalMethod'),
    },
    points: out,
    check,
    map: plan.modelId === null ? null : correctedMap(db, plan.billetId, plan.modelId, fit, level),
    correctedAt: nowIso(),
  };
}

/** The newest predicted map of the billet by the model, corrected cell by cell (unmasked cells only). */
function correctedMap(db: Database, billetId: number, modelId: number, fit: Fit, level: number): Correction['map'] {
  const repo = createPredictedMapsRepo(db);
  const info = repo.list(billetId).find((p) => p.modelId === modelId);
  if (!info) return null;
  const { grid } = repo.load(info.id, billetId);
  let n = 0, sum = 0, sumRaw = 0, sumHw = 0, min = Infinity, max = -Infinity;
  for (let i = 0; i < grid.values.length; i++) {
    const p = grid.values[i];
    if (grid.mask[i] || !Number.isFinite(p)) continue;
    const v = correctedValue(fit, p);
    n++;
    sum += v;
    sumRaw += p;
    sumHw += correctedHalfWidth(fit, p, level);
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (!n) return null;
  return { predictionId: info.id, strideMm: info.strideMm, cells: n, meanWtPct: sum / n, minWtPct: min, maxWtPct: max, meanHalfWidth: sumHw / n, uncorrectedMeanWtPct: sumRaw / n };
}
