import { beforeEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { appPerFile, navButton } from '../helpers/browser.js';
import { apiCalls, holdNext, logApiCalls, readsBy } from '../helpers/api-traffic.js';
import { localClient } from '../../core/app/dispatch.js';

/**
 * A design run outlives the Design tab: the panel is rebuilt each time the tab is shown, and a run started from this
 * window is still shown on return when it finished meanwhile (or announced, when the user had opened another session
 * since), and its progress is shown while it is still going. The run's request is held at the network (holdNext) so
 * the tab switch happens while it is under way; what the page has read is read from the page, never waited for by time.
 * Fails before: the run lived in the panel's own state, and the rebuilt panel neither showed nor announced it.
 */
describe('Jominy design: a run and a tab switch', () => {
  const s = appPerFile();
  const CURVE = [52, 51, 49, 46, 42, 39, 37, 35, 32, 30, 29, 28, 27, 26, 25];
  let modelId = 0;

  beforeEach(async () => {
    await s.page.unrouteAll({ behavior: 'ignoreErrors' });
    if (!modelId) {
      const api = localClient(s.ctx);
      const ds = await api['jominy.datasets.synth']({ n: 120, seed: 19 });
      const trained = await s.ctx.jobs.wait((await api['jominy.models.train']({ datasetId: ds.id, seed: 1, maxHidden: 2, epochs: 5, ensemble: 0 })).id);
      expect(trained.state).toBe('done');
      modelId = (trained.result as { modelId: number }).modelId;
    }
    await s.page.reload();
  });

  const designJobs = () => s.ctx.jobs.list().filter((j) => j.kind === 'jominy.design').map((j) => j.id);
  const row = (page: Page, name: string) => page.getByTestId('session-table').getByRole('row', { name: new RegExp(`^${name}`) });
  const results = (page: Page) => page.getByTestId('design-results').getByRole('heading', { level: 2 });
  const tab = (page: Page, name: 'Design' | 'Predictor') => page.getByRole('tab', { name }).click();

  /** The Design tab with the predictor chosen and its details read, a small GA and the session's name. */
  async function designForm(page: Page, name: string, ga: { pop: string; gens: string }) {
    await logApiCalls(page);
    await navButton(page, 'Jominy design').click();
    await tab(page, 'Design');
    await page.locator('label', { hasText: /^Predictor/ }).locator('select').selectOption(String(modelId));
    await expect.poll(async () => (await readsBy(page, 'jominy.models.get')).at(-1)).toEqual([modelId, true]);
    await page.getByTestId('ga-pop').fill(ga.pop);
    await page.getByTestId('ga-gens').fill(ga.gens);
    await page.getByLabel('Session name').fill(name);
  }

  /** Clicks Run with the run's request held at the network; returns its release and the new job's id once released. */
  async function startHeld(page: Page) {
    const before = new Set(designJobs());
    const design = await holdNext(page, 'jominy.design');
    await page.getByTestId('run-design').click();
    await design.arrived;
    return async () => {
      await design.release();
      await expect.poll(() => designJobs().filter((id) => !before.has(id)).length).toBe(1);
      return designJobs().find((id) => !before.has(id))!;
    };
  }

  it('a run that finished while another tab was shown is shown on return', async () => {
    const { page } = s;
    await designForm(page, 'Run left behind', { pop: '8', gens: '2' });
    const release = await startHeld(page);
    await tab(page, 'Predictor');
    const end = await s.ctx.jobs.wait(await release());
    expect(end.state).toBe('done');
    const runId = (end.result as { sessionId: number }).sessionId;
    // the page has taken the run's end (it reads the run's session) while the Design tab was not shown
    await expect.poll(async () => (await apiCalls(page, 'jominy.sessions.get')).filter((c) => JSON.parse(c.body ?? '{}').id === runId).map((c) => c.read)).toEqual([true]);
    await tab(page, 'Design');
    // before: the rebuilt panel showed no session, and the run was only in the list
    await expect.poll(() => results(page).textContent()).toMatch(/^Run left behind /);
    expect(await row(page, 'Run left behind').getAttribute('class')).toContain('sel');
    expect(await page.getByTestId('design-finished').count()).toBe(0);
    // the form is the one the run was started with
    expect(await page.getByTestId('ga-pop').inputValue()).toBe('8');
  });

  it('a run that finished after another session was opened, while another tab was shown, is announced on return', async () => {
    const { page } = s;
    const stored = await s.ctx.jobs.wait((await localClient(s.ctx)['jominy.design']({ modelId, name: 'Opened before leaving', target: { kind: 'curve', hardness: CURVE }, settings: { ga: { population: 8, generations: 2 } }, seed: 1 })).id);
    expect(stored.state).toBe('done');
    await designForm(page, 'Run announced later', { pop: '8', gens: '2' });
    const release = await startHeld(page);
    await row(page, 'Opened before leaving').getByRole('button', { name: 'Open', exact: true }).click();
    await expect.poll(() => results(page).textContent()).toMatch(/^Opened before leaving /);
    await tab(page, 'Predictor');
    const end = await s.ctx.jobs.wait(await release());
    expect(end.state).toBe('done');
    const runId = (end.result as { sessionId: number }).sessionId;
    await tab(page, 'Design');
    // before: no notice, and the session opened before leaving was gone from the rebuilt panel
    const notice = page.getByTestId('design-finished');
    await expect.poll(() => notice.count()).toBe(1);
    // the notice names the run from the session list, which is re-read after the run's end (the notice can come first)
    await expect.poll(() => notice.textContent()).toContain('“Run announced later” has finished');
    expect(await results(page).textContent()).toMatch(/^Opened before leaving /);
    expect(await row(page, 'Opened before leaving').getAttribute('class')).toContain('sel');
    await notice.getByRole('button', { name: 'Open it' }).click();
    await expect.poll(() => results(page).textContent()).toMatch(/^Run announced later /);
    expect((await apiCalls(page, 'jominy.sessions.get')).map((c) => JSON.parse(c.body ?? '{}').id).at(-1)).toBe(runId);
    expect(await notice.count()).toBe(0);
  });

  it('a run still going when the tab is shown again shows its progress, and cancels from there', async () => {
    const { page } = s;
    // far more evaluations than the test lasts: it is cancelled below
    await designForm(page, 'Run still going', { pop: '400', gens: '10000' });
    await page.getByTestId('ga-search').selectOption('paper-ga');
    const release = await startHeld(page);
    await tab(page, 'Predictor');
    const jobId = await release();
    // the page has the job (its answer read) before the Design tab is shown again
    await expect.poll(async () => (await apiCalls(page, 'jominy.design')).map((c) => c.read)).toEqual([true]);
    expect(s.ctx.jobs.get(jobId).state).toMatch(/^(queued|running)$/);
    await tab(page, 'Design');
    // before: the rebuilt panel had no job, no progress, and Run could be clicked again
    await expect.poll(() => page.getByTestId('design-progress').count()).toBe(1);
    expect(await page.getByTestId('run-design').isDisabled()).toBe(true);
    await page.getByTestId('design-progress').locator('..').getByRole('button', { name: 'Cancel', exact: true }).click();
    await expect.poll(() => s.ctx.jobs.get(jobId).state).toBe('cancelled');
    await expect.poll(() => page.getByTestId('design-progress').count()).toBe(0);
    expect(await page.getByTestId('run-design').isDisabled()).toBe(false);
    // the lists are re-read after the run's end is taken (the progress goes first): waited for by what the page shows
    await expect.poll(() => row(page, 'Run still going').getByRole('cell').nth(2).textContent()).toBe('cancelled');
  });
});
