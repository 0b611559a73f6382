import { describe, expect, it } from 'vitest';
import { generateSynthetic } from '../../../core/jominy/synth.js';
import { trainPredictor } from '../../../core/jominy/predictor.js';
import { JominyEnsemble, memberSeed, trainEnsemble } from '../../../core/jominy/ensemble.js';
import { conformalQuantile, crossFitHalves } from '../../../core/jominy/calibration.js';
import { createRng, deriveSeed, permutation } from '../../../core/runtime/random.js';
import { ELEMENTS, chemToArray } from '../../../core/jominy/elements.js';

describe('bootstrap ensemble and its calibration', () => {
  const samples = generateSynthetic({ n: 300, seed: 11 });
  const model = trainPredictor(samples, { seed: 4, maxHidden: 3, epochs: 40 });
  const ens = trainEnsemble(samples, model, { size: 5, predictorSeconds: 1 });

  it('trains M members on bootstrap resamples with stored, derived seeds', () => {
    expect(ens.size).toBe(5);
    expect(ens.members.map((m) => m.seed)).toEqual([0, 1, 2, 3, 4].map((k) => memberSeed(4, k)));
    expect(new Set(ens.members.map((m) => m.seed)).size).toBe(5);
    expect(ens.fitHeats).toBe(300 - model.split.test);
    // Members differ (different resamples), so the ensemble has a spread.
    expect(ens.members[0].nets[5].weights).not.toEqual(ens.members[1].nets[5].weights);
    expect(ens.estimatedSeconds).toBeGreaterThan(0);
    expect(ens.estimatedSeconds!).toBeLessThan(5);
  });

  it('covers 85–95 % of held-out cells with its nominal 90 % interval (cross-fitted on the test heats)', () => {
    const c = ens.calibration;
    expect(c.cells).toBe(model.split.test * 15);
    expect(c.coverage).toBeGreaterThanOrEqual(0.85);
    expect(c.coverage).toBeLessThanOrEqual(0.95);
    expect(c.scale).toBeGreaterThan(0);
    expect(c.tau.every((t) => t > 0.3 && t < 4)).toBe(true);
    // Noise of the synthetic generator is 1 HRC per point plus 0.3 per heat: sd in that region.
    expect(c.meanSd.every((s) => s > 0.6 && s < 4)).toBe(true);
    expect(c.rho).toBeGreaterThanOrEqual(0);
    expect(c.rho).toBeLessThan(1);
  });

  it('is reproducible from the seed and gives a wider interval far from the data', () => {
    const again = trainEnsemble(samples, model, { size: 5 });
    expect(again.members[2].nets[7].weights).toEqual(ens.members[2].nets[7].weights);
    expect(again.calibration.coverage).toBe(ens.calibration.coverage);
    const e = new JominyEnsemble(model, ens);
    const inside = chemToArray(samples[0].chemistry);
    const far = inside.slice();
    far[0] *= 1.6; // C well past its family's range
    far[6] *= 2.5; // Cr
    const a = e.interval(inside);
    const b = e.interval(far);
    const mean = (v: number[]) => v.reduce((x, y) => x + y, 0) / v.length;
    expect(mean(b.sdEnsemble)).toBeGreaterThan(mean(a.sdEnsemble));
    expect(a.lo.every((lo, p) => lo < a.profile[p] && a.hi[p] > a.profile[p])).toBe(true);
  });

  it('cross-fits the calibration on whole heats: twin rows (one heat id) fall in one half; unique ids keep the row shuffle', () => {
    // Halved by row, a retest's k was fitted on its twin and its coverage counted on the other half as if unseen.
    const twins = ['A', 'B', 'A', 'C', 'D', 'B', 'E', null, 'F', 'A', 'G', null, 'H', 'C'];
    for (const seed of [1, 7, 2000, deriveSeed(4, 2000)]) {
      const half = crossFitHalves(twins, seed);
      expect(half.length).toBe(twins.length);
      const sides = new Map<string, Set<number>>();
      twins.forEach((id, i) => { if (id !== null) sides.set(id, (sides.get(id) ?? new Set()).add(half[i]!)); });
      expect([...sides.values()].filter((s) => s.size > 1)).toEqual([]);
      // both halves hold heats: 10 heats (8 ids + 2 rows without one) → 5 and 5
      const heatsIn = (h: number) => new Set(twins.flatMap((id, i) => (half[i] === h ? [id ?? `row${i}`] : []))).size;
      expect([heatsIn(0), heatsIn(1)]).toEqual([5, 5]);
    }
    // unique ids (and no ids): the halves the rows always had for the seed
    const seed = deriveSeed(4, 2000);
    const rowsOnly = Array.from({ length: 23 }, (_, i) => `heat${i}`);
    const before = new Uint8Array(23);
    permutation(23, createRng(seed)).forEach((h, k) => (before[h] = k < 23 / 2 ? 0 : 1));
    expect(crossFitHalves(rowsOnly, seed)).toEqual(before);
    expect(crossFitHalves(rowsOnly.map(() => null), seed)).toEqual(before);
  });

  it('does not state a coverage when a cross-fit half cannot calibrate: every held-out row one heat → null, not 1.00; heats counted as heats', () => {
    const held = new Set(model.split.testIndices);
    // All held-out rows share one heat id: one half is empty, its k is ∞ and the other half would read 100 % covered.
    const oneHeat = samples.map((s, i) => (held.has(i) ? { ...s, heatId: 'ONE' } : s));
    const c = trainEnsemble(oneHeat, model, { size: 2 }).calibration;
    expect(c.coverage).toBeNull();
    expect(c.coveragePoints).toEqual(Array(15).fill(null));
    expect(c.cells).toBe(model.split.test * 15);
    expect(c.heats).toBe(1);
    // Rows paired into twin heats: the calibration counts the distinct heats, not the rows.
    const testIdx = model.split.testIndices;
    const twins = samples.map((s, i) => (held.has(i) ? { ...s, heatId: `T${Math.floor(testIdx.indexOf(i) / 2)}` } : s));
    const t = trainEnsemble(twins, model, { size: 2 }).calibration;
    expect(t.heats).toBe(Math.ceil(testIdx.length / 2));
    expect(t.coverage).not.toBeNull();
    expect(ens.calibration.heats).toBe(model.split.test); // unique ids: one heat a row
  });

  it('refuses a size outside 2–10 and takes the conformal quantile as stated', () => {
    expect(() => trainEnsemble(samples, model, { size: 1 })).toThrow(/2–10/);
    expect(conformalQuantile([1, 2, 3, 4, 5, 6, 7, 8, 9], 0.9)).toBe(9);
    expect(conformalQuantile([1, 2, 3], 0.9)).toBe(Infinity);
  });
});

