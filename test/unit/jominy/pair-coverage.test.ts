import { describe, expect, it } from 'vitest';
import { generateSynthetic } from '../../../core/jominy/synth.js';
import { buildDomain, checkDomain, pairGapOf } from '../../../core/jominy/domain.js';
import { chemToArray, elementIndex } from '../../../core/jominy/elements.js';

describe('domain: element pairs in combinations the data covers', () => {
  const heats = generateSynthetic({ n: 400, seed: 3 });
  const chems = heats.map((h) => chemToArray(h.chemistry));
  const dom = buildDomain(chems);
  const B = elementIndex('B');
  const Ti = elementIndex('Ti');

  it('every training heat is covered on every pair', () => {
    for (const c of chems) {
      expect(pairGapOf(dom, c)).toBe(0);
      expect(checkDomain(dom, c).uncoveredPairs).toEqual([]);
    }
  });

  it('flags boron without the titanium that protects it, which the nearest-heat distance lets pass', () => {
    const boron = chems.find((c) => c[B] >= 0.002 && c[Ti] >= 0.03)!;
    const stripped = [...boron];
    stripped[Ti] = 0.001; // a plain steel's titanium
    const check = checkDomain(dom, stripped);
    // In 15 standardised dimensions one odd pair costs little distance: the old test alone would trust it.
    expect(check.distance).toBeLessThanOrEqual(check.threshold);
    expect(check.uncoveredPairs.map((p) => p.elements)).toContainEqual(['B', 'Ti']);
    expect(check.inDomain).toBe(false);
    expect(pairGapOf(dom, stripped)).toBeGreaterThan(0.4);
    // Further from the data, a larger gap (the GA's penalty grows with it).
    const farther = [...stripped];
    farther[B] = 0.004;
    expect(pairGapOf(dom, farther)).toBeGreaterThan(pairGapOf(dom, stripped));
  });

  it('a predictor file from before pair coverage has none and checks as before', () => {
    const { pairs: _pairs, ...old } = dom;
    const c = [...chems[0]];
    c[Ti] = 0;
    expect(pairGapOf(old, c)).toBe(0);
    expect(checkDomain(old, c).uncoveredPairs).toEqual([]);
  });
});
