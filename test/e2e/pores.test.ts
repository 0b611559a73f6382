import { describe, expect, it } from 'vitest';
import { appPerFile } from '../helpers/browser.js';
import { localClient } from '../../core/app/dispatch.js';
import { generateSyntheticBillet, syntheticSectionPng } from '../../core/synth/index.js';

/** The Billets table states each section's pores: "Find pores" runs the detector job, then the count shows. */
describe('pores in the Billets view', () => {
  const s = appPerFile();

  it('finds the pores of an imported section from the Billets table and shows their count and minimum size', async () => {
    const api = localClient(s.ctx);
    const billet = await api['billets.create']({ name: 'E2E pores', nominalDiameterMm: 600 });
    const png = await syntheticSectionPng(generateSyntheticBillet({ seed: 3, sizePx: 700 }));
    const job = await api['images.import']({ billetId: billet.id, upload: { uploadId: s.ctx.uploads.saveBytes(png), name: 'section.png' } });
    expect((await s.ctx.jobs.wait(job.id)).state).toBe('done');
    const { page } = s;
    await page.reload();
    await page.getByRole('navigation').getByRole('button', { name: 'Billets' }).click();
    const cell = page.getByTestId('billet-table').locator('tbody tr', { hasText: 'E2E pores' }).getByTestId('billet-pores');
    await cell.getByRole('button', { name: 'Find pores' }).click();
    await expect.poll(async () => (await api['images.pores']({ billetId: billet.id })).status, { timeout: 60_000 }).toBe('detected');
    const p = await api['images.pores']({ billetId: billet.id });
    await expect.poll(() => cell.innerText(), { timeout: 30_000 }).toContain(`${p.count} (≥ ${p.minDiameterMm!.toFixed(1)} mm)`);
  });
});
