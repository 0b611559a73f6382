import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { availableParallelism } from 'node:os';
import { createAppContext } from '../../../core/app/context.js';
import { localClient } from '../../../core/app/dispatch.js';
import { defaultJobThreads } from '../../../core/runtime/cores.js';
import { setWorkerCap, workerCap } from '../../../core/runtime/worker.js';
import { tempContext, tempDir } from '../../helpers/temp.js';
import { runCli } from '../../helpers/cli.js';

const cores = availableParallelism();
const before = workerCap();
afterEach(() => setWorkerCap(before));

describe('job threads: the app-wide worker cap as a setting', () => {
  const ctx = tempContext();
  const api = localClient(ctx);
  afterAll(() => ctx.dispose());

  it('defaults to logical cores − 1; a set count is the cap in force at once; null goes back; more than the cores is refused naming both', async () => {
    expect(defaultJobThreads()).toBe(Math.max(1, cores - 1));
    expect(await api['system.jobThreads']({})).toEqual({ threads: workerCap(), setting: null, default: defaultJobThreads(), logicalCores: cores });

    expect(await api['system.setJobThreads']({ threads: cores })).toMatchObject({ threads: cores, setting: cores });
    expect(workerCap()).toBe(cores);
    expect(await api['system.setJobThreads']({ threads: 1 })).toMatchObject({ threads: 1, setting: 1 });
    expect(workerCap()).toBe(1);

    const refused = api['system.setJobThreads']({ threads: cores + 1 });
    await expect(refused).rejects.toMatchObject({ code: 'invalid_argument', message: `${cores + 1} threads is more than this PC has cores (${cores}): more threads than cores only take turns` });
    expect(workerCap()).toBe(1); // nothing changed
    expect((await api['system.jobThreads']({})).setting).toBe(1);
    await expect(api['system.setJobThreads']({ threads: 0 })).rejects.toMatchObject({ code: 'invalid_argument' });

    expect(await api['system.setJobThreads']({ threads: null })).toMatchObject({ threads: defaultJobThreads(), setting: null });
    expect(workerCap()).toBe(defaultJobThreads());
  });

  it('a stored count takes effect when the app starts on that data folder; none stored leaves the cap alone', async () => {
    const d = tempDir();
    try {
      const first = createAppContext({ dataDir: d.dir, shell: 'cli', backend: 'wasm' });
      await localClient(first)['system.setJobThreads']({ threads: cores });
      await first.close();
      setWorkerCap(1);
      const again = createAppContext({ dataDir: d.dir, shell: 'cli', backend: 'wasm' });
      expect(workerCap()).toBe(cores);
      await again.close();
      const other = tempDir();
      try {
        setWorkerCap(1);
        const fresh = createAppContext({ dataDir: other.dir, shell: 'cli', backend: 'wasm' });
        expect(workerCap()).toBe(1);
        await fresh.close();
      } finally {
        other.cleanup();
      }
    } finally {
      d.cleanup();
    }
  });

  it('`ferrolab threads` reads, sets and resets it, and refuses a non-number', async () => {
    const d = tempDir();
    try {
      const set = await runCli(d.dir, 'threads', '1');
      expect(set.rc).toBe(0);
      expect(set.out).toContain(`1 worker thread for all jobs together (set); ${cores} logical cores`);
      const read = await runCli(d.dir, 'threads', '--json');
      expect(JSON.parse(read.out)).toMatchObject({ threads: 1, setting: 1, logicalCores: cores });
      const back = await runCli(d.dir, 'threads', '--default');
      expect(back.out).toContain(`(default: logical cores − 1 = ${defaultJobThreads()})`);
      const bad = await runCli(d.dir, 'threads', 'two');
      expect(bad.rc).not.toBe(0);
      expect(bad.err).toContain('threads: "two" is not a whole number');
    } finally {
      d.cleanup();
    }
  });
});
