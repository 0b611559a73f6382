// Sandboxed preload: exposes exactly one function per contract method, an upload and an event
// subscription. No ipcRenderer, no generic invoke/send, and the IPC event object never reaches the page.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { methodNames } from '../../core/api/contract.js';
import { IPC_EVENT, IPC_PREFIX, IPC_UPLOAD, type FerrolabBridge } from '../../core/api/bridge.js';
import type { ApiEvent } from '../../core/api/events.js';

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
};

contextBridge.exposeInMainWorld('ferrolab', bridge);
