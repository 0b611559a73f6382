import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempContext } from '../../helpers/temp.js';
import { localClient } from '../../../core/app/dispatch.js';
import { layoutPoints, replicateStats } from '../../../core/segregation/index.js';
import { measuredMap } from '../../../core/maps/index.js';
import { fingerprintInputs } from '../../../core/services/shared/map-layer.js';
import { tQuantile } from '../../../core/segregation/fewer-points/index.js';
import { createPointsRepo } from '../../../core/store/repos/points-repo.js';
import { createReadingsRepo } from '../../../core/store/repos/readings-repo.js';
import { parsePdf } from './helpers.js';
import { acceptanceOf, dataFingerprint, reportTranslator } from '../../../core/report/index.js';

/**
 * A measured map's acceptance class with the analyser's repeatability from the billet's own replicates. Three 600 mm
 * billets with the same point means (the true field, centre C/C0 1.0800 at P43): one read once everywhere, one with
 * four points read twice 0.010 wt.% apart (pooled sd 0.00707 wt.%, df 4), one with two such points (df 2). Class A
 * ends at C/C0 1.085: the map's max is in A, max + t(0.90, 4)·s/√1 = 0.4536 + 0.01084 wt.% (C/C0 1.1058) is not.
 */
const R = 300;
const C0 = 0.42;
const truth = (x: number, y: number) => Number((C0 * (1 + 0.08 * Math.exp(-((Math.hypot(x, y) / R / 0.2) ** 2)))).toFixed(4));
const ACCEPT = [
  { name: 'A', maxRatio: 1.085 },
  { name: 'B', maxRatio: 1.2 },
];
const flat = (t: string[]) => t.join(' ').replace(/\s+/g, ' ');
// the page footer may fall inside a sentence: the text without the footers
const unfooted = (t: string[]) => flat(t).replace(/ Ferrolab [0-9.]+ · data fingerprint [0-9a-f]+ page \d+ of \d+/g, '');

