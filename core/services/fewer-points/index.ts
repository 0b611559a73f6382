import type { ServiceContext } from '../context.js';
import type { SampleLabel } from '../../api/methods/cnn.js';
import type { Correction, KCurveResult, PointPlan } from '../../api/methods/fewer-points.js';
import type { ParsedInput } from '../../api/contract.js';
import { ApiError } from '../../api/errors.js';
import { createPointPlansRepo } from '../../store/repos/point-plans-repo.js';
import { createPointsRepo } from '../../store/repos/points-repo.js';
import { proposePoints, expectedMaeByK, pureNugget, DEFAULT_VALUE_WEIGHT, TTA_SPREAD_WIDTH_WEIGHT } from '../../segregation/fewer-points/index.js';
import { modelPriorSd, modelResidualVariogram, planView, toMeasured } from './plan-view.js';
import { correctPlan } from './correct-plan.js';
import { curveRange, modelTrainingRange } from './curve-guard.js';
import { inTransaction } from '../../store/tx.js';
import { pointSampleLabeller } from '../shared/comparison-fit.js';
import { pooledSample } from '../../segregation/cnn/sample-label.js';
import { phrase, type Phrase } from '../../api/phrase.js';

/** What this service needs of the CNN's prediction (the CNN service's `predict`, handed over by the composition root). */
export interface PointPredictor {
  (modelId: number, billetId: number, opts: { signal?: AbortSignal; onProgress?: (f: number, m: string | Phrase) => void }): Promise<{
    modelName: string;
    sample: SampleLabel;
    points: ReadonlyArray<{ label: string; xMm: number; yMm: number; mean: number; sd: number; actual: number | null; interval: { halfWidth: number } | null }>;
  }>;
}

export interface FewerPointsDeps {
  predict: PointPredictor;
}

/**
 * "Measure fewer points" (issue 11 §6) over the store: propose K points for a model on a billet (a job: the
 * model predicts every point first), correct the stored predictions with the readings found at them, and the
 * held-out K-curve. The arithmetic is core/segregation/fewer-points.
 */
