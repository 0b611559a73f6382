import { describe, expect, it } from 'vitest';
import { chiSquareQuantile, normalToleranceK } from '../../../core/jominy/normal.js';

/**
 * Review s18 (e): the grade band's k for 10 heats was printed as "3.13" (Howe with a Wilson–Hilferty χ²: 3.131), while
 * the exact two-sided 93 %/95 % normal tolerance factor is 3.141. The exact factors below were computed by numerical
 * integration (scipy: the coverage P(χ²ᵥ > ν·R(x̄)²/k²) integrated over x̄, solved for 0.95): 10 → 3.1414, 20 → 2.5530,
 * 50 → 2.2018, 200 → 1.9811; 5 → 4.7083. χ² quantiles from scipy.stats.chi2.ppf.
 */
describe('the normal tolerance factor: Howe with Guenther correction and an exact χ² quantile', () => {
  it('χ² quantiles: 0.05 at ν = 9 is 3.3251, at ν = 199 is 167.3610; 0.95 at ν = 4 is 9.4877', () => {
    expect(chiSquareQuantile(0.05, 9)).toBeCloseTo(3.325113, 5);
    expect(chiSquareQuantile(0.05, 199)).toBeCloseTo(167.361, 2);
    expect(chiSquareQuantile(0.95, 4)).toBeCloseTo(9.487729, 5);
  });

  it('93 % with 95 % confidence: 10 heats 3.14 (exact 3.1414, to 0.01), 20, 50 and 200 too; 5 heats within 0.01', () => {
    const exact: Array<[number, number]> = [[10, 3.1414], [20, 2.553], [50, 2.2018], [200, 1.9811], [5, 4.7083]];
    for (const [n, k] of exact) expect(Math.abs(normalToleranceK(n, 0.93, 0.95) - k), `n = ${n}`).toBeLessThan(0.01);
    expect(normalToleranceK(10, 0.93, 0.95).toFixed(2)).toBe('3.14');
    expect(normalToleranceK(200, 0.93, 0.95).toFixed(2)).toBe('1.98');
    expect(normalToleranceK(1, 0.93, 0.95)).toBe(Infinity);
  });
});
