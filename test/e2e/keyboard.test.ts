import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openApp, type E2eSession } from '../helpers/browser.js';
import { jobResult } from '../helpers/job-result.js';
import { localClient } from '../../core/app/dispatch.js';
import { createPointsRepo } from '../../core/store/repos/points-repo.js';
import { createModelsRepo } from '../../core/store/repos/models-repo.js';

/**
 * The main flows with the keyboard alone (issue 15): annotate a billet, run a training, run a design — Tab,
 * Shift+Tab, Enter, Space, arrow keys and the Alt+N view shortcuts, never a mouse event. Every control the Tab key
 * reaches on the way must show its focus (a non-empty :focus-visible outline or shadow); the test collects the
 * ones that do not and fails naming them. The data (demo billet, Jominy predictor) come through the contract:
 * loading them is not the flow under test.
 */

interface Focused {
  tag: string;
  testid: string | null;
  label: string;
  dataLabel: string | null;
  ring: boolean;
}

/** What has the focus, by the names a user sees, and whether it shows a focus ring (run in the page). */
const FOCUSED_JS = `(() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const css = getComputedStyle(el);
  const outline = css.outlineStyle !== 'none' && parseFloat(css.outlineWidth) > 0;
  const shadow = css.boxShadow !== 'none' && css.boxShadow !== '';
  const labelled = (el.labels && el.labels[0] && el.labels[0].textContent) || '';
  return {
    tag: el.tagName.toLowerCase(),
    testid: el.getAttribute('data-testid'),
    label: (el.getAttribute('aria-label') || labelled || el.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 80),
    dataLabel: el.getAttribute('data-label'),
    ring: el.matches(':focus-visible') && (outline || shadow),
  };
})()`;
const focused = (page: Page): Promise<Focused | null> => page.evaluate<Focused | null>(FOCUSED_JS);