export function createFewerPointsService(ctx: ServiceContext, deps: FewerPointsDeps) {
  const plans = () => createPointPlansRepo(ctx.db);
  const points = () => createPointsRepo(ctx.db);
  /**
   * A curve's sample as its model's lineage says now (task 27-G): one stored before a fine-tune's ancestors counted
   * called a billet its parent trained on out-of-sample. The least independent of the stored and the re-decided label.
   */
  const withLineageSample = (c: KCurveResult): KCurveResult => {
    const labelOf = pointSampleLabeller(ctx, c.modelId, c.billetId);
    if (!labelOf) return c;
    const measured = points().list(c.billetId).filter((p) => p.meanWtPct !== null);
    return measured.length ? { ...c, sample: pooledSample([c.sample, ...measured.map(labelOf)]) } : c;
  };

  return {
    propose(args: ParsedInput<'fewerPoints.propose'>) {
      const b = ctx.repos.billets.get(args.billetId);
      const priorSd = modelPriorSd(ctx.db, args.modelId); // refuses a model that is not a carbon CNN before the job starts
      const n = points().labels(b.id).length;
      if (n < 3) throw ApiError.said('failed_precondition', n === 1 ? phrase('errors.fewer.fewPointsOne', { name: b.name }) : phrase('errors.fewer.fewPoints', { name: b.name, n }), { field: 'billetId' });
      if (args.k > n - 1) throw ApiError.said('invalid_argument', phrase('errors.fewer.kTooLarge', { max: n - 1, n, k: args.k }), { field: 'k' });
      if (args.widths && args.widths.length !== n) throw ApiError.said('invalid_argument', phrase('errors.fewer.widths', { given: args.widths.length, n }), { field: 'widths' });
      return ctx.jobs.start('fewer-points', (args.k === 1 ? phrase('jobs.fewer.proposeLabelOne', { name: b.name }) : phrase('jobs.fewer.proposeLabel', { k: args.k, name: b.name })), async (ctl) => {
        const pred = await deps.predict(args.modelId, b.id, { signal: ctl.signal, onProgress: (f, m) => ctl.progress(0.95 * f, m) });
        ctl.throwIfCancelled();
        // The model's calibrated interval half-widths when it has them (split-conformal: flat with the default
        // method, so the proposal is then purely space-filling); else the TTA spread, which did not help held-out.
        const calibrated = pred.points.every((p) => p.interval !== null);
        const widths = args.widths ?? pred.points.map((p) => (calibrated ? p.interval!.halfWidth : p.sd));
        const widthWeight = args.widthWeight ?? (args.widths || calibrated ? 1 : TTA_SPREAD_WIDTH_WEIGHT);
        const proposal = proposePoints(pred.points, { k: args.k, seed: args.seed, widths, widthWeight, values: pred.points.map((p) => p.mean), valueWeight: DEFAULT_VALUE_WEIGHT });
        const stored = plans().create({
          billetId: b.id,
          modelId: args.modelId,
          modelName: pred.modelName,
          k: args.k,
          seed: proposal.seed,
          widthSource: args.widths ? 'given' : calibrated ? 'calibrated-interval' : 'tta-sd',
          widthWeight: proposal.widthWeight,
          labels: proposal.labels,
          predictions: pred.points.map((p, i) => ({ label: p.label, xMm: p.xMm, yMm: p.yMm, predicted: p.mean, sd: p.sd, width: widths[i] })),
          priorSd,
          sample: pred.sample,
        });
        ctx.bus.emit({ type: 'data-changed', entity: 'point-plan', id: b.id });
        return planView(stored, points().list(b.id));
      });
    },

    plans(billetId: number): PointPlan[] {
      ctx.repos.billets.get(billetId);
      const pts = points().list(billetId);
      const measured = pts.filter((q) => q.meanWtPct !== null);
      return plans().list(billetId).map((p) => {
        const v = planView(p, pts);
        // as the model's lineage says now (task 27-G): a plan stored before a fine-tune's ancestors counted may say out-of-sample
        const labelOf = pointSampleLabeller(ctx, p.modelId, billetId);
        return labelOf && measured.length ? { ...v, sample: pooledSample([v.sample, ...measured.map(labelOf)]) } : v;
      });
    },

    correct(args: ParsedInput<'fewerPoints.correct'>): Correction {
      ctx.repos.billets.get(args.billetId);
      const repo = plans();
      const plan = args.planId !== undefined ? repo.get(args.planId) : repo.latest(args.billetId, args.modelId);
      if (!plan) throw ApiError.said('failed_precondition', args.modelId !== undefined ? phrase('errors.fewer.noPlanForModel', { billet: String(args.billetId), model: String(args.modelId) }) : phrase('errors.fewer.noPlan', { billet: String(args.billetId) }), { field: 'billetId' });
      if (plan.billetId !== args.billetId) throw ApiError.said('invalid_argument', phrase('errors.fewer.planOtherBillet', { plan: plan.id, billet: plan.billetId, given: String(args.billetId) }), { field: 'planId' });
      if (args.modelId !== undefined && plan.modelId !== args.modelId) throw ApiError.said('invalid_argument', plan.modelId === null ? phrase('errors.fewer.planModelDeleted', { plan: plan.id, given: String(args.modelId) }) : phrase('errors.fewer.planOtherModel', { plan: plan.id, model: plan.modelId, given: String(args.modelId) }), { field: 'modelId' });
      const variogram = plan.modelId !== null && args.method === 'residual-kriging' ? modelResidualVariogram(ctx.db, plan.modelId) : pureNugget(1, 'level/slope only');
      // the plan's correction and the corrected map it stores are one write: both or neither
      // the guard's references: the model's training range and its stored K-curves (task 19-C)
      const guardFrom = { range: modelTrainingRange(ctx.db, plan.modelId), curves: plan.modelId === null ? [] : repo.curves(plan.modelId).map(curveView).map(withLineageSample) };
      const result = inTransaction(ctx.db, () => {
        const r = correctPlan(ctx.db, plan, points().list(args.billetId), args.level, args.method, variogram, guardFrom, pointSampleLabeller(ctx, plan.modelId, plan.billetId));
        repo.setCorrection(plan.id, r);
        return r;
      });
      ctx.bus.emit({ type: 'data-changed', entity: 'point-plan', id: args.billetId });
      return result;
    },

    curve(args: ParsedInput<'fewerPoints.curve'>) {
      const b = ctx.repos.billets.get(args.billetId);
      const priorSd = modelPriorSd(ctx.db, args.modelId);
      const variogram = args.method === 'residual-kriging' ? modelResidualVariogram(ctx.db, args.modelId) : null;
      const measured = points().list(b.id).filter((p) => p.meanWtPct !== null).length;
      const maxK = Math.max(...args.ks);
      if (measured < maxK + 2) {
        throw ApiError.said('failed_precondition', measured === 1 ? phrase('errors.fewer.curveNeedsReadingsOne', { name: b.name, maxK }) : phrase('errors.fewer.curveNeedsReadings', { name: b.name, measured, maxK }), { field: 'ks' });
      }
      return ctx.jobs.start('fewer-points', phrase('jobs.fewer.curveLabel', { name: b.name }), async (ctl) => {
        const pred = await deps.predict(args.modelId, b.id, { signal: ctl.signal, onProgress: (f, m) => ctl.progress(0.9 * f, m) });
        ctl.throwIfCancelled();
        ctl.progress(0.92, phrase('jobs.fewer.draws', { draws: args.draws }));
        // the whole procedure, the choice on each draw's K readings included (task 21-C): its expected MAE is the workflow's
        const trainingRange = modelTrainingRange(ctx.db, args.modelId);
        const curve = expectedMaeByK(toMeasured(pred.points), { ks: args.ks, draws: args.draws, seed: args.seed, selection: args.selection, priorSd, widthWeight: TTA_SPREAD_WIDTH_WEIGHT, method: args.method, variogram, choose: { trainingRange } });
        const range = curveRange(pred.points.flatMap((p) => (p.actual === null ? [] : [p.actual])), trainingRange);
        const stored = plans().createCurve({ billetId: b.id, modelId: args.modelId, modelName: pred.modelName, seed: curve.seed, draws: curve.draws, selection: curve.selection, curve: { ...curve, sample: pred.sample, range } });
        ctx.bus.emit({ type: 'data-changed', entity: 'point-plan', id: b.id });
        return curveView(stored);
      });
    },

    curves(modelId?: number): KCurveResult[] {
      return plans().curves(modelId).map(curveView).map(withLineageSample);
    },
  };
}
export type FewerPointsService = ReturnType<typeof createFewerPointsService>;

function curveView(c: ReturnType<ReturnType<typeof createPointPlansRepo>['createCurve']>): KCurveResult {
  const curve = c.curve as { rows: KCurveResult['rows']; level: number; points: number; sample: SampleLabel; method?: KCurveResult['method']; floor?: KCurveResult['floor']; range?: KCurveResult['range']; choice?: KCurveResult['choice'] };
  return {
    id: c.id, billetId: c.billetId, modelId: c.modelId, modelName: c.modelName, seed: c.seed, draws: c.draws,
    selection: c.selection as KCurveResult['selection'], method: curve.method ?? 'level-slope', ...(curve.choice ? { choice: curve.choice } : {}), level: curve.level, points: curve.points, sample: curve.sample, rows: curve.rows, ...(curve.floor ? { floor: curve.floor } : {}), ...(curve.range ? { range: curve.range } : {}), createdAt: c.createdAt,
  };
}
