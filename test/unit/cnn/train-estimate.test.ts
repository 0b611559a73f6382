import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { trainedCnnFixture, CNN_FIXTURE_TIMEOUT_MS, type CnnFixture } from '../../helpers/cnn-fixture.js';
import type { TrainJobResult, TrainProgressDetail } from '../../../core/services/cnn/index.js';
import { createModelsRepo } from '../../../core/store/repos/models-repo.js';
import { WARM_UP } from '../../../core/ml/step-timer.js';

// The time a training run states before it starts comes from a measured step of the chosen architecture on
// the active backend × the planned steps. Checked against a tiny real run on the fixture's demo billet.
let fixture: CnnFixture;

beforeAll(async () => {
  fixture = await trainedCnnFixture();
}, CNN_FIXTURE_TIMEOUT_MS);

afterAll(async () => {
  await fixture?.dispose();
});

describe('training time estimate', () => {
  it('is stated before the first epoch, is positive, and is within a factor of 5 of the run it estimated', async () => {
    const { ctx, api } = fixture;
    const messages: string[] = [];
    const details: TrainProgressDetail[] = [];
    const off = ctx.bus.subscribe((ev) => {
      if (ev.type !== 'job' || ev.job.kind !== 'cnn-train') return;
      if (ev.job.message && messages.at(-1) !== ev.job.message) messages.push(ev.job.message);
      if (ev.job.detail) details.push(ev.job.detail as TrainProgressDetail);
    });
    const epochs = 4;
    const job = await api['cnn.train']({
      billetIds: [fixture.billetId],
      preset: 'compact',
      architecture: { inputSize: 32, blocks: 3, baseFilters: 8, dense: [32, 16], dropout: 0.1 },
      // Patience above the epochs: the run does every planned step (early stopping would make it shorter).
      hyper: { epochs, patience: 50, batchSize: 16 },
      splits: 1,
      refit: false,
      seed: 5,
    });
    const end = await ctx.jobs.wait(job.id);
    off();
    expect(end.state).toBe('done');
    const r = end.result as TrainJobResult;
    const e = r.estimate!;
    expect(e.seconds).toBeGreaterThan(0);
    expect(e.stepSeconds).toBeGreaterThan(0);
    expect(e.batchSize).toBe(16);
    // 1 run × 4 epochs × ⌈8 copies × training points / 16⌉ batches.
    const trainPoints = r.metrics.splits[0].trainPoints.length;
    expect(trainPoints).toBeGreaterThan(40);
    expect(e.steps).toBe(epochs * Math.ceil((8 * trainPoints) / 16));
    expect(e.seconds).toBeCloseTo(e.stepSeconds * e.steps, 9);
    // a warm step on this thread: the cold first steps were discarded
    expect(e.discardedSteps).toBeGreaterThanOrEqual(WARM_UP.minDiscard);
    expect(e.discardedSteps).toBeLessThanOrEqual(WARM_UP.maxDiscard);
    expect(e.threads).toBe(1);
    // Said before the first epoch, with its basis.
    const estimateAt = messages.findIndex((m) => m.startsWith('training will take about'));
    const firstEpochAt = messages.findIndex((m) => / epoch 1\//.test(m));
    expect(estimateAt).toBeGreaterThanOrEqual(0);
    expect(estimateAt).toBeLessThan(firstEpochAt);
    expect(messages[estimateAt]).toContain(`after ${e.discardedSteps} warm-up steps discarded) took ${(e.stepSeconds * 1000).toFixed(1)} ms`);
    expect(messages[estimateAt]).toContain(`× ${e.steps} planned steps`);
    expect(details.every((d) => d.estimate?.seconds === e.seconds)).toBe(true);
    // The measured duration: the run's epochs (training steps + validation each epoch).
    const took = r.metrics.splits[0].history.reduce((a, h) => a + h.seconds, 0);
    expect(r.metrics.splits[0].history).toHaveLength(epochs);
    // after the run, both: the estimate and what it estimated, in the result and in the run's record
    expect(r.epochSeconds).toBeCloseTo(took, 9);
    expect(createModelsRepo(ctx.db).getRun(r.runId).metrics).toMatchObject({ time: { estimate: e, epochSeconds: r.epochSeconds } });
    const ratio = e.seconds / took;
    expect(ratio).toBeGreaterThan(1 / 5);
    expect(ratio).toBeLessThan(5);
  }, CNN_FIXTURE_TIMEOUT_MS);
});
