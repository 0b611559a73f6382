import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

// A stand-in for Electron's main-process API: records handlers and lets the test play the renderer.
const state = vi.hoisted(() => ({
  handlers: new Map<string, (event: unknown, ...args: unknown[]) => unknown>(),
  registrations: [] as string[],
  windows: new Set<object>(),
}));

vi.mock('electron', () => ({
  ipcMain: {
    handle: (channel: string, fn: (event: unknown, ...args: unknown[]) => unknown) => {
      state.registrations.push(channel);
      if (state.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
      state.handlers.set(channel, fn);
    },
    removeHandler: (channel: string) => state.handlers.delete(channel),
  },
  BrowserWindow: {
    fromWebContents: (wc: object) => (state.windows.has(wc) ? { id: 1 } : null),
    getAllWindows: () => [],
  },
}));

import { registerIpc } from '../../../electron/main/ipc.js';
import { methodNames } from '../../../core/api/contract.js';
import { IPC_PREFIX, IPC_UPLOAD } from '../../../core/api/bridge.js';
import { tempContext } from '../../helpers/temp.js';

const ourWebContents = {};
state.windows.add(ourWebContents);
const trusted = { sender: ourWebContents, senderFrame: { url: 'app://ferrolab/index.html', parent: null } };

describe('Electron IPC router', () => {
  let ctx: ReturnType<typeof tempContext>;
  let unregister: () => void;
  beforeEach(() => {
    state.handlers.clear();
    state.registrations.length = 0;
    ctx = tempContext();
    unregister = registerIpc(ctx);
  });
  afterEach(async () => {
    unregister();
    await ctx.dispose();
  });

  const invoke = (event: unknown, method: string, ...args: unknown[]) => state.handlers.get(IPC_PREFIX + method)!(event, ...args);

  it('registers every contract method exactly once, plus the upload channel', () => {
    const expected = [...methodNames.map((m) => IPC_PREFIX + m), IPC_UPLOAD].sort();
    expect([...state.registrations].sort()).toEqual(expected);
    expect(new Set(state.registrations).size).toBe(state.registrations.length);
  });

  it('serves a trusted call', async () => {
    const r = (await invoke(trusted, 'billets.create', { name: 'IPC billet', nominalDiameterMm: 600 })) as { ok: boolean; value: { name: string } };
    expect(r.ok).toBe(true);
    expect(r.value.name).toBe('IPC billet');
  });

  it('refuses calls from unexpected senders', async () => {
    const cases = [
      { sender: ourWebContents, senderFrame: { url: 'https://evil.example/', parent: null } },
      { sender: ourWebContents, senderFrame: { url: 'app://ferrolab/index.html', parent: {} } },
      { sender: ourWebContents, senderFrame: { url: 'file:///etc/passwd', parent: null } },
      { sender: ourWebContents, senderFrame: { url: 'app://ferrolab.evil.example/index.html', parent: null } },
      { sender: {}, senderFrame: { url: 'app://ferrolab/index.html', parent: null } },
      { sender: ourWebContents, senderFrame: null },
    ];
    for (const ev of cases) {
      const r = (await invoke(ev, 'billets.create', { name: 'nope', nominalDiameterMm: 600 })) as { ok: boolean; error: { code: string } };
      expect(r).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
    expect(ctx.repos.billets.list()).toHaveLength(0);
  });

  it('refuses bad arguments, naming the field', async () => {
    const r = (await invoke(trusted, 'billets.update', { id: -3, name: 'x' })) as { ok: boolean; error: { code: string; field: string } };
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid_argument', field: 'id' } });
    const up = (await state.handlers.get(IPC_UPLOAD)!(trusted, 'not bytes', 'a.png')) as { ok: boolean };
    expect(up.ok).toBe(false);
    const good = (await state.handlers.get(IPC_UPLOAD)!(trusted, new Uint8Array([1, 2, 3]).buffer, 'a.png')) as { ok: boolean; value: { uploadId: string } };
    expect(good.ok).toBe(true);
    expect(good.value.uploadId).toMatch(/^[a-f0-9]{32}$/);
  });
});
