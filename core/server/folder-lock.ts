import { linkSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { processAlive } from '../runtime/process-owner.js';

/** Who holds a data folder's UI lock. */
export interface LockOwner {
  pid: number;
  shell: 'browser' | 'electron';
  /** The server's address (browser mode), so a second `serve` can say where the app already is. */
  url?: string;
}

export type LockResult = { ok: true; release(): void; update(owner: Omit<LockOwner, 'pid'>): void } | { ok: false; owner: LockOwner };

const LOCK_FILE = 'ferrolab.lock';

function readOwner(file: string): LockOwner | null {
  try {
    const o = JSON.parse(readFileSync(file, 'utf8')) as LockOwner;
    return Number.isSafeInteger(o.pid) && o.pid > 0 ? o : null;
  } catch {
    return null;
  }
}

function writeNew(file: string, owner: LockOwner): boolean {
  let fd: number;
  try {
    fd = openSync(file, 'wx');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
  try {
    writeSync(fd, JSON.stringify(owner));
  } finally {
    closeSync(fd);
  }
  return true;
}

/**
 * One UI (a `ferrolab serve` or the desktop app) per data folder: two would each hold their own idea of
 * running jobs and uploads over one database. The CLI's other commands do not take it: they may run
 * beside the app, as SQLite's locking allows.
 *
 * The lock is a file made with O_EXCL holding the owner's pid. A lock whose owner is dead (a kill, a
 * crash) is taken over: it is first renamed aside, and only if the renamed file is the dead owner's
 * lock (not a fresh one another starter just wrote) is it dropped; a fresh one is linked back.
 */
export function claimFolderLock(dataDir: string, owner: Omit<LockOwner, 'pid'>): LockResult {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, LOCK_FILE);
  const me: LockOwner = { pid: process.pid, ...owner };
  for (let attempt = 0; attempt < 5; attempt++) {
    if (writeNew(file, me)) {
      return {
        ok: true,
        update: (o) => {
          Object.assign(me, o);
          const tmp = `${file}.${process.pid}`;
          rmSync(tmp, { force: true });
          writeNew(tmp, me);
          renameSync(tmp, file);
        },
        release: () => {
          if (readOwner(file)?.pid === process.pid) rmSync(file, { force: true });
        },
      };
    }
    const held = readOwner(file);
    if (held && processAlive(held.pid)) return { ok: false, owner: held };
    // Stale (dead owner, or unreadable: a kill between create and write): move it aside and check.
    const aside = `${file}.stale-${process.pid}`;
    try {
      renameSync(file, aside);
    } catch {
      continue; // someone else moved it: look again
    }
    const moved = readOwner(aside);
    const fresh = moved && moved.pid !== held?.pid && processAlive(moved.pid);
    if (fresh) {
      try {
        linkSync(aside, file); // put the live owner's lock back (fails if yet another one exists)
      } catch {
        // a third starter holds it now; the next round reports it
      }
    }
    rmSync(aside, { force: true });
  }
  const held = readOwner(file);
  return { ok: false, owner: held ?? { pid: 0, shell: 'browser' } };
}
