import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { openApp, loadDemoBillet, navButton, switchLanguage, type E2eSession } from '../helpers/browser.js';
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
    const billetId = await loadDemoBillet(s, { seed: 5, sizePx: 400 });
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

  it('words the tables, captions and notes written as codes in Italian and Chinese; an English-only note stays English', async () => {
    const { page } = s;
    const words = page.locator('table[data-table="words"]');
    expect((await words.locator('caption').textContent())!.replace(/\s+/g, ' ')).toContain('Held-out figures (mean over the shared splits)');
    const notes = page.locator('article[data-experiment="units-4"] li');
    const switchTo = async (lang: 'it' | 'zh', settings: string, experiments: string) => {
      await switchLanguage(page, settings, lang);
      await navButton(page, experiments).click();
      await page.locator(`tr[data-run="${runId}"]`).getByRole('button').first().click();
      await words.waitFor();
    };
    await switchTo('it', 'Settings / About', 'Esperimenti');
    const itCaption = (await words.locator('caption').textContent())!.replace(/\s+/g, ' ');
    expect(itCaption).toContain('Valori sui punti esclusi (media sulle suddivisioni comuni)');
    expect(itCaption).toContain('mai usati per addestrare il modello di quella suddivisione');
    expect((await words.locator('th').allTextContents()).map((x) => x.replace(/\s+/g, ' ').trim())).toEqual(['variante', 'scostamento medio (wt.%)']);
    expect(await notes.allTextContents()).toEqual(['quick budget: two splits only', 'Dati SINTETICI: i valori mettono alla prova il metodo, non un acciaio.']);
    await switchTo('zh', 'Impostazioni / Info', '实验复现');
    expect((await words.locator('caption').textContent())!.replace(/\s+/g, ' ')).toContain('留出指标（各共享划分的平均）');
    expect(await words.locator('th').first().textContent()).toBe('变体');
    expect(await notes.allTextContents()).toEqual(['quick budget: two splits only', '合成数据：这些数值检验的是方法，而不是某种钢。']);
    await s.screenshot('experiments-view-zh');
  });
});
