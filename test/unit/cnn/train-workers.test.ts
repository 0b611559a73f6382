import { describe, it, expect, beforeAll, afterAll, afterEach } from 'vitest';
import { trainedCnnFixture, CNN_FIXTURE_TIMEOUT_MS, type CnnFixture } from '../../helpers/cnn-fixture.js';
import { setWorkerCap, workerCap, workersInUse, liveWorkers } from '../../../core/runtime/worker.js';
import type { TrainJobResult } from '../../../core/services/cnn/index.js';

// The training job asks for its gradient workers from the app-wide cap (never waiting for them), trains
// data-parallel on what it got, says so, and stores the count with the model (results depend on it).
let fixture: CnnFixture;
const cap = workerCap();

beforeAll(async () => {
  fixture = await trainedCnnFixture();
}, CNN_FIXTURE_TIMEOUT_MS);

afterAll(async () => {
  await fixture?.dispose();
});

afterEach(() => setWorkerCap(cap));

describe('data-parallel training job', () => {
  it('trains on the workers asked for within the cap, says so, and stores the count with the model', async () => {
    const { ctx, api } = fixture;
    setWorkerCap(3);
    const messages: string[] = [];
    let most = 0;
    const off = ctx.bus.subscribe((ev) => {
      if (ev.type !== 'job' || ev.job.kind !== 'cnn-train') return;
      most = Math.max(most, workersInUse());
      if (ev.job.message && messages.at(-1) !== ev.job.message) messages.push(ev.job.message);
    });
    const job = await api['cnn.train']({
      billetIds: [fixture.billetId],
      preset: 'compact',
      architecture: { inputSize: 32, blocks: 3, baseFilters: 4, dense: [16], dropout: 0.1 },
      hyper: { epochs: 1, patience: 5, batchSize: 16 },
      splits: 1,
      refit: false,
      seed: 3,
      workers: 2,
    });
    const end = await ctx.jobs.wait(job.id);
    off();
    expect(end.state).toBe('done');
    expect(messages).toContain('training data-parallel on 2 gradient workers');
    expect(messages.find((m) => m.startsWith('training will take about'))).toContain('2 gradient workers will shorten it');
    // The training thread's own slot + one more: 2 of the cap of 3.
    expect(most).toBe(2);
    const r = end.result as TrainJobResult;
    const detail = await api['cnn.models.get']({ id: r.modelId });
    expect((detail.hyper as { trainWorkers?: number }).trainWorkers).toBe(2);
    expect(workersInUse()).toBe(0);
    expect(liveWorkers()).toBe(0);
  }, 300_000);
});
