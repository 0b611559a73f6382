import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import type { Handlers } from '../handler-types.js';
import type { AppContext } from '../context.js';
import { imageMethods, type AttachReport, type AttachedPatchRecord, type ImageRecord, type PatchPreview, type QualityTable } from '../../api/methods/images.js';
import { ApiError } from '../../api/errors.js';
import type { JobControl } from '../../jobs/index.js';
import { inTransaction } from '../../store/tx.js';
import type { BilletInput } from '../../store/repos/billets-repo.js';
import type { Billet } from '../../api/methods/billets.js';
import { testHook } from '../../runtime/test-hooks.js';
import { createImagesRepo } from '../../store/repos/images-repo.js';
import { createAttachedPatchesRepo } from '../../store/repos/attached-patches-repo.js';
import {
  importSection,
  discardImportedSection,
  storedSectionProbe,
  circleFromThreePoints,
  calibrate,
  mmToPx,
  encodeGreyPng,
  patchSet,
  prepareAttachedPatches,
  storeAttachedPatches,
  discardPrepared,
  sweepAttachedPatchFiles,
  loadAttachedPatches,
  removeFiles,
  attachedPatchRel,
  type AttachInputFile,
  patchSourceSizePx,
  resolveImagingSettings,
  DEFAULT_MAX_PIXELS,
  DEFAULT_NOMINAL_DIAMETER_MM,
  type ImportedSection,
  sectionPatches,
  type QualityFigures,
  type Circle,
  type ImagingSettings,
  type GreyImage,
  type PipelinePoint,
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
 * A section folder no row uses and untouched for this long is left by an import killed between renaming its
 * files into place and committing its rows. A live import spends milliseconds in that window (and re-checks
 * its folder under the write lock, below), so an hour leaves every running import alone.
 */
export const ORPHAN_SECTION_AGE_MS = 60 * 60 * 1000;

const SECTION_DIR = /^[0-9a-f]{64}$/;

/**
 * Removes section folders (`images/<sha256>/`) that no image row uses and that are older than `olderThanMs`.
 * The check and the move out of the way happen under the write lock, the deletion after it: an import that
 * reuses such a folder checks it again under the same lock before its rows commit (`commitSectionRows`), so
 * the two can never both believe they won. Returns the hashes removed.
 */
export function sweepOrphanSections(ctx: AppContext, olderThanMs = ORPHAN_SECTION_AGE_MS, now = Date.now()): string[] {
  let names: string[];
  try {
    names = readdirSync(ctx.paths.images).filter((n) => SECTION_DIR.test(n));
  } catch {
    return [];
  }
  const old = names.filter((n) => {
    try {
      return now - statSync(join(ctx.paths.images, n)).mtimeMs >= olderThanMs;
    } catch {
      return false;
    }
  });
  if (!old.length) return [];
  const repo = imagesRepo(ctx);
  const moved = inTransaction(ctx.db, () =>
    old.flatMap((h) => {
      if (repo.hashUseCount(h) > 0) return [];
      const aside = join(ctx.paths.images, `.staging-orphan-${randomBytes(6).toString('hex')}`);
      try {
        renameSync(join(ctx.paths.images, h), aside);
        return [{ h, aside }];
      } catch {
        return [];
      }
    }),
  );
  // Killed here, the `.staging-*` names are swept by sweepStaleStaging at a later open.
  for (const m of moved) rmSync(m.aside, { recursive: true, force: true });
  return moved.map((m) => m.h);
}

/** Housekeeping after an import committed: its failure (say, another process holds the lock) must not fail the import. */
function sweepOrphansAfterCommit(ctx: AppContext): void {
  try {
    sweepOrphanSections(ctx);
  } catch {
    // the next import sweeps again
  }
}

/**
 * Runs `write` — the rows that make a stored section some billet's image — in one IMMEDIATE transaction, after
 * checking, under the write lock, that the section's folder is still there (an orphan sweep in another process
 * may have taken a folder this import was reusing). If the rows do not commit, files this import created are
 * removed; if the process dies before the commit, the folder stays for the next import of the same bytes to
 * reuse, or for `sweepOrphanSections`.
 */
function commitSectionRows<T>(ctx: AppContext, imported: ImportedSection, write: () => T, before?: () => void): T {
  try {
    before?.();
    return inTransaction(ctx.db, () => {
      if (!existsSync(join(ctx.paths.images, imported.contentHash, 'section.json'))) {
        throw new ApiError('unavailable', `The stored files of "${imported.originalName}" were removed while it was being imported; nothing was stored. Import it again.`);
      }
      return write();
    });
  } catch (err) {
    if (imagesRepo(ctx).hashUseCount(imported.contentHash) === 0) discardImportedSection(ctx.paths.images, imported);
    throw err;
  }
}

interface SectionImportControl {
  signal?: AbortSignal;
  onProgress?: (fraction: number, message: string) => void;
}

const stageSection = (ctx: AppContext, file: string, originalName: string, nominalDiameterMm: number, c: SectionImportControl) =>
  importSection({
    imagesDir: ctx.paths.images,
    file,
    originalName,
    nominalDiameterMm,
    maxPixels: maxPixelsOf(ctx),
    signal: c.signal,
    onProgress: (f, m) => c.onProgress?.(0.95 * f, m),
  });

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
  const imported = await stageSection(ctx, args.file, args.originalName, nominal, { signal: ctl?.signal, onProgress: (f, m) => ctl?.progress(f, m) });
  let replaced: Array<{ id: number; contentHash: string }> = [];
  const id = commitSectionRows(ctx, imported, () => {
    ctl?.throwIfCancelled();
    if (args.nominalDiameterMm !== undefined && args.nominalDiameterMm !== billet.nominalDiameterMm) {
      ctx.repos.billets.update(args.billetId, { nominalDiameterMm: args.nominalDiameterMm });
    }
    const previous = repo.forBillet(args.billetId);
    replaced = repo.idsForBillet(args.billetId);
    for (const r of replaced) repo.deleteRow(r.id);
    return repo.insert(args.billetId, imported, nominal, imported.circle ? { circle: imported.circle, source: 'auto' } : null, previous?.settings);
  });
  removeUnusedSections(ctx, replaced.map((r) => r.contentHash).filter((h) => h !== imported.contentHash));
  sweepOrphansAfterCommit(ctx);
  ctx.bus.emit({ type: 'data-changed', entity: 'image', id });
  ctx.bus.emit({ type: 'data-changed', entity: 'billet', id: args.billetId });
  return repo.get(id);
}

