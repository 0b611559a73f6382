import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { tempContext } from '../../helpers/temp.js';
import { greyPixels, greyPngOf } from '../../helpers/grey-image.js';
import { runCli } from '../../helpers/cli.js';
import { localClient } from '../../../core/app/dispatch.js';
import type { AppContext } from '../../../core/app/context.js';
import { applyClahe, centreSquare, resampleSquare, DEFAULT_CLAHE } from '../../../core/imaging/index.js';
import { scaledClahe } from '../../../core/segregation/cnn/dataset.js';

/**
 * Attached patch images carry their own scale (issue 11 §1): given on attach (API, CLI --mm-per-px), stored
 * (migration 012), and used by a model with a physical patch size to cut `patchMm / mmPerPx` px of the image.
 */
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

async function billetWithPoints(name: string) {
  const b = await api['billets.create']({ name, nominalDiameterMm: 600 });
  await api['points.layout']({ billetId: b.id });
  return b.id;
}

describe('attached patch scale', () => {
  it('is stored on attach and cuts patchMm / mmPerPx px of the image for a model with a physical patch; an image without a scale is refused by name', async () => {
    const b = await api['billets.create']({ name: 'Cam', nominalDiameterMm: 600 });
    const billetId = b.id;
    await api['points.save']({ billetId, points: [{ label: 'P01', xMm: 0, yMm: 0 }] });
    const px = greyPixels(120, 100, 7);
    const job = await api['patches.attach']({ billetId, files: [{ uploadId: ctx.uploads.saveBytes(new Uint8Array(await greyPngOf(px, 120, 100))), name: 'P01.png' }], mmPerPx: 0.05 });
    const done = await ctx.jobs.wait(job.id);
    expect(done.state).toBe('done');
    expect((done.result as { mmPerPx: number }).mmPerPx).toBe(0.05);
    expect((await api['patches.attachedList']({ billetId }))[0]).toMatchObject({ label: 'P01', mmPerPx: 0.05 });

    // A 3 mm patch at 0.05 mm/px is the centred 60 px square, resampled to 32 px; CLAHE's window is the training
    // section's (3 mm at 0.1 mm/px = 30 px) scaled to the input.
    const scale = { patchMm: 3, trainedMmPerPx: 0.1, inputSize: 32 };
    const one = await ctx.services.cnn.loadBilletPoints(billetId, { inputSize: 32, scale, requireReadings: false });
    const sq = centreSquare({ width: 120, height: 100, data: px }, 60);
    expect(sq.side).toBe(60);
    const expected = await applyClahe(await resampleSquare(sq.data, 60, 32), 32, 32, scaledClahe(DEFAULT_CLAHE, 32, 30));
    expect(Array.from(one.points[0].patch)).toEqual(Array.from(expected));

    // A 6 mm patch needs 120 px of a 100 px high image: refused, naming the point.
    await expect(ctx.services.cnn.loadBilletPoints(billetId, { inputSize: 32, scale: { ...scale, patchMm: 6 }, requireReadings: false })).rejects.toThrow(
      /attached patch of P01 \("P01.png"\) is 120×100 px at 0.05 mm\/px, smaller than the model's 6.00 mm patch \(120 px of it\)/,
    );

    // Attached without a scale: usable at native pixels (old models), refused by a model with a physical patch.
    const again = await api['patches.attach']({ billetId, files: [{ uploadId: ctx.uploads.saveBytes(new Uint8Array(await greyPngOf(px, 120, 100))), name: 'P01.png' }] });
    expect((await ctx.jobs.wait(again.id)).state).toBe('done');
    expect((await api['patches.attachedList']({ billetId }))[0].mmPerPx).toBeNull();
    expect((await ctx.services.cnn.loadBilletPoints(billetId, { inputSize: 32, requireReadings: false })).points).toHaveLength(1);
    await expect(ctx.services.cnn.loadBilletPoints(billetId, { inputSize: 32, scale, requireReadings: false })).rejects.toThrow(
      /attached patch of P01 \("P01.png"\) has no scale \(mm per pixel\).*attach it again giving its mm per pixel \("ferrolab patches attach --mm-per-px/,
    );
  });

  it('CLI: patches attach --mm-per-px stores the scale; a bad value is refused; without it the report says what is missing', async () => {
    const billetId = await billetWithPoints('CliCam');
    const dir = join(ctx.paths.root, '..', `cam-${process.pid}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'P02.png'), await greyPngOf(greyPixels(40, 40, 3), 40, 40));
    const root = ctx.paths.root;
    await ctx.close();
    // The CLI opens the folder itself; afterEach disposes a fresh context, this folder goes at the end.
    ctx = tempContext();
    api = localClient(ctx);
    const ok = await runCli(root, 'patches', 'attach', String(billetId), dir, '--mm-per-px', '0.004', '--json');
    expect(ok.rc).toBe(0);
    expect(JSON.parse(ok.out)).toMatchObject({ imported: true, mmPerPx: 0.004 });
    const bad = await runCli(root, 'patches', 'attach', String(billetId), dir, '--mm-per-px', '.004');
    expect(bad.rc).toBe(2);
    expect(bad.err).toMatch(/mm-per-px/);
    const none = await runCli(root, 'patches', 'attach', String(billetId), dir);
    expect(none.rc).toBe(0);
    expect(none.out).toMatch(/scale: not given \(--mm-per-px\)/);
    const list = await runCli(root, 'patches', 'list', String(billetId));
    expect(list.out).toMatch(/P02 .*scale unknown/);
    rmSync(dir, { recursive: true, force: true });
    rmSync(root, { recursive: true, force: true });
  });

  it('refuses a scale that contradicts the one a microscope wrote into the image (TIFF/PNG resolution), naming both; a print default (72 dpi) says nothing (task 24-D)', async () => {
    // A camera TIFF calibrated at 50 800 px/inch (0.0005 mm/px) attached with --mm-per-px 0.005 (a slipped zero) had
    // been stored at the typed scale: a model with a physical patch cut ten times too much of it, without a word.
    const billetId = await billetWithPoints('Calibrated');
    const px = greyPixels(64, 64, 3);
    const tif = await sharp(Buffer.from(px), { raw: { width: 64, height: 64, channels: 1 } }).withMetadata({ density: 50800 }).tiff().toBuffer();
    const attachAt = async (bytes: Uint8Array, name: string, mmPerPx: number) =>
      ctx.jobs.wait((await api['patches.attach']({ billetId, files: [{ uploadId: ctx.uploads.saveBytes(bytes), name }], mmPerPx })).id);
    const refused = await attachAt(tif, 'P01.tif', 0.005);
    expect(refused.state).toBe('failed');
    expect((refused.detail as { errors: unknown[] }).errors).toEqual([{
      file: 'P01.tif',
      message: 'its resolution tag gives 0.0005 mm per pixel (50800 pixels per inch), but the scale given is 0.005 mm/px: one of them is wrong — give the scale the image was taken at (--mm-per-px, the attach field), or, if the tag is the camera program\'s sensor pitch and the scale was measured, keep the scale: --ignore-resolution-tag on the command line, "over the image\'s tag" beside mm/px in the app (trustGivenScale)',
      phrase: { code: 'errors.imaging.attachScaleContradicted', params: { file: 'P01.tif', declared: { value: 0.0005 }, dpi: 50800, given: { value: 0.005 } } },
    }]);
    expect((await api['patches.attachedList']({ billetId })).length).toBe(0);
    // the scale the file says (within 2 %) is taken; a JPEG's default 72 dpi is no calibration
    expect((await attachAt(tif, 'P01.tif', 0.000499)).state).toBe('done');
    const jpeg = await sharp(Buffer.from(px), { raw: { width: 64, height: 64, channels: 1 } }).jpeg().toBuffer();
    expect((await sharp(jpeg).metadata()).density).toBe(72);
    expect((await attachAt(jpeg, 'P02.jpg', 0.005)).state).toBe('done');
  });

  it('keeps a measured scale over a resolution tag that contradicts it when told (trustGivenScale), stored and said in `patches list` (task 24-H)', async () => {
    // a camera program writing its sensor pitch (0.0005 mm/px) as the tag refused every attach at the lab's measured scale
    const billetId = await billetWithPoints('Sensor pitch');
    const px = greyPixels(64, 64, 3);
    const tif = await sharp(Buffer.from(px), { raw: { width: 64, height: 64, channels: 1 } }).withMetadata({ density: 50800 }).tiff().toBuffer();
    const attach = async (trustGivenScale?: boolean) =>
      ctx.jobs.wait((await api['patches.attach']({ billetId, files: [{ uploadId: ctx.uploads.saveBytes(tif), name: 'P01.tif' }], mmPerPx: 0.0021, trustGivenScale })).id);
    expect((await attach()).state).toBe('failed');
    const trusted = await attach(true);
    expect(trusted.state).toBe('done');
    expect((await api['patches.attachedList']({ billetId })).map((a) => [a.label, a.mmPerPx, a.scaleOverTag])).toEqual([['P01', 0.0021, true]]);
    // recorded per file: an image without a calibration tag attached with it is not "kept over the tag" (task 24-I; fails
    // before: every file of a trusted attach was marked)
    const untagged = await greyPngOf(px, 64, 64);
    const both = await ctx.jobs.wait((await api['patches.attach']({ billetId, files: [{ uploadId: ctx.uploads.saveBytes(tif), name: 'P01.tif' }, { uploadId: ctx.uploads.saveBytes(untagged), name: 'P02.png' }], mmPerPx: 0.0021, trustGivenScale: true })).id);
    expect(both.state).toBe('done');
    expect((await api['patches.attachedList']({ billetId })).map((a) => [a.label, a.mmPerPx, a.scaleOverTag])).toEqual([['P01', 0.0021, true], ['P02', 0.0021, false]]);
    expect((await attach(false)).state).toBe('failed');
    // the CLI: `patches list` says it; --ignore-resolution-tag without a scale to keep is a usage error
    const root = ctx.paths.root;
    await ctx.close();
    ctx = tempContext();
    api = localClient(ctx);
    const list = await runCli(root, 'patches', 'list', String(billetId));
    expect(list.out).toMatch(/^P01 +P01\.tif {2}64×64 px {2}0\.0021 mm\/px \(given, kept over the resolution tag\)$/m);
    expect(list.out).toMatch(/^P02 +P02\.png {2}64×64 px {2}0\.0021 mm\/px$/m);
    const dir = join(root, '..', `pitch-${process.pid}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'P02.tif'), tif);
    const noScale = await runCli(root, 'patches', 'attach', String(billetId), dir, '--ignore-resolution-tag');
    expect([noScale.rc, noScale.err]).toEqual([2, expect.stringMatching(/give --mm-per-px too/)]);
    const kept = await runCli(root, 'patches', 'attach', String(billetId), dir, '--mm-per-px', '0.0021', '--ignore-resolution-tag', '--json');
    expect([kept.rc, JSON.parse(kept.out).imported]).toEqual([0, true]);
    rmSync(dir, { recursive: true, force: true });
    rmSync(root, { recursive: true, force: true });
  });
});
