import { describe, expect, it } from 'vitest';
import { pooledRepeatability, repeatabilityUpperEnd, replicateStats, REPEATABILITY_MIN_DF } from '../../../core/segregation/index.js';

const summary = (values: number[]) => {
  const s = replicateStats(values);
  return { n: s.n, sdWtPct: s.sd };
};

describe('analyser repeatability from a billet’s own replicates', () => {
  it('pools the within-point sd over points read at least twice, with df = Σ(n − 1); single readings add nothing', () => {
    // P01: 0.40, 0.42 (SS 0.0002, df 1); P02: 0.50, 0.52, 0.54 (SS 0.0008, df 2); P03 read once; P04: 0.61, 0.61 (SS 0, df 1)
    const rep = pooledRepeatability([summary([0.4, 0.42]), summary([0.5, 0.52, 0.54]), summary([0.7]), summary([0.61, 0.61])]);
    expect(rep).not.toBeNull();
    expect(rep!.df).toBe(4);
    expect(rep!.points).toBe(3);
    // s² = (0.0002 + 0.0008 + 0) / 4 = 0.00025 → s = 0.0158114 wt.%
    expect(rep!.sdWtPct).toBeCloseTo(Math.sqrt(0.00025), 10);
    // the section's gradient between points does not enter: shifting one point's readings leaves s unchanged
    expect(pooledRepeatability([summary([1.4, 1.42]), summary([0.5, 0.52, 0.54]), summary([0.61, 0.61])])!.sdWtPct).toBeCloseTo(Math.sqrt(0.00025), 10);
  });

  it('gives no value without replicates (never an assumed one), and refuses a replicated point without its sd', () => {
    expect(pooledRepeatability([summary([0.4]), summary([0.5])])).toBeNull();
    expect(pooledRepeatability([])).toBeNull();
    expect(() => pooledRepeatability([{ n: 2, sdWtPct: null }])).toThrow(RangeError);
  });

  it('the upper end of a point mean is value + t(0.90, df)·s/√n (n its own readings), and none below 3 degrees of freedom', () => {
    const rep = { sdWtPct: 0.01, df: 3, points: 3 };
    const u = repeatabilityUpperEnd(0.5, rep, 1)!;
    // t(0.90, 3) = 1.6377 (table)
    expect(u.t).toBeCloseTo(1.6377, 3);
    expect(u.halfWidthWtPct).toBeCloseTo(0.016377, 4);
    expect(u.wtPct).toBeCloseTo(0.516377, 4);
    // every point averaged 4 readings: half the width
    expect(repeatabilityUpperEnd(0.5, rep, 4)!.halfWidthWtPct).toBeCloseTo(0.016377 / 2, 4);
    // t(0.90, 10) = 1.3722
    expect(repeatabilityUpperEnd(0.5, { ...rep, df: 10 }, 1)!.halfWidthWtPct).toBeCloseTo(0.013722, 4);
    expect(REPEATABILITY_MIN_DF).toBe(3);
    expect(repeatabilityUpperEnd(0.5, { ...rep, df: 2 }, 1)).toBeNull();
    expect(repeatabilityUpperEnd(0.5, null, 1)).toBeNull();
    expect(() => repeatabilityUpperEnd(0.5, rep, 0)).toThrow(RangeError);
    // No repeatability: null, not a throw, even when there is no finite max to bound.
    expect(repeatabilityUpperEnd(Number.NaN, null, 1)).toBeNull();
    expect(repeatabilityUpperEnd(Number.NEGATIVE_INFINITY, { sdWtPct: 0.01, df: 2, points: 2 }, 1)).toBeNull();
    expect(() => repeatabilityUpperEnd(Number.NaN, { sdWtPct: 0.01, df: 3, points: 3 }, 1)).toThrow(RangeError);
  });
});
