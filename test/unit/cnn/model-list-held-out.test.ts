import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { createAppContext } from '../../../core/app/context.js';
import { localClient } from '../../../core/app/dispatch.js';
import { createModelsRepo } from '../../../core/store/repos/models-repo.js';
import { CNN_MODEL_KIND } from '../../../core/segregation/cnn/params.js';
import { COMPACT_ARCHITECTURE } from '../../../core/ml/architecture.js';
import type { CnnMetrics } from '../../../core/api/methods/cnn.js';
import { runCli } from '../../helpers/cli.js';
import { tempDir } from '../../helpers/temp.js';

/**
 * Task 27-H #1 (audit 27-F #1): the Models list (CLI `model list`, contract cnn.models.list → the Train view's Models
 * table) had shown "test R² 0.611 ± 0.263" — Eq. 2's squared correlation alone — for a model whose coefficient of
 * determination is 0.042 and whose held-out MAE (0.0182) is barely below the training mean's (0.0202). The figures are
 * those `segregation train` printed for a real run (README's synthetic billets, compact 32 px, 4 epochs, 3 splits).
 */

const { dir, cleanup } = tempDir('ferrolab-model-list-held-out-');
afterAll(cleanup);
const data = join(dir, 'data');

const run = (over: Partial<CnnMetrics['final']> = {}): CnnMetrics['final'] => ({
  name: 'final model (all points)', seed: 1, bestEpoch: 4, stoppedEarly: false, history: [],
  train: { n: 76, r2: 0.749, r2Determination: 0.665, meanBias: -0.0034, mae: 0.0081, rmse: 0.011, maxAbsError: 0.049, meanRelError: 0.02 },
  test: null, testMaeOfTrainMean: null, trainPoints: [], testPoints: [], ...over,
});
const split = (name: string, r2: number, r2Determination: number, mae: number, baseline: number): CnnMetrics['final'] =>
  run({ name, test: { n: 17, r2, r2Determination, meanBias: -0.0076, mae, rmse: 0.0229, maxAbsError: 0.0496, meanRelError: 0.04 }, testMaeOfTrainMean: baseline });
const m1: CnnMetrics = {
  splitMode: 'random',
  splits: [split('split 1/3', 0.3607, 0.1381, 0.0185, 0.02), split('split 2/3', 0.8859, -0.3117, 0.0202, 0.0191), split('split 3/3', 0.5874, 0.3009, 0.016, 0.0216)],
  summary: {
    test: { r2: { mean: 0.611, sd: 0.263 }, r2Determination: { mean: 0.042, sd: 0.317 }, meanBias: { mean: -0.0076, sd: 0.0069 }, mae: { mean: 0.0182, sd: 0.0021 }, rmse: { mean: 0.0229, sd: 0.0028 }, maxAbsError: { mean: 0.0496, sd: 0.0059 }, meanRelError: { mean: 0.04, sd: 0.005 } },
    train: { r2: { mean: 0.7, sd: 0.05 }, r2Determination: { mean: 0.6, sd: 0.05 }, meanBias: { mean: 0, sd: 0.001 }, mae: { mean: 0.0127, sd: 0.0029 }, rmse: { mean: 0.015, sd: 0.003 }, maxAbsError: { mean: 0.04, sd: 0.01 }, meanRelError: { mean: 0.03, sd: 0.005 } },
  },
  final: run(),
  calibration: { method: 'split-conformal-absolute', alpha: 0.1, quantile: 0.0428, scale: null, n: 51, measuredCoverage: 0.92, coverageN: 51, coverageProtocol: 'leave-one-split-out', meanHalfWidth: 0.0428, refitCoverage: { coverage: 0.987, n: 76 } },
};