/**
 * Creates a billet from a section file (CLI `billet import`): the billet and its first image appear together
 * or not at all. The files are stored first (staged, then renamed into `images/<sha256>/`); the billet row and
 * the image row are then written in ONE transaction. A kill before that commit leaves no billet — only a
 * section folder that the retry reuses (same bytes) or that `sweepOrphanSections` removes — so the retry does
 * not meet "already exists". The name is checked before the slow import too, to fail fast.
 */
export async function createBilletWithSection(
  ctx: AppContext,
  args: { billet: BilletInput; file: string; originalName: string },
  c: SectionImportControl = {},
): Promise<{ billet: Billet; image: ImageRecord }> {
  if (ctx.repos.billets.findByName(args.billet.name)) throw new ApiError('conflict', `A billet named "${args.billet.name}" already exists`, { field: 'name' });
  const nominal = args.billet.nominalDiameterMm ?? DEFAULT_NOMINAL_DIAMETER_MM;
  const imported = await stageSection(ctx, args.file, args.originalName, nominal, c);
  const repo = imagesRepo(ctx);
  const { billetId, imageId } = commitSectionRows(
    ctx,
    imported,
    () => {
      const billet = ctx.repos.billets.create({ ...args.billet, nominalDiameterMm: nominal });
      testHook('billet-import:billet-row');
      const imageId = repo.insert(billet.id, imported, nominal, imported.circle ? { circle: imported.circle, source: 'auto' } : null);
      return { billetId: billet.id, imageId };
    },
    () => {
      testHook('billet-import:files-in-place');
      c.signal?.throwIfAborted();
    },
  );
  c.onProgress?.(1, 'imported');
  sweepOrphansAfterCommit(ctx);
  ctx.bus.emit({ type: 'data-changed', entity: 'billet', id: billetId });
  ctx.bus.emit({ type: 'data-changed', entity: 'image', id: imageId });
  return { billet: ctx.repos.billets.get(billetId), image: repo.get(imageId) };
}

export const attachedRepo = (ctx: AppContext) => createAttachedPatchesRepo(ctx.db);

