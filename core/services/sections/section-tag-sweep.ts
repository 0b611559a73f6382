import type { ServiceContext } from '../context.js';
import { log } from '../../runtime/log.js';
import { imagesRepo } from './section-import.js';
import { readPendingSectionTag } from './section-tag-backfill.js';

/**
 * What one sweep did: sections it stored as read or unreadable, those it tried and left pending (a refusal that may
 * pass, or the one a write lock stopped it at), whether a write lock another connection held stopped it (`busy`: the
 * sections after that one were not tried), and whether it was cancelled.
 */
export interface SectionTagSweep {
  read: number;
  unreadable: number;
  leftPending: number;
  busy: boolean;
  cancelled: boolean;
}

/**
 * How long the sweep's store waits for a write lock another connection holds, instead of the app's busy timeout (5 s):
 * better-sqlite3 waits synchronously, the app frozen meanwhile, and no one is waiting for the sweep's answer.
 */
export const SWEEP_BUSY_WAIT_MS = 250;

/** Stored answers announced together: one `image` change per this many (and one for the rest at the end). */
export const SWEEP_ANNOUNCE_BATCH = 50;

/**
 * Reads every section still pending for its resolution tag (stored before migration 024) once, in the background
 * after the app opened its data folder: a lab that upgrades and only prints an old map from an old model never opens
 * those sections' pixels, so the lazy read of section-tag-backfill.ts alone left their scale unchecked for good.
 *
 * Each section goes through the same `readPendingSectionTag` as a first open — the same outcomes (read / unreadable;
 * a transient OS refusal leaves it pending for the next open or the next start), one header read, no pixel decoded —
 * one after another, so the event loop serves the UI between them (sharp reads the header on libuv's threads). It
 * begins after the caller's current turn, so the app's start does not wait for it.
 *
 * A write lock another connection (a CLI import, a second app) holds stops the sweep at that section: better-sqlite3
 * waits for it synchronously, the app frozen meanwhile, so each further section would freeze it again (27-D: N × the
 * 5 s busy timeout). The sweep's store waits SWEEP_BUSY_WAIT_MS, not the 5 s a user's own request waits; the rest stay
 * pending for the next start, or for the first path that opens them.
 *
 * Stored answers are announced as one `image` change without an id per `batch` sections (and for the rest at the
 * end): one event per section made Annotate reload its image and the billet list re-read every billet's pores per
 * event (N² reads for N sections); both re-read on an `image` change whatever its id. `signal` stops it between
 * sections (the context's close); an error it did not expect is logged, never thrown: the sweep is no one's request.
 */
export async function sweepPendingSectionTags(ctx: ServiceContext, signal: AbortSignal, batch = SWEEP_ANNOUNCE_BATCH): Promise<SectionTagSweep> {
  const done: SectionTagSweep = { read: 0, unreadable: 0, leftPending: 0, busy: false, cancelled: false };
  let unannounced = 0;
  const announce = () => {
    if (unannounced === 0) return;
    unannounced = 0;
    ctx.bus.emit({ type: 'data-changed', entity: 'image' });
  };
  await new Promise<void>((resolve) => setImmediate(resolve));
  try {
    for (const imageId of signal.aborted ? [] : imagesRepo(ctx).tagPendingIds()) {
      if (signal.aborted) break;
      let outcome: Awaited<ReturnType<typeof readPendingSectionTag>>;
      try {
        outcome = await readPendingSectionTag(ctx, imageId, { busyWaitMs: SWEEP_BUSY_WAIT_MS });
      } catch (err) {
        log.warn('sections', "a section's resolution tag could not be read in the background: left pending", { imageId, err });
        outcome = 'pending';
      }
      if (outcome === 'pending' || outcome === 'busy') done.leftPending++;
      else if (outcome) {
        done[outcome]++;
        if (++unannounced >= batch) announce();
      }
      if (outcome === 'busy') {
        done.busy = true;
        break;
      }
    }
  } catch (err) {
    log.warn('sections', 'the background read of pending resolution tags could not list them', { err });
  }
  announce();
  done.cancelled = signal.aborted;
  if (done.read + done.unreadable + done.leftPending > 0) log.info('sections', 'background read of pending resolution tags', { ...done });
  return done;
}
