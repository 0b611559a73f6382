import Database from 'better-sqlite3';
import type { Database as Db } from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { migrate, SchemaTooNewError } from './migrate.js';
import { migrations } from './migrations/index.js';

export interface OpenedDatabase {
  db: Db;
  file: string;
  schemaVersion: number;
}

/** How long a connection waits for another process's write lock before giving up. */
export const BUSY_TIMEOUT_MS = 5000;

const sleepSync = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/**
 * Runs `fn`, retrying while SQLite answers SQLITE_BUSY, until `timeoutMs` has passed. Needed only where SQLite
 * does not call the busy handler itself: switching a brand-new file to WAL while another process does the same
 * fails at once with "database is locked" (measured: 1 in ~6 opens of a new folder by 6 processes).
 */
function retryWhileBusy<T>(fn: () => T, timeoutMs: number): T {
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 0; ; attempt++) {
    try {
      return fn();
    } catch (err) {
      const code = (err as { code?: string }).code ?? '';
      if (!code.startsWith('SQLITE_BUSY') || Date.now() >= deadline) throw err;
      sleepSync(Math.min(100, 5 * 2 ** Math.min(attempt, 4)) * (0.5 + Math.random()));
    }
  }
}

/**
 * Opens (creating if needed) the one SQLite file of a data folder. WAL keeps readers off writers'
 * backs; synchronous=FULL because lab results are worth more than write speed here. Safe to call from several
 * processes at once on the same new folder: the second one waits for the first one's migration (see migrate.ts).
 */
export function openDatabase(file: string, opts: { readonly?: boolean } = {}): OpenedDatabase {
  if (!opts.readonly) mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file, { readonly: opts.readonly ?? false, fileMustExist: opts.readonly ?? false });
  try {
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    if (!opts.readonly) {
      retryWhileBusy(() => db.pragma('journal_mode = WAL'), BUSY_TIMEOUT_MS);
      db.pragma('synchronous = FULL');
    }
    db.pragma('foreign_keys = ON');
    const schemaVersion = retryWhileBusy(() => migrate(db, migrations, file), BUSY_TIMEOUT_MS);
    return { db, file, schemaVersion };
  } catch (err) {
    db.close();
    throw err;
  }
}

export function closeDatabase(db: Db): void {
  try {
    db.pragma('optimize');
  } finally {
    db.close();
  }
}

export { SchemaTooNewError };
