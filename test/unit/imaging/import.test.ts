import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { tempContext } from '../../helpers/temp.js';
import { localClient } from '../../../core/app/dispatch.js';
import { generateSyntheticBillet, syntheticSectionPng } from '../../../core/synth/index.js';
import type { AppContext } from '../../../core/app/context.js';

type Ctx = AppContext & { dispose: () => Promise<void> };
let ctx: Ctx;
beforeEach(() => {
  ctx = tempContext();
});
afterEach(async () => {
  await ctx.dispose();
});

async function importBytes(bytes: Uint8Array, name: string, billetName = 'B1') {
  const api = localClient(ctx);
  const billet = await api['billets.create']({ name: billetName });
  const uploadId = ctx.uploads.saveBytes(bytes);
  const job = await api['images.import']({ billetId: billet.id, upload: { uploadId, name } });
  expect(job.state).toBe('running');
  return { billet, done: await ctx.jobs.wait(job.id) };
}

/** Everything under images/ (staging folders included), and the image row count: both must be empty after a refusal. */
function leftovers() {
  const dir = ctx.paths.images;
  const files = existsSync(dir) ? readdirSync(dir, { recursive: true }) : [];
  const rows = (ctx.db.prepare('SELECT COUNT(*) AS n FROM images').get() as { n: number }).n;
  return { files, rows };
}

/** A PNG whose header claims width × height (valid CRCs) followed by one empty IDAT: only the header is real. */
function pngHeaderOnly(width: number, height: number): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf: Buffer) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const c = Buffer.alloc(4);
    c.writeUInt32BE(crc(td));
    return Buffer.concat([len, td, c]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // greyscale
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', Buffer.alloc(0)), chunk('IEND', Buffer.alloc(0))]);
}

describe('section import', () => {
  it('imports a synthetic section: content-addressed files, DZI pyramid, thumbnail, rim within 1 % and mm/px', async () => {
    const b = generateSyntheticBillet({ seed: 12, sizePx: 900 });
    const png = await syntheticSectionPng(b);
    const { billet, done } = await importBytes(png, 'section.png');
    expect(done.state).toBe('done');
    const img = await localClient(ctx)['images.forBillet']({ billetId: billet.id });
    expect(img).not.toBeNull();
    expect(img!.width).toBe(900);
    expect(img!.format).toBe('png');
    expect(img!.circleSource).toBe('auto');
    expect(Math.hypot(img!.circle!.cx - b.circle.cx, img!.circle!.cy - b.circle.cy) / b.circle.r).toBeLessThan(0.01);
    expect(Math.abs(img!.circle!.r - b.circle.r) / b.circle.r).toBeLessThan(0.01);
    expect(Math.abs(img!.mmPerPx! - b.mmPerPx) / b.mmPerPx).toBeLessThan(0.01);
    // Stored under images/<sha256>/ with the original bytes, a .dzi, its tiles and a thumbnail.
    expect(img!.dziRel).toMatch(/^images\/[0-9a-f]{64}\/tiles\.dzi$/);
    const dir = join(ctx.paths.root, 'images', img!.contentHash);
    expect(readFileSync(join(dir, 'source.png')).equals(png)).toBe(true);
    expect(readFileSync(join(ctx.paths.root, img!.dziRel), 'utf8')).toMatch(/Width="900"/);
    // Levels 0..10 (2^10 = 1024 ≥ 900); the top level holds 4×4 tiles of 256 px.
    expect(img!.dzi.maxLevel).toBe(10);
    expect(readdirSync(join(ctx.paths.root, img!.tilesRel, '10')).length).toBe(16);
    const thumb = await sharp(join(ctx.paths.root, img!.thumbRel)).metadata();
    expect(Math.max(thumb.width!, thumb.height!)).toBe(512);
    expect(readdirSync(ctx.paths.images).filter((f) => f.startsWith('.staging'))).toEqual([]);
  });

  it('imports a 16-bit greyscale PNG (scaled, not clipped) and a pyramidal multi-page TIFF (largest page)', async () => {
    const w = 400, h = 300;
    const px = new Uint16Array(w * h);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) px[y * w + x] = Math.hypot(x - 200, y - 150) < 120 ? 50000 : 3000;
    const png16 = await sharp(px, { raw: { width: w, height: h, channels: 1 } }).toColourspace('grey16').png().toBuffer();
    const r1 = await importBytes(png16, 'grey16.png', 'G16');
    expect(r1.done.state).toBe('done');
    const img1 = await localClient(ctx)['images.forBillet']({ billetId: r1.billet.id });
    expect(img1!.bitDepth).toBe(16);
    expect(img1!.circle!.r).toBeGreaterThan(118);
    expect(img1!.circle!.r).toBeLessThan(122);

    const rgb = await sharp({ create: { width: 1200, height: 1000, channels: 3, background: '#202020' } })
      .composite([{ input: Buffer.from('<svg width="1200" height="1000"><circle cx="600" cy="500" r="420" fill="#b0b0b0"/></svg>') }])
      .tiff({ pyramid: true, tile: true, tileWidth: 256, tileHeight: 256 })
      .toBuffer();
    expect((await sharp(rgb).metadata()).pages).toBeGreaterThan(1);
    const r2 = await importBytes(rgb, 'pyramid.tif', 'TIFF');
    expect(r2.done.state).toBe('done');
    const img2 = await localClient(ctx)['images.forBillet']({ billetId: r2.billet.id });
    expect([img2!.format, img2!.width, img2!.height, img2!.page]).toEqual(['tiff', 1200, 1000, 0]);
    expect(img2!.pages).toBeGreaterThan(1);
    expect(Math.abs(img2!.circle!.r - 420) / 420).toBeLessThan(0.01);
  });

  it('refuses a truncated PNG, naming the file and the reason, leaving no rows or files', async () => {
    const png = await syntheticSectionPng(generateSyntheticBillet({ seed: 1, sizePx: 300 }));
    const { done } = await importBytes(png.subarray(0, Math.floor(png.length * 0.6)), 'broken-scan.png');
    expect(done.state).toBe('failed');
    expect(done.error!.message).toMatch(/broken-scan\.png/);
    expect(done.error!.message).toMatch(/corrupt or truncated/);
    expect(leftovers()).toEqual({ files: [], rows: 0 });
  });

  it('refuses a text file as "not an image", leaving no rows or files', async () => {
    const { done } = await importBytes(Buffer.from('label;carbon\nP01;0,42\n'), 'readings.csv');
    expect(done.state).toBe('failed');
    expect(done.error!.code).toBe('invalid_argument');
    expect(done.error!.message).toMatch(/Cannot import "readings\.csv": not an image/);
    expect(leftovers()).toEqual({ files: [], rows: 0 });
  });

  it('refuses a 40 000 × 40 000 px image under the default limit from its header alone, and honours a configured limit', async () => {
    const { done } = await importBytes(pngHeaderOnly(40_000, 40_000), 'huge.png');
    expect(done.state).toBe('failed');
    expect(done.error!.message).toBe(
      'Cannot import "huge.png": 40000×40000 px (1600 Mpx) exceeds the pixel limit of 400 Mpx; downsample the scan or raise the limit in Settings',
    );
    expect(leftovers()).toEqual({ files: [], rows: 0 });

    const api = localClient(ctx);
    expect(await api['images.pixelLimit']({ maxPixels: 200 * 200 })).toEqual({ maxPixels: 40_000, defaultMaxPixels: 400_000_000 });
    const small = await sharp({ create: { width: 250, height: 200, channels: 3, background: '#808080' } }).png().toBuffer();
    const r = await importBytes(small, 'over.png', 'B2');
    expect(r.done.state).toBe('failed');
    expect(r.done.error!.message).toMatch(/250×200 px .* exceeds the pixel limit/);
    expect(leftovers()).toEqual({ files: [], rows: 0 });
  });

  it('identical bytes imported for two billets share one folder; deleting one billet keeps the other working', async () => {
    const png = await syntheticSectionPng(generateSyntheticBillet({ seed: 2, sizePx: 400 }));
    const a = await importBytes(png, 'a.png', 'A');
    const b = await importBytes(png, 'b.png', 'B');
    expect([a.done.state, b.done.state]).toEqual(['done', 'done']);
    expect(readdirSync(ctx.paths.images)).toHaveLength(1);
    const api = localClient(ctx);
    const ia = await api['images.forBillet']({ billetId: a.billet.id });
    const ib = await api['images.forBillet']({ billetId: b.billet.id });
    expect(ia!.contentHash).toBe(ib!.contentHash);
  });
});

