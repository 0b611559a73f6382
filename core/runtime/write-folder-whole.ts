import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { ownedTempName } from './temp-leftovers.js';
import { sweepExportLeftovers } from './write-whole.js';
import { testHook } from './test-hooks.js';

/**
 * Writes a set of files the user asked for into one folder (e.g. `ferrolab patches --out DIR`: PNGs, quality.csv,
 * settings.json) whole or not at all: `fill` writes them into a temporary folder beside the target (owned by this
 * process), which is renamed into place only once complete; an earlier set there is moved aside first and removed
 * after. A failure part-way leaves the earlier set as it was; a kill leaves only hidden `.export-<pid>-…` folders,
 * which the next export to the same place removes — never a half set that looks whole.
 * The caller decides whether an existing folder may be replaced. Answers the absolute path written.
 */
export async function writeFolderWhole(target: string, fill: (dir: string) => Promise<void>): Promise<string> {
  const out = resolve(target);
  const parent = dirname(out);
  mkdirSync(parent, { recursive: true });
  sweepExportLeftovers(parent);
  const tmp = join(parent, `.${ownedTempName('export-')}-${basename(out)}.tmp`);
  const old = join(parent, `.${ownedTempName('export-')}-${basename(out)}.old.tmp`);
  let movedAside = false;
  try {
    mkdirSync(tmp);
    await fill(tmp);
    testHook('export:written-not-renamed');
    if (existsSync(out)) {
      renameSync(out, old);
      movedAside = true;
    }
    renameSync(tmp, out);
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    if (movedAside && !existsSync(out)) renameSync(old, out);
    throw err;
  }
  if (movedAside) rmSync(old, { recursive: true, force: true });
  return out;
}
