import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildOnce } from '../../helpers/build-once.js';
import { tempDir } from '../../helpers/temp.js';

// The lock behind the shared trained-CNN fixture (test/helpers/cnn-fixture.ts): parallel test files must
// build it once, never see it half-made, and not hang on a builder that failed or died.
describe('buildOnce (test helper)', () => {
  const tmp = tempDir('ferrolab-build-once-');
  afterAll(() => tmp.cleanup());
  let n = 0;
  const target = () => join(tmp.dir, `f${++n}`);

  it('runs the build once for concurrent callers; the waiters get the finished folder', async () => {
    const dir = target();
    let builds = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const build = async (work: string) => {
      builds++;
      writeFileSync(join(work, 'data.txt'), 'trained');
      await gate; // the other callers arrive while this one is still building
      writeFileSync(join(work, 'ready.json'), '{}');
    };
    const calls = [0, 1, 2].map(() => buildOnce(dir, 'ready.json', build, { timeoutMs: 10_000, pollMs: 5 }));
    await new Promise((r) => setImmediate(r));
    expect(existsSync(dir)).toBe(false); // nothing half-made is visible under the final name
    release();
    const results = await Promise.all(calls);
    expect(builds).toBe(1);
    expect(results.filter((r) => r.builtHere)).toHaveLength(1);
    expect(readFileSync(join(dir, 'data.txt'), 'utf8')).toBe('trained');
    expect(readdirSync(tmp.dir).filter((f) => f.startsWith(`f${n}.`))).toEqual([]); // no lock or work folder left
    expect((await buildOnce(dir, 'ready.json', build, { timeoutMs: 1000 })).builtHere).toBe(false);
    expect(builds).toBe(1);
  });

  it('a failed build releases the lock and the next caller builds; a dead builder’s lock is taken over', async () => {
    const dir = target();
    await expect(buildOnce(dir, 'ready.json', async () => { throw new Error('disk full'); }, { timeoutMs: 1000 })).rejects.toThrow('disk full');
    expect(existsSync(`${dir}.lock`)).toBe(false);
    expect(existsSync(dir)).toBe(false);
    // A lock left by a process that no longer exists (pid 2^22 + 12345 is above Linux's pid limit).
    mkdirSync(`${dir}.lock`);
    writeFileSync(join(`${dir}.lock`, 'pid'), String(4_194_304 + 12_345));
    const r = await buildOnce(dir, 'ready.json', async (work) => writeFileSync(join(work, 'ready.json'), '{}'), { timeoutMs: 1000 });
    expect(r.builtHere).toBe(true);
    await expect(buildOnce(target(), 'ready.json', async () => undefined, { timeoutMs: 1000 })).rejects.toThrow(/did not write ready\.json/);
  });

  it('a live builder that never finishes makes the waiter give up with a message, not hang', async () => {
    const dir = target();
    mkdirSync(`${dir}.lock`);
    writeFileSync(join(`${dir}.lock`, 'pid'), String(process.pid));
    await expect(buildOnce(dir, 'ready.json', async () => undefined, { timeoutMs: 50, pollMs: 5 })).rejects.toThrow(/still being built by another process/);
  });
});
