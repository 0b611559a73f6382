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

/**
 * Opens (creating if needed) the one SQLite file of a data folder. WAL keeps readers off writers'
 * backs; synchronous=FULL because lab results are worth more than write speed here.
 */
export function openDatabase(file: string, opts: { readonly?: boolean } = {}): OpenedDatabase {
  if (!opts.readonly) mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file, { readonly: opts.readonly ?? false, fileMustExist: opts.readonly ?? false });
  try {
    db.pragma('busy_timeout = 5000');
    if (!opts.readonly) {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
    }
    db.pragma('foreign_keys = ON');
    const schemaVersion = migrate(db, migrations, file);
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
