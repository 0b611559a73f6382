import { describe, expect, it } from 'vitest';
import { buildSync } from 'esbuild';
import { runInNewContext } from 'node:vm';
import { methodNames } from '../../../core/api/contract.js';
import { IPC_EVENT, IPC_PREFIX, IPC_UPLOAD } from '../../../core/api/bridge.js';
import { IPC_MENU_COMMAND, IPC_MENU_UPDATE } from '../../../core/api/menu-commands.js';

/** Bundles the preload exactly as the build does and runs it against a fake `electron` module. */
function loadPreload() {
  const out = buildSync({
    entryPoints: ['electron/preload/preload.ts'],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    external: ['electron'],
    write: false,
    logLevel: 'silent',
  });
  const exposed: Record<string, unknown> = {};
  const invoked: unknown[][] = [];
  const sent: unknown[][] = [];
  const listeners = new Map<string, (...a: unknown[]) => void>();
  const electron = {
    contextBridge: { exposeInMainWorld: (key: string, api: unknown) => (exposed[key] = api) },
    ipcRenderer: {
      invoke: (...args: unknown[]) => {
        invoked.push(args);
        return Promise.resolve({ ok: true, value: null });
      },
      send: (...args: unknown[]) => sent.push(args),
      on: (ch: string, fn: (...a: unknown[]) => void) => listeners.set(ch, fn),
      removeListener: (ch: string) => listeners.delete(ch),
    },
  };
  const requires: string[] = [];
  const sandboxRequire = (name: string) => {
    requires.push(name);
    if (name === 'electron') return electron;
    throw new Error(`the sandboxed preload may not require "${name}"`);
  };
  const module = { exports: {} };
  runInNewContext(out.outputFiles[0].text, { require: sandboxRequire, module, exports: module.exports, console });
  return { exposed, invoked, sent, listeners, requires };
}

describe('preload bridge', () => {
  it('exposes one function per contract method and nothing generic', async () => {
    const { exposed, invoked, requires } = loadPreload();
    expect(Object.keys(exposed)).toEqual(['ferrolab']);
    const bridge = exposed.ferrolab as { methods: Record<string, (a: unknown) => Promise<unknown>>; upload: unknown; onEvent: unknown; menu: object };
    expect(Object.keys(bridge).sort()).toEqual(['menu', 'methods', 'onEvent', 'upload']);
    expect(Object.keys(bridge.menu).sort()).toEqual(['onCommand', 'update']);
    expect(Object.keys(bridge.methods).sort()).toEqual([...methodNames].sort());
    await bridge.methods['billets.list']({});
    expect(invoked).toEqual([[`${IPC_PREFIX}billets.list`, {}]]);
    expect(requires).toEqual(['electron']);
  });

  it('never hands the IPC event object to the page, and unsubscribes', () => {
    const { exposed, listeners, invoked } = loadPreload();
    const bridge = exposed.ferrolab as { onEvent: (fn: (ev: unknown) => void) => () => void; upload: (b: ArrayBuffer, n: string) => void };
    const got: unknown[][] = [];
    const off = bridge.onEvent((...args) => got.push(args));
    listeners.get(IPC_EVENT)!({ sender: 'secret' }, { type: 'data-changed', entity: 'billet' });
    expect(got).toEqual([[{ type: 'data-changed', entity: 'billet' }]]);
    off();
    expect(listeners.has(IPC_EVENT)).toBe(false);
    bridge.upload(new ArrayBuffer(2), 'x.png');
    expect(invoked[0][0]).toBe(IPC_UPLOAD);
  });

  it('the menu channels pass only known command ids to the page and only a well-formed menu to the main process', () => {
    const { exposed, listeners, sent } = loadPreload();
    const menu = (exposed.ferrolab as { menu: { onCommand: (fn: (...a: unknown[]) => void) => () => void; update: (s: unknown) => void } }).menu;
    const got: unknown[][] = [];
    const off = menu.onCommand((...args) => got.push(args));
    const fire = listeners.get(IPC_MENU_COMMAND)!;
    fire({ sender: 'secret' }, 'edit.undo');
    fire({ sender: 'secret' }, 'shell.openExternal');
    fire({ sender: 'secret' }, { id: 'edit.undo' });
    expect(got).toEqual([['edit.undo']]);
    off();
    expect(listeners.has(IPC_MENU_COMMAND)).toBe(false);

    const groups = { file: 'File', edit: 'Edit', view: 'View', window: 'Window', help: 'Help' };
    const good = { groups, items: [{ id: 'edit.undo', group: 'edit', label: 'Undo', accelerator: 'CmdOrCtrl+Z', enabled: false }] };
    menu.update(good);
    menu.update({ groups, items: [{ id: 'app.quit', group: 'file', label: 'Quit', enabled: true }] });
    menu.update({ groups, items: [{ id: 'edit.undo', group: 'edit', label: 'Undo', accelerator: 'javascript:alert(1)', enabled: true }] });
    menu.update({ groups: { file: 'File' }, items: [] });
    expect(sent).toEqual([[IPC_MENU_UPDATE, good]]);
  });
});
