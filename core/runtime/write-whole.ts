import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { ownedTempName, sweepLeftovers } from './temp-leftovers.js';
import { testHook } from './test-hooks.js';

/**
 * Writes a file the user named whole or not at all: the bytes go to a temporary name beside it (owned by this
 * process) and are renamed over the target only once complete. A kill, a full disk or a failure part-way leaves the
 * target as it was (an earlier export stays intact) instead of a truncated file that looks like a finished one.
 * Answers the absolute path written.
 */
export function writeFileWhole(target: string, data: string | Buffer): string {
  const out = resolve(target);
  mkdirSync(dirname(out), { recursive: true });
  sweepExportLeftovers(dirname(out));
  const tmp = join(dirname(out), `.${ownedTempName('export-')}-${basename(out)}.tmp`);
  try {
    writeFileSync(tmp, data);
    testHook('export:written-not-renamed');
    renameSync(tmp, out);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
  return out;
}

/**
 * Removes the temporary files and folders (`.export-<pid>-…`) that killed exports of dead processes left in `dir`:
 * user folders are not swept at open like the data folder, so each export sweeps the folder it writes into.
 * A live process's (another export under way) are left alone. Answers the names removed.
 */
export function sweepExportLeftovers(dir: string): string[] {
  return sweepLeftovers(dir, '.export-');
}
