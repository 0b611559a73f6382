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
 */
export function migrate(db: Database, list: readonly Migration[], file: string): number {
  for (let i = 1; i < list.length; i++) {
    if (list[i].version <= list[i - 1].version) throw new Error(`migrations are not in increasing order at version ${list[i].version}`);
  }
  const latest = list.length ? list[list.length - 1].version : 0;
  db.exec(`CREATE TABLE IF NOT EXISTS schema_version (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`);
  const have = currentSchemaVersion(db);
  if (have > latest) throw new SchemaTooNewError(have, latest, file);
  const pending = list.filter((m) => m.version > have);
  if (!pending.length) return have;
  const insert = db.prepare('INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)');
  db.transaction(() => {
    for (const m of pending) {
      m.up(db);
      insert.run(m.version, m.name, new Date().toISOString());
    }
    db.pragma(`user_version = ${latest}`);
  })();
  return latest;
}
