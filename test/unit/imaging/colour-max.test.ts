import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { streamedColourMax, TEMP_PREFIX } from '../../../core/imaging/colour-max.js';

/**
 * The 16-bit maximum that the significant-bits checks compare against (core/imaging/decode.ts colourStats) is read
 * in a stream: it must be the exact stored sample — one bright value among millions, alpha left out.
 */
const dir = mkdtempSync(join(tmpdir(), 'ferrolab-colour-max-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A 16-bit PNG of `channels` bands with pseudo-random 12-bit samples and one chosen sample set to `bright`. */
async function png16(name: string, width: number, height: number, channels: 1 | 2 | 3 | 4, bright: { index: number; value: number }, alpha?: number) {
  const v = new Uint16Array(width * height * channels);
  let s = 7;
  for (let i = 0; i < v.length; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    v[i] = (s >>> 20) & 4095;
  }
  if (alpha !== undefined) for (let i = channels - 1; i < v.length; i += channels) v[i] = alpha;
  v[bright.index] = bright.value;
  const file = join(dir, name);
  await sharp(v, { raw: { width, height, channels } }).toColourspace(channels >= 3 ? 'rgb16' : 'grey16').png({ compressionLevel: 1 }).toFile(file);
  return file;
}
const open = (file: string) => sharp(file, { limitInputPixels: false, failOn: 'error' });

describe('the streamed 16-bit maximum is exact', () => {
  it('grey: the one bright sample, in the last rows of a 1500 × 1300 image', async () => {
    const w = 1500, h = 1300;
    const file = await png16('grey.png', w, h, 1, { index: w * (h - 3) + 1234, value: 40001 });
    expect(await streamedColourMax(open(file), { channels: 1, hasAlpha: false })).toBe(40001);
    expect((await open(file).stats()).channels[0].max).toBe(40001); // the exact reference it replaces
  });

  it('RGB with an opaque alpha: the brightest colour sample (a green 3999), never the alpha 65535', async () => {
    const w = 301, h = 203;
    const file = await png16('rgba.png', w, h, 4, { index: 4 * (w * 150 + 77) + 1, value: 4095 + 3904 }, 65535);
    expect(await streamedColourMax(open(file), { channels: 4, hasAlpha: true })).toBe(7999);
    const grey = await png16('grey-alpha.png', w, h, 2, { index: 2 * (w * h - 1), value: 5000 }, 65535);
    expect(await streamedColourMax(open(grey), { channels: 2, hasAlpha: true })).toBe(5000);
    const rgb = await png16('rgb.png', w, h, 3, { index: 3 * (w * h - 1) + 2, value: 65535 });
    expect(await streamedColourMax(open(rgb), { channels: 3, hasAlpha: false })).toBe(65535);
  });

  it('leaves no temporary folder of its own, and removes one a killed process left (its pid is gone)', async () => {
    // a pid above Linux's pid_max (2^22) belongs to no process
    const dead = join(tmpdir(), `${TEMP_PREFIX}${(1 << 22) + 17}-0123abcd`);
    mkdirSync(dead, { recursive: true });
    writeFileSync(join(dead, 'samples.v'), Buffer.alloc(1024));
    const file = await png16('small.png', 40, 30, 1, { index: 5, value: 60000 });
    expect(await streamedColourMax(open(file), { channels: 1, hasAlpha: false })).toBe(60000);
    expect(existsSync(dead)).toBe(false);
    expect(readdirSync(tmpdir()).filter((n) => n.startsWith(`${TEMP_PREFIX}${process.pid}-`))).toEqual([]);
  });
});
