import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trainedCnnFixture, CNN_FIXTURE_SETTINGS, CNN_FIXTURE_TIMEOUT_MS, type CnnFixture } from '../../helpers/cnn-fixture.js';
import { createRng, drawFieldParams, buildCarbonField } from '../../../core/synth/index.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';

/**
 * The whole predicted-map path on a synthetic billet whose true carbon field is known: demo billet →
 * a small CNN trained on its readings (the shared fixture, test/helpers/cnn-fixture.ts) → dense predicted
 * map → error of the map against the truth. The bound says the map is a usable estimate of the field,
 * and the figures are printed for the record.
 */
describe('predicted map from a trained CNN on a synthetic billet', () => {
  let f: CnnFixture;
  beforeAll(async () => {
    f = await trainedCnnFixture();
  }, CNN_FIXTURE_TIMEOUT_MS);
  afterAll(() => f?.dispose());

  it('reports the error of the predicted map against the true field (MAE < 0.025 wt.% and below the flat-map baseline)', async () => {
    const { ctx, api, billetId, modelId } = f;
    const job = await ctx.jobs.wait((await api['maps.predict']({ billetId, modelId, strideMm: 40 })).id);
    expect(job.state, job.error?.message).toBe('done');
    const res = job.result as { patchCount: number; maskedCount: number; backend: string };
    expect(res.patchCount).toBeGreaterThan(150);

    const view = await api['maps.render']({ billetId, layer: 'predicted', settings: { widthPx: 600 } });
    const t = view.truthError!;
    expect(t).not.toBeNull();
    expect(t.cells).toBe(res.patchCount - res.maskedCount);
    // the synthetic field's own spread (section sd) is ≈ 0.015–0.025 wt.%; the map must be a usable estimate
    expect(t.maeWtPct).toBeLessThan(0.025);
    expect(view.comparison!.n).toBeGreaterThan(80);
    // baseline: the constant "mean of the readings" map on the same cells
    const rng = createRng(CNN_FIXTURE_SETTINGS.demo.seed);
    const field = buildCarbonField(drawFieldParams(rng.fork(1), 'base', 600), rng.fork(2).int(2 ** 32), 1);
    const meanReading = view.points.reduce((a, p) => a + p.measuredWtPct!, 0) / view.points.length;
    let base = 0;
    let n = 0;
    const g = view.grid;
    g.values.forEach((v, k) => {
      if (v === null) return;
      const i = k % g.nx;
      const j = (k - i) / g.nx;
      base += Math.abs(meanReading - field.carbonAt(g.x0Mm + i * g.stepMm, g.y0Mm + j * g.stepMm));
      n++;
    });
    base /= n;
    console.log(`[maps] constant-mean baseline vs true field: MAE ${base.toFixed(4)} wt.%`);
    // the same layer over the etched section image: the underlay shows through at 50 % opacity
    const plain = await api['maps.render']({ billetId, layer: 'measured', settings: { widthPx: 500 } });
    const over = await api['maps.render']({ billetId, layer: 'measured', settings: { widthPx: 500, overlay: true, opacity: 0.5 } });
    expect(over.overlay).toBe(true);
    const px = async (rel: string) => (await sharp(readFileSync(join(ctx.paths.root, rel))).raw().toBuffer({ resolveWithObject: true }));
    const a = await px(plain.pngPath);
    const b = await px(over.pngPath);
    let differ = 0;
    const box = plain.mapBox;
    for (let y = box.y + box.size * 0.3; y < box.y + box.size * 0.7; y += 7) {
      for (let x = box.x + box.size * 0.3; x < box.x + box.size * 0.7; x += 7) {
        const o = (Math.round(y) * a.info.width + Math.round(x)) * a.info.channels;
        if (Math.abs(a.data[o] - b.data[o]) + Math.abs(a.data[o + 1] - b.data[o + 1]) + Math.abs(a.data[o + 2] - b.data[o + 2]) > 20) differ++;
      }
    }
    expect(differ).toBeGreaterThan(200);
    // seeded training → the same numbers every run (see the log line below): the map beats a flat one
    expect(t.maeWtPct).toBeLessThan(base);
    console.log(
      `[maps] predicted map vs true field: MAE ${t.maeWtPct.toFixed(4)} wt.%, RMSE ${t.rmseWtPct.toFixed(4)}, max ${t.maxAbsWtPct.toFixed(4)} over ${t.cells} cells; ` +
        `vs readings: MAE ${view.comparison!.maeWtPct.toFixed(4)} wt.%; backend ${res.backend}; section sd ${view.indices!.sdWtPct.toFixed(4)}`,
    );
  });
});
