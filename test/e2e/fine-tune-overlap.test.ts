import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp, type E2eSession } from '../helpers/browser.js';
import { localClient } from '../../core/app/dispatch.js';
import { createModelsRepo } from '../../core/store/repos/models-repo.js';
import { CNN_MODEL_KIND } from '../../core/segregation/cnn/params.js';
import { COMPACT_ARCHITECTURE } from '../../core/ml/architecture.js';
import type { CnnMetrics } from '../../core/api/methods/cnn.js';

/**
 * Task 27-G: the Train view says, above a fine-tune's split figures, how many of their held-out points its parent
 * trained on (held-out from the fine-tune only). FT7 is fine-tuned from M1 on M1's own billet; stored records, no
 * training: the view reads what they trained on.
 */
describe('Train view: a fine-tune\'s split figures whose held-out points its parent trained on', () => {
  let s: E2eSession;
  let ft7 = 0;
  let m1 = 0;
  let b7 = 0;
  beforeAll(async () => {
    s = await openApp();
    b7 = s.ctx.repos.billets.create({ name: 'B7', nominalDiameterMm: 600 }).id;
    const pts = (await localClient(s.ctx)['points.layout']({ billetId: b7, pattern: 'hex85', confirmReplace: true })).points;
    const m = { n: 17, r2: 0.6, r2Determination: 0.1, meanBias: 0, mae: 0.018, rmse: 0.022, maxAbsError: 0.05, meanRelError: 0.04 };
    const sd = (mean: number) => ({ mean, sd: 0.001 });
    const agg = { r2: sd(0.6), r2Determination: sd(0.1), meanBias: sd(0), mae: sd(0.018), rmse: sd(0.022), maxAbsError: sd(0.05), meanRelError: sd(0.04) };
    const pp = (p: (typeof pts)[number], i: number) => ({ billetId: b7, label: p.label, xMm: p.xMm, yMm: p.yMm, actual: 0.43 + 0.0005 * (i % 9), mean: 0.43, sd: 0.001, relError: 0 });
    const run = (name: string, train: typeof pts, test: typeof pts) => ({ name, seed: 1, bestEpoch: 2, stoppedEarly: false, history: [], train: m, test: test.length ? m : null, testMaeOfTrainMean: test.length ? 0.02 : null, trainPoints: train.map(pp), testPoints: test.map(pp) });
    const metrics = (train: typeof pts, test: typeof pts, splits: Array<typeof pts>): CnnMetrics =>
      ({ splitMode: 'random', splits: splits.map((t, i) => run(`split ${i + 1}/${splits.length}`, pts.filter((p) => !t.includes(p)), t)), summary: { test: agg, train: agg }, final: run('final model (all points)', train, test), calibration: null }) as unknown as CnnMetrics;
    const store = (name: string, mx: CnnMetrics, parent: number | null) =>
      createModelsRepo(s.ctx.db).insert(
        { kind: CNN_MODEL_KIND, name, parentModelId: parent, architecture: COMPACT_ARCHITECTURE, hyper: { preset: 'compact' }, seed: 42, datasetFingerprint: 'f'.repeat(16), dataset: { billets: [{ id: b7, name: 'B7', imageHash: null }], points: [] }, backend: null, history: null, metrics: mx, synthetic: true },
        () => {},
      ).id;
    // M1 trained on P1–P76 of B7; FT7's two splits hold out the first and the last 17 points
    m1 = store('M1', metrics(pts.slice(0, 76), pts.slice(76), [pts.slice(76)]), null);
    ft7 = store('FT7', metrics(pts, [], [pts.slice(0, 17), pts.slice(68)]), m1);
  });
  afterAll(async () => {
    await s?.close();
  });

  it('FT7 says 25 of its 34 held-out split points are in M1\'s training set; M1 says nothing of the kind', async () => {
    const { page } = s;
    await page.reload();
    await page.getByRole('navigation').getByRole('button', { name: 'Train' }).click();
    await page.getByTestId('model-list').getByRole('button', { name: 'FT7', exact: true }).click();
    const note = page.getByTestId('ancestor-overlap');
    await note.waitFor();
    // split 1: P1–P17, all trained on by M1; split 2: P69–P85, of which P69–P76 (8) trained on by M1, P77–P85 held out from it
    expect(await note.textContent()).toContain(`Fine-tune: 25 of the 34 held-out test points of its splits are in the training set of a model it was fine-tuned from (M1 (#${m1})): they are held-out from the fine-tune only`);
    expect(await note.textContent()).toContain('split 1/2: 17/17; split 2/2: 8/17');
    await page.getByTestId('model-list').getByRole('button', { name: 'M1', exact: true }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'M1' }).count()).toBe(1);
    expect(await page.getByTestId('ancestor-overlap').count()).toBe(0);
    expect((await localClient(s.ctx)['cnn.models.get']({ id: ft7 })).ancestorOverlap!.inAncestors).toBe(25);
    // the Models table says it in FT7's row, not M1's (task 27-N #3: it had said plain "held-out fit" for both)
    const marks = page.getByTestId('model-held-out-fine-tune');
    await expect.poll(() => marks.count()).toBe(1);
    expect(await marks.first().textContent()).toBe("held-out from the fine-tune only: 25 of 34 points in the parent's training set");
    // M1's one split and FT7's two, each said with its split mode
    const cells = await page.getByTestId('model-held-out').allTextContents();
    expect(cells.filter((c) => c.includes('2 random splits (a point may be held out in several)'))).toHaveLength(1);
    expect(cells.filter((c) => /1 random split(?!s)/.test(c))).toHaveLength(1);
    // and the Maps view's model picker, beside the baseline that predicts the training mean
    await page.getByRole('navigation').getByRole('button', { name: 'Maps' }).click();
    await page.getByLabel('Billet', { exact: true }).selectOption(String(b7));
    const picker = page.getByLabel('Model', { exact: true });
    const option = picker.locator('option', { hasText: 'FT7' });
    await expect.poll(() => option.count()).toBe(1);
    expect(await option.textContent()).toContain("held-out MAE 0.0180 wt.% · baseline (predicting the training mean) MAE 0.0200 wt.%, held-out from the fine-tune only (25 of 34 points in the parent's training set)");
    expect(await picker.locator('option', { hasText: 'M1' }).textContent()).not.toContain('fine-tune only');
  });
});