describe("a measured map's class at the upper end of the analyser's repeatability", () => {
  const ctx = tempContext();
  const api = localClient(ctx);
  const ids = { single: 0, replicated: 0, few: 0, perPoint: 0, mirror: 0 };

  beforeAll(() => {
    const pts = layoutPoints({ diameterMm: 600 });
    const billet = (name: string, twice: readonly string[], readings: Record<string, number[]> = {}) => {
      const b = ctx.repos.billets.create({ name, nominalDiameterMm: 600, bulkCarbonWtPct: C0 });
      createPointsRepo(ctx.db).replaceAll(b.id, pts, 'layout:hex85', false);
      const rd = createReadingsRepo(ctx.db);
      for (const p of pts) {
        const v = truth(p.xMm, p.yMm);
        rd.setValues(b.id, p.label, readings[p.label] ?? (twice.includes(p.label) ? [Number((v - 0.005).toFixed(4)), Number((v + 0.005).toFixed(4))] : [v]));
      }
      return b.id;
    };
    ids.single = billet('single burns', []);
    ids.replicated = billet('four points twice', ['P01', 'P20', 'P66', 'P85']);
    ids.few = billet('two points twice', ['P01', 'P85']);
    // the reviewer's example: the centre P43 (mean 0.4536, the map's max) read 4×, P85 3×, P20 2×, each spread so that
    // s = 0.01 wt.% on df = 3 + 2 + 1 = 6; P01 (rim) read once at 0.445, or at 0.450 in the mirror
    const spread = { P43: [0.4436, 0.4536, 0.4536, 0.4636], P85: [0.41, 0.42, 0.43], P20: [0.41, 0.43] };
    ids.perPoint = billet('per-point ends', [], { ...spread, P01: [0.445] });
    ids.mirror = billet('a once-read point decides', [], { ...spread, P01: [0.45] });
  });
  afterAll(async () => {
    await ctx.dispose();
  });

  async function report(billetId: number) {
    const r = await api['maps.report']({ billetId, plant: { acceptance: ACCEPT } });
    return { r, text: unfooted(parsePdf(readFileSync(join(ctx.paths.root, r.path))).text) };
  }

  it('a billet read once at every point keeps its class and says "no interval: no replicate readings"', async () => {
    const { r, text } = await report(ids.single);
    expect(r.acceptance).toMatchObject({ className: 'A', pointEstimateOnly: false, repeatability: null, measuredUpperRatio: null, measuredUpperClassName: null, headline: 'Class A' });
    expect(r.acceptance!.maxRatio).toBeCloseTo(0.4536 / C0, 10);
    expect(text).toContain('Acceptance: Class A — max C/C0 1.0800 ≤ 1.085 → class A (85 points, covering');
    expect(text).toContain('readings: no interval: no replicate readings (no point read twice; analyser repeatability not included)');
    expect(text).toContain('No point of this billet was read more than once: no analyser repeatability from its own replicates.');
    // the points table: n = 1 and "single" in the spread column, said in its definition line
    expect(text).toContain('Point x, mm y, mm Measured, wt.% n sd, wt.%');
    expect(text).toMatch(/P43 0\.0 0\.0 0\.4536 1 single/);
    expect(text).toContain("Measured = the mean of the point's n readings; sd = their sample standard deviation (n − 1), given where n ≥ 2; n = 1: a single reading, no spread.");
  });

  it('replicates whose spread puts the upper end over the limit: the class holds at the point estimate only, and says why (test fails before)', async () => {
    const { r, text } = await report(ids.replicated);
    // the same point means: the map's own figure is class A as on the billet read once
    const s = Math.sqrt(0.00005); // each pair 0.010 apart: sd 0.00707 wt.%, pooled over four pairs, df 4
    const hw = tQuantile(0.9, 4) * s;
    expect(hw).toBeCloseTo(0.01084, 4);
    const upper = (0.4536 + hw) / C0;
    expect(r.acceptance).toMatchObject({ className: 'A', decidedBy: 'map', pointEstimateOnly: true, measuredUpperClassName: 'B', repeatability: { df: 4, points: 4 } });
    expect(r.acceptance!.repeatability!.sdWtPct).toBeCloseTo(s, 10);
    expect(r.acceptance!.measuredUpperRatio!).toBeCloseTo(upper, 10);
    expect(r.acceptance!.measuredUpperHalfWidthWtPct!).toBeCloseTo(hw, 10);
    // the map's max is P43's mean (to the spline's rounding), so the reading's own end is the larger: the reading is named
    expect(r.acceptance!.headline).toBe("Class A at the point estimate only (Class B at the upper end of reading P43 for the analyser's repeatability alone)");
    expect(text).toContain("Acceptance: Class A at the point estimate only (Class B at the upper end of reading P43 for the analyser's repeatability alone)");
    // the max sits on P43, read once: n = 1 there; the readings' upper end is the same point's
    expect(r.acceptance).toMatchObject({ measuredUpperBy: 'reading', readingsUpperLabel: 'P43', readingsUpperClassName: 'B' });
    expect(r.acceptance!.readingsUpperRatio!).toBeCloseTo(upper, 10);
    expect(text).toContain(
      "highest reading at the upper end of the analyser's repeatability (one-sided 90 %: the largest over the points of mean + t·s/√n, each point with its own n, at P43: 0.4536 + 1.533 × 0.00707/√1 = 0.4536 + 0.01084 wt.%; s pooled from the billet's replicates, df = 4 (4 points read at least twice); it does not cover the analyser's bias (calibration), its between-day reproducibility or the sampling of the section): max C/C0 1.1058 ≤ 1.200 → class B",
    );
    expect(text).toContain(
      "measured map at the upper end of the analyser's repeatability (one-sided 90 %: max + t·s/√n = 0.4536 + 1.533 × 0.00707/√1 = 0.4536 + 0.01084 wt.%, n = the readings at P43, the point with readings nearest the max; s pooled from the billet's replicates, df = 4; the larger of this and the readings' upper end; it does not cover the analyser's bias (calibration), its between-day reproducibility, the sampling of the section or the spline's interpolation between points): max C/C0 1.1058 ≤ 1.200 → class B (the readings' upper end, at P43)",
    );
    expect(upper.toFixed(4)).toBe('1.1058');
    // the printed arithmetic adds up: t × s/√n from the printed figures is the printed hw to its last digit (before: 1.533 × 0.0071 = 0.0109, printed 0.0108)
    const printed = [...text.matchAll(/= (0\.\d+) \+ (\d\.\d+) × (0\.\d+)\/√(\d+) = 0\.\d+ \+ (0\.\d+) wt\.%/g)];
    expect(printed.length).toBe(2);
    for (const [, , t, sd, n, hwp] of printed) expect(((Number(t) * Number(sd)) / Math.sqrt(Number(n))).toFixed(hwp.length - 2)).toBe(hwp);
    expect(text).toContain(
      "Where readings take part, the class is also checked at the one-sided 90 % upper end of the analyser's repeatability from the billet's own replicates: each point's mean + t·s/√n with its own n, and a measured map that takes part at its max + t·s/√n with the n of the point nearest the max; a class that fails there holds at the point estimate only. That end does not cover the analyser's bias (calibration), its between-day reproducibility, the sampling of the section or the spline's interpolation between points.",
    );
    // the points table: a replicated point prints n = 2 and its sd; a point read once stays single
    expect(text).toMatch(/P01 -88\.4 -255\.1 0\.4200 2 0\.0071 /);
    expect(text).toMatch(/P43 0\.0 0\.0 0\.4536 1 single/);
    expect(text).toContain("Analyser repeatability from this billet's replicates: pooled within-point sd 0.00707 wt.% (df = 4; points read at least twice: 4).");
    // the JSON view of the same points
    const view = await api['maps.render']({ billetId: ids.replicated, layer: 'measured', settings: {} });
    const p01 = view.points.find((p) => p.label === 'P01')!;
    expect(p01).toMatchObject({ replicates: 2, measuredWtPct: 0.42 });
    expect(p01.replicateSdWtPct!).toBeCloseTo(Math.sqrt(0.00005), 10);
    expect(view.points.find((p) => p.label === 'P43')).toMatchObject({ replicates: 1, replicateSdWtPct: null });
  });

  it("the reviewer's example on a billet: the max read 4× and a point of 0.445 read once are each bounded with their own n, and class A holds (test fails before: n = 1 everywhere gave 1.1143, 'at the point estimate only')", async () => {
    const accept = [
      { name: 'A', maxRatio: 1.1 },
      { name: 'B', maxRatio: 1.2 },
    ];
    const r = await api['maps.report']({ billetId: ids.perPoint, plant: { acceptance: accept } });
    const text = unfooted(parsePdf(readFileSync(join(ctx.paths.root, r.path))).text);
    const t6 = tQuantile(0.9, 6);
    expect(r.acceptance!.repeatability!.df).toBe(6);
    expect(r.acceptance!.repeatability!.sdWtPct).toBeCloseTo(0.01, 12);
    expect(r.acceptance!.maxRatio).toBeCloseTo(0.4536 / C0, 10);
    // the map's max sits on P43: its 4 readings give the half-width t·s/√4
    expect(r.acceptance!.measuredUpperHalfWidthWtPct!).toBeCloseTo((t6 * 0.01) / 2, 10);
    expect(r.acceptance!.measuredUpperRatio!).toBeCloseTo((0.4536 + (t6 * 0.01) / 2) / C0, 8);
    expect(r.acceptance!.measuredUpperRatio!.toFixed(4)).toBe('1.0971');
    expect(r.acceptance).toMatchObject({ className: 'A', headline: 'Class A', pointEstimateOnly: false, measuredUpperClassName: 'A', readingsUpperLabel: 'P43', readingsUpperClassName: 'A' });
    // P01's own end (0.445 + 1.440 × 0.01)/0.42 = 1.0938 is below P43's
    expect(((0.445 + t6 * 0.01) / C0).toFixed(4)).toBe('1.0938');
    expect(text).toContain('at P43: 0.4536 + 1.440 × 0.0100/√4 = 0.4536 + 0.00720 wt.%');
    expect(text).toContain('max + t·s/√n = 0.4536 + 1.440 × 0.0100/√4 = 0.4536 + 0.00720 wt.%, n = the readings at P43, the point with readings nearest the max');
    expect(text).toContain('Acceptance: Class A — ');

    // the mirror: P01 read once at 0.450 ends at (0.450 + 0.0144)/0.42 = 1.1057, in class B: it gives the upper end and is named
    const m = await api['maps.report']({ billetId: ids.mirror, plant: { acceptance: accept } });
    expect(m.acceptance).toMatchObject({ className: 'A', pointEstimateOnly: true, measuredUpperBy: 'reading', measuredUpperClassName: 'B', readingsUpperLabel: 'P01', readingsUpperClassName: 'B' });
    expect(m.acceptance!.readingsUpperRatio!).toBeCloseTo((0.45 + t6 * 0.01) / C0, 8);
    expect(m.acceptance!.readingsUpperRatio!.toFixed(4)).toBe('1.1057');
    expect(m.acceptance!.readingsUpperHalfWidthWtPct!).toBeCloseTo(t6 * 0.01, 10);
    expect(m.acceptance!.measuredUpperHalfWidthWtPct!).toBeCloseTo((t6 * 0.01) / 2, 10);
    expect(m.acceptance!.headline).toBe("Class A at the point estimate only (Class B at the upper end of reading P01 for the analyser's repeatability alone)");
  });

  it('replicates of fewer than 3 degrees of freedom print their sd but give no interval, and the class stands', async () => {
    const { r, text } = await report(ids.few);
    expect(r.acceptance).toMatchObject({ className: 'A', pointEstimateOnly: false, measuredUpperRatio: null, repeatability: { df: 2, points: 2 }, headline: 'Class A' });
    expect(text).toContain('readings: no interval: the replicates give a pooled repeatability sd of 0.00707 wt.% on only 2 degrees of freedom (at least 3 needed)');
  });
});

