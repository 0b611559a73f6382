import { describe, expect, it } from 'vitest';
import { generateSynthetic } from '../../../core/jominy/synth.js';
import { gradeStatistics } from '../../../core/jominy/dataset-stats.js';
import { STANDARD_LAYOUT } from '../../../core/jominy/dataset.js';

/**
 * Audit 28-C, find 9. A grade's "band" (core/jominy/dataset-stats.ts gradeStatistics: the 3.5 and 96.5 % percentiles of
 * its heats at each distance) is shown as `3.5 %` / `96.5 %` columns (`jominy datasets grades`, the dataset page) and
 * offered on the design page as a target: "Band — 3.5–96.5 % of the grade's heats, like an H-band". From a few heats the
 * sample percentiles are nearly their min and max: a band from 5 heats of a grade holds 60 % of that grade's new
 * readings (36 % of its new curves whole), from 10 heats 79 %, where 93 % is what "3.5–96.5 %" and "H-band" say.
 * Nothing widens it for the heats it has or refuses it (no minimum heats); the design then aims at it and states
 * P(meet band) against it.
 */
describe('audit JoMiner: a grade band from few heats', () => {
  const G = 'synthetic 42CrMo4-type';
  // 1006 new heats of the grade from the same generator: what "of the grade's heats" is about
  const fresh = generateSynthetic({ n: 5000, seed: 22 }).filter((h) => h.grade === G);
  const family = generateSynthetic({ n: 1200, seed: 21 }).filter((h) => h.grade === G);
  const coverageOf = (n: number) => {
    const g = gradeStatistics(family.slice(0, n), { ...STANDARD_LAYOUT })[0];
    if (g.low.some((v) => v === null) || g.high.some((v) => v === null)) return null; // refused for too few heats: fine
    let inside = 0;
    let cells = 0;
    for (const h of fresh) h.hardness.forEach((v, p) => { cells++; if (v >= g.low[p]! && v <= g.high[p]!) inside++; });
    return inside / cells;
  };

  it('labelled 3.5–96.5 % ("like an H-band"), holds 60 % of the grade\'s new readings from 5 heats, 79 % from 10', () => {
    expect(fresh.length).toBe(1006);
    // with heats enough it is what it says (200 heats: 91.9 %)
    expect(coverageOf(200)).toBeCloseTo(0.919, 2);
    const five = coverageOf(5);
    const ten = coverageOf(10);
    // fails: 0.601 and 0.794
    expect({ five: five === null || five >= 0.85, ten: ten === null || ten >= 0.85 }).toEqual({ five: true, ten: true });
  });
});
