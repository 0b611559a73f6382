import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { tempContext } from '../../helpers/temp.js';
import { localClient } from '../../../core/app/dispatch.js';
import { layoutPoints } from '../../../core/segregation/index.js';
import { createPointsRepo } from '../../../core/store/repos/points-repo.js';
import { createReadingsRepo } from '../../../core/store/repos/readings-repo.js';
import { registerPatchPredictorFactory, type PatchPredictorFactory } from '../../../core/maps/index.js';
import { parsePdf } from '../report/helpers.js';
import { generateSyntheticBillet, syntheticSectionPng } from '../../../core/synth/index.js';

const R = 300;
const truth = (x: number, y: number) => 0.42 * (1 + 0.07 * Math.exp(-((Math.hypot(x, y) / R / 0.18) ** 2)) - 0.025 * Math.exp(-(((Math.hypot(x, y) / R - 0.7) / 0.08) ** 2)));

/**
 * Deterministic analytic stand-in for the CNN's carbon: truth + 0.003·x/R, sd 0.004. It masks nothing: the porosity
 * mask comes from the pores the real detector finds on the billet's section (synthetic seed 3, pores near the centre).
 */
let predictorCalls = 0;
/** Called at the start of each predictor batch (the cancel test presses Cancel from here). */
let onBatch: (() => Promise<void>) | null = null;
/** Calibrated like a model's normalised split-conformal interval: half-width 2 · (0.001 + sd) = 0.010 wt.% here. */
const CALIBRATION = { method: 'split-conformal-normalised-tta', alpha: 0.1, quantile: 2, scale: 0.001, n: 85, points: 85, measuredCoverage: 0.88, coverageN: 85, coveragePoints: 85, coverageProtocol: 'leave-one-split-out', meanHalfWidth: 0.01 } as const;
let calibrated = true;
const analyticFactory: PatchPredictorFactory = async () => ({
  modelName: 'analytic test predictor',
  backend: 'cpu',
  rimMarginMm: 8,
  calibration: calibrated ? CALIBRATION : null,
  predictor: async (centres) => {
    predictorCalls++;
    if (onBatch) await onBatch();
    return centres.map(({ xMm, yMm }) => ({ mean: truth(xMm, yMm) + 0.003 * (xMm / R), sd: 0.004 }));
  },
});

