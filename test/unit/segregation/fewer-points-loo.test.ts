import { describe, expect, it } from 'vitest';
import { curveApplicability, expectedMaeByK, fitKrigedCorrection, krigedValue, leaveOneOut, looRatioSpread, proposePoints, pureNugget, tQuantile, DEFAULT_VALUE_WEIGHT, OWN_CHECK_MIN_DRAWS, OWN_CHECK_Z, type PlacedPair, type ResidualVariogram } from '../../../core/segregation/fewer-points/index.js';
import { deriveSeed } from '../../../core/runtime/random.js';
import { ownCheck } from '../../../core/services/fewer-points/own-check.js';
import { correctionGuard, curveRange } from '../../../core/services/fewer-points/curve-guard.js';
import type { KCurveResult } from '../../../core/api/methods/fewer-points.js';

/**
 * Task 20-C: the billet's own check — each of the K analysed readings left out in turn, the workflow's correction
 * refitted on the other K − 1, the reading predicted. Its MAE is held-out on this billet's own readings.
 */
const PAIRS: PlacedPair[] = [
  { xMm: -100, yMm: 0, predicted: 0.420, reading: 0.405 },
  { xMm: 0, yMm: 80, predicted: 0.432, reading: 0.414 },
  { xMm: 90, yMm: -30, predicted: 0.445, reading: 0.431 },
  { xMm: 20, yMm: -120, predicted: 0.411, reading: 0.402 },
];
const PRIOR_SD = 0.006;

describe('leaveOneOut', () => {
  it('equals a hand refit of the level correction on the other K − 1 readings (no spatial structure)', () => {
    const loo = leaveOneOut(PAIRS, pureNugget(1, 'none'), { priorSd: PRIOR_SD })!;
    // by hand: the level of the other three, shrunk by positive-part James–Stein with the residual sd pooled with
    // the prior (2 df), as core/segregation/fewer-points/correct.ts does; no slope below 8 readings
    const hand = PAIRS.map((left, i) => {
      const rest = PAIRS.filter((_, j) => j !== i);
      const k = rest.length;
      const d = rest.map((p) => p.reading - p.predicted);
      const offset = d.reduce((a, v) => a + v, 0) / k;
      const ss = d.reduce((a, v) => a + (v - offset) ** 2, 0);
      const s2 = (ss + 2 * PRIOR_SD ** 2) / (k - 1 + 2);
      const w = Math.max(0, 1 - s2 / k / offset ** 2);
      const predicted = left.predicted + w * offset;
      const halfWidth = tQuantile(0.95, k - 1 + 2) * Math.sqrt(s2 + s2 / k);
      return { error: left.reading - predicted, halfWidth };
    });
    expect(loo.n).toBe(4);
    expect(loo.fitPoints).toBe(3);
    for (const [i, p] of loo.points.entries()) {
      expect(p.error).toBeCloseTo(hand[i].error, 12);
      expect(p.halfWidth).toBeCloseTo(hand[i].halfWidth, 12);
    }
    const mae = hand.reduce((a, h) => a + Math.abs(h.error), 0) / 4;
    expect(loo.mae).toBeCloseTo(mae, 12);
    expect(loo.mae).toBeGreaterThan(0.001); // the readings sit ≈ 0.013 below the predictions, unevenly: not a zero check
    expect(loo.bias).toBeCloseTo(hand.reduce((a, h) => a + h.error, 0) / 4, 12);
    expect(loo.coverage).toBe(hand.filter((h) => Math.abs(h.error) <= h.halfWidth).length / 4);
  });

  it('with residual kriging: each point predicted by the kriged correction of the others, never of itself', () => {
    const vg: ResidualVariogram = { ...pureNugget(1, 'test'), structuredShare: 0.6, lengthScaleMm: 150 };
    const loo = leaveOneOut(PAIRS, vg, { priorSd: PRIOR_SD })!;
    for (const [i, left] of PAIRS.entries()) {
      const kc = fitKrigedCorrection(PAIRS.filter((_, j) => j !== i), vg, { priorSd: PRIOR_SD });
      expect(loo.points[i].predicted).toBeCloseTo(krigedValue(kc, left.predicted, left.xMm, left.yMm).value, 12);
    }
    // kriging on all four would pull each point towards its own reading: its in-sample error is smaller
    const all = fitKrigedCorrection(PAIRS, vg, { priorSd: PRIOR_SD });
    const inSample = PAIRS.reduce((a, p) => a + Math.abs(p.reading - krigedValue(all, p.predicted, p.xMm, p.yMm).value), 0) / 4;
    expect(loo.mae).toBeGreaterThan(inSample);
  });

  it('the spread it is quoted with is the one measured at the largest K not above it', () => {
    expect([2, 4, 7, 8, 15, 16, 40].map((k) => looRatioSpread(k).k)).toEqual([4, 4, 4, 8, 8, 16, 16]);
  });

  it('needs two readings', () => {
    expect(leaveOneOut(PAIRS.slice(0, 1), pureNugget(1, 'none'), { priorSd: PRIOR_SD })).toBeNull();
    expect(leaveOneOut(PAIRS.slice(0, 2), pureNugget(1, 'none'), { priorSd: PRIOR_SD })!.fitPoints).toBe(1);
  });
});

