import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openApp, type E2eSession } from '../helpers/browser.js';
import { localClient } from '../../core/app/dispatch.js';
import { parsePdf } from '../unit/report/helpers.js';

describe('Maps view end to end', () => {
  let s: E2eSession;
  let billetId: number;
  let billetName: string;
  beforeAll(async () => {
    s = await openApp();
    // the synthetic demo billet (image, hex85 points, readings), made through the API as the Annotate view does
    const job = await localClient(s.ctx)['billets.loadDemo']({ seed: 3, variant: 'base', sizePx: 1000 });
    const end = await s.ctx.jobs.wait(job.id);
    expect(end.state).toBe('done');
    const r = end.result as { billetId: number; name: string };
    billetId = r.billetId;
    billetName = r.name;
  });
  afterAll(async () => {
    await s?.close();
  });

  /** Each test opens Maps and draws the measured map itself (no test relies on the page another left). */
  async function drawMeasuredMap() {
    const { page } = s;
    await page.reload();
    await page.getByRole('navigation').getByRole('button', { name: 'Maps' }).click();
    await page.getByLabel('Billet', { exact: true }).selectOption(String(billetId));
    await page.getByTestId('draw-map').click();
    const img = page.getByTestId('map-image');
    await img.waitFor();
    await expect.poll(() => img.evaluate((el) => (el as unknown as { complete: boolean; naturalWidth: number }).complete && (el as unknown as { naturalWidth: number }).naturalWidth)).toBe(1000);
    return img;
  }

  it('opens Maps for the demo billet, draws the measured map and reads a value at the cursor', async () => {
    const { page } = s;
    const img = await drawMeasuredMap();
    // the indices table shows the centre ratio of the measured map
    const centre = await page.getByTestId('centre-ratio').textContent();
    expect(Number(centre)).toBeGreaterThan(1.0);
    // hover the billet centre: value ± nothing (measured), with C/C0
    const box = (await img.boundingBox())!;
    const k = box.width / 1000;
    // mapBox: x = 20 px, size = 700 px in a 1000 px wide PNG → centre at (370, title + 350)
    const view = await localClient(s.ctx)['maps.render']({ billetId, layer: 'measured', settings: {} });
    await page.mouse.move(box.x + (view.mapBox.x + view.mapBox.size / 2) * k, box.y + (view.mapBox.y + view.mapBox.size / 2) * k);
    await expect.poll(() => page.getByTestId('map-hover').textContent()).toMatch(/x -?\d+, y -?\d+ mm: C = 0\.\d{4} wt\.% \(C\/C0 \d\.\d{3}\)/);
    await s.screenshot('maps-measured');
    // the grid as CSV, downloaded
    const csvDownload = page.waitForEvent('download');
    await page.getByTestId('export-csv').click();
    const csvFile = join(s.dataDir, 'grid.csv');
    await (await csvDownload).saveAs(csvFile);
    const csv = readFileSync(csvFile, 'utf8').split('\n');
    expect(csv[0]).toBe('# SYNTHETIC DATA');
    expect(csv[1]).toBe('x_mm,y_mm,r_over_R,carbon_wt_pct,c_over_c0,c0_wt_pct,c0_source,masked,extrapolated,in_indices');
    expect(csv.filter((l) => /^-?\d/.test(l)).length).toBeGreaterThan(20000);
    // Print… prints the page: the print styles keep the map and drop navigation and controls
    await page.emulateMedia({ media: 'print' });
    expect(await page.getByRole('navigation').isVisible()).toBe(false);
    expect(await page.getByTestId('draw-map').isVisible()).toBe(false);
    expect(await img.isVisible()).toBe(true);
    expect(await page.getByTestId('indices').isVisible()).toBe(true);
    await page.emulateMedia({ media: 'screen' });
  });

  it('saves the PDF: a download that parses, names the billet, and appears in the past reports', async () => {
    const { page } = s;
    await drawMeasuredMap();
    const before = (await localClient(s.ctx)['reports.list']({ billetId })).length;
    const download = page.waitForEvent('download');
    await page.getByTestId('save-pdf').click();
    const d = await download;
    const file = join(s.dataDir, 'downloaded.pdf');
    await d.saveAs(file);
    const bytes = readFileSync(file);
    const pdf = parsePdf(bytes);
    expect(pdf.pages).toBeGreaterThanOrEqual(3);
    expect(pdf.text[0]).toContain(billetName);
    expect(pdf.text.join(' ')).toContain('SYNTHETIC DATA');
    expect(pdf.imagesPerPage[0]).toBe(1);
    await expect.poll(() => page.getByTestId('report-row').count()).toBe(before + 1);
    const stored = await localClient(s.ctx)['reports.list']({ billetId });
    expect(stored).toHaveLength(before + 1);
    expect(stored.some((r) => readFileSync(join(s.dataDir, r.path)).equals(bytes))).toBe(true);
    // with a report's long file name shown, the page does not scroll sideways, down to a narrow window
    await page.getByTestId('last-report').waitFor();
    const overflow: [number, number][] = [];
    for (const width of [1366, 1000, 800, 600]) {
      await page.setViewportSize({ width, height: 768 });
      overflow.push([width, await page.locator('main').evaluate((el) => el.scrollWidth - el.clientWidth)]);
    }
    await page.setViewportSize({ width: 1366, height: 768 });
    expect(overflow).toEqual([[1366, 0], [1000, 0], [800, 0], [600, 0]]);
  });

  it('prints the plant fields from the form, and a later success takes down the error banner of a failed draw', async () => {
    const { page } = s;
    await drawMeasuredMap();
    // a malformed contour level: the draw fails with a banner
    await page.getByLabel('Contour levels').fill('0x1');
    await page.getByTestId('draw-map').click();
    const banner = page.getByRole('alert');
    await expect.poll(() => banner.textContent()).toContain('Contour levels: "0x1"');
    // corrected and drawn again: the old banner goes
    await page.getByLabel('Contour levels').fill('');
    await page.getByTestId('draw-map').click();
    await expect.poll(() => banner.count()).toBe(0);
    await page.getByTestId('plant-fields').locator('summary').click();
    await page.getByLabel('Etchant').fill('hot HCl 1:1');
    await page.getByLabel('Signed off by').fill('D. Lead');
    await page.getByLabel('Acceptance classes').fill('A=1.01, B=1.50');
    const download = page.waitForEvent('download');
    await page.getByTestId('save-pdf').click();
    const file = join(s.dataDir, 'plant.pdf');
    await (await download).saveAs(file);
    const text = parsePdf(readFileSync(file)).text.join('\n');
    for (const t of ['hot HCl 1:1', 'Signed off by: D. Lead', 'A: max C/C0 ≤ 1.010; B: max C/C0 ≤ 1.500']) expect(text).toContain(t);
    expect(text).toMatch(/→ class [AB]|NOT ACCEPTED/);
  });
});
