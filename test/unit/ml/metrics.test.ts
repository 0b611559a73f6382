import { describe, it, expect } from 'vitest';
import { r2Pearson, r2Determination, regressionMetrics, relativeErrors, meanSd, summariseMetrics } from '../../../core/ml/metrics.js';

describe('regression metrics', () => {
  // Hand computation: f = [1,2,3,4], y = [1,3,2,5].
  // n=4, Σf=10, Σy=11, Σfy=1+6+6+20=33, Σf²=30, Σy²=39.
  // Eq. 2: (4·33 − 10·11)² / ((4·30 − 100)(4·39 − 121)) = 22² / (20·35) = 484/700.
  it('R² is the squared Pearson correlation of Eq. 2', () => {
    expect(r2Pearson([1, 2, 3, 4], [1, 3, 2, 5])).toBeCloseTo(484 / 700, 12);
  });

  it('R² is unchanged by adding an offset of 0.4 wt.% (no cancellation at realistic carbon levels)', () => {
    const f = [0.412, 0.418, 0.405, 0.431, 0.44];
    const y = [0.41, 0.42, 0.4, 0.43, 0.445];
    const shifted = r2Pearson(f.map((v) => v - 0.4), y.map((v) => v - 0.4));
    expect(r2Pearson(f, y)).toBeCloseTo(shifted, 12);
  });

  it('MAE, RMSE, max |error| and relative errors equal hand-computed values', () => {
    const m = regressionMetrics([1, 2, 3, 4], [1, 3, 2, 5]);
    // errors: 0, −1, +1, −1
    expect(m.n).toBe(4);
    expect(m.mae).toBeCloseTo(0.75, 12);
    expect(m.rmse).toBeCloseTo(Math.sqrt(3 / 4), 12);
    expect(m.maxAbsError).toBe(1);
    // |e|/y: 0, 1/3, 1/2, 1/5 → mean 31/120
    expect(m.meanRelError).toBeCloseTo((0 + 1 / 3 + 1 / 2 + 1 / 5) / 4, 12);
    expect(relativeErrors([1, 2, 3, 4], [1, 3, 2, 5])).toEqual([0, -1 / 3, 1 / 2, -1 / 5]);
  });

  it('a constant +0.01 wt.% offset: Eq. 2 R² stays 1, the coefficient of determination falls, the bias is 0.01', () => {
    const actual = [0.38, 0.39, 0.4, 0.41, 0.42];
    const pred = actual.map((v) => v + 0.01);
    const m = regressionMetrics(pred, actual);
    expect(m.r2).toBeCloseTo(1, 12);
    // SST = 0.02² + 0.01² + 0 + 0.01² + 0.02² = 0.001; SSE = 5 × 0.01² = 0.0005 → 1 − 0.5 = 0.5.
    expect(m.r2Determination).toBeCloseTo(0.5, 9);
    expect(m.meanBias).toBeCloseTo(0.01, 12);
    expect(m.mae).toBeCloseTo(0.01, 12);
    // Errors 0, −1, +1, −1 on y = 1, 3, 2, 5 (mean 2.75, SST 8.75): 1 − 3/8.75; bias −0.25.
    const n = regressionMetrics([1, 2, 3, 4], [1, 3, 2, 5]);
    expect(n.r2Determination).toBeCloseTo(1 - 3 / 8.75, 12);
    expect(n.meanBias).toBeCloseTo(-0.25, 12);
    // A prediction worse than the mean: negative, where Eq. 2 would still say a perfect 1.
    expect(r2Determination([0.5, 0.6, 0.7], [0.4, 0.41, 0.42])).toBeLessThan(0);
    expect(r2Pearson([0.5, 0.6, 0.7], [0.4, 0.41, 0.42])).toBeCloseTo(1, 12);
    const s = summariseMetrics([m, n]);
    expect(s.meanBias.mean).toBeCloseTo((0.01 - 0.25) / 2, 12);
    expect(s.r2Determination.mean).toBeCloseTo((0.5 + 1 - 3 / 8.75) / 2, 9);
  });

  it('constant predictions give R² = 0 rather than NaN', () => {
    expect(r2Pearson([0.4, 0.4, 0.4], [0.41, 0.42, 0.39])).toBe(0);
  });

  it('rejects mismatched lengths and non-finite values', () => {
    expect(() => regressionMetrics([1, 2], [1])).toThrow(/2 predictions for 1/);
    expect(() => regressionMetrics([1, Number.NaN], [1, 2])).toThrow(/not finite/);
  });

  it('mean ± sample sd over splits', () => {
    expect(meanSd([2, 4, 4, 4, 5, 5, 7, 9])).toEqual({ mean: 5, sd: Math.sqrt(32 / 7) });
    const s = summariseMetrics([regressionMetrics([1, 2, 3, 4], [1, 3, 2, 5]), regressionMetrics([1, 2, 3, 4], [1, 2, 3, 4])]);
    expect(s.mae.mean).toBeCloseTo(0.375, 12);
    expect(s.mae.sd).toBeCloseTo(Math.sqrt(2 * 0.375 ** 2), 12);
    expect(s.r2.mean).toBeCloseTo((484 / 700 + 1) / 2, 12);
  });
});
