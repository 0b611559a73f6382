import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { appPerFile, dragChartPoint, navButton } from '../helpers/browser.js';
import { apiCalls, failNext, holdNext, logApiCalls, readsBy } from '../helpers/api-traffic.js';
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
  let c = 0;
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
    c = await train(53, 'Third predictor', 0); // before B: B, the newest, is the one chosen
    b = await train(41, 'New predictor', 0);
    for (const [modelId, name] of [[a, 'Made with A'], [b, 'Made with B'], [c, 'Made with C']] as const) {
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
      const p = (v: number) => `${(100 * v).toFixed(1)} %`;
      // the coverage with the readings it was counted on and its Wilson 90 % interval (task: every number its precision)
      if (iv.coverageWhy === 'measured' && iv.coverage !== null) expect(iv.coverageReadings).toBeGreaterThan(0);
      return iv.coverageWhy === 'measured' && iv.coverage !== null
        ? `Shaded band: the calibrated 90 % interval of design #${rank}’s predicted curve, from the predictor’s ensemble; held-out coverage ${p(iv.coverage)} of ${iv.coverageReadings} readings (Wilson 90 % ${p(iv.coverageWilson![0])}–${p(iv.coverageWilson![1])}), measured on the predictor’s test heats.`
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

  it('a record’s target is its own and read-only: no target source, predictor choice, drag, typed value or weight changes it', async () => {
    const { page } = s;
    await designTab(page);
    await row(page, 'Made with A').getByRole('button', { name: 'Open', exact: true }).click();
    await expect.poll(() => results(page).textContent()).toMatch(/^Made with A /);
    const targetNow = async () => Promise.all(TARGET.hardness.map(async (_, i) => Number((await page.getByTestId(`target-${i}`).inputValue()).replace(',', '.'))));
    // the stored session's target is drawn and listed
    expect(await targetNow()).toEqual(record.target.kind === 'curve' ? record.target.hardness : null);
    // before: "Predict as target" (with the chosen predictor B) and the other sources could replace it
    expect(await page.getByTestId('target-chemistry').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Predict as target' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Load heat' }).count()).toBe(0);
    expect(await page.locator('label', { hasText: /^Predictor/ }).locator('select').isDisabled()).toBe(true);
    expect(await page.getByTestId('target-6').isDisabled()).toBe(true);
    expect(await page.getByLabel('Weight at 1.5 mm').isDisabled()).toBe(true);
    expect(await page.getByRole('radio', { name: 'Band' }).isDisabled()).toBe(true);
    expect(await page.getByTestId('record-target').count()).toBe(1);
    // a drag on the chart, and the keyboard's ↑, leave the target as stored
    const chart = page.getByTestId('jominy-chart');
    await expect.poll(async () => (await chart.getAttribute('data-points')) !== null).toBe(true);
    await dragChartPoint(page, chart, 6, -40);
    await chart.focus();
    await page.keyboard.press('ArrowUp');
    expect(await chart.getAttribute('aria-readonly')).toBe('true');
    expect(await targetNow()).toEqual(TARGET.hardness);
    await page.getByRole('button', { name: 'Close the record' }).click();
    await expect.poll(() => page.getByTestId('run-design').count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Predict as target' }).isDisabled()).toBe(false);
    expect(await page.getByTestId('target-6').isDisabled()).toBe(false);
  });

  it('a run that ends while a record is on screen is announced there', async () => {
    const { page } = s;
    await designTab(page);
    await page.getByTestId('ga-pop').fill('16');
    await page.getByTestId('ga-gens').fill('2');
    const rows = () => page.getByTestId('session-table').locator('tbody tr').count();
    const rowsBefore = await rows();
    const designJobs = () => s.ctx.jobs.list().filter((j) => j.kind === 'jominy.design');
    const jobsBefore = designJobs().length;
    // the run is sent to the core only once the record is open
    const run = await holdNext(page, 'jominy.design');
    await page.getByTestId('run-design').click();
    await run.arrived;
    await row(page, 'Made with A').getByRole('button', { name: 'Open', exact: true }).click();
    await expect.poll(() => page.getByTestId('design-record').count()).toBe(1);
    await run.release();
    // the run's job ends in the core; events reach the page in order on one stream, so once a later session event
    // has made the page read the list again, the page has handled the job's end before it
    await expect.poll(() => designJobs().length).toBe(jobsBefore + 1);
    expect((await s.ctx.jobs.wait(designJobs().at(-1)!.id)).state).toBe('done');
    const listsBefore = (await apiCalls(page, 'jominy.sessions.list')).length;
    await localClient(s.ctx)['jominy.sessions.rename']({ id: record.id, name: 'Made with A' });
    await expect.poll(async () => (await apiCalls(page, 'jominy.sessions.list')).filter((x) => x.read).length).toBeGreaterThan(listsBefore);
    // a list read answered is not yet a list shown (five reads go together, and only the newest asked is applied)
    await expect.poll(rows).toBe(rowsBefore + 1);
    // before: the record's page left the notice out, and the run ended unsaid
    await expect.poll(() => page.getByTestId('design-finished').count()).toBe(1);
    expect(await page.getByTestId('design-record').count()).toBe(1);
    expect(await results(page).textContent()).toMatch(/^Made with A /);
  });

  it('a delete that fails leaves the session on screen and listed, with the error', async () => {
    const { page } = s;
    await designTab(page);
    await row(page, 'Made with B').getByRole('button', { name: 'Open', exact: true }).click();
    await expect.poll(() => results(page).textContent()).toMatch(/^Made with B /);
    await failNext(page, 'jominy.sessions.delete', 'the store is locked');
    await row(page, 'Made with B').getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
    await expect.poll(async () => (await apiCalls(page, 'jominy.sessions.delete')).map((x) => x.read)).toEqual([true]);
    await expect.poll(() => page.getByRole('alert').filter({ hasText: 'the store is locked' }).count()).toBe(1);
    // before: the view closed the session as if it were deleted
    expect(await results(page).textContent()).toMatch(/^Made with B /);
    expect(await row(page, 'Made with B').count()).toBe(1);
  });

  it('two live predictors’ sessions compared: each curve on the chart and the comparison line name their predictor', async () => {
    const { page } = s;
    await designTab(page);
    await row(page, 'Made with B').getByRole('button', { name: 'Open', exact: true }).click();
    await expect.poll(() => results(page).textContent()).toMatch(/^Made with B /);
    await row(page, 'Made with C').getByRole('button', { name: 'Compare' }).click();
    await expect.poll(() => page.getByTestId('design-comparing').count()).toBe(1);
    const series = async () => JSON.parse((await page.getByTestId('jominy-chart').getAttribute('data-series'))!) as string[];
    // before: "Design #1" beside "Made with C #1", no predictor named
    await expect.poll(series).toEqual(expect.arrayContaining([`Design #1 (predictor #${b} New predictor)`, `Made with C #1 (predictor #${c} Third predictor)`]));
    expect((await page.getByTestId('design-comparing').textContent())!.replace(/\s+/g, ' ')).toContain(
      `Two predictors: this session’s curves and deviations are predictor #${b} New predictor’s, the compared session’s are predictor #${c} Third predictor’s.`,
    );
  });

  it('Compare on a row whose predictor another client deleted meanwhile says why nothing is compared', async () => {
    const { page } = s;
    await designTab(page);
    await row(page, 'Made with B').getByRole('button', { name: 'Open', exact: true }).click();
    await expect.poll(() => results(page).textContent()).toMatch(/^Made with B /);
    // the list's re-read on the deletion's notice waits at the network: the row still shows C as live
    const relist = await holdNext(page, 'jominy.sessions.list');
    await localClient(s.ctx)['jominy.models.delete']({ id: c });
    await relist.arrived;
    expect(await row(page, 'Made with C').getByRole('button', { name: 'Compare' }).isDisabled()).toBe(false);
    await row(page, 'Made with C').getByRole('button', { name: 'Compare' }).click();
    // before: nothing happened, and nothing said why
    await expect.poll(() => page.getByRole('alert').filter({ hasText: 'Not compared: “Made with C” was made with predictor #' }).count()).toBe(1);
    expect(await page.getByRole('alert').textContent()).toContain(`Not compared: “Made with C” was made with predictor #${c} Third predictor, which was deleted meanwhile`);
    expect(await page.getByTestId('design-comparing').count()).toBe(0);
    await relist.release();
    // the list read again: C's row says its predictor was deleted, and its Compare is disabled
    await expect.poll(() => row(page, 'Made with C').getByRole('button', { name: 'Compare' }).isDisabled()).toBe(true);
  });
});
