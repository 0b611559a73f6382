import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { appPerFile, navButton } from '../helpers/browser.js';
import { apiCalls, holdNext, logApiCalls, readsBy } from '../helpers/api-traffic.js';
import { localClient } from '../../core/app/dispatch.js';

/**
 * The Design tab's session on screen is the one the user chose last, whatever answer lands last: a rename's re-read
 * and a duplicate's copy, held at the network (holdNext) while another session is opened, do not replace it; and a
 * finished run's notice ("the session you opened meanwhile stays") does not outlive the next run. What the page has
 * sent and read is read from the page (logApiCalls), never waited for by time.
 */
describe('Jominy design sessions: late answers do not replace the session chosen last', () => {
  const s = appPerFile();
  const TARGET = { kind: 'curve' as const, hardness: [52, 51, 49, 46, 42, 39, 37, 35, 32, 30, 29, 28, 27, 26, 25] };
  let modelId = 0;

  /** A stored design session (a tiny run: 8 × 2 generations) and its id. */
  async function storedSession(name: string): Promise<number> {
    const end = await s.ctx.jobs.wait((await localClient(s.ctx)['jominy.design']({ modelId, name, target: TARGET, settings: { ga: { population: 8, generations: 2 } }, seed: 1 })).id);
    expect(end.state).toBe('done');
    return (end.result as { sessionId: number }).sessionId;
  }

  beforeAll(async () => {
    const api = localClient(s.ctx);
    const ds = await api['jominy.datasets.synth']({ n: 120, seed: 23 });
    const trained = await s.ctx.jobs.wait((await api['jominy.models.train']({ datasetId: ds.id, seed: 1, maxHidden: 2, epochs: 5, ensemble: 0 })).id);
    expect(trained.state).toBe('done');
    modelId = (trained.result as { modelId: number }).modelId;
  });

  beforeEach(async () => {
    await s.page.unrouteAll({ behavior: 'ignoreErrors' });
    await s.page.reload();
  });

  /** The Design tab, its predictor chosen and read; the session table's row of a session by its name. */
  async function designTab(page: Page) {
    await logApiCalls(page);
    await navButton(page, 'Jominy design').click();
    await page.getByRole('tab', { name: 'Design' }).click();
    await page.locator('label', { hasText: /^Predictor/ }).locator('select').selectOption(String(modelId));
    await expect.poll(async () => (await readsBy(page, 'jominy.models.get')).at(-1)).toEqual([modelId, true]);
    const table = page.getByTestId('session-table');
    return {
      row: (name: string) => table.getByRole('row', { name: new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`) }),
      results: page.getByTestId('design-results').getByRole('heading', { level: 2 }),
    };
  }

  it('a rename’s re-read of the session on screen, landing after another session was opened, leaves that one open', async () => {
    const { page } = s;
    const a = await storedSession('Rename race A');
    await storedSession('Rename race B');
    await page.reload();
    const { row, results } = await designTab(page);
    await row('Rename race A').getByRole('button', { name: 'Open', exact: true }).click();
    await expect.poll(() => results.textContent()).toMatch(/^Rename race A /);
    const get = await holdNext(page, 'jominy.sessions.get', { match: (x) => x.id === a });
    await row('Rename race A').getByRole('button', { name: 'Rename', exact: true }).click();
    await page.getByLabel('New name of the session').fill('Rename race A2');
    await page.getByRole('dialog').getByRole('button', { name: 'Rename', exact: true }).click();
    await get.arrived; // the rename is stored; its re-read of session A waits at the network
    await row('Rename race B').getByRole('button', { name: 'Open', exact: true }).click();
    await expect.poll(() => results.textContent()).toMatch(/^Rename race B /);
    await get.release();
    await expect.poll(async () => (await apiCalls(page, 'jominy.sessions.get')).every((c) => c.read)).toBe(true);
    await expect.poll(() => row('Rename race A2').count()).toBe(1); // the list re-read after the rename
    // the renamed session A, landing last, replaced session B, opened after the rename
    expect(await results.textContent()).toMatch(/^Rename race B /);
    expect(await row('Rename race B').getAttribute('class')).toContain('sel');
    expect(await row('Rename race A2').getAttribute('class')).not.toContain('sel');
  });

  it('a rename of the session on screen shows its new name there', async () => {
    const { page } = s;
    await storedSession('Rename shown');
    await page.reload();
    const { row, results } = await designTab(page);
    await row('Rename shown').getByRole('button', { name: 'Open', exact: true }).click();
    await expect.poll(() => results.textContent()).toMatch(/^Rename shown /);
    await row('Rename shown').getByRole('button', { name: 'Rename', exact: true }).click();
    await page.getByLabel('New name of the session').fill('Renamed on screen');
    await page.getByRole('dialog').getByRole('button', { name: 'Rename', exact: true }).click();
    await expect.poll(() => results.textContent()).toMatch(/^Renamed on screen /);
    expect(await row('Renamed on screen').getAttribute('class')).toContain('sel');
  });

  it('a duplicate answered after another session was opened leaves that one open (the copy is listed)', async () => {
    const { page } = s;
    await storedSession('Duplicate race A');
    await storedSession('Duplicate race B');
    await page.reload();
    const { row, results } = await designTab(page);
    const dup = await holdNext(page, 'jominy.sessions.duplicate');
    await row('Duplicate race A').getByRole('button', { name: 'Duplicate', exact: true }).click();
    await dup.arrived;
    await row('Duplicate race B').getByRole('button', { name: 'Open', exact: true }).click();
    await expect.poll(() => results.textContent()).toMatch(/^Duplicate race B /);
    await dup.release();
    await expect.poll(async () => (await apiCalls(page, 'jominy.sessions.duplicate')).map((c) => c.read)).toEqual([true]);
    const copies = (await localClient(s.ctx)['jominy.sessions.list']({})).filter((x) => x.name !== 'Duplicate race A' && x.name.startsWith('Duplicate race A'));
    expect(copies.length).toBe(1);
    await expect.poll(() => row(copies[0].name).count()).toBe(1);
    // the copy of A, landing last, replaced session B, opened after the duplicate was asked
    expect(await results.textContent()).toMatch(/^Duplicate race B /);
    expect(await row('Duplicate race B').getAttribute('class')).toContain('sel');
    expect(await row(copies[0].name).getAttribute('class')).not.toContain('sel');
  });

  it('a session compared, then another before it came back, is compared with the second one', async () => {
    const { page } = s;
    await storedSession('Compare shown');
    const first = await storedSession('Compare first');
    await storedSession('Compare second');
    await page.reload();
    const { row, results } = await designTab(page);
    await row('Compare shown').getByRole('button', { name: 'Open', exact: true }).click();
    await expect.poll(() => results.textContent()).toMatch(/^Compare shown /);
    const pressed = (name: string) => row(name).getByRole('button', { name: 'Compare', exact: true }).getAttribute('aria-pressed');
    const comparing = (name: string) => page.getByTestId('design-results').getByText(`Comparing with “${name}”`);
    const get = await holdNext(page, 'jominy.sessions.get', { match: (x) => x.id === first });
    await row('Compare first').getByRole('button', { name: 'Compare', exact: true }).click();
    await get.arrived;
    await row('Compare second').getByRole('button', { name: 'Compare', exact: true }).click();
    await expect.poll(() => pressed('Compare second')).toBe('true');
    await get.release();
    await expect.poll(async () => (await apiCalls(page, 'jominy.sessions.get')).every((c) => c.read)).toBe(true);
    // the first session, landing last, was the one compared while the second stood chosen
    expect(await pressed('Compare second')).toBe('true');
    expect(await pressed('Compare first')).toBe('false');
    expect(await comparing('Compare second').count()).toBe(1);
    expect(await comparing('Compare first').count()).toBe(0);
    // the same one again ends the comparison
    await row('Compare second').getByRole('button', { name: 'Compare', exact: true }).click();
    await expect.poll(() => pressed('Compare second')).toBe('false');
    expect(await page.getByTestId('design-results').getByText('Comparing with').count()).toBe(0);
  });

  it('a finished run’s notice goes when the next run starts: that run, shown in place, has no notice above it', async () => {
    const { page } = s;
    await storedSession('Notice opened');
    await page.reload();
    const { row, results } = await designTab(page);
    await page.getByTestId('ga-pop').fill('8');
    await page.getByTestId('ga-gens').fill('2');
    await page.getByLabel('Session name').fill('Notice first run');
    const designJobs = () => s.ctx.jobs.list().filter((j) => j.kind === 'jominy.design').map((j) => j.id);
    const waitNewRun = async (before: Set<string>) => {
      await expect.poll(() => designJobs().filter((id) => !before.has(id)).length).toBe(1);
      const end = await s.ctx.jobs.wait(designJobs().find((id) => !before.has(id))!);
      expect(end.state).toBe('done');
    };
    // run 1 is asked; session "Notice opened" is opened before it ends: run 1 is announced
    let jobsBefore = new Set(designJobs());
    const design = await holdNext(page, 'jominy.design');
    await page.getByTestId('run-design').click();
    await design.arrived;
    await row('Notice opened').getByRole('button', { name: 'Open', exact: true }).click();
    await expect.poll(() => results.textContent()).toMatch(/^Notice opened /);
    await design.release();
    await waitNewRun(jobsBefore);
    const notice = page.getByTestId('design-finished');
    await expect.poll(() => notice.textContent()).toContain('“Notice first run” has finished');
    // run 2, nothing opened meanwhile: shown in place when it ends
    await page.getByTestId('ga-pop').fill('8');
    await page.getByTestId('ga-gens').fill('2');
    await page.getByLabel('Session name').fill('Notice second run');
    jobsBefore = new Set(designJobs());
    const second = await holdNext(page, 'jominy.design');
    await page.getByTestId('run-design').click();
    await second.arrived; // run 2 asked, not started: the notice about run 1 is gone already
    await expect.poll(() => notice.count()).toBe(0);
    await second.release();
    await waitNewRun(jobsBefore);
    await expect.poll(() => results.textContent()).toMatch(/^Notice second run /);
    await expect.poll(async () => (await apiCalls(page, 'jominy.sessions.get')).every((c) => c.read)).toBe(true);
    expect(await row('Notice second run').getAttribute('class')).toContain('sel');
    // the first run's notice ("the session you opened meanwhile stays on screen") stood above the second run's results
    expect(await notice.count()).toBe(0);
  });
});
