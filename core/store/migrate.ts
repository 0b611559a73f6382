import type { Database } from 'better-sqlite3';
import type { Migration } from './migrations/migration.js';

export class SchemaTooNewError extends Error {
  constructor(readonly fileVersion: number, readonly appVersion: number, file: string) {
    super(
      `The database ${file} was written by a newer Ferrolab (schema ${fileVersion}; this version knows up to ${appVersion}). ` +
        'It was not opened, so nothing in it was changed. Update Ferrolab to open it.',
    );
    this.name = 'SchemaTooNewError';
  }
}

export function currentSchemaVersion(db: Database): number {
  const exists = db.prepare("SELECT 1 FROM sqlite_master WHERE type='table' AND name='schema_version'").get();
  if (!exists) return 0;
  const row = db.prepare('SELECT MAX(version) AS v FROM schema_version').get() as { v: number | null };
  return row.v ?? 0;
}

/**
 * Applies pending migrations, all in one transaction: a crash mid-way leaves the file at its old
 * version, never half-migrated.
 *
 * Several processes may open a new data folder at the same moment (the app and a CLI, or three CLIs). The
 * transaction is therefore BEGIN IMMEDIATE — it takes the write lock before reading anything, waiting through
 * the connection's busy timeout while another process migrates — and the version is read again inside it:
 * whoever comes second finds the work done and applies nothing. (A deferred transaction read the version
 * before the lock, then re-ran `CREATE TABLE billets` on a file another process had just migrated.)
 *
 * A migration that rebuilds a table others reference (`foreignKeysOff`) runs with foreign-key enforcement off
 * (the pragma is a no-op inside a transaction, so it is switched before BEGIN), and `foreign_key_check` must
 * come back empty before the transaction commits.
 */
export function migrate(db: Database, list: readonly Migration[], file: string): number {
  for (let i = 1; i < list.length; i++) {
    if (list[i].version <= list[i - 1].version) throw new Error(`migrations are not in increasing order at version ${list[i].version}`);
  }
  const latest = list.length ? list[list.length - 1].version : 0;
  // Fast path without the write lock: a file already up to date (every open after the first) is only read.
  const seen = currentSchemaVersion(db);
  if (seen > latest) throw new SchemaTooNewError(seen, latest, file);
  if (seen === latest && seen > 0) return latest;

  const needsFkOff = list.some((m) => m.version > seen && m.foreignKeysOff);
  const fkWasOn = db.pragma('foreign_keys', { simple: true }) === 1;
  if (needsFkOff && fkWasOn) db.pragma('foreign_keys = OFF');
  try {
    return db.transaction(() => {
      db.exec(`CREATE TABLE IF NOT EXISTS schema_version (
        version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`);
      const have = currentSchemaVersion(db);
      if (have > latest) throw new SchemaTooNewError(have, latest, file);
      const pending = list.filter((m) => m.version > have);
      if (!pending.length) return have;
      const insert = db.prepare('INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)');
      for (const m of pending) {
        m.up(db);
        insert.run(m.version, m.name, new Date().toISOString());
      }
      if (needsFkOff) {
        const broken = db.pragma('foreign_key_check') as unknown[];
        if (broken.length) throw new Error(`migration to schema ${latest} would break ${broken.length} foreign key(s): ${JSON.stringify(broken.slice(0, 3))}`);
      }
      db.pragma(`user_version = ${latest}`);
      return latest;
    }).immediate();
  } finally {
    if (needsFkOff && fkWasOn) db.pragma('foreign_keys = ON');
  }
}
