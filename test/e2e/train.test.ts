import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp, type E2eSession } from '../helpers/browser.js';
import { localClient } from '../../core/app/dispatch.js';
import { createModelsRepo } from '../../core/store/repos/models-repo.js';

describe('Train view end to end', () => {
  let s: E2eSession;
  beforeAll(async () => {
    s = await openApp();
    // The demo billet (synthetic section, hex85 points, synthetic readings) through the same API the Billets view uses.
    const job = await localClient(s.ctx)['billets.loadDemo']({ seed: 7, variant: 'base', sizePx: 1500 });
    const end = await s.ctx.jobs.wait(job.id);
    if (end.state !== 'done') throw new Error(`demo billet failed: ${end.error?.message}`);
    await s.page.reload();
  });
  afterAll(async () => {
    await s?.close();
  });

  it('trains compact on the demo billet with live progress, then shows the parity plot and the metrics per split', async () => {
    const { page } = s;
    await page.getByRole('navigation').getByRole('button', { name: 'Train' }).click();
    await page.getByRole('checkbox', { name: /Demo billet/ }).check();
    await page.getByLabel('Preset').selectOption('compact');
    await page.getByLabel('Input (px)').fill('32');
    await page.getByLabel('Epochs').fill('4');
    await page.getByLabel('Splits (k)').fill('2');
    await page.getByLabel('Seed', { exact: true }).fill('4');
    await page.getByRole('button', { name: 'Start training' }).click();

    // Live: per-epoch progress with loss, val MAE and an ETA, and the live loss chart.
    await page.getByTestId('live-progress').waitFor({ timeout: 120_000 });
    await expect.poll(() => page.getByTestId('train-status').textContent(), { timeout: 120_000 }).toMatch(/epoch \d+\/4, loss [\d.]+, val MAE [\d.]+ wt\.%.*ETA/);
    await expect.poll(async () => Number(await page.getByTestId('loss-chart').first().getAttribute('data-epochs')), { timeout: 120_000 }).toBeGreaterThanOrEqual(1);
    await s.screenshot('train-live');

    // Done: the new model is selected; metrics table has both splits + mean ± sd; parity plot has train and test points.
    await expect.poll(() => page.getByTestId('train-status').textContent(), { timeout: 240_000 }).toMatch(/^\s*done\s*$/);
    const table = page.getByTestId('metrics-table');
    await table.waitFor({ timeout: 60_000 });
    await expect.poll(() => table.locator('tbody tr').count()).toBe(3);
    await expect.poll(() => table.locator('tbody tr').first().textContent()).toMatch(/split 1\/2\s*-?0\.\d{3}\s*0\.0\d{3}/);
    expect(await table.locator('tbody tr').last().textContent()).toMatch(/mean ± sd/);
    const parity = page.getByTestId('parity-plot');
    await expect.poll(() => parity.getAttribute('data-test')).toBe('17');
    expect(Number(await parity.getAttribute('data-train'))).toBe(61);
    await expect.poll(async () => Number(await page.getByTestId('error-map').getAttribute('data-points'))).toBeGreaterThan(17);

    // The numbers on screen are the stored model's.
    const models = createModelsRepo(s.ctx.db).list('carbon-cnn');
    expect(models).toHaveLength(1);
    const m = models[0].metrics as { splits: { test: { r2: number } }[] };
    expect(await table.locator('tbody tr').first().textContent()).toContain(m.splits[0].test.r2.toFixed(3));
    await page.getByTestId('model-list').getByRole('button', { name: models[0].name, exact: true }).waitFor();
    await s.screenshot('train-results');
  });

  it('shows a Grad-CAM gallery for a point picked on the error map', async () => {
    const { page } = s;
    await page.getByTestId('error-map').locator('circle[role="button"]').first().click();
    const gallery = page.getByTestId('gradcam-gallery');
    await gallery.waitFor({ timeout: 60_000 });
    // patch + one overlay per conv layer (compact: 4 blocks × 2 convs)
    await expect.poll(() => gallery.locator('img').count()).toBe(9);
    await expect.poll(() => gallery.locator('img').last().evaluate((img) => (img as unknown as { complete: boolean; naturalWidth: number }).complete && (img as unknown as { naturalWidth: number }).naturalWidth)).toBe(32);
  });
});
