import { describe, expect, it } from 'vitest';
import { profileIndices, elementIndices } from '../../../core/jominy/metrics.js';

describe('evaluation indices (paper Eqs. 4–12)', () => {
  it('matches a hand computation', () => {
    const target = [Array(15).fill(50), Array(15).fill(40), Array(15).fill(20)];
    const pred = [Array(15).fill(51), Array(15).fill(38), Array(15).fill(20)];
    pred[2][14] = 23;
    const r = profileIndices(pred, target);
    // Point 1: |errors| 1, 2, 0 → ε = 1, E = 2, S = sqrt(((0)² + 1² + 1²)/2) = 1, θ = 100·(1/50 + 2/40 + 0)/3 = 2.3333 %.
    expect(r.points[0]).toEqual({ distanceMm: 1.5, eps: 1, E: 2, S: 1, theta: expect.closeTo(2.33333, 4) });
    // Point 15: 1, 2, 3 → ε = 2, E = 3, S = 1, θ = 100·(0.02 + 0.05 + 0.15)/3.
    expect(r.points[14]).toEqual({ distanceMm: 50, eps: 2, E: 3, S: 1, theta: expect.closeTo(7.33333, 4) });
    expect(r.eps).toBeCloseTo((14 * 1 + 2) / 15, 10);
    expect(r.E).toBeCloseTo((14 * 2 + 3) / 15, 10);
    const chemR = [Array(15).fill(0.1), Array(15).fill(0.3)];
    const chemD = [Array(15).fill(0.2), Array(15).fill(0.2)];
    const e = elementIndices(chemD, chemR, Array(15).fill(0.5));
    expect(e[0]).toEqual({ element: 'C', eps: expect.closeTo(0.1, 10), rho: expect.closeTo(0.2, 10), meanDesigned: expect.closeTo(0.2, 10), meanReal: expect.closeTo(0.2, 10), changePct: expect.closeTo(0, 8) });
  });
});
