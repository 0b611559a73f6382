import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import type { Handlers } from '../handler-types.js';
import type { AppContext } from '../context.js';
import { imageMethods, type ImageRecord, type PatchPreview, type QualityTable } from '../../api/methods/images.js';
import { ApiError } from '../../api/errors.js';
import type { JobControl } from '../../jobs/index.js';
import { inTransaction } from '../../store/tx.js';
import { createImagesRepo } from '../../store/repos/images-repo.js';
import {
  importSection,
  discardImportedSection,
  storedSectionProbe,
  circleFromThreePoints,
  calibrate,
  mmToPx,
  cutWindow,
  resampleSquare,
  applyClahe,
  assessQuality,
  encodeGreyPng,
  patchSourceSizePx,
  resolveImagingSettings,
  DEFAULT_MAX_PIXELS,
  sectionPatches,
  type QualityFigures,
  type Circle,
  type ImagingSettings,
} from '../../imaging/index.js';

export const imagesRepo = (ctx: AppContext) => createImagesRepo(ctx.db, ctx.paths.images);

const MAX_PIXELS_KEY = 'imaging.maxPixels';
/** The configured import pixel limit (Settings), else DEFAULT_MAX_PIXELS (20 000² px). */
export const maxPixelsOf = (ctx: AppContext): number => ctx.repos.settings.get<number>(MAX_PIXELS_KEY) ?? DEFAULT_MAX_PIXELS;

/** Removes stored section folders that no image row uses any more. */
export function removeUnusedSections(ctx: AppContext, hashes: readonly string[]): void {
  const repo = imagesRepo(ctx);
  for (const h of new Set(hashes)) if (repo.hashUseCount(h) === 0) rmSync(join(ctx.paths.images, h), { recursive: true, force: true });
}

/**
 * Imports a section file for a billet and makes it the billet's image (replacing the previous one). Files are
 * staged by `importSection`; the row is written in one transaction; if that fails the new files are removed.
 */
export async function importBilletSection(
  ctx: AppContext,
  args: { billetId: number; file: string; originalName: string; nominalDiameterMm?: number },
  ctl?: JobControl,
): Promise<ImageRecord> {
  const billet = ctx.repos.billets.get(args.billetId);
  const nominal = args.nominalDiameterMm ?? billet.nominalDiameterMm;
  const repo = imagesRepo(ctx);
  const imported = await importSection({
    imagesDir: ctx.paths.images,
    file: args.file,
    originalName: args.originalName,
    nominalDiameterMm: nominal,
    maxPixels: maxPixelsOf(ctx),
    signal: ctl?.signal,
    onProgress: (f, m) => ctl?.progress(0.95 * f, m),
  });
  let replaced: Array<{ id: number; contentHash: string }> = [];
  let id: number;
  try {
    ctl?.throwIfCancelled();
    id = inTransaction(ctx.db, () => {
      if (args.nominalDiameterMm !== undefined && args.nominalDiameterMm !== billet.nominalDiameterMm) {
        ctx.repos.billets.update(args.billetId, { nominalDiameterMm: args.nominalDiameterMm });
      }
      const previous = repo.forBillet(args.billetId);
      replaced = repo.idsForBillet(args.billetId);
      for (const r of replaced) repo.deleteRow(r.id);
      return repo.insert(args.billetId, imported, nominal, imported.circle ? { circle: imported.circle, source: 'auto' } : null, previous?.settings);
    });
  } catch (err) {
    if (repo.hashUseCount(imported.contentHash) === 0) discardImportedSection(ctx.paths.images, imported);
    throw err;
  }
  removeUnusedSections(ctx, replaced.map((r) => r.contentHash).filter((h) => h !== imported.contentHash));
  ctx.bus.emit({ type: 'data-changed', entity: 'image', id });
  ctx.bus.emit({ type: 'data-changed', entity: 'billet', id: args.billetId });
  return repo.get(id);
}

function requireSection(ctx: AppContext, billetId: number): ImageRecord {
  ctx.repos.billets.get(billetId);
  const img = imagesRepo(ctx).forBillet(billetId);
  if (!img) throw new ApiError('failed_precondition', `Billet ${billetId} has no section image yet: import one first`, { field: 'billetId' });
  return img;
}

export function requireCalibration(img: ImageRecord) {
  if (!img.circle) throw new ApiError('failed_precondition', `The rim of "${img.originalName}" is not set: drag the circle or click three points on the rim`, { field: 'circle' });
  return calibrate(img.circle, img.nominalDiameterMm);
}

