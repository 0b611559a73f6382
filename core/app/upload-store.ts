import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough, Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ApiError } from '../api/errors.js';
import { ownedTempName } from '../runtime/temp-leftovers.js';
import { phrase } from '../api/phrase.js';

/** An upload nobody has used for this long was abandoned (a closed dialog, a crashed page). */
export const UPLOAD_IDLE_MS = 30 * 60 * 1000;

/** How big one upload and all pending uploads together may be (bytes). */
export interface UploadLimits {
  perFile: number;
  pending: number;
}

/**
 * The largest file a legal section can be: `maxPixels` at 16-bit RGB (6 bytes/px), uncompressed, as a
 * scanner's TIFF can be, plus 64 MiB for headers, metadata and a reduced-resolution page. At the default
 * limit of 20 000² px that is 2.46 GB; anything bigger cannot be an importable section. Pending uploads
 * may hold two such files (a section and a batch of patch images) before one is consumed.
 */
export function uploadLimitsFor(maxPixels: number): UploadLimits {
  const perFile = maxPixels * 6 + 64 * 1024 ** 2;
  return { perFile, pending: 2 * perFile };
}

const gb = (n: number) => `${(n / 1e9).toFixed(2)} GB`;

/** Refused because of size: the HTTP server answers 413, IPC the same envelope. */
export class UploadTooLargeError extends ApiError {
  readonly httpStatus = 413;
  constructor(message: string) {
    super('invalid_argument', message, { field: 'upload' });
  }
}

interface Entry {
  bytes: number;
  lastUsed: number;
  /** Calls or jobs that consume it right now: never expired while > 0. */
  holds: number;
}

/**
 * Files the UI hands to the core (an image, a CSV) land here first under a random id; contract
 * methods then refer to them by id, so neither transport has to put megabytes into a JSON call.
 *
 * An upload is a one-shot copy, never a second home for the user's data: it is deleted when the method
 * that consumes it ends, however it ends (see dispatch), when it is idle longer than UPLOAD_IDLE_MS,
 * and when the context closes. File names carry this process's pid, so opening the data folder in
 * another process can tell the leftovers of a dead process from the live uploads of a running one.
 */
export class UploadStore {
  private entries = new Map<string, Entry>();
  constructor(private dir: string, private now: () => number = Date.now) {
    mkdirSync(dir, { recursive: true });
  }
  private pathOf(id: string): string {
    if (!/^[a-f0-9]{32}$/.test(id)) throw ApiError.said('invalid_argument', phrase('errors.app.badUploadId', { id }), { field: 'uploadId' });
    return join(this.dir, ownedTempName('upload-', id));
  }
  /** Bytes held by uploads of this process that no method has consumed yet. */
  pendingBytes(): number {
    let n = 0;
    for (const e of this.entries.values()) n += e.bytes;
    return n;
  }
  private checkRoom(bytes: number, limits: UploadLimits | undefined): void {
    if (!limits) return;
    if (bytes > limits.perFile) {
      throw new UploadTooLargeError(`The file is ${gb(bytes)}, larger than the largest importable file of ${gb(limits.perFile)} (a section at the pixel limit, 16-bit RGB, uncompressed)`);
    }
    const pending = this.pendingBytes();
    if (pending + bytes > limits.pending) {
      throw new UploadTooLargeError(
        `Uploads waiting to be imported already hold ${gb(pending)}; with this file they would exceed the cap of ${gb(limits.pending)}. Finish or cancel the other imports first (unused uploads are dropped after ${UPLOAD_IDLE_MS / 60000} minutes)`,
      );
    }
  }
  private register(id: string, bytes: number): string {
    this.entries.set(id, { bytes, lastUsed: this.now(), holds: 0 });
    return id;
  }
  saveBytes(bytes: Uint8Array, limits?: UploadLimits): string {
    this.sweepIdle();
    this.checkRoom(bytes.byteLength, limits);
    const id = randomBytes(16).toString('hex');
    writeFileSync(this.pathOf(id), bytes, { flag: 'wx' });
    return this.register(id, bytes.byteLength);
  }
  /**
   * Streams a request body to a new upload. `declaredBytes` (Content-Length) is checked before a byte is
   * written; the count is checked again as bytes arrive, since a client may send more than it said. The
   * source is piped through a PassThrough so a refusal stops writing without destroying the source: the
   * HTTP server can still answer 413 on the same connection.
   */
  async saveStream(stream: Readable, limits: UploadLimits, declaredBytes?: number): Promise<string> {
    this.sweepIdle();
    this.checkRoom(declaredBytes ?? 0, limits);
    const room = Math.min(limits.perFile, limits.pending - this.pendingBytes());
    const id = randomBytes(16).toString('hex');
    const file = this.pathOf(id);
    let n = 0;
    const counter = new Transform({
      transform: (chunk: Buffer, _enc, done) => {
        n += chunk.length;
        if (n > room) {
          try {
            this.checkRoom(n, limits);
            done(new UploadTooLargeError(`The upload is larger than the ${gb(room)} there is room for`));
          } catch (err) {
            done(err as Error);
          }
        } else done(null, chunk);
      },
    });
    const through = new PassThrough();
    stream.pipe(through);
    try {
      await pipeline(through, counter, createWriteStream(file, { flags: 'wx' }));
    } catch (err) {
      stream.unpipe(through);
      rmSync(file, { force: true });
      throw err;
    }
    return this.register(id, n);
  }
  /** Path of an uploaded file; throws a clear error if it was consumed, expired or never existed. */
  resolve(id: string): string {
    const p = this.pathOf(id);
    if (!existsSync(p)) {
      throw ApiError.said('not_found', phrase('errors.app.uploadGone', { id, minutes: UPLOAD_IDLE_MS / 60000 }), {
        field: 'uploadId',
      });
    }
    const e = this.entries.get(id);
    if (e) e.lastUsed = this.now();
    return p;
  }
  /** Marks uploads as in use by a call or job so the idle sweep leaves them alone. */
  hold(ids: readonly string[]): void {
    for (const id of ids) {
      const e = this.entries.get(id);
      if (e) {
        e.holds++;
        e.lastUsed = this.now();
      }
    }
  }
  /** The consuming call or job ended (success, refusal, failure or cancel): the uploads are spent. */
  consumed(ids: readonly string[]): void {
    for (const id of ids) this.remove(id);
  }
  remove(id: string): void {
    rmSync(this.pathOf(id), { force: true });
    this.entries.delete(id);
  }
  /** Drops uploads idle longer than UPLOAD_IDLE_MS; returns their ids. */
  sweepIdle(): string[] {
    const cutoff = this.now() - UPLOAD_IDLE_MS;
    const gone = [...this.entries].filter(([, e]) => e.holds === 0 && e.lastUsed < cutoff).map(([id]) => id);
    for (const id of gone) this.remove(id);
    return gone;
  }
  /** The process is closing: nothing of ours in tmp/ is useful to anyone. */
  clear(): void {
    for (const id of [...this.entries.keys()]) this.remove(id);
  }
}
