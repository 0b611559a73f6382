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
  it('the window main.ts opens isolates and sandboxes the renderer without Node, after the security policy is in place', async () => {
    // Start the real electron/main/main.ts against a recording Electron; the data folder and IPC are stubbed.
    const calls: string[] = [];
    const windows: { options: { webPreferences?: Record<string, unknown> }; loaded: string[] }[] = [];
    class FakeWindow {
      static getAllWindows = () => [];
      loaded: string[] = [];
      constructor(options: { webPreferences?: Record<string, unknown> }) {
        calls.push('new BrowserWindow');
        windows.push({ options, loaded: this.loaded });
      }
      once() {}
      on() {}
      loadURL(url: string) {
        this.loaded.push(url);
        return Promise.resolve();
      }
    }
    let ready!: () => void;
    const whenReady = new Promise<void>((r) => (ready = r));
    const noop = () => undefined;
    vi.resetModules();
    vi.doMock('electron', () => ({
      app: { on: noop, once: noop, quit: noop, whenReady: () => whenReady, requestSingleInstanceLock: () => true, getPath: () => '/nonexistent', isReady: () => true },
      BrowserWindow: FakeWindow,
      dialog: { showErrorBox: noop, showMessageBox: noop },
      ipcMain: { handle: noop, on: noop },
      // the application menu (electron/main/app-menu.ts)
      Menu: { buildFromTemplate: () => ({}), setApplicationMenu: () => calls.push('setApplicationMenu') },
      net: {},
      protocol: { registerSchemesAsPrivileged: noop, handle: noop },
      session: {
        defaultSession: {
          setPermissionRequestHandler: () => calls.push('setPermissionRequestHandler'),
          setPermissionCheckHandler: () => calls.push('setPermissionCheckHandler'),
        },
      },
    }));
    const { dir, cleanup } = (await import('../../helpers/temp.js')).tempDir();
    // the desktop app starts the background read of pre-024 sections' resolution tags once its window is made
    let sweeps = 0;
    vi.doMock('../../../core/app/context.js', () => ({ createAppContext: () => ({ paths: { root: dir }, close: async () => undefined, sweepSectionTags: async () => void sweeps++ }) }));
    vi.doMock('../../../electron/main/ipc.js', () => ({ registerIpc: () => () => undefined }));
    const env = process.env.FERROLAB_DATA;
    process.env.FERROLAB_DATA = dir;
    try {
      await import('../../../electron/main/main.js');
      ready();
      await whenReady;
      await new Promise((r) => setImmediate(r));
    } finally {
      if (env === undefined) delete process.env.FERROLAB_DATA;
      else process.env.FERROLAB_DATA = env;
      vi.doUnmock('electron');
      vi.doUnmock('../../../core/app/context.js');
      vi.doUnmock('../../../electron/main/ipc.js');
      vi.resetModules();
      cleanup();
    }
    expect(windows).toHaveLength(1);
    expect(sweeps).toBe(1);
    const prefs = windows[0].options.webPreferences!;
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
    });
    expect(String(prefs.preload)).toMatch(/[/\\]dist[/\\]electron[/\\]preload[/\\]preload\.cjs$/);
    expect(prefs).toEqual(secureWebPreferences(String(prefs.preload)));
    expect(windows[0].loaded).toEqual(['app://ferrolab/index.html']);
    // Permissions are denied before the first window exists.
    expect(calls.indexOf('setPermissionRequestHandler')).toBeGreaterThanOrEqual(0);
    expect(calls.indexOf('setPermissionRequestHandler')).toBeLessThan(calls.indexOf('new BrowserWindow'));
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