describe('acceptanceOf with a measured map’s repeatability upper end', () => {
  const classes = [
    { name: 'A', maxRatio: 1.05 },
    { name: 'B', maxRatio: 1.1 },
  ];
  const c0 = { wtPct: 0.42, source: 'bulk' as const };
  const model = { sample: 'out-of-sample' as const, interval: 'calibrated' as const };
  const repeatability = { sdWtPct: 0.01, df: 6, points: 3 };
  const measuredUpper = (ratio: number) => ({ ratio, nominal: 0.9, halfWidthWtPct: 0.0144, t: 1.44, n: 1, label: 'P1', maxWtPct: 0.45, by: 'map-max' as const });

  it('beside a model’s map: a deciding measured map whose upper end is in a worse class holds at the point estimate only; the model’s upper end is said apart', () => {
    const a = acceptanceOf(1.02, classes, undefined, { c0, model, readings: 40, measured: { ratio: 1.04, points: 40, coveredFraction: 0.8 }, upper: { ratio: 1.04, nominal: 0.9 }, repeatability, measuredUpper: measuredUpper(1.0743) });
    expect(a).toMatchObject({ className: 'A', decidedBy: 'map', measuredDecides: true, modelOnly: false, pointEstimateOnly: true, measuredUpperClassName: 'B' });
    expect(a.headline).toBe("Class A at the point estimate only (Class B at the measured map's upper end for the analyser's repeatability alone)");
    // an indicative measured map (too few points) does not decide, so neither does its upper end
    const few = acceptanceOf(1.02, classes, undefined, { c0, model, readings: 6, measured: { ratio: 1.04, points: 6, coveredFraction: 0.3 }, upper: { ratio: 1.04, nominal: 0.9 }, repeatability, measuredUpper: measuredUpper(1.0743) });
    expect(few.headline).not.toContain("analyser's repeatability");
    expect(few.otherFigures.at(-1)).toMatch(/^measured map at the upper end of the analyser's repeatability .*→ class B \(indicative only: the measured map does not decide\)$/);
    expect(a.otherFigures.at(-1)).not.toContain('indicative');
    expect(few.modelOnly).toBe(true);
    // an upper end in the same class changes nothing
    expect(acceptanceOf(1.02, classes, undefined, { c0, self: { points: 40, coveredFraction: 0.8 }, repeatability, measuredUpper: measuredUpper(1.049) })).toMatchObject({ headline: 'Class A', pointEstimateOnly: false, measuredUpperClassName: 'A' });
  });

  it('says so in Chinese and Italian', () => {
    const ev = { c0, self: { points: 40, coveredFraction: 0.8 }, repeatability, measuredUpper: measuredUpper(1.0743) };
    expect(acceptanceOf(1.04, classes, reportTranslator('zh'), ev).headline).toBe('A 级仅按点估计成立（仅计分析仪重复性时，实测偏析图上限处为B 级）');
    expect(acceptanceOf(1.04, classes, reportTranslator('it'), ev).headline).toBe("Classe A solo sulla stima puntuale (Classe B all'estremo superiore della mappa misurata per la sola ripetibilità dell'analizzatore)");
    expect(acceptanceOf(1.04, classes, reportTranslator('it'), { ...ev, repeatability: null, measuredUpper: null }).verdict).toContain("letture: nessun intervallo: nessuna lettura replicata");
  });
});

describe('replicates in the data behind a report', () => {
  it('two points at one place merge with the sd of all their readings (exact from means, counts and sds)', () => {
    const a = replicateStats([0.39, 0.41]);
    const pts = [
      { label: 'P01', xMm: 0, yMm: 0, carbonWtPct: a.mean!, replicates: 2, replicateSdWtPct: a.sd },
      { label: 'P01b', xMm: 0, yMm: 0, carbonWtPct: 0.44, replicates: 1 },
      { label: 'P02', xMm: 100, yMm: 0, carbonWtPct: 0.42 },
      { label: 'P03', xMm: 0, yMm: 100, carbonWtPct: 0.43 },
    ];
    const merged = measuredMap(pts, 200, { cellsAcross: 21 }).points.find((p) => p.label === 'P01+P01b')!;
    const all = replicateStats([0.39, 0.41, 0.44]);
    expect(merged.replicates).toBe(3);
    expect(merged.carbonWtPct).toBeCloseTo(all.mean!, 12);
    expect(merged.replicateSdWtPct!).toBeCloseTo(all.sd!, 12);
  });

  it('the fingerprint takes a replicated point’s n and sd; points read once keep the entry they had', () => {
    const billet = { id: 7, name: 'B-7', steelGrade: 'C45', heat: 'H-1', nominalDiameterMm: 600, bulkCarbonWtPct: null, synthetic: false, castingNotes: null } as unknown as Parameters<typeof fingerprintInputs>[0];
    const once = [{ label: 'P01', xMm: 0, yMm: 0, carbonWtPct: 0.45, replicates: 1, replicateSdWtPct: null }];
    expect(dataFingerprint(fingerprintInputs(billet, once, null, {}))).toBe(dataFingerprint({ billet: { id: 7, name: 'B-7', grade: 'C45', heat: 'H-1', d: 600, c0: null, synthetic: false, notes: null }, points: [['P01', 0, 0, 0.45]], prediction: null, extra: {} }));
    const twice = (sd: number) => dataFingerprint(fingerprintInputs(billet, [{ ...once[0], replicates: 2, replicateSdWtPct: sd }], null, {}));
    expect(twice(0.01)).not.toBe(twice(0.02));
    expect(twice(0.01)).not.toBe(dataFingerprint(fingerprintInputs(billet, once, null, {})));
  });
});
