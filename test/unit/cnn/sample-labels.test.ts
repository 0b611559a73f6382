import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { trainedCnnFixture, CNN_FIXTURE_SETTINGS, CNN_FIXTURE_TIMEOUT_MS, type CnnFixture } from '../../helpers/cnn-fixture.js';
import type { JobInfo } from '../../../core/api/events.js';
import type { BilletPrediction } from '../../../core/api/methods/cnn.js';
import { createImagesRepo } from '../../../core/store/repos/images-repo.js';

// In-sample / held-out / out-of-sample is decided by what the model saw (the section image's content hash and
// the point positions), not by billet id. The fixture's model trained split 1 of 3 on the demo billet (seed 7).
let fixture: CnnFixture;

async function done(job: JobInfo): Promise<JobInfo> {
  const end = await fixture.ctx.jobs.wait(job.id);
  if (end.state !== 'done') throw new Error(`job ${end.state}: ${end.error?.message}`);
  return end;
}

async function loadDemo(seed: number): Promise<number> {
  const end = await done(await fixture.api['billets.loadDemo']({ ...CNN_FIXTURE_SETTINGS.demo, seed }));
  return (end.result as { billetId: number }).billetId;
}

beforeAll(async () => {
  fixture = await trainedCnnFixture();
}, CNN_FIXTURE_TIMEOUT_MS);

afterAll(async () => {
  await fixture?.dispose();
});

describe('sample labels of CNN predictions', () => {
  it('the demo billet loaded twice (same image hash): predicting the copy is in-sample, its split test points held-out', async () => {
    const copy = await loadDemo(CNN_FIXTURE_SETTINGS.demo.seed);
    expect(copy).not.toBe(fixture.billetId);
    const images = createImagesRepo(fixture.ctx.db, fixture.ctx.paths.images);
    expect(images.cnnSource(copy)!.contentHash).toBe(images.cnnSource(fixture.billetId)!.contentHash);
    const p = (await done(await fixture.api['cnn.predict']({ modelId: fixture.modelId, billetId: copy }))).result as BilletPrediction;
    // Before: decided by billet id, this printed "out-of-sample" over all 85 points.
    expect(p.sample).toBe('in-sample');
    expect(p.billetInTraining).toBe(true);
    expect(p.metrics!.sample).toBe('in-sample');
    const final = fixture.trained.metrics.final;
    const trainLabels = new Set(final.trainPoints.map((x) => x.label));
    const testLabels = new Set(final.testPoints.map((x) => x.label));
    expect(testLabels.size).toBe(17);
    for (const x of p.points) expect(x.sample).toBe(testLabels.has(x.label) ? 'held-out' : 'in-sample');
    expect(p.points.filter((x) => x.sample === 'in-sample').length).toBe(85 - 17);
    expect(trainLabels.size).toBeLessThanOrEqual(85 - 17);
    const held = p.metricsBySample.find((m) => m.sample === 'held-out')!;
    const inS = p.metricsBySample.find((m) => m.sample === 'in-sample')!;
    expect(held.n).toBe(17);
    expect(inS.n).toBe(68);
    // Same model, same patches: the held-out figures are the split's own test figures.
    expect(held.mae).toBeCloseTo(final.test!.mae, 4);
    expect(held.r2).toBeCloseTo(final.test!.r2, 3);
    expect(final.test!.sample).toBe('held-out');
    expect(final.train.sample).toBe('in-sample');
    // Both R² kinds and the bias, from the points themselves.
    const errs = p.points.map((x) => x.error!);
    expect(p.metrics!.meanBias).toBeCloseTo(errs.reduce((a, b) => a + b, 0) / errs.length, 12);
    const y = p.points.map((x) => x.actual!);
    const my = y.reduce((a, b) => a + b, 0) / y.length;
    const sst = y.reduce((a, b) => a + (b - my) ** 2, 0);
    expect(p.metrics!.r2Determination).toBeCloseTo(1 - errs.reduce((a, e) => a + e * e, 0) / sst, 12);
  }, CNN_FIXTURE_TIMEOUT_MS);

  it('a different synthetic billet (another seed, another image) is out-of-sample at every point', async () => {
    const other = await loadDemo(8);
    const p = (await done(await fixture.api['cnn.predict']({ modelId: fixture.modelId, billetId: other }))).result as BilletPrediction;
    expect(p.sample).toBe('out-of-sample');
    expect(p.billetInTraining).toBe(false);
    expect(p.points.every((x) => x.sample === 'out-of-sample')).toBe(true);
    expect(p.metricsBySample.map((m) => m.sample)).toEqual(['out-of-sample']);
    expect(p.metrics!.sample).toBe('out-of-sample');
    expect(p.metrics!.n).toBe(p.points.filter((x) => x.actual !== null).length);
  }, CNN_FIXTURE_TIMEOUT_MS);
});
