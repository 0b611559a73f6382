import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { openApp, type E2eSession } from '../helpers/browser.js';
import { localClient } from '../../core/app/dispatch.js';

// The Experiments view on a run made with the test registry (test/helpers/experiments-registry-fixture.ts, whose
// numbers the test knows): the run list, a table with the paper's values beside ours, the SYNTHETIC banner, the
// report link.
describe('Experiments view', () => {
  let s: E2eSession;
  let runId: number;
  let carbon: string;
  beforeAll(async () => {
    process.env.FERROLAB_TEST_EXPERIMENTS_REGISTRY = resolve('test/helpers/experiments-registry-fixture.ts');
    s = await openApp();
    const api = localClient(s.ctx);
    const demo = await s.ctx.jobs.wait((await api['billets.loadDemo']({ seed: 5, variant: 'base', sizePx: 400 })).id);
    expect(demo.state).toBe('done');
    const billetId = (demo.result as { billetId: number }).billetId;
    const end = await s.ctx.jobs.wait((await api['experiments.start']({ kind: 'segregation', billetIds: [billetId], budget: 'quick', seed: 2 })).id);
    expect(end.state).toBe('done');
    const d = await api['experiments.get']({ id: (await api['experiments.list']({}))[0].id });
    runId = d.id;
    carbon = (d.results[0].tables[0].rows[0].cells.carbon as number).toFixed(4);
  }, 300_000);
  afterAll(async () => {
    delete process.env.FERROLAB_TEST_EXPERIMENTS_REGISTRY;
    await s?.close();
  });

  it('lists the run and shows its table with the paper values, the banner and the report links', async () => {
    const { page } = s;
    await page.getByRole('navigation').getByRole('button', { name: 'Experiments' }).click();
    const row = page.locator(`tr[data-run="${runId}"]`);
    await row.waitFor({ timeout: 30_000 });
    expect(await row.locator('td').nth(3).textContent()).toContain('done');
    expect(await row.textContent()).toContain('SYNTHETIC');
    await row.getByRole('button', { name: 'Show' }).click();
    const table = page.locator('table[data-table="split-carbon"]');
    await table.waitFor();
    const first = table.locator('tr[data-row="split-0"] td').nth(1);
    expect((await first.textContent())!.replace(/\s+/g, ' ').trim()).toBe(`${carbon} (paper 0.4321)`);
    expect(await page.getByRole('note').textContent()).toContain('SYNTHETIC DATA');
    await page.locator('figure[data-figure="split-carbon-fig"] canvas').waitFor();
    const pdf = page.getByRole('link', { name: 'Open report (PDF)' });
    expect(await pdf.getAttribute('href')).toContain(`reports/experiments/run-${runId}/reproduction-report.pdf`);
    const href = (await page.getByRole('link', { name: 'Open report (HTML)' }).getAttribute('href'))!;
    const res = await page.request.get(new URL(href, page.url()).href);
    expect(res.status()).toBe(200);
    expect(await res.text()).toContain('paper 0.4321');
    await s.screenshot('experiments-view');
  });
});
