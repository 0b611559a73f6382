import type { MethodName, Input, Output } from './contract.js';
import type { Envelope } from './envelope.js';
import type { ApiEvent } from './events.js';
import type { MenuCommandId, MenuState } from './menu-commands.js';

/**
 * What the Electron preload exposes as `window.ferrolab`: one function per contract method (no
 * generic invoke/send), an upload, and an event subscription. The browser-mode client offers the
 * same surface over HTTP, so the renderer cannot tell the shells apart.
 */
export interface FerrolabBridge {
  readonly methods: { [M in MethodName]: (args: Input<M>) => Promise<Envelope<Output<M>>> };
  upload(bytes: ArrayBuffer, name: string): Promise<Envelope<{ uploadId: string }>>;
  onEvent(listener: (ev: ApiEvent) => void): () => void;
  /** Desktop app only: the native application menu (its commands come to the page; the page sends its words and states). */
  readonly menu?: {
    onCommand(listener: (id: MenuCommandId) => void): () => void;
    update(state: MenuState): void;
  };
}

export const IPC_PREFIX = 'ferrolab:';
export const IPC_UPLOAD = 'ferrolab-upload';
export const IPC_EVENT = 'ferrolab-event';