function patchesChanged(ctx: AppContext, billetId: number): void {
  ctx.bus.emit({ type: 'data-changed', entity: 'attached-patches', id: billetId });
  ctx.bus.emit({ type: 'data-changed', entity: 'billet', id: billetId });
}

export function attachedList(ctx: AppContext, billetId: number): AttachedPatchRecord[] {
  ctx.repos.billets.get(billetId);
  const ids = new Map((ctx.db.prepare('SELECT id, label FROM sampling_points WHERE billet_id = ?').all(billetId) as { id: number; label: string }[]).map((p) => [p.label.toLowerCase(), p.id]));
  return attachedRepo(ctx)
    .list(billetId)
    .map((r) => ({ ...r, pointId: ids.get(r.label.toLowerCase()) ?? null, fileRel: attachedPatchRel(r.contentHash) }));
}

/**
 * A billet's patches need a calibrated section or attached patch images; returns the attached ones (the
 * rows, for the pipeline) and fails with the reason when there is neither.
 */
export function requirePatchSource(ctx: AppContext, billetId: number) {
  ctx.repos.billets.get(billetId);
  const attached = attachedRepo(ctx).list(billetId);
  if (!attached.length) requireCalibration(requireSection(ctx, billetId));
  return attached;
}

/**
 * Attaches a folder of patch images to a billet's points: every file validated first (a bad one refuses the
 * folder: nothing stored, the job fails naming the files, the report is its detail), the PNGs stored, then
 * all rows written in one transaction; if that fails, the files it created are removed again.
 */
export async function attachPatchFiles(ctx: AppContext, billetId: number, files: readonly AttachInputFile[], ctl?: JobControl): Promise<AttachReport> {
  const labels = (ctx.db.prepare('SELECT label FROM sampling_points WHERE billet_id = ? ORDER BY sort_order, id').all(billetId) as { label: string }[]).map((r) => r.label);
  const prep = await prepareAttachedPatches(files, labels, { imagesDir: ctx.paths.images, signal: ctl?.signal, onProgress: (d, n) => ctl?.progress(0.9 * (d / n), `checked ${d} of ${n} images`) });
  const report: AttachReport = { billetId, imported: false, matched: prep.matched, replaced: [], errors: prep.errors, skipped: prep.skipped };
  if (!prep.errors.length && !prep.prepared.length) report.errors.push({ file: '(folder)', message: 'no patch images in it' });
  if (report.errors.length) {
    ctl?.progress(1, 'refused', report);
    const shown = report.errors.slice(0, 5).map((e) => `${e.file}: ${e.message}`).join('; ');
    const more = report.errors.length > 5 ? ` (and ${report.errors.length - 5} more)` : '';
    throw new ApiError('invalid_argument', `Nothing attached — ${report.errors.length} file${report.errors.length === 1 ? '' : 's'} refused: ${shown}${more}`, { details: report });
  }
  if (ctl?.signal.aborted) {
    discardPrepared(prep.prepared);
    ctl.throwIfCancelled();
  }
  const created = storeAttachedPatches(ctx.paths.images, prep.prepared);
  const repo = attachedRepo(ctx);
  const replacedHashes: string[] = [];
  try {
    ctl?.throwIfCancelled();
    inTransaction(ctx.db, () => {
      for (const p of prep.prepared) {
        const old = repo.upsert(billetId, { label: p.label, contentHash: p.contentHash, originalName: p.name, width: p.width, height: p.height });
        if (old !== null) {
          report.replaced.push(p.label);
          replacedHashes.push(old);
        }
      }
    });
  } catch (err) {
    const used = repo.usedHashes();
    removeFiles(created.filter((f) => !used.has(/([0-9a-f]{64})\.png$/.exec(f)![1])));
    throw err;
  }
  sweepAttachedPatchFiles(ctx.paths.images, replacedHashes, repo.usedHashes());
  report.imported = true;
  patchesChanged(ctx, billetId);
  return report;
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

/** Decodes only the part of the stored section under a window (no full decode); the pipeline cuts it with edge replication. */
async function regionFromStored(ctx: AppContext, img: ImageRecord, cx: number, cy: number, side: number): Promise<{ image: GreyImage; left: number; top: number }> {
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
  return { image: { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.length) }, left, top };
}

