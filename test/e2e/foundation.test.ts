import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, statSync } from 'node:fs';
import { openApp, type E2eSession } from '../helpers/browser.js';

describe('browser mode end to end', () => {
  let s: E2eSession;
  beforeAll(async () => {
    s = await openApp();
  });
  afterAll(async () => {
    await s?.close();
  });

  it('creates a billet that survives a reload', async () => {
    const { page } = s;
    await page.getByRole('heading', { name: 'Billets' }).waitFor();
    await page.getByLabel('Name').fill('E2E heat 5521');
    await page.getByLabel('Steel grade').fill('42CrMo4');
    await page.getByRole('button', { name: 'Create billet' }).click();
    const table = page.getByTestId('billet-table');
    await table.getByText('E2E heat 5521').waitFor();

    await page.reload();
    await page.getByTestId('billet-table').getByText('E2E heat 5521').waitFor();
    expect(await page.getByTestId('billet-table').locator('tbody tr').count()).toBe(1);
    // The row came from SQLite, not from the page: the core sees the same billet.
    expect(s.ctx.repos.billets.list().map((b) => [b.name, b.steelGrade])).toEqual([['E2E heat 5521', '42CrMo4']]);

    const shot = await s.screenshot('foundation-billets');
    expect(existsSync(shot)).toBe(true);
    expect(statSync(shot).size).toBeGreaterThan(5000);
  });

  it('renames and deletes with confirmation', async () => {
    const { page } = s;
    await page.getByRole('button', { name: 'Rename' }).click();
    await page.getByLabel('New name').fill('E2E heat 5521 S1');
    await page.getByLabel('New name').press('Enter');
    await page.getByTestId('billet-table').getByText('E2E heat 5521 S1').waitFor();
    await page.getByRole('button', { name: 'Delete…' }).click();
    const del = page.getByRole('dialog').getByRole('button', { name: 'Delete' });
    expect(await del.isDisabled()).toBe(true);
    await page.getByLabel('Confirm name').fill('E2E heat 5521 S1');
    await del.click();
    await page.getByText('No billets yet').waitFor();
    expect(s.ctx.repos.billets.list()).toHaveLength(0);
  });

  it('shows the ML backend that runs', async () => {
    const { page } = s;
    await page.getByRole('button', { name: 'Settings / About' }).click();
    await expect.poll(() => page.getByTestId('backend').textContent(), { timeout: 30_000 }).toContain('wasm');
  });

  it('refuses API calls without the token, or from another Host', async () => {
    const base = `http://127.0.0.1:${s.server.port}`;
    const noToken = await fetch(`${base}/api/billets.list`, { method: 'POST', body: '{}' });
    expect(noToken.status).toBe(403);
    const wrongToken = await fetch(`${base}/api/billets.list`, { method: 'POST', body: '{}', headers: { Authorization: 'Bearer 00' } });
    expect(wrongToken.status).toBe(403);
    const ok = await fetch(`${base}/api/billets.list`, { method: 'POST', body: '{}', headers: { Authorization: `Bearer ${s.server.token}` } });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ ok: true, value: [] });
    const files = await fetch(`${base}/files/images/x.png`);
    expect(files.status).toBe(403);
  });
});
