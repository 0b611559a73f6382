import type { Database } from 'better-sqlite3';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { inTransaction } from '../store/tx.js';
import { createModelsRepo } from '../store/repos/models-repo.js';
import { processAlive } from '../runtime/process-owner.js';
import { log } from '../runtime/log.js';
import { moveStrayModelDir } from '../ml/model-io.js';

/**
 * Called when a data folder is opened: files in `models/` that no row names are what a save killed
 * between placing its files and committing its row left behind.
 *
 * Why this is safe beside another live Ferrolab process on the same folder: every model save places its
 * final folder/file inside its IMMEDIATE transaction (CNN training, model import, Jominy training), and this
 * sweep runs under the same write lock, so no live save can be between "files in place" and "row committed"
 * while it looks. A `<name>.partial-<pid>-<time>` folder is still being written outside the lock, so it is
 * removed only when its owner process is gone.
 *
 * Orphans are moved aside to `.stray-<name>-<time>` (never deleted: it may be someone's only copy of a
 * trained model); dead partial writes are removed. Returns what was done, for the log and tests.
 */
export function sweepOrphanModelFiles(db: Database, modelsDir: string, now = new Date()): { movedAside: string[]; removedPartial: string[] } {
  const movedAside: string[] = [];
  const removedPartial: string[] = [];
  let names: string[];
  try {
    names = readdirSync(modelsDir);
  } catch {
    return { movedAside, removedPartial }; // no models/ yet
  }
  inTransaction(db, () => {
    const known = createModelsRepo(db).allPaths();
    for (const name of names) {
      if (name.startsWith('.')) continue; // .stray-* kept on purpose, .staging-* swept elsewhere
      const p = join(modelsDir, name);
      const partial = /\.partial-(\d+)-\d+$/.exec(name);
      try {
        if (partial) {
          if (!processAlive(Number(partial[1]))) {
            rmSync(p, { recursive: true, force: true });
            removedPartial.push(name);
          }
        } else if (!known.has(`models/${name}`)) {
          moveStrayModelDir(p, now);
          movedAside.push(name);
        }
      } catch (err) {
        log.warn('store', 'could not tidy a leftover in models/', { name, err });
      }
    }
  });
  if (removedPartial.length) log.warn('store', 'removed half-written model files of processes that died', { removedPartial });
  return { movedAside, removedPartial };
}
