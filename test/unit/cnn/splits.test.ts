import { describe, it, expect } from 'vitest';
import { randomPointSplits, leaveOneBilletOutSplits, finalFitSplit, assertDisjoint, splitNamePhrase } from '../../../core/segregation/cnn/splits.js';
import { reportPhraser } from '../../../core/report/report-i18n.js';
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

  it('each split carries its name as a phrase (the Train page words it in Italian and Chinese), the English name as before', () => {
    const en = reportPhraser('en'), it_ = reportPhraser('it'), zh = reportPhraser('zh');
    const [first] = randomPointSplits(85, 5, 42);
    expect(first.name).toBe('split 1/5');
    expect(first.namePhrase).toEqual({ code: 'cnnSplit.random', params: { n: 1, k: 5 } });
    expect([en(first.namePhrase), it_(first.namePhrase), zh(first.namePhrase)]).toEqual(['split 1/5', 'suddivisione 1/5', '划分 1/5']);
    const [out, unnamed] = leaveOneBilletOutSplits([7, 7, 7, 7, 9, 9, 9, 9], new Map([[7, 'B-12']]), 1);
    expect(out.name).toBe('without B-12');
    expect(out.namePhrase).toEqual({ code: 'cnnSplit.withoutBillet', params: { billet: 'B-12' } });
    expect(it_(out.namePhrase)).toBe('senza B-12');
    expect(unnamed.name).toBe('without billet 9');
    expect(en(unnamed.namePhrase)).toBe(unnamed.name);
    const f = finalFitSplit(85, 1);
    expect(f.namePhrase).toEqual({ code: 'cnnSplit.final', params: {} });
    expect([en(f.namePhrase), it_(f.namePhrase), zh(f.namePhrase)]).toEqual(['final model (all points)', 'modello finale (tutti i punti)', '最终模型（全部取样点）']);
  });

  it('a stored split name (an epoch curve of a run) is read back as its phrase; any other name has none', () => {
    for (const s of [...randomPointSplits(85, 3, 2), ...leaveOneBilletOutSplits([1, 1, 1, 2, 2, 2], new Map([[1, 'without x'], [2, 'B 2']]), 3), ...leaveOneBilletOutSplits([4, 4, 5, 5], new Map(), 3), finalFitSplit(20, 1)]) {
      expect(splitNamePhrase(s.name)).toEqual(s.namePhrase);
    }
    expect(splitNamePhrase('my run')).toBeNull();
    expect(splitNamePhrase('without ')).toBeNull();
  });
});
