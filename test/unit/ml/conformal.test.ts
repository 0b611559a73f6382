import { describe, it, expect } from 'vitest';
import { conformalRank, conformalQuantile, minCalibrationPoints, calibrateIntervals, measureCoverage, intervalFor, coverageWords, coveragePhrase, measureRefitCoverage, refitCoverageShort, TooFewCalibrationPointsError, type HeldOutResidual } from '../../../core/ml/conformal.js';
import { calibrateFromSplits, modelCalibration, splitResiduals } from '../../../core/segregation/cnn/calibration.js';
import { createRng } from '../../../core/runtime/random.js';
import { randomPointSplits } from '../../../core/segregation/cnn/splits.js';
import { english } from '../../../core/runtime/english.js';

const range = (n: number, f: (i: number) => number = (i) => i + 1) => Array.from({ length: n }, (_, i) => f(i));

describe('split-conformal quantile (finite-sample ⌈(n+1)(1−α)⌉-th smallest score)', () => {
  it('ranks by hand: n = 19 → 18th, n = 85 → 78th, n = 9 → 9th, n = 8 → none at α = 0.1', () => {
    expect(conformalRank(19, 0.1)).toBe(18); // 20 · 0.9 = 18 exactly: not rounded up to 19
    expect(conformalRank(85, 0.1)).toBe(78); // ⌈86 · 0.9⌉ = ⌈77.4⌉
    expect(conformalRank(9, 0.1)).toBe(9);
    expect(conformalRank(8, 0.1)).toBeNull();
    expect(conformalRank(99, 0.05)).toBe(95);
    expect(minCalibrationPoints(0.1)).toBe(9);
    expect(minCalibrationPoints(0.05)).toBe(19);
    expect(() => conformalRank(10, 0)).toThrow(/alpha/);
  });

  it('picks that order statistic from unsorted scores; Infinity when too few', () => {
    const scores = range(19).reverse(); // 19 … 1
    expect(conformalQuantile(scores, 0.1)).toBe(18);
    expect(conformalQuantile(range(85, (i) => (i + 1) / 1000), 0.1)).toBeCloseTo(0.078, 12);
    expect(conformalQuantile(range(8), 0.1)).toBe(Number.POSITIVE_INFINITY);
    expect(() => conformalQuantile([1, -1], 0.1)).toThrow(/≥ 0/);
  });
});

