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
});
