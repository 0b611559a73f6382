import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { appPerFile, navButton as nav, switchLanguage } from '../helpers/browser.js';
import { layoutPoints } from '../../core/segregation/index.js';
import { createPointsRepo } from '../../core/store/repos/points-repo.js';
import { createReadingsRepo } from '../../core/store/repos/readings-repo.js';

/**
 * Languages (issue 15): the interface follows the OS language at first start, the choice in Settings switches
 * every converted view at once and survives a reload (stored in the data folder, ahead of the OS language).
 */

/** The texts each view shows in one language, read from what is on screen: all seven views of renderer/src/views. */
async function checkViews(page: Page, w: { billets: string; create: string; maps: string; mapsTitle: string; draw: string; annotate: string; demo: string; jominy: string; jominyTitle: string; dataTab: string; train: string; trainTitle: string; experiments: string; experimentsTitle: string; startRun: string; settings: string; language: string }) {
  await nav(page, w.billets).click();
  await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(w.billets);
  await page.getByRole('button', { name: w.create }).waitFor();
  await nav(page, w.annotate).click();
  await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(w.annotate);
  await page.getByRole('button', { name: w.demo, exact: true }).waitFor();
  await nav(page, w.maps).click();
  await expect.poll(() => page.getByRole('heading', { level: 1 }).first().textContent()).toBe(w.mapsTitle);
  await page.getByRole('button', { name: w.draw, exact: true }).waitFor();
  await nav(page, w.train).click();
  await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(w.trainTitle);
  await nav(page, w.jominy).click();
  await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toContain(w.jominyTitle);
  await page.getByRole('tab', { name: w.dataTab, exact: true }).waitFor();
  await nav(page, w.experiments).click();
  await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(w.experimentsTitle);
  await page.getByRole('heading', { level: 2, name: w.startRun, exact: true }).waitFor();
  await nav(page, w.settings).click();
  await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(w.settings);
  await page.getByRole('heading', { name: w.language, exact: true }).waitFor();
}

const ZH = { billets: '铸坯', create: '新建铸坯', maps: '偏析图', mapsTitle: '偏析图', draw: '绘制偏析图', annotate: '标注', demo: '加载演示铸坯', jominy: '端淬设计', jominyTitle: '端淬淬透性成分设计', dataTab: '数据', train: '训练', trainTitle: '训练碳含量 CNN', experiments: '实验复现', experimentsTitle: '实验复现：在您的数据上重现论文实验', startRun: '开始运行', settings: '设置 / 关于', language: '语言' };
const IT = { billets: 'Billette', create: 'Crea billetta', maps: 'Mappe', mapsTitle: 'Mappe', draw: 'Disegna la mappa', annotate: 'Annota', demo: 'Carica la billetta dimostrativa', jominy: 'Progetto Jominy', jominyTitle: 'Progettazione della composizione per la prova Jominy', dataTab: 'Dati', train: 'Addestra', trainTitle: 'Addestra la CNN del carbonio', experiments: 'Esperimenti', experimentsTitle: 'Esperimenti: gli articoli riprodotti sui vostri dati', startRun: "Avvia un'esecuzione", settings: 'Impostazioni / Info', language: 'Lingua' };

