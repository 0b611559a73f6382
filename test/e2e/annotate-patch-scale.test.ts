import { describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { appPerFile, loadDemoBillet, navButton } from '../helpers/browser.js';

/**
 * Attached patch images whose resolution tag contradicts the scale typed beside the attach button (a camera program
 * writing its sensor pitch, 0.0005 mm/px, where the lab measured 0.0021): refused as typed, attached when the user
 * keeps the typed scale "over the image's tag" (`trustGivenScale`), and stored at the typed scale, marked as kept so.
 */
describe('Annotate: a given patch scale kept over the image\'s resolution tag', () => {
  const s = appPerFile();

  it('is refused without "over the image\'s tag", naming the file and both scales, and attached at the given scale with it (task 25-C)', async () => {
    const { page } = s;
    const billetId = await loadDemoBillet(s, { seed: 41, sizePx: 400 });
    const dir = join(s.dataDir, 'tmp', 'sensor-pitch');
    mkdirSync(dir, { recursive: true });
    const px = Uint8Array.from({ length: 64 * 64 }, (_, i) => (i * 29 + ((i * 7) % 13) * 17) & 255);
    writeFileSync(join(dir, 'P43.tif'), await sharp(px, { raw: { width: 64, height: 64, channels: 1 } }).withMetadata({ density: 50800 }).tiff().toBuffer());
    const stored = () => s.ctx.db.prepare('SELECT point_label AS label, mm_per_px AS mmPerPx, scale_over_tag AS overTag FROM attached_patches WHERE billet_id = ?').all(billetId);

    await page.reload();
    await navButton(page, 'Annotate').click();
    await page.getByLabel('Billet', { exact: true }).selectOption(String(billetId));
    const folder = page.getByTestId('patch-folder');
    await expect.poll(() => folder.isEnabled().catch(() => false)).toBe(true);
    const overTag = page.getByTestId('patch-over-tag');
    // the override keeps a typed scale: there is none to keep until one is typed
    expect(await overTag.isDisabled()).toBe(true);
    await page.getByTestId('patch-scale').fill('0.0021');
    await expect.poll(() => overTag.isEnabled()).toBe(true);
    expect(await overTag.isChecked()).toBe(false);

    await folder.setInputFiles(dir);
    const report = page.getByTestId('attach-report');
    await expect.poll(() => report.textContent().catch(() => ''), { timeout: 30_000 }).toContain('Nothing attached');
    expect(await page.getByTestId('attach-errors').textContent()).toContain(
      'Cannot attach "P43.tif": its resolution tag gives 0.0005 mm per pixel (50800 pixels per inch), but the scale given is 0.0021 mm/px',
    );
    expect(stored()).toEqual([]);

    await overTag.check();
    await folder.setInputFiles(dir);
    await expect.poll(() => report.textContent().catch(() => ''), { timeout: 30_000 }).toContain('Attached 1 patch image');
    // the typed scale is the one stored, not the tag's 0.0005, and the attachment says it was kept over the tag
    expect(stored()).toEqual([{ label: 'P43', mmPerPx: 0.0021, overTag: 1 }]);
    // and so does the point's mark in the readings table (the checkbox's tooltip promises it)
    const mark = page.getByTestId('readings-table').locator('tr[data-label="P43"]').getByTestId('attached-mark');
    await expect.poll(() => mark.getAttribute('title').catch(() => null)).toBe("Attached patch image: P43.tif — its given scale, 0.0021 mm/px, kept over the image's resolution tag");
  });
});
