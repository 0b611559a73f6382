import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { trainedCnnFixture, CNN_FIXTURE_SETTINGS, CNN_FIXTURE_TIMEOUT_MS, type CnnFixture } from '../../helpers/cnn-fixture.js';
import type { JobInfo } from '../../../core/api/events.js';
import type { BilletPrediction } from '../../../core/api/methods/cnn.js';
import { createImagesRepo } from '../../../core/store/repos/images-repo.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePdf } from '../report/helpers.js';
import { runCli } from '../../helpers/cli.js';

// In-sample / held-out / out-of-sample is decided by what the model saw (the section image's content hash and
// the point positions), not by billet id. The fixture's model trained split 1 of 3 on the demo billet (seed 7).
let fixture: CnnFixture;
let copy: number;
let other: number;

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
    copy = await loadDemo(CNN_FIXTURE_SETTINGS.demo.seed);
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
    other = await loadDemo(8);
    const p = (await done(await fixture.api['cnn.predict']({ modelId: fixture.modelId, billetId: other }))).result as BilletPrediction;
    expect(p.sample).toBe('out-of-sample');
    expect(p.billetInTraining).toBe(false);
    expect(p.points.every((x) => x.sample === 'out-of-sample')).toBe(true);
    expect(p.metricsBySample.map((m) => m.sample)).toEqual(['out-of-sample']);
    expect(p.metrics!.sample).toBe('out-of-sample');
    expect(p.metrics!.n).toBe(p.points.filter((x) => x.actual !== null).length);
  }, CNN_FIXTURE_TIMEOUT_MS);

  it('the predicted map of the copy and its PDF say in-sample, with both R² and the bias; the other billet’s map says out-of-sample', async () => {
    const { api, ctx } = fixture;
    const mapOf = async (billetId: number) => {
      const res = (await done(await api['maps.predict']({ billetId, modelId: fixture.modelId, strideMm: 40 }))).result as { predictionId: number };
      return { predictionId: res.predictionId, view: await api['maps.render']({ billetId, layer: 'predicted', predictionId: res.predictionId, settings: { widthPx: 400 } }) };
    };
    const a = await mapOf(copy);
    const fit = a.view.comparison!.fit!;
    expect(fit.sample).toBe('in-sample');
    const rows = a.view.points.filter((p) => p.errorWtPct !== null);
    expect(rows.length).toBe(a.view.comparison!.n);
    expect(fit.meanBias!).toBeCloseTo(rows.reduce((s, r) => s + r.errorWtPct!, 0) / rows.length, 10);
    expect(fit.r2Determination!).toBeCloseTo(a.view.comparison!.r2!, 10);
    const report = await api['maps.report']({ billetId: copy, predictionId: a.predictionId, settings: {} });
    const text = parsePdf(readFileSync(join(ctx.paths.root, report.path))).text.join('\n').replace(/\s+/g, ' ');
    expect(text).toContain(`Model vs. readings over ${rows.length} points, IN-SAMPLE (points or image the model trained on)`);
    expect(text).toContain(`R² (Eq. 2, squared correlation) ${fit.r2!.toFixed(3)}`);
    expect(text).toContain(`R² (coefficient of determination) ${fit.r2Determination!.toFixed(3)}`);
    expect(text).toContain('held-out R² (Eq. 2, squared correlation) (3 random splits)');
    // The CLI's map says it too (it printed "model vs readings: MAE …" with no word on which points they were).
    const cli = await runCli(ctx.paths.root, 'map', String(copy), '--prediction', String(a.predictionId));
    expect(cli.rc).toBe(0);
    expect(cli.out).toContain(`model vs readings over ${rows.length} points, IN-SAMPLE (points or image the model trained on): MAE ${a.view.comparison!.maeWtPct.toFixed(4)} wt.%`);
    expect(cli.out).toContain(`; R² (Eq. 2, squared correlation) ${fit.r2!.toFixed(3)}, R² (coefficient of determination) ${fit.r2Determination!.toFixed(3)}, mean bias (predicted − measured) `);
    const b = await mapOf(other);
    expect(b.view.comparison!.fit!.sample).toBe('out-of-sample');
    expect((await runCli(ctx.paths.root, 'map', String(other), '--prediction', String(b.predictionId))).out).toContain(`points, out-of-sample (an image never trained on): MAE ${b.view.comparison!.maeWtPct.toFixed(4)} wt.%`);
  }, CNN_FIXTURE_TIMEOUT_MS);
});
