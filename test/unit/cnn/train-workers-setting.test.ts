import { afterAll, describe, expect, it } from 'vitest';
import { tempContext, tempDir } from '../../helpers/temp.js';
import { runCli } from '../../helpers/cli.js';
import { localClient } from '../../../core/app/dispatch.js';
import { defaultTrainWorkers, physicalCores, trainWorkersFor } from '../../../core/runtime/cores.js';
import { availableParallelism } from 'node:os';
import { workersForBatch } from '../../../core/api/train-workers.js';

describe('the training workers setting', () => {
  const ctx = tempContext();
  const api = localClient(ctx);
  afterAll(() => ctx.dispose());

  it('defaults to physical cores − 1 (at least 1), stores a number, goes back to the default with null, refuses 0', async () => {
    expect(physicalCores()).toBeGreaterThanOrEqual(1);
    expect(physicalCores()).toBeLessThanOrEqual(availableParallelism());
    expect(defaultTrainWorkers()).toBe(Math.max(1, physicalCores() - 1));
    const first = await api['cnn.trainWorkers']({});
    expect(first).toMatchObject({ workers: defaultTrainWorkers(), setting: null, default: defaultTrainWorkers() });
    expect(await api['cnn.trainWorkers']({ workers: 3 })).toMatchObject({ workers: 3, setting: 3 });
    expect((await api['cnn.trainWorkers']({})).workers).toBe(3);
    expect(await api['cnn.trainWorkers']({ workers: null })).toMatchObject({ workers: defaultTrainWorkers(), setting: null });
    await expect(api['cnn.trainWorkers']({ workers: 0 })).rejects.toMatchObject({ code: 'invalid_argument' });
  });

  it('for a run, the default never cuts the batch into shards of one sample', () => {
    expect(trainWorkersFor(16)).toBe(15);
    expect(trainWorkersFor(16, 16)).toBe(8); // measured on 16 cores: 8 workers beat 15 at batch 16
    expect(trainWorkersFor(16, 32)).toBe(15);
    expect(trainWorkersFor(4, 64)).toBe(3);
    expect(trainWorkersFor(8, 3)).toBe(1);
    expect(trainWorkersFor(1, 16)).toBe(1);
    expect(defaultTrainWorkers(16)).toBe(Math.max(1, Math.min(physicalCores() - 1, 8)));
    // the rule the Train view runs to show the count (core/api/train-workers.ts) is the core's
    for (const [cores, batch] of [[16, 16], [16, 32], [4, 64], [8, 3], [1, 16], [3, 2]]) expect(workersForBatch(cores - 1, batch)).toBe(trainWorkersFor(cores, batch));
  });

  it('`ferrolab segregation workers` sets and reports it, and refuses a non-number', async () => {
    const d = tempDir();
    try {
      const set = await runCli(d.dir, 'segregation', 'workers', '2');
      expect(set.rc).toBe(0);
      expect(set.out).toContain('training asks for 2 gradient workers (set)');
      const back = await runCli(d.dir, 'segregation', 'workers', '--default');
      expect(back.out).toContain(`default: physical cores − 1 = ${defaultTrainWorkers()}, at most half the batch`);
      const bad = await runCli(d.dir, 'segregation', 'workers', 'two');
      expect(bad.rc).not.toBe(0);
      expect(bad.err).toContain('workers: "two" is not a whole number');
    } finally {
      d.cleanup();
    }
  });
});
