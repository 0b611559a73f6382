import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { openDatabase, closeDatabase, SchemaTooNewError, latestSchemaVersion, migrate } from '../../../core/store/index.js';
import { tempDir } from '../../helpers/temp.js';

describe('store', () => {
  const dirs: { cleanup: () => void }[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => d.cleanup()));
  const fresh = () => {
    const t = tempDir();
    dirs.push(t);
    return join(t.dir, 'ferrolab.sqlite');
  };

  it('migrates an empty file, and reopening is idempotent', () => {
    const file = fresh();
    const a = openDatabase(file);
    expect(a.schemaVersion).toBe(latestSchemaVersion);
    expect(a.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(a.db.pragma('foreign_keys', { simple: true })).toBe(1);
    a.db.prepare("INSERT INTO billets (name, created_at, updated_at) VALUES ('B', 'x', 'x')").run();
    const rowsBefore = (a.db.prepare('SELECT COUNT(*) AS n FROM schema_version').get() as { n: number }).n;
    closeDatabase(a.db);

    const b = openDatabase(file);
    expect(b.schemaVersion).toBe(latestSchemaVersion);
    expect((b.db.prepare('SELECT COUNT(*) AS n FROM schema_version').get() as { n: number }).n).toBe(rowsBefore);
    expect((b.db.prepare('SELECT COUNT(*) AS n FROM billets').get() as { n: number }).n).toBe(1);
    expect(b.db.pragma('user_version', { simple: true })).toBe(latestSchemaVersion);
    closeDatabase(b.db);
  });

  it('refuses a database written by a newer schema and leaves it untouched', () => {
    const file = fresh();
    const a = openDatabase(file);
    a.db.prepare("INSERT INTO schema_version (version, name, applied_at) VALUES (?, 'from the future', 'x')").run(latestSchemaVersion + 7);
    closeDatabase(a.db);
    expect(() => openDatabase(file)).toThrow(SchemaTooNewError);
    expect(() => openDatabase(file)).toThrow(/newer Ferrolab .*schema \d+/);
    const raw = new Database(file);
    expect((raw.prepare('SELECT MAX(version) AS v FROM schema_version').get() as { v: number }).v).toBe(latestSchemaVersion + 7);
    raw.close();
  });

  it('rolls back a failing migration as a whole', () => {
    const file = fresh();
    const db = new Database(file);
    const bad = [
      { version: 1, name: 'ok', up: (d: Database.Database) => d.exec('CREATE TABLE t (x)') },
      { version: 2, name: 'broken', up: (d: Database.Database) => d.exec('CREATE TABLE nope (') },
    ];
    expect(() => migrate(db, bad, file)).toThrow();
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 't'").get()).toBeUndefined();
    db.close();
    expect(existsSync(file)).toBe(true);
  });

  it('enforces foreign keys and value checks', () => {
    const file = fresh();
    const { db } = openDatabase(file);
    expect(() => db.prepare("INSERT INTO sampling_points (billet_id, label, x_mm, y_mm, source, sort_order) VALUES (999, 'P01', 0, 0, 'manual', 1)").run()).toThrow(/FOREIGN KEY/);
    const b = db.prepare("INSERT INTO billets (name, created_at, updated_at) VALUES ('B', 'x', 'x')").run();
    const p = db.prepare("INSERT INTO sampling_points (billet_id, label, x_mm, y_mm, source, sort_order) VALUES (?, 'P01', 0, 0, 'manual', 1)").run(b.lastInsertRowid);
    expect(() => db.prepare("INSERT INTO carbon_readings (point_id, carbon_wt_pct, replicate_no, created_at) VALUES (?, 3.0, 1, 'x')").run(p.lastInsertRowid)).toThrow(/CHECK/);
    closeDatabase(db);
  });
});
