import { describe, expect, it } from 'vitest';
import { layoutPoints } from '../../../core/segregation/layouts.js';
import { createForkingRng } from '../../../core/runtime/random.js';
import {
  proposePoints, fitCorrection, correctedValue, correctedHalfWidth, expectedMaeByK, curveFloor, normalQuantile, tQuantile, STANDARD_KS, type MeasuredPoint,
} from '../../../core/segregation/fewer-points/index.js';

const hex = layoutPoints({ pattern: 'hex85', diameterMm: 600 });

function minPairDistance(pts: ReadonlyArray<{ xMm: number; yMm: number }>): number {
  let m = Infinity;
  for (let i = 0; i < pts.length; i++) for (let j = i + 1; j < pts.length; j++) m = Math.min(m, Math.hypot(pts[i].xMm - pts[j].xMm, pts[i].yMm - pts[j].yMm));
  return m;
}

/** A billet's points with a model that is off by `bias` and `gain` (reading = c + gain·(pred − c) … ) plus noise. */
function measured(seed: number, bias: number, gain = 1, noise = 0.004): MeasuredPoint[] {
  const rng = createForkingRng(seed);
  return hex.map((p) => {
    const truth = 0.42 + 0.02 * Math.cos(p.xMm / 90) * Math.sin(p.yMm / 120) + 0.01 * (1 - (p.xMm ** 2 + p.yMm ** 2) / 300 ** 2);
    const predicted = 0.42 + (truth - 0.42) / gain + bias + 0.002 * rng.normal();
    return { label: p.label, xMm: p.xMm, yMm: p.yMm, predicted, reading: truth + noise * rng.normal(), width: 0.003 + 0.002 * rng.next() };
  });
}

describe('quantiles', () => {
  it('match the tables', () => {
    expect(normalQuantile(0.95)).toBeCloseTo(1.644854, 5);
    expect(normalQuantile(0.001)).toBeCloseTo(-3.090232, 5);
    expect(tQuantile(0.95, 1)).toBeCloseTo(6.3138, 3);
    expect(tQuantile(0.95, 2)).toBeCloseTo(2.9200, 3);
    expect(tQuantile(0.95, 3)).toBeCloseTo(2.3534, 1);
    expect(Math.abs(tQuantile(0.95, 3) - 2.3534) / 2.3534).toBeLessThan(0.005);
    expect(tQuantile(0.975, 10)).toBeCloseTo(2.2281, 3);
    expect(tQuantile(0.95, 30)).toBeCloseTo(1.6973, 3);
  });
});

describe('proposePoints (weighted maximin)', () => {
  it('proposes K distinct points, the same ones for a seed, spread over the section', () => {
    const a = proposePoints(hex, { k: 8, seed: 5 });
    expect(new Set(a.labels).size).toBe(8);
    expect(proposePoints(hex, { k: 8, seed: 5 }).labels).toEqual(a.labels);
    const firsts = new Set([1, 2, 3, 4, 5, 6].map((s) => proposePoints(hex, { k: 8, seed: s }).labels[0]));
    expect(firsts.size).toBeGreaterThan(2); // the seed draws the first pick
    // Space-filling: the closest two of the 8 are far apart; 8 random points of the 85 are much closer.
    const spread = minPairDistance(a.indices.map((i) => hex[i]));
    let randomMean = 0;
    for (let s = 0; s < 50; s++) {
      const rng = createForkingRng(100 + s);
      const idx = [...hex.keys()].sort(() => rng.next() - 0.5).slice(0, 8);
      randomMean += minPairDistance(idx.map((i) => hex[i])) / 50;
    }
    expect(spread).toBeGreaterThan(80);
    expect(spread).toBeGreaterThan(1.5 * randomMean);
    // Stratified: every region is represented (inner and outer half of the radius alike), unlike maximin,
    // which crowds the rim; maximin spreads them furthest apart.
    const inner = (idx: number[]) => idx.filter((i) => Math.hypot(hex[i].xMm, hex[i].yMm) < 150).length;
    expect(inner(a.indices)).toBeGreaterThanOrEqual(2);
    expect(8 - inner(a.indices)).toBeGreaterThanOrEqual(2);
    const mm = proposePoints(hex, { k: 8, seed: 5, design: 'maximin' });
    expect(minPairDistance(mm.indices.map((i) => hex[i]))).toBeGreaterThan(150);
    expect(inner(mm.indices)).toBeLessThan(inner(a.indices));
  });

  it('goes where the widths are large', () => {
    const widths = hex.map((p) => (p.xMm > 0 ? 3 : 1));
    const right = proposePoints(hex, { k: 10, seed: 1, widths }).indices.filter((i) => hex[i].xMm > 0).length;
    const plain = proposePoints(hex, { k: 10, seed: 1 }).indices.filter((i) => hex[i].xMm > 0).length;
    expect(right).toBeGreaterThanOrEqual(7);
    expect(right).toBeGreaterThan(plain);
  });

  it('keeps away from points already measured and refuses impossible K', () => {
    const already = [0, 1, 2];
    const p = proposePoints(hex, { k: 5, seed: 1, alreadyChosen: already });
    expect(p.indices.some((i) => already.includes(i))).toBe(false);
    expect(() => proposePoints(hex, { k: 0, seed: 1 })).toThrow(/k must be/);
    expect(() => proposePoints(hex, { k: 86, seed: 1 })).toThrow(/k must be/);
    expect(() => proposePoints(hex, { k: 3, seed: 1, widths: [1, 2] })).toThrow(/widths has 2 values/);
  });
});