describe('rim correction and patch preview', () => {
  it('three rim clicks set the circle and the scale; collinear clicks are refused; auto restores', async () => {
    const bil = generateSyntheticBillet({ seed: 4, sizePx: 600 });
    const { billet } = await importBytes(await syntheticSectionPng(bil), 's.png');
    const api = localClient(ctx);
    const img = (await api['images.forBillet']({ billetId: billet.id }))!;
    const { cx, cy, r } = bil.circle;
    const set = await api['images.setCircle']({
      imageId: img.id,
      threePoints: [{ x: cx + r, y: cy }, { x: cx, y: cy - r }, { x: cx - r * Math.SQRT1_2, y: cy + r * Math.SQRT1_2 }],
    });
    expect(set.circleSource).toBe('three-point');
    expect(set.circle!.r).toBeCloseTo(r, 6);
    expect(set.mmPerPx).toBeCloseTo(600 / (2 * r), 9);
    await expect(api['images.setCircle']({ imageId: img.id, threePoints: [{ x: 0, y: 0 }, { x: 10, y: 10 }, { x: 20, y: 20 }] })).rejects.toThrow(/on a line/);
    await expect(api['images.setCircle']({ imageId: img.id })).rejects.toThrow(/exactly one/);
    const back = await api['images.setCircle']({ imageId: img.id, restoreAuto: true });
    expect(back.circleSource).toBe('auto');
    expect(back.circle).toEqual(img.autoCircle);
  });

  it('previews a patch at an mm position: raw and CLAHE PNGs with quality before and after', async () => {
    const bil = generateSyntheticBillet({ seed: 4, sizePx: 600 });
    const { billet } = await importBytes(await syntheticSectionPng(bil), 's.png');
    const api = localClient(ctx);
    const img = (await api['images.forBillet']({ billetId: billet.id }))!;
    await api['images.setSettings']({ imageId: img.id, settings: { ...img.settings, patch: { sizeMm: 50, nativeSizePx: 224, outputSizePx: 64 } } });
    const p = await api['patches.preview']({ billetId: billet.id, xMm: 100, yMm: -40 });
    expect(p.sourceSizePx).toBe(Math.round(50 / img.mmPerPx!));
    expect(p.outputSizePx).toBe(64);
    for (const rel of [p.rawRel, p.claheRel]) {
      const m = await sharp(join(ctx.paths.root, rel)).metadata();
      expect([m.width, m.height, m.channels]).toEqual([64, 64, 1]);
    }
    expect(p.qualityClahe.figures.rmsContrast).toBeGreaterThan(p.qualityRaw.figures.rmsContrast);
    await expect(api['patches.preview']({ billetId: billet.id, label: 'P01' })).rejects.toThrow(/no sampling point "P01"/);
  });
});