describe('intervals and their measured coverage', () => {
  // Two splits of 10 held-out points each; split 0's errors are 0.001 … 0.010, split 1's 0.0005 … 0.0095 plus one 0.05 outlier.
  const known: HeldOutResidual[] = [
    ...range(10, (i) => i).map((i) => ({ group: 0, point: `a${i}`, actual: 0.4, predicted: 0.4 + (i + 1) / 1000, sd: 0.001 })),
    ...range(10, (i) => i).map((i) => ({ group: 1, point: `b${i}`, actual: 0.4, predicted: 0.4 - (i === 9 ? 0.05 : (i + 0.5) / 1000), sd: 0.001 })),
  ];

  it('absolute method: quantile, interval, leave-one-split-out coverage by hand', () => {
    const c = calibrateIntervals(known);
    // n = 20, rank ⌈21 · 0.9⌉ = 19; sorted |errors|: 0.0005, 0.001, …, 0.0095, 0.010, 0.05 → 19th = 0.010
    expect(c.n).toBe(20);
    expect(c.quantile).toBeCloseTo(0.01, 12);
    expect(c.scale).toBeNull();
    // split 1 calibrated on split 0 alone (n = 10 → rank 10 → 0.010): 9 of its 10 inside (the outlier is not);
    // split 0 on split 1 (rank 10 → 0.05): all 10 inside → 19 / 20
    expect(c.coverageProtocol).toBe('leave-one-split-out');
    expect(c.coverageN).toBe(20);
    expect(c.measuredCoverage).toBeCloseTo(19 / 20, 12);
    const iv = intervalFor(0.45, c);
    expect(iv.lo).toBeCloseTo(0.44, 12);
    expect(iv.hi).toBeCloseTo(0.46, 12);
    expect(c.meanHalfWidth).toBeCloseTo(0.01, 12);
    expect(coverageWords(c)).toBe('90 % interval, measured coverage 0.95 on 20 held-out points');
  });

  it("says when the stored refit model does not meet the interval on its own training points", () => {
    // A short training (compact, 6 epochs, seed 13) gave split models covered 0.94 held-out, while the refit stored on all
    // 85 points missed the same ± on a quarter of its own training points (bias −0.0063 wt.%): every prediction carried
    // "90 % interval, measured coverage 0.94" with an interval too narrow for the model that made it.
    const c = calibrateIntervals(known); // ± 0.010
    const own = (errors: number[]) => errors.map((e) => ({ actual: 0.4, mean: 0.4 + e, sd: 0.001 }));
    const short = measureRefitCoverage(own([0.002, -0.004, 0.012, -0.015, 0.003, 0.001, 0.02, -0.001]), c);
    expect(short).toEqual({ coverage: 5 / 8, n: 8 });
    const flagged = { ...c, refitCoverage: short };
    expect(coverageWords(flagged)).toBe('90 % interval, measured coverage 0.95 on 20 held-out points — but the stored model, refitted on all points, covers only 0.63 of its own 8 training points with it: its intervals are too narrow for it (train it longer, or without the final refit)');
    expect(coveragePhrase(flagged)).toMatchObject({ code: 'refitInterval.short', params: { nominal: 90, heldOut: { code: 'interval.heldOut.points', params: { n: 20 } }, refitN: 8 } });
    // a refit that meets the interval on its own points reads as before
    const fine = { ...c, refitCoverage: measureRefitCoverage(own([0.002, -0.004, 0.009, 0.003, 0.001, -0.001, 0.0, 0.005, 0.004, 0.012]), c) };
    expect(fine.refitCoverage).toEqual({ coverage: 0.9, n: 10 });
    expect(coverageWords(fine)).toBe('90 % interval, measured coverage 0.95 on 20 held-out points');
    expect(coveragePhrase(fine).code).toBe('interval.measured');
  });

  it('flags a refit short of its interval only beyond binomial sampling (one-sided 5 %)', () => {
    // 0.89 of 76 at 90 % is one point from nominal: an exactly right interval does that half the time, yet it was flagged
    // "too narrow". The flag now needs coverage below 0.9 − 1.645 · sqrt(0.9 · 0.1 / 76) = 0.8434.
    const c = calibrateIntervals(known);
    const on76 = (inside: number) => ({ ...c, refitCoverage: { coverage: inside / 76, n: 76 } });
    for (const inside of [68, 65]) {
      expect(refitCoverageShort(on76(inside))).toBe(false);
      expect(coverageWords(on76(inside))).toBe('90 % interval, measured coverage 0.95 on 20 held-out points');
    }
    expect(refitCoverageShort(on76(64))).toBe(true);
    expect(coveragePhrase(on76(64))).toMatchObject({ code: 'refitInterval.short', params: { refitN: 76 } });
    expect(coverageWords(on76(64))).toMatch(/covers only 0\.84 of its own 76 training points/);
    // the margin shrinks with n: 0.88 of 1000 is short (threshold 0.8844), 0.89 of 1000 is not
    expect(refitCoverageShort({ ...c, refitCoverage: { coverage: 0.88, n: 1000 } })).toBe(true);
    expect(refitCoverageShort({ ...c, refitCoverage: { coverage: 0.89, n: 1000 } })).toBe(false);
  });

  it('a point held out by two splits is never in its own calibration set', () => {
    // the same point p0 in both splits with a huge error: calibrating split 1 on split 0 must drop p0
    const res: HeldOutResidual[] = [
      ...range(10, (i) => i).map((i) => ({ group: 0, point: `p${i}`, actual: 0, predicted: i === 0 ? 1 : 0.001, sd: 0 })),
      ...range(10, (i) => i).map((i) => ({ group: 1, point: `p${i === 0 ? 0 : 100 + i}`, actual: 0, predicted: i === 0 ? 1 : 0.001, sd: 0 })),
    ];
    // without the exclusion, split 1's quantile over split 0 (10 values, rank 10) would be 1 and cover p0
    const m = measureCoverage(res, 'split-conformal-absolute', 0.1);
    // each split: 9 others left in calibration → rank ⌈10 · 0.9⌉ = 9 → 0.001 → p0 is outside in both
    expect(m.n).toBe(20);
    expect(m.coverage).toBeCloseTo(18 / 20, 12);
  });

  it('normalised method: width scales with γ + TTA sd; refuses an interval without the sd', () => {
    const c = calibrateIntervals(known, { method: 'split-conformal-normalised-tta' });
    expect(c.scale).toBeCloseTo(0.001, 12); // median sd
    // scores |e| / (0.001 + 0.001): 19th smallest = 0.010 / 0.002 = 5
    expect(c.quantile).toBeCloseTo(5, 9);
    expect(intervalFor(0.4, c, 0.003).halfWidth).toBeCloseTo(5 * 0.004, 12);
    expect(() => intervalFor(0.4, c)).toThrow(/TTA sd/);
  });

  it('refuses calibration from fewer than 9 residuals at 90 %', () => {
    expect(() => calibrateIntervals(known.slice(0, 8))).toThrow(TooFewCalibrationPointsError);
    expect(calibrateFromSplits([{ testPoints: range(8, (i) => i).map((i) => ({ billetId: 1, label: `P${i}`, actual: 0.4, mean: 0.41, sd: 0.001 })) }])).toBeNull();
  });

  it('one split: leave-one-point-out coverage', () => {
    const c = calibrateIntervals(known.filter((r) => r.group === 0));
    expect(c.coverageProtocol).toBe('leave-one-point-out');
    // each of 10 scored against the other 9 (rank 9 = the largest of them): the largest error (0.010) is not covered
    expect(c.coverageN).toBe(10);
    expect(c.measuredCoverage).toBeCloseTo(0.9, 12);
  });

  it('exchangeable heteroscedastic residuals: both methods cover 0.87–0.93 over 5 splits × 200 points; normalised is narrower where sd is small', () => {
    const rng = createRng(11);
    const res: HeldOutResidual[] = [];
    for (let g = 0; g < 5; g++) {
      for (let i = 0; i < 200; i++) {
        const sd = 0.001 + 0.004 * rng.next();
        res.push({ group: g, point: `${g}/${i}`, actual: 0.4 + rng.normal() * 1.5 * sd, predicted: 0.4, sd });
      }
    }
    const abs = calibrateIntervals(res);
    const norm = calibrateIntervals(res, { method: 'split-conformal-normalised-tta' });
    for (const c of [abs, norm]) {
      expect(c.measuredCoverage!).toBeGreaterThan(0.87);
      expect(c.measuredCoverage!).toBeLessThan(0.93);
    }
    expect(intervalFor(0.4, norm, 0.001).halfWidth).toBeLessThan(intervalFor(0.4, abs).halfWidth);
    expect(intervalFor(0.4, norm, 0.005).halfWidth).toBeGreaterThan(intervalFor(0.4, abs).halfWidth);
  });
});

