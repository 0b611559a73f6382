import { describe, expect, it } from 'vitest';
import { appPerFile, loadDemoBillet, navButton } from '../helpers/browser.js';
import { apiCalls, failNext, holdNext, logApiCalls, readsBy } from '../helpers/api-traffic.js';
import { localClient } from '../../core/app/dispatch.js';
import { createPointsRepo } from '../../core/store/repos/points-repo.js';

/**
 * Annotate's very first read of a billet's points, answered before another client changed them and landing after
 * the change's notice: the view used to drop notices until its first points were on screen, and so showed the points
 * from before the change for good. The answer is held at the network (holdNext, snapshot) and what the page has sent
 * and read is read from the page (logApiCalls), never waited for by time.
 */
describe('Annotate: an outside change during the first load', () => {
  const s = appPerFile();

  /** The billet's points as the store holds them, as the point layer draws them. */
  const storedAt = (billetId: number, label: string) => {
    const p = createPointsRepo(s.ctx.db).get(billetId, label);
    return `translate(${p.xMm} ${p.yMm})`;
  };
  const marker = (label: string) => s.page.locator(`[data-testid="point"][data-label="${label}"]`);
  /** Opens the billet in Annotate from a fresh page with its first points read held at the network, answered. */
  const openWithFirstPointsHeld = async (billetId: number) => {
    const { page } = s;
    await page.reload();
    await logApiCalls(page);
    const first = await holdNext(page, 'points.list', { match: (a) => a.billetId === billetId, snapshot: true });
    await navButton(page, 'Annotate').click();
    await page.getByLabel('Billet', { exact: true }).selectOption(String(billetId));
    await first.arrived;
    return first;
  };

  it('says "Loading…" while the first points are on their way: no points drawn (not the billet shown before) and no "0 points"; then the points (task 25-C)', async () => {
    const { page } = s;
    const other = localClient(s.ctx);
    const before = await loadDemoBillet(s, { seed: 31, sizePx: 400 });
    const billetId = await loadDemoBillet(s, { seed: 37, sizePx: 400 });
    // the second billet's P30 elsewhere than the first's: a stale marker of the billet shown before would be told apart
    await other['points.move']({ billetId, label: 'P30', xMm: 10.5, yMm: -20.25 });
    const stored = createPointsRepo(s.ctx.db).list(billetId).length;
    await page.reload();
    await navButton(page, 'Annotate').click();
    await page.getByLabel('Billet', { exact: true }).selectOption(String(before));
    await expect.poll(() => marker('P30').getAttribute('transform').catch(() => null)).toBe(storedAt(before, 'P30'));
    const loading = page.getByText('Loading…', { exact: true });
    expect(await loading.count()).toBe(0);
    const first = await holdNext(page, 'points.list', { match: (a) => a.billetId === billetId });
    await page.getByLabel('Billet', { exact: true }).selectOption(String(billetId));
    await first.arrived;
    await expect.poll(() => loading.count()).toBe(1);
    // neither the points of the billet shown before nor an empty billet's summary ("0 points") while it waits
    expect(await page.locator('[data-testid="point"]').count()).toBe(0);
    expect(await page.getByTestId('annotate-status').count()).toBe(0);
    expect(await page.getByTestId('readings-table').count()).toBe(0);
    await first.release();
    await expect.poll(() => page.locator('[data-testid="point"]').count()).toBe(stored);
    expect(await marker('P30').getAttribute('transform')).toBe('translate(10.5 -20.25)');
    expect(await loading.count()).toBe(0);
    expect(await page.getByTestId('annotate-status').textContent()).toContain(`${stored} points`);
    // a first read that fails ends "Loading…": the error is shown, not a view waiting for good
    const failed = await failNext(page, 'points.list', 'the store could not be read', (a) => a.billetId === before);
    await page.getByLabel('Billet', { exact: true }).selectOption(String(before));
    await failed.answered;
    await expect.poll(() => page.getByRole('alert').filter({ hasText: 'the store could not be read' }).count()).toBe(1);
    await expect.poll(() => loading.count()).toBe(0);
    expect(await page.locator('[data-testid="point"]').count()).toBe(0);
  });

  it('a point moved by another client while the first points were on their way ends on screen where it is stored', async () => {
    const { page } = s;
    const other = localClient(s.ctx); // as the CLI or another window: only its data-changed event reaches the page
    const billetId = await loadDemoBillet(s, { seed: 19, sizePx: 400 });
    const at = (label: string) => storedAt(billetId, label);
    const before = at('P30');
    const first = await openWithFirstPointsHeld(billetId); // answered with P30 where it was
    await other['points.move']({ billetId, label: 'P30', xMm: 10.5, yMm: -20.25 });
    const moved = at('P30');
    expect(moved).toBe('translate(10.5 -20.25)');
    expect(moved).not.toBe(before);
    // Events reach the page in order on one stream: once a later billet event has made the page re-read the billet
    // list, the page has handled the points event before it.
    const listsBefore = (await apiCalls(page, 'billets.list')).length;
    await other['billets.update']({ id: billetId, name: 'renamed after the move' });
    await expect.poll(async () => (await apiCalls(page, 'billets.list')).length).toBeGreaterThan(listsBefore);
    await first.release();
    await expect.poll(async () => (await apiCalls(page, 'points.list')).every((c) => c.read)).toBe(true);
    await expect.poll(() => marker('P31').count()).toBe(1);
    // the first read's answer, from before the move, landing after its notice, left P30 where it was
    expect(await marker('P30').getAttribute('transform')).toBe(moved);
    // read again on the move's notice, the first answer made stale
    expect(await readsBy(page, 'points.list', 'billetId')).toEqual([
      [billetId, true],
      [billetId, true],
    ]);
  });


  it('points re-read on an outside change while the section image is still on its way: the image landing last does not bring the first points back', async () => {
    const { page } = s;
    const other = localClient(s.ctx);
    const billetId = await loadDemoBillet(s, { seed: 23, sizePx: 400 });
    await page.reload();
    await logApiCalls(page);
    // the image read waits at the network; the first points read is answered and applied meanwhile
    const image = await holdNext(page, 'images.forBillet', { match: (a) => a.billetId === billetId });
    await navButton(page, 'Annotate').click();
    await page.getByLabel('Billet', { exact: true }).selectOption(String(billetId));
    await image.arrived;
    await expect.poll(async () => (await apiCalls(page, 'points.list')).map((c) => c.read)).toEqual([true]);
    await other['points.move']({ billetId, label: 'P30', xMm: -7.5, yMm: 12.25 });
    const moved = storedAt(billetId, 'P30');
    expect(moved).toBe('translate(-7.5 12.25)');
    // the move's notice re-reads the points, and that answer is on screen
    await expect.poll(async () => (await apiCalls(page, 'points.list')).map((c) => c.read)).toEqual([true, true]);
    await expect.poll(() => marker('P30').getAttribute('transform')).toBe(moved);
    await image.release();
    await expect.poll(async () => (await apiCalls(page, 'images.forBillet')).every((c) => c.read)).toBe(true);
    // the image is on screen (the load's last piece applied), and the points are still the re-read ones
    await expect.poll(() => page.getByTestId('image-file').locator('xpath=..').textContent()).toContain('Replace');
    expect(await marker('P30').getAttribute('transform')).toBe(moved);
  });

  it('the re-read on an outside change fails during the first load: the first answer is shown, with the error, not an empty view', async () => {
    const { page } = s;
    const other = localClient(s.ctx);
    const billetId = await loadDemoBillet(s, { seed: 29, sizePx: 400 });
    const before = storedAt(billetId, 'P30');
    const first = await openWithFirstPointsHeld(billetId); // answered with P30 where it was
    // routed after the first is held (the route added last is asked first): the next points read fails
    const reread = await failNext(page, 'points.list', 'the store could not be read', (a) => a.billetId === billetId);
    await other['points.move']({ billetId, label: 'P30', xMm: 3.5, yMm: 4.5 });
    await reread.answered;
    await expect.poll(async () => (await apiCalls(page, 'points.list')).map((c) => c.read)).toEqual([false, true]);
    await expect.poll(() => page.getByRole('alert').filter({ hasText: 'the store could not be read' }).count()).toBe(1);
    await first.release();
    await expect.poll(async () => (await apiCalls(page, 'points.list')).every((c) => c.read)).toBe(true);
    // the last good answer (from before the move) is on screen, every point of it, and the error stays shown
    await expect.poll(() => marker('P30').count()).toBe(1);
    expect(await marker('P30').getAttribute('transform')).toBe(before);
    expect(await page.locator('[data-testid="point"]').count()).toBe(createPointsRepo(s.ctx.db).list(billetId).length);
    expect(await page.getByRole('alert').filter({ hasText: 'the store could not be read' }).count()).toBe(1);
  });
  it('A → B → A: the first A load\'s answer landing does not end "Loading…" while the second A load\'s read is on its way (task 25-E)', async () => {
    const { page } = s;
    const other = localClient(s.ctx);
    const a = await loadDemoBillet(s, { seed: 41, sizePx: 400 });
    const b = await loadDemoBillet(s, { seed: 43, sizePx: 400 });
    const firstA = await openWithFirstPointsHeld(a);
    await page.getByLabel('Billet', { exact: true }).selectOption(String(b));
    await expect.poll(() => page.locator('[data-testid="point"]').count()).toBe(createPointsRepo(s.ctx.db).list(b).length);
    const secondA = await holdNext(page, 'points.list', { match: (x) => x.billetId === a });
    await page.getByLabel('Billet', { exact: true }).selectOption(String(a));
    await secondA.arrived;
    const loading = page.getByText('Loading…', { exact: true });
    await expect.poll(() => loading.count()).toBe(1);
    // the first A load's answer lands (stale: another billet was shown since); then a re-read on an outside change fails
    await firstA.release();
    await expect.poll(async () => (await readsBy(page, 'points.list', 'billetId'))[0]).toEqual([a, true]);
    const reread = await failNext(page, 'points.list', 'the store could not be read', (x) => x.billetId === a);
    await other['points.move']({ billetId: a, label: 'P30', xMm: 3.5, yMm: 4.5 });
    await reread.answered;
    await expect.poll(() => page.getByRole('alert').filter({ hasText: 'the store could not be read' }).count()).toBe(1);
    // fails before: one flag for every load, cleared by the first A answer, so the failed re-read ended "Loading…" and
    // showed an empty view while the second A read was still on its way
    expect(await loading.count()).toBe(1);
    expect(await page.getByTestId('annotate-status').count()).toBe(0);
    await secondA.release();
    await expect.poll(() => page.locator('[data-testid="point"]').count()).toBe(createPointsRepo(s.ctx.db).list(a).length);
    expect(await loading.count()).toBe(0);
  });
});
