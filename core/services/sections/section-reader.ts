import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ServiceContext } from '../context.js';
import { createPointsRepo } from '../../store/repos/points-repo.js';
import { imagesRepo } from './section-import.js';
import { requireCalibration, requireSection } from './require-section.js';
import { attachedRepo, requirePatchSource } from './attached-patches.js';
import { type ImageRecord, type PatchPreview, type QualityTable } from '../../api/methods/images.js';
import { ApiError } from '../../api/errors.js';
import type { JobControl } from '../../jobs/index.js';
import { storedSectionProbe, openSection, calibrate, mmToPx, encodeGreyPng, patchSet, loadAttachedPatches, patchSourceSizePx, resolveImagingSettings, sectionPatches, type QualityFigures, type ImagingSettings, type GreyImage, type PipelinePoint } from '../../imaging/index.js';
import { phrase } from '../../api/phrase.js';

/**
 * Reading a billet's section for people: the patch preview (a region by mm, decoded only under the window) and
 * every point's patch with its quality (the quality table, `ferrolab patches`).
 */

/** Decodes only the part of the stored section under a window (no full decode); the pipeline cuts it with edge replication. */
async function regionFromStored(ctx: ServiceContext, img: ImageRecord, cx: number, cy: number, side: number): Promise<{ image: GreyImage; left: number; top: number }> {
  const { file, probed } = storedSectionProbe(ctx.paths.images, img.contentHash);
  const x0 = Math.round(cx - side / 2), y0 = Math.round(cy - side / 2);
  const left = Math.max(0, x0), top = Math.max(0, y0);
  const right = Math.min(img.width, x0 + side), bottom = Math.min(img.height, y0 + side);
  if (right <= left || bottom <= top) throw ApiError.said('invalid_argument', phrase('errors.sections.patchOutside'), { field: 'xMm' });
  const { data, info } = await openSection(file, probed, false)
    .extract({ left, top, width: right - left, height: bottom - top })
    .flatten({ background: '#000000' })
    .toColourspace('b-w')
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true });
  return { image: { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.length) }, left, top };
}

export async function previewPatch(
  ctx: ServiceContext,
  args: { billetId: number; label?: string; xMm?: number; yMm?: number; settings?: ImagingSettings },
): Promise<PatchPreview> {
  ctx.repos.billets.get(args.billetId);
  let xMm = args.xMm, yMm = args.yMm;
  let label: string | null = null;
  if (args.label !== undefined) {
    ({ label, xMm, yMm } = createPointsRepo(ctx.db).get(args.billetId, args.label));
  }
  // A point's attached patch image wins over the section (the same rule as datasets and the quality table).
  const attachedRef = label !== null ? attachedRepo(ctx).list(args.billetId).find((r) => r.label.toLowerCase() === label!.toLowerCase()) : undefined;
  const img = attachedRef ? imagesRepo(ctx).forBillet(args.billetId) : requireSection(ctx, args.billetId);
  const cal = img?.circle ? calibrate(img.circle, img.nominalDiameterMm) : null;
  if (!attachedRef) requireCalibration(img!);
  const settings = resolveImagingSettings(args.settings ?? img?.settings);
  const out = settings.patch.outputSizePx;
  let section: GreyImage | null = null;
  let point: PipelinePoint = { label: label ?? 'patch', xPx: null, yPx: null };
  let side = settings.patch.nativeSizePx;
  if (!attachedRef) {
    // Only the window is decoded from the stored file, then cut by the shared pipeline like any patch.
    side = patchSourceSizePx(settings.patch, cal);
    const c = mmToPx(cal!, xMm!, yMm!);
    const region = await regionFromStored(ctx, img!, c.x, c.y, side);
    section = region.image;
    point = { label: point.label, xPx: c.x - region.left, yPx: c.y - region.top };
  }
  const attached = attachedRef ? await loadAttachedPatches(ctx.paths.images, [attachedRef]) : undefined;
  const { patches } = await patchSet(section, [point], { sourceSizePx: side, outputSizePx: out, clahe: settings.clahe, glcm: settings.glcm, thresholds: settings.thresholds, attached });
  const p = patches[0];
  const key = createHash('sha256').update(JSON.stringify({ x: point.xPx, y: point.yPx, attached: attachedRef?.contentHash ?? null, settings })).digest('hex').slice(0, 20);
  const relDir = attachedRef ? `images/patches/previews/${attachedRef.contentHash}` : `images/${img!.contentHash}/previews`;
  mkdirSync(join(ctx.paths.root, relDir), { recursive: true });
  const rawRel = `${relDir}/${key}-raw.png`, claheRel = `${relDir}/${key}-clahe.png`;
  if (!existsSync(join(ctx.paths.root, rawRel))) writeFileSync(join(ctx.paths.root, rawRel), await encodeGreyPng({ width: out, height: out, data: p.raw.data }));
  if (!existsSync(join(ctx.paths.root, claheRel))) writeFileSync(join(ctx.paths.root, claheRel), await encodeGreyPng({ width: out, height: out, data: p.clahe! }));
  return {
    billetId: args.billetId,
    imageId: img?.id ?? null,
    label,
    source: p.source,
    attachedName: p.attachedName,
    xMm: xMm!,
    yMm: yMm!,
    sourceSizePx: p.raw.sourceSizePx,
    outputSizePx: out,
    outsideFraction: p.raw.outsideFraction,
    rawRel,
    claheRel,
    qualityRaw: p.qualityRaw,
    qualityClahe: p.qualityClahe!,
    settings,
  };
}

