import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Staging files older than this belong to a process that died (imports finish in minutes). */
const STALE_MS = 6 * 60 * 60 * 1000;

/**
 * Removes `.staging-*` leftovers of imports that were killed mid-way (section folders under `images/`,
 * attached patch files under `images/patches/`). Young ones are kept: another process (the CLI beside the
 * app) may be importing right now. Returns the names removed.
 */
export function sweepStaleStaging(imagesDir: string, now = Date.now(), staleMs = STALE_MS): string[] {
  const removed: string[] = [];
  for (const dir of [imagesDir, join(imagesDir, 'patches')]) {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      continue; // no such folder yet (a new data folder): nothing to sweep
    }
    for (const name of names) {
      if (!name.startsWith('.staging-')) continue;
      const p = join(dir, name);
      try {
        if (now - statSync(p).mtimeMs < staleMs) continue;
        rmSync(p, { recursive: true, force: true });
        removed.push(join(dir === imagesDir ? '' : 'patches', name));
      } catch {
        // vanished meanwhile: its owner finished
      }
    }
  }
  return removed;
}
