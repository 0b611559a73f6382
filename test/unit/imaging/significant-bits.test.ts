import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import sharp from 'sharp';
import { tempContext, tempDir } from '../../helpers/temp.js';
import { runCli } from '../../helpers/cli.js';
import { localClient } from '../../../core/app/dispatch.js';
import { decodeGrey, storedSectionProbe } from '../../../core/imaging/index.js';
import type { AppContext } from '../../../core/app/context.js';
import type { ImageRecord } from '../../../core/api/methods/images.js';

// Task 22-C item 1: a 12-bit (10-, 14-bit) camera's section stored in a 16-bit container is imported with a declared,
// stored number of significant bits — scaled by 2^(16 − bits) to exact 16-bit, then the usual 8-bit path — instead of
// being refused with no way in. Without the declaration it is still refused; a declaration the data contradict is too.

type Ctx = AppContext & { dispose: () => Promise<void> };
let ctx: Ctx;
beforeEach(() => {
  ctx = tempContext();
});
afterEach(async () => {
  await ctx.dispose();
});

const W = 320, H = 240;
/** A textured disc in 12-bit values (200–3499): the rim finder finds it and the texture spans many grey levels. */
const twelve = (x: number, y: number) => (Math.hypot(x - 160, y - 120) < 100 ? 1500 + ((x * 37 + y * 91) % 2000) : 200);
const grey16Png = (f: (x: number, y: number) => number) => {
  const px = new Uint16Array(W * H);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) px[y * W + x] = f(x, y);
  return sharp(px, { raw: { width: W, height: H, channels: 1 } }).toColourspace('grey16').png().toBuffer();
};

async function importBytes(bytes: Uint8Array, name: string, billetName: string, significantBits?: number) {
  const api = localClient(ctx);
  const billet = await api['billets.create']({ name: billetName, nominalDiameterMm: 600 });
  const uploadId = ctx.uploads.saveBytes(bytes);
  const job = await api['images.import']({ billetId: billet.id, upload: { uploadId, name }, ...(significantBits !== undefined ? { significantBits } : {}) });
  return { billet, done: await ctx.jobs.wait(job.id) };
}
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const rows = () => (ctx.db.prepare('SELECT COUNT(*) AS n FROM images').get() as { n: number }).n;
const sectionFolders = () => (existsSync(ctx.paths.images) ? readdirSync(ctx.paths.images).filter((d) => /^[0-9a-f]{64}$/.test(d)) : []);
async function storedPixels(rec: ImageRecord) {
  const { file, probed } = storedSectionProbe(ctx.paths.images, rec.contentHash);
  return decodeGrey(file, probed);
}

