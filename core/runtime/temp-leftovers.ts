import { randomBytes } from 'node:crypto';
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { processAlive } from './process-owner.js';

/**
 * Temporary files and folders (uploads in tmp/, `.staging-*` of imports under images/) are named
 * `<prefix><pid>-<random>` so that whoever opens the data folder next can tell whose they are: a live
 * process's are left alone (the CLI may be importing beside the app), a dead one's are leftovers of a
 * kill, a crash or a cancel and are removed.
 */
export function ownedTempName(prefix: string, rest = randomBytes(8).toString('hex')): string {
  return `${prefix}${process.pid}-${rest}`;
}

/** Even a live owner does not hold a temp file this long; past it the pid was reused by another program. */
const OWNED_MAX_AGE_MS = 24 * 60 * 60 * 1000;

/** When this process started: untagged leftovers older than that cannot be ours. */
export const PROCESS_STARTED_MS = Date.now() - process.uptime() * 1000;

export interface SweepOptions {
  now?: number;
  startedAt?: number;
  isAlive?: (pid: number) => boolean;
}

/**
 * True when `name` (modified at `mtimeMs`) is a leftover: its owner process is gone (or the pid was
 * reused long after), or it carries no owner and is older than this process (written by an earlier
 * version before it was killed).
 */
export function isLeftover(name: string, mtimeMs: number, opts: SweepOptions = {}): boolean {
  const now = opts.now ?? Date.now();
  const owner = /^\.?[a-z]+-(\d+)-[0-9a-f]/.exec(name);
  if (owner) {
    const pid = Number(owner[1]);
    const alive = pid === process.pid || (opts.isAlive ?? processAlive)(pid);
    return !alive || now - mtimeMs > OWNED_MAX_AGE_MS;
  }
  return mtimeMs < (opts.startedAt ?? PROCESS_STARTED_MS);
}

/**
 * Removes the leftovers among the entries of `dir` whose names start with `prefix` (every entry when
 * prefix is ''). Returns the names removed. An entry that vanishes meanwhile was finished by its owner.
 */
export function sweepLeftovers(dir: string, prefix: string, opts: SweepOptions = {}): string[] {
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return removed;
  }
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const p = join(dir, name);
    try {
      if (!isLeftover(name, statSync(p).mtimeMs, opts)) continue;
      rmSync(p, { recursive: true, force: true });
      removed.push(name);
    } catch {
      // vanished meanwhile: its owner finished
    }
  }
  return removed;
}

/**
 * Removes `.staging-*` leftovers of imports that were killed mid-way (section folders under `images/`,
 * attached patch files under `images/patches/`). Returns the names removed (patches/ ones prefixed).
 */
export function sweepStaleStaging(imagesDir: string, opts: SweepOptions = {}): string[] {
  return [
    ...sweepLeftovers(imagesDir, '.staging-', opts),
    ...sweepLeftovers(join(imagesDir, 'patches'), '.staging-', opts).map((n) => join('patches', n)),
  ];
}

/** What opening a data folder sweeps: everything in tmp/ and the staging of imports, whose owner is gone. */
export function sweepTempLeftovers(paths: { tmp: string; images: string }, opts: SweepOptions = {}): string[] {
  return [...sweepLeftovers(paths.tmp, '', opts).map((n) => join('tmp', n)), ...sweepStaleStaging(paths.images, opts).map((n) => join('images', n))];
}
