import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Page, Route } from 'playwright-core';
import { appPerFile, navButton } from '../helpers/browser.js';
import { apiCalls, holdNext, logApiCalls, readsBy } from '../helpers/api-traffic.js';
import { localClient } from '../../core/app/dispatch.js';

/**
 * The window's design state follows the chosen predictor: the form is shown (and can be run) only with that
 * predictor's details, a refusal does not stick to another predictor or to a corrected form, and a session made
 * with one predictor is neither shown under nor made the parent of a run with another. Two predictors trained on
 * different data (different P1–P99 ranges); the details' reads are held at the network (holdNext, holdAll); what the
 * page sent and read is read from the page (logApiCalls), never waited for by time.
 */
describe('Jominy design: another predictor chosen', () => {
  const s = appPerFile();
  const TARGET = { kind: 'curve' as const, hardness: [52, 51, 49, 46, 42, 39, 37, 35, 32, 30, 29, 28, 27, 26, 25] };
  let a = 0;
  let b = 0;

  async function train(seed: number): Promise<number> {
    const api = localClient(s.ctx);
    const ds = await api['jominy.datasets.synth']({ n: 120, seed });
    const trained = await s.ctx.jobs.wait((await api['jominy.models.train']({ datasetId: ds.id, seed: 1, maxHidden: 2, epochs: 5, ensemble: 0 })).id);
    expect(trained.state).toBe('done');
    return (trained.result as { modelId: number }).modelId;
  }

  beforeAll(async () => {
    a = await train(29);
    b = await train(41);
  });

  beforeEach(async () => {
    await s.page.unrouteAll({ behavior: 'ignoreErrors' });
    await s.page.reload();
  });

  const detailsRead = async (page: Page) => (await readsBy(page, 'jominy.models.get'));
  const designSelect = (page: Page) => page.locator('label', { hasText: /^Predictor/ }).locator('select');
  const minC = async (page: Page) => Number((await page.getByTestId('limit-min-C').inputValue()).replace(',', '.'));
  const results = (page: Page) => page.getByTestId('design-results').getByRole('heading', { level: 2 });

  /** The Design tab with predictor `id` chosen there and its details read; the lower limit of C then shown. */
  async function designWith(page: Page, id: number): Promise<number> {
    await logApiCalls(page);
    await navButton(page, 'Jominy design').click();
    await page.getByRole('tab', { name: 'Design' }).click();
    await designSelect(page).selectOption(String(id));
    await expect.poll(async () => (await detailsRead(page)).filter(([x]) => x === id).at(-1)).toEqual([id, true]);
    await expect.poll(() => page.getByTestId('limit-min-C').count()).toBe(1);
    return minC(page);
  }

  /** Every request of `method` whose arguments pass `match` waits until `release` (the Predictor tab reads the details too). */
  async function holdAll(page: Page, method: string, match: (args: Record<string, unknown>) => boolean) {
    const held: Route[] = [];
    const pattern = `**/api/${method}`;
    const handler = async (route: Route) => {
      if (!match(JSON.parse(route.request().postData() ?? '{}') as Record<string, unknown>)) return route.continue();
      held.push(route);
    };
    await page.route(pattern, handler);
    return {
      count: () => held.length,
      async release(how: 'answer' | 'fail' = 'answer') {
        // in this order: unrouting first lets Playwright hand the held requests on itself (see holdNext)
        for (const r of held) await (how === 'answer' ? r.continue() : r.abort());
        await page.unroute(pattern, handler);
      },
    };
  }

  it('while the chosen predictor’s details are on their way, the form is not shown with the previous one’s ranges, nor run', async () => {
    const { page } = s;
    const minA = await designWith(page, a);
    const get = await holdNext(page, 'jominy.models.get', { match: (x) => x.id === b });
    await designSelect(page).selectOption(String(b));
    await get.arrived;
    // before: predictor A's ranges stood in the form and Run sent predictor B with them
    await expect.poll(() => page.getByTestId('run-design').count()).toBe(0);
    expect(await page.getByTestId('limit-min-C').count()).toBe(0);
    expect(await page.getByTestId('design-model-loading').count()).toBe(1);
    await get.release();
    await expect.poll(() => page.getByTestId('limit-min-C').count()).toBe(1);
    const minB = await minC(page);
    const detailB = await localClient(s.ctx)['jominy.models.get']({ id: b });
    const c = (await localClient(s.ctx)['jominy.meta']({})).elements.indexOf('C');
    expect(minB).toBeCloseTo(detailB.domain.p1[c], 2); // as shown (3 decimals)
    expect(Math.abs(minB - minA)).toBeGreaterThan(0.0005); // the two predictors' data differ: the check can fail
    expect(await page.getByTestId('run-design').isDisabled()).toBe(false);
  });

  it('a predictor chosen in the Predictor tab: back in Design, its details or nothing; a failed read leaves none', async () => {
    const { page } = s;
    await designWith(page, a);
    await page.getByRole('tab', { name: 'Predictor' }).click();
    const gets = await holdAll(page, 'jominy.models.get', (x) => x.id === b);
    await page.getByTestId('model-select').selectOption(String(b));
    await expect.poll(() => gets.count()).toBeGreaterThan(0);
    await page.getByRole('tab', { name: 'Design' }).click();
    // before: the rebuilt panel showed predictor A's details and ranges, and Run was enabled
    await expect.poll(() => page.getByTestId('run-design').count()).toBe(0);
    expect(await page.getByTestId('design-model-loading').count()).toBe(1);
    await gets.release('fail');
    // before: A's details stayed, with a form to run
    await expect.poll(() => page.getByTestId('design-model-unread').count()).toBe(1);
    expect(await page.getByTestId('limit-min-C').count()).toBe(0);
    expect(await page.getByTestId('run-design').count()).toBe(0);
  });

  it('a refusal goes when the predictor changes or the form is edited', async () => {
    const { page } = s;
    await designWith(page, a);
    const refusal = () => page.getByTestId('run-design').locator('..').locator('xpath=following-sibling::p[@role="alert"]');
    await page.getByTestId('trust-tolerances').fill('C 0.02 Qx');
    await page.getByTestId('run-design').click();
    await expect.poll(() => refusal().count()).toBe(1);
    expect(await refusal().textContent()).toContain('melt tolerances');
    // the form edited: the refusal is about a form no longer on screen (before: it stayed)
    await page.getByTestId('ga-pop').fill('9');
    await expect.poll(() => refusal().count()).toBe(0);
    await page.getByTestId('run-design').click();
    await expect.poll(() => refusal().count()).toBe(1);
    // another predictor (before: the refusal stood under it)
    await designSelect(page).selectOption(String(b));
    await expect.poll(async () => (await detailsRead(page)).at(-1)).toEqual([b, true]);
    await expect.poll(() => page.getByTestId('run-design').count()).toBe(1);
    expect(await refusal().count()).toBe(0);
  });

  it('a session made with one predictor is not shown under another, nor made the parent of its run', async () => {
    const { page } = s;
    const end = await s.ctx.jobs.wait((await localClient(s.ctx)['jominy.design']({ modelId: a, name: 'Made with A', target: TARGET, settings: { ga: { population: 8, generations: 2 } }, seed: 1 })).id);
    expect(end.state).toBe('done');
    await page.reload();
    await designWith(page, a);
    await page.getByTestId('session-table').getByRole('row', { name: /^Made with A/ }).getByRole('button', { name: 'Open', exact: true }).click();
    await expect.poll(() => results(page).textContent()).toMatch(/^Made with A /);
    await designSelect(page).selectOption(String(b));
    await expect.poll(async () => (await detailsRead(page)).at(-1)).toEqual([b, true]);
    await expect.poll(() => page.getByTestId('run-design').count()).toBe(1);
    // before: A's session (its results and chart overlays) stayed on screen under B
    expect(await results(page).count()).toBe(0);
    await page.getByTestId('ga-pop').fill('8');
    await page.getByTestId('ga-gens').fill('2');
    await page.getByLabel('Session name').fill('Made with B');
    const before = new Set(s.ctx.jobs.list().map((j) => j.id));
    await page.getByTestId('run-design').click();
    await expect.poll(async () => (await apiCalls(page, 'jominy.design')).map((c) => c.read)).toEqual([true]);
    const sent = JSON.parse((await apiCalls(page, 'jominy.design'))[0].body ?? '{}') as { modelId: number; parentSessionId?: number };
    expect(sent.modelId).toBe(b);
    // before: A's session was sent as the parent of B's run
    expect(sent.parentSessionId).toBeUndefined();
    const job = s.ctx.jobs.list().find((j) => j.kind === 'jominy.design' && !before.has(j.id))!;
    expect((await s.ctx.jobs.wait(job.id)).state).toBe('done');
    await expect.poll(() => results(page).textContent()).toMatch(/^Made with B /);
  });

  it('a session opened with another predictor keeps its own search box (ranges), not that predictor’s P1–P99', async () => {
    const { page } = s;
    const api = localClient(s.ctx);
    const c = (await api['jominy.meta']({})).elements.indexOf('C');
    const dom = (await api['jominy.models.get']({ id: a })).domain;
    const lo = +(dom.p1[c] + (dom.p99[c] - dom.p1[c]) / 4).toFixed(3);
    const hi = +(dom.p1[c] + (dom.p99[c] - dom.p1[c]) / 2).toFixed(3);
    const end = await s.ctx.jobs.wait((await api['jominy.design']({ modelId: a, name: 'Own box', target: TARGET, settings: { ranges: { C: [lo, hi] }, ga: { population: 8, generations: 2 } }, seed: 1 })).id);
    expect(end.state).toBe('done');
    await page.reload();
    await designWith(page, b);
    await page.getByTestId('session-table').getByRole('row', { name: /^Own box/ }).getByRole('button', { name: 'Open', exact: true }).click();
    await expect.poll(() => results(page).textContent()).toMatch(/^Own box /);
    await expect.poll(async () => (await detailsRead(page)).at(-1)).toEqual([a, true]);
    expect(await designSelect(page).inputValue()).toBe(String(a));
    // before: the predictor's change reset the ranges to A's P1–P99 (C from dom.p1)
    await expect.poll(() => minC(page)).toBeCloseTo(lo, 3);
    expect(Number((await page.getByTestId('limit-max-C').inputValue()).replace(',', '.'))).toBeCloseTo(hi, 3);
  });

  /** A stored design session with predictor `modelId` (a tiny run: 8 × 2 generations). */
  async function storedSession(modelId: number, name: string): Promise<void> {
    const end = await s.ctx.jobs.wait((await localClient(s.ctx)['jominy.design']({ modelId, name, target: TARGET, settings: { ga: { population: 8, generations: 2 } }, seed: 1 })).id);
    expect(end.state).toBe('done');
  }

  /** Fills a tiny run and clicks Run with its request held at the network; returns its release, which waits for its end. */
  async function heldRun(page: Page, name: string) {
    await page.getByTestId('ga-pop').fill('8');
    await page.getByTestId('ga-gens').fill('2');
    await page.getByLabel('Session name').fill(name);
    const before = new Set(s.ctx.jobs.list().map((j) => j.id));
    const design = await holdNext(page, 'jominy.design');
    await page.getByTestId('run-design').click();
    await design.arrived;
    return async () => {
      await design.release();
      await expect.poll(() => s.ctx.jobs.list().filter((j) => j.kind === 'jominy.design' && !before.has(j.id)).length).toBe(1);
      const end = await s.ctx.jobs.wait(s.ctx.jobs.list().find((j) => j.kind === 'jominy.design' && !before.has(j.id))!.id);
      expect(end.state).toBe('done');
    };
  }

  it('a finished run’s notice about a run with one predictor goes when another is chosen', async () => {
    const { page } = s;
    await storedSession(a, 'Opened meanwhile');
    await page.reload();
    await designWith(page, a);
    const release = await heldRun(page, 'Announced run');
    await page.getByTestId('session-table').getByRole('row', { name: /^Opened meanwhile/ }).getByRole('button', { name: 'Open', exact: true }).click();
    await expect.poll(() => results(page).textContent()).toMatch(/^Opened meanwhile /);
    await release();
    const notice = page.getByTestId('design-finished');
    await expect.poll(() => notice.count()).toBe(1);
    await designSelect(page).selectOption(String(b));
    await expect.poll(async () => (await detailsRead(page)).at(-1)).toEqual([b, true]);
    await expect.poll(() => page.getByTestId('run-design').count()).toBe(1);
    // before: the notice about A's run (and A's session) stood under B
    expect(await notice.count()).toBe(0);
    expect(await results(page).count()).toBe(0);
  });

  it('a run that ends after another predictor was chosen is announced, not shown under that predictor', async () => {
    const { page } = s;
    await designWith(page, a);
    const release = await heldRun(page, 'Ended under B');
    await designSelect(page).selectOption(String(b));
    await expect.poll(async () => (await detailsRead(page)).at(-1)).toEqual([b, true]);
    await release();
    const notice = page.getByTestId('design-finished');
    // before: A's run's results were shown in place under B
    await expect.poll(() => notice.count()).toBe(1);
    // the notice names the run from the session list, which is re-read after the run's end (the notice can come first)
    await expect.poll(() => notice.textContent()).toContain('“Ended under B” has finished');
    expect(await results(page).count()).toBe(0);
    // opening it chooses its predictor again
    await notice.getByRole('button', { name: 'Open it' }).click();
    await expect.poll(() => results(page).textContent()).toMatch(/^Ended under B /);
    expect(await designSelect(page).inputValue()).toBe(String(a));
  });
});
