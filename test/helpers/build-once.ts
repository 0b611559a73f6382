import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface BuildOnceOptions {
  /** How long a caller waits for another process that is building the same folder. */
  timeoutMs: number;
  /** How often a waiting caller looks for the finished folder (or a dead builder). */
  pollMs?: number;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** mkdir is atomic: whoever creates the lock folder builds. A lock whose owner process died is taken over. */
function tryLock(lock: string): boolean {
  try {
    mkdirSync(lock);
    writeFileSync(join(lock, 'pid'), String(process.pid));
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    let owner: number;
    try {
      owner = Number(readFileSync(join(lock, 'pid'), 'utf8'));
    } catch {
      return false; // the owner made the folder and is about to write its pid
    }
    if (Number.isInteger(owner) && owner > 0 && !pidAlive(owner)) {
      rmSync(lock, { recursive: true, force: true });
      return tryLock(lock);
    }
    return false;
  }
}

/**
 * Makes folder `dir` exactly once across parallel test processes: the first caller runs `build` into a
 * private work folder that becomes `dir` by one rename once `marker` (a file name inside it) exists;
 * the others wait for `dir/marker` to appear. A builder that fails releases the lock (the next caller
 * tries again), one that died is detected by its pid. Returns whether this call built it.
 */
export async function buildOnce(dir: string, marker: string, build: (work: string) => Promise<void>, opts: BuildOnceOptions): Promise<{ builtHere: boolean }> {
  const lock = `${dir}.lock`;
  const deadline = Date.now() + opts.timeoutMs;
  for (;;) {
    if (existsSync(join(dir, marker))) return { builtHere: false };
    if (tryLock(lock)) {
      const work = `${dir}.building-${process.pid}`;
      try {
        if (existsSync(join(dir, marker))) return { builtHere: false };
        rmSync(work, { recursive: true, force: true });
        mkdirSync(work, { recursive: true });
        await build(work);
        if (!existsSync(join(work, marker))) throw new Error(`buildOnce: the build did not write ${marker}`);
        rmSync(dir, { recursive: true, force: true }); // a half-made folder without its marker
        renameSync(work, dir);
        return { builtHere: true };
      } finally {
        rmSync(work, { recursive: true, force: true });
        rmSync(lock, { recursive: true, force: true });
      }
    }
    if (Date.now() > deadline) throw new Error(`buildOnce: ${dir} is still being built by another process after ${Math.round(opts.timeoutMs / 1000)} s (lock ${lock})`);
    // Waiting on a condition (the folder appears, or the builder's lock goes away), not on a guess.
    await new Promise((r) => setTimeout(r, opts.pollMs ?? 500));
  }
}
