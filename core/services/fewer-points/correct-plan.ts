import type { Database } from 'better-sqlite3';
import type { SamplingPoint } from '../../api/methods/segregation.js';
import type { SampleLabel } from '../../api/methods/cnn.js';
import type { Correction } from '../../api/methods/fewer-points.js';
import type { CorrectedMapLabel } from '../../api/methods/maps.js';
import { ApiError } from '../../api/errors.js';
import type { StoredPlan } from '../../store/repos/point-plans-repo.js';
import { createPredictedMapsRepo } from '../../store/repos/predicted-maps-repo.js';
import { pooledSample } from '../../segregation/cnn/sample-label.js';
import { chooseCorrection, correctField, fitChosen, fitCorrection, fitKrigedCorrection, krigedValue, leaveOneOut, pureNugget, type KrigedCorrection, type ResidualVariogram } from '../../segregation/fewer-points/index.js';
import { nowIso } from '../../store/tx.js';
import { phrase } from '../../api/phrase.js';
import { correctionWords, noteEnglish } from '../shared/map-notes.js';
import { correctionGuard } from './curve-guard.js';
import { ownCheck } from './own-check.js';
import { choiceView, noChoiceWords } from './choice-words.js';
import type { KCurveResult } from '../../api/methods/fewer-points.js';
import type { CarbonRange } from '../../segregation/fewer-points/index.js';

type Method = CorrectedMapLabel['method'];

/**
 * Fits the plan's correction to the readings found at its proposed points and applies it to every point
 * (with intervals) and to the newest predicted map of the billet by the plan's model, which is stored with that
 * map. Points that were not analysed but have readings are the held-out check.
 */
