import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import { ApiError } from '../api/errors.js';

/**
 * Files the UI hands to the core (an image, a CSV) land here first under a random id; contract
 * methods then refer to them by id, so neither transport has to put megabytes into a JSON call.
 */
export class UploadStore {
  constructor(private dir: string) {
    mkdirSync(dir, { recursive: true });
  }
  private pathOf(id: string): string {
    if (!/^[a-f0-9]{32}$/.test(id)) throw new ApiError('invalid_argument', `not an upload id: ${id}`, { field: 'uploadId' });
    return join(this.dir, `upload-${id}`);
  }
  saveBytes(bytes: Uint8Array): string {
    const id = randomBytes(16).toString('hex');
    writeFileSync(this.pathOf(id), bytes);
    return id;
  }
  async saveStream(stream: Readable, maxBytes: number): Promise<string> {
    const id = randomBytes(16).toString('hex');
    const file = this.pathOf(id);
    let n = 0;
    stream.on('data', (chunk: Buffer) => {
      n += chunk.length;
      if (n > maxBytes) stream.destroy(new ApiError('invalid_argument', `upload larger than ${maxBytes} bytes`));
    });
    try {
      await pipeline(stream, createWriteStream(file));
    } catch (err) {
      rmSync(file, { force: true });
      throw err;
    }
    return id;
  }
  /** Path of an uploaded file; throws a clear error if it expired or never existed. */
  resolve(id: string): string {
    const p = this.pathOf(id);
    if (!existsSync(p)) throw new ApiError('not_found', `upload ${id} not found (uploads last until the app closes)`, { field: 'uploadId' });
    return p;
  }
  remove(id: string): void {
    rmSync(this.pathOf(id), { force: true });
  }
}
