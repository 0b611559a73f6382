import { describe, expect, it } from 'vitest';
import { generateSynthetic } from '../../../core/jominy/synth.js';
import { BAND_CONFIDENCE, BAND_CONTENT, MIN_BAND_HEATS, gradeStatistics } from '../../../core/jominy/dataset-stats.js';
import { STANDARD_LAYOUT } from '../../../core/jominy/dataset.js';
import { normalToleranceK } from '../../../core/jominy/normal.js';
import { gradeStatsText } from '../../../core/cli/commands/jominy-datasets.js';

/**
 * Guards audit 28-C find 6. A grade's band (core/jominy/dataset-stats.ts gradeStatistics), shown in `jominy datasets
 * grades` and on the dataset page and offered on the design page as a target, had been the 3.5 and 96.5 % sample
 * percentiles of its heats at each distance, labelled "3.5–96.5 % of the grade's heats, like an H-band". From a few heats
 * those are nearly their min and max: a band from 5 heats held 60 % of the grade's new readings (36 % of its new curves
 * whole), from 10 heats 79 %, where "3.5–96.5 %" says 93 %. Now the band is a normal tolerance interval, mean ± k·sd
 * with k for the heats at each distance, covering at least 93 % of the grade's heats with 95 % confidence, and it is
 * refused (null) where fewer than 10 heats measured a distance; the table prints k and the heats beside it.
 */
describe('a grade band from few heats', () => {
  const G = 'synthetic 42CrMo4-type';
  // 1006 new heats of the grade from the same generator: what "of the grade's heats" is about
  const fresh = generateSynthetic({ n: 5000, seed: 22 }).filter((h) => h.grade === G);
  const family = generateSynthetic({ n: 1200, seed: 21 }).filter((h) => h.grade === G);
  const statsOf = (n: number) => gradeStatistics(family.slice(0, n), { ...STANDARD_LAYOUT })[0];
  const coverageOf = (n: number) => {
    const g = statsOf(n);
    if (g.low.some((v) => v === null) || g.high.some((v) => v === null)) return null; // refused for too few heats
    let inside = 0;
    let cells = 0;
    for (const h of fresh) h.hardness.forEach((v, p) => { cells++; if (v >= g.low[p]! && v <= g.high[p]!) inside++; });
    return inside / cells;
  };

  it('is refused from 5 heats, and from 10 holds 99.5 % of the grade\'s new readings (the percentiles held 60 % and 79 %)', () => {
    expect(fresh.length).toBe(1006);
    expect([BAND_CONTENT, BAND_CONFIDENCE, MIN_BAND_HEATS]).toEqual([0.93, 0.95, 10]);
    // with heats enough it holds what it says: 200 heats, 94.8 % (the percentiles' 91.9 % had been a little under 93 %)
    expect(coverageOf(200)).toBeCloseTo(0.948, 3);
    const five = statsOf(5);
    expect([five.low.every((v) => v === null), five.high.every((v) => v === null), five.bandK.every((k) => k === null)]).toEqual([true, true, true]);
    expect(coverageOf(5)).toBeNull();
    const ten = statsOf(10);
    // k for 10 heats (Howe with Guenther's correction): 3.14 sd, printed beside the band with the heats it rests on
    expect(ten.bandK.every((k) => k !== null && Math.abs(k - normalToleranceK(10, 0.93, 0.95)) < 1e-12)).toBe(true);
    expect(+ten.bandK[0]!.toFixed(2)).toBe(3.14);
    expect(ten.low[5]).toBeCloseTo(ten.mean[5]! - ten.bandK[5]! * ten.sd[5]!, 10);
    expect(coverageOf(10)).toBeCloseTo(0.995, 3);
    // and over 20 disjoint draws of 10 heats: 97.9 % on average (97.8 % with the uncorrected k of 3.13), the lowest 91.7 % (a 95 % confidence, not a certainty)
    const draws = Array.from({ length: 20 }, (_, k) => {
      const g = gradeStatistics(family.slice(10 * k, 10 * k + 10), { ...STANDARD_LAYOUT })[0];
      let inside = 0;
      let cells = 0;
      for (const h of fresh) h.hardness.forEach((v, p) => { cells++; if (v >= g.low[p]! && v <= g.high[p]!) inside++; });
      return inside / cells;
    });
    expect(draws.reduce((a, b) => a + b, 0) / draws.length).toBeCloseTo(0.979, 3);
    expect(Math.min(...draws)).toBeCloseTo(0.917, 3);
  });

  it('`jominy datasets grades` says what the band is, prints k, and – where it is refused', () => {
    const text = gradeStatsText([...STANDARD_LAYOUT.labels], [{ ...statsOf(5), belowScale: null }, { ...statsOf(10), belowScale: null }]);
    const lines = text.split('\n');
    expect(lines[1]).toBe("  band: mean ± k·sd, a normal tolerance interval covering ≥ 93 % of the grade's heats with 95 % confidence, k for the heats at each distance; none (–) where fewer than 10 heats measured it; none here: fewer than 10 heats at every distance");
    expect(lines[2]).toBe('  distance   heats   mean    sd     k band lo band hi');
    expect(lines[3]).toMatch(/^ {2}J1\.5 +5 +\d+\.\d +\d+\.\d +– +– +–$/);
    const ten = lines.slice(lines.findIndex((l, i) => i > 3 && l.startsWith('grade ')));
    expect(ten[0]).toBe(`grade ${'synthetic 42CrMo4-type'}: 10 heats`);
    expect(ten[1].endsWith('measured it')).toBe(true);
    const g = statsOf(10);
    expect(ten[3]).toBe(`  J1.5          10${g.mean[0]!.toFixed(1).padStart(7)}${g.sd[0]!.toFixed(1).padStart(6)}  3.14${g.low[0]!.toFixed(1).padStart(8)}${g.high[0]!.toFixed(1).padStart(8)}`);
  });
});
