import { describe, it, expect } from 'vitest';
import { randomPointSplits, leaveOneBilletOutSplits, finalFitSplit, assertDisjoint } from '../../../core/segregation/cnn/splits.js';
import { pointSamples } from '../../../core/segregation/cnn/dataset.js';

describe('splits by sampling point', () => {
  it('k random splits: no point in two subsets, 20 % test, 10 % of the training points validate, every point used', () => {
    const splits = randomPointSplits(85, 5, 42);
    expect(splits).toHaveLength(5);
    for (const s of splits) {
      const all = [...s.train, ...s.val, ...s.test];
      expect(new Set(all).size).toBe(all.length);
      expect(all.length).toBe(85);
      expect(s.test).toHaveLength(17);
      expect(s.val).toHaveLength(7); // round(68 · 0.1)
      expect(s.train).toHaveLength(61);
      expect(() => assertDisjoint(s)).not.toThrow();
    }
    // Different splits test different points; the same seed gives the same splits.
    expect(splits[0].test).not.toEqual(splits[1].test);
    expect(randomPointSplits(85, 5, 42)).toEqual(splits);
    expect(randomPointSplits(85, 5, 43)[0].test).not.toEqual(splits[0].test);
  });

  it('the 8 augmented copies of a point are generated inside the subset that holds the point', () => {
    const patches = Array.from({ length: 4 }, (_, i) => Uint8Array.from({ length: 16 }, (_, k) => (i * 16 + k) * 3));
    const s = pointSamples(patches, [0.4, 0.5, 0.6, 0.7], 4, 1, { mean: 0.5, scale: 0.1 });
    expect(s.count).toBe(32);
    // Targets come in blocks of 8 per point: no copy of point k can sit next to another point's copies.
    for (let k = 0; k < 4; k++) for (let t = 0; t < 8; t++) expect(s.y[k * 8 + t]).toBeCloseTo((0.4 + 0.1 * k - 0.5) / 0.1, 6);
    // The 8 copies are the 8 distinct dihedral images of the same patch (same pixel multiset).
    const copies = Array.from({ length: 8 }, (_, t) => Array.from(s.x.subarray(t * 16, t * 16 + 16)).join(','));
    expect(new Set(copies).size).toBe(8);
    const sorted = (t: number) => Array.from(s.x.subarray(t * 16, t * 16 + 16)).sort().join(',');
    for (let t = 1; t < 8; t++) expect(sorted(t)).toBe(sorted(0));
  });

  it('leave-one-billet-out: each billet is the test set once and never trains', () => {
    const billetOf = [...Array(10).fill(1), ...Array(12).fill(2), ...Array(8).fill(3)];
    const splits = leaveOneBilletOutSplits(billetOf, new Map([[1, 'A'], [2, 'B'], [3, 'C']]), 7);
    expect(splits.map((s) => s.name)).toEqual(['without A', 'without B', 'without C']);
    splits.forEach((s, k) => {
      expect(s.test.every((i) => billetOf[i] === k + 1)).toBe(true);
      expect(s.test).toHaveLength(billetOf.filter((b) => b === k + 1).length);
      expect([...s.train, ...s.val].some((i) => billetOf[i] === k + 1)).toBe(false);
      assertDisjoint(s);
    });
    expect(() => leaveOneBilletOutSplits([1, 1, 1], new Map(), 1)).toThrow(/at least two billets/);
  });

  it('the final fit uses every point (90 % train, 10 % validation) and catches overlaps', () => {
    const f = finalFitSplit(85, 1);
    expect(f.train.length + f.val.length).toBe(85);
    expect(f.val).toHaveLength(9);
    expect(f.test).toEqual([]);
    expect(() => assertDisjoint({ ...f, test: [f.train[0]] })).toThrow(/in both train and test/);
    expect(() => randomPointSplits(3, 2, 1)).toThrow(/too few/);
  });
});
