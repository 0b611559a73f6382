import type { ServiceContext } from '../context.js';
import { createBilletWithSection, importBilletSection, maxPixelsOf, MAX_PIXELS_KEY, removeUnusedSections, sweepOrphanSections, imagesRepo } from './section-import.js';
import { attachedList, attachPatchFiles, detachPatches, requirePatchSource } from './attached-patches.js';
import { setCircle, setImageSettings, type SetCircleArgs } from './calibration.js';
import type { ImagingSettings } from '../../imaging/index.js';
import { billetQualityTable, patchSourceOf, pointPatches, pointPositions, previewPatch } from './section-reader.js';
import { answeringImageErrors } from '../shared/image-errors.js';
import { deleteBilletAndFiles } from './billet-delete.js';
import { sectionUnderlay } from './underlay.js';
import { detectBilletPores, poreSummary, sectionPores } from './section-pores.js';
import { readPendingSectionTag, readPendingTagOfBillet, sectionScaleCheck } from './section-tag-backfill.js';
import { sweepPendingSectionTags } from './section-tag-sweep.js';
import { billetForSection, defaultModelScale, openBilletPatches, openBilletSection, patchesAt, type ModelInputSpec } from './billet-section.js';

/**
 * Sections: the one reader of a billet's pixels. What core/imaging refuses (plain RefusedError) is
 * answered here as the API's error. Import (files + rows), calibration, patches at a physical
 * scale (for models: `openForModel` decodes once and cuts at any mm centre; for the quality table and the CLI:
 * `pointPatches`), the patch preview's region by mm, and attached patch images. Every path that opens a section's
 * pixels reads its resolution tag first when it is still pending (section-tag-backfill.ts; once per section).
 */
