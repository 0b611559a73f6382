import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { trainedCnnFixture, CNN_FIXTURE_TIMEOUT_MS, type CnnFixture } from '../../helpers/cnn-fixture.js';
import type { JobInfo } from '../../../core/api/events.js';
import { parsePdf } from '../report/helpers.js';
import { runCli } from '../../helpers/cli.js';

/**
 * Task 27-H #3: a predicted map's "model vs readings over 84 points … MAE 0.0128" line (Maps view, PDF, CLI `map`) had
 * no baseline, while `segregation predict` printed one (training mean 0.0221 vs model 0.0127). Now each says the MAE
 * of the model's training mean at the same readings — the baseline that knows no image.
 */
let fixture: CnnFixture;

async function done(job: JobInfo): Promise<JobInfo> {
  const end = await fixture.ctx.jobs.wait(job.id);
  if (end.state !== 'done') throw new Error(`job ${end.state}: ${end.error?.message}`);
  return end;
}

beforeAll(async () => {
  fixture = await trainedCnnFixture();
}, CNN_FIXTURE_TIMEOUT_MS);
afterAll(async () => {
  await fixture?.dispose();
});

describe('a predicted map’s model-vs-readings line carries the training-mean baseline', () => {
  it('contract, PDF and CLI: the training mean of the model’s own points and its MAE at the compared readings', async () => {
    const { api, ctx, billetId, modelId, trained } = fixture;
    const res = (await done(await api['maps.predict']({ billetId, modelId, strideMm: 40 }))).result as { predictionId: number };
    const view = await api['maps.render']({ billetId, layer: 'predicted', predictionId: res.predictionId, settings: { widthPx: 400 } });
    const c = view.comparison!;
    const own = trained.metrics.final.trainPoints.map((p) => p.actual);
    const mean = own.reduce((a, v) => a + v, 0) / own.length;
    const rows = view.points.filter((p) => p.errorWtPct !== null && p.measuredWtPct !== null);
    expect(rows.length).toBe(c.n);
    const baseline = rows.reduce((a, r) => a + Math.abs(mean - r.measuredWtPct!), 0) / rows.length;
    expect(c.fit!.trainingMean).toBeCloseTo(mean, 12);
    expect(c.fit!.baselineMae).toBeCloseTo(baseline, 12);
    expect(c.fit!.baselineMae!).toBeGreaterThan(0);
    const words = `baseline (the model's training mean ${mean.toFixed(4)} wt.% at every point, no image) MAE ${baseline.toFixed(4)} wt.%`;

    const report = await api['maps.report']({ billetId, predictionId: res.predictionId, settings: {} });
    const text = parsePdf(readFileSync(join(ctx.paths.root, report.path))).text.join('\n').replace(/\s+/g, ' ');
    expect(text).toContain(`Model vs. readings over ${c.n} points`);
    expect(text).toContain(words);

    const cli = await runCli(ctx.paths.root, 'map', String(billetId), '--prediction', String(res.predictionId));
    expect(cli.rc).toBe(0);
    expect(cli.out).toMatch(new RegExp(`model vs readings over ${c.n} points, .*: MAE ${c.maeWtPct.toFixed(4)} wt\\.%.*; ${words.replace(/[.()%]/g, (m) => `\\${m}`)}`));
  }, CNN_FIXTURE_TIMEOUT_MS);

  // Task 27-N #4: with one reading compared there is no fit (fewer than 2), and the PDF said the baseline was unknown
  // because "the model is gone or recorded no training points" — the model was there. CLI and PDF now give the reason.
  it('one reading compared: PDF and CLI say nothing is computed on 1 reading, not that the model is gone', async () => {
    const { api, ctx, billetId, modelId } = fixture;
    const res = (await done(await api['maps.predict']({ billetId, modelId, strideMm: 40 }))).result as { predictionId: number };
    // every reading but the first point's is removed: one point is compared
    ctx.db.prepare('DELETE FROM carbon_readings WHERE point_id IN (SELECT id FROM sampling_points WHERE billet_id = ? AND id <> (SELECT MIN(id) FROM sampling_points WHERE billet_id = ?))').run(billetId, billetId);
    const view = await api['maps.render']({ billetId, layer: 'predicted', predictionId: res.predictionId, settings: { widthPx: 400 } });
    expect(view.comparison!.n).toBe(1);
    expect(view.comparison!.fit).toBeNull();
    const report = await api['maps.report']({ billetId, predictionId: res.predictionId, settings: {} });
    const text = parsePdf(readFileSync(join(ctx.paths.root, report.path))).text.join('\n').replace(/\s+/g, ' ');
    const words = "fit, sample label and baseline (the model's training mean) not computed: 1 reading compared, at least 2 needed";
    expect(text).toContain(words);
    expect(text).not.toContain('the model is gone');
    const cli = await runCli(ctx.paths.root, 'map', String(billetId), '--prediction', String(res.predictionId));
    expect(cli.rc).toBe(0);
    expect(cli.out).toContain(words);
    expect(cli.out).not.toContain('no model recorded');
  }, CNN_FIXTURE_TIMEOUT_MS);
});
