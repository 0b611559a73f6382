import type { ServiceContext } from '../context.js';
import { createPointsRepo } from '../../store/repos/points-repo.js';
import { requireCalibration, requireSection } from './require-section.js';
import { type AttachReport, type AttachedPatchRecord } from '../../api/methods/images.js';
import { ApiError } from '../../api/errors.js';
import type { JobControl } from '../../jobs/index.js';
import { inTransaction } from '../../store/tx.js';
import { createAttachedPatchesRepo } from '../../store/repos/attached-patches-repo.js';
import { prepareAttachedPatches, storeAttachedPatches, discardPrepared, sweepAttachedPatchFiles, removeFiles, attachedPatchRel, type AttachInputFile } from '../../imaging/index.js';
import { prefixKey } from '../../segregation/index.js';
import { phrase } from '../../api/phrase.js';

/** Separately captured patch images attached to a billet's points: list, attach (all-or-nothing), detach. */

export const attachedRepo = (ctx: ServiceContext) => createAttachedPatchesRepo(ctx.db);

function patchesChanged(ctx: ServiceContext, billetId: number): void {
  ctx.bus.emit({ type: 'data-changed', entity: 'attached-patches', id: billetId });
  ctx.bus.emit({ type: 'data-changed', entity: 'billet', id: billetId });
}

export function attachedList(ctx: ServiceContext, billetId: number): AttachedPatchRecord[] {
  ctx.repos.billets.get(billetId);
  const ids = new Map(createPointsRepo(ctx.db).list(billetId).map((p) => [p.label.toLowerCase(), p.id]));
  return attachedRepo(ctx)
    .list(billetId)
    .map((r) => ({ ...r, pointId: ids.get(r.label.toLowerCase()) ?? null, fileRel: attachedPatchRel(r.contentHash) }));
}

/**
 * A billet's patches need a calibrated section or attached patch images; returns the attached ones (the
 * rows, for the pipeline) and fails with the reason when there is neither.
 */
export function requirePatchSource(ctx: ServiceContext, billetId: number) {
  ctx.repos.billets.get(billetId);
  const attached = attachedRepo(ctx).list(billetId);
  if (!attached.length) requireCalibration(requireSection(ctx, billetId));
  return attached;
}

/**
 * Attaches a folder of patch images to a billet's points, with their scale (`mmPerPx`, one for the folder:
 * one camera and objective; null = not given, refused later by models with a physical scale) and, for a 16-bit camera
 * that stores fewer bits, its `significantBits` (the same camera for the folder; core/imaging/attached-patches.ts): every file validated first (a bad one refuses the
 * folder: nothing stored, the job fails naming the files, the report is its detail), the PNGs stored, then
 * all rows written in one transaction; if that fails, the files it created are removed again.
 */
export async function attachPatchFiles(ctx: ServiceContext, billetId: number, files: readonly AttachInputFile[], ctl?: JobControl, mmPerPx: number | null = null, significantBits?: number, trustGivenScale = false): Promise<AttachReport> {
  // (kept over the tag only where a scale is given: without one there is nothing to trust)
  const scaleOverTag = trustGivenScale && mmPerPx !== null;
  const labels = createPointsRepo(ctx.db).labels(billetId);
  const own = ctx.repos.billets.get(billetId);
  // (a name spelt like this billet's own, "B-12" beside "B12", is no evidence of another billet)
  const otherBillets = ctx.repos.billets.list().filter((b) => b.id !== billetId && prefixKey(b.name) !== prefixKey(own.name)).map((b) => b.name);
  const prep = await prepareAttachedPatches(files, labels, { imagesDir: ctx.paths.images, otherBillets, ownBillet: own.name, significantBits, mmPerPx, trustGivenScale: scaleOverTag, signal: ctl?.signal, onProgress: (d, n) => ctl?.progress(0.9 * (d / n), phrase('jobs.sections.checkedImages', { done: d, total: n })) });
  const report: AttachReport = { billetId, imported: false, matched: prep.matched, replaced: [], errors: prep.errors, skipped: prep.skipped, mmPerPx };
  if (!prep.errors.length && !prep.prepared.length) report.errors.push({ file: '(folder)', message: 'no patch images in it', phrase: phrase('errors.sections.attachEmptyFolder') });
  if (report.errors.length) {
    ctl?.progress(1, phrase('jobs.sections.refused'), report);
    const shown = report.errors.slice(0, 5).map((e) => `${e.file}: ${e.message}`).join('; ');
    const more = report.errors.length > 5;
    throw ApiError.said('invalid_argument', more ? phrase('errors.sections.nothingAttachedMore', { n: report.errors.length, files: shown, more: report.errors.length - 5 }) : report.errors.length === 1 ? phrase('errors.sections.nothingAttachedOne', { files: shown }) : phrase('errors.sections.nothingAttached', { n: report.errors.length, files: shown }), { details: report });
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
        const old = repo.upsert(billetId, { label: p.label, contentHash: p.contentHash, originalName: p.name, width: p.width, height: p.height, mmPerPx, scaleOverTag: p.scaleOverTag });
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

/** Removes attached patch images from points (rows in one transaction, then files no row uses). */
export function detachPatches(ctx: ServiceContext, billetId: number, labels?: string[]): { removed: string[] } {
  ctx.repos.billets.get(billetId);
  const removed = inTransaction(ctx.db, () => attachedRepo(ctx).remove(billetId, labels));
  sweepAttachedPatchFiles(ctx.paths.images, removed.map((r) => r.contentHash), attachedRepo(ctx).usedHashes());
  if (removed.length) patchesChanged(ctx, billetId);
  return { removed: removed.map((r) => r.label) };
}
