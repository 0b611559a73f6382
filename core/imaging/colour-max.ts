import type { Sharp } from 'sharp';
import { closeSync, mkdirSync, openSync, readSync, rmSync } from 'node:fs';
import { endianness, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ownedTempName, sweepLeftovers } from '../runtime/temp-leftovers.js';

/**
 * The brightest colour sample of a 16-bit image as stored (alpha left out), read in a stream. sharp's `stats()`
 * holds the decoded image (an 8000² grey 16-bit PNG: peak +141 MB over the process, so ~0.8 GB grey or 2.4 GB RGB
 * at the 20 000² limit — an out-of-memory instead of the worded refusal it serves); here libvips writes the decoded
 * samples line by line to an uncompressed VIPS (.v) file (+15 MB at 8000², and 3× faster), scanned in 4 MB reads.
 * The file (2 bytes per sample: 0.8–2.4 GB of temporary disk at the limit) lives in a temporary folder removed in
 * `finally`; its name carries this process's pid, so a kill's leftover (gigabytes at the limit, in the OS's temporary
 * folder, which no data-folder sweep sees) is removed by the next read of any process. Measured by bench/imaging.ts (BENCH_ONLY=max), beside sequentialRead stats() and an extract strip loop.
 */
const VIPS_HEADER_BYTES = 64;
// libvips' magic for little-endian (Intel) pixel data, as its first four bytes
const VIPS_MAGIC_LE = Buffer.from([0xb6, 0xa6, 0xf2, 0x08]);
const VIPS_FORMAT_USHORT = 2;
const READ_BYTES = 1 << 22;
/** `<prefix><pid>-<random>` (temp-leftovers.ts): the owner's pid tells a live read from a killed one's leftover. */
export const TEMP_PREFIX = 'ferrolabmax-';

export async function streamedColourMax(
  pipeline: Sharp,
  meta: { channels: number; hasAlpha: boolean },
): Promise<number> {
  if (endianness() !== 'LE') throw new Error('streamedColourMax reads little-endian VIPS files only');
  sweepLeftovers(tmpdir(), TEMP_PREFIX);
  const dir = join(tmpdir(), ownedTempName(TEMP_PREFIX));
  mkdirSync(dir);
  try {
    const file = join(dir, 'samples.v');
    // grey16 / rgb16 keep the stored 16-bit samples (sharp would otherwise cast its output to 8 bits), alpha included
    await pipeline.toColourspace(meta.channels - (meta.hasAlpha ? 1 : 0) >= 3 ? 'rgb16' : 'grey16').toFile(file);
    const fd = openSync(file, 'r');
    try {
      const head = Buffer.alloc(VIPS_HEADER_BYTES);
      readSync(fd, head, 0, VIPS_HEADER_BYTES, 0);
      const width = head.readInt32LE(4), height = head.readInt32LE(8), bands = head.readInt32LE(12), format = head.readInt32LE(20);
      if (!head.subarray(0, 4).equals(VIPS_MAGIC_LE) || format !== VIPS_FORMAT_USHORT || bands !== meta.channels)
        throw new Error(`unexpected VIPS file: ${bands} band(s) of format ${format}, expected ${meta.channels} of 16-bit`);
      const colour = bands - (meta.hasAlpha ? 1 : 0);
      const buf = Buffer.alloc(READ_BYTES - (READ_BYTES % (2 * bands))); // whole pixels per read: band = index % bands
      let max = 0, pos = VIPS_HEADER_BYTES, left = width * height * bands * 2;
      while (left > 0) {
        const n = readSync(fd, buf, 0, Math.min(buf.length, left), pos);
        if (n <= 0 || n % (2 * bands)) throw new Error('truncated VIPS file');
        const v = new Uint16Array(buf.buffer, buf.byteOffset, n / 2);
        if (colour === bands) {
          for (let i = 0; i < v.length; i++) if (v[i] > max) max = v[i];
        } else {
          for (let i = 0; i < v.length; i += bands) for (let b = 0; b < colour; b++) if (v[i + b] > max) max = v[i + b];
        }
        pos += n;
        left -= n;
      }
      return max;
    } finally {
      closeSync(fd);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