describe('fitCorrection', () => {
  it('K = 0 is the model as it is', () => {
    const c = fitCorrection([], { priorSd: 0.006 });
    expect(c.kind).toBe('none');
    expect(correctedValue(c, 0.43)).toBe(0.43);
  });

  it('removes a level offset that stands out of the noise', () => {
    const pts = measured(3, 0.03).slice(0, 8);
    const c = fitCorrection(pts, { priorSd: 0.005 });
    expect(c.kind).toBe('level');
    expect(c.offset).toBeCloseTo(-0.03, 2);
    expect(c.levelWeight).toBeGreaterThan(0.95);
    expect(correctedValue(c, 0.45)).toBeCloseTo(0.45 + c.appliedOffset, 12);
  });

  it('shrinks an offset that its own noise could explain', () => {
    const pairs = [{ predicted: 0.42, reading: 0.423 }, { predicted: 0.43, reading: 0.43 }];
    const c = fitCorrection(pairs, { priorSd: 0.008 });
    expect(c.levelWeight).toBeLessThan(0.5);
    expect(Math.abs(c.appliedOffset)).toBeLessThan(Math.abs(c.offset));
  });

  it('corrects the slope only from MIN_SLOPE_K points on and when it is significant', () => {
    const steep = measured(4, 0, 2, 0.001); // the model compresses the field by half
    const few = fitCorrection(steep.slice(0, 6), { priorSd: 0.004 });
    expect(few.kind).toBe('level');
    expect(few.slopeTest).toBeNull();
    const many = fitCorrection(steep.filter((_, i) => i % 5 === 0), { priorSd: 0.004 });
    expect(many.kind).toBe('level+slope');
    expect(many.slope).toBeGreaterThan(1.6);
    expect(many.slope).toBeLessThan(2.4);
    const flat = fitCorrection(measured(5, 0.02, 1, 0.004).filter((_, i) => i % 5 === 0), { priorSd: 0.004 });
    expect(flat.slopeTest?.used).toBe(false);
    expect(flat.slopeTest?.reason).toMatch(/not significantly different from 1/);
  });

  it('widens the interval by the correction’s own uncertainty: fewer points, wider', () => {
    const pts = measured(6, 0.02);
    const w2 = correctedHalfWidth(fitCorrection(pts.slice(0, 2), { priorSd: 0.005 }), 0.43);
    const w16 = correctedHalfWidth(fitCorrection(pts.slice(0, 16), { priorSd: 0.005 }), 0.43);
    expect(w2).toBeGreaterThan(w16);
    const c = fitCorrection(pts.slice(0, 8), { priorSd: 0.005 });
    // With a calibrated half-width for the point, the correction's SE is added in quadrature.
    expect(correctedHalfWidth(c, 0.43, 0.9, 0.01)).toBeGreaterThan(0.01);
    expect(correctedHalfWidth(c, 0.43, 0.9, 0.01)).toBeLessThan(0.01 + correctedHalfWidth(c, 0.43, 0.9, 0));
  });
});

