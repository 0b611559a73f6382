import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

// Records what the browser launcher would be started with: its argv is world-readable in /proc.
const spawned = vi.hoisted(() => [] as { cmd: string; args: string[] }[]);
vi.mock('node:child_process', async (orig) => ({
  ...(await orig<typeof import('node:child_process')>()),
  spawn: (cmd: string, args: string[]) => {
    spawned.push({ cmd, args });
    return { on: () => undefined, unref: () => undefined };
  },
}));

import { startServer, type RunningServer } from '../../../core/server/http-server.js';
import { openServerInBrowser } from '../../../core/server/open-browser.js';
import { LaunchCodes, RELOAD_GRACE_MS } from '../../../core/server/launch-codes.js';
import { tempContext } from '../../helpers/temp.js';

describe('handing the session to the browser', () => {
  let ctx: ReturnType<typeof tempContext>;
  let server: RunningServer;
  let base: string;
  beforeAll(async () => {
    ctx = tempContext('browser');
    server = await startServer(ctx);
    base = `http://127.0.0.1:${server.port}`;
  });
  afterAll(async () => {
    await server.close();
    await ctx.dispose();
  });

  const exchange = (code: string, headers: Record<string, string> = {}, page?: string) =>
    fetch(`${base}/api/session`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify({ code, page }) });

  it('opens the browser with a one-time code, never the token, and the code works once', async () => {
    openServerInBrowser(server);
    expect(spawned).toHaveLength(1);
    const argv = [spawned[0].cmd, ...spawned[0].args].join(' ');
    expect(argv).not.toContain(server.token);
    const code = /#code=([a-f0-9]{32})/.exec(argv)![1];

    const first = await exchange(code);
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ ok: true, value: { token: server.token } });
    const cookie = first.headers.get('set-cookie')!;
    expect(cookie).toMatch(new RegExp(`^ferrolab_files_${server.port}=[a-f0-9]{48}; HttpOnly; SameSite=Strict; Path=/$`));
    expect(cookie).not.toContain(server.token);

    // Someone who read the code off /proc afterwards gets nothing.
    const again = await exchange(code);
    expect(again.status).toBe(403);
    expect(again.headers.get('set-cookie')).toBeNull();
    expect(await again.text()).not.toContain(server.token);
  });

  it('refuses expired, unknown and cross-origin exchanges', async () => {
    expect((await exchange(server.launchUrl(-1).split('#code=')[1])).status).toBe(403);
    expect((await exchange('0'.repeat(32))).status).toBe(403);
    const code = server.launchUrl().split('#code=')[1];
    expect((await exchange(code, { Origin: 'http://evil.example' })).status).toBe(403);
    expect((await exchange(code)).status).toBe(200); // the refused cross-origin try did not burn it
  });

  it('the session cookie reads files and events but can never call a method', async () => {
    const code = server.launchUrl().split('#code=')[1];
    const cookie = (await exchange(code)).headers.get('set-cookie')!.split(';')[0];
    const { mkdirSync, writeFileSync } = await import('node:fs');
    mkdirSync(`${ctx.paths.images}/h`, { recursive: true });
    writeFileSync(`${ctx.paths.images}/h/t.png`, 'tile');
    const img = await fetch(`${base}/files/images/h/t.png`, { headers: { Cookie: cookie } });
    expect(img.status).toBe(200);
    expect(await img.text()).toBe('tile');
    expect((await fetch(`${base}/files/images/h/t.png`)).status).toBe(403);
    const events = await fetch(`${base}/api/events`, { headers: { Cookie: cookie } });
    expect(events.status).toBe(200);
    await events.body?.cancel();
    const call = await fetch(`${base}/api/billets.create`, { method: 'POST', headers: { Cookie: cookie, 'Content-Type': 'application/json' }, body: '{"name":"csrf","nominalDiameterMm":600}' });
    expect(call.status).toBe(403);
    expect(ctx.repos.billets.list()).toHaveLength(0);
  });

  // Task 26-D: a reload between the exchange and the page storing its answer. Fails before: the second exchange of the
  // page's own code, with its key, was refused.
  it('the same page (its key) may exchange its code again for a few seconds; another process replaying the code may not', async () => {
    const code = server.launchUrl().split('#code=')[1];
    const key = 'a1'.repeat(16);
    expect((await exchange(code, {}, key)).status).toBe(200); // the answer the reload lost
    const again = await exchange(code, {}, key);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ ok: true, value: { token: server.token } });
    expect(again.headers.get('set-cookie')).toMatch(new RegExp(`^ferrolab_files_${server.port}=`));
    // the replay from /proc knows the code, not the page's key
    for (const other of [undefined, 'b2'.repeat(16), key.toUpperCase(), `${key}0`]) {
      const r = await exchange(code, {}, other);
      expect([other, r.status]).toEqual([other, 403]);
      expect(await r.text()).not.toContain(server.token);
    }
  });

  it('the reload grace: only for the key that made the first exchange, only within RELOAD_GRACE_MS, never for a keyless exchange', () => {
    let now = 1000;
    const codes = new LaunchCodes(() => now);
    const key = 'c3'.repeat(16);
    const a = codes.mint(60_000);
    expect(codes.redeem(a, key)).toBe(true);
    expect(codes.redeem(a, 'd4'.repeat(16))).toBe(false);
    expect(codes.redeem(a)).toBe(false);
    now += RELOAD_GRACE_MS - 1;
    expect(codes.redeem(a, key)).toBe(true);
    now += 1;
    expect(codes.redeem(a, key)).toBe(false); // dead for everyone after the grace
    // a first exchange without a key (or with a malformed one) leaves no grace to anyone
    for (const first of [undefined, 'short', 'e5'.repeat(16).toUpperCase()]) {
      const b = codes.mint(60_000);
      expect(codes.redeem(b, first)).toBe(true);
      expect(codes.redeem(b, first)).toBe(false);
    }
    // an expired code is not revived by a key
    const c = codes.mint(10);
    now += 10;
    expect(codes.redeem(c, key)).toBe(false);
    expect(codes.redeem(c, key)).toBe(false);
  });

  it('a launch code dies after its time to live even unused', () => {
    let now = 1000;
    const codes = new LaunchCodes(() => now);
    const a = codes.mint(100);
    const b = codes.mint(100);
    now = 1099;
    expect(codes.redeem(a)).toBe(true);
    expect(codes.redeem(a)).toBe(false);
    now = 1100;
    expect(codes.redeem(b)).toBe(false);
  });
});