export async function previewPatch(
  ctx: AppContext,
  args: { billetId: number; label?: string; xMm?: number; yMm?: number; settings?: ImagingSettings },
): Promise<PatchPreview> {
  ctx.repos.billets.get(args.billetId);
  let xMm = args.xMm, yMm = args.yMm;
  let label: string | null = null;
  if (args.label !== undefined) {
    const row = ctx.db.prepare('SELECT label, x_mm, y_mm FROM sampling_points WHERE billet_id = ? AND label = ?').get(args.billetId, args.label) as { label: string; x_mm: number; y_mm: number } | undefined;
    if (!row) throw new ApiError('not_found', `Billet ${args.billetId} has no sampling point "${args.label}"`, { field: 'label' });
    ({ label, x_mm: xMm, y_mm: yMm } = row);
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

/** Quality table of all sampling points of a billet (decodes the section once; attached patch images take precedence). */
export async function billetQualityTable(ctx: AppContext, billetId: number, ctl?: JobControl): Promise<QualityTable> {
  const attached = requirePatchSource(ctx, billetId);
  const img = imagesRepo(ctx).forBillet(billetId);
  const cal = img?.circle ? calibrate(img.circle, img.nominalDiameterMm) : null;
  const pts = ctx.db.prepare('SELECT label, x_mm AS xMm, y_mm AS yMm FROM sampling_points WHERE billet_id = ? ORDER BY sort_order, id').all(billetId) as Array<{ label: string; xMm: number; yMm: number }>;
  if (!pts.length) throw new ApiError('failed_precondition', `Billet ${billetId} has no sampling points yet: lay them out first`, { field: 'billetId' });
  ctl?.progress(0.02, img && cal ? 'decoding the section' : 'reading the attached patches');
  const settings = resolveImagingSettings(img?.settings);
  const { patches, missing, sourceSizePx } = await sectionPatches({
    imagesDir: ctx.paths.images,
    contentHash: img && cal ? img.contentHash : null,
    calibration: cal,
    points: pts,
    settings,
    attached,
    clahe: true,
    signal: ctl?.signal,
    onProgress: (d, n) => ctl?.progress(0.1 + 0.9 * (d / n), `patch ${d} of ${n}`),
  });
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
    imageId: img?.id ?? null,
    sourceSizePx,
    missing,
    settings,
    rows: patches.map((p) => {
      const pt = byLabel.get(p.raw.label)!;
      return { label: pt.label, source: p.source, xMm: pt.xMm, yMm: pt.yMm, outsideFraction: p.raw.outsideFraction, qualityRaw: p.qualityRaw, qualityClahe: p.qualityClahe! };
    }),
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
    requirePatchSource(ctx, billetId); // fail now with a clear message, not inside the job
    return ctx.jobs.start('patches.quality', `Patch quality of billet ${billetId}`, (ctl) => billetQualityTable(ctx, billetId, ctl));
  },
  'patches.preview': (args, ctx) => previewPatch(ctx, args as Parameters<typeof previewPatch>[1]),
  'patches.attach': ({ billetId, files }, ctx) => {
    ctx.repos.billets.get(billetId);
    if (!ctx.db.prepare('SELECT 1 FROM sampling_points WHERE billet_id = ?').get(billetId)) {
      throw new ApiError('failed_precondition', 'This billet has no sampling points yet: lay out points before attaching patch images', { field: 'billetId' });
    }
    const inputs = files.map((f) => ({ file: ctx.uploads.resolve(f.uploadId), name: f.name })); // a missing upload fails now
    return ctx.jobs.start('patches.attach', `Attach ${files.length} patch image${files.length === 1 ? '' : 's'}`, async (ctl) => {
      try {
        return await attachPatchFiles(ctx, billetId, inputs, ctl);
      } finally {
        for (const f of files) ctx.uploads.remove(f.uploadId);
      }
    });
  },
  'patches.attachedList': ({ billetId }, ctx) => attachedList(ctx, billetId),
  'patches.detach': ({ billetId, labels }, ctx) => {
    ctx.repos.billets.get(billetId);
    const removed = inTransaction(ctx.db, () => attachedRepo(ctx).remove(billetId, labels));
    sweepAttachedPatchFiles(ctx.paths.images, removed.map((r) => r.contentHash), attachedRepo(ctx).usedHashes());
    if (removed.length) patchesChanged(ctx, billetId);
    return { removed: removed.map((r) => r.label) };
  },
};
