import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { appPerFile, navButton } from '../helpers/browser.js';
import { localClient } from '../../core/app/dispatch.js';
import { plantLikeJominyCsv } from '../helpers/plant-jominy-csv.js';

/**
 * The design page's own targets on a predictor that does not reach 1.5–50 mm (review 25d): the plant-like fixture's
 * heats end at J20 (31.75 mm), so the core refuses a target at 35–50 mm. The default curve and "Predict as target"
 * leave those distances empty, so the page's target is one it can design for (a grade's band and mean curve, a heat
 * and the H-band take the same blankHeld: test/unit/renderer/design-settings.test.ts).
 */
describe('Jominy design: targets on a predictor of a plant dataset', () => {
  const s = appPerFile();
  let modelId = 0;

  beforeAll(async () => {
    const api = localClient(s.ctx);
    const uploadId = s.ctx.uploads.saveBytes(Buffer.from(plantLikeJominyCsv({ n: 150, seed: 30 }).text));
    const ds = await api['jominy.datasets.import']({ upload: { uploadId, name: 'plant.csv' } });
    const trained = await s.ctx.jobs.wait((await api['jominy.models.train']({ datasetId: ds.id, seed: 2, maxHidden: 2, epochs: 10, ensemble: 0 })).id);
    expect(trained.state).toBe('done');
    modelId = (trained.result as { modelId: number }).modelId;
    const detail = await api['jominy.models.get']({ id: modelId });
    expect(detail.pointsLayout!.outsideStandard).toEqual([...Array(11).fill(false), true, true, true, true]);
  });

  const targetCells = (page: Page) => Promise.all(Array.from({ length: 15 }, (_, i) => page.getByTestId(`target-${i}`).inputValue()));

  it('the default curve and a predicted curve leave 35–50 mm empty', async () => {
    const page = s.page;
    await page.reload();
    await navButton(page, 'Jominy design').click();
    await page.getByRole('tab', { name: 'Design' }).click();
    await page.locator('label', { hasText: /^Predictor/ }).locator('select').selectOption(String(modelId));
    await expect.poll(() => page.getByTestId('limit-min-C').count()).toBe(1);
    // the default curve: 52 … 29 HRC kept up to 30 mm, 35–50 mm blanked once the predictor's details are read
    await expect.poll(async () => (await targetCells(page)).slice(11)).toEqual(['', '', '', '']);
    expect((await targetCells(page)).slice(0, 11).map((v) => Number(v))).toEqual([52, 51, 49, 46, 42, 39, 37, 35, 32, 30, 29]);

    // Predict as target: the held end values (its 31.75 mm value repeated) are not copied
    await page.getByTestId('target-0').fill('');
    await page.getByRole('button', { name: 'Predict as target' }).click();
    await expect.poll(async () => (await targetCells(page))[0]).not.toBe('');
    const predicted = await targetCells(page);
    expect(predicted.slice(11)).toEqual(['', '', '', '']);
    expect(predicted.slice(0, 11).every((v) => v !== '' && Number.isFinite(Number(v)))).toBe(true);
  });
});
