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
}));

import { applySecurityPolicy, secureWebPreferences } from '../../../electron/main/security.js';
import { isAppUrl } from '../../../electron/main/origin.js';
import { readFileSync } from 'node:fs';

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
    vi.doMock('../../../core/app/context.js', () => ({ createAppContext: () => ({ paths: { root: dir }, close: async () => undefined }) }));
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
});
