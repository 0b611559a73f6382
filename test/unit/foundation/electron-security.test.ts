import { describe, expect, it, vi } from 'vitest';

const recorded = vi.hoisted(() => ({
  permission: null as null | ((wc: unknown, perm: string, cb: (ok: boolean) => void) => void),
  created: null as null | ((e: unknown, wc: unknown) => void),
}));

vi.mock('electron', () => ({
  app: { on: (ev: string, fn: (e: unknown, wc: unknown) => void) => { if (ev === 'web-contents-created') recorded.created = fn; } },
  session: {
    defaultSession: {
      setPermissionRequestHandler: (fn: typeof recorded.permission) => (recorded.permission = fn),
      setPermissionCheckHandler: () => undefined,
    },
  },
  net: {},
  protocol: {},
}));

import { applySecurityPolicy, secureWebPreferences } from '../../../electron/main/security.js';
import { isAppUrl } from '../../../electron/main/origin.js';
import { appFileFor } from '../../../electron/main/protocol.js';
import { mkdirSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../../helpers/temp.js';

describe('Electron security settings', () => {
  it('window preferences isolate and sandbox the renderer without Node', () => {
    expect(secureWebPreferences('/p.cjs')).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
    });
  });

  it('denies permissions, navigation away from app://ferrolab, new windows and webviews', () => {
    applySecurityPolicy();
    let granted: boolean | null = null;
    recorded.permission!(null, 'media', (ok) => (granted = ok));
    expect(granted).toBe(false);

    const listeners = new Map<string, (e: { preventDefault: () => void }, url?: string) => void>();
    let openHandler: (() => { action: string }) | null = null;
    const wc = {
      on: (ev: string, fn: (e: { preventDefault: () => void }, url?: string) => void) => listeners.set(ev, fn),
      setWindowOpenHandler: (fn: () => { action: string }) => (openHandler = fn),
    };
    recorded.created!({}, wc);
    const navigate = (url: string) => {
      let prevented = false;
      listeners.get('will-navigate')!({ preventDefault: () => (prevented = true) }, url);
      return prevented;
    };
    expect(navigate('https://example.com/')).toBe(true);
    expect(navigate('app://ferrolab.example.com/')).toBe(true);
    expect(navigate('app://ferrolab/index.html#maps')).toBe(false);
    expect(openHandler!()).toEqual({ action: 'deny' });
    let webviewPrevented = false;
    listeners.get('will-attach-webview')!({ preventDefault: () => (webviewPrevented = true) });
    expect(webviewPrevented).toBe(true);
    expect(isAppUrl('not a url')).toBe(false);
  });

  it('the renderer page carries a strict CSP without remote sources or eval', () => {
    const html = readFileSync('renderer/index.html', 'utf8');
    const csp = /Content-Security-Policy" content="([^"]+)"/.exec(html)![1];
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval'");
    expect(csp).not.toMatch(/'unsafe-eval'|https?:|\*/);
  });

  it('app:// goes through the same path guard as the server: no escape by %2f, dots, backslash, NUL or symlink', () => {
    const t = tempDir();
    const data = join(t.dir, 'data');
    const renderer = join(t.dir, 'renderer');
    mkdirSync(join(data, 'images', 'abc'), { recursive: true });
    mkdirSync(renderer);
    writeFileSync(join(data, 'ferrolab.sqlite'), 'SQLite format 3');
    writeFileSync(join(data, 'images', 'abc', 'thumb.png'), 'png');
    writeFileSync(join(renderer, 'index.html'), '<html>');
    symlinkSync('/etc/passwd', join(data, 'images', 'passwd.png'));
    symlinkSync(join(data, 'ferrolab.sqlite'), join(data, 'images', 'db.png'));
    const at = (path: string) => appFileFor(`app://ferrolab${path}`, renderer, data);
    expect(at('/files/images/abc/thumb.png')).toEqual({ ok: true, file: realpathSync(join(data, 'images', 'abc', 'thumb.png')) });
    expect(at('/')).toEqual({ ok: true, file: realpathSync(join(renderer, 'index.html')) });
    for (const [path, status] of [
      ['/files/images%2f..%2fferrolab.sqlite', 404],
      ['/files/images/%2e%2e/ferrolab.sqlite', 404],
      ['/files/images/..%5cferrolab.sqlite', 400],
      ['/files/images/%00.png', 400],
      ['/files/images/%zz', 400],
      ['/files/images/%252e%252e/ferrolab.sqlite', 404],
      ['/files/images/passwd.png', 404],
      ['/files/images/db.png', 404],
      ['/files/ferrolab.sqlite', 404],
      ['/..%2fdata%2fferrolab.sqlite', 404],
    ] as const) {
      expect([path, at(path)]).toEqual([path, { ok: false, status, reason: expect.any(String) }]);
    }
    expect(appFileFor('app://ferrolab.evil/index.html', renderer, data)).toMatchObject({ ok: false, status: 404 });
    t.cleanup();
  });
});
