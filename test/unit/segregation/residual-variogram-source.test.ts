import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { createAppContext } from '../../../core/app/context.js';
import { createModelsRepo } from '../../../core/store/repos/models-repo.js';
import { CNN_MODEL_KIND } from '../../../core/segregation/cnn/params.js';
import { COMPACT_ARCHITECTURE } from '../../../core/ml/architecture.js';
import type { CnnMetrics } from '../../../core/api/methods/cnn.js';
import { modelResidualVariogram } from '../../../core/services/fewer-points/plan-view.js';
import { english } from '../../../core/runtime/english.js';
import { reportPhraser } from '../../../core/report/report-i18n.js';
import { tempDir } from '../../helpers/temp.js';

/**
 * Task 27-N #5: the residual variogram's source counted residuals as points ("51 points" for 51 residuals of 41
 * points): random splits hold a point out more than once. Now residuals and distinct points are told apart.
 */
const { dir, cleanup } = tempDir('ferrolab-variogram-source-');
afterAll(cleanup);

const pt = (i: number) => ({ billetId: 1, label: `P${i}`, xMm: 10 * i, yMm: 0, actual: 0.7 + 0.01 * i, mean: 0.7, sd: 0, relError: 0 });
const split = (name: string, test: number[]) => ({ name, seed: 1, bestEpoch: 1, stoppedEarly: false, history: [], train: null, test: null, testMaeOfTrainMean: null, trainPoints: [], testPoints: test.map(pt) });
const metricsOf = (tests: number[][]) => ({ splitMode: 'random', splits: tests.map((t, k) => split(`split ${k + 1}`, t)), summary: null, final: split('final', []), calibration: null }) as unknown as CnnMetrics;

describe('the residual variogram’s source: residuals and distinct points', () => {
  it('8 residuals of 5 points (random splits repeat P1–P3) say so; 5 residuals of 5 points say "5 held-out points"', async () => {
    const ctx = createAppContext({ dataDir: join(dir, 'data'), shell: 'cli', backend: 'wasm' });
    const store = (name: string, m: CnnMetrics) =>
      createModelsRepo(ctx.db).insert(
        { kind: CNN_MODEL_KIND, name, parentModelId: null, architecture: COMPACT_ARCHITECTURE, hyper: {}, seed: 1, datasetFingerprint: 'f'.repeat(16), dataset: { billets: [{ id: 1, name: 'B7', imageHash: null }], points: [] }, backend: null, history: null, metrics: m, synthetic: true },
        () => {},
      ).id;
    const repeated = store('R', metricsOf([[1, 2, 3], [1, 2, 4], [3, 5]]));
    const once = store('O', metricsOf([[1, 2], [3, 4, 5]]));
    const r = modelResidualVariogram(ctx.db, repeated);
    const o = modelResidualVariogram(ctx.db, once);
    await ctx.close();
    expect(r.sourcePhrase).toEqual({ code: 'mapNotes.correction.sourceFewResiduals', params: { model: repeated, n: 8, points: 5 } });
    expect(english(r.sourcePhrase!)).toBe(`No spatial structure assumed: model ${repeated} has 8 held-out residuals at 5 distinct points.`);
    expect(o.sourcePhrase).toEqual({ code: 'mapNotes.correction.sourceFew', params: { model: once, n: 5 } });
    expect(english(o.sourcePhrase!)).toBe(`No spatial structure assumed: model ${once} has 5 held-out points.`);
  });

  it('the source the correction panel names ("covariance shape from the …") comes as a phrase too, its English the stored `source`, worded in Italian and Chinese', async () => {
    const ctx = createAppContext({ dataDir: join(dir, 'data2'), shell: 'cli', backend: 'wasm' });
    const store = (name: string, m: CnnMetrics) =>
      createModelsRepo(ctx.db).insert(
        { kind: CNN_MODEL_KIND, name, parentModelId: null, architecture: COMPACT_ARCHITECTURE, hyper: {}, seed: 1, datasetFingerprint: 'f'.repeat(16), dataset: { billets: [{ id: 1, name: 'B7', imageHash: null }], points: [] }, backend: null, history: null, metrics: m, synthetic: true },
        () => {},
      ).id;
    const few = store('F', metricsOf([[1, 2, 3], [1, 2, 4], [3, 5]]));
    const many = store('M', metricsOf([[1, 2, 3, 4, 5, 6], [1, 7, 8, 9, 10, 11, 12]]));
    const f = modelResidualVariogram(ctx.db, few);
    const m = modelResidualVariogram(ctx.db, many);
    await ctx.close();
    expect(f.sourceWordsPhrase).toEqual({ code: 'fewerVariogram.sourceFew', params: { model: few, n: 8, points: 5 } });
    expect(m.sourceWordsPhrase).toEqual({ code: 'fewerVariogram.sourceOne', params: { model: many, n: 13, points: 12 } });
    for (const v of [f, m]) expect(reportPhraser('en')(v.sourceWordsPhrase!)).toBe(v.source);
    expect(reportPhraser('it')(m.sourceWordsPhrase!)).toBe(`residui dei punti esclusi del modello ${many} sulla sua billetta di addestramento (13 residui in 12 punti distinti)`);
    expect(reportPhraser('zh')(f.sourceWordsPhrase!)).toBe(`假定无空间结构：模型 ${few} 只有 8 个留出残差，位于 5 个不同的点`);
  });
});