describe('ownCheck (the service: words, and the curve beside it at K − 1)', () => {
  const RANGE = { min: 0.388, max: 0.492 };
  const readings = PAIRS.map((p) => p.reading);
  const curve = (over: Partial<KCurveResult> = {}): KCurveResult => ({
    id: 7, billetId: 5, modelId: 1, modelName: 'm', seed: 1, draws: 20, selection: 'proposed', method: 'level-slope', level: 0.9, points: 85, sample: 'out-of-sample',
    rows: [0, 2, 4, 8].map((k) => ({ k, draws: k ? 20 : 1, mae: 0.009 - k * 0.0002, maeSd: 0, maeMin: 0, maeMax: 0, uncorrectedMae: 0.009, coverage: 0.9, meanHalfWidth: 0.01, slopeShare: 0 })),
    floor: { points: 85, level: 0.007, levelSlope: 0.007, offset: -0.012 },
    range: curveRange(readings, RANGE),
    createdAt: '2026-11-30T00:00:00Z',
    ...over,
  });
  const labels = PAIRS.map((_, i) => `P${i + 1}`);
  const loo = leaveOneOut(PAIRS, pureNugget(1, 'none'), { priorSd: PRIOR_SD })!;
  const guardOf = (curves: KCurveResult[], looMae: number | null = null, pairs = PAIRS) =>
    correctionGuard({ readings: pairs.map((p) => p.reading), corrected: readings, offset: -0.014, residualSd: 0.006, range: RANGE, curves, method: 'level-slope', looMae });

  it('says the LOO MAE with its labels, and beside it the guard\'s curve at K − 1 (not at K)', () => {
    const guard = guardOf([curve()]);
    expect(guard.expected).toMatchObject({ k: 4, curveId: 7 });
    const c = ownCheck({ loo, labels, level: 0.9, guard, curves: [curve()] });
    expect(c.mae).toBeCloseTo(loo.mae, 12);
    expect(c.points.map((p) => p.label)).toEqual(['P1', 'P2', 'P3', 'P4']);
    expect(c.curveAtFitPoints).toEqual({ k: 2, mae: 0.009 - 2 * 0.0002, curveId: 7, billetId: 5 });
    expect(c.words.map((w) => w.code)).toEqual(['fewerCheck.loo', 'fewerCheck.coverage', 'fewerCheck.pessimistic', 'fewerCheck.beside']);
    // what the K readings are to the model is said (task 27-G); none given here: held-out
    expect(c.english).toContain(`This billet's own check: MAE ${loo.mae.toFixed(4)} wt.% on this billet's own readings, each left out of the correction in turn (leave-one-out, K−1 points); to the model these readings are held-out: points of a training image that the model's training held out. Each of the 4 analysed readings is predicted by the same correction refitted on the other 3.`);
    expect(c.english).toContain('It is the error of a correction with 3 readings, not 4: slightly pessimistic');
    // the spread measured at the K it was measured at (bench/fewer-points-loo.ts): K = 4 here
    expect(c.english).toContain('on the synthetic test billets at K = 4, one billet\'s figure lay between 0.31 and 2.26 times the MAE');
    expect(c.english).toContain("Beside it, the K-curve's expected MAE with K = 2 analysed points: 0.0086 wt.% (K-curve 7 on billet 5).");
  });

  it('without an expected MAE from the guard, the LOO figure stands alone; below two readings it says why there is none', () => {
    const none = ownCheck({ loo, labels, level: 0.9, guard: guardOf([]), curves: [] });
    expect(none.curveAtFitPoints).toBeNull();
    expect(none.words.map((w) => w.code)).not.toContain('fewerCheck.beside');
    const one = ownCheck({ loo: null, labels: ['P1'], level: 0.9, guard: guardOf([curve()]), curves: [curve()] });
    expect(one).toMatchObject({ n: 1, mae: null, points: [] });
    expect(one.english).toBe('No check on this billet\'s own readings: leave-one-out needs at least 2 analysed readings (1 here).');
  });

  // the third sign: the billet's own LOO MAE against the reference curve's own LOO at K, + OWN_CHECK_Z of its sd
  const withLoo = (looMae: number, looMaeSd: number, draws = 20) => curve({ rows: curve().rows.map((r) => (r.k >= 2 ? { ...r, draws: r.k ? draws : 1, looMae, looMaeSd } : r)) });

  it('the guard\'s third sign trips on a billet whose own check is far above the curve billet\'s, with its own lead sentence', () => {
    const ref = withLoo(0.0075, 0.0012);
    const limit = 0.0075 + OWN_CHECK_Z * 0.0012;
    const bad = guardOf([ref], limit + 0.0003);
    expect(bad).toMatchObject({ applies: false, outsideRange: false, levelShift: false, ownCheckHigh: true, expected: null });
    expect(bad.ownCheckReference).toEqual({ k: 4, looMae: 0.0075, looMaeSd: 0.0012, draws: 20, curveId: 7, billetId: 5, limit });
    expect(bad.words.map((w) => w.code)).toEqual(['fewerCheck.notApply', 'fewerGuard.outside', 'fewerCheck.high', 'fewerCheck.advice']);
    expect(bad.english).toContain(`same check on the billet of K-curve 7 (billet 5, K = 4) gave 0.0075 ± 0.0012 wt.% over 20 draws, and the limit is ${limit.toFixed(4)} wt.% (3.09 sd above)`);
    // and the own check then has no expected MAE beside it
    expect(ownCheck({ loo, labels, level: 0.9, guard: bad, curves: [ref] }).curveAtFitPoints).toBeNull();
  });

  it('…and not on a billet whose own check is within the limit, nor without a reference that recorded it', () => {
    const ref = withLoo(0.0075, 0.0012);
    const good = guardOf([ref], 0.0075 + OWN_CHECK_Z * 0.0012 - 0.0003);
    expect(good).toMatchObject({ applies: true, ownCheckHigh: false });
    expect(good.ownCheckReference!.k).toBe(4);
    expect(good.words.map((w) => w.code)).toEqual(['fewerGuard.applies', 'fewerGuard.outside']);
    // a curve measured before the LOO was recorded: not tested, and said so; too few draws: not tested either
    const old = guardOf([curve()], 0.05);
    expect(old).toMatchObject({ applies: true, ownCheckHigh: false, ownCheckReference: null });
    expect(old.words.map((w) => w.code)).toContain('fewerCheck.notTested');
    const few = guardOf([withLoo(0.0075, 0.0012, OWN_CHECK_MIN_DRAWS - 1)], 0.05);
    expect(few).toMatchObject({ applies: true, ownCheckReference: null });
    expect(few.english).toContain(`its ${OWN_CHECK_MIN_DRAWS - 1} draws are too few to measure the spread of the check (at least ${OWN_CHECK_MIN_DRAWS})`);
    // no LOO (K < 2): nothing tested, nothing said
    expect(guardOf([ref], null).words.map((w) => w.code)).toEqual(['fewerGuard.applies', 'fewerGuard.outside']);
  });

  it('compares like with like only: a curve of another method or of random points, a spread of 0, no row at or below K — not tested, each said truly', () => {
    const bad = 0.05; // far above any limit: only a missing reference keeps it from tripping
    const kriged = guardOf([withLoo(0.0075, 0.0012)].map((c) => ({ ...c, method: 'residual-kriging' as const })), bad);
    expect(kriged).toMatchObject({ applies: true, ownCheckHigh: false, ownCheckReference: null });
    expect(kriged.words.map((w) => w.code)).toContain('fewerCheck.otherMethod');
    const random = guardOf([{ ...withLoo(0.0075, 0.0012), selection: 'random' as const }], bad);
    expect(random).toMatchObject({ ownCheckHigh: false, ownCheckReference: null });
    expect(random.english).toContain('measured with another correction or on random points');
    // a spread of 0 would make the limit the mean itself
    const flat = guardOf([withLoo(0.0075, 0)], bad);
    expect(flat).toMatchObject({ ownCheckHigh: false, ownCheckReference: null });
    expect(flat.words.map((w) => w.code)).toContain('fewerCheck.noRow');
    // the curve recorded the check, but only above this K (rows 0 and 8 here, K = 4): not "measured before"
    const high = curve({ rows: [0, 8].map((k) => ({ k, draws: k ? 20 : 1, mae: 0.008, maeSd: 0, maeMin: 0, maeMax: 0, uncorrectedMae: 0.009, coverage: 0.9, meanHalfWidth: 0.01, slopeShare: 0, ...(k ? { looMae: 0.0075, looMaeSd: 0.0012 } : {}) })) });
    const above = guardOf([high], bad);
    expect(above.words.map((w) => w.code)).toContain('fewerCheck.noRow');
    expect(above.english).toContain('the curve has no row at K ≤ 4 with a measured spread of the check');
    expect(above.words.map((w) => w.code)).not.toContain('fewerCheck.notTested');
  });

  it('says when the correction used a slope that no refit on K − 1 readings could fit', () => {
    const guard = guardOf([curve()]);
    expect(ownCheck({ loo, labels, level: 0.9, guard, curves: [curve()], trend: 'level+slope' }).words.map((w) => w.code)).toContain('fewerCheck.noSlope');
    expect(ownCheck({ loo, labels, level: 0.9, guard, curves: [curve()], trend: 'level' }).words.map((w) => w.code)).not.toContain('fewerCheck.noSlope');
  });

  it('curveApplicability: the limit is reference + z·sd; the range and the shift still lead when they trip too', () => {
    const base = { readings, corrected: [], trainingRange: RANGE, offset: -0.001, residualSd: 0.006, referenceShifts: [0.001] };
    expect(curveApplicability({ ...base, ownCheck: { looMae: 0.011, referenceMae: 0.007, referenceSd: 0.001 } })).toMatchObject({ applies: false, ownCheckHigh: true, ownCheckLimit: 0.007 + OWN_CHECK_Z * 0.001 });
    expect(curveApplicability({ ...base, ownCheck: { looMae: 0.0099, referenceMae: 0.007, referenceSd: 0.001 } })).toMatchObject({ applies: true, ownCheckHigh: false });
    expect(curveApplicability(base)).toMatchObject({ ownCheckHigh: false, ownCheckLimit: null });
    const shifted = guardOf([withLoo(0.0075, 0.0012)], 0.05, PAIRS.map((p) => ({ ...p, reading: p.reading - 0.1 })));
    expect(shifted.words[0].code).toBe('fewerGuard.notApply');
  });
});