describe('keyboard-only main flows', () => {
  let s: E2eSession;
  let billetId = 0;
  /** Controls the Tab key reached that showed no focus ring. */
  const noRing = new Set<string>();
  /** Every control the Tab key reached (with a ring or not). */
  const reached = new Set<string>();

  /** Presses Tab (Shift+Tab with back) until the focused control matches; fails after `max` presses. */
  async function tabTo(match: (f: Focused) => boolean, what: string, back = false, max = 250): Promise<void> {
    const seen: string[] = [];
    for (let i = 0; i < max; i++) {
      await s.page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
      const f = await focused(s.page);
      if (!f) continue;
      const name = `${f.tag}[${f.testid ?? f.label}]`;
      reached.add(name);
      if (!seen.includes(name)) seen.push(name);
      if (!f.ring) noRing.add(name);
      if (match(f)) return;
    }
    throw new Error(`${what} is not reachable with ${back ? 'Shift+Tab' : 'Tab'} (${max} presses; reached ${seen.join(', ')})`);
  }
  /** Replaces a focused field's text by typing (select all, then the value). */
  async function typeInto(value: string): Promise<void> {
    await s.page.keyboard.press('Control+a');
    await s.page.keyboard.type(value);
  }
  const heading = () => s.page.getByRole('heading', { level: 1 }).first().textContent();

  beforeAll(async () => {
    s = await openApp();
    const api = localClient(s.ctx);
    const demo = await api['billets.loadDemo']({ seed: 7, variant: 'base', sizePx: 1000 });
    const ds = await api['jominy.datasets.synth']({ n: 150, seed: 12 });
    const train = await api['jominy.models.train']({ datasetId: ds.id, seed: 2, maxHidden: 2, epochs: 25 });
    for (const job of [demo, train]) await jobResult(s.ctx, job.id);
    billetId = s.ctx.repos.billets.list()[0].id;
    await s.page.reload();
    await s.page.getByRole('navigation').waitFor();
  }, 300_000);
  afterAll(async () => {
    await s?.close();
  });

  it('annotates: selects a point from the table, moves it with Shift+arrows, adds one at the view centre', async () => {
    const { page } = s;
    const repo = () => createPointsRepo(s.ctx.db);
    await page.keyboard.press('Alt+2');
    await expect.poll(heading).toBe('Annotate');
    // the billet picker, then its first point's reading cell (focusing a row selects its point)
    await tabTo((f) => f.tag === 'select' && f.label === 'Billet', 'the billet picker');
    if ((await page.getByLabel('Billet', { exact: true }).inputValue()) !== String(billetId)) await page.keyboard.press('ArrowDown');
    await expect.poll(() => page.getByTestId('point').count(), { timeout: 60_000 }).toBe(85);
    await tabTo((f) => f.dataLabel === 'P01', "P01's reading cell");
    const before = repo().get(billetId, 'P01');
    // back to the section viewer; Shift+→ three times moves the selected point 3 mm right
    await tabTo((f) => f.testid === 'section-viewer', 'the section viewer', true);
    for (let i = 1; i <= 3; i++) {
      await page.keyboard.press('Shift+ArrowRight');
      await expect.poll(() => repo().get(billetId, 'P01').xMm).toBeCloseTo(before.xMm + i, 1);
    }
    // (a nudge keeps 0.01 mm)
    await expect.poll(() => repo().get(billetId, 'P01').xMm).toBeCloseTo(before.xMm + 3, 1);
    // three quick presses, not waiting for the store between them, are three moves: each nudge starts from the
    // position the previous one stored (a nudge computed from the page's old position moved it 1 mm, not 3)
    for (let i = 0; i < 3; i++) await page.keyboard.press('Shift+ArrowLeft');
    await expect.poll(() => repo().get(billetId, 'P01').xMm).toBeCloseTo(before.xMm, 1);
    expect(repo().get(billetId, 'P01').yMm).toBeCloseTo(before.yMm, 1);
    // A: add mode (an aim mark at the middle of the view), Enter adds a point there — the section's centre after 0 (fit)
    await page.keyboard.press('0');
    await page.keyboard.press('a');
    await page.getByTestId('viewer-aim').waitFor();
    await page.keyboard.press('Enter');
    await expect.poll(() => repo().list(billetId).length).toBe(86);
    const added = repo().get(billetId, 'P86');
    expect(Math.hypot(added.xMm, added.yMm)).toBeLessThan(20);
    await expect.poll(() => page.getByTestId('point').count()).toBe(86); // the page has the new point too
    // the new point's reading cell has the focus, ready for its reading; Esc leaves add mode
    await expect.poll(async () => (await focused(page))?.dataLabel).toBe('P86');
    await page.keyboard.press('Escape');
    // the toolbar's Undo takes the addition back (Ctrl+Z in a text field is the field's own undo)
    await tabTo((f) => f.tag === 'button' && f.label === 'Undo', 'Undo', true);
    await page.keyboard.press('Enter');
    await expect.poll(() => repo().list(billetId).length).toBe(85);
  }, 180_000);

  it('trains a CNN: chooses the demo billet, a tiny compact preset, and starts it with Enter', async () => {
    const { page } = s;
    await page.keyboard.press('Alt+3');
    await expect.poll(heading).toContain('carbon CNN');
    await tabTo((f) => f.tag === 'input' && /Demo billet/.test(f.label), 'the demo billet checkbox');
    const demo = page.getByRole('checkbox', { name: /Demo billet/ });
    if (!(await demo.isChecked())) await page.keyboard.press('Space');
    expect(await demo.isChecked()).toBe(true);
    await tabTo((f) => f.tag === 'select' && f.label.startsWith('Preset'), 'the preset');
    await page.keyboard.type('compact'); // a closed select takes the typed option
    await expect.poll(() => page.getByLabel('Preset').inputValue()).toBe('compact');
    await tabTo((f) => f.label.startsWith('Input (px)'), 'the input size');
    await typeInto('32');
    await tabTo((f) => f.label.startsWith('Epochs'), 'the epochs');
    await typeInto('2');
    await tabTo((f) => f.label.startsWith('Splits (k)'), 'the splits');
    await typeInto('2');
    await tabTo((f) => f.testid === 'train-workers', 'the workers');
    await typeInto('1');
    await tabTo((f) => f.tag === 'button' && f.label === 'Start training', 'Start training');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('train-status').textContent(), { timeout: 480_000 }).toMatch(/^\s*done\s*$/);
    const models = createModelsRepo(s.ctx.db).list('carbon-cnn');
    expect(models).toHaveLength(1);
    expect((models[0].hyper as { epochs: number }).epochs).toBe(2);
  }, 600_000);

  it('runs a JoMiner design: the Design tab, a small population, Enter on Run', async () => {
    const { page } = s;
    await page.keyboard.press('Alt+5');
    await expect.poll(heading).toContain('Jominy');
    await tabTo((f) => f.label === 'Design', 'the Design tab');
    await page.keyboard.press('Enter');
    await tabTo((f) => f.testid === 'ga-pop', 'the population');
    await typeInto('20');
    await tabTo((f) => f.testid === 'ga-gens', 'the generations');
    await typeInto('15');
    await tabTo((f) => f.testid === 'run-design', 'Run design');
    await page.keyboard.press('Enter');
    const results = page.getByTestId('design-results');
    await results.waitFor({ timeout: 120_000 });
    await expect.poll(() => results.locator('tbody tr').count()).toBeGreaterThan(0);
    const sessions = await localClient(s.ctx)['jominy.sessions.list']({});
    expect(sessions).toHaveLength(1);
    const session = await localClient(s.ctx)['jominy.sessions.get']({ id: sessions[0].id });
    expect(session.settings.ga).toMatchObject({ population: 20, generations: 15 });
  }, 240_000);

  it('every control the Tab key reached showed its focus', () => {
    expect(reached.size).toBeGreaterThan(20); // the three flows crossed many controls
    expect([...noRing]).toEqual([]);
  });
});
