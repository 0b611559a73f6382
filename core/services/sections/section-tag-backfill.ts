import type { ServiceContext } from '../context.js';
import { readStoredSectionTag } from '../../imaging/index.js';
import { log } from '../../runtime/log.js';
import { imagesRepo } from './section-import.js';

/**
 * Sections imported before their resolution tag was stored (migration 024; marked pending by 026) are read for it
 * here, lazily: the first time the section is shown after the upgrade (`images.forBillet` — the Annotate view,
 * `billet show` — or a rim or settings change, every path that hands out its record). Then the record's
 * `scaleWarning` is the import's check on the same tag, and appears where an import's does.
 *
 * Why lazily and not at open: opening a data folder reads no section file at all, however many it holds (a scan
 * at open would read one header per section before the first window could answer, and again in every CLI
 * command); a section costs one header read (sharp's metadata, not the pixels: bench/section-tag.ts) once, and
 * nothing shows a section's scale without going through this. A section never shown again is never read, and
 * nothing shows its scale either.
 *
 * Once: the answer is stored in a transaction that changes only a row still pending, so readers racing on one
 * section store one answer; a file gone or damaged is stored as 'unreadable' and not tried again (the record
 * says so: `resolutionTagRead`).
 */
export async function readPendingSectionTag(ctx: ServiceContext, imageId: number): Promise<void> {
  const repo = imagesRepo(ctx);
  const pending = repo.tagPending(imageId);
  if (!pending) return;
  const read = await readStoredSectionTag(ctx.paths.images, pending.contentHash, pending.page);
  const stored = repo.storeTagRead(imageId, read.readable ? { readable: true, pxPerInch: read.tag?.pxPerInch ?? null } : { readable: false });
  if (stored && !read.readable) log.warn('sections', "a stored section's file could not be read for its resolution tag: its scale is not checked", { imageId, contentHash: pending.contentHash, reason: read.reason });
}
