import type { ServiceContext } from '../context.js';
import { readStoredSectionTag } from '../../imaging/index.js';
import { log } from '../../runtime/log.js';
import { imagesRepo } from './section-import.js';
import { phrase } from '../../api/phrase.js';
import type { ScaleCheck, SectionScaleWarning } from '../../api/methods/cnn.js';

/**
 * Sections imported before their resolution tag was stored (migration 024; marked pending by 026) are read for it
 * here: in the background once the app has opened its data folder (`section-tag-sweep.ts`: the desktop app and
 * `ferrolab serve`), and on the first of the service's paths to reach one still pending — every path that hands out
 * its record (`images.forBillet`: Annotate, `billet show`; a rim or settings change) or opens its pixels (training and
 * prediction datasets, predicted maps, pores, experiments, the quality table, the patch preview:
 * `readPendingTagOfBillet`), which a one-shot CLI command and a section the sweep has not reached yet rely on. Then
 * the record's `scaleWarning` is the import's check on the same tag: shown where an import's is, and named in a CNN
 * training's and a predicted map's result (`sectionScaleWarnings`), so a lab that goes straight to Train or Maps after
 * the upgrade sees a section whose scale its tag contradicts.
 *
 * Opening a data folder reads no section file itself (the sweep starts after it, and the app does not wait for it):
 * a section costs one header read (sharp's metadata, not the pixels: bench/section-tag.ts) once.
 *
 * Once: the answer is stored in a transaction that changes only a row still pending, so readers racing on one
 * section store one answer; a file gone or damaged (ENOENT, a header sharp rejects) is stored as 'unreadable' and
 * not tried again (the record says so: `resolutionTagRead`). A refusal that may pass (EACCES, EBUSY, EMFILE, EIO:
 * stored-section-tag.ts) or a data folder whose write lock another connection holds past the busy timeout stores
 * nothing: the section stays pending, is logged, and is read again when next opened.
 *
 * Answers what this call stored ('read', 'unreadable'), 'pending' when it stored nothing because the system refused
 * the file this time, 'busy' when it stored nothing because the write lock stayed taken past the busy timeout (the
 * background sweep stops there: each further section would block the app for that timeout again), or null when it
 * was not pending (any more: another reader stored its answer first). `busyWaitMs` waits that long for the lock
 * instead of the connection's busy timeout (the sweep's: nobody asked for its answer, so it need not freeze the app).
 */
export async function readPendingSectionTag(ctx: ServiceContext, imageId: number, opts: { busyWaitMs?: number } = {}): Promise<'read' | 'unreadable' | 'pending' | 'busy' | null> {
  const repo = imagesRepo(ctx);
  const pending = repo.tagPending(imageId);
  if (!pending) return null;
  const read = await readStoredSectionTag(ctx.paths.images, pending.contentHash, pending.page);
  const about = { imageId, contentHash: pending.contentHash };
  if (!read.readable && !read.lasting) {
    // the file is there but the system refused it this time (busy, locked, no handles, a network folder's hiccup)
    log.warn('sections', "a stored section's file could not be read for its resolution tag this time: left pending, read again when next opened", { ...about, reason: read.reason });
    return 'pending';
  }
  let stored: boolean;
  try {
    stored = repo.storeTagRead(imageId, read.readable ? { readable: true, pxPerInch: read.tag?.pxPerInch ?? null } : { readable: false }, opts);
  } catch (err) {
    // Another connection (a second window, a CLI command) holds the write lock past the busy timeout: a read must
    // not fail for that. The section stays pending and is read again when next opened.
    if (!/^SQLITE_(BUSY|LOCKED)/.test(String((err as { code?: unknown }).code ?? ''))) throw err;
    log.warn('sections', "a section's resolution tag could not be stored (the data folder is busy): left pending", { ...about, reason: err instanceof Error ? err.message : String(err) });
    return 'busy';
  }
  if (!stored) return null;
  if (!read.readable) log.warn('sections', "a stored section's file could not be read for its resolution tag: its scale is not checked", { ...about, reason: read.reason });
  return read.readable ? 'read' : 'unreadable';
}

/** Reads the tag of the billet's current section if it is still pending (the paths that open its pixels). */
export async function readPendingTagOfBillet(ctx: ServiceContext, billetId: number): Promise<void> {
  const img = imagesRepo(ctx).forBillet(billetId);
  if (img?.resolutionTagRead === 'pending') await readPendingSectionTag(ctx, img.id);
}

/**
 * The check of the sections a job used (a CNN training's billets, a predicted map's billet) against their files'
 * resolution tags: each billet's current section counted by what could be compared (a believed tag and a rim), why
 * not (no believed tag: none, or a camera's default density; the tag unread; no rim), and each compared section
 * whose rim calibration its tag contradicts, with both scales and their ratio, named (`scale.sectionOffTag`, the
 * import's warning inside). Pending sections are read first; new imports carry their tag already. The job stores it
 * with what it made (the model, the map), read right after it opened the sections its patches are cut from.
 */
export async function sectionScaleCheck(ctx: ServiceContext, billetIds: readonly number[]): Promise<ScaleCheck> {
  const warnings: SectionScaleWarning[] = [];
  const counts = { sections: 0, compared: 0, noTag: 0, unread: 0, noRim: 0 };
  for (const billetId of new Set(billetIds)) {
    await readPendingTagOfBillet(ctx, billetId);
    const img = imagesRepo(ctx).forBillet(billetId);
    if (!img) continue; // no section: its patches came from attached images, which carry no rim to check
    counts.sections++;
    if (img.resolutionTagRead !== 'read') counts.unread++;
    else if (!img.resolutionTag) counts.noTag++;
    else if (img.mmPerPx === null || !img.circle) counts.noRim++;
    else {
      counts.compared++;
      if (!img.scaleWarning) continue;
      const billetName = ctx.repos.billets.get(billetId).name;
      warnings.push({
        billetId,
        billetName,
        imageId: img.id,
        calibratedMmPerPx: img.mmPerPx,
        taggedMmPerPx: img.resolutionTag.mmPerPx,
        tagPxPerInch: img.resolutionTag.pxPerInch,
        ratio: img.mmPerPx / img.resolutionTag.mmPerPx,
        phrase: phrase('scale.sectionOffTag', { name: billetName, warning: img.scaleWarning }),
      });
    }
  }
  return { counts, warnings };
}