describe('expectedMaeByK (held-out curve)', () => {
  it('on a biased model the held-out MAE falls with K, below the uncorrected MAE, with honest intervals', () => {
    const pts = measured(7, 0.02);
    const curve = expectedMaeByK(pts, { ks: STANDARD_KS, draws: 10, seed: 3, priorSd: 0.005 });
    const at = (k: number) => curve.rows.find((r) => r.k === k)!;
    expect(at(0).mae).toBeCloseTo(at(0).uncorrectedMae, 12);
    expect(at(0).uncorrectedMae).toBeGreaterThan(0.018);
    expect(at(8).mae).toBeLessThan(0.006);
    expect(at(8).mae).toBeLessThan(at(8).uncorrectedMae / 3);
    expect(at(16).mae).toBeLessThanOrEqual(at(2).mae + 1e-4);
    for (const r of curve.rows.filter((r) => r.k >= 4)) {
      expect(r.coverage).toBeGreaterThan(0.8);
      expect(r.coverage).toBeLessThanOrEqual(1);
    }
    // Same seed, same curve; another seed, other draws.
    expect(expectedMaeByK(pts, { ks: [8], draws: 10, seed: 3, priorSd: 0.005 }).rows[0]).toEqual(at(8));
    expect(expectedMaeByK(pts, { ks: [8], draws: 10, seed: 4, priorSd: 0.005, selection: 'random' }).rows[0].mae).not.toBe(at(8).mae);
  });

  it('carries its floors: the best level and the best level + slope fitted to all readings (in-sample)', () => {
    // a compressing model (gain 2): the level alone cannot remove its error, level + slope can (to the noise)
    const pts = measured(11, -0.01, 2, 0.002);
    const curve = expectedMaeByK(pts, { ks: [0, 8], draws: 4, seed: 2, priorSd: 0.005 });
    expect(curve.floor).toEqual(curveFloor(pts));
    expect(curve.floor.points).toBe(85);
    const d = pts.reduce((a, p) => a + p.reading - p.predicted, 0) / pts.length;
    expect(curve.floor.level).toBeCloseTo(pts.reduce((a, p) => a + Math.abs(p.predicted + d - p.reading), 0) / pts.length, 12);
    // least squares minimises squares, not absolutes: the slope's floor is lower here by a clear margin
    expect(curve.floor.levelSlope).toBeLessThan(0.8 * curve.floor.level);
    expect(curve.floor.levelSlope).toBeGreaterThan(0.001); // the analyser noise (sd 0.002) stays
    // a floor is a floor: the held-out K = 8 curve does not pass it
    expect(curve.rows[1].mae).toBeGreaterThan(curve.floor.levelSlope);
  });

  it('puts the no-model baseline beside each K: the mean of the K readings taken at every other point', () => {
    // Four readings 0.40, 0.42, 0.44, 0.46; K = 2: the six pairs' means score 0.04, 0.02, 0.01, 0.03, 0.02, 0.04 on
    // the other two points — random draws average (0.04 + 0.02 + 0.01 + 0.03 + 0.02 + 0.04) / 6 = 0.02667.
    const four = [0.4, 0.42, 0.44, 0.46].map((reading, i): MeasuredPoint => ({ label: `P${i}`, xMm: 10 * i, yMm: 0, predicted: 0.5, reading }));
    const one = expectedMaeByK(four, { ks: [0, 2], draws: 1, seed: 5, priorSd: 0.005, selection: 'random' });
    expect(one.rows[0].readingsMeanMae).toBeUndefined(); // K = 0: no readings, no baseline
    expect([0.01, 0.02, 0.03, 0.04].some((v) => Math.abs(one.rows[1].readingsMeanMae! - v) < 1e-12)).toBe(true);
    const many = expectedMaeByK(four, { ks: [2], draws: 3000, seed: 5, priorSd: 0.005, selection: 'random' });
    expect(many.rows[0].readingsMeanMae!).toBeCloseTo(0.16 / 6, 2.5);
    // on a biased model the corrected model beats both baselines at K = 8
    const at8 = expectedMaeByK(measured(7, 0.02), { ks: [8], draws: 10, seed: 3, priorSd: 0.005 }).rows[0];
    expect(at8.mae).toBeLessThan(at8.readingsMeanMae! / 2);
  });

  it('refuses a K that leaves fewer than two points to score', () => {
    expect(() => expectedMaeByK(measured(1, 0).slice(0, 10), { ks: [9], draws: 1, seed: 1, priorSd: 0.005 })).toThrow(/K 9 must be/);
  });
});
