import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cpSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import sharp from 'sharp';
import { tempContext } from '../../helpers/temp.js';
import { tiff16 } from '../../helpers/grey-image.js';
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
  const billet = await api['billets.create']({ name: billetName, nominalDiameterMm: 600 });
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

  it('imports a 16-bit greyscale TIFF and a JPEG; 16-bit values are scaled to 8 bit, not clipped', async () => {
    const w = 320, h = 240;
    const px = new Uint16Array(w * h);
    // Disc at 40000/65535 (≈ 155.6 in 8 bit), background 2000 (≈ 7.8); a clipping decoder would give 255 for both.
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) px[y * w + x] = Math.hypot(x - 160, y - 120) < 100 ? 40000 : 2000;
    const tif = tiff16(w, h, px);
    const meta = await sharp(tif).metadata();
    expect([meta.format, meta.depth, meta.channels]).toEqual(['tiff', 'ushort', 1]);
    const r = await importBytes(tif, 'scan16.tif', 'T16');
    expect(r.done.state).toBe('done');
    const img = (await localClient(ctx)['images.forBillet']({ billetId: r.billet.id }))!;
    expect([img.format, img.bitDepth, img.width, img.height]).toEqual(['tiff', 16, 320, 240]);
    expect(Math.abs(img.circle!.r - 100) / 100).toBeLessThan(0.01);
    const { decodeGrey, storedSectionProbe } = await import('../../../core/imaging/index.js');
    const { file, probed } = storedSectionProbe(ctx.paths.images, img.contentHash);
    const grey = await decodeGrey(file, probed);
    expect(Math.abs(grey.data[120 * w + 160] - 40000 / 257)).toBeLessThanOrEqual(1);
    expect(Math.abs(grey.data[0] - 2000 / 257)).toBeLessThanOrEqual(1);

    const jpg = await sharp({ create: { width: 500, height: 400, channels: 3, background: '#151515' } })
      .composite([{ input: Buffer.from('<svg width="500" height="400"><circle cx="240" cy="210" r="170" fill="#c8c8c8"/></svg>') }])
      .jpeg({ quality: 90 })
      .toBuffer();
    const j = await importBytes(jpg, 'photo.jpg', 'J');
    expect(j.done.state).toBe('done');
    const ji = (await localClient(ctx)['images.forBillet']({ billetId: j.billet.id }))!;
    expect(ji.format).toBe('jpeg');
    expect(Math.hypot(ji.circle!.cx - 240, ji.circle!.cy - 210)).toBeLessThan(1.7);
    expect(Math.abs(ji.circle!.r - 170) / 170).toBeLessThan(0.01);
  });

  it('refuses a photo whose EXIF orientation turns it (a camera held upright), leaving no rows or files; orientation 1 imports', async () => {
    // Ferrolab reads pixels as stored; every other viewer turns such a photo. Imported, its points, maps and report
    // were turned 90° against the picture the lab knows, without a word.
    const photo = (orientation: number) => sharp({ create: { width: 500, height: 400, channels: 3, background: '#151515' } })
      .composite([{ input: Buffer.from('<svg width="500" height="400"><circle cx="240" cy="210" r="170" fill="#c8c8c8"/></svg>') }])
      .jpeg({ quality: 90 })
      .withMetadata({ orientation })
      .toBuffer();
    const turned = await photo(6);
    expect((await sharp(turned).metadata()).orientation).toBe(6);
    const { done } = await importBytes(turned, 'upright.jpg');
    expect(done.state).toBe('failed');
    expect(done.error!.code).toBe('invalid_argument');
    expect(done.error!.message).toBe('Cannot import "upright.jpg": its EXIF orientation tag is 6, so other viewers show it rotated or mirrored, while Ferrolab reads the pixels as stored and its points, maps and report would be turned against the picture you know: save the image with the rotation applied (rotate it in an image editor and save) and import that');
    expect(done.error!.phrase).toEqual({ code: 'imageOrientation.turned', params: { file: 'upright.jpg', orientation: 6 } });
    expect(leftovers()).toEqual({ files: [], rows: 0 });
    const ok = await importBytes(await photo(1), 'level.jpg', 'B2');
    expect(ok.done.state).toBe('done');
  });

  it('refuses a 16-bit scan that uses only 12 bits (a camera\'s values stored unscaled): read as 8-bit it would keep 13 grey levels', async () => {
    // Disc at 3000, background 200 of 65535: scaled to 8 bit these become 12 and 1 — the section read almost black,
    // its patches a dozen grey levels, and a model's predictions and intervals printed on them without a word.
    const w = 320, h = 240;
    const px = new Uint16Array(w * h);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) px[y * w + x] = Math.hypot(x - 160, y - 120) < 100 ? 3000 : 200;
    const { done } = await importBytes(tiff16(w, h, px), 'camera12.tif');
    expect(done.state).toBe('failed');
    expect(done.error!.code).toBe('invalid_argument');
    expect(done.error!.message).toBe('Cannot import "camera12.tif": a 16-bit image whose brightest pixel is 3000 of 65535 (a 12-bit camera\'s values, say, stored unscaled) would be read with only 13 grey levels: if the camera gives 12 bits, declare them and the values are scaled to the full range (--significant-bits 12 on `ferrolab billet import`, "Significant bits" beside the import button); else save it scaled to the full 16-bit range, or as 8-bit, and import that');
    expect(done.error!.phrase?.code).toBe('imageBits.lowRange');
    expect(leftovers()).toEqual({ files: [], rows: 0 });
  });

  it('refuses 12-bit grey behind an opaque alpha channel, and the same bytes where a folder from before the check exists', async () => {
    const w = 320, h = 240;
    const disc = (x: number, y: number) => (Math.hypot(x - 160, y - 120) < 100 ? 3000 : 200);
    // grey + alpha, 16 bit: the opaque alpha (65535) was taken as the image's brightest value and hid the 12-bit grey
    const ga = new Uint16Array(w * h * 2);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) { ga[2 * (y * w + x)] = disc(x, y); ga[2 * (y * w + x) + 1] = 65535; }
    const png = await sharp(ga, { raw: { width: w, height: h, channels: 2 } }).toColourspace('grey16').png().toBuffer();
    expect(await sharp(png).metadata()).toMatchObject({ depth: 'ushort', channels: 2, hasAlpha: true });
    const alpha = await importBytes(png, 'camera12-alpha.png');
    expect(alpha.done.state).toBe('failed');
    expect(alpha.done.error!.phrase).toEqual({ code: 'imageBits.lowRange', params: { file: 'camera12-alpha.png', max: 3000, levels: 13, bits: 12 } });
    expect(leftovers()).toEqual({ files: [], rows: 0 });

    // A folder for the same bytes from before the check (an older version's import) was reused without the check.
    const full = new Uint16Array(w * h);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) full[y * w + x] = disc(x, y) * 13;
    expect((await importBytes(tiff16(w, h, full), 'scan16.tif', 'OLD')).done.state).toBe('done');
    const low = new Uint16Array(w * h);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) low[y * w + x] = disc(x, y);
    const lowTif = tiff16(w, h, low);
    const [oldDir] = readdirSync(ctx.paths.images).filter((d) => !d.startsWith('.'));
    cpSync(join(ctx.paths.images, oldDir!), join(ctx.paths.images, createHash('sha256').update(lowTif).digest('hex')), { recursive: true });
    const again = await importBytes(lowTif, 'camera12.tif', 'NEW');
    expect(again.done.state).toBe('failed');
    expect(again.done.error!.phrase?.code).toBe('imageBits.lowRange');
    expect((ctx.db.prepare('SELECT COUNT(*) AS n FROM images').get() as { n: number }).n).toBe(1);
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

  it('a cancelled import ends "cancelled" and leaves no rows or files', async () => {
    const png = await syntheticSectionPng(generateSyntheticBillet({ seed: 8, sizePx: 700 }));
    const api = localClient(ctx);
    const billet = await api['billets.create']({ name: 'C', nominalDiameterMm: 600 });
    const job = await api['images.import']({ billetId: billet.id, upload: { uploadId: ctx.uploads.saveBytes(png), name: 'c.png' } });
    await api['jobs.cancel']({ jobId: job.id });
    const done = await ctx.jobs.wait(job.id);
    expect(done.state).toBe('cancelled');
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

    await api['billets.delete']({ id: a.billet.id, confirmName: 'A' });
    expect(readdirSync(ctx.paths.images)).toEqual([ib!.contentHash]);
    expect(existsSync(join(ctx.paths.images, ib!.contentHash, 'thumb.png'))).toBe(true);
    expect((await api['images.forBillet']({ billetId: b.billet.id }))!.contentHash).toBe(ib!.contentHash);

    await api['billets.delete']({ id: b.billet.id, confirmName: 'B' });
    expect(readdirSync(ctx.paths.images)).toEqual([]);
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

  it('quality table of all 85 points: a weakly etched section is flagged "low etch contrast" and CLAHE raises its contrast', async () => {
    const bil = generateSyntheticBillet({ seed: 6, sizePx: 600 });
    // Weak etch: squeeze the texture inside the rim into ±8 grey levels (the background stays dark so the rim is found).
    const { cx, cy, r } = bil.circle;
    const weak = { ...bil, data: Uint8Array.from(bil.data, (v, i) => (Math.hypot((i % 600) - cx, Math.floor(i / 600) - cy) < r - 3 ? 124 + Math.round((v - 128) / 16) : v)) };
    const api = localClient(ctx);
    const results = [];
    for (const [name, b] of [['normal', bil], ['weak', weak]] as const) {
      const { billet, done } = await importBytes(await syntheticSectionPng(b), `${name}.png`, name);
      expect(done.state).toBe('done');
      await api['points.layout']({ billetId: billet.id });
      const img = (await api['images.forBillet']({ billetId: billet.id }))!;
      await api['images.setSettings']({ imageId: img.id, settings: { ...img.settings, patch: { sizeMm: 40, nativeSizePx: 224, outputSizePx: 96 } } });
      const job = await api['patches.quality']({ billetId: billet.id });
      const fin = await ctx.jobs.wait(job.id);
      expect(fin.state).toBe('done');
      results.push(fin.result as { rows: unknown[]; lowEtchContrast: string[]; meanRaw: { rmsContrast: number }; meanClahe: { rmsContrast: number } });
    }
    const [normal, weakQ] = results;
    expect(normal.rows).toHaveLength(85);
    expect(normal.lowEtchContrast).toEqual([]);
    expect(weakQ.lowEtchContrast.length).toBeGreaterThan(80);
    expect(weakQ.meanRaw.rmsContrast).toBeLessThan(0.05);
    expect(weakQ.meanClahe.rmsContrast).toBeGreaterThan(1.5 * weakQ.meanRaw.rmsContrast);
  });
});