describe('the calibration of a plant dataset on its own distances', () => {
  // A plant that measures six of the standard distances (1.5, 5, 9, 15, 25, 50 mm), some heats not at 50 mm. The
  // coverage had been counted at all 15 standard distances against each heat's curve read there by PCHIP: 405 of 675
  // "held-out cells" on such a set were interpolations, and 3, 7, 11 … mm were given a coverage no heat measured.
  const keep = [1.5, 5, 9, 15, 25, 50];
  const full = generateSynthetic({ n: 200, seed: 11 });
  const cols = keep.map((d) => [1.5, 3, 5, 7, 9, 11, 13, 15, 20, 25, 30, 35, 40, 45, 50].indexOf(d));
  const samples = full.map((s, i) => ({ ...s, hardness: cols.map((c, k) => (k === 5 && i % 7 === 3 ? Number.NaN : s.hardness[c])) }));
  const layout = { distancesMm: keep, labels: keep.map((d) => `J${d}`), unit: 'mm' as const, elements: [...ELEMENTS] };
  const model = trainPredictor(samples, { seed: 4, maxHidden: 2, epochs: 30, layout });
  const ens = trainEnsemble(samples, model, { size: 5, layout });

  it('counts a cell per reading a held-out heat measured at a model point, and gives coverage per point there', () => {
    const c = ens.calibration;
    const measured = model.split.testIndices.reduce((a, i) => a + samples[i].hardness.filter(Number.isFinite).length, 0);
    expect(c.cells).toBe(measured);
    expect(c.pointsMm).toEqual(keep);
    expect(c.coveragePoints).toHaveLength(6);
    expect(c.meanSd).toHaveLength(6);
    expect(c.coverage).toBeGreaterThanOrEqual(0.8);
    expect(c.coverage).toBeLessThanOrEqual(0.98);
    // the interval at the 15 standard distances takes τ read between the model's points
    expect(c.tau).toHaveLength(15);
    expect(c.tau[0]).toBe(c.tauPoints![0]);
    expect(c.tau[2]).toBe(c.tauPoints![1]);
    expect(c.tau[1]).toBeCloseTo(c.tauPoints![0] + ((3 - 1.5) / (5 - 1.5)) * (c.tauPoints![1] - c.tauPoints![0]), 12);
  });
});
