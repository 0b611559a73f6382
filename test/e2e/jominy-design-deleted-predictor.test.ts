import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { appPerFile, navButton } from '../helpers/browser.js';
import { logApiCalls, readsBy } from '../helpers/api-traffic.js';
import { localClient } from '../../core/app/dispatch.js';
import { english } from '../../core/runtime/english.js';
import type { DesignSession } from '../../core/api/methods/jominy.js';

/**
 * A design session whose predictor was deleted (issue 24, item 1) is shown as a record of that predictor's run: said
 * to be predictor #N (name)'s, which was deleted, with its stored numbers, and with nothing that would compute with
 * the chosen predictor (no form to run, no comparison). Before, it opened under the chosen predictor with that
 * predictor's base rows and Run enabled, as if that predictor had made it. And the chart's shaded band says what it is
 * (item 3): the selected design's interval, its level and its held-out coverage, or why that is not measured.
 */
describe('Jominy design: a session whose predictor was deleted', () => {
  const s = appPerFile();
  const TARGET = { kind: 'curve' as const, hardness: [52, 51, 49, 46, 42, 39, 37, 35, 32, 30, 29, 28, 27, 26, 25] };
  let a = 0;
  let b = 0;
  let record: DesignSession;

  async function train(seed: number, name: string, ensemble: number): Promise<number> {
    const api = localClient(s.ctx);
    const ds = await api['jominy.datasets.synth']({ n: 150, seed });
    const trained = await s.ctx.jobs.wait((await api['jominy.models.train']({ datasetId: ds.id, seed: 1, maxHidden: 2, epochs: 5, ensemble, name })).id);
    expect(trained.state).toBe('done');
    return (trained.result as { modelId: number }).modelId;
  }

  beforeAll(async () => {
    const api = localClient(s.ctx);
    a = await train(29, 'Old predictor', 3);
    b = await train(41, 'New predictor', 0);
    for (const [modelId, name] of [[a, 'Made with A'], [b, 'Made with B']] as const) {
      const end = await s.ctx.jobs.wait((await api['jominy.design']({ modelId, name, target: TARGET, settings: { ga: { population: 24, generations: 3, topK: 3 } }, seed: 1 })).id);
      expect(end.state).toBe('done');
    }
    await api['jominy.models.delete']({ id: a });
    record = (await api['jominy.sessions.get']({ id: (await api['jominy.sessions.list']({})).find((x) => x.name === 'Made with A')!.id }));
    expect(record.predictor).toEqual({ id: a, name: 'Old predictor', deleted: true });
    expect(record.results[0].interval).toBeTruthy();
    expect(record.results.length).toBeGreaterThanOrEqual(2);
  });

  const row = (page: Page, name: string) => page.getByTestId('session-table').getByRole('row', { name: new RegExp(`^${name}`) });
  const results = (page: Page) => page.getByTestId('design-results').getByRole('heading', { level: 2 });
  const minC = async (page: Page) => Number((await page.getByTestId('limit-min-C').inputValue()).replace(',', '.'));

  async function designTab(page: Page) {
    await page.reload();
    await logApiCalls(page);
    await navButton(page, 'Jominy design').click();
    await page.getByRole('tab', { name: 'Design' }).click();
    await expect.poll(async () => (await readsBy(page, 'jominy.models.get')).at(-1)).toEqual([b, true]);
    await expect.poll(() => page.getByTestId('limit-min-C').count()).toBe(1);
  }

  it('is listed and opened as a record of the deleted predictor: its numbers, no Run, no Compare; closing gives the form back', async () => {
    const { page } = s;
    await designTab(page);
    const formMinC = await minC(page);
    expect(await page.getByTestId(`session-predictor-deleted-${record.id}`).textContent()).toBe(`(predictor #${a} deleted)`);
    expect(await row(page, 'Made with A').getByRole('button', { name: 'Compare' }).isDisabled()).toBe(true);
    expect(await row(page, 'Made with B').getByRole('button', { name: 'Compare' }).isDisabled()).toBe(false);

    await row(page, 'Made with A').getByRole('button', { name: 'Open', exact: true }).click();
    await expect.poll(() => results(page).textContent()).toMatch(/^Made with A /);
    // before: no word of the deleted predictor; the session stood under predictor B with Run enabled
    expect(await page.getByTestId('session-record').textContent()).toBe(
      `Made with predictor #${a} (Old predictor), which was deleted: a record of that run. Its designs, curves, intervals and P(meet band) are that predictor’s; it cannot be run again or compared.`,
    );
    expect(await page.getByTestId('design-record').count()).toBe(1);
    expect(await page.getByTestId('run-design').count()).toBe(0);
    expect(await page.getByTestId('limit-min-C').count()).toBe(0);
    // the stored numbers, as stored
    expect(await page.getByTestId('result-dev-1').textContent()).toBe(record.results[0].deviation.toFixed(3));
    expect(await page.getByTestId('result-dev-2').textContent()).toBe(record.results[1].deviation.toFixed(3));
    // the chosen predictor stays B; nothing is compared with the record or while it is on screen
    expect(await page.locator('label', { hasText: /^Predictor/ }).locator('select').inputValue()).toBe(String(b));
    expect(await row(page, 'Made with B').getByRole('button', { name: 'Compare' }).isDisabled()).toBe(true);

    await page.getByRole('button', { name: 'Close the record' }).click();
    await expect.poll(() => results(page).count()).toBe(0);
    await expect.poll(() => page.getByTestId('run-design').count()).toBe(1);
    expect(await page.getByTestId('run-design').isDisabled()).toBe(false);
    expect(await minC(page)).toBe(formMinC);
  });

  it('the chart’s shaded band is captioned: the selected design’s interval, its level and its coverage or why none', async () => {
    const { page } = s;
    await designTab(page);
    await row(page, 'Made with A').getByRole('button', { name: 'Open', exact: true }).click();
    await expect.poll(() => results(page).textContent()).toMatch(/^Made with A /);
    const expected = (rank: number) => {
      const iv = record.results[rank - 1].interval!;
      return iv.coverageWhy === 'measured' && iv.coverage !== null
        ? `Shaded band: the calibrated 90 % interval of design #${rank}’s predicted curve, from the predictor’s ensemble; held-out coverage ${(100 * iv.coverage).toFixed(1)} %, measured on the predictor’s test heats.`
        : `Shaded band: the 90 % interval of design #${rank}’s predicted curve (nominal), from the predictor’s ensemble; held-out coverage ${english(iv.coverageNote!)}.`;
    };
    // before: no caption (the band's meaning was only in the session line under the results' heading)
    expect((await page.getByTestId('design-band-caption').textContent())!.trim()).toBe(expected(1));
    await page.getByTestId('design-results').getByRole('button', { name: '#2' }).click();
    await expect.poll(async () => (await page.getByTestId('design-band-caption').textContent())!.trim()).toBe(expected(2));
    // a session whose predictor has no ensemble has no band, and no caption
    await page.getByRole('button', { name: 'Close the record' }).click();
    await row(page, 'Made with B').getByRole('button', { name: 'Open', exact: true }).click();
    await expect.poll(() => results(page).textContent()).toMatch(/^Made with B /);
    expect(await page.getByTestId('design-band-caption').count()).toBe(0);
  });
});
