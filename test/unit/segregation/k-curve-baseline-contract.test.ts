import { describe, expect, it } from 'vitest';
import { expectedMaeByK, type MeasuredPoint } from '../../../core/segregation/fewer-points/index.js';
import { KCurveResult } from '../../../core/api/methods/fewer-points.js';

/**
 * The K-curve's no-model baseline (the mean of the K readings taken at every other point) reaches the renderer
 * through the contract: the contract's schema keeps it (zod drops keys it does not name) with the domain's value.
 */
describe('K-curve baseline in the contract', () => {
  it('carries the mean-of-K-readings MAE, worked by hand on readings where every draw gives the same figure', () => {
    // Readings 0.40, 0.40, 0.40, 0.44, K = 2: a pair of 0.40s has mean 0.40 and misses the other two (0.40, 0.44)
    // by 0 and 0.04; a pair 0.40 + 0.44 has mean 0.42 and misses the two 0.40s by 0.02 each. Either way the MAE on
    // the two points left is 0.02 wt.%, whichever pairs the seeded draws pick.
    const four = [0.4, 0.4, 0.4, 0.44].map((reading, i): MeasuredPoint => ({ label: `P${i}`, xMm: 10 * i, yMm: 0, predicted: 0.5, reading }));
    const curve = expectedMaeByK(four, { ks: [0, 2], draws: 7, seed: 11, priorSd: 0.005, selection: 'random' });
    const out = KCurveResult.parse({
      ...curve, id: 1, billetId: 2, modelId: 3, modelName: 'm', sample: 'out-of-sample', createdAt: '2026-11-30T00:00:00Z',
    });
    expect(out.rows[0].readingsMeanMae).toBeUndefined(); // K = 0: no readings, no baseline
    expect(out.rows[1].readingsMeanMae).toBeCloseTo(0.02, 12);
    // the model uncorrected (0.5 everywhere) misses the two points left by 0.10 and 0.10 or 0.10 and 0.06
    expect(out.rows[1].uncorrectedMae).toBeGreaterThanOrEqual(0.08 - 1e-12);
  });
});
