import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { openApp, loadDemoBillet, switchLanguage, type E2eSession } from '../helpers/browser.js';

/**
 * The Maps view asks for the map picture in the interface language (issue 15): the PNG it shows and downloads is
 * worded in Italian or Chinese (its title, legend, decimal mark), one cached picture per language.
 */
describe('Maps view: the map picture in the interface language', () => {
  let s: E2eSession;
  let billetId: number;
  beforeAll(async () => {
    s = await openApp();
    billetId = await loadDemoBillet(s, { seed: 5, sizePx: 400 });
  }, 120_000);
  afterAll(async () => {
    await s?.close();
  });

  /** Draws the measured map and answers the downloaded picture's path under the data folder. */
  async function draw(page: Page, maps: string, billet: string): Promise<string> {
    await page.getByRole('navigation').getByRole('button', { name: maps, exact: true }).click();
    await page.getByLabel(billet, { exact: true }).selectOption(String(billetId));
    await page.getByTestId('draw-map').click();
    const link = page.getByTestId('download-png');
    await link.waitFor();
    const href = decodeURIComponent((await link.getAttribute('href'))!);
    const m = /(reports\/previews\/\d+\/measured-(en|zh|it)-[0-9a-f]{20}\.png)/.exec(href);
    expect(m, href).not.toBeNull();
    return m![1];
  }

  it('Italian, then Chinese: each picture is drawn in the language the interface speaks', async () => {
    const { page } = s;
    await switchLanguage(page, 'Settings / About', 'it');
    // the stored choice now says English (as another window or the CLI may set it): the picture still follows the
    // language this window speaks, because the view asks for it, not the stored default
    await expect.poll(() => s.ctx.repos.settings.get('ui.language')).toBe('it');
    s.ctx.repos.settings.set('ui.language', 'en');
    const it_ = await draw(page, 'Mappe', 'Billetta');
    expect(it_).toContain('/measured-it-');
    await switchLanguage(page, 'Impostazioni / Info', 'zh');
    const zh = await draw(page, '偏析图', '铸坯');
    expect(zh).toContain('/measured-zh-');
    // two pictures of the same data: same size, different words
    const a = readFileSync(join(s.ctx.paths.root, it_));
    const b = readFileSync(join(s.ctx.paths.root, zh));
    expect(a.readUInt32BE(16)).toBe(b.readUInt32BE(16));
    expect(a.equals(b)).toBe(false);
    await switchLanguage(page, '设置 / 关于', 'en');
  }, 180_000);
});
