import type { ServiceContext } from '../context.js';
import { log } from '../../runtime/log.js';
import { imagesRepo } from './section-import.js';
import { readPendingSectionTag } from './section-tag-backfill.js';

/** What one sweep did: sections it stored as read or unreadable, those it left pending (a refusal that may pass), and whether it was cancelled. */
export interface SectionTagSweep {
  read: number;
  unreadable: number;
  leftPending: number;
  cancelled: boolean;
}

/**
 * Reads every section still pending for its resolution tag (stored before migration 024) once, in the background
 * after the app opened its data folder: a lab that upgrades and only prints an old map from an old model never opens
 * those sections' pixels, so the lazy read of section-tag-backfill.ts alone left their scale unchecked for good.
 *
 * Each section goes through the same `readPendingSectionTag` as a first open — the same outcomes (read / unreadable;
 * a transient OS refusal or a busy database leaves it pending for the next open or the next start), one header read,
 * no pixel decoded — one after another, so the event loop serves the UI between them (sharp reads the header on
 * libuv's threads). It begins after the caller's current turn, so the app's start does not wait for it. A stored
 * answer is announced as a change of that image, so a view showing it (Annotate's scale warning, where an import's
 * shows) reads it again. `signal` stops it between sections (the context's close); an error it did not expect is
 * logged, never thrown: the sweep is no one's request.
 */
export async function sweepPendingSectionTags(ctx: ServiceContext, signal: AbortSignal): Promise<SectionTagSweep> {
  const done: SectionTagSweep = { read: 0, unreadable: 0, leftPending: 0, cancelled: false };
  await new Promise<void>((resolve) => setImmediate(resolve));
  try {
    for (const imageId of signal.aborted ? [] : imagesRepo(ctx).tagPendingIds()) {
      if (signal.aborted) break;
      let outcome: Awaited<ReturnType<typeof readPendingSectionTag>>;
      try {
        outcome = await readPendingSectionTag(ctx, imageId);
      } catch (err) {
        log.warn('sections', "a section's resolution tag could not be read in the background: left pending", { imageId, err });
        outcome = 'pending';
      }
      if (outcome === 'pending') done.leftPending++;
      else if (outcome) {
        done[outcome]++;
        ctx.bus.emit({ type: 'data-changed', entity: 'image', id: imageId });
      }
    }
  } catch (err) {
    log.warn('sections', 'the background read of pending resolution tags could not list them', { err });
  }
  done.cancelled = signal.aborted;
  if (done.read + done.unreadable + done.leftPending > 0) log.info('sections', 'background read of pending resolution tags', { ...done });
  return done;
}
