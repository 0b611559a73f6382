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
 * section store one answer; a file gone or damaged (ENOENT, a header sharp rejects) is stored as 'unreadable' and
 * not tried again (the record says so: `resolutionTagRead`). A refusal that may pass (EACCES, EBUSY, EMFILE, EIO:
 * stored-section-tag.ts) or a data folder whose write lock another connection holds past the busy timeout stores
 * nothing: the section stays pending, is logged, and is read again when next opened.
 */
export async function readPendingSectionTag(ctx: ServiceContext, imageId: number): Promise<void> {
  const repo = imagesRepo(ctx);
  const pending = repo.tagPending(imageId);
  if (!pending) return;
  const read = await readStoredSectionTag(ctx.paths.images, pending.contentHash, pending.page);
  const about = { imageId, contentHash: pending.contentHash };
  if (!read.readable && !read.lasting) {
    // the file is there but the system refused it this time (busy, locked, no handles, a network folder's hiccup)
    log.warn('sections', "a stored section's file could not be read for its resolution tag this time: left pending, read again when next opened", { ...about, reason: read.reason });
    return;
  }
  let stored: boolean;
  try {
    stored = repo.storeTagRead(imageId, read.readable ? { readable: true, pxPerInch: read.tag?.pxPerInch ?? null } : { readable: false });
  } catch (err) {
    // Another connection (a second window, a CLI command) holds the write lock past the busy timeout: a read must
    // not fail for that. The section stays pending and is read again when next opened.
    if (!String((err as { code?: unknown }).code ?? '').startsWith('SQLITE_BUSY')) throw err;
    log.warn('sections', "a section's resolution tag could not be stored (the data folder is busy): left pending", { ...about, reason: err instanceof Error ? err.message : String(err) });
    return;
  }
  if (stored && !read.readable) log.warn('sections', "a stored section's file could not be read for its resolution tag: its scale is not checked", { ...about, reason: read.reason });
}
