import type { Database } from 'better-sqlite3';

export interface Migration {
  version: number;
  name: string;
  up: (db: Database) => void;
  /**
   * The migration rebuilds a table that other tables reference (create new, copy, drop old, rename): foreign-key
   * enforcement is switched off around its transaction so the drop does not cascade into the children, and
   * `PRAGMA foreign_key_check` must be clean before it commits.
   */
  foreignKeysOff?: boolean;
}