/** Cuts one window straight from the stored file (no full decode), with edge replication outside the image. */
async function cutFromStored(ctx: AppContext, img: ImageRecord, cx: number, cy: number, side: number) {
  const { file, probed } = storedSectionProbe(ctx.paths.images, img.contentHash);
  const x0 = Math.round(cx - side / 2), y0 = Math.round(cy - side / 2);
  const left = Math.max(0, x0), top = Math.max(0, y0);
  const right = Math.min(img.width, x0 + side), bottom = Math.min(img.height, y0 + side);
  if (right <= left || bottom <= top) throw new ApiError('invalid_argument', 'the patch lies entirely outside the image', { field: 'xMm' });
  const { data, info } = await sharp(file, { page: probed.page, limitInputPixels: false })
    .extract({ left, top, width: right - left, height: bottom - top })
    .flatten({ background: '#000000' })
    .toColourspace('b-w')
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true });
  const region = { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
  return cutWindow(region, cx - left, cy - top, side);
}

export async function previewPatch(
  ctx: AppContext,
  args: { billetId: number; label?: string; xMm?: number; yMm?: number; settings?: ImagingSettings },
): Promise<PatchPreview> {
  const img = requireSection(ctx, args.billetId);
  const cal = requireCalibration(img);
  let xMm = args.xMm, yMm = args.yMm;
  if (args.label !== undefined) {
    const row = ctx.db.prepare('SELECT x_mm, y_mm FROM sampling_points WHERE billet_id = ? AND label = ?').get(args.billetId, args.label) as { x_mm: number; y_mm: number } | undefined;
    if (!row) throw new ApiError('not_found', `Billet ${args.billetId} has no sampling point "${args.label}"`, { field: 'label' });
    xMm = row.x_mm;
    yMm = row.y_mm;
  }
  const settings = resolveImagingSettings(args.settings ?? img.settings);
  const side = patchSourceSizePx(settings.patch, cal);
  const c = mmToPx(cal, xMm!, yMm!);
  const win = await cutFromStored(ctx, img, c.x, c.y, side);
  const out = settings.patch.outputSizePx;
  const raw = await resampleSquare(win.data, side, out);
  const enhanced = await applyClahe(raw, out, out, settings.clahe);
  const key = createHash('sha256').update(JSON.stringify({ x: c.x, y: c.y, settings })).digest('hex').slice(0, 20);
  const relDir = `images/${img.contentHash}/previews`;
  mkdirSync(join(ctx.paths.root, relDir), { recursive: true });
  const rawRel = `${relDir}/${key}-raw.png`, claheRel = `${relDir}/${key}-clahe.png`;
  if (!existsSync(join(ctx.paths.root, rawRel))) writeFileSync(join(ctx.paths.root, rawRel), await encodeGreyPng({ width: out, height: out, data: raw }));
  if (!existsSync(join(ctx.paths.root, claheRel))) writeFileSync(join(ctx.paths.root, claheRel), await encodeGreyPng({ width: out, height: out, data: enhanced }));
  const q = { glcm: settings.glcm, thresholds: settings.thresholds };
  return {
    billetId: args.billetId,
    imageId: img.id,
    label: args.label ?? null,
    xMm: xMm!,
    yMm: yMm!,
    sourceSizePx: side,
    outputSizePx: out,
    outsideFraction: win.outsideFraction,
    rawRel,
    claheRel,
    qualityRaw: assessQuality(raw, out, out, q),
    qualityClahe: assessQuality(enhanced, out, out, q),
    settings,
  };
}

