import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openApp, type E2eSession } from '../helpers/browser.js';
import { holdNext } from '../helpers/api-traffic.js';
import { RELOAD_GRACE_MS } from '../../core/server/launch-codes.js';

// Task 26-D: browser mode's page trades its one-time launch code for the session token. A reload that came after the
// server had answered that exchange but before the page had stored the answer left the page without a session for
// good: the code was spent and gone from the URL, so every call was refused. Fails before: the reloaded page never
// holds a token and the billet list never shows.

const BILLET = 'Heat 26D reload';
const tokenOf = (page: Page) => page.evaluate<string | null>(`sessionStorage.getItem('ferrolab-token')`);

describe('a reload during the launch-code exchange', () => {
  let s: E2eSession;
  beforeAll(async () => {
    s = await openApp();
    s.ctx.repos.billets.create({ name: BILLET, nominalDiameterMm: 150 });
  });
  afterAll(async () => {
    await s?.close();
  });

  it('keeps the session: the page reloaded while the exchange answer is held gets the token and lists the billets', async () => {
    const page = await s.context.newPage();
    try {
      // snapshot: the server answers the exchange at once (the code is spent there); the page gets nothing until release
      const held = await holdNext(page, 'session', { snapshot: true });
      await page.goto(s.server.launchUrl());
      await held.arrived;
      expect(await tokenOf(page)).toBeNull(); // the answer has not reached the page
      expect(page.url()).not.toContain('code='); // and the code is already out of the URL
      await page.reload(); // the held answer is never delivered to the reloaded page
      await expect.poll(() => tokenOf(page), { timeout: 30_000 }).toBe(s.server.token);
      await page.getByText(BILLET, { exact: true }).first().waitFor({ timeout: 30_000 }); // its calls are answered
    } finally {
      await page.close();
    }
  });

  it('keeps the session when the reload cancels the exchange and the old page still runs its failure handler', async () => {
    // Firefox and WebKit cancel an in-flight fetch when a reload starts, and the old page's rejection handler still
    // runs. Reproduced here: the server answers the exchange (the code is spent), the page's side is aborted (in
    // Chromium the page's catch runs then), and the reload comes once the old page has said it has no session. Fails
    // before: that catch removed the code and key, so the reloaded page had nothing to trade.
    const page = await s.context.newPage();
    try {
      let answered!: () => void;
      const served = new Promise<void>((r) => (answered = r));
      let first = true;
      await page.route('**/api/session', async (route) => {
        if (!first) return route.continue();
        first = false;
        const response = await route.fetch(); // the server spends the code and answers
        expect(response.status()).toBe(200);
        await route.abort(); // the page never gets it
        answered();
      });
      await page.goto(s.server.launchUrl());
      await served;
      await page.getByText('This page has no valid session', { exact: false }).first().waitFor({ timeout: 30_000 }); // its catch has run
      expect(await tokenOf(page)).toBeNull();
      await page.reload();
      await expect.poll(() => tokenOf(page), { timeout: 30_000 }).toBe(s.server.token);
      await page.getByText(BILLET, { exact: true }).first().waitFor({ timeout: 30_000 });
      expect(await page.evaluate<string | null>(`sessionStorage.getItem('ferrolab-launch')`)).toBeNull(); // removed once answered
    } finally {
      await page.close();
    }
  });

  it('another page opened with a code already exchanged is refused, even within the reload grace, and says so', async () => {
    const url = s.server.launchUrl();
    const first = await s.context.newPage();
    const second = await s.context.newPage();
    try {
      await first.goto(url);
      await expect.poll(() => tokenOf(first), { timeout: 30_000 }).toBe(s.server.token);
      const exchanged = Date.now();
      const answer = second.waitForResponse('**/api/session');
      await second.goto(url);
      const refused = await answer;
      expect(refused.status()).toBe(403);
      expect(await refused.text()).not.toContain(s.server.token);
      expect(Date.now() - exchanged).toBeLessThan(RELOAD_GRACE_MS); // the grace was open: only its page key refused it
      await second.getByText('This link was already used or has expired', { exact: false }).first().waitFor({ timeout: 30_000 });
      expect(await tokenOf(second)).toBeNull();
      // the first page's session is untouched
      await first.reload();
      await first.getByText(BILLET, { exact: true }).first().waitFor({ timeout: 30_000 });
      expect(await tokenOf(first)).toBe(s.server.token);
    } finally {
      await first.close();
      await second.close();
    }
  });
});
