import { describe, expect, it } from 'vitest';
import { layoutPoints } from '../../../core/segregation/index.js';
import { measuredMap, segregationIndices, renderMapPng, comparePoints, summariseComparison, defaultLevels } from '../../../core/maps/index.js';
import { acceptanceOf, acceptanceHeadline, buildMapReport, dataFingerprint, canonicalJson, reportTranslator, type MapReportInput } from '../../../core/report/index.js';
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
    // the seed-7 demo billet's figures: predicted 1.0616 (A), its measured map 1.1120 with its own C0, the interval's upper end 1.1183
    const a = acceptanceOf(1.0616, classes, undefined, { measured: { ratio: 1.112, c0WtPct: 0.4361 }, upper: { ratio: 1.1183, nominal: 0.9 } });
    expect(a).toMatchObject({ className: 'B', decidedBy: 'measured', measuredClassName: 'B', upperClassName: 'B', pointEstimateOnly: false });
    // Chinese runs the qualifier on with its full-width bracket, no space
    expect(acceptanceHeadline(a, reportTranslator('zh'))).toBe('B 级（由实测偏析图判定）');
    expect(acceptanceHeadline(a, reportTranslator('it'))).toBe('Classe B (dalla mappa misurata)');
    expect(a.otherFigures).toEqual(['measured map (readings; C0 = 0.4361 wt.%): max C/C0 1.1120 ≤ 1.150 → class B', "upper end of the model's 90 % interval: max C/C0 1.1183 ≤ 1.150 → class B"]);
    const p = acceptanceOf(1.0616, classes, undefined, { upper: { ratio: 1.1183, nominal: 0.9 } });
    expect(p).toMatchObject({ className: 'A', decidedBy: 'map', pointEstimateOnly: true, worstUpperClassName: 'B' });
    expect(acceptanceHeadline(p, reportTranslator('en'))).toBe('Class A at the point estimate only (Class B at the upper end of the interval)');
    // beyond the last class at the upper end: "not accepted" there
    const n = acceptanceOf(1.0616, classes, undefined, { upper: { ratio: 1.2, nominal: 0.9 } });
    expect(acceptanceHeadline(n, reportTranslator('en'))).toBe('Class A at the point estimate only (NOT ACCEPTED (no class) at the upper end of the interval)');
    // a model's map without an interval says its class is a point estimate's
    expect(acceptanceOf(1.0616, classes, undefined, { predictedWithoutInterval: true }).otherFigures).toEqual(['the model has no calibrated interval: the class is that of the point estimate only']);
    // a measured map's class stands alone
    expect(acceptanceOf(1.0616, classes)).toMatchObject({ className: 'A', otherFigures: [], pointEstimateOnly: false, verdict: 'max C/C0 1.0616 ≤ 1.080 → class A' });
  });

  it('fingerprints inputs independently of key order and sensitive to any value', () => {
    expect(canonicalJson({ b: 1, a: { d: 2, c: [3, { f: 1, e: 0 }] } })).toBe('{"a":{"c":[3,{"e":0,"f":1}],"d":2},"b":1}');
    expect(dataFingerprint({ a: 1, b: 2 })).toBe(dataFingerprint({ b: 2, a: 1 }));
    expect(dataFingerprint({ a: 1, b: 2 })).not.toBe(dataFingerprint({ a: 1, b: 2.0001 }));
    expect(dataFingerprint({})).toMatch(/^[0-9a-f]{64}$/);
  });
});
