import { describe, expect, it } from 'vitest';
import { distinguishableLevels } from '../../../core/maps/contour-levels.js';

describe('contour levels the interval can tell apart', () => {
  it('default levels: round C/C0 steps no finer than the typical interval width', () => {
    // a narrow interval: the usual 0.05 C/C0 step (0.021 wt.% at C0 0.42) is already wider
    const a = distinguishableLevels([0.38, 0.46], 0.42, 0.013);
    expect(a.stepWtPct).toBeCloseTo(0.021, 9);
    expect(a.levels).toEqual([0.399, 0.42, 0.441]);
    // same range, a wide interval (0.03 wt.% = 0.071 C/C0): the step grows to 0.1 C/C0 and one line is left
    const b = distinguishableLevels([0.38, 0.46], 0.42, 0.03);
    expect(b.stepWtPct).toBeCloseTo(0.042, 9);
    expect(b.levels).toEqual([0.42]);
  });

  it("the user's levels closer than the interval width are skipped", () => {
    const r = distinguishableLevels([0.3, 0.55], 0.42, 0.02, [0.4, 0.41, 0.42, 0.45, 0.44]);
    expect(r.levels).toEqual([0.4, 0.42, 0.44]);
    expect(r.dropped).toBe(2);
  });
});