/** Quality table of all sampling points of a billet (decodes the section once). */
export async function billetQualityTable(ctx: AppContext, billetId: number, ctl?: JobControl): Promise<QualityTable> {
  const img = requireSection(ctx, billetId);
  const cal = requireCalibration(img);
  const pts = ctx.db.prepare('SELECT label, x_mm AS xMm, y_mm AS yMm FROM sampling_points WHERE billet_id = ? ORDER BY sort_order, id').all(billetId) as Array<{ label: string; xMm: number; yMm: number }>;
  if (!pts.length) throw new ApiError('failed_precondition', `Billet ${billetId} has no sampling points yet: lay them out first`, { field: 'billetId' });
  ctl?.progress(0.02, 'decoding the section');
  const { patches, sourceSizePx } = await sectionPatches({
    imagesDir: ctx.paths.images,
    contentHash: img.contentHash,
    calibration: cal,
    points: pts,
    settings: img.settings,
    clahe: true,
    signal: ctl?.signal,
    onProgress: (d, n) => ctl?.progress(0.1 + 0.9 * (d / n), `patch ${d} of ${n}`),
  });
  const mean = (pick: (i: number) => QualityFigures): QualityFigures => {
    const acc = { rmsContrast: 0, glcmContrast: 0, entropyBits: 0, mean: 0 };
    for (let i = 0; i < patches.length; i++) {
      const f = pick(i);
      acc.rmsContrast += f.rmsContrast / patches.length;
      acc.glcmContrast += f.glcmContrast / patches.length;
      acc.entropyBits += f.entropyBits / patches.length;
      acc.mean += f.mean / patches.length;
    }
    return acc;
  };
  return {
    billetId,
    imageId: img.id,
    sourceSizePx,
    settings: img.settings,
    rows: patches.map((p, i) => ({ label: pts[i].label, xMm: pts[i].xMm, yMm: pts[i].yMm, outsideFraction: p.raw.outsideFraction, qualityRaw: p.qualityRaw, qualityClahe: p.qualityClahe! })),
    meanRaw: mean((i) => patches[i].qualityRaw.figures),
    meanClahe: mean((i) => patches[i].qualityClahe!.figures),
    lowEtchContrast: patches.filter((p) => p.qualityRaw.lowEtchContrast).map((p) => p.raw.label),
  };
}

export const imageHandlers: Handlers<keyof typeof imageMethods> = {
  'images.import': ({ billetId, upload, nominalDiameterMm }, ctx) => {
    ctx.repos.billets.get(billetId); // a missing billet fails now, not inside the job
    const file = ctx.uploads.resolve(upload.uploadId);
    return ctx.jobs.start('images.import', `Import section ${upload.name}`, async (ctl) => {
      const rec = await importBilletSection(ctx, { billetId, file, originalName: upload.name, nominalDiameterMm }, ctl);
      ctx.uploads.remove(upload.uploadId);
      return rec;
    });
  },
  'images.forBillet': ({ billetId }, ctx) => {
    ctx.repos.billets.get(billetId);
    return imagesRepo(ctx).forBillet(billetId);
  },
  'images.setCircle': ({ imageId, circle, threePoints, restoreAuto }, ctx) => {
    const repo = imagesRepo(ctx);
    const img = repo.get(imageId);
    let c: Circle;
    let source: 'manual' | 'three-point' | 'auto';
    if (restoreAuto) {
      if (!img.autoCircle) throw new ApiError('failed_precondition', 'No automatic rim was found for this image; set it by hand', { field: 'restoreAuto' });
      c = img.autoCircle;
      source = 'auto';
    } else if (threePoints) {
      const fit = circleFromThreePoints(threePoints[0], threePoints[1], threePoints[2]);
      if (!fit) throw new ApiError('invalid_argument', 'The three rim points lie on a line: click three points spread around the rim', { field: 'threePoints' });
      c = fit;
      source = 'three-point';
    } else {
      c = circle!;
      source = 'manual';
    }
    const maxSide = Math.max(img.width, img.height);
    if (c.r < 0.05 * maxSide || c.r > 2 * maxSide) throw new ApiError('invalid_argument', `A rim radius of ${c.r.toFixed(0)} px does not fit a ${img.width}×${img.height} px image`, { field: 'circle' });
    const rec = repo.setCircle(imageId, c, source);
    ctx.bus.emit({ type: 'data-changed', entity: 'image', id: imageId });
    return rec;
  },
  'images.setSettings': ({ imageId, settings }, ctx) => {
    const rec = imagesRepo(ctx).setSettings(imageId, settings as ImagingSettings);
    ctx.bus.emit({ type: 'data-changed', entity: 'image', id: imageId });
    return rec;
  },
  'images.pixelLimit': ({ maxPixels }, ctx) => {
    if (maxPixels !== undefined) ctx.repos.settings.set(MAX_PIXELS_KEY, maxPixels);
    return { maxPixels: maxPixelsOf(ctx), defaultMaxPixels: DEFAULT_MAX_PIXELS };
  },
  'patches.quality': ({ billetId }, ctx) => {
    requireCalibration(requireSection(ctx, billetId)); // fail now with a clear message, not inside the job
    return ctx.jobs.start('patches.quality', `Patch quality of billet ${billetId}`, (ctl) => billetQualityTable(ctx, billetId, ctl));
  },
  'patches.preview': (args, ctx) => previewPatch(ctx, args as Parameters<typeof previewPatch>[1]),
};
