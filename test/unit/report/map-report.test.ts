import { describe, expect, it } from 'vitest';
import { layoutPoints } from '../../../core/segregation/index.js';
import { measuredMap, segregationIndices, renderMapPng, comparePoints, summariseComparison, defaultLevels } from '../../../core/maps/index.js';
import { acceptanceOf, buildMapReport, dataFingerprint, canonicalJson, reportTranslator, type MapReportInput } from '../../../core/report/index.js';
import { AcceptanceClassesSchema, parseAcceptanceClass } from '../../../core/api/acceptance.js';
import { parsePdf } from './helpers.js';
import { regressionMetrics } from '../../../core/ml/metrics.js';

const R = 300;
const field = (x: number, y: number) => 0.42 * (1 + 0.08 * Math.exp(-((Math.hypot(x, y) / R / 0.2) ** 2)) - 0.03 * Math.exp(-(((Math.hypot(x, y) / R - 0.72) / 0.1) ** 2)));
const pts = layoutPoints({ diameterMm: 600 }).map((p) => ({ ...p, carbonWtPct: Number(field(p.xMm, p.yMm).toFixed(4)) }));

async function input(paper: 'A4' | 'Letter', withModel: boolean): Promise<MapReportInput> {
  const m = measuredMap(pts, R, { cellsAcross: 101 });
  const indices = segregationIndices(m.grid, { bulkCarbonWtPct: 0.42 });
  const png = (await renderMapPng(m.grid, { quantity: 'carbon', widthPx: 900, c0WtPct: 0.42, c0Source: 'bulk', levels: defaultLevels([0.4, 0.46], 0.42), markers: pts.map((p) => ({ label: p.label, xMm: p.xMm, yMm: p.yMm, text: p.carbonWtPct.toFixed(3) })) })).png;
  const rows = comparePoints(pts, pts.map((p, i) => (withModel ? { mean: p.carbonWtPct + (i % 2 ? 0.004 : -0.003), sd: 0.002 } : null)));
  return {
    paper,
    header: { lab: 'Foundry QA lab', billetName: 'Heat 7731 billet B', grade: '42CrMo', diameterMm: 600, heat: '7731', castingNotes: 'M-EMS 200 A, superheat 30 °C', date: '2026-11-21T12:00:00.000Z', operator: 'A. Tester' },
    synthetic: true,
    indicesSource: 'measured map (thin-plate spline)',
    maps: [{ title: 'Measured carbon map', png, caption: m.method }],
    indices,
    methodNote: m.method,
    points: rows,
    comparison: withModel ? summariseComparison(rows) : null,
    model: withModel ? { id: 3, name: 'cnn-paper-6x5', preset: 'paper', trainingData: '85 points, billet B-1 (synthetic)', backend: 'wasm', metrics: [{ name: 'test MAE', value: '0.0121 wt.%' }], createdAt: '2026-11-20', synthetic: true } : null,
    version: '0.1.0',
    fingerprint: dataFingerprint({ pts }),
  };
}