describe('maps API (measured, predicted, report, CSV)', () => {
  const ctx = tempContext();
  const api = localClient(ctx);
  let billetId = 0;

  const section = generateSyntheticBillet({ seed: 3, sizePx: 800 });

  beforeAll(async () => {
    registerPatchPredictorFactory(analyticFactory);
    const b = ctx.repos.billets.create({ name: 'B-600 test', steelGrade: '42CrMo', heat: 'H-77', nominalDiameterMm: 600, bulkCarbonWtPct: 0.42 });
    billetId = b.id;
    const imp = await api['images.import']({ billetId, upload: { uploadId: ctx.uploads.saveBytes(await syntheticSectionPng(section)), name: 'section.png' } });
    expect((await ctx.jobs.wait(imp.id)).state).toBe('done');
    const pts = layoutPoints({ diameterMm: 600 });
    createPointsRepo(ctx.db).replaceAll(billetId, pts, 'layout:hex85', false);
    const rd = createReadingsRepo(ctx.db);
    for (const p of pts) rd.setValues(billetId, p.label, [Number(truth(p.xMm, p.yMm).toFixed(4))]);
    // the model row a trained CNN would have left (predicted maps reference it)
    ctx.db
      .prepare(
        `INSERT INTO models (id, kind, name, path, architecture_json, hyper_json, seed, dataset_fingerprint, dataset_json, backend_json, metrics_json, synthetic, created_at)
         VALUES (1, 'carbon-cnn', 'cnn-test', 'models/1', '{}', '{"preset":"paper"}', 7, 'abc', '{"summary":"85 points of billet B-1"}', '{"name":"cpu"}', '{"test":{"mae":0.0121,"r2":0.81}}', 1, '2026-11-21T00:00:00Z')`,
      )
      .run();
  });
  afterAll(async () => {
    registerPatchPredictorFactory(null);
    await ctx.dispose();
  });

  it('renders the measured map with indices (C0 = ladle carbon) and stores a PNG under reports/', async () => {
    const v = await api['maps.render']({ billetId, layer: 'measured', settings: { cellsAcross: 81, widthPx: 800 } });
    expect(v.c0Source).toBe('bulk');
    expect(v.c0WtPct).toBe(0.42);
    expect(v.indices!.centre!.ratio).toBeGreaterThan(1.05);
    expect(v.indices!.centre!.ratio).toBeLessThan(1.075);
    expect(v.points).toHaveLength(85);
    expect(v.grid.nx).toBe(81);
    const meta = await sharp(readFileSync(join(ctx.paths.root, v.pngPath))).metadata();
    expect([meta.width, meta.height]).toEqual([800, v.height]);
    expect(v.pngPath.startsWith('reports/previews/')).toBe(true);
  });

  it('refuses a predicted layer before any prediction and a billet without readings', async () => {
    await expect(api['maps.render']({ billetId, layer: 'predicted', settings: {} })).rejects.toThrow(/no predicted map yet/);
    const empty = ctx.repos.billets.create({ name: 'empty', nominalDiameterMm: 600 });
    await expect(api['maps.render']({ billetId: empty.id, layer: 'measured', settings: {} })).rejects.toThrow(/readings at 0 point\(s\)/);
    await expect(api['maps.render']({ billetId, layer: 'measured', settings: { cellsAcross: 5 } })).rejects.toThrow(/at least 21/);
  });

  it('a map job can be cancelled through the API', async () => {
    const before = predictorCalls;
    let setJobId!: (id: string) => void;
    const jobId = new Promise<string>((resolve) => (setJobId = resolve));
    onBatch = async () => {
      if (predictorCalls - before === 2) await api['jobs.cancel']({ jobId: await jobId }); // Cancel pressed during batch 2
    };
    const job = await api['maps.predict']({ billetId, modelId: 1, strideMm: 10 });
    setJobId(job.id);
    const end = await ctx.jobs.wait(job.id);
    onBatch = null;
    expect(end.state).toBe('cancelled');
    expect(predictorCalls - before).toBe(2); // no batch after the one running when Cancel came
    expect(end.progress).toBeLessThan(0.1);
    expect(await api['maps.predictions']({ billetId })).toHaveLength(0);
  });

  it('predicts a map as a job, stores it, and renders predicted / uncertainty / difference layers', async () => {
    const job = await api['maps.predict']({ billetId, modelId: 1 });
    const end = await ctx.jobs.wait(job.id);
    expect(end.state).toBe('done');
    const res = end.result as { predictionId: number; patchCount: number; strideMm: number };
    expect(res.strideMm).toBe(16.8);
    expect(res.patchCount).toBeGreaterThan(900);
    const list = await api['maps.predictions']({ billetId });
    expect(list[0]).toMatchObject({ id: res.predictionId, modelName: 'analytic test predictor', backend: 'cpu' });
    expect(list[0].maskedCount).toBeGreaterThan(0);

    const p = await api['maps.render']({ billetId, layer: 'predicted', settings: { widthPx: 600 } });
    expect(p.predictionId).toBe(res.predictionId);
    // point comparison: predicted − measured = 0.003·x/R (+ the readings' 4-decimal rounding)
    const row = p.points.find((r) => Math.abs(r.xMm) > 200)!;
    expect(row.errorWtPct!).toBeCloseTo(0.003 * (row.xMm / R), 4);
    expect(p.comparison!.maeWtPct).toBeLessThan(0.0031);
    // the smoothed field by default, its CV-chosen fit said; the raw patch mosaic on request
    expect(p.smoothing!.selection).toBe('leave-one-out cross-validation');
    expect(p.smoothing!.patches).toBe(res.patchCount - list[0].maskedCount);
    expect(p.method).toMatch(/Gaussian-process .*leave-one-out cross-validation/);
    const gaps = p.levels.slice(1).map((v, i) => v - p.levels[i]);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(p.smoothing!.typicalInterval90WtPct - 1e-9);
    const raw = await api['maps.render']({ billetId, layer: 'predicted', settings: { widthPx: 600, predictedField: 'raw' } });
    expect(raw.smoothing).toBeNull();
    expect(raw.method).toMatch(/^Raw patch mosaic/);
    expect(raw.fingerprint).not.toBe(p.fingerprint);
    // the stored lattice is the raw view; the smoothed one differs from it, but little (this predictor has no noise)
    const diffs = raw.grid.values.flatMap((v, k) => (v === null ? [] : [Math.abs(v - p.grid.values[k]!)]));
    expect(Math.max(...diffs)).toBeGreaterThan(0);
    expect(diffs.reduce((a, b) => a + b, 0) / diffs.length).toBeLessThan(0.002);
    const u = await api['maps.render']({ billetId, layer: 'uncertainty', settings: { widthPx: 600 } });
    expect(u.indices).toBeNull();
    expect(u.grid.sd).toBeNull();
    // the calibrated interval's half-width, not the TTA sd (0.004)
    expect(u.grid.values.filter((x) => x !== null).every((x) => Math.abs(x! - 0.01) < 1e-9)).toBe(true);
    expect(u.unit).toBe('wt.% C (± half-width of the 90 % interval)');
    expect(u.method).toContain('measured coverage 0.88 on 85 held-out points');
    expect(u.method).not.toMatch(/standard deviation/i);
    const d = await api['maps.render']({ billetId, layer: 'difference', settings: { widthPx: 600 } });
    const east = d.grid.values[Math.floor(d.grid.ny / 2) * d.grid.nx + d.grid.nx - 3]!;
    expect(Math.abs(east - 0.003 * ((d.grid.x0Mm + (d.grid.nx - 3) * d.grid.stepMm) / R))).toBeLessThan(0.0015);
    // the map job found the section's pores (stored); the cell over the largest one is masked as porosity in every layer
    const pores = await api['images.pores']({ billetId });
    expect(pores.status).toBe('detected');
    expect(pores.count!).toBeGreaterThan(3);
    const big = pores.pores[0];
    expect(section.params.field.pores.some((t) => Math.hypot(big.xMm - t.xMm, big.yMm - t.yMm) < t.radiusMm + big.diameterMm / 2)).toBe(true);
    const c = Math.round((big.yMm - p.grid.y0Mm) / p.grid.stepMm) * p.grid.nx + Math.round((big.xMm - p.grid.x0Mm) / p.grid.stepMm);
    expect([p.grid.values[c], u.grid.values[c], d.grid.values[c]]).toEqual([null, null, null]);
    expect(p.grid.mask[c]).toBe(2);
    expect(p.pores).toMatchObject({ count: pores.count, minDiameterMm: pores.minDiameterMm });
    expect(p.grid.mask.filter((m) => m === 2).length).toBe(p.pores!.maskedCells);
    // the measured map is the readings' spline, not read from the image: the same pore masks none of its cells (the
    // printed 'Covered' definition says so), so its indices do not change with whether a section image was attached
    const meas = await api['maps.render']({ billetId, layer: 'measured', settings: { widthPx: 600 } });
    const cm = Math.round((big.yMm - meas.grid.y0Mm) / meas.grid.stepMm) * meas.grid.nx + Math.round((big.xMm - meas.grid.x0Mm) / meas.grid.stepMm);
    expect(meas.grid.mask[cm]).toBe(0);
    expect(Number.isFinite(meas.grid.values[cm])).toBe(true);
    expect(meas.grid.mask.filter((m) => m === 2)).toHaveLength(0);
  });

  it('maps a billet the lab has not measured yet: predicted and uncertainty layers and a report, no measured layer', async () => {
    const fresh = ctx.repos.billets.create({ name: 'unmeasured billet', nominalDiameterMm: 600 });
    createPointsRepo(ctx.db).replaceAll(fresh.id, layoutPoints({ diameterMm: 600 }), 'layout:hex85', false);
    const job = await api['maps.predict']({ billetId: fresh.id, modelId: 1, strideMm: 30 });
    expect((await ctx.jobs.wait(job.id)).state).toBe('done');
    const p = await api['maps.render']({ billetId: fresh.id, layer: 'predicted', settings: { widthPx: 500 } });
    expect(p.c0Source).toBe('section-mean');
    expect(p.points.every((r) => r.measuredWtPct === null && r.errorWtPct === null)).toBe(true);
    expect(p.points.filter((r) => r.predictedWtPct !== null)).toHaveLength(85); // no section, so no pores to mask
    expect(p.pores).toBeNull();
    expect(p.grid.mask.filter((m) => m === 2)).toHaveLength(0);
    expect(p.comparison).toBeNull();
    await expect(api['maps.render']({ billetId: fresh.id, layer: 'difference', settings: {} })).rejects.toThrow(/needs 3 or more/);
    const r = await api['maps.report']({ billetId: fresh.id, predictionId: p.predictionId!, settings: {} });
    const pdf = parsePdf(readFileSync(join(ctx.paths.root, r.path)));
    expect(pdf.imagesPerPage.reduce((a, b) => a + b, 0)).toBe(2); // predicted + uncertainty
    const text = pdf.text.join(' ');
    expect(text).toContain('unmeasured billet');
    expect(text).toMatch(/Pores detected:\s*not searched \(no calibrated section image\)/);
    // every predicted point with its interval (prediction ± 0.010) and the measured coverage beside it
    expect(text).toContain('90 % interval, measured coverage 0.88 on 85 held-out points');
    const p1 = p.points.find((q) => q.predictedWtPct !== null)!;
    expect(text).toContain(`${p1.predictedWtPct!.toFixed(4)} [${(p1.predictedWtPct! - 0.01).toFixed(4)}, ${(p1.predictedWtPct! + 0.01).toFixed(4)}]`);
    expect(text).not.toContain('± sd');
  });

  it('a predicted map whose model has no calibrated interval has no uncertainty layer (refused, not the TTA sd)', async () => {
    const fresh = ctx.repos.billets.create({ name: 'uncalibrated', nominalDiameterMm: 600 });
    createPointsRepo(ctx.db).replaceAll(fresh.id, layoutPoints({ diameterMm: 600 }), 'layout:hex85', false);
    calibrated = false;
    try {
      const job = await api['maps.predict']({ billetId: fresh.id, modelId: 1, strideMm: 40 });
      expect((await ctx.jobs.wait(job.id)).state).toBe('done');
    } finally {
      calibrated = true;
    }
    await expect(api['maps.render']({ billetId: fresh.id, layer: 'uncertainty', settings: {} })).rejects.toThrow(/no calibrated interval/);
    const preds = await api['maps.predictions']({ billetId: fresh.id });
    const r = await api['maps.report']({ billetId: fresh.id, predictionId: preds[0].id, settings: {} });
    const pdf = parsePdf(readFileSync(join(ctx.paths.root, r.path)));
    expect(pdf.imagesPerPage.reduce((a, b) => a + b, 0)).toBe(1); // predicted only
    expect(pdf.text.join(' ')).toContain('No calibrated interval');
  });

  it('exports the grid as CSV', async () => {
    const out = await api['maps.exportCsv']({ billetId, layer: 'measured', settings: { cellsAcross: 41 } });
    expect(out.fileName).toMatch(/-B-600-test-measured-grid\.csv$/);
    // the text comes back; nothing is written under the data folder's reports/
    expect(readdirSync(ctx.paths.reports, { recursive: true }).filter((f) => String(f).endsWith('.csv'))).toEqual([]);
    const lines = out.csv.trim().split('\n');
    expect(lines[0]).toBe('x_mm,y_mm,r_over_R,carbon_wt_pct,c_over_c0,c0_wt_pct,c0_source,masked,extrapolated,in_indices');
    expect(lines.length - 1).toBe(out.rows);
    expect(out.rows).toBeGreaterThan(1200);
  });

  it("the measured grid CSV marks every extrapolated cell (beyond the points' hull) as left out of the indices, with the C0 it divides by", async () => {
    const settings = { cellsAcross: 41 };
    const out = await api['maps.exportCsv']({ billetId, layer: 'measured', settings });
    const v = await api['maps.render']({ billetId, layer: 'measured', settings });
    const [head, ...body] = out.csv.trim().split('\n');
    const col = Object.fromEntries(head.split(',').map((n, i) => [n, i]));
    // the source's words hold no comma, so a plain split reads the rows
    const rows = body.map((l) => l.split(','));
    const on = rows.filter((r) => r[col.in_indices] === 'yes');
    const ext = rows.filter((r) => r[col.extrapolated] === 'yes');
    // the section edge beyond the hex85 layout's hull is extrapolated: drawn, never counted, and it says so
    expect(ext.length).toBeGreaterThan(100);
    expect(ext.every((r) => r[col.in_indices] === 'no' && r[col.carbon_wt_pct] !== '')).toBe(true);
    expect(on.length + ext.length).toBe(rows.filter((r) => r[col.masked] === '').length);
    // the cells the file says are in the indices are the ones the figures were taken over: their largest C/C0 is the
    // indices' max, and the extrapolated rim is not where it lies
    expect(Math.max(...on.map((r) => Number(r[col.c_over_c0])))).toBe(Number(v.indices!.max.ratio.toFixed(5)));
    // every row states the C0 its ratio was taken with and where it comes from (ladle carbon 0.42 given for this billet)
    expect(new Set(rows.map((r) => `${r[col.c0_wt_pct]}|${r[col.c0_source]}`))).toEqual(new Set(['0.42|ladle/bulk carbon entered for the heat']));
    const first = on[0];
    expect(Number(first[col.c_over_c0])).toBeCloseTo(Number(first[col.carbon_wt_pct]) / 0.42, 4);
  });

  it('makes a PDF report (measured and predicted), stores it and lists it for the billet', async () => {
    const m = await api['maps.report']({ billetId, paper: 'Letter', lab: 'QA lab 2', operator: 'K. Smith', settings: { cellsAcross: 81 } });
    expect(m.paper).toBe('Letter');
    const pdf = parsePdf(readFileSync(join(ctx.paths.root, m.path)));
    expect(pdf.sizes[0]).toEqual({ width: 612, height: 792 });
    expect(pdf.text[0]).toContain('B-600 test');
    expect(pdf.text[0]).toContain('QA lab 2');
    expect(pdf.imagesPerPage[0]).toBe(1);
    const preds = await api['maps.predictions']({ billetId });
    const r = await api['maps.report']({ billetId, predictionId: preds[0].id, settings: { cellsAcross: 81 } });
    const pdf2 = parsePdf(readFileSync(join(ctx.paths.root, r.path)));
    expect(pdf2.sizes[0]).toEqual({ width: 595, height: 842 });
    expect(pdf2.imagesPerPage.reduce((a, b) => a + b, 0)).toBe(4); // predicted, measured, uncertainty, difference
    const all = pdf2.text.join('\n');
    expect(all).toContain('Model vs. readings over');
    expect(all).toContain('Model card');
    expect(all).toContain('cnn-test');
    expect(all).toContain('test mae');
    expect(all).toContain('0.0121');
    expect(all).toContain('K. Smith'); // operator remembered from the previous report
    // the pores the predicted map was masked with: "Pores detected: N (≥ d mm); M map cells masked as porosity …"
    const pores = await api['images.pores']({ billetId });
    const masked = (await api['maps.render']({ billetId, layer: 'predicted', settings: {} })).pores!.maskedCells!;
    expect(masked).toBeGreaterThan(0);
    expect(all).toContain(`${pores.count} (≥ ${pores.minDiameterMm!.toFixed(1)} mm); ${masked} map cell`);
    expect(pdf.text[0]).toMatch(/Pores detected:/);
    // the printed definition of 'Covered' says which maps pores mask: a predicted map's patches, never a measured map
    const flat = (t: string[]) => t.join(' ').replace(/\s+/g, ' ');
    // the page footer may fall inside the sentence: read the text without the footers
    const unfooted = (t: string[]) => flat(t).replace(/ Ferrolab [0-9.]+ · data fingerprint [0-9a-f]+ page \d+ of \d+/g, '');
    for (const t of [unfooted(pdf.text), unfooted(pdf2.text)]) expect(t).toContain('a measured map leaves out only the area extrapolated beyond the outermost sampling points — its values come from the readings, not from the section image, so pores do not');
    // the measured report states the billet's stored detection, without cells
    expect(pdf.text.join(' ')).toMatch(new RegExp(`Pores detected:\\s*${pores.count} \\(≥ ${pores.minDiameterMm!.toFixed(1)} mm\\)`));
    const listed = await api['reports.list']({ billetId });
    expect(listed.map((x) => x.id)).toEqual([r.id, m.id]);
    expect(listed[0].sizeBytes).toBe(readFileSync(join(ctx.paths.root, r.path)).length);
    expect((await api['reports.get']({ id: m.id })).fingerprint).toBe(m.fingerprint);
    expect(existsSync(join(ctx.paths.root, m.path))).toBe(true);
  });
  it("a predicted map's grid CSV names each uncertainty: the field's own sd beside the model's calibrated 90 % interval", async () => {
    const preds = await api['maps.predictions']({ billetId });
    const predictionId = preds[0].id;
    const split = (csv: string) => {
      const [head, ...body] = csv.trim().split('\n');
      return { names: head.split(','), rows: body.map((l) => l.split(',')) };
    };
    const raw = split((await api['maps.exportCsv']({ billetId, layer: 'predicted', predictionId, settings: { predictedField: 'raw' } })).csv);
    expect(raw.names).toEqual(['x_mm', 'y_mm', 'r_over_R', 'carbon_wt_pct', 'c_over_c0', 'c0_wt_pct', 'c0_source', 'tta_sd_wt_pct', 'model_interval90_half_width_wt_pct', 'masked', 'extrapolated', 'in_indices']);
    const valid = raw.rows.filter((r) => r[9] === '');
    expect(valid.length).toBeGreaterThan(50);
    // the stand-in predictor's TTA sd is 0.004; its calibrated half-width is 2 · (0.001 + 0.004) = 0.010 wt.%
    expect(new Set(valid.map((r) => `${r[7]}|${r[8]}`))).toEqual(new Set(['0.004|0.01']));
    // a predicted map has no hull: every valid cell is in its indices
    expect(valid.every((r) => r[10] === 'no' && r[11] === 'yes')).toBe(true);
    const smoothed = split((await api['maps.exportCsv']({ billetId, layer: 'predicted', predictionId, settings: { predictedField: 'smoothed' } })).csv);
    expect(smoothed.names.slice(7, 9)).toEqual(['smoothing_sd_wt_pct', 'model_interval90_half_width_wt_pct']);
    const sv = smoothed.rows.filter((r) => r[9] === '');
    // the smoothing's sd is far narrower than the model's interval, which stays the patch's: the names keep them apart
    expect(Math.max(...sv.map((r) => Number(r[7])))).toBeLessThan(0.004);
    expect(new Set(sv.map((r) => r[8]))).toEqual(new Set(['0.01']));
    // the uncertainty layer's file: the same half-widths, named for the interval's level
    const unc = split((await api['maps.exportCsv']({ billetId, layer: 'uncertainty', predictionId, settings: {} })).csv);
    expect(unc.names).toEqual(['x_mm', 'y_mm', 'r_over_R', 'interval90_half_width_wt_pct', 'masked', 'extrapolated', 'in_indices']);
  });

  it('deleting the billet removes its reports and map previews from disk', async () => {
    const dirs = [join(ctx.paths.reports, String(billetId)), join(ctx.paths.reports, 'previews', String(billetId))];
    expect(dirs.map((d) => existsSync(d))).toEqual([true, true]);
    await api['billets.delete']({ id: billetId, confirmName: 'B-600 test' });
    expect(dirs.map((d) => existsSync(d))).toEqual([false, false]);
    expect(await api['reports.list']({ billetId })).toEqual([]);
  });
});
