import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { tempContext } from '../../helpers/temp.js';
import { greyPixels, greyPng, greyPngOf, tiff16 } from '../../helpers/grey-image.js';
import { localClient } from '../../../core/app/dispatch.js';
import type { AppContext } from '../../../core/app/context.js';
import type { AttachReport } from '../../../core/api/methods/images.js';
import { applyClahe, centreSquare, discardPrepared, labelStem, prepareAttachedPatches, resampleSquare, DEFAULT_CLAHE } from '../../../core/imaging/index.js';

type Ctx = AppContext & { dispose: () => Promise<void> };
let ctx: Ctx;
let api: ReturnType<typeof localClient>;
beforeEach(() => {
  ctx = tempContext();
  api = localClient(ctx);
});
afterEach(async () => {
  await ctx.dispose();
});

function upload(bytes: Uint8Array, name: string) {
  return { uploadId: ctx.uploads.saveBytes(bytes), name };
}

async function billetWithPoints(name = 'B12') {
  const b = await api['billets.create']({ name, nominalDiameterMm: 600 });
  await api['points.layout']({ billetId: b.id });
  return b.id;
}

async function attach(billetId: number, files: Array<{ bytes: Uint8Array; name: string }>) {
  const job = await api['patches.attach']({ billetId, files: files.map((f) => upload(f.bytes, f.name)) });
  return ctx.jobs.wait(job.id);
}

const patchFiles = () => (existsSync(join(ctx.paths.images, 'patches')) ? readdirSync(join(ctx.paths.images, 'patches'), { recursive: true }) : []);
const rowCount = () => (ctx.db.prepare('SELECT COUNT(*) AS n FROM attached_patches').get() as { n: number }).n;

/** The model input a 32 px dataset must produce for an attached image: centre square → Lanczos to 32 px → CLAHE (default window). */
async function expectedPatch(pixels: Uint8Array, w: number, h: number, size: number): Promise<Uint8Array> {
  const sq = centreSquare({ width: w, height: h, data: pixels });
  return applyClahe(await resampleSquare(sq.data, sq.side, size), size, size, DEFAULT_CLAHE);
}