/** Where a billet's point patches come from: its calibrated section (if any), its settings and attached patch images. */
export function patchSourceOf(ctx: ServiceContext, billetId: number) {
  const attached = requirePatchSource(ctx, billetId);
  const image = imagesRepo(ctx).forBillet(billetId);
  const calibration = image?.circle ? calibrate(image.circle, image.nominalDiameterMm) : null;
  return { attached, image, calibration, settings: resolveImagingSettings(image?.settings) };
}

/** The billet's sampling points, in their display order. */
export function pointPositions(ctx: ServiceContext, billetId: number): Array<{ label: string; xMm: number; yMm: number }> {
  return createPointsRepo(ctx.db)
    .list(billetId)
    .map((p) => ({ label: p.label, xMm: p.xMm, yMm: p.yMm }));
}

/**
 * Every point's patch at the image's patch settings (core/imaging/section-patches: the section decoded once,
 * an attached patch image winning over cutting), with quality before/after CLAHE. The `ferrolab patches` verb
 * and the quality table both read through here.
 */
export function pointPatches(
  ctx: ServiceContext,
  src: ReturnType<typeof patchSourceOf>,
  points: readonly { label: string; xMm: number; yMm: number }[],
  opts: { clahe: boolean; signal?: AbortSignal; onProgress?: (done: number, total: number) => void },
) {
  return sectionPatches({
    imagesDir: ctx.paths.images,
    contentHash: src.image && src.calibration ? src.image.contentHash : null,
    calibration: src.calibration,
    points,
    settings: src.settings,
    attached: src.attached,
    clahe: opts.clahe,
    signal: opts.signal,
    onProgress: opts.onProgress,
  });
}

/** Quality table of all sampling points of a billet (decodes the section once; attached patch images take precedence). */
export async function billetQualityTable(ctx: ServiceContext, billetId: number, ctl?: JobControl): Promise<QualityTable> {
  const src = patchSourceOf(ctx, billetId);
  const pts = pointPositions(ctx, billetId);
  if (!pts.length) throw ApiError.said('failed_precondition', phrase('errors.sections.noPoints', { billet: String(billetId) }), { field: 'billetId' });
  ctl?.progress(0.02, src.image && src.calibration ? phrase('jobs.sections.decoding') : phrase('jobs.sections.readingAttached'));
  const { patches, missing, sourceSizePx } = await pointPatches(ctx, src, pts, { clahe: true, signal: ctl?.signal, onProgress: (d, n) => ctl?.progress(0.1 + 0.9 * (d / n), phrase('jobs.sections.patchOf', { done: d, total: n })) });
  const byLabel = new Map(pts.map((p) => [p.label, p]));
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
    imageId: src.image?.id ?? null,
    sourceSizePx,
    missing,
    settings: src.settings,
    rows: patches.map((p) => {
      const pt = byLabel.get(p.raw.label)!;
      return { label: pt.label, source: p.source, xMm: pt.xMm, yMm: pt.yMm, outsideFraction: p.raw.outsideFraction, qualityRaw: p.qualityRaw, qualityClahe: p.qualityClahe! };
    }),
    meanRaw: mean((i) => patches[i].qualityRaw.figures),
    meanClahe: mean((i) => patches[i].qualityClahe!.figures),
    lowEtchContrast: patches.filter((p) => p.qualityRaw.lowEtchContrast).map((p) => p.raw.label),
  };
}
