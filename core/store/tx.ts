import type { Database } from 'better-sqlite3';

/** Runs `fn` in one IMMEDIATE transaction: multi-row writes land whole or not at all. */
export function inTransaction<T>(db: Database, fn: () => T): T {
  return db.transaction(fn).immediate();
}

export const nowIso = (): string => new Date().toISOString();
