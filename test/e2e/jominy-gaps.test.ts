import { describe, expect, it } from 'vitest';
import { appPerFile } from '../helpers/browser.js';
import { localClient } from '../../core/app/dispatch.js';
import { plantLikeJominyCsv } from '../helpers/plant-jominy-csv.js';

/** Element gaps on the Jominy pages (issue 12): the preview and the dataset page count them; the predictor says which heats it left out. */
describe('Jominy element gaps end to end', () => {
  const s = appPerFile();

  it('counts the gaps per element in the preview and on the dataset page, and shows the heats a predictor left out', async () => {
    const { page } = s;
    const plant = plantLikeJominyCsv({ n: 90, seed: 6, elementGaps: { Mo: 0.1, B: 0.5 } });
    const mo = plant.gaps.Mo;
    const b = plant.gaps.B;
    await page.getByRole('navigation').getByRole('button', { name: 'Jominy design' }).click();
    await page.getByRole('tab', { name: 'Data' }).click();
    await page.getByLabel('Import a Jominy CSV').setInputFiles({ name: 'gaps.csv', mimeType: 'text/csv', buffer: Buffer.from(plant.text) });
    const pre = page.getByTestId('jominy-csv-element-gaps');
    await pre.waitFor();
    const row = async (table: typeof pre, el: string) => (await table.getByRole('row').filter({ has: page.getByRole('cell', { name: el, exact: true }) }).getByRole('cell').allTextContents()).map((c) => c.trim());
    expect(await row(pre, 'Mo')).toEqual(['Mo', String(90 - mo), String(mo), `${+(100 * (90 - mo) / 90).toFixed(1)} %`, 'yes']);
    expect(await row(pre, 'B')).toEqual(['B', String(90 - b), String(b), `${+(100 * (90 - b) / 90).toFixed(1)} %`, 'no — below 80 %']);
    expect(await row(pre, 'C')).toEqual(['C', '90', '0', '100 %', 'yes']);
    // the threshold is a setting: at 30 % the preview takes B (the training gets the same setting)
    await page.getByTestId('jominy-csv-min-share').fill('30');
    await page.getByTestId('jominy-csv-min-share').dispatchEvent('change');
    await expect.poll(async () => (await row(pre, 'B'))[4]).toBe('yes');
    await page.getByTestId('jominy-csv-min-share').fill('80');
    await page.getByTestId('jominy-csv-min-share').dispatchEvent('change');
    await expect.poll(async () => (await row(pre, 'B'))[4]).toBe('no — below 80 %');
    await page.getByTestId('jominy-csv-import').click();
    await page.getByTestId('dataset-table').getByRole('button', { name: 'gaps' }).waitFor();
    const onPage = page.getByTestId('element-gaps');
    await onPage.waitFor();
    expect(await row(onPage, 'B')).toEqual(['B', String(90 - b), String(b), `${+(100 * (90 - b) / 90).toFixed(1)} %`, 'no — below 80 %']);

    // a predictor trained on it (small settings, through the contract) says what it left out, on its page
    const api = localClient(s.ctx);
    const ds = (await api['jominy.datasets.list']({})).find((d) => d.name === 'gaps')!;
    const job = await api['jominy.models.train']({ datasetId: ds.id, seed: 1, maxHidden: 2, epochs: 8, ensemble: 0 });
    await expect.poll(async () => (await api['jobs.get']({ jobId: job.id })).state, { timeout: 60_000 }).toBe('done');
    await page.getByRole('tab', { name: 'Predictor' }).click();
    const note = page.getByTestId('model-input-heats');
    await note.waitFor();
    await expect.poll(() => note.textContent()).toContain(`B is not an input: analysed on ${90 - b} of 90 heats`);
    expect(await note.textContent()).toContain(`${mo} of 90 heats left out: they lack an input element (Mo on ${mo}); the model learnt and was scored on the other ${90 - mo}.`);
    await expect.poll(() => page.getByTestId('train-min-share').inputValue()).toBe('80');
  });
});
