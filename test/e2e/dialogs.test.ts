import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { openApp, TEST_OUTPUT, type E2eSession } from '../helpers/browser.js';
import { localClient } from '../../core/app/dispatch.js';

/**
 * The app asks its questions in its own dialog, never with prompt()/confirm() (Electron has no prompt,
 * so renaming a design session failed in the desktop app). Any native dialog fails the test.
 */
describe('app dialogs instead of native prompt/confirm', () => {
  let s: E2eSession;
  const natives: string[] = [];
  /** Settles with the test's first native dialog (made before the click: the click that opens one returns after it). */
  let onNative: (text: string) => void = () => undefined;
  let nativeSeen: Promise<string> = new Promise(() => undefined);

  beforeAll(async () => {
    s = await openApp();
    s.page.on('dialog', (d) => {
      natives.push(`${d.type()}: ${d.message()}`);
      onNative(natives[0]);
      void d.dismiss().catch(() => undefined);
    });
    // A small synthetic predictor and one design session through the contract (as jominy.test.ts), plus a spare dataset.
    const api = localClient(s.ctx);
    const ds = await api['jominy.datasets.synth']({ n: 150, seed: 12 });
    const train = await api['jominy.models.train']({ datasetId: ds.id, seed: 2, maxHidden: 2, epochs: 25 });
    expect((await s.ctx.jobs.wait(train.id)).state).toBe('done');
    const model = (await api['jominy.models.list']({}))[0];
    const design = await api['jominy.design']({
      modelId: model.id,
      name: 'Session A',
      target: { kind: 'curve', hardness: [52, 51, 49, 46, 42, 39, 37, 35, 32, 30, 29, 28, 27, 26, 25] },
      settings: { ga: { population: 8, generations: 2 } },
      seed: 1,
    });
    expect((await s.ctx.jobs.wait(design.id)).state).toBe('done');
    await api['jominy.datasets.synth']({ n: 30, seed: 3, name: 'Spare heats' });
    await s.page.reload();
  });
  beforeEach(() => {
    nativeSeen = new Promise((resolve) => (onNative = resolve));
  });
  afterEach(() => {
    expect(natives.splice(0), 'a native dialog appeared').toEqual([]);
  });
  afterAll(async () => {
    await s?.close();
  });

  /** Waits for the app's dialog of that title; fails at once when a native dialog shows up instead. */
  async function appDialog(page: Page, title: string) {
    const dialog = page.getByRole('dialog', { name: title });
    const native = nativeSeen.then((text) => {
      throw new Error(`a native dialog appeared instead of "${title}": ${text}`);
    });
    await Promise.race([dialog.waitFor({ timeout: 15_000 }), native]);
    expect(await dialog.getAttribute('aria-modal')).toBe('true');
    return dialog;
  }
  /** The focused element, for messages. */
  const focused = (page: Page) => page.evaluate<string>('document.activeElement?.outerHTML.slice(0, 80) ?? "none"');
  const hasFocus = async (page: Page, loc: Locator) => (await loc.and(page.locator(':focus')).count()) === 1;
  const focusInside = async (loc: Locator) => (await loc.locator(':focus').count()) === 1;

  it('renames a design session (an empty name is refused in the dialog) and deletes it after Escape cancels once', async () => {
    const { page } = s;
    const api = localClient(s.ctx);
    const [stored] = await api['jominy.sessions.list']({});
    await page.getByRole('navigation').getByRole('button', { name: 'Jominy design' }).click();
    const table = page.getByTestId('session-table');
    const row = table.getByRole('row', { name: /^Session A/ });
    await row.waitFor();

    // Rename: the field takes focus with the old name, Tab stays inside, the app behind is inert.
    const renameButton = row.getByRole('button', { name: 'Rename' });
    await renameButton.click();
    let dialog = await appDialog(page, 'Rename design session');
    const field = dialog.getByLabel('New name of the session');
    expect(await field.inputValue()).toBe('Session A');
    await expect.poll(() => hasFocus(page, field)).toBe(true);
    for (let i = 0; i < 4; i++) {
      await page.keyboard.press('Tab');
      expect(await focusInside(dialog), `focus left the dialog: ${await focused(page)}`).toBe(true);
    }
    await page.keyboard.press('Shift+Tab');
    expect(await focusInside(dialog)).toBe(true);
    expect(await page.locator('.frame').getAttribute('inert')).not.toBeNull();

    // A whitespace-only name is refused with a message and nothing is sent.
    await field.fill('   ');
    await field.press('Enter');
    await dialog.getByRole('alert').getByText('New name of the session must not be empty.').waitFor();
    expect(await field.getAttribute('aria-invalid')).toBe('true');
    expect((await api['jominy.sessions.get']({ id: stored.id })).name).toBe('Session A');
    await page.screenshot({ path: join(TEST_OUTPUT, 'dialog-rename-refused.png') });

    // Enter in the field confirms; the name is stored trimmed and shown; focus returns to Rename.
    await field.fill('  Quench trial 7 ');
    await field.press('Enter');
    await dialog.waitFor({ state: 'detached' });
    await table.getByRole('row', { name: /^Quench trial 7/ }).waitFor();
    await expect.poll(async () => (await api['jominy.sessions.get']({ id: stored.id })).name).toBe('Quench trial 7');
    await expect.poll(() => hasFocus(page, table.getByRole('row', { name: /^Quench trial 7/ }).getByRole('button', { name: 'Rename' }))).toBe(true);
    expect(await page.locator('.frame').getAttribute('inert')).toBeNull();

    // Cancel in the rename dialog keeps the name.
    const renamed = table.getByRole('row', { name: /^Quench trial 7/ });
    await renamed.getByRole('button', { name: 'Rename' }).click();
    dialog = await appDialog(page, 'Rename design session');
    await dialog.getByLabel('New name of the session').fill('Not this');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect((await api['jominy.sessions.get']({ id: stored.id })).name).toBe('Quench trial 7');

    // Delete, Escape: the session stays.
    await renamed.getByRole('button', { name: 'Delete' }).click();
    dialog = await appDialog(page, 'Delete design session');
    await dialog.getByText('Delete this session and its results?').waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await api['jominy.sessions.list']({})).toHaveLength(1);
    expect(await renamed.count()).toBe(1);

    // Delete, Enter on the focused confirm button: the session is gone, in the list and in the store.
    await renamed.getByRole('button', { name: 'Delete' }).click();
    dialog = await appDialog(page, 'Delete design session');
    await expect.poll(() => hasFocus(page, dialog.getByRole('button', { name: 'Delete' }))).toBe(true);
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached' });
    await table.getByText('No sessions yet.').waitFor();
    expect(await api['jominy.sessions.list']({})).toHaveLength(0);
  });

  it('deletes a Jominy dataset through the app dialog after a cancel', async () => {
    const { page } = s;
    const api = localClient(s.ctx);
    await page.getByRole('tab', { name: 'Data' }).click();
    const table = page.getByTestId('dataset-table');
    const row = table.getByRole('row').filter({ has: page.getByRole('button', { name: 'Spare heats' }) });
    await row.waitFor();
    const before = await api['jominy.datasets.list']({});
    expect(before.map((d) => d.name)).toContain('Spare heats');

    await row.getByRole('button', { name: 'Delete' }).click();
    let dialog = await appDialog(page, 'Delete dataset');
    // A click beside the dialog neither closes it nor takes focus out of it; Escape still cancels.
    await page.mouse.click(5, 5);
    expect(await focusInside(dialog), `focus left the dialog: ${await focused(page)}`).toBe(true);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect((await api['jominy.datasets.list']({})).length).toBe(before.length);

    await row.getByRole('button', { name: 'Delete' }).click();
    dialog = await appDialog(page, 'Delete dataset');
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await dialog.waitFor({ state: 'detached' });
    await row.waitFor({ state: 'detached' });
    const after = await api['jominy.datasets.list']({});
    expect(after.map((d) => d.name)).toEqual(before.filter((d) => d.name !== 'Spare heats').map((d) => d.name));
  });

  it('deletes the predictor through the app dialog', async () => {
    const { page } = s;
    const api = localClient(s.ctx);
    await page.getByRole('tab', { name: 'Predictor' }).click();
    const del = page.getByRole('button', { name: 'Delete predictor' });
    await del.click();
    const dialog = await appDialog(page, 'Delete predictor');
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(async () => (await api['jominy.models.list']({})).length).toBe(0);
  });

  it('the built renderer calls no native dialog', () => {
    const dir = join(process.cwd(), 'dist', 'renderer', 'assets');
    const js = readdirSync(dir).filter((f) => f.endsWith('.js'));
    expect(js.length).toBeGreaterThan(0);
    const call = /(?<![\w$.])(?:(?:window|globalThis|self)\s*\.\s*)?(?:prompt|confirm|alert)\s*\(/;
    for (const f of js) expect(readFileSync(join(dir, f), 'utf8').match(call)?.[0] ?? null, f).toBeNull();
  });
});
