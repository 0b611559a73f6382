// Sandboxed preload: exposes exactly one function per contract method, an upload, an event
// subscription and the native menu's two narrow channels (command ids in, menu words and states out). No ipcRenderer, no generic invoke/send, and the IPC event object never reaches the page.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { methodNames } from '../../core/api/contract.js';
import { IPC_EVENT, IPC_PREFIX, IPC_UPLOAD, type FerrolabBridge } from '../../core/api/bridge.js';
import type { ApiEvent } from '../../core/api/events.js';
import { IPC_MENU_COMMAND, IPC_MENU_UPDATE, isMenuCommandId, parseMenuState } from '../../core/api/menu-commands.js';

const methods = Object.fromEntries(
  methodNames.map((name) => [name, (args: unknown) => ipcRenderer.invoke(IPC_PREFIX + name, args)]),
) as FerrolabBridge['methods'];

const bridge: FerrolabBridge = {
  methods,
  upload: (bytes, name) => ipcRenderer.invoke(IPC_UPLOAD, bytes, name),
  onEvent(listener) {
    const handler = (_e: IpcRendererEvent, ev: ApiEvent) => listener(ev);
    ipcRenderer.on(IPC_EVENT, handler);
    return () => {
      ipcRenderer.removeListener(IPC_EVENT, handler);
    };
  },
  // The native menu: only known command ids reach the page, only a well-formed state reaches the main process.
  menu: {
    onCommand(listener) {
      const handler = (_e: IpcRendererEvent, id: unknown) => {
        if (isMenuCommandId(id)) listener(id);
      };
      ipcRenderer.on(IPC_MENU_COMMAND, handler);
      return () => {
        ipcRenderer.removeListener(IPC_MENU_COMMAND, handler);
      };
    },
    update(state) {
      const checked = parseMenuState(state);
      if (checked) ipcRenderer.send(IPC_MENU_UPDATE, checked);
    },
  },
};

contextBridge.exposeInMainWorld('ferrolab', bridge);
