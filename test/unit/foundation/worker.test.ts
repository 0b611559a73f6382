import { describe, expect, it } from 'vitest';
import { leaseThreads, runWorker, setWorkerCap, startWorker, workersInUse } from '../../../core/runtime/worker.js';
import { WorkerPool } from '../../../core/runtime/worker-pool.js';

describe('startWorker', () => {
  it('runs a TypeScript worker module from sources and passes workerData both ways', async () => {
    const w = startWorker(new URL('./echo.worker.js', import.meta.url), { workerData: { values: [1, 2, 3.5] } });
    const reply = await new Promise((resolve, reject) => {
      w.once('message', resolve);
      w.once('error', reject);
    });
    await w.terminate();
    expect(reply).toEqual({ sum: 6.5, typed: true });
  });

  it('names a missing module', () => {
    expect(() => startWorker(new URL('./nope.worker.js', import.meta.url))).toThrow(/worker module not found: .*nope\.worker\.js/);
  });
});

describe('the shared worker cap', () => {
  const square = new URL('./square.worker.js', import.meta.url);

  it('runs one-shot workers no more than the cap at a time, forwarding progress', async () => {
    setWorkerCap(1);
    try {
      let most = 0;
      const progress: number[] = [];
      const jobs = [2, 3, 4].map((value) =>
        runWorker<{ type: 'done'; value: number }>(square, {
          workerData: { oneShot: { value } },
          what: 'square',
          onMessage: (m) => {
            most = Math.max(most, workersInUse());
            progress.push((m as unknown as { value: number }).value);
          },
        }),
      );
      const done = await Promise.all(jobs);
      expect(done.map((d) => d.value)).toEqual([4, 9, 16]);
      expect(progress.sort()).toEqual([2, 3, 4]);
      expect(most).toBe(1);
      expect(workersInUse()).toBe(0);
    } finally {
      setWorkerCap(4);
    }
  });

  it('cancels a running worker and one still waiting for a slot, and frees the slot', async () => {
    setWorkerCap(1);
    try {
      const ac = new AbortController();
      const running = runWorker(square, { workerData: { oneShot: { value: 1, hang: true } }, what: 'square', signal: ac.signal, onMessage: () => ac.abort() });
      const waiting = runWorker(square, { workerData: { oneShot: { value: 2 } }, what: 'square', signal: ac.signal }).catch((e: unknown) => e);
      await expect(running).rejects.toMatchObject({ name: 'AbortError', message: 'square cancelled' });
      expect(await waiting).toMatchObject({ name: 'AbortError' });
      expect(workersInUse()).toBe(0);
    } finally {
      setWorkerCap(4);
    }
  });

  it('a pool takes only the free threads, answers in task order and names a task error', async () => {
    setWorkerCap(2);
    const other = await leaseThreads(1); // another job holds one of the two threads
    const pool = new WorkerPool<number, number, string>(square, { size: 4, workerData: { offset: 1 }, what: 'square' });
    try {
      expect(await pool.threads()).toBe(1);
      expect(await pool.ready()).toEqual({ threadOffset: 1 });
      const progress: string[] = [];
      const out = await Promise.all([1, 2, 3, 4].map((x) => pool.run(x, { onProgress: (p) => progress.push(p) })));
      expect(out).toEqual([4, 9, 16, 25]);
      expect(progress).toEqual(['squaring 1', 'squaring 2', 'squaring 3', 'squaring 4']);
      await expect(pool.run(-1)).rejects.toMatchObject({ name: 'RangeError', message: 'negative: -1' });
      expect(await pool.run(5)).toBe(36);
      expect(workersInUse()).toBe(2);
    } finally {
      await pool.close();
      other.release();
      setWorkerCap(4);
    }
    expect(workersInUse()).toBe(0);
    await expect(pool.run(1)).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('a pool closed or cancelled while it waits for a thread gives up at once and takes none', async () => {
    setWorkerCap(1);
    const other = await leaseThreads(1);
    try {
      const pool = new WorkerPool<number, number, string>(square, { size: 2, workerData: { offset: 0 }, what: 'square' });
      const pending = pool.run(3).catch((e: unknown) => e);
      await pool.close();
      expect(await pending).toMatchObject({ name: 'AbortError' });
      expect(await pool.threads()).toBe(0);
      const ac = new AbortController();
      ac.abort();
      const cancelled = new WorkerPool<number, number, string>(square, { size: 1, workerData: { offset: 0 }, what: 'square', signal: ac.signal });
      await expect(cancelled.run(2)).rejects.toMatchObject({ name: 'AbortError' });
      expect(workersInUse()).toBe(1);
    } finally {
      other.release();
      setWorkerCap(4);
    }
    expect(workersInUse()).toBe(0);
  });
});
