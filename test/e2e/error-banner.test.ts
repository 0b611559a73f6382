import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp, type E2eSession } from '../helpers/browser.js';

/** §7 of issue 11: an old error banner stays after a later success — in every view, not only Maps. */
describe('error banner after a later success (Billets view)', () => {
  let s: E2eSession;
  beforeAll(async () => {
    s = await openApp();
    s.ctx.repos.billets.create({ name: 'Banner billet', nominalDiameterMm: 300 });
  });
  afterAll(async () => {
    await s?.close();
  });

  it('a failed rename raises the banner; the corrected rename takes it down', async () => {
    const { page } = s;
    await page.reload();
    await page.getByRole('navigation').getByRole('button', { name: 'Billets' }).click();
    const row = page.getByTestId('billet-table').locator('tr', { hasText: 'Banner billet' });
    await row.getByRole('button', { name: 'Rename' }).click();
    await page.getByLabel('New name').fill('   ');
    await page.getByRole('button', { name: 'Save' }).click();
    const banner = page.getByRole('alert');
    await expect.poll(() => banner.count()).toBe(1);
    await page.getByLabel('New name').fill('Banner billet 2');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.getByTestId('billet-table').textContent()).toContain('Banner billet 2');
    await expect.poll(() => banner.count()).toBe(0);
  });
});
