import { describe, expect, it } from 'vitest';
import { generateSynthetic } from '../../../core/jominy/synth.js';
import { trainPredictor, JominyPredictor } from '../../../core/jominy/predictor.js';
import { checkDomain, distanceToData, nearestThreshold, pairGapOf, type DomainModel } from '../../../core/jominy/domain.js';
import { buildPairCoverage } from '../../../core/jominy/pair-coverage.js';
import { usedElements } from '../../../core/jominy/predictor-model.js';
import { chemToArray, ELEMENTS, N_ELEMENTS } from '../../../core/jominy/elements.js';

// A grade left out of training: its heats must read outside the domain when the check runs over the elements the
// networks use, which elements P, S, Sn … (no effect in the synthetic data) had hidden by inflating the threshold.
describe('training domain over the elements the predictor uses', () => {
  const all = generateSynthetic({ n: 500, seed: 5 });
  const leftOut = 'synthetic C45-type';
  const samples = all.filter((s) => s.grade !== leftOut);
  const outside = all.filter((s) => s.grade === leftOut).map((s) => chemToArray(s.chemistry));
  const model = trainPredictor(samples, { seed: 8, maxHidden: 3, epochs: 40 });
  const used = usedElements(model);
  const mask = ELEMENTS.map((el) => used.includes(el));
  const d = model.domain;
  const n = d.points.length / N_ELEMENTS;
  // the training chemistries read back from the stored points, and the same domain over all 15 elements
  const train = Array.from({ length: n }, (_, i) => ELEMENTS.map((_, j) => d.points[i * N_ELEMENTS + j] * d.std[j] + d.mean[j]));
  const allElements: DomainModel = { ...d, used: undefined, threshold: nearestThreshold(d.points), pairs: buildPairCoverage(d.points, n, d.std) };

  /** Independent of domain.ts: brute-force nearest training heat over the flagged elements. */
  const nn = (q: number[], flags: boolean[], skip = -1): number => {
    let best = Infinity;
    train.forEach((c, i) => {
      if (i === skip) return;
      let s = 0;
      for (let j = 0; j < N_ELEMENTS; j++) if (flags[j] && d.std[j] > 0) s += ((c[j] - q[j]) / d.std[j]) ** 2;
      best = Math.min(best, s);
    });
    return Math.sqrt(best);
  };
  const p99 = (flags: boolean[]): number => {
    const v = train.map((c, i) => nn(c, flags, i)).sort((a, b) => a - b);
    return v[Math.floor(0.99 * (v.length - 1))];
  };

  it('stores the mask of used elements and a threshold over them only, checked against a brute-force computation', () => {
    expect(d.used).toEqual(mask);
    // the synthetic data's inert elements are no input, so the mask leaves some out
    expect(used.length).toBeLessThan(ELEMENTS.length);
    expect(d.threshold).toBeCloseTo(p99(mask), 6);
    expect(allElements.threshold).toBeCloseTo(p99(ELEMENTS.map(() => true)), 6);
    // the unused elements' noise inflates the all-element threshold (measured here 1.395 vs 3.361 sd on 240 training heats)
    expect(d.threshold).toBeLessThan(0.75 * allElements.threshold);
    console.log(`threshold over ${used.length} used elements ${d.threshold.toFixed(3)} vs all 15 ${allElements.threshold.toFixed(3)} (in-sample, ${n} training heats)`);
  });

  it('judges the left-out grade outside over the used elements, where all 15 let some in', () => {
    const overUsed = outside.map((c) => checkDomain(d, c));
    const overAll = outside.map((c) => checkDomain(allElements, c));
    overUsed.forEach((r, i) => expect(r.distance).toBeCloseTo(nn(outside[i], mask), 9));
    const inUsed = overUsed.filter((r) => r.inDomain).length;
    const inAll = overAll.filter((r) => r.inDomain).length;
    // independent count of the distance test alone (ranges and pairs only add reasons to be outside)
    const nearUsed = outside.filter((c) => nn(c, mask) <= p99(mask)).length;
    expect(inUsed).toBeLessThanOrEqual(nearUsed);
    expect(inUsed / outside.length).toBeLessThanOrEqual(0.02);
    expect(inAll).toBeGreaterThan(inUsed);
    console.log(`left-out grade ${leftOut}: ${inUsed}/${outside.length} heats in domain over used elements, ${inAll}/${outside.length} over all 15 (held-out grade)`);
  });

  it('says an unused element out of range apart, not in the distance, its combinations with used elements checked as pairs', () => {
    const c = chemToArray(samples[model.split.testIndices[0]].chemistry);
    const unused = ELEMENTS.findIndex((_, j) => !mask[j] && d.std[j] > 0);
    const before = checkDomain(d, c);
    c[unused] = d.max[unused] * 3;
    const r = checkDomain(d, c);
    expect(r.outOfRange).toEqual([]);
    expect(r.outOfRangeUnused).toEqual([{ element: ELEMENTS[unused], value: d.max[unused] * 3, min: d.min[unused], max: d.max[unused] }]);
    expect(r.distance).toBe(before.distance);
    // not in the distance, but three times the data's maximum beside the used elements is a combination no heat had:
    // those pairs are named (a network that ignores the element learnt that only within the data's range of it)
    const named = r.uncoveredPairs.filter((p) => !before.uncoveredPairs.some((b) => b.elements.join() === p.elements.join()));
    expect(named.length).toBeGreaterThan(0);
    expect(named.every((p) => p.elements.includes(ELEMENTS[unused]) && p.elements.some((e) => mask[ELEMENTS.indexOf(e)]))).toBe(true);
    expect(r.inDomain).toBe(false);
  });

  it('gives a predictor stored before the mask the same answer as a new one, its threshold recomputed at load', () => {
    // the file as written before: no mask, the threshold and pairs over all 15 elements
    const stored = JSON.parse(JSON.stringify({ ...model, domain: { ...allElements, used: undefined } }));
    expect(stored.domain.used).toBeUndefined();
    const loaded = new JominyPredictor(stored).model;
    expect(loaded.domain.used).toEqual(mask);
    expect(loaded.domain.threshold).toBeCloseTo(d.threshold, 12);
    expect(loaded.domain.storedThreshold).toBeCloseTo(allElements.threshold, 12);
    for (const c of outside.slice(0, 40)) {
      const a = checkDomain(loaded.domain, c);
      const b = checkDomain(d, c);
      expect(a.inDomain).toBe(b.inDomain);
      expect(a.distance).toBeCloseTo(b.distance, 12);
      expect(a.uncoveredPairs).toEqual(b.uncoveredPairs);
      // the GA's penalty terms read the same mask
      expect(distanceToData(loaded.domain, c)).toBeCloseTo(distanceToData(d, c), 12);
      expect(pairGapOf(loaded.domain, c)).toBeCloseTo(pairGapOf(d, c), 12);
    }
  });
});
