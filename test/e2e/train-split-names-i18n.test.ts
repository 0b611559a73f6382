import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp, navButton as nav, switchLanguage, type E2eSession } from '../helpers/browser.js';
import { localClient } from '../../core/app/dispatch.js';
import { createModelsRepo } from '../../core/store/repos/models-repo.js';
import { CNN_MODEL_KIND } from '../../core/segregation/cnn/params.js';
import { COMPACT_ARCHITECTURE } from '../../core/ml/architecture.js';
import { finalFitSplit, randomPointSplits } from '../../core/segregation/cnn/splits.js';
import type { CnnMetrics } from '../../core/api/methods/cnn.js';

/**
 * The Train page in Italian: a split's name is the core's (`split 1/2`, `final model (all points)`), stored with
 * its phrase since this change and said in the interface's language — in the split selector, the metrics table and
 * the chart titles; a model stored before keeps its English names. Stored records, no training.
 */
describe('Train view and Settings in Italian: split names, the backend', () => {
  let s: E2eSession;
  beforeAll(async () => {
    s = await openApp();
    const b = s.ctx.repos.billets.create({ name: 'B9', nominalDiameterMm: 600 }).id;
    const pts = (await localClient(s.ctx)['points.layout']({ billetId: b, pattern: 'hex85', confirmReplace: true })).points;
    const m = { n: 17, r2: 0.6, r2Determination: 0.1, meanBias: 0, mae: 0.018, rmse: 0.022, maxAbsError: 0.05, meanRelError: 0.04 };
    const sd = (mean: number) => ({ mean, sd: 0.001 });
    const agg = { r2: sd(0.6), r2Determination: sd(0.1), meanBias: sd(0), mae: sd(0.018), rmse: sd(0.022), maxAbsError: sd(0.05), meanRelError: sd(0.04) };
    const pp = (p: (typeof pts)[number], i: number) => ({ billetId: b, label: p.label, xMm: p.xMm, yMm: p.yMm, actual: 0.43 + 0.0005 * (i % 9), mean: 0.43, sd: 0.001, relError: 0 });
    const run = (sp: { name: string; namePhrase?: unknown; train: number[]; test: number[] }, withPhrase: boolean) => ({
      name: sp.name, ...(withPhrase ? { namePhrase: sp.namePhrase } : {}), seed: 1, bestEpoch: 2, stoppedEarly: false, history: [{ epoch: 1, loss: 0.1, valMae: 0.02, seconds: 1, etaS: 0 }],
      train: m, test: sp.test.length ? m : null, testMaeOfTrainMean: sp.test.length ? 0.02 : null, trainPoints: sp.train.map((i) => pp(pts[i], i)), testPoints: sp.test.map((i) => pp(pts[i], i)),
    });
    const metrics = (withPhrase: boolean): CnnMetrics =>
      ({ splitMode: 'random', splits: randomPointSplits(pts.length, 2, 7).map((sp) => run(sp, withPhrase)), summary: { test: agg, train: agg }, final: run(finalFitSplit(pts.length, 7), withPhrase), calibration: null }) as unknown as CnnMetrics;
    const store = (name: string, mx: CnnMetrics) =>
      createModelsRepo(s.ctx.db).insert(
        { kind: CNN_MODEL_KIND, name, parentModelId: null, architecture: COMPACT_ARCHITECTURE, hyper: { preset: 'compact' }, seed: 42, datasetFingerprint: 'f'.repeat(16), dataset: { billets: [{ id: b, name: 'B9', imageHash: null }], points: [] }, backend: null, history: null, metrics: mx, synthetic: true },
        () => {},
      ).id;
    store('NEW', metrics(true));
    store('OLD', metrics(false));
  });
  afterAll(async () => {
    await s?.close();
  });

  it('says the splits of a new model in Italian (fails before: "split 1/2", "final model (all points)"); an older model shows its stored English', async () => {
    const { page } = s;
    await page.reload();
    await switchLanguage(page, 'Settings / About', 'it');
    await nav(page, 'Addestra').click();
    await page.getByTestId('model-list').getByRole('button', { name: 'NEW', exact: true }).click();
    const select = page.getByRole('combobox', { name: 'Suddivisione da tracciare' });
    await expect.poll(() => select.locator('option').allTextContents()).toEqual(['suddivisione 1/2', 'suddivisione 2/2', 'modello finale (tutti i punti)']);
    const cells = await page.locator('table tbody tr td:first-child').allTextContents();
    expect(cells).toContain('suddivisione 1/2');
    expect(cells.join(' ')).not.toContain('split 1/2');
    expect((await page.locator('body').textContent())!).not.toMatch(/split 1\/2|final model \(all points\)/);
    await page.getByTestId('model-list').getByRole('button', { name: 'OLD', exact: true }).click();
    await expect.poll(() => select.locator('option').allTextContents()).toEqual(['split 1/2', 'split 2/2', 'final model (all points)']);
  });

  it('Settings names the backend that runs in Italian (fails before: "WebAssembly SIMD, single thread; …")', async () => {
    const { page } = s;
    await nav(page, 'Impostazioni / Info').click();
    const backend = page.getByTestId('backend');
    await expect.poll(() => backend.textContent(), { timeout: 30_000 }).toContain('WebAssembly SIMD, un solo thread; kernel di Ferrolab per i gradienti delle convoluzioni');
    expect(await backend.textContent()).not.toContain('single thread');
  });
});
