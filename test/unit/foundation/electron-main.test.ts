import { beforeEach, describe, expect, it, vi } from 'vitest';

// A stand-in for Electron's main-process API (its binary is not installed here): records what main.ts does.
const e = vi.hoisted(() => {
  const state = {
    lock: true,
    calls: [] as string[],
    handlers: new Map<string, (...a: unknown[]) => void>(),
    windows: [] as { minimized: boolean; calls: string[] }[],
    contexts: 0,
  };
  return state;
});

vi.mock('electron', () => {
  class BrowserWindow {
    static getAllWindows = () =>
      e.windows.map((w) => ({
        isMinimized: () => w.minimized,
        restore: () => w.calls.push('restore'),
        show: () => w.calls.push('show'),
        focus: () => w.calls.push('focus'),
      }));
  }
  return {
    app: {
      requestSingleInstanceLock: () => {
        e.calls.push('requestSingleInstanceLock');
        return e.lock;
      },
      quit: () => e.calls.push('quit'),
      whenReady: () => {
        e.calls.push('whenReady');
        return new Promise(() => undefined); // never ready in a test
      },
      on: (ev: string, fn: (...a: unknown[]) => void) => {
        e.calls.push(`on:${ev}`);
        e.handlers.set(ev, fn);
      },
      isReady: () => false,
      getPath: () => '/nonexistent',
    },
    BrowserWindow,
    protocol: { registerSchemesAsPrivileged: () => e.calls.push('registerSchemesAsPrivileged'), handle: () => undefined },
    net: {},
    dialog: { showErrorBox: () => e.calls.push('showErrorBox') },
    session: { defaultSession: {} },
    ipcMain: { handle: () => undefined, removeHandler: () => undefined },
  };
});
vi.mock('../../../core/app/context.js', () => ({
  createAppContext: () => {
    e.contexts++;
    throw new Error('a test must not open a data folder');
  },
}));

describe('Electron main: one instance', () => {
  beforeEach(() => {
    vi.resetModules();
    e.calls.length = 0;
    e.handlers.clear();
    e.windows = [];
    e.contexts = 0;
  });

  it('a second instance quits at once: no whenReady, no handlers, no database', async () => {
    e.lock = false;
    await import('../../../electron/main/main.js');
    expect(e.calls).toEqual(['requestSingleInstanceLock', 'quit']);
    expect(e.contexts).toBe(0);
  });

  it('the first instance takes the lock, waits for ready and brings its window forward when a second starts', async () => {
    e.lock = true;
    await import('../../../electron/main/main.js');
    expect(e.calls.slice(0, 2)).toEqual(['requestSingleInstanceLock', 'registerSchemesAsPrivileged']);
    expect(e.calls).toContain('whenReady');
    expect(e.calls).toContain('on:second-instance');
    e.windows = [{ minimized: true, calls: [] }];
    e.handlers.get('second-instance')!({}, ['electron', '.'], '/cwd');
    expect(e.windows[0].calls).toEqual(['restore', 'show', 'focus']);
  });
});
