import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { createAppContext } from '../../../core/app/context.js';
import { localClient } from '../../../core/app/dispatch.js';
import { defaultJobThreads } from '../../../core/runtime/cores.js';
import { leaseThreads, setWorkerCap, workerCap, workersInUse } from '../../../core/runtime/worker.js';
import { tempContext, tempDir } from '../../helpers/temp.js';
import { runCli } from '../../helpers/cli.js';
import { cliEntry } from '../../helpers/cli-bundle.js';

const cores = availableParallelism();
const before = workerCap();
afterEach(() => setWorkerCap(before));

// The real CLI in a child process (another process on the same data folder, as a user's terminal beside the open app).
let entry: string;
beforeAll(async () => {
  entry = await cliEntry();
}, 180_000);

function cliProcess(...args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [entry, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += String(d)));
    child.stderr.on('data', (d) => (err += String(d)));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, out, err }));
  });
}

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

  it('`ferrolab threads N` run in another process on the folder of an open app is put into force when the app’s next job starts; a job already running keeps its threads; the Settings read shows the cap in force', async () => {
    const d = tempDir();
    const app = createAppContext({ dataDir: d.dir, shell: 'browser', backend: 'wasm' });
    let release = () => {};
    try {
      const api = localClient(app);
      await api['system.setJobThreads']({ threads: cores });
      /** A job that leases up to `want` threads, says how many it got, and holds them until `hold` settles. */
      const holder = (want: number, hold: Promise<void>) => {
        let got!: (n: number) => void;
        const count = new Promise<number>((r) => (got = r));
        const job = app.jobs.start('test.threads', 'hold threads', async () => {
          const lease = await leaseThreads(want);
          got(lease.count);
          await hold;
          lease.release();
          return lease.count;
        });
        return { job, count };
      };
      const a = holder(cores, new Promise<void>((r) => (release = r)));
      expect(await a.count).toBe(cores);

      const set = await cliProcess('threads', '1', '--data', d.dir);
      expect(set.code).toBe(0);
      expect(set.out).toContain('1 worker thread for all jobs together (set)');
      expect(workerCap()).toBe(cores); // nothing read it yet: the app's cap is as it was

      const b = holder(cores, Promise.resolve());
      expect(workerCap()).toBe(1); // read as the job started
      expect(workersInUse()).toBe(cores); // the running job kept its threads
      release();
      expect((await app.jobs.wait(a.job.id)).result).toBe(cores);
      expect(await b.count).toBe(1); // the new job got the new cap's threads
      expect((await app.jobs.wait(b.job.id)).state).toBe('done');

      // Back to the default from the CLI: the Settings view's read shows the cap in force, not the one before.
      expect((await cliProcess('threads', '--default', '--data', d.dir)).code).toBe(0);
      expect(await api['system.jobThreads']({})).toEqual({ threads: defaultJobThreads(), setting: null, default: defaultJobThreads(), logicalCores: cores });
      expect(workerCap()).toBe(defaultJobThreads());
    } finally {
      release(); // a failed expectation must not leave the first job holding its threads
      await app.close();
      d.cleanup();
    }
  }, 120_000);

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