describe('a 16-bit section with declared significant bits', () => {
  it('imports 12-bit values stored unscaled, with 12 declared, to the 8-bit pixels of the same data stored full-range (within 1 grey level), and stores the 12', async () => {
    const full = await importBytes(await grey16Png((x, y) => Math.round((twelve(x, y) * 65535) / 4095)), 'full16.png', 'FULL');
    expect(full.done.state).toBe('done');
    const lowPng = await grey16Png(twelve);
    const low = await importBytes(lowPng, 'camera12.png', 'CAM', 12);
    expect(low.done.state).toBe('done');
    const a = full.done.result as ImageRecord, b = low.done.result as ImageRecord;
    expect([a.significantBits, b.significantBits]).toEqual([null, 12]);
    expect(ctx.db.prepare('SELECT significant_bits AS s FROM images ORDER BY id').all()).toEqual([{ s: null }, { s: 12 }]);
    expect((await localClient(ctx)['images.forBillet']({ billetId: low.billet.id }))!.significantBits).toBe(12);

    const pa = await storedPixels(a), pb = await storedPixels(b);
    let maxDiff = 0, sum = 0;
    for (let i = 0; i < pa.data.length; i++) { maxDiff = Math.max(maxDiff, Math.abs(pa.data[i]! - pb.data[i]!)); sum += pb.data[i]!; }
    expect(maxDiff).toBeLessThanOrEqual(1);
    // not a dark image that happens to agree: the disc spans the upper grey levels (3499·16/257 ≈ 218)
    expect(pb.data.reduce((m, v) => Math.max(m, v), 0)).toBeGreaterThanOrEqual(217);
    expect(sum / pb.data.length).toBeGreaterThan(60);
    // the rim is found on the scaled pixels as on the full-range ones
    expect(b.circle!.r).toBeCloseTo(a.circle!.r, 0);
    // a patch preview decodes only its window: scaled the same way (the same 8-bit patch within 1 grey level)
    const api = localClient(ctx);
    const patch = async (billetId: number) => {
      const p = await api['patches.preview']({ billetId, xMm: 20, yMm: -10 });
      return sharp(join(ctx.paths.root, p.rawRel)).raw().toBuffer();
    };
    const [qa, qb] = [await patch(full.billet.id), await patch(low.billet.id)];
    expect(qb.length).toBe(qa.length);
    let patchDiff = 0, patchMax = 0;
    qa.forEach((v, i) => { patchDiff = Math.max(patchDiff, Math.abs(v - qb[i]!)); patchMax = Math.max(patchMax, qb[i]!); });
    expect(patchDiff).toBeLessThanOrEqual(1);
    expect(patchMax).toBeGreaterThan(150);
    // the thumbnail (the 8-bit path of the pictures) is as bright as the full-range one
    const thumbMax = async (r: ImageRecord) => (await sharp(join(ctx.paths.root, r.thumbRel)).stats()).channels[0]!.max;
    expect(Math.abs((await thumbMax(b)) - (await thumbMax(a)))).toBeLessThanOrEqual(2);
  });

  it('keeps the same bytes with other (or no) declared bits apart: a folder made with 12 bits is never read as 13, nor lets undeclared bytes past the refusal', async () => {
    const png = await grey16Png(twelve);
    const b12 = (await importBytes(png, 'camera12.png', 'B12', 12)).done.result as ImageRecord;
    expect(b12.contentHash).not.toBe(sha(png));
    const b13 = (await importBytes(png, 'camera12.png', 'B13', 13)).done.result as ImageRecord;
    expect(b13.contentHash).not.toBe(b12.contentHash);
    expect(sectionFolders().sort()).toEqual([b12.contentHash, b13.contentHash].sort());
    // 13 declared: values scaled by 8, so the disc is half as bright as with 12
    const brightest = async (r: ImageRecord) => (await storedPixels(r)).data.reduce((m, v) => Math.max(m, v), 0);
    const m12 = await brightest(b12), m13 = await brightest(b13);
    expect(Math.abs(m13 - m12 / 2)).toBeLessThanOrEqual(1);
    // the same bytes and bits again share the folder
    const again = (await importBytes(png, 'camera12-again.png', 'B12b', 12)).done.result as ImageRecord;
    expect(again.contentHash).toBe(b12.contentHash);
    // undeclared, they are still refused, though folders of theirs exist
    const plain = await importBytes(png, 'camera12.png', 'PLAIN');
    expect(plain.done.state).toBe('failed');
    expect(plain.done.error!.phrase?.code).toBe('imageBits.lowRange');
    expect(rows()).toBe(3);
  });

  it('refuses a declaration the data contradict, naming the value and how many pixels exceed it; nothing is stored', async () => {
    const { done } = await importBytes(await grey16Png(twelve), 'camera12.png', 'B1', 10);
    let over = 0;
    for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) if (twelve(x, y) >= 1024) over++;
    expect(over).toBeGreaterThan(1000);
    expect(done.state).toBe('failed');
    expect(done.error!.code).toBe('invalid_argument');
    expect(done.error!.phrase).toEqual({ code: 'imageBits.contradicted', params: { file: 'camera12.png', bits: 10, limit: 1023, max: 3499, count: over, need: 12 } });
    expect(done.error!.message).toBe(`Cannot import "camera12.png": 10 significant bits were declared, but its brightest pixel is 3499 and ${over} pixels are above 1023, the most 10 bits hold: declare the camera's real bit count (at least 12 here), or none if the image uses the full 16-bit range`);
    expect(rows()).toBe(0);
    expect(readdirSync(ctx.paths.images)).toEqual([]);
  });

  it('counts a contradicted colour image\'s pixels with any colour sample above the limit exactly (alpha left out), without decoding it into one buffer', async () => {
    // RGBA with each channel over 1023 on its own pattern, alpha 65535 everywhere (never counted)
    const px = new Uint16Array(W * H * 4);
    const ch = (x: number, y: number, c: number) => (((x * (7 + c * 5) + y * (11 + c * 3)) % 97) < 9 + c * 6 ? 1024 + ((x + c) % 900) : (x * 13 + y) % 1024);
    let over = 0, samples = 0, max = 0;
    for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
      let any = false;
      for (let c = 0; c < 3; c++) { const v = ch(x, y, c); px[(y * W + x) * 4 + c] = v; max = Math.max(max, v); if (v > 1023) { any = true; samples++; } }
      px[(y * W + x) * 4 + 3] = 65535;
      if (any) over++;
    }
    expect(samples - over).toBeGreaterThan(100); // pixels with several channels over: a per-sample count would differ
    const png = await sharp(px, { raw: { width: W, height: H, channels: 4 } }).toColourspace('rgb16').png().toBuffer();
    const { done } = await importBytes(png, 'rgba.png', 'B1', 10);
    expect(done.state).toBe('failed');
    expect(done.error!.phrase).toEqual({ code: 'imageBits.contradicted', params: { file: 'rgba.png', bits: 10, limit: 1023, max, count: over, need: 11 } });
    expect(rows()).toBe(0);
  });

  it('refuses a declaration so high that the scaled data still use only their low bits (12-bit values declared 15: ×2, max 6998), naming the maximum and the bits they need; nothing is stored', async () => {
    const { done } = await importBytes(await grey16Png(twelve), 'camera12.png', 'B1', 15);
    expect(done.state).toBe('failed');
    expect(done.error!.code).toBe('invalid_argument');
    // 3499 · 2 = 6998 of 65535: 6998 / 257 ≈ 27 as 8-bit, 28 grey levels (0–27)
    expect(done.error!.phrase).toEqual({ code: 'imageBits.overDeclared', params: { file: 'camera12.png', declared: 15, max: 3499, levels: 28, bits: 12 } });
    expect(done.error!.message).toBe('Cannot import "camera12.png": 15 significant bits were declared, but its brightest pixel is 3499, which 12 bits hold: scaled as 15-bit data it would still be read with only 28 grey levels. Declare the camera\'s real bit count (12 for these values)');
    expect(rows()).toBe(0);
    expect(readdirSync(ctx.paths.images)).toEqual([]);
    // 14 declared (×4, max 13996) keeps enough levels and is imported
    const ok = await importBytes(await grey16Png(twelve), 'camera12.png', 'B2', 14);
    expect(ok.done.state).toBe('done');
    expect((ok.done.result as ImageRecord).significantBits).toBe(14);
  });

  it('refuses significant bits on an 8-bit image (there is nothing to scale)', async () => {
    const png = await sharp({ create: { width: W, height: H, channels: 3, background: '#404040' } }).png().toBuffer();
    const { done } = await importBytes(png, 'eight.png', 'B1', 12);
    expect(done.state).toBe('failed');
    expect(done.error!.phrase).toEqual({ code: 'imageBits.notSixteen', params: { file: 'eight.png', depth: 8, bits: 12 } });
    expect(rows()).toBe(0);
  });

  it('without a declaration refuses as before, naming the measured maximum and how to import it', async () => {
    const { done } = await importBytes(await grey16Png(twelve), 'camera12.png', 'B1');
    expect(done.state).toBe('failed');
    expect(done.error!.phrase).toEqual({ code: 'imageBits.lowRange', params: { file: 'camera12.png', max: 3499, levels: 15, bits: 12 } });
    expect(done.error!.message).toContain('--significant-bits 12');
    expect(rows()).toBe(0);
  });

  it('ferrolab billet import --significant-bits 12 imports and says so; a value outside 9–15 is a usage error', async () => {
    const t = tempDir('ferrolab-sigbits-cli-');
    try {
      const file = join(t.dir, 'camera12.png');
      writeFileSync(file, await grey16Png(twelve));
      const data = join(t.dir, 'data');
      const bad = await runCli(data, 'billet', 'import', file, '--name', 'B1', '--diameter', '600', '--significant-bits', '16');
      expect(bad.rc).toBe(2);
      expect(bad.err).toContain('--significant-bits must be a whole number of bits from 9 to 15 (got "16")');
      const refused = await runCli(data, 'billet', 'import', file, '--name', 'B1', '--diameter', '600');
      expect(refused.rc).toBe(1);
      expect(refused.err).toContain('--significant-bits 12');
      const ok = await runCli(data, 'billet', 'import', file, '--name', 'B1', '--diameter', '600', '--significant-bits', '12');
      expect(ok.rc).toBe(0);
      expect(ok.out).toContain('320×240 px png 16-bit (12 significant bits, scaled ×16)');
      const json = await runCli(data, 'billet', 'import', file, '--name', 'B2', '--diameter', '600', '--significant-bits', '12', '--json');
      expect((JSON.parse(json.out) as { image: ImageRecord }).image.significantBits).toBe(12);
    } finally {
      t.cleanup();
    }
  });
});
