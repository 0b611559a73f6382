import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { createAppContext, type AppContext } from '../../../core/app/context.js';
import { localClient } from '../../../core/app/dispatch.js';
import { createModelsRepo } from '../../../core/store/repos/models-repo.js';
import { createPointPlansRepo } from '../../../core/store/repos/point-plans-repo.js';
import { CNN_MODEL_KIND } from '../../../core/segregation/cnn/params.js';
import { COMPACT_ARCHITECTURE } from '../../../core/ml/architecture.js';
import { mapSample, pointSampleLabeller, comparisonFit } from '../../../core/services/shared/comparison-fit.js';
import { lineageForFineTune } from '../../../core/services/shared/model-lineage.js';
import { modelCardOf } from '../../../core/services/reports/model-card.js';
import { reportPhraser, reportTranslator } from '../../../core/report/index.js';
import type { CnnMetrics, PointPrediction } from '../../../core/api/methods/cnn.js';
import type { KCurveResult } from '../../../core/api/methods/fewer-points.js';
import { correctionGuard } from '../../../core/services/fewer-points/curve-guard.js';
import { runCli } from '../../helpers/cli.js';
import { tempDir } from '../../helpers/temp.js';

/**
 * Task 27-G (audit 27-F #3): a fine-tuned model starts from its parent's weights, so what the parent trained on is
 * in-sample to it. FT13, fine-tuned from M1 (trained on B7) on B13, predicting B7 had said "out-of-sample (an image
 * never trained on)". The label is decided from the model's own data and every ancestor's, everywhere: predictions
 * (the point labeller), maps and their PDF (mapSample), the comparison fit, K-curves and the guard, and a fine-tune's
 * own split figures. The models are stored records (no training): the labels read only what they trained on.
 */

type Pos = { label: string; xMm: number; yMm: number };
const pp = (billetId: number, p: Pos, actual: number): PointPrediction => ({ billetId, label: p.label, xMm: p.xMm, yMm: p.yMm, actual, mean: actual, sd: 0.001, relError: 0 });
const reading = (i: number) => Number((0.42 + 0.0009 * ((i * 7) % 23)).toFixed(4));

function metricsOf(billetId: number, train: Pos[], test: Pos[], splits: Array<{ name: string; test: Pos[] }> = []): CnnMetrics {
  const m = { n: 10, r2: 0.6, r2Determination: 0.1, meanBias: 0, mae: 0.018, rmse: 0.022, maxAbsError: 0.05, meanRelError: 0.04 };
  const run = (name: string, tr: Pos[], te: Pos[]) => ({
    name, seed: 1, bestEpoch: 4, stoppedEarly: false, history: [], train: m, test: te.length ? m : null, testMaeOfTrainMean: te.length ? 0.02 : null,
    trainPoints: tr.map((p, i) => pp(billetId, p, reading(i))), testPoints: te.map((p, i) => pp(billetId, p, reading(i))),
  });
  const sd = (mean: number) => ({ mean, sd: 0.001 });
  const summary = splits.length ? { test: { r2: sd(0.6), r2Determination: sd(0.1), meanBias: sd(0), mae: sd(0.018), rmse: sd(0.022), maxAbsError: sd(0.05), meanRelError: sd(0.04) }, train: { r2: sd(0.7), r2Determination: sd(0.6), meanBias: sd(0), mae: sd(0.012), rmse: sd(0.015), maxAbsError: sd(0.04), meanRelError: sd(0.03) } } : null;
  return { splitMode: 'random', splits: splits.map((s) => run(s.name, [], s.test)), summary, final: run('final model (all points)', train, test), calibration: null } as unknown as CnnMetrics;
}

function storeModel(ctx: AppContext, name: string, billets: Array<{ id: number; name: string }>, metrics: CnnMetrics, parentModelId: number | null, extra: Record<string, unknown> = {}): number {
  return createModelsRepo(ctx.db).insert(
    { kind: CNN_MODEL_KIND, name, parentModelId, architecture: COMPACT_ARCHITECTURE, hyper: { preset: 'compact' }, seed: 42, datasetFingerprint: 'f'.repeat(16), dataset: { billets: billets.map((b) => ({ ...b, imageHash: null })), points: [], carbonRange: { min: 0.4, max: 0.45 }, ...extra }, backend: { name: 'wasm', tfjsBackend: 'wasm', gpu: false, tfjsVersion: '4.22.0', detail: '', skipped: [] }, history: null, metrics, synthetic: true },
    () => {},
  ).id;
}

