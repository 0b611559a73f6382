import type { ApiErrorBody } from './errors.js';

/**
 * Every reply crosses the transport as an envelope rather than a thrown error: Electron's
 * ipcMain.handle keeps only `message` of a thrown Error, and the renderer needs `code` and `field`.
 */
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: ApiErrorBody };