describe('attached patch images: matching and refusals', () => {
  it('matches file names to point labels with the readings-CSV rules and ignores OS clutter', async () => {
    expect(['P01.png', 'p1.tif', 'B12-P01.jpg', 'scan/P07.TIFF', 'P 3.png'].map(labelStem)).toEqual(['P01', 'p1', 'B12-P01', 'P07', 'P 3']);
    const png = await greyPng(20, 20, 1);
    const names = ['P01.png', 'p2.tif', 'B12-P03.jpg', 'Thumbs.db', '.DS_Store'];
    names.forEach((n, i) => writeFileSync(join(ctx.paths.tmp, `m-${i}`), png));
    const r = await prepareAttachedPatches(names.map((n, i) => ({ file: join(ctx.paths.tmp, `m-${i}`), name: n })), ['P01', 'P02', 'P03'], { imagesDir: ctx.paths.images });
    expect(r.errors).toEqual([]);
    expect(r.matched).toEqual([
      { file: 'P01.png', label: 'P01' },
      { file: 'p2.tif', label: 'P02' },
      { file: 'B12-P03.jpg', label: 'P03' },
    ]);
    expect(r.skipped).toEqual(['Thumbs.db', '.DS_Store']);
    expect(r.prepared.map((p) => [p.label, p.width, p.height])).toEqual([['P01', 20, 20], ['P02', 20, 20], ['P03', 20, 20]]);
    expect(patchFiles()).toHaveLength(3); // staged, one grey PNG each
    discardPrepared(r.prepared);
    expect(patchFiles()).toEqual([]);
  });

  it('refuses a folder with a truncated PNG, a text file, an unknown label and a duplicate label, naming each file; nothing is stored', async () => {
    const billetId = await billetWithPoints();
    const good = await greyPng(64, 64, 2);
    const truncated = (await greyPng(64, 64, 3)).subarray(0, 300);
    const done = await attach(billetId, [
      { bytes: good, name: 'P01.png' },
      { bytes: truncated, name: 'P02.png' },
      { bytes: new TextEncoder().encode('label;C\nP03;0,41\n'), name: 'P03.png' },
      { bytes: good, name: 'P99.png' },
      { bytes: good, name: 'B12-p1.png' },
    ]);
    expect(done.state).toBe('failed');
    expect(done.error!.message).toMatch(/^Nothing attached — 4 files refused/);
    for (const f of ['P02.png', 'P03.png', 'P99.png', 'B12-p1.png']) expect(done.error!.message).toContain(f);
    const report = done.detail as AttachReport;
    expect(report.imported).toBe(false);
    const byFile = Object.fromEntries(report.errors.map((e) => [e.file, e.message]));
    expect(Object.keys(byFile).sort()).toEqual(['B12-p1.png', 'P02.png', 'P03.png', 'P99.png']);
    expect(byFile['P02.png']).toMatch(/corrupt or truncated/);
    expect(byFile['P03.png']).toMatch(/not an image/);
    expect(byFile['P99.png']).toMatch(/"P99" is not a point label of this billet \(the billet has P01…P85\)/);
    expect(byFile['B12-p1.png']).toMatch(/P01 already has a patch in this folder: "P01.png"/);
    expect(rowCount()).toBe(0);
    expect(patchFiles()).toEqual([]);
    expect(readdirSync(ctx.paths.tmp).filter((f) => f.startsWith('upload-'))).toEqual([]); // uploads cleaned up too
  });

  it('refuses a folder whose file names name another billet of the data folder ("B13-P02.png" attaching to B12), as the readings import does (task 24-D, 24-H)', async () => {
    // matched by their point number alone, B13's micrographs had been attached to this billet's points without a word
    const png = await greyPng(20, 20, 8);
    const names = ['B12-P01.png', 'B13-P02.png', 'b12_p3.png'];
    names.forEach((n, i) => writeFileSync(join(ctx.paths.tmp, `b-${i}`), png));
    const files = names.map((n, i) => ({ file: join(ctx.paths.tmp, `b-${i}`), name: n }));
    const r = await prepareAttachedPatches(files, ['P01', 'P02', 'P03'], { imagesDir: ctx.paths.images, otherBillets: ['B-13', 'B14'] });
    expect(r.errors).toEqual([{ file: 'B13-P02.png', message: '"B13-P02" names billet "B-13", another billet in this data folder: one folder, one billet — attach it to B-13', phrase: { code: 'errors.imaging.attachOtherBillet', params: { stem: 'B13-P02', billet: 'B-13' } } }]);
    expect([r.prepared, patchFiles()]).toEqual([[], []]);
    // one point under two prefixes is two billets whatever the prefixes are
    const twice = await prepareAttachedPatches([files[0]!, { file: files[1]!.file, name: 'B15-P01.png' }], ['P01', 'P02', 'P03'], { imagesDir: ctx.paths.images });
    expect(twice.errors).toEqual([{ file: 'B15-P01.png', message: '"B15-P01" names another billet than "B12-P01.png" ("B15" and "B12"): one folder, one billet', phrase: { code: 'errors.imaging.attachTwoBillets', params: { stem: 'B15-P01', first: 'B12-P01.png', prefix: 'B15', firstPrefix: 'B12' } } }]);
    discardPrepared(twice.prepared);
  });

  it('refuses a file named for another billet when others carry this billet\'s name, before that billet is stored (task 24-I)', async () => {
    // fails before: the service did not pass the billet's own name, so "B13-P03.png" was attached to B12's P03
    const png = await greyPng(20, 20, 8);
    const billetId = await billetWithPoints('B12');
    const r = await attach(billetId, ['B12-P01.png', 'B12-P02.png', 'B13-P03.png', 'Img_004_P04.png'].map((name) => ({ bytes: png, name })));
    const report = r.detail as AttachReport;
    expect(report.errors).toEqual([{ file: 'B13-P03.png', message: '"B13-P03" names billet "B13" where "B12-P01.png" names this billet, B12: one folder, one billet — attach it to B13', phrase: { code: 'errors.imaging.attachNotThisBillet', params: { stem: 'B13-P03', prefix: 'B13', first: 'B12-P01.png', billet: 'B12' } } }]);
    expect([report.imported, rowCount(), patchFiles()]).toEqual([false, 0, []]);
  });

  it('billets named by heat number: a file named for another stored heat is refused, and a heat number on some names is the billet\'s own (task 25-C)', async () => {
    const png = await greyPng(20, 20, 8);
    await billetWithPoints('4711');
    const billetId = await billetWithPoints('4712');
    // heat 4711's micrographs attached to heat 4712 by their point number
    const other = (await attach(billetId, [{ bytes: png, name: '4711-P02.png' }, { bytes: png, name: 'P03.png' }])).detail as AttachReport;
    expect(other.errors).toEqual([{ file: '4711-P02.png', message: '"4711-P02" names billet "4711", another billet in this data folder: one folder, one billet — attach it to 4711', phrase: { code: 'errors.imaging.attachOtherBillet', params: { stem: '4711-P02', billet: '4711' } } }]);
    // fails before: a digit-only own name was no evidence, so "K4711-P03.png" was attached to heat 4712's P03
    const own = (await attach(billetId, ['4712-P01.png', 'K4711-P03.png', '20261120-P04.png'].map((name) => ({ bytes: png, name })))).detail as AttachReport;
    expect(own.errors).toEqual([{ file: 'K4711-P03.png', message: '"K4711-P03" names billet "K4711" where "4712-P01.png" names this billet, 4712: one folder, one billet — attach it to K4711', phrase: { code: 'errors.imaging.attachNotThisBillet', params: { stem: 'K4711-P03', prefix: 'K4711', first: '4712-P01.png', billet: '4712' } } }]);
    expect([own.imported, rowCount(), patchFiles()]).toEqual([false, 0, []]);
    // digits that name no stored billet are a date or a counter: attached
    const dated = await attach(billetId, ['4712-P01.png', '20261120-P04.png', '4713-P05.png'].map((name) => ({ bytes: png, name })));
    expect([dated.state, (dated.result as AttachReport).errors, rowCount()]).toEqual(['done', [], 3]);
  });

  it('a replicate mark after the point ("B12-P05-R2.png", "P06-R1.png") names the point, not a billet: a second file of a point is refused as one (task 25-C)', async () => {
    // fails before: "B12-P05-R2.png" beside "B12-P05-R1.png" was refused as naming two billets, "P06-R1.png" as no point
    const png = await greyPng(20, 20, 8);
    const names = ['B12-P05-R1.png', 'B12-P05-R2.png', 'P06-R1.png'];
    names.forEach((n, i) => writeFileSync(join(ctx.paths.tmp, `r-${i}`), png));
    const r = await prepareAttachedPatches(names.map((n, i) => ({ file: join(ctx.paths.tmp, `r-${i}`), name: n })), ['P05', 'P06'], { imagesDir: ctx.paths.images, ownBillet: 'B12', otherBillets: ['B13'] });
    expect(r.matched).toEqual([{ file: 'B12-P05-R1.png', label: 'P05' }, { file: 'B12-P05-R2.png', label: 'P05' }, { file: 'P06-R1.png', label: 'P06' }]);
    expect(r.errors).toEqual([{ file: 'B12-P05-R2.png', message: 'P05 already has a patch in this folder: "B12-P05-R1.png" (one patch per point)', phrase: { code: 'errors.imaging.attachTwice', params: { label: 'P05', first: 'B12-P05-R1.png' } } }]);
    expect([r.prepared, patchFiles()]).toEqual([[], []]);
  });

  it('a replicate mark before the point ("R2-P05.png", "B12-R2-P05.png") is refused, as the readings import refuses it: ring numbering is written so too', async () => {
    // fails before: "R2-P05.png" attached to P05 (ring 2's fifth patch would land on P05)
    const png = await greyPng(20, 20, 8);
    const names = ['R2-P05.png', 'B12-R2-P06.png'];
    names.forEach((n, i) => writeFileSync(join(ctx.paths.tmp, `b-${i}`), png));
    const r = await prepareAttachedPatches(names.map((n, i) => ({ file: join(ctx.paths.tmp, `b-${i}`), name: n })), ['P05', 'P06'], { imagesDir: ctx.paths.images, ownBillet: 'B12' });
    expect(r.errors.map((e) => [e.file, e.message, e.phrase?.code])).toEqual([
      ['R2-P05.png', '"R2-P05" writes a replicate mark before the point ("R2"), as ring or ray numbering is written too: it is not attached — if it is P05\'s patch, name the file P05 (one patch per point)', 'errors.imaging.attachMarkBefore'],
      ['B12-R2-P06.png', '"B12-R2-P06" writes a replicate mark before the point ("R2"), as ring or ray numbering is written too: it is not attached — if it is P06\'s patch, name the file P06 (one patch per point)', 'errors.imaging.attachMarkBefore'],
    ]);
    expect([r.prepared, patchFiles()]).toEqual([[], []]);
  });

  it('a billet name ending in R<n> ("B12-R1") is a name, not a replicate mark: its files are refused attaching to B12-R2, and B13\'s beside B12-R2\'s own (task 25-E)', async () => {
    // fails before: "B12-R1-P01.png" was read as "B12-P01" replicate 1 and attached to B12-R2; "B13-P02.png" beside "B12-R2-P01.png" too
    const png = await greyPng(20, 20, 8);
    await billetWithPoints('B12-R1');
    const billetId = await billetWithPoints('B12-R2');
    const other = (await attach(billetId, ['B12-R1-P01.png', 'B12-R1-P02.png'].map((name) => ({ bytes: png, name })))).detail as AttachReport;
    expect(other.errors.map((e) => [e.file, e.message])).toEqual(['P01', 'P02'].map((p) => [`B12-R1-${p}.png`, `"B12-R1-${p}" names billet "B12-R1", another billet in this data folder: one folder, one billet — attach it to B12-R1`]));
    const own = (await attach(billetId, ['B12-R2-P01.png', 'B13-P02.png'].map((name) => ({ bytes: png, name })))).detail as AttachReport;
    expect(own.errors.map((e) => [e.file, e.message])).toEqual([['B13-P02.png', '"B13-P02" names billet "B13" where "B12-R2-P01.png" names this billet, B12-R2: one folder, one billet — attach it to B13']]);
    expect([rowCount(), patchFiles()]).toEqual([0, []]);
    // a point's own label with other separators ("P05_R2.png" for the point P05-R2) is that point
    {
      writeFileSync(join(ctx.paths.tmp, 'own-label'), png);
      const r = await prepareAttachedPatches([{ file: join(ctx.paths.tmp, 'own-label'), name: 'P05_R2.png' }], ['P05', 'P05-R1', 'P05-R2'], { imagesDir: ctx.paths.images });
      expect([r.matched, r.errors]).toEqual([[{ file: 'P05_R2.png', label: 'P05-R2' }], []]);
      discardPrepared(r.prepared);
    }
  });

  it('attaches a folder whose names carry a camera counter or a date before the point ("Img_001_P01.png"): no billet named (task 24-H)', async () => {
    // any text before the point had counted as a billet name, so a camera's counter refused every normal folder
    const png = await greyPng(20, 20, 8);
    for (const names of [['Img_001_P01.png', 'Img_002_P02.png'], ['20261120-P01.png', '20261121-P02.png']]) {
      names.forEach((n, i) => writeFileSync(join(ctx.paths.tmp, `c-${i}`), png));
      const r = await prepareAttachedPatches(names.map((n, i) => ({ file: join(ctx.paths.tmp, `c-${i}`), name: n })), ['P01', 'P02', 'P03'], { imagesDir: ctx.paths.images, otherBillets: ['B13'] });
      expect(r.errors).toEqual([]);
      expect(r.prepared.map((p) => p.label)).toEqual(['P01', 'P02']);
      discardPrepared(r.prepared);
    }
  });

  it('refuses an image above the pixel limit and one too small to be a patch', async () => {
    const dir = ctx.paths.tmp;
    writeFileSync(join(dir, 'big'), await greyPng(300, 200, 4));
    writeFileSync(join(dir, 'tiny'), await greyPng(10, 40, 5));
    const r = await prepareAttachedPatches([{ file: join(dir, 'big'), name: 'P01.png' }, { file: join(dir, 'tiny'), name: 'P02.png' }], ['P01', 'P02'], { imagesDir: ctx.paths.images, maxPixels: 50_000 });
    expect(r.prepared).toEqual([]);
    // each problem also as a code, the file named as given (the Annotate view words it in the interface language)
    expect(r.errors[0]).toEqual({ file: 'P01.png', message: expect.stringMatching(/300×200 px \(0 Mpx\) exceeds the pixel limit/), phrase: expect.objectContaining({ code: 'errors.imaging.tooManyPixels' }) });
    expect(r.errors[0].phrase?.params).toMatchObject({ file: 'P01.png', width: 300, height: 200 });
    expect(r.errors[1]).toEqual({
      file: 'P02.png',
      message: '10×40 px is too small for a patch (at least 16 px on each side)',
      phrase: { code: 'errors.imaging.attachTooSmall', params: { file: 'P02.png', width: 10, height: 40, min: 16 } },
    });
    expect(patchFiles()).toEqual([]);
  });

  it('refuses a 16-bit patch that uses only its low bits (a 12-bit camera\'s values stored unscaled) until its bits are declared; declared, it is scaled to the full range (task 24-D)', async () => {
    // A microscope camera's 12-bit values in a 16-bit TIFF (0…2816 of 65535) had been attached as an 8-bit patch of
    // 12 grey levels (0…11 of 255) without a word — the CNN's input a dozen levels deep, its predictions printed on it.
    // The section import refused such a file; the attach did not look.
    const billetId = await billetWithPoints();
    const w = 48, h = 48;
    const grey = greyPixels(w, h, 9);
    const tif = tiff16(w, h, Uint16Array.from(grey, (v) => v * 16));
    const max = Math.max(...grey) * 16;
    const refused = await attach(billetId, [{ bytes: tif, name: 'P01.tif' }]);
    expect(refused.state).toBe('failed');
    expect((refused.detail as AttachReport).errors).toEqual([{
      file: 'P01.tif',
      message: `a 16-bit image whose brightest pixel is ${max} of 65535 (a 12-bit camera's values, say, stored unscaled) would be attached with only 12 grey levels: if the camera gives 12 bits, declare them and the values are scaled to the full range (--significant-bits 12 on \`ferrolab patches attach\`); else save it scaled to the full 16-bit range, or as 8-bit, and attach that`,
      phrase: { code: 'imageBits.lowRangePatch', params: { file: 'P01.tif', max, levels: 12, bits: 12 } },
    }]);
    expect([rowCount(), patchFiles()]).toEqual([0, []]);
    // declared 12 bits: every value × 2^(16 − 12), stored as the 8-bit picture the camera took
    const job = await api['patches.attach']({ billetId, files: [upload(tif, 'P01.tif')], significantBits: 12 });
    const done = await ctx.jobs.wait(job.id);
    expect(done.state, done.error?.message).toBe('done');
    const stored = (ctx.db.prepare('SELECT content_hash AS h FROM attached_patches').get() as { h: string }).h;
    const { data, info } = await sharp(join(ctx.paths.images, 'patches', `${stored}.png`)).toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height, info.channels]).toEqual([w, h, 1]);
    expect(Math.max(...Array.from(data, (v, i) => Math.abs(v - grey[i])))).toBeLessThanOrEqual(1);
    // a declaration the data contradict (values above 2^bits) is refused naming the bits they need, as for a section
    const over = await ctx.jobs.wait((await api['patches.attach']({ billetId, files: [upload(tif, 'P02.tif')], significantBits: 11 })).id);
    expect((over.detail as AttachReport).errors[0].phrase).toMatchObject({ code: 'imageBits.contradicted', params: { file: 'P02.tif', bits: 11, need: 12 } });
  });

  it('removes the files it stored when the database write fails', async () => {
    const billetId = await billetWithPoints();
    ctx.db.exec(`CREATE TRIGGER no_p02 BEFORE INSERT ON attached_patches WHEN NEW.point_label = 'P02' BEGIN SELECT RAISE(ABORT, 'disk says no'); END;`);
    const done = await attach(billetId, [{ bytes: await greyPng(40, 40, 6), name: 'P01.png' }, { bytes: await greyPng(40, 40, 7), name: 'P02.png' }]);
    expect(done.state).toBe('failed');
    expect(done.error!.message).toMatch(/disk says no/);
    expect(rowCount()).toBe(0);
    expect(patchFiles().filter((f) => String(f).endsWith('.png'))).toEqual([]);
  });
});

