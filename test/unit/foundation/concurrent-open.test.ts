import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { latestSchemaVersion } from '../../../core/store/index.js';
import { tempDir } from '../../helpers/temp.js';

/** A long-lived child that opens whatever data folder it is sent and answers one line per folder. */
interface Opener {
  child: ChildProcessWithoutNullStreams;
  next: () => Promise<string>;
}

function startOpener(): Opener {
  const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'open-data-folder-worker.ts')], { stdio: ['pipe', 'pipe', 'pipe'] });
  const queue: string[] = [];
  const waiting: { resolve: (l: string) => void; reject: (e: Error) => void }[] = [];
  let buffer = '';
  child.once('exit', (code) => waiting.splice(0).forEach((w) => w.reject(new Error(`opener exited with ${code}`))));
  child.stdout.on('data', (d: Buffer) => {
    buffer += d.toString();
    const parts = buffer.split('\n');
    buffer = parts.pop() ?? '';
    for (const l of parts) {
      const w = waiting.shift();
      if (w) w.resolve(l);
      else queue.push(l);
    }
  });
  child.stderr.on('data', () => {});
  const next = () =>
    new Promise<string>((resolve, reject) => {
      const q = queue.shift();
      if (q !== undefined) return resolve(q);
      if (child.exitCode !== null || child.signalCode !== null) return reject(new Error(`opener exited with ${child.exitCode}`));
      waiting.push({ resolve, reject });
    });
  return { child, next };
}

describe('several processes opening one new data folder at once', () => {
  const N = 6;
  const ROUNDS = 10;
  let openers: Opener[] = [];
  const t = tempDir('ferrolab-concurrent-');

  beforeAll(async () => {
    openers = Array.from({ length: N }, startOpener);
    for (const o of openers) expect(await o.next()).toBe('ready');
  }, 60_000);

  afterAll(() => {
    for (const o of openers) o.child.kill();
    t.cleanup();
  });

  it(`${N} processes × ${ROUNDS} new folders: every open succeeds, each folder migrated exactly once`, async () => {
    const failures: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const dir = join(t.dir, `data-${round}`);
      // All children get the same new folder in the same tick: they race to create and migrate it.
      const answers = openers.map((o) => o.next());
      for (const o of openers) o.child.stdin.write(`${dir}\n`);
      const lines = await Promise.all(answers);
      for (const l of lines) if (l !== `ok ${latestSchemaVersion}`) failures.push(`round ${round}: ${l}`);
      const db = new Database(join(dir, 'ferrolab.sqlite'), { readonly: true });
      const applied = db.prepare('SELECT version FROM schema_version ORDER BY version').all() as { version: number }[];
      expect(db.pragma('user_version', { simple: true })).toBe(latestSchemaVersion);
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      db.close();
      // Each migration recorded once: nobody re-ran one that another process had already applied.
      expect(new Set(applied.map((r) => r.version)).size).toBe(applied.length);
      expect(applied[applied.length - 1].version).toBe(latestSchemaVersion);
    }
    expect(failures).toEqual([]);
  }, 60_000);
});
