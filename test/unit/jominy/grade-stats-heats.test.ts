import { describe, expect, it } from 'vitest';
import { gradeStatistics } from '../../../core/jominy/dataset-stats.js';
import { normalToleranceK } from '../../../core/jominy/normal.js';
import type { DatasetLayout, JominySample } from '../../../core/jominy/dataset.js';

// Three distances are enough: the band and counts are per distance.
const layout: DatasetLayout = { distancesMm: [1.5, 10, 30], labels: ['J1.5', 'J10', 'J30'], elements: ['C', 'Mn'], unit: 'mm' } as unknown as DatasetLayout;
const row = (heatId: string, c: number, hardness: number[]): JominySample => ({ heatId, grade: '4140', grainSize: null, chemistry: { C: c, Mn: 0.9 }, hardness });

// the band (dataset-stats.ts): mean ± k·sd for the values at a distance, k the normal tolerance factor for their number
const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
const sd = (v: number[]) => Math.sqrt(v.reduce((a, b) => a + (b - mean(v)) ** 2, 0) / (v.length - 1));
const band = (v: number[]) => [mean(v) - normalToleranceK(v.length, 0.93, 0.95) * sd(v), mean(v) + normalToleranceK(v.length, 0.93, 0.95) * sd(v)];

describe('grade statistics count heats: a retested heat is one value per distance, not two', () => {
  // 20 heats, one bar each, J30 = 30..49; heat H00 (the softest) was retested twice more at 20 and 22 HRC
  const singles = Array.from({ length: 20 }, (_, i) => row(`H${String(i).padStart(2, '0')}`, 0.40, [55, 45, 30 + i]));
  const samples = [...singles, row('H00', 0.40, [55, 45, 20]), row('H00', 0.40, [55, 45, 22])];
  const [g] = gradeStatistics(samples, layout);

  it('n is heats and rows are given beside it', () => {
    expect(g.n).toBe(20);
    expect(g.rows).toBe(22);
    expect(g.heats).toEqual([20, 20, 20]);
    expect(g.measured).toEqual([22, 22, 22]);
  });

  it('the band and mean are over heats: H00 gives the mean of its three bars (24), once', () => {
    const perHeat = [(30 + 20 + 22) / 3, ...Array.from({ length: 19 }, (_, i) => 31 + i)];
    expect(g.mean[2]).toBeCloseTo(perHeat.reduce((a, b) => a + b, 0) / 20, 10);
    expect([g.low[2], g.high[2]].map((v) => +v!.toFixed(10))).toEqual(band(perHeat).map((v) => +v.toFixed(10)));
    expect(g.bandK[2]).toBeCloseTo(normalToleranceK(20, 0.93, 0.95), 12);
    // counted by rows (22 values, the retests' 20 and 22 among them) the low line would fall 1.5 HRC (what it was before)
    expect(g.low[2]!).toBeGreaterThan(band(samples.map((s) => s.hardness[2]))[0] + 1.5);
  });

  it('chemistry statistics count a heat once', () => {
    expect(g.chemistry.C!.n).toBe(20);
  });
});

describe('rows without a heat id that share an analysis stay their own values in the band', () => {
  it('40 id-less rows written with the aim chemistry give a band of 40 values, not one "heat"', () => {
    const rows: JominySample[] = Array.from({ length: 40 }, (_, i) => ({ heatId: null, grade: 'X', grainSize: null, chemistry: { C: 0.2, Mn: 0.8 }, hardness: [50, 40, 25 + i * 0.5] }));
    const [g] = gradeStatistics(rows, layout);
    expect(g.n).toBe(40);
    expect(g.heats[2]).toBe(40);
    expect(g.sd[2]!).toBeGreaterThan(5);
    expect(g.low[2]).toBeCloseTo(band(rows.map((r) => r.hardness[2]))[0], 10);
    expect(g.high[2]! - g.low[2]!).toBeGreaterThan(15);
  });
});