describe('PDF report', () => {
  it('is a valid A4 PDF with the map image, billet name, indices, points, model card and synthetic marking', async () => {
    const inp = await input('A4', true);
    const pdf = await buildMapReport(inp);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const doc = parsePdf(pdf);
    expect(doc.pages).toBeGreaterThanOrEqual(3);
    expect(doc.sizes.every((s) => s.width === 595 && s.height === 842)).toBe(true);
    expect(doc.imagesPerPage[0]).toBe(1); // the map is embedded as an image on page 1
    const all = doc.text.join('\n');
    expect(doc.text[0]).toContain('Heat 7731 billet B');
    expect(all).toContain('SYNTHETIC DATA');
    const ix = inp.indices;
    expect(all).toContain(ix.centre!.ratio.toFixed(3));
    expect(all).toContain(`${ix.sdWtPct.toFixed(4)} wt.%`);
    expect(all).toContain(`${ix.rangeWtPct.toFixed(4)} wt.%`);
    expect(all).toContain(ix.min.ratio.toFixed(3));
    expect(all).toContain('Segregation indices');
    expect(all).toContain('Definitions');
    expect(all).toContain('Model card');
    expect(all).toContain('cnn-paper-6x5');
    for (const label of ['P01', 'P43', 'P85']) expect(all).toContain(label);
    expect(all).toMatch(/\+0\.0040/); // an error column entry
    // footer on every page: version, fingerprint and page numbers
    doc.text.forEach((t, i) => {
      expect(t).toContain(`Ferrolab 0.1.0`);
      expect(t).toContain(inp.fingerprint.slice(0, 16));
      expect(t).toContain(`page ${i + 1} of ${doc.pages}`);
    });
    expect(String(doc.info.Keywords)).toContain(inp.fingerprint);
  });

  it('labels the model-vs-readings figures (in-sample here) and prints both R² and the mean bias', async () => {
    const inp = await input('A4', true);
    const ok = inp.points.filter((r) => r.errorWtPct !== null);
    const fit = regressionMetrics(ok.map((r) => r.predictedWtPct!), ok.map((r) => r.measuredWtPct!));
    // 43 points at −0.003 and 42 at +0.004: bias (42 × 0.004 − 43 × 0.003) / 85 = +0.000459 wt.%.
    expect(fit.meanBias).toBeCloseTo((42 * 0.004 - 43 * 0.003) / 85, 12);
    const all = parsePdf(await buildMapReport({ ...inp, comparisonFit: { r2: fit.r2, r2Determination: fit.r2Determination, meanBias: fit.meanBias, sample: 'in-sample' } })).text.join('\n').replace(/\s+/g, ' ');
    expect(all).toContain('Model vs. readings over 85 points, IN-SAMPLE (points or image the model trained on)');
    expect(all).toContain(`R² (Eq. 2, squared correlation) ${fit.r2.toFixed(3)}`);
    expect(all).toContain(`R² (coefficient of determination) ${fit.r2Determination.toFixed(3)}`);
    expect(all).toContain('mean bias (predicted − measured) +0.0005 wt.%');
    const out = parsePdf(await buildMapReport({ ...inp, comparisonFit: { ...fit, sample: 'out-of-sample' } })).text.join('\n').replace(/\s+/g, ' ');
    expect(out).toContain('85 points, out-of-sample (an image never trained on)');
    // Without a label (old callers) the PDF says so instead of implying a test result.
    expect(parsePdf(await buildMapReport(inp)).text.join('\n').replace(/\s+/g, ' ')).toContain('85 points, sample label unknown');
  });

  it('prints on Letter too, and leaves out the model card when no model was used', async () => {
    const pdf = await buildMapReport(await input('Letter', false));
    const doc = parsePdf(pdf);
    expect(doc.sizes[0]).toEqual({ width: 612, height: 792 });
    const all = doc.text.join('\n');
    expect(all).not.toContain('Model card');
    expect(all).toContain('Heat 7731 billet B');
    // plant fields not given: none of their labels is printed
    for (const label of ['Etchant', 'Analyser method', 'Signed off by', 'Acceptance', 'Sign-off']) expect(all).not.toContain(label);
  });

  it('prints the plant-report fields when given, with the acceptance class and the rule applied', async () => {
    const inp = await input('A4', false);
    const max = inp.indices.max.ratio;
    // limits either side of this section's max C/C0: class B (A is too strict)
    const classes = [{ name: 'A', maxRatio: Number((max - 0.01).toFixed(3)) }, { name: 'B', maxRatio: Number((max + 0.01).toFixed(3)) }];
    const acceptance = acceptanceOf(max, classes);
    expect(acceptance.className).toBe('B');
    inp.plant = { etchant: 'hot 50 % HCl, 20 min', analyserMethod: 'OES spark, ASTM E415', signedOffBy: 'B. Inspector', acceptance };
    const doc = parsePdf(await buildMapReport(inp));
    const all = doc.text.join('\n');
    expect(doc.text[0]).toContain('Etchant:');
    expect(doc.text[0]).toContain('hot 50 % HCl, 20 min');
    expect(doc.text[0]).toContain('OES spark, ASTM E415');
    expect(doc.text[0]).toContain('B. Inspector');
    expect(all).toContain('Class B');
    expect(all).toContain(`max C/C0 ${max.toFixed(4)} ≤ ${classes[1].maxRatio.toFixed(3)} → class B`);
    expect(all).toContain(`A: max C/C0 ≤ ${classes[0].maxRatio.toFixed(3)}; B: max C/C0 ≤ ${classes[1].maxRatio.toFixed(3)}`);
    expect(all).toContain('Signed off by: B. Inspector');
    expect(all).toContain('Signature:');
    // above the last limit: not accepted, said in words
    inp.plant = { acceptance: acceptanceOf(max, [{ name: 'A', maxRatio: Number((max - 0.02).toFixed(3)) }]) };
    const rejected = parsePdf(await buildMapReport(inp)).text.join('\n');
    expect(rejected).toContain('NOT ACCEPTED (no class)');
    expect(rejected).not.toContain('Etchant');
  });

  it('reads acceptance classes strictly and classifies at the limit as inside', () => {
    expect(parseAcceptanceClass('B = 1.2')).toEqual({ name: 'B', maxRatio: 1.2 });
    expect(parseAcceptanceClass('1.15')).toEqual({ name: 'accepted', maxRatio: 1.15 });
    expect(() => parseAcceptanceClass('A=0x1')).toThrow(/acceptance limit "0x1"/);
    expect(AcceptanceClassesSchema.safeParse([{ name: 'A', maxRatio: 1.2 }, { name: 'B', maxRatio: 1.1 }]).error?.issues[0].message).toMatch(/must increase/);
    expect(acceptanceOf(1.1, [{ name: 'A', maxRatio: 1.1 }]).className).toBe('A');
    expect(acceptanceOf(1.1000001, [{ name: 'A', maxRatio: 1.1 }]).className).toBeNull();
  });

  it('classes a section on the worst of its point figures, and says when a class holds at the point estimate only', () => {
    const classes = [{ name: 'A', maxRatio: 1.08 }, { name: 'B', maxRatio: 1.15 }];
    const model = { sample: 'out-of-sample' as const, interval: 'calibrated' as const };
    const c0 = { wtPct: 0.42, source: 'bulk' as const };
    // the seed-7 demo billet's figures: predicted 1.0616 (A), its measured map 1.1120 (85 points, 80 % of the section), the upper end 1.1183
    const measured = { ratio: 1.112, points: 85, coveredFraction: 0.8 };
    const a = acceptanceOf(1.0616, classes, undefined, { c0, model, measured, upper: { ratio: 1.1183, nominal: 0.9 } });
    expect(a).toMatchObject({ className: 'B', decidedBy: 'measured', measuredClassName: 'B', measuredDecides: true, upperClassName: 'B', pointEstimateOnly: false, modelOnly: false, modelOnlyReasons: [] });
    // Chinese runs the qualifier on with its full-width bracket, no space
    expect(acceptanceOf(1.0616, classes, reportTranslator('zh'), { c0, model, measured, upper: { ratio: 1.1183, nominal: 0.9 } }).headline).toBe('B 级（由实测偏析图判定）');
    expect(acceptanceOf(1.0616, classes, reportTranslator('it'), { c0, model, measured, upper: { ratio: 1.1183, nominal: 0.9 } }).headline).toBe('Classe B (dalla mappa misurata)');
    expect(a.otherFigures).toEqual([
      'measured map (readings): max C/C0 1.1120 ≤ 1.150 → class B (85 points, covering 80.0 % of the section)',
      "largest of the cells' upper ends (per-cell 90 % intervals; not a bound on the section's maximum): max C/C0 1.1183 ≤ 1.150 → class B",
      'readings: no interval; analyser repeatability not included',
    ]);
    const p = acceptanceOf(1.0616, classes, undefined, { c0, model, upper: { ratio: 1.1183, nominal: 0.9 } });
    expect(p).toMatchObject({ className: 'A', decidedBy: 'map', pointEstimateOnly: true, modelOnly: true, modelOnlyReasons: ['no-readings', 'out-of-sample'], worstUpperClassName: 'B' });
    expect(p.headline).toBe("Class A at the point estimate only (Class B at the largest of the cells' upper ends) — an estimate from the model only (no readings on the billet; out-of-sample: an image the model never trained on)");
    // beyond the last class at the upper end: "not accepted" there
    const n = acceptanceOf(1.0616, classes, undefined, { c0, model, upper: { ratio: 1.2, nominal: 0.9 } });
    expect(n.headline).toMatch(/^Class A at the point estimate only \(NOT ACCEPTED \(no class\) at the largest of the cells' upper ends\)/);
    // a measured map's class stands alone; with enough points it is plain
    expect(acceptanceOf(1.0616, classes, undefined, { c0, self: { points: 85, coveredFraction: 0.8 } })).toMatchObject({ className: 'A', headline: 'Class A', pointEstimateOnly: false, modelOnly: false, basis: null, verdict: 'max C/C0 1.0616 ≤ 1.080 → class A (85 points, covering 80.0 % of the section); readings: no interval; analyser repeatability not included' });
  });

  it("a model's class is never plain unless readings back it, and says why (test fails before: 'Class A' printed plain)", () => {
    const classes = [{ name: 'A', maxRatio: 1.08 }, { name: 'B', maxRatio: 1.15 }];
    const c0 = { wtPct: 0.42, source: 'bulk' as const };
    const upper = { ratio: 1.07, nominal: 0.9 };
    // out-of-sample, no readings: the upper end passes, yet it is the model's word alone
    const o = acceptanceOf(1.05, classes, undefined, { c0, model: { sample: 'out-of-sample', interval: 'calibrated' }, upper });
    expect(o).toMatchObject({ className: 'A', modelOnly: true, pointEstimateOnly: false, modelOnlyReasons: ['no-readings', 'out-of-sample'] });
    expect(o.headline).toBe('Class A — an estimate from the model only (no readings on the billet; out-of-sample: an image the model never trained on)');
    expect(o.basis).toContain("largest of its cells' upper ends");
    // no calibrated interval: no upper-end check, point estimate only, and the basis sentence says nothing of a check that did not run
    const none = acceptanceOf(1.05, classes, undefined, { c0, model: { sample: 'out-of-sample', interval: 'none' }, upper });
    expect(none).toMatchObject({ pointEstimateOnly: true, modelOnlyReasons: ['no-readings', 'out-of-sample', 'no-interval'], upperRatio: null, basis: null });
    // no upper figure: the qualifier says why (no finite interval), as 26-L asked (test fails before)
    expect(none.headline).toBe('Class A at the point estimate only (no finite interval: no upper-end check) — an estimate from the model only (no readings on the billet; out-of-sample: an image the model never trained on; the model has no calibrated interval)');
    expect(none.otherFigures).toEqual(['the model has no calibrated interval: no upper-end check']);
    // the model was deleted: its interval is unknown, said as such
    const gone = acceptanceOf(1.05, classes, undefined, { c0, model: { sample: null, interval: 'unknown' } });
    expect(gone.modelOnlyReasons).toEqual(['no-readings', 'sample-unknown', 'interval-unknown']);
    expect(gone.headline).toContain("the model's interval is unknown (no calibration stored with the map, and its model is not in the store)");
    expect(gone.headline).not.toContain('no calibrated interval');
    // intervals flagged too narrow: the check ran and passed, but does not confirm
    const narrow = acceptanceOf(1.05, classes, undefined, { c0, model: { sample: 'in-sample', interval: 'too-narrow' }, upper });
    expect(narrow).toMatchObject({ pointEstimateOnly: true, upperClassName: 'A', modelOnlyReasons: ['no-readings', 'in-sample', 'interval-too-narrow'] });
    // a map corrected with a few readings is still the model's estimate: neither plain nor "model only" (test fails before: 'Class A' plain)
    const corr = acceptanceOf(1.05, classes, undefined, { c0, model: { sample: 'out-of-sample', interval: 'calibrated' }, readings: 3, upper, corrected: { k: 3, ratio: 1.06, upper: { ratio: 1.075, nominal: 0.9 } } });
    expect(corr).toMatchObject({ className: 'A', modelOnly: false, correctedEstimate: true, pointEstimateOnly: false, modelOnlyReasons: ['readings-too-few', 'out-of-sample'] });
    expect(corr.headline).toBe('Class A — an estimate from the model corrected with K = 3 readings (too few readings to decide; out-of-sample: an image the model never trained on)');
    // its interval's upper end takes part in worst-of: in a worse class, the corrected estimate holds at the point estimate only
    const corrUp = acceptanceOf(1.05, classes, undefined, { c0, model: { sample: 'out-of-sample', interval: 'calibrated' }, readings: 1, upper, corrected: { k: 1, ratio: 1.03, upper: { ratio: 1.2, nominal: 0.9 } } });
    expect(corrUp).toMatchObject({ className: 'A', correctedEstimate: true, pointEstimateOnly: true, worstUpperClassName: null });
    expect(corrUp.headline).toBe("Class A at the point estimate only (NOT ACCEPTED (no class) at the largest of the cells' upper ends) — an estimate from the model corrected with K = 1 reading (too few readings to decide; out-of-sample: an image the model never trained on)");
    // a missing model id: the interval is unknown, not "no calibrated interval" (zh/it too)
    for (const lang of ['zh', 'it'] as const) expect(acceptanceOf(1.05, classes, reportTranslator(lang), { c0, model: { sample: null, interval: 'unknown' } }).headline).toContain(reportTranslator(lang)('acceptance.reason.intervalUnknown'));
  });

  it('a single reading is a measurement: the class is never better than the highest reading\'s, said in the headline (test fails before)', () => {
    const classes = [{ name: 'A', maxRatio: 1.08 }, { name: 'B', maxRatio: 1.15 }];
    const c0 = { wtPct: 0.42, source: 'section-mean' as const };
    const model = { sample: 'out-of-sample' as const, interval: 'calibrated' as const };
    // 9 readings, measured map indicative and the model in A: reading P12 at 1.30 puts the section out of every class
    const m9 = acceptanceOf(1.05, classes, undefined, { c0, model, readings: 9, readingMax: { label: 'P12', ratio: 1.3 }, measured: { ratio: 1.3, points: 9, coveredFraction: 0.7 }, upper: { ratio: 1.07, nominal: 0.9 } });
    expect(m9).toMatchObject({ className: null, decidedBy: 'reading', readingMaxLabel: 'P12', readingMaxRatio: 1.3, modelOnly: false, correctedEstimate: false, pointEstimateOnly: false, modelOnlyReasons: [] });
    expect(m9.headline).toBe('NOT ACCEPTED (no class) (decided by reading P12: C/C0 1.30)');
    expect(m9.otherFigures).toContain('highest reading (P12): max C/C0 1.3000 > 1.150 → NOT ACCEPTED (no class)');
    expect(acceptanceOf(1.05, classes, reportTranslator('zh'), { c0, model, readings: 9, readingMax: { label: 'P12', ratio: 1.3 } }).headline).toBe('不合格（无等级）（由读数 P12 判定：C/C0 1.30）');
    expect(acceptanceOf(1.05, classes, reportTranslator('it'), { c0, model, readings: 9, readingMax: { label: 'P12', ratio: 1.3 } }).headline).toBe('NON ACCETTATA (nessuna classe) (decisa dalla lettura P12: C/C0 1.30)');
    // a deciding measured map in a better class than a reading does not overrule the reading
    expect(acceptanceOf(1.05, classes, undefined, { c0, model, readings: 40, readingMax: { label: 'P03', ratio: 1.1 }, measured: { ratio: 1.07, points: 40, coveredFraction: 0.8 }, upper: { ratio: 1.07, nominal: 0.9 } })).toMatchObject({ className: 'B', decidedBy: 'reading' });
    // a reading inside the map's class changes nothing
    expect(acceptanceOf(1.05, classes, undefined, { c0, model, readings: 2, readingMax: { label: 'P03', ratio: 1.04 }, upper: { ratio: 1.07, nominal: 0.9 } })).toMatchObject({ className: 'A', decidedBy: 'map', modelOnly: true });
  });

  it('a measured map decides from exactly 10 points covering exactly 50 %; with 10 or more covering less the reason names the share (test fails before)', () => {
    const classes = [{ name: 'A', maxRatio: 1.08 }, { name: 'B', maxRatio: 1.15 }];
    const c0 = { wtPct: 0.42, source: 'section-mean' as const };
    const model = { sample: 'out-of-sample' as const, interval: 'calibrated' as const };
    const at = (points: number, coveredFraction: number) => acceptanceOf(1.05, classes, undefined, { c0, model, readings: points, measured: { ratio: 1.1, points, coveredFraction }, upper: { ratio: 1.07, nominal: 0.9 } });
    expect(at(10, 0.5)).toMatchObject({ measuredDecides: true, className: 'B', decidedBy: 'measured', modelOnly: false });
    expect(at(9, 0.5)).toMatchObject({ measuredDecides: false, className: 'A', modelOnlyReasons: ['readings-too-few', 'out-of-sample'] });
    const low = at(12, 0.4999);
    expect(low).toMatchObject({ measuredDecides: false, className: 'A', modelOnlyReasons: ['readings-cover-too-little', 'out-of-sample'] });
    expect(low.headline).toBe('Class A — an estimate from the model only (readings cover 49.9 % of the section (50 % needed); out-of-sample: an image the model never trained on)');
    expect(at(12, 0.47).headline).toContain('readings cover 47.0 % of the section (50 % needed)');
    expect(acceptanceOf(1.05, classes, reportTranslator('zh'), { c0, model, readings: 12, measured: { ratio: 1.1, points: 12, coveredFraction: 0.47 } }).headline).toContain('读数覆盖截面的 47.0 %（需 50 %）');
    expect(acceptanceOf(1.05, classes, reportTranslator('it'), { c0, model, readings: 12, measured: { ratio: 1.1, points: 12, coveredFraction: 0.47 } }).headline).toContain('le letture coprono il 47.0 % della sezione (serve il 50 %)');
    // "decided by readings" only when they decided: a deciding measured map in the map's own class agrees
    const agree = acceptanceOf(1.05, classes, undefined, { c0, model, readings: 40, measured: { ratio: 1.06, points: 40, coveredFraction: 0.8 }, upper: { ratio: 1.2, nominal: 0.9 } });
    expect(agree).toMatchObject({ className: 'A', decidedBy: 'map' });
    expect(agree.headline).toBe("Class A (readings agree; the model's largest cell upper end reaches NOT ACCEPTED (no class))");
  });

  it("a measured map of few points does not decide and says what it is; a class readings decided is not 'at the point estimate only' (test fails before)", () => {
    const classes = [{ name: 'A', maxRatio: 1.08 }, { name: 'B', maxRatio: 1.15 }];
    const c0 = { wtPct: 0.42, source: 'measured-area-mean' as const };
    const model = { sample: 'out-of-sample' as const, interval: 'calibrated' as const };
    // 6 points covering 30 %: the measured map (in class B) is printed as indicative, but its highest reading, P07, is in
    // class B too: a reading is a measurement, so the class is B, decided by that reading (26-L; before: class A, the model's)
    const few = acceptanceOf(1.05, classes, undefined, { c0, model, readings: 6, readingMax: { label: 'P07', ratio: 1.1 }, measured: { ratio: 1.1, points: 6, coveredFraction: 0.3 }, upper: { ratio: 1.07, nominal: 0.9 } });
    expect(few).toMatchObject({ className: 'B', decidedBy: 'reading', measuredDecides: false, measuredClassName: 'B', measuredPoints: 6, measuredCoveredFraction: 0.3, modelOnly: false, modelOnlyReasons: [] });
    expect(few.headline).toBe('Class B (decided by reading P07: C/C0 1.10)');
    expect(few.otherFigures[0]).toBe('measured map (readings), indicative only — does not decide (a measured map decides only from at least 10 points covering at least 50 % of the section): max C/C0 1.1000 ≤ 1.150 → class B (6 points, covering 30.0 % of the section)');
    // 12 points covering 60 %: it decides
    const enough = acceptanceOf(1.05, classes, undefined, { c0, model, readings: 12, measured: { ratio: 1.1, points: 12, coveredFraction: 0.6 }, upper: { ratio: 1.2, nominal: 0.9 } });
    expect(enough).toMatchObject({ className: 'B', decidedBy: 'measured', pointEstimateOnly: false, modelOnly: false });
    // the model's upper end is worse than the readings' class: worded apart from "at the point estimate only"
    expect(enough.headline).toBe("Class B (from the measured map) (decided by readings; the model's largest cell upper end reaches NOT ACCEPTED (no class))");
    expect(enough.headline).not.toContain('point estimate');
    // Chinese and Italian say the same in their own words, no English left in the headline (the CLI prints it)
    const ev = { c0, model, readings: 4, measured: { ratio: 1.07, points: 4, coveredFraction: 0.2 }, upper: { ratio: 1.1, nominal: 0.9 } };
    expect(acceptanceOf(1.05, [{ name: 'A', maxRatio: 1.08 }], reportTranslator('zh'), ev).headline).toBe('A 级仅按点估计成立（各单元上限中的最大值为不合格（无等级））——仅为模型估计（读数太少，不足以判定；样本外：模型从未训练过的图像）');
    expect(acceptanceOf(1.05, [{ name: 'A', maxRatio: 1.08 }], reportTranslator('it'), ev).headline).toBe("Classe A solo sulla stima puntuale (NON ACCETTATA (nessuna classe) al massimo degli estremi superiori delle celle) — stima del solo modello (letture troppo poche per decidere; fuori campione: un'immagine su cui il modello non si è mai addestrato)");
    expect(acceptanceOf(1.05, [{ name: 'A', maxRatio: 1.08 }], reportTranslator('zh'), ev).basis).not.toMatch(/。 /);
    // a measured map's own report below the rule: indicative
    expect(acceptanceOf(1.05, classes, undefined, { c0, self: { points: 5, coveredFraction: 0.4 } }).headline).toBe('Class A (indicative: 5 points covering 40.0 % of the section; a measured map decides only from at least 10 points covering at least 50 % of the section)');
  });

  it('fingerprints inputs independently of key order and sensitive to any value', () => {
    expect(canonicalJson({ b: 1, a: { d: 2, c: [3, { f: 1, e: 0 }] } })).toBe('{"a":{"c":[3,{"e":0,"f":1}],"d":2},"b":1}');
    expect(dataFingerprint({ a: 1, b: 2 })).toBe(dataFingerprint({ b: 2, a: 1 }));
    expect(dataFingerprint({ a: 1, b: 2 })).not.toBe(dataFingerprint({ a: 1, b: 2.0001 }));
    expect(dataFingerprint({})).toMatch(/^[0-9a-f]{64}$/);
  });
});