/** A fine-tune stored as training stores one: its run names the base model (params.baseModelId). */
function recordFineTuneRun(ctx: AppContext, modelId: number, baseModelId: number): void {
  const repo = createModelsRepo(ctx.db);
  repo.finishRun(repo.startRun(CNN_MODEL_KIND, { baseModelId }, 42), 'done', { modelId });
}

describe('a fine-tuned model is in-sample on what its ancestors trained on', () => {
  const { dir, cleanup } = tempDir('ferrolab-27g-ft-');
  let ctx: AppContext;
  const ids = { b7: 0, b13: 0, b99: 0, m1: 0, ft13: 0, ft13b: 0, ft7: 0, legacy: 0, stored: 0 };
  let b7: Pos[] = [];

  beforeAll(async () => {
    ctx = createAppContext({ dataDir: join(dir, 'data'), shell: 'cli', backend: 'wasm' });
    const api = localClient(ctx);
    for (const [key, name] of [['b7', 'B7'], ['b13', 'B13'], ['b99', 'B99']] as const) {
      ids[key] = ctx.repos.billets.create({ name, nominalDiameterMm: 600 }).id;
      const pts = (await api['points.layout']({ billetId: ids[key], pattern: 'hex85', confirmReplace: true })).points;
      if (key === 'b7') {
        b7 = pts;
        for (const [i, p] of pts.entries()) await api['readings.set']({ billetId: ids.b7, label: p.label, values: [reading(i)] });
      }
    }
    // M1: trained on 76 of B7's 85 points, 9 held out from its stored model
    ids.m1 = storeModel(ctx, 'M1', [{ id: ids.b7, name: 'B7' }], metricsOf(ids.b7, b7.slice(0, 76), b7.slice(76)), null);
    ids.ft13 = storeModel(ctx, 'FT13', [{ id: ids.b13, name: 'B13' }], metricsOf(ids.b13, [], []), ids.m1);
    recordFineTuneRun(ctx, ids.ft13, ids.m1);
    // a fine-tune of the fine-tune: M1 is its grandparent
    ids.ft13b = storeModel(ctx, 'FT13b', [{ id: ids.b13, name: 'B13' }], metricsOf(ids.b13, [], []), ids.ft13);
    recordFineTuneRun(ctx, ids.ft13b, ids.ft13);
  });
  afterAll(async () => {
    await ctx.close();
    cleanup();
  });

  it('FT13 (fine-tuned from M1 on B13) predicting B7: in-sample at M1\'s training points, held-out at its 9 test points, never out-of-sample', () => {
    expect(mapSample(ctx, ids.m1, ids.b7)).toBe('in-sample');
    // before: "out-of-sample (an image never trained on)", although FT13's weights start from M1's, trained on B7
    expect(mapSample(ctx, ids.ft13, ids.b7)).toBe('in-sample');
    const labelOf = pointSampleLabeller(ctx, ids.ft13, ids.b7)!;
    const labels = b7.map(labelOf);
    expect(labels.filter((l) => l === 'in-sample').length).toBe(76);
    expect(labels.slice(76)).toEqual(Array(9).fill('held-out'));
    // B99 was never trained on by FT13 nor M1
    expect(mapSample(ctx, ids.ft13, ids.b99)).toBe('out-of-sample');
    // the model-vs-readings comparison of a map of B7 by FT13 (Maps view, PDF)
    const rows = b7.map((p, i) => ({ label: p.label, xMm: p.xMm, yMm: p.yMm, measuredWtPct: reading(i), predictedWtPct: reading(i) + 0.001, errorWtPct: 0.001 }));
    expect(comparisonFit(ctx, ids.ft13, ids.b7, rows as never)!.sample).toBe('in-sample');
    expect(comparisonFit(ctx, ids.ft13, ids.b7, rows.slice(76) as never)!.sample).toBe('held-out');
  });

  it('a chain: a fine-tune of a fine-tune is in-sample on its grandparent\'s billet', () => {
    expect(mapSample(ctx, ids.ft13b, ids.b7)).toBe('in-sample');
    expect(pointSampleLabeller(ctx, ids.ft13b, ids.b7)!(b7[0])).toBe('in-sample');
    expect(pointSampleLabeller(ctx, ids.ft13b, ids.b7)!(b7[80])).toBe('held-out');
    expect(mapSample(ctx, ids.ft13b, ids.b99)).toBe('out-of-sample');
  });

  it('a K-curve stored as out-of-sample for FT13 on B7 is re-labelled in-sample, and the guard takes no expected MAE from it', async () => {
    const rows = [0, 4, 8].map((k) => ({ k, draws: 20, mae: 0.008, maeSd: 0, maeMin: 0, maeMax: 0, uncorrectedMae: 0.008, coverage: 0.9, meanHalfWidth: 0.01, slopeShare: 0 }));
    // as measured before lineage counted: the stored label said out-of-sample
    createPointPlansRepo(ctx.db).createCurve({ billetId: ids.b7, modelId: ids.ft13, modelName: 'FT13', seed: 1, draws: 20, selection: 'proposed', curve: { rows, level: 0.9, points: 85, sample: 'out-of-sample', method: 'residual-kriging', floor: { points: 85, level: 0.007, levelSlope: 0.007, offset: 0 }, range: { trainingRange: { min: 0.4, max: 0.45 }, outsideShare: 0, outside: false, words: [], english: '' } } });
    const curves: KCurveResult[] = await localClient(ctx)['fewerPoints.curves']({ modelId: ids.ft13 });
    expect(curves).toHaveLength(1);
    expect(curves[0].sample).toBe('in-sample');
    // the guard takes an expected MAE from held-out or out-of-sample curves only
    const STIR = [0.384, 0.405, 0.412, 0.421, 0.428, 0.436, 0.447, 0.463];
    const range = { min: 0.38, max: 0.47 };
    const guard = (c: KCurveResult[]) => correctionGuard({ readings: STIR, corrected: STIR, offset: -0.002, residualSd: 0.007, range, curves: c, billetId: ids.b13 });
    expect(guard([{ ...curves[0], sample: 'out-of-sample' }]).expected!.curveId).toBe(curves[0].id); // what it said before
    expect(guard(curves).expected).toBeNull();
    // a plan stored then for FT13 on B7 says so too when listed
    createPointPlansRepo(ctx.db).create({ billetId: ids.b7, modelId: ids.ft13, modelName: 'FT13', k: 4, seed: 1, widthSource: 'tta-sd', widthWeight: 1, labels: b7.slice(0, 4).map((p) => p.label), predictions: b7.map((p, i) => ({ label: p.label, xMm: p.xMm, yMm: p.yMm, predicted: reading(i), sd: 0.001, width: 0.01 })), priorSd: 0.02, sample: 'out-of-sample' });
    const plans = await localClient(ctx)['fewerPoints.plans']({ billetId: ids.b7 });
    expect(plans.map((p) => p.sample)).toEqual(['in-sample']);
  });

  it('a parent deleted before its data was stored with the fine-tune: "sample unknown", never out-of-sample; in-sample stays in-sample', () => {
    const m0 = storeModel(ctx, 'M0', [{ id: ids.b7, name: 'B7' }], metricsOf(ids.b7, b7.slice(0, 76), b7.slice(76)), null);
    ids.legacy = storeModel(ctx, 'FT-legacy', [{ id: ids.b13, name: 'B13' }], metricsOf(ids.b13, [], []), m0);
    recordFineTuneRun(ctx, ids.legacy, m0);
    expect(mapSample(ctx, ids.legacy, ids.b99)).toBe('out-of-sample');
    createModelsRepo(ctx.db).delete(m0);
    expect(createModelsRepo(ctx.db).get(ids.legacy).parentModelId).toBeNull(); // ON DELETE SET NULL: the row forgets
    // the run still names the base: what it trained on is unknown now
    expect(mapSample(ctx, ids.legacy, ids.b99)).toBeNull();
    expect(mapSample(ctx, ids.legacy, ids.b7)).toBeNull();
    expect(pointSampleLabeller(ctx, ids.legacy, ids.b99)!(b7[0])).toBe('unknown');
    // its own training billet is in-sample whatever the parent did
    expect(mapSample(ctx, ids.legacy, ids.b13)).toBe('in-sample');
  });

  it('a fine-tune that stores its ancestors\' data (as training now does) keeps them in-sample after the parent is deleted', () => {
    const m2 = storeModel(ctx, 'M2', [{ id: ids.b7, name: 'B7' }], metricsOf(ids.b7, b7.slice(0, 76), b7.slice(76)), null);
    const lineage = lineageForFineTune(ctx.db, createModelsRepo(ctx.db).get(m2));
    expect(lineage.complete).toBe(true);
    expect(lineage.ancestors.map((a) => a.name)).toEqual(['M2']);
    expect(lineage.ancestors[0].trainPoints).toHaveLength(76);
    ids.stored = storeModel(ctx, 'FT-stored', [{ id: ids.b13, name: 'B13' }], metricsOf(ids.b13, [], []), m2, { lineage });
    recordFineTuneRun(ctx, ids.stored, m2);
    createModelsRepo(ctx.db).delete(m2);
    expect(mapSample(ctx, ids.stored, ids.b7)).toBe('in-sample');
    expect(pointSampleLabeller(ctx, ids.stored, ids.b7)!(b7[80])).toBe('held-out');
    expect(mapSample(ctx, ids.stored, ids.b99)).toBe('out-of-sample');
  });

  it('FT7 (fine-tuned from M1 on B7): split test points M1 trained on are held-out from the fine-tune only — in the contract, the PDF card and `model show`', async () => {
    // FT7's three splits each hold out 17 of B7's points; M1 trained on P1–P76, so the splits' points among them are not held-out from the model
    const splits = [0, 1, 2].map((s) => ({ name: `split ${s + 1}/3`, test: b7.filter((_, i) => i % 5 === s).slice(0, 17) }));
    const inM1 = splits.map((s) => s.test.filter((p) => b7.indexOf(p) < 76).length);
    expect(inM1.reduce((a, b) => a + b, 0)).toBeGreaterThan(40);
    ids.ft7 = storeModel(ctx, 'FT7', [{ id: ids.b7, name: 'B7' }], metricsOf(ids.b7, b7, [], splits), ids.m1);
    recordFineTuneRun(ctx, ids.ft7, ids.m1);
    const api = localClient(ctx);
    const d = await api['cnn.models.get']({ id: ids.ft7 });
    expect(d.ancestorOverlap).toBeTruthy();
    expect(d.ancestorOverlap!.n).toBe(51);
    expect(d.ancestorOverlap!.splits.map((s) => s.inAncestors)).toEqual(inM1);
    expect(d.ancestorOverlap!.inAncestors).toBe(inM1.reduce((a, b) => a + b, 0));
    expect(d.ancestorOverlap!.english).toContain(`${d.ancestorOverlap!.inAncestors} of the 51 held-out test points of its splits are in the training set of a model it was fine-tuned from (M1 (#${ids.m1}))`);
    expect(d.ancestorOverlap!.english).toContain('held-out from the fine-tune only');
    // FT13 trained on B13, which M1 never saw: its splits' test points would be held-out from the model (none here)
    expect((await api['cnn.models.get']({ id: ids.ft13 })).ancestorOverlap).toBeNull();
    expect((await api['cnn.models.get']({ id: ids.m1 })).ancestorOverlap).toBeNull();
    const card = modelCardOf(d, 'wasm', reportTranslator('en'), reportPhraser('en'));
    expect(card.metrics[0].name).toBe('fine-tune: split test points its parent trained on');
    expect(card.metrics[0].value).toBe(`${d.ancestorOverlap!.inAncestors} of 51 (parent M1 (#${ids.m1})): the held-out figures below are held-out from the fine-tune only, not from the model`);
    const cli = await runCli(join(dir, 'data'), 'model', 'show', '--model', String(ids.ft7));
    expect(cli.rc).toBe(0);
    expect(cli.out).toContain(`split 1/3`);
    expect(cli.out).toContain(`held-out from the fine-tune only: ${inM1[0]} of 17 points in the parent's training set`);
    expect(cli.out).toContain(`fine-tuned from: M1 (#${ids.m1})`);
    // the list says it too (task 27-N #3): it had said plain "held-out" for FT7
    const listed = (await api['cnn.models.list']({})).find((m) => m.id === ids.ft7)!;
    expect(listed.heldOut!.ancestorOverlap).toEqual({ n: 51, inAncestors: d.ancestorOverlap!.inAncestors, unknown: 0 });
    expect((await api['cnn.models.list']({})).find((m) => m.id === ids.m1)!.heldOut?.ancestorOverlap ?? null).toBeNull();
    const list = await runCli(join(dir, 'data'), 'model', 'list');
    expect(list.rc).toBe(0);
    expect(list.out.split('\n').find((l) => l.includes(' FT7 '))).toContain(`held-out from the fine-tune only: ${d.ancestorOverlap!.inAncestors} of 51 points in the parent's training set (3 random splits)`);
  });
});
