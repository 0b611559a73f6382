import { BrowserWindow, ipcMain, type IpcMainInvokeEvent } from 'electron';
import { methodNames } from '../../core/api/contract.js';
import { IPC_EVENT, IPC_PREFIX, IPC_UPLOAD } from '../../core/api/bridge.js';
import type { Envelope } from '../../core/api/envelope.js';
import type { AppContext } from '../../core/app/context.js';
import { dispatchEnvelope } from '../../core/app/dispatch.js';
import { uploadLimitsFor, UploadTooLargeError } from '../../core/app/upload-store.js';
import { toErrorBody } from '../../core/api/errors.js';
import { isAppUrl } from './origin.js';

const forbidden: Envelope<never> = { ok: false, error: { code: 'forbidden', message: 'IPC from an untrusted frame was refused' } };

/** Only the top frame of one of our windows, showing our own app:// origin, may call the core. */
export function isTrustedSender(event: IpcMainInvokeEvent): boolean {
  const frame = event.senderFrame;
  if (!frame || frame.parent !== null) return false;
  if (!BrowserWindow.fromWebContents(event.sender)) return false;
  return isAppUrl(frame.url);
}

/** Registers one handler per contract method; arguments are validated by dispatch against the contract. */
export function registerIpc(ctx: AppContext): () => void {
  for (const name of methodNames) {
    ipcMain.handle(IPC_PREFIX + name, async (event, args: unknown) => {
      if (!isTrustedSender(event)) return forbidden;
      return dispatchEnvelope(ctx, name, args);
    });
  }
  ipcMain.handle(IPC_UPLOAD, async (event, bytes: unknown, name: unknown): Promise<Envelope<{ uploadId: string }>> => {
    if (!isTrustedSender(event)) return forbidden;
    if (!(bytes instanceof ArrayBuffer || ArrayBuffer.isView(bytes)) || typeof name !== 'string' || name.length > 500) {
      return { ok: false, error: { code: 'invalid_argument', message: 'upload needs (ArrayBuffer, file name)' } };
    }
    const view = bytes instanceof ArrayBuffer ? new Uint8Array(bytes) : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    try {
      // The same per-file limit and pending cap as browser mode (from the pixel limit).
      return { ok: true, value: { uploadId: ctx.uploads.saveBytes(view, uploadLimitsFor(ctx.services.sections.maxPixels())) } };
    } catch (err) {
      if (err instanceof UploadTooLargeError) return { ok: false, error: toErrorBody(err) };
      throw err;
    }
  });
  const unsubscribe = ctx.bus.subscribe((ev) => {
    for (const win of BrowserWindow.getAllWindows()) {
      if (!win.isDestroyed()) win.webContents.send(IPC_EVENT, ev);
    }
  });
  return () => {
    unsubscribe();
    for (const name of methodNames) ipcMain.removeHandler(IPC_PREFIX + name);
    ipcMain.removeHandler(IPC_UPLOAD);
  };
}