describe("a model's calibration from its stored splits", () => {
  const split = (labels: string[], err: number) => ({ testPoints: labels.map((label, i) => ({ billetId: 3, label, actual: 0.4, mean: 0.4 + err * (i + 1), sd: 0.002 })) });
  it('names a point by billet and label; derives the calibration of a model stored without one', () => {
    const splits = [split(range(9, (i) => i).map((i) => `P${i}`), 0.001), split(range(9, (i) => i).map((i) => `P${i + 5}`), 0.001)];
    expect(splitResiduals(splits).map((r) => r.point).slice(0, 2)).toEqual(['3/P0', '3/P1']);
    const derived = modelCalibration({ splits });
    expect(derived).toEqual(calibrateFromSplits(splits));
    expect(derived!.n).toBe(18);
    expect(modelCalibration({ splits, calibration: null })).toBeNull(); // stored as "too few": kept
    expect(modelCalibration(null)).toBeNull();
  });
});

describe('held-out residuals are not points: random splits hold some points out more than once (task 27-H #2)', () => {
  // the splits `segregation train --splits 3` makes on 85 points: 3 × 17 test points, drawn independently per split
  const splits = randomPointSplits(85, 3, 42);
  const res: HeldOutResidual[] = splits.flatMap((s, g) => s.test.map((i) => ({ group: g, point: `P${i + 1}`, actual: 0.43 + 0.001 * ((i * 7) % 13), predicted: 0.43 + 0.001 * ((i * 5) % 11), sd: 0.001 })));
  const distinct = new Set(res.map((r) => r.point)).size;

  it('says "51 held-out residuals of N points", N the distinct points, not "51 held-out points"', () => {
    expect(res.length).toBe(51);
    expect(distinct).toBeLessThan(51);
    const cal = calibrateIntervals(res);
    expect(cal.n).toBe(51);
    expect(cal.points).toBe(distinct);
    // every fold had enough calibration residuals: the coverage was measured on all 51, of the same points
    expect(cal.coverageN).toBe(51);
    expect(cal.coveragePoints).toBe(distinct);
    // had read "90 % interval, measured coverage 0.xx on 51 held-out points"
    expect(coverageWords(cal)).not.toContain('on 51 held-out points');
    expect(coverageWords(cal)).toBe(`90 % interval, measured coverage ${cal.measuredCoverage!.toFixed(2)} on 51 held-out residuals of ${distinct} points (random splits hold some points out more than once; each residual counts)`);
    expect(english(coveragePhrase({ ...cal, refitCoverage: { coverage: 0.72, n: 76 } }))).toContain(`on 51 held-out residuals of ${distinct} points`);
    // points each held out once keep their plain words
    const once = calibrateIntervals(res.filter((r, i) => res.findIndex((q) => q.point === r.point) === i));
    expect(coverageWords(once)).toMatch(new RegExp(`on ${distinct} held-out points$`));
  });

  it('a calibration stored before its points were recorded gets them from the stored split test points, else says residuals', () => {
    const stored = calibrateIntervals(res);
    const { points: _p, coveragePoints: _c, ...old } = stored;
    const testPoints = (g: number) => res.filter((r) => r.group === g).map((r) => ({ billetId: 3, label: r.point, actual: r.actual, mean: r.predicted, sd: r.sd }));
    const derived = modelCalibration({ splits: [0, 1, 2].map((g) => ({ testPoints: testPoints(g) })), calibration: old });
    expect(derived).toEqual(stored);
    // split test points not stored (or not the residuals counted): words of residuals alone
    const bare = modelCalibration({ splits: [], calibration: old })!;
    expect(bare.points).toBeUndefined();
    expect(coverageWords(bare)).toBe(`90 % interval, measured coverage ${stored.measuredCoverage!.toFixed(2)} on 51 held-out residuals`);
  });
});