describe('attached patches in the shared patch pipeline', () => {
  it('take precedence over section patches in the CNN dataset, with exact pixels after resampling and CLAHE; preview, list and detach', async () => {
    // A 256 px noise "section" with a set rim: 600 mm / 240 px = 2.5 mm/px, so a 32 px input is cut at native scale.
    const b = await api['billets.create']({ name: 'Sectioned', nominalDiameterMm: 600 });
    const sect = await greyPng(256, 256, 11);
    const imp = await ctx.jobs.wait((await api['images.import']({ billetId: b.id, upload: upload(sect, 'section.png') })).id);
    expect(imp.state).toBe('done');
    const img = (await api['images.forBillet']({ billetId: b.id }))!;
    await api['images.setCircle']({ imageId: img.id, circle: { cx: 128, cy: 128, r: 120 } });
    await api['points.layout']({ billetId: b.id });
    const before = await ctx.services.cnn.loadBilletPoints(b.id, { inputSize: 32, requireReadings: false });

    // P01: a 60×40 camera frame (centre-cropped to 40×40, enlarged to 32 px); P02: 96×96 (reduced).
    const p01 = greyPixels(60, 40, 21), p02 = greyPixels(96, 96, 22);
    const done = await attach(b.id, [
      { bytes: await greyPngOf(p01, 60, 40), name: 'Sectioned-P01.png' },
      { bytes: await sharp(p02, { raw: { width: 96, height: 96, channels: 1 } }).tiff({ compression: 'lzw' }).toBuffer(), name: 'p2.tif' },
    ]);
    expect(done.state).toBe('done');
    const report = done.result as AttachReport;
    expect(report.matched).toEqual([{ file: 'Sectioned-P01.png', label: 'P01' }, { file: 'p2.tif', label: 'P02' }]);
    expect(patchFiles().filter((f) => /^[0-9a-f]{64}\.png$/.test(String(f)))).toHaveLength(2);

    const after = await ctx.services.cnn.loadBilletPoints(b.id, { inputSize: 32, requireReadings: false });
    const at = (set: typeof after, l: string) => set.points.find((p) => p.label === l)!;
    expect(Array.from(at(after, 'P01').patch)).toEqual(Array.from(await expectedPatch(p01, 60, 40, 32)));
    expect(Array.from(at(after, 'P02').patch)).toEqual(Array.from(await expectedPatch(p02, 96, 96, 32)));
    expect(Array.from(at(after, 'P01').patch)).not.toEqual(Array.from(at(before, 'P01').patch));
    expect(Array.from(at(after, 'P43').patch)).toEqual(Array.from(at(before, 'P43').patch)); // cut from the section as before
    expect(after.billet.attachedPatches.map((a) => a.label)).toEqual(['P01', 'P02']);

    const prev = await api['patches.preview']({ billetId: b.id, label: 'P01' });
    expect([prev.source, prev.attachedName, prev.sourceSizePx, prev.imageId]).toEqual(['attached', 'Sectioned-P01.png', 40, img.id]);
    const { data, info } = await sharp(join(ctx.paths.root, prev.rawRel)).toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
    expect(info.channels).toBe(1);
    const sq = centreSquare({ width: 60, height: 40, data: p01 });
    const out = img.settings.patch.outputSizePx;
    expect(Array.from(data)).toEqual(Array.from(await resampleSquare(sq.data, 40, out)));
    expect((await api['patches.preview']({ billetId: b.id, label: 'P03' })).source).toBe('section');

    const list = await api['patches.attachedList']({ billetId: b.id });
    expect(list.map((r) => [r.label, r.originalName, r.width, r.height, r.pointId !== null])).toEqual([['P01', 'Sectioned-P01.png', 60, 40, true], ['P02', 'p2.tif', 96, 96, true]]);
    expect(await api['patches.detach']({ billetId: b.id, labels: ['p01'] })).toEqual({ removed: ['P01'] });
    expect(existsSync(join(ctx.paths.root, list[0].fileRel))).toBe(false);
    expect(existsSync(join(ctx.paths.root, prev.rawRel))).toBe(false); // its cached previews went with it
    expect(existsSync(join(ctx.paths.root, list[1].fileRel))).toBe(true);
    const again = await ctx.services.cnn.loadBilletPoints(b.id, { inputSize: 32, requireReadings: false });
    expect(Array.from(at(again, 'P01').patch)).toEqual(Array.from(at(before, 'P01').patch));
  });

  it('builds a dataset for a billet with attached patches and no section image; points without a patch are named', async () => {
    const billetId = await billetWithPoints('NoScan');
    const px = [greyPixels(48, 48, 31), greyPixels(48, 48, 32), greyPixels(48, 48, 33)];
    const done = await attach(billetId, await Promise.all(px.map(async (d, i) => ({ bytes: await greyPngOf(d, 48, 48), name: `P0${i + 1}.png` }))));
    expect(done.state).toBe('done');
    expect(ctx.repos.billets.get(billetId)).toMatchObject({ imageCount: 0, attachedPatchCount: 3 });
    for (const [label, v] of [['P01', 0.41], ['P02', 0.43], ['P03', 0.47]] as const) await api['readings.set']({ billetId, label, values: [v] });

    const ds = await ctx.services.cnn.buildDataset([billetId], { inputSize: 32, requireReadings: true });
    expect(ds.billets[0].imageHash).toBeNull();
    expect(ds.points.map((p) => [p.label, p.carbon])).toEqual([['P01', 0.41], ['P02', 0.43], ['P03', 0.47]]);
    for (let i = 0; i < 3; i++) expect(Array.from(ds.points[i].patch)).toEqual(Array.from(await expectedPatch(px[i], 48, 48, 32)));
    expect(ds.points.every((p) => p.outsideFraction === 0)).toBe(true);

    // Every point (prediction) needs a patch: the 82 without one are refused by name, not dropped.
    await expect(ctx.services.cnn.loadBilletPoints(billetId, { inputSize: 32, requireReadings: false })).rejects.toThrow(
      /Billet "NoScan": 82 points have no patch: P04, P05, .* and 70 more \(no section image to cut from and no attached patch image\)/,
    );
    // The quality table covers the attached points and lists the rest.
    const q = await ctx.jobs.wait((await api['patches.quality']({ billetId })).id);
    expect(q.state).toBe('done');
    const table = q.result as { rows: { label: string; source: string }[]; missing: string[]; imageId: number | null };
    expect(table.rows.map((r) => [r.label, r.source])).toEqual([['P01', 'attached'], ['P02', 'attached'], ['P03', 'attached']]);
    expect(table.missing).toHaveLength(82);
    expect(table.imageId).toBeNull();
  });

  it('replaces a point\'s patch on a second attach (one active patch per point) and sweeps the replaced file', async () => {
    const billetId = await billetWithPoints();
    expect((await attach(billetId, [{ bytes: await greyPng(32, 32, 41), name: 'P05.png' }])).state).toBe('done');
    const first = (await api['patches.attachedList']({ billetId }))[0];
    const second = await attach(billetId, [{ bytes: await greyPng(32, 32, 42), name: 'p5.jpg' }]);
    expect((second.result as AttachReport).replaced).toEqual(['P05']);
    const rows = await api['patches.attachedList']({ billetId });
    expect(rows.map((r) => [r.label, r.originalName])).toEqual([['P05', 'p5.jpg']]);
    expect(rows[0].contentHash).not.toBe(first.contentHash);
    expect(existsSync(join(ctx.paths.root, first.fileRel))).toBe(false);
    // Deleting the billet removes its patch files.
    await api['billets.delete']({ id: billetId, confirmName: 'B12' });
    expect(patchFiles().filter((f) => String(f).endsWith('.png'))).toEqual([]);
  });
});