export function correctPlan(
  db: Database,
  plan: StoredPlan,
  points: readonly SamplingPoint[],
  level: number,
  method: Method,
  variogram: ResidualVariogram,
  guardFrom: { range: CarbonRange | null; curves: readonly KCurveResult[] } = { range: null, curves: [] },
  /** Each point's sample to the plan's model, its ancestors included (null: the model is gone; the plan's stored label stands). */
  labelOf: ((p: { xMm: number; yMm: number }) => SampleLabel) | null = null,
): Correction {
  const reading = new Map(points.map((q) => [q.label, q.meanWtPct]));
  const chosen = new Set(plan.labels);
  const byLabel = new Map(plan.predictions.map((p) => [p.label, p]));
  const used = plan.labels.filter((l) => (reading.get(l) ?? null) !== null && byLabel.has(l));
  const missing = plan.labels.filter((l) => !used.includes(l));
  if (!used.length) {
    throw ApiError.said('failed_precondition', phrase('errors.fewer.noReadingYet', { n: plan.labels.length, labels: plan.labels.join(', ') }), { field: 'planId', details: { missing } });
  }
  const vg = method === 'residual-kriging' ? variogram : pureNugget(1, 'level/slope only');
  // what the K analysed readings are to the model (task 27-G): on its own training billet they are in-sample, and the
  // own check and the choice say so instead of calling the model's error there held-out
  const sampleOfPoints = (ps: ReadonlyArray<{ xMm: number; yMm: number }>): SampleLabel => (labelOf ? pooledSample(ps.map(labelOf)) : (plan.sample as SampleLabel));
  const analysedSample = sampleOfPoints(used.map((l) => byLabel.get(l)!));
  const pairs = used.map((l) => ({ label: l, xMm: byLabel.get(l)!.xMm, yMm: byLabel.get(l)!.yMm, predicted: byLabel.get(l)!.predicted, reading: reading.get(l)! }));
  // the correction is chosen on the K readings' own leave-one-out errors (task 21-C, choose.ts); with one reading, the level
  const offered = method === 'residual-kriging' ? variogram : null;
  const choice = chooseCorrection(pairs, offered, { priorSd: plan.priorSd }, { trainingRange: guardFrom.range, level });
  const spec = choice ? choice.candidates[choice.chosen] : null;
  const kc = spec ? fitChosen(pairs, spec, offered, { priorSd: plan.priorSd }) : fitKrigedCorrection(pairs, vg, { priorSd: plan.priorSd });
  const fit = kc.trend;
  // what the made correction is: a chosen candidate that does not krig is the trend alone, whatever was offered
  const made: Method = spec && !spec.kriging ? 'level-slope' : method;
  const out = plan.predictions.map((p) => {
    const v = krigedValue(kc, p.predicted, p.xMm, p.yMm, level);
    return { label: p.label, xMm: p.xMm, yMm: p.yMm, predicted: p.predicted, corrected: v.value, krigedResidual: v.krigedResidual, lower: v.value - v.halfWidth, upper: v.value + v.halfWidth, reading: reading.get(p.label) ?? null, analysed: used.includes(p.label) };
  });
  const checked = out.filter((p) => !chosen.has(p.label) && p.reading !== null);
  const check = checked.length
    ? {
        n: checked.length,
        mae: checked.reduce((a, p) => a + Math.abs(p.corrected - p.reading!), 0) / checked.length,
        uncorrectedMae: checked.reduce((a, p) => a + Math.abs(p.predicted - p.reading!), 0) / checked.length,
        coverage: checked.filter((p) => p.reading! >= p.lower && p.reading! <= p.upper).length / checked.length,
        sample: sampleOfPoints(checked),
      }
    : null;
  // whether the K-curves' expected MAE applies here (task 19-C): said with the correction and in the corrected map's notes (PDF)
  // the billet's own check (task 20-C): the same correction refitted on K − 1 readings predicts the one left out; the
  // guard tests it against its K-curve's own check (a third sign), the words say it beside the expected MAE
  // the own check is the chosen candidate's leave-one-out, the figure it was chosen on (refits keep its trend)
  const loo = leaveOneOut(pairs, spec ? kc.variogram : vg, { priorSd: plan.priorSd, ...(spec ? { trend: spec.trend } : {}) }, level);
  // the guard's level shift is judged on the level fit whatever was chosen (its offset and scatter about a level)
  const levelFit = spec ? fitCorrection(pairs, { priorSd: plan.priorSd, trend: 'level' }) : fit;
  // a choice's own check is not compared with a curve of the old fixed rule (curve-guard.ts)
  const guard = correctionGuard({ readings: used.map((l) => reading.get(l)!), corrected: out.map((p) => p.corrected), offset: levelFit.offset, residualSd: levelFit.residualSd, range: guardFrom.range, curves: guardFrom.curves, method, looMae: loo?.mae ?? null, chosen: spec !== null, billetId: plan.billetId });
  const own = ownCheck({ loo, labels: used, level, guard, curves: guardFrom.curves, sample: analysedSample, ...(spec ? { chosen: { trend: spec.trend, kriging: spec.kriging } } : { trend: fit.kind }) });
  const picked = choiceView(choice, used.length, guardFrom.range, analysedSample);
  // the words say the trend as fitted (a chosen slope outside the guard falls back to the level) and, for a choice, no fixed rule
  const wordsPhrases = [...(picked ? picked.words : noChoiceWords(used.length)), ...correctionWords(made, kc.variogram, spec ? fit.kind : undefined)];
  const words = noteEnglish(wordsPhrases);
  const correctedAt = nowIso();
  const label = { planId: plan.id, k: fit.k, labels: used, method: made, trend: fit.kind, level, words: `${words} ${guard.english} ${own.english}`, wordsPhrases: [...wordsPhrases, ...guard.words, ...own.words], correctedAt };
  return {
    planId: plan.id,
    billetId: plan.billetId,
    modelId: plan.modelId,
    modelName: plan.modelName,
    seed: plan.seed,
    missing,
    correction: {
      method: made,
      variogram: made === 'residual-kriging'
        ? { structuredShare: vg.structuredShare, lengthScaleMm: vg.lengthScaleMm, ...(vg.maxLagMm !== undefined ? { maxLagMm: vg.maxLagMm } : {}), points: vg.points, pairs: vg.pairs, source: vg.source, ...(vg.sourceWordsPhrase ? { sourcePhrase: vg.sourceWordsPhrase } : {}), sillSd: Math.sqrt(kc.sillVar), nuggetSd: Math.sqrt(kc.nuggetVar) }
        : null,
      kind: fit.kind, k: fit.k, offset: fit.offset, levelWeight: fit.levelWeight, appliedOffset: fit.appliedOffset, slope: fit.slope, predictedMean: fit.predictedMean, readingMean: fit.readingMean,
      residualSd: fit.residualSd, df: fit.df, priorSd: fit.priorSd, slopeTest: fit.slopeTest, level, intervalMethod: words.replace(/\.$/, ''),
      // the trend-only interval has one phrase; the kriging interval is said by the same phrases as its English words
      ...(made === 'level-slope' ? { intervalMethodPhrase: fit.kind === 'none' ? phrase('fewerChoice.intervalNone') : phrase('fewer.intervalMethod') } : { intervalMethodPhrases: wordsPhrases }),
    },
    points: out,
    check,
    map: plan.modelId === null ? null : correctedMap(db, plan.billetId, plan.modelId, kc, label),
    guard,
    ownCheck: own,
    choice: picked,
    correctedAt,
  };
}

/** The newest predicted map of the billet by the model, corrected cell by cell (its smoothed field when stored) and stored with it. */
function correctedMap(db: Database, billetId: number, modelId: number, kc: KrigedCorrection, label: Omit<CorrectedMapLabel, 'field'>): Correction['map'] {
  const repo = createPredictedMapsRepo(db);
  const info = repo.list(billetId).find((p) => p.modelId === modelId);
  if (!info) return null;
  const stored = repo.load(info.id, billetId);
  const field = stored.smoothed ? 'smoothed' : 'raw';
  const base = stored.smoothed?.grid ?? stored.grid;
  const c = correctField(base, kc, label.level);
  let n = 0, sum = 0, sumRaw = 0, sumHw = 0, min = Infinity, max = -Infinity;
  for (let i = 0; i < c.grid.values.length; i++) {
    const v = c.grid.values[i];
    if (!Number.isFinite(v)) continue;
    n++;
    sum += v;
    sumRaw += base.values[i];
    sumHw += c.halfWidth[i];
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (!n) return null;
  repo.setCorrected(info.id, { label: { ...label, field }, grid: c.grid, halfWidth: c.halfWidth });
  return { predictionId: info.id, field, strideMm: info.strideMm, cells: n, meanWtPct: sum / n, minWtPct: min, maxWtPct: max, meanHalfWidth: sumHw / n, uncorrectedMeanWtPct: sumRaw / n };
}