describe('interface language', () => {
  const s = appPerFile({ locale: 'zh-CN' }); // a PC whose OS speaks Chinese

  it('follows the OS at first start (Chinese), with nothing stored yet', async () => {
    const { page } = s;
    await nav(page, ZH.billets).waitFor();
    expect(await page.evaluate<string>('document.documentElement.lang')).toBe('zh-CN');
    await checkViews(page, ZH);
    expect(s.ctx.repos.settings.get('ui.language')).toBeUndefined();
  });

  it('draws Chinese with the font shipped in the app when the system has none (this Chromium has no CJK font)', async () => {
    const { page } = s;
    // the face covers only CJK code points: the Chinese interface makes the browser read it from the app's files
    const face = () => page.evaluate<string[]>(`[...document.fonts].filter((f) => f.family.replace(/"/g, '') === 'Ferrolab CJK').map((f) => f.status)`);
    await expect.poll(face, { timeout: 30_000 }).toEqual(['loaded']);
    // and Chinese text is drawn with it: the glyphs differ from what the system's fonts alone draw (boxes here)
    const pixels = await page.evaluate<{ interfaceFont: string; differing: number; inked: number }>(`(() => {
      const interfaceFont = getComputedStyle(document.querySelector('h1')).fontFamily;
      const draw = (family) => {
        const c = document.createElement('canvas');
        c.width = 160;
        c.height = 48;
        const g = c.getContext('2d');
        g.font = '32px ' + family;
        g.fillText('偏析淬透性', 4, 36);
        return g.getImageData(0, 0, 160, 48).data;
      };
      const shipped = draw(interfaceFont);
      const system = draw("'DejaVu Sans', sans-serif");
      let differing = 0;
      let inked = 0;
      for (let i = 3; i < shipped.length; i += 4) {
        if (shipped[i] > 0) inked++;
        if (shipped[i] !== system[i]) differing++;
      }
      return { interfaceFont, differing, inked };
    })()`);
    expect(pixels.interfaceFont).toContain('Ferrolab CJK');
    expect(pixels.inked).toBeGreaterThan(200);
    expect(pixels.differing).toBeGreaterThan(200);
  });

  it('switches to Italian in Settings: every view speaks Italian, and it stays so after a reload', async () => {
    const { page } = s;
    await switchLanguage(page, ZH.settings, 'it');
    await nav(page, IT.billets).waitFor();
    await checkViews(page, IT);
    expect(s.ctx.repos.settings.get('ui.language')).toBe('it');
    await page.reload();
    await nav(page, IT.billets).waitFor(); // the stored choice wins over the OS's Chinese
    expect(await page.evaluate<string>('document.documentElement.lang')).toBe('it');
    await checkViews(page, IT);
    // a billet made in Italian: its table and the Maps view's report panel speak Italian too
    await nav(page, IT.billets).click();
    await page.getByLabel('Nome', { exact: true }).fill('Colata 24-1187');
    await page.getByLabel('Diametro nominale (mm)').fill('180');
    await page.getByRole('button', { name: IT.create }).click();
    const table = page.getByTestId('billet-table');
    await expect.poll(() => table.locator('thead').textContent()).toContain('Letture');
    await table.getByRole('button', { name: 'Rinomina' }).waitFor();
    await nav(page, IT.annotate).click();
    await page.getByRole('button', { name: 'Aggiungi punto' }).waitFor(); // the toolbar of the chosen billet
    await expect.poll(() => page.getByTestId('annotate-status').textContent()).toContain('0 punti, 0 con letture');
    await nav(page, IT.maps).click();
    await page.getByRole('button', { name: 'Disegna la mappa' }).waitFor();
    await page.getByRole('button', { name: 'Salva PDF' }).waitFor();
    // the report's own language: "as the interface" first, then each language by its own name
    const options = await page.getByTestId('report-language').locator('option').allTextContents();
    expect(options).toEqual(["come l'interfaccia", 'English', '中文（简体）', 'Italiano']);
    await page.getByText('Questa billetta non ha ancora letture di carbonio', { exact: false }).waitFor();
  });

  it('sentences the core writes (the map method, the coverage rule) speak Italian, then Chinese after a switch', async () => {
    const { page } = s;
    // a measured billet (points and readings): its map carries sentences the core writes (method, coverage rule)
    const b = s.ctx.repos.billets.create({ name: 'B-mapped', nominalDiameterMm: 300, bulkCarbonWtPct: 0.42 });
    const pts = layoutPoints({ diameterMm: 300 });
    createPointsRepo(s.ctx.db).replaceAll(b.id, pts, 'layout:hex85', false);
    const rd = createReadingsRepo(s.ctx.db);
    for (const p of pts) rd.setValues(b.id, p.label, [Number((0.42 + 0.0001 * (p.xMm + 150)).toFixed(4))]);
    await page.reload();
    await nav(page, IT.billets).waitFor();
    await nav(page, IT.maps).click();
    await page.getByRole('combobox', { name: 'Billetta', exact: true }).selectOption({ label: 'B-mapped' });
    await page.getByTestId('draw-map').click();
    const method = page.getByTestId('map-method');
    await expect.poll(() => method.textContent(), { timeout: 30_000 }).toContain('Spline a lastra sottile');
    expect(await method.textContent()).not.toContain('Thin-plate');
    await expect.poll(() => page.getByTestId('indices').textContent()).toContain("inviluppo convesso dei punti di campionamento");
    // the same billet's map in Chinese (the Maps view draws again when it is opened again)
    await switchLanguage(page, IT.settings, 'zh');
    await nav(page, ZH.maps).click();
    await page.getByTestId('draw-map').click();
    await expect.poll(() => page.getByTestId('map-method').textContent(), { timeout: 30_000 }).toContain('薄板样条');
    await expect.poll(() => page.getByTestId('indices').textContent()).toContain('指数按取样点的凸包计算');
    await switchLanguage(page, ZH.settings, 'it');
  });

  it("a refusal and a running job's progress speak Italian: a file that is not an image, the demo billet's steps", async () => {
    const { page } = s;
    await nav(page, IT.annotate).click();
    await page.getByRole('combobox', { name: 'Billetta', exact: true }).selectOption({ label: 'B-mapped' });
    // a CSV chosen as the section image: the import job is refused, the banner says why in Italian, the name as given
    await page.getByTestId('image-file').setInputFiles({ name: 'letture 1.csv', mimeType: 'text/csv', buffer: Buffer.from('label;carbon\nP01;0,41\n') });
    const banner = page.locator('main > .banner[role="alert"]');
    await expect.poll(() => banner.textContent(), { timeout: 30_000 }).toContain(
      "Importazione dell'immagine: Impossibile importare «letture 1.csv»: non è un’immagine (formato di file sconosciuto o non supportato)",
    );
    expect(await banner.textContent()).not.toContain('Cannot import');
    await banner.getByRole('button').click();
    // a reading cell's refusal speaks Italian and writes the limit with a decimal comma (fails before: English, "2.5")
    const cell = page.getByTestId('readings-table').locator('tbody input').first();
    await cell.fill('4500');
    await cell.press('Enter');
    await expect.poll(() => page.getByTestId('readings-table').getByRole('alert').first().textContent().catch(() => '')).toBe('4500 wt.% supera 2,5 wt.% — ppm? scrivi "4500 ppm"');
    await cell.press('Escape');
    await expect.poll(() => page.getByTestId('readings-table').getByRole('alert').count()).toBe(0);
    // every line the jobs bar shows while the demo billet is made (recorded on each change of the page)
    await page.evaluate(`(() => {
      const seen = (window.jobLines = new Set());
      const record = () => document.querySelectorAll('[data-testid="job"] .msg').forEach((e) => seen.add(e.textContent ?? ''));
      new MutationObserver(record).observe(document.body, { subtree: true, childList: true, characterData: true });
    })()`);
    await page.getByText('Opzioni demo').click();
    await page.getByLabel("Dimensione dell'immagine demo").selectOption('1000');
    await page.getByRole('button', { name: IT.demo, exact: true }).click();
    await expect.poll(() => s.ctx.repos.billets.list().filter((b) => b.synthetic && b.imageCount === 1).length, { timeout: 120_000 }).toBe(1);
    const lines = await page.evaluate<string[]>('[...window.jobLines]');
    const italian = ['generazione della sezione sintetica', 'codifica PNG', "lettura dell'intestazione", "calcolo dell'impronta", 'ricerca del bordo', 'costruzione della piramide di tasselli', 'miniatura', 'salvataggio di billetta, punti e letture'];
    expect(lines.filter((l) => italian.includes(l)).length, lines.join(' | ')).toBeGreaterThan(0);
    expect(lines.filter((l) => /generating|encoding|reading header|hashing|finding the rim|building tile|storing billet/.test(l)), lines.join(' | ')).toEqual([]);
  });

  it("a readings CSV's unit line speaks Italian: why the unit was read so, and the conflict to check (fails before: English mid-sentence)", async () => {
    const { page } = s;
    await nav(page, IT.annotate).click();
    await page.getByRole('combobox', { name: 'Billetta', exact: true }).selectOption({ label: 'B-mapped' });
    await page.getByRole('button', { name: 'Importa CSV…' }).click();
    await page.getByTestId('csv-file').setInputFiles({ name: 'letture.csv', mimeType: 'text/csv', buffer: Buffer.from('label;C [%]\nP01;4400\nP02;4500\n') });
    const unit = page.getByTestId('csv-unit');
    await expect.poll(() => unit.textContent().catch(() => ''), { timeout: 30_000 }).toContain('Rilevata: wt.% — la colonna «C [%]» indica wt.%.');
    expect(await unit.textContent()).toMatch(/Verifica: la colonna «C \[%\]» indica wt\.% ma il valore mediano 4\.?450 è possibile solo in ppm\./);
    expect(await unit.textContent()).not.toMatch(/says|median value/);
    await page.locator('[aria-labelledby="csv-title"]').getByRole('button', { name: 'Annulla', exact: true }).click();
  });

  it('switches back to Chinese, and the choice persists', async () => {
    const { page } = s;
    await switchLanguage(page, IT.settings, 'zh');
    await checkViews(page, ZH);
    await page.reload();
    await nav(page, ZH.billets).waitFor();
    expect(s.ctx.repos.settings.get('ui.language')).toBe('zh');
    await s.screenshot('i18n-settings-zh');
  });
});