describe('the K-curve records its billet\'s own check per K (the third sign\'s reference)', () => {
  it('looMae is the mean over the draws of the LOO MAE of the points each draw proposed', () => {
    const pts = Array.from({ length: 30 }, (_, i) => {
      const x = -150 + (i % 6) * 60, y = -120 + Math.floor(i / 6) * 60;
      const truth = 0.42 + 0.0001 * x - 0.00005 * y;
      return { label: `Q${i}`, xMm: x, yMm: y, predicted: truth + 0.01 + 0.004 * Math.sin(i * 1.7), reading: truth + 0.003 * Math.cos(i * 2.3) };
    });
    const opts = { ks: [0, 1, 4], draws: 3, seed: 9, priorSd: PRIOR_SD };
    const c = expectedMaeByK(pts, opts);
    expect(c.rows[0].looMae).toBeUndefined();
    expect(c.rows[1].looMae).toBeUndefined();
    const per = [0, 1, 2].map((d) => {
      const chosen = proposePoints(pts, { k: 4, seed: deriveSeed(9, d), widths: null, values: pts.map((p) => p.predicted), valueWeight: DEFAULT_VALUE_WEIGHT }).indices;
      return leaveOneOut(chosen.map((i) => pts[i]), pureNugget(1, 'none'), { priorSd: PRIOR_SD })!.mae;
    });
    const m = per.reduce((a, b) => a + b, 0) / 3;
    expect(c.rows[2].looMae).toBeCloseTo(m, 12);
    expect(c.rows[2].looMaeSd).toBeCloseTo(Math.sqrt(per.reduce((a, b) => a + (b - m) ** 2, 0) / 2), 12);
    expect(c.rows[2].looMae).toBeGreaterThan(0.001);
  });
});
