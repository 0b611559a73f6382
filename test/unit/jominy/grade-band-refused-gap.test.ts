import { describe, expect, it } from 'vitest';
import { gradeStatistics } from '../../../core/jominy/dataset-stats.js';
import { atStandardDistances, type DatasetLayout, type JominySample } from '../../../core/jominy/dataset.js';

/**
 * Review s18 (f): a grade's band read at the standard distances from a layout of other distances went through PCHIP over
 * the distances that HAD a band, so a distance refused for too few heats (null) was bridged by its neighbours' bands.
 * Layout 2, 4, 6, 8, 12, 16 mm; 12 heats measured every distance but 8 mm, which only 6 of them did (band refused
 * there, MIN_BAND_HEATS 10). The standard distances 7, 9 and 11 mm lie between 6–8 and 8–12: their band must be null,
 * where 3 and 5 mm (between 2, 4 and 6) keep one; the mean, measured by every heat that reached it, is still read off.
 */
const distancesMm = [2, 4, 6, 8, 12, 16];
const layout: DatasetLayout = { distancesMm, labels: distancesMm.map((d) => `J${d}`), unit: 'mm', elements: ['C'] };
const heats: JominySample[] = Array.from({ length: 12 }, (_, h) => ({
  heatId: `H${h}`,
  grade: 'G',
  grainSize: null,
  chemistry: { C: 0.4 },
  hardness: distancesMm.map((d, i) => (i === 3 && h >= 6 ? NaN : 55 - 1.5 * d + 0.3 * ((h * 7) % 5) - 0.2 * i)),
}));

describe("a grade band refused at a layout distance is refused at the standard distances beside it", () => {
  it('8 mm refused (6 heats): 7, 9 and 11 mm null; 3, 5, 13 and 15 mm from the bands either side', () => {
    const g = gradeStatistics(heats, layout)[0];
    expect(g.heats).toEqual([12, 12, 12, 6, 12, 12]);
    expect(g.low[3]).toBeNull();
    const at = (mm: number) => [1.5, 3, 5, 7, 9, 11, 13, 15, 20, 25, 30, 35, 40, 45, 50].indexOf(mm);
    expect(g.standard.low[at(7)]).toBeNull();
    expect(g.standard.high[at(9)]).toBeNull();
    for (const mm of [3, 5, 13, 15]) expect(g.standard.low[at(mm)], `${mm} mm`).not.toBeNull();
    // 11 mm lies between 8 (refused) and 12 too
    expect(g.standard.high[at(11)]).toBeNull();
    expect(g.standard.mean[at(7)]).not.toBeNull();
    // the bridged reading (what was shown) had a value at 7 mm
    expect(atStandardDistances(distancesMm, g.low)[at(7)]).not.toBeNull();
  });
});