export function createSectionsService(ctx: ServiceContext) {
  /** A path that opens the billet's section pixels: its pending resolution tag is read first, then image errors answered. */
  const opening = <T>(billetId: number, run: () => Promise<T>): Promise<T> =>
    answeringImageErrors(async () => {
      await readPendingTagOfBillet(ctx, billetId);
      return run();
    });
  return {
    /** The billet's section; one stored before resolution tags were is read for its tag first (section-tag-backfill.ts). */
    image: async (billetId: number) => {
      const img = imagesRepo(ctx).forBillet(billetId);
      if (img?.resolutionTagRead !== 'pending') return img;
      await readPendingSectionTag(ctx, img.id);
      return imagesRepo(ctx).forBillet(billetId);
    },
    importSection: (args: Parameters<typeof importBilletSection>[1], ctl: Parameters<typeof importBilletSection>[2]) => answeringImageErrors(() => importBilletSection(ctx, args, ctl)),
    createBilletWithSection: (args: Parameters<typeof createBilletWithSection>[1], opts?: Parameters<typeof createBilletWithSection>[2]) => answeringImageErrors(() => createBilletWithSection(ctx, args, opts)),
    setCircle: async (args: SetCircleArgs) => {
      await readPendingSectionTag(ctx, args.imageId); // the record it returns says whether the new rim agrees with the tag
      return setCircle(ctx, args);
    },
    setSettings: async (imageId: number, settings: ImagingSettings) => {
      await readPendingSectionTag(ctx, imageId);
      return setImageSettings(ctx, imageId, settings);
    },
    maxPixels: () => maxPixelsOf(ctx),
    setMaxPixels: (maxPixels: number) => ctx.repos.settings.set(MAX_PIXELS_KEY, maxPixels),
    removeUnused: (hashes: readonly string[]) => removeUnusedSections(ctx, hashes),
    deleteBillet: (id: number) => deleteBilletAndFiles(ctx, id),
    sweepOrphans: (olderThanMs?: number) => sweepOrphanSections(ctx, olderThanMs),
    requirePatchSource: (billetId: number) => requirePatchSource(ctx, billetId),
    patchSource: (billetId: number) => patchSourceOf(ctx, billetId),
    pointPositions: (billetId: number) => pointPositions(ctx, billetId),
    pointPatches: (src: ReturnType<typeof patchSourceOf>, points: Parameters<typeof pointPatches>[2], opts: Parameters<typeof pointPatches>[3]) =>
      answeringImageErrors(async () => {
        if (src.image) await readPendingSectionTag(ctx, src.image.id);
        return pointPatches(ctx, src, points, opts);
      }),
    qualityTable: (billetId: number, ctl?: Parameters<typeof billetQualityTable>[2]) => opening(billetId, () => billetQualityTable(ctx, billetId, ctl)),
    preview: (args: Parameters<typeof previewPatch>[1]) => opening(args.billetId, () => previewPatch(ctx, args)),
    attachedList: (billetId: number) => attachedList(ctx, billetId),
    detach: (billetId: number, labels?: string[]) => detachPatches(ctx, billetId, labels),
    attach: (billetId: number, files: Parameters<typeof attachPatchFiles>[2], ctl?: Parameters<typeof attachPatchFiles>[3], mmPerPx?: number | null, significantBits?: number, trustGivenScale?: boolean) => answeringImageErrors(() => attachPatchFiles(ctx, billetId, files, ctl, mmPerPx ?? null, significantBits, trustGivenScale)),
    /** Patches + attached images for a model input size, decoded once (datasets, prediction, Grad-CAM). */
    openForModel: (billetId: number, model: ModelInputSpec, clahe: Parameters<typeof openBilletPatches>[4]) =>
      opening(billetId, () => openBilletPatches(ctx.db, ctx.paths.images, billetId, model, clahe)),
    /** The section only, for cutting at arbitrary centres (predicted maps). */
    openSectionForModel: (billetId: number, model: ModelInputSpec, clahe: Parameters<typeof openBilletSection>[4]) =>
      opening(billetId, () => openBilletSection(ctx.db, ctx.paths.images, billetId, model, clahe)),
    /** Reads every section still pending for its tag once, in the background, until `signal` aborts (section-tag-sweep.ts). */
    sweepPendingTags: (signal: AbortSignal, announceEvery?: number) => sweepPendingSectionTags(ctx, signal, announceEvery),
    /** The billets' sections checked against their resolution tags (a training's, a predicted map's): section-tag-backfill.ts. */
    scaleCheck: (billetIds: readonly number[]) => sectionScaleCheck(ctx, billetIds),
    /** The physical patch a new model on these billets gets (see billet-section `defaultModelScale`). */
    defaultModelScale: (billetIds: readonly number[], inputSize: number, patchMm?: number) => defaultModelScale(ctx.db, ctx.paths.images, billetIds, inputSize, patchMm),
    /** Patches at billet-centred mm positions from an opened section (attached images win); missing ones refused by name. */
    patchesAt: (...args: Parameters<typeof patchesAt>) => answeringImageErrors(() => patchesAt(...args)),
    /** The section's thumbnail and rim, to draw a map over. */
    underlay: (billetId: number) => opening(billetId, () => sectionUnderlay(ctx, billetId)),
    /** Stored pores of the billet's current section (never computes). */
    pores: (billetId: number) => poreSummary(ctx, billetId),
    /** Finds (or reads back) the pores of the billet's section, in a worker. */
    detectPores: (billetId: number, ctl?: Parameters<typeof detectBilletPores>[2]) => opening(billetId, () => detectBilletPores(ctx, billetId, ctl)),
    /** The pores with their pixel mask (detected first when needed), for maps and Grad-CAM to mask; null without a calibrated section. */
    sectionPores: (billetId: number, ctl?: Parameters<typeof sectionPores>[2]) => opening(billetId, () => sectionPores(ctx, billetId, ctl)),
    billetName: (billetId: number) => billetForSection(ctx.db, billetId).name,
  };
}
export type SectionsService = ReturnType<typeof createSectionsService>;
export { sweepOrphanSections, ORPHAN_SECTION_AGE_MS, maxPixelsOf } from './section-import.js';
export type { SectionTagSweep } from './section-tag-sweep.js';