describe('the Models list gives the held-out fit with both R² and the training-mean baseline', () => {
  it('contract, CLI text and JSON: R² (Eq. 2) 0.611 beside R² (det.) 0.042, MAE 0.0182 beside the training mean’s 0.0202', async () => {
    const ctx = createAppContext({ dataDir: data, shell: 'cli', backend: 'wasm' });
    const id = createModelsRepo(ctx.db).insert(
      { kind: CNN_MODEL_KIND, name: 'M1', parentModelId: null, architecture: COMPACT_ARCHITECTURE, hyper: { preset: 'compact' }, seed: 42, datasetFingerprint: 'f'.repeat(16), dataset: { billets: [{ id: 1, name: 'B7', imageHash: null }], points: [] }, backend: { name: 'wasm', tfjsBackend: 'wasm', gpu: false, tfjsVersion: '4.22.0', detail: '', skipped: [] }, history: null, metrics: m1, synthetic: true },
      () => {},
    ).id;
    const summary = (await localClient(ctx)['cnn.models.list']({})).find((m) => m.id === id)!;
    await ctx.close();
    // the baseline: each split's training mean at its 17 held-out points, 0.0200, 0.0191, 0.0216 → 0.02023 ± 0.00127
    const h = summary.heldOut!;
    expect(h).toMatchObject({ splits: 3, splitMode: 'random', r2Eq2: { mean: 0.611, sd: 0.263 }, r2Determination: { mean: 0.042, sd: 0.317 }, mae: { mean: 0.0182, sd: 0.0021 } });
    expect(h.baselineMae!.mean).toBeCloseTo(0.0202333, 6);
    expect(h.baselineMae!.sd).toBeCloseTo(0.0012662, 6);

    const listed = await runCli(data, 'model', 'list');
    expect(listed.rc).toBe(0);
    expect(listed.out).toContain(
      'held-out (3 random splits): R² (Eq. 2, squared correlation) 0.611 ± 0.263, R² (coefficient of determination) 0.042 ± 0.317, MAE 0.0182 ± 0.0021 wt.% vs 0.0202 ± 0.0013 wt.% predicting the training mean (baseline, no image)',
    );
    expect(listed.out).not.toContain('test R²');
    const json = await runCli(data, 'model', 'list', '--json');
    expect(json.rc).toBe(0);
    const row = (JSON.parse(json.out) as { id: number; heldOut: typeof h }[]).find((m) => m.id === id)!;
    expect(row.heldOut.r2Determination!.mean).toBe(0.042);
    expect(row.heldOut.baselineMae!.mean).toBeCloseTo(0.0202333, 6);
  });

  // Task 27-N #1/#6: a texture-blended model predicts the blend; its list line had given the CNN's figures as the model's
  it('a blended leave-one-billet-out model: the blend’s pooled MAE as the model’s, the split figures said to be the CNN’s alone', async () => {
    const ctx = createAppContext({ dataDir: data, shell: 'cli', backend: 'wasm' });
    const blended: CnnMetrics = {
      ...m1,
      splitMode: 'leave-one-billet-out',
      blend: { texture: { kind: 'dark-fraction-linear', cuts: [0.5], intercept: 0.7, coef: [0.1] }, cnnWeight: 0.6, heldOut: { points: 51, cnnMae: 0.0185, textureMae: 0.0197, blendMae: 0.0169 }, splitTexture: [] },
    };
    const id = createModelsRepo(ctx.db).insert(
      { kind: CNN_MODEL_KIND, name: 'MB', parentModelId: null, architecture: COMPACT_ARCHITECTURE, hyper: { preset: 'compact' }, seed: 42, datasetFingerprint: 'b'.repeat(16), dataset: { billets: [{ id: 1, name: 'B7', imageHash: null }], points: [] }, backend: { name: 'wasm', tfjsBackend: 'wasm', gpu: false, tfjsVersion: '4.22.0', detail: '', skipped: [] }, history: null, metrics: blended, synthetic: true },
      () => {},
    ).id;
    const summary = (await localClient(ctx)['cnn.models.list']({})).find((m) => m.id === id)!;
    await ctx.close();
    expect(summary.heldOut!.blend).toEqual({ mae: 0.0169, residuals: 51, weightChosenOnThem: true });
    expect(summary.heldOut!.ancestorOverlap).toBeNull();
    const listed = await runCli(data, 'model', 'list');
    expect(listed.rc).toBe(0);
    const line = listed.out.split('\n').find((l) => l.includes(' MB '))!;
    expect(line).toContain(
      'held-out (3 leave-one-billet-out splits, each point held out once): model (texture blend) MAE 0.0169 wt.% on the 51 residuals its blend weight was chosen on (not a held-out figure); CNN alone: R² (Eq. 2, squared correlation) 0.611 ± 0.263, R² (coefficient of determination) 0.042 ± 0.317, MAE 0.0182 ± 0.0021 wt.% vs 0.0202 ± 0.0013 wt.% predicting the training mean (baseline, no image)',
    );
    // `model show`: the summary line of the split table says it is the CNN's, and the blend's line follows it
    const shown = await runCli(data, 'model', 'show', '--model', String(id));
    expect(shown.rc).toBe(0);
    expect(shown.out).toContain('CNN alone, held-out over 3 splits: R² (Eq. 2, squared correlation) 0.611 ± 0.263');
    expect(shown.out).toContain('MAE CNN 0.0185, texture 0.0197, blend 0.0169 wt.%, pooled over the residuals; the blend figure is the one the weight was chosen on, not held-out); the split table is the CNN\'s alone');
  });

  // Task 27-N #6: each split's own training mean is the baseline, not the whole dataset's. Six points, three splits of
  // two test points each: split means 0.805, 0.795, 0.74 give held-out MAEs 0.115, 0.030, 0.140 (mean 0.095); the
  // dataset's mean 0.7867 would give 0.0767, 0.030, 0.0933 (mean 0.0667).
  it('the baseline is each split’s own training mean at its held-out points (0.095), not the whole dataset’s (0.0667)', async () => {
    const ctx = createAppContext({ dataDir: data, shell: 'cli', backend: 'wasm' });
    const vals = [0.7, 0.72, 0.74, 0.8, 0.86, 0.9];
    const pt = (i: number) => ({ billetId: 1, label: `P${i}`, xMm: i, yMm: 0, actual: vals[i], mean: vals[i], sd: 0, relError: 0 });
    const tests = [[0, 1], [2, 3], [4, 5]];
    const mean = (xs: number[]) => xs.reduce((a, v) => a + v, 0) / xs.length;
    const splits = tests.map((t, k) => {
      const train = vals.map((_, i) => i).filter((i) => !t.includes(i));
      const trainMean = mean(train.map((i) => vals[i]));
      // what training stores: this split's training mean predicted at its held-out points
      return { ...split(`split ${k + 1}/3`, 0.5, 0.2, 0.02, mean(t.map((i) => Math.abs(trainMean - vals[i])))), trainPoints: train.map(pt), testPoints: t.map(pt) };
    });
    const id = createModelsRepo(ctx.db).insert(
      { kind: CNN_MODEL_KIND, name: 'MS', parentModelId: null, architecture: COMPACT_ARCHITECTURE, hyper: { preset: 'compact' }, seed: 42, datasetFingerprint: 'c'.repeat(16), dataset: { billets: [{ id: 1, name: 'B7', imageHash: null }], points: [] }, backend: { name: 'wasm', tfjsBackend: 'wasm', gpu: false, tfjsVersion: '4.22.0', detail: '', skipped: [] }, history: null, metrics: { ...m1, splits }, synthetic: true },
      () => {},
    ).id;
    const summary = (await localClient(ctx)['cnn.models.list']({})).find((m) => m.id === id)!;
    await ctx.close();
    const whole = mean(vals);
    const wholeBaseline = mean(tests.map((t) => mean(t.map((i) => Math.abs(whole - vals[i])))));
    expect(wholeBaseline).toBeCloseTo(0.0667, 4);
    expect(summary.heldOut!.baselineMae!.mean).toBeCloseTo(0.095, 10);
    expect(summary.heldOut!.baselineMae!.sd).toBeCloseTo(0.0576628, 6);
    const listed = await runCli(data, 'model', 'list');
    expect(listed.out.split('\n').find((l) => l.includes(' MS '))).toContain('vs 0.0950 ± 0.0577 wt.% predicting the training mean (baseline, no image)');
  });
});
