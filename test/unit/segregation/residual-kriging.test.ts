import { describe, expect, it } from 'vitest';
import { layoutPoints } from '../../../core/segregation/layouts.js';
import { createForkingRng } from '../../../core/runtime/random.js';
import {
  fitResidualVariogram, fitKrigedCorrection, krigedValue, pureNugget, fitCorrection, correctedValue, correctedHalfWidth, expectedMaeByK, type MeasuredPoint,
} from '../../../core/segregation/fewer-points/index.js';

/**
 * Regression-kriging of the K readings' residuals (issue 11 §6): a model whose error on a billet has a smooth
 * spatial part is corrected locally, with the covariance's shape taken from another billet's residuals; with
 * no spatial structure it is exactly the level/slope correction.
 */

const grid = layoutPoints({ pattern: 'grid', count: 300, diameterMm: 600 });
const hex = layoutPoints({ pattern: 'hex85', diameterMm: 600 });

/** A smooth random field (random Fourier features: a Gaussian-kernel GP of sd `amp`, length scale `ell` mm). */
function smoothField(seed: number, amp: number, ell: number): (x: number, y: number) => number {
  const rng = createForkingRng(seed);
  const m = 60;
  const waves = Array.from({ length: m }, () => ({ wx: rng.normal() / ell, wy: rng.normal() / ell, b: 2 * Math.PI * rng.next() }));
  return (x, y) => amp * Math.sqrt(2 / m) * waves.reduce((a, w) => a + Math.cos(w.wx * x + w.wy * y + w.b), 0);
}

/** Points of a billet: reading = truth + analyser noise; prediction = truth − bias − smooth error + patch noise. */
function billet(points: ReadonlyArray<{ label: string; xMm: number; yMm: number }>, seed: number, bias: number, smoothAmp: number, ell = 90, noise = 0.002): MeasuredPoint[] {
  const rng = createForkingRng(seed + 1000);
  const err = smoothField(seed, smoothAmp, ell);
  return points.map((p) => {
    const truth = 0.42 + 0.01 * (1 - (p.xMm ** 2 + p.yMm ** 2) / 300 ** 2);
    return { label: p.label, xMm: p.xMm, yMm: p.yMm, predicted: truth - bias - err(p.xMm, p.yMm) + noise * rng.normal(), reading: truth + noise * rng.normal() };
  });
}

const residuals = (pts: readonly MeasuredPoint[]) => pts.map((p) => ({ xMm: p.xMm, yMm: p.yMm, residual: p.reading - p.predicted }));

describe('fitResidualVariogram', () => {
  it('finds the spatial share and length scale of a smooth error, and none in white noise', () => {
    const smooth = fitResidualVariogram(residuals(billet(grid, 1, 0, 0.015)), 'test');
    expect(smooth.structuredShare).toBeGreaterThan(0.8);
    expect(smooth.lengthScaleMm).toBeGreaterThan(40);
    expect(smooth.lengthScaleMm).toBeLessThan(250);
    expect(smooth.bins.length).toBeGreaterThanOrEqual(5);
    expect(Math.sqrt(smooth.totalVar)).toBeGreaterThan(0.008);
    const white = fitResidualVariogram(residuals(billet(grid, 2, 0, 0)), 'test');
    expect(white.structuredShare).toBeLessThan(0.25);
  });

  it('a trend across the section is not a correlation longer than the lags it was fitted on', () => {
    // residual = a gentle linear trend over the 600 mm section plus noise: the bins (lags up to half the largest
    // pair distance) see only a rising semivariogram; a length scale beyond them would act as a second level
    const rng = createForkingRng(77);
    const trend = grid.map((p) => ({ xMm: p.xMm, yMm: p.yMm, residual: 0.00004 * p.xMm + 0.003 * rng.normal() }));
    const v = fitResidualVariogram(trend, 'test');
    const maxLag = Math.max(...grid.flatMap((a) => grid.map((b) => Math.hypot(a.xMm - b.xMm, a.yMm - b.yMm)))) / 2;
    expect(v.structuredShare).toBeGreaterThan(0.3);
    expect(v.lengthScaleMm).toBeLessThanOrEqual(maxLag * (1 + 1e-9));
  });

  it('pairs points of the same group only', () => {
    const a = residuals(billet(hex, 3, 0, 0)).map((r) => ({ ...r, group: 'a' }));
    const b = residuals(billet(hex, 4, 0, 0)).map((r) => ({ ...r, group: 'b' }));
    expect(fitResidualVariogram([...a, ...b], 'test').pairs).toBe(2 * (85 * 84) / 2);
  });
});

describe('fitKrigedCorrection', () => {
  it('is the level/slope correction exactly when the variogram shows no structure', () => {
    const pts = billet(hex, 5, 0.02, 0.01);
    const chosen = pts.filter((_, i) => i % 9 === 0);
    const kc = fitKrigedCorrection(chosen, pureNugget(1e-4, 'none'), { priorSd: 0.005 });
    const c = fitCorrection(chosen, { priorSd: 0.005 });
    for (const p of pts.slice(0, 20)) {
      const v = krigedValue(kc, p.predicted, p.xMm, p.yMm);
      expect(v.value).toBeCloseTo(correctedValue(c, p.predicted), 12);
      expect(v.halfWidth).toBeCloseTo(correctedHalfWidth(c, p.predicted), 12);
      expect(v.krigedResidual).toBe(0);
    }
  });

  it('corrects a smooth local error the level cannot, with intervals that still cover', () => {
    // The covariance's shape from one billet's residuals (the model's training billet) …
    const vg = fitResidualVariogram(residuals(billet(grid, 11, 0, 0.012)), 'training billet');
    // … applied to other billets with errors of the same kind: K = 24 of 300 points analysed, 6 billets × 3 draws.
    let maeLevel = 0, maeKrig = 0, inside = 0, scored = 0;
    for (let s = 0; s < 6; s++) {
      const pts = billet(grid, 20 + s, 0.015, 0.012);
      for (let d = 0; d < 3; d++) {
        const rng = createForkingRng(100 * s + d);
        const idx = new Set<number>();
        while (idx.size < 24) idx.add(Math.floor(rng.next() * pts.length));
        const chosen = [...idx].map((i) => pts[i]);
        const kc = fitKrigedCorrection(chosen, vg, { priorSd: 0.005 });
        for (const [i, p] of pts.entries()) {
          if (idx.has(i)) continue;
          const v = krigedValue(kc, p.predicted, p.xMm, p.yMm);
          maeKrig += Math.abs(v.value - p.reading);
          maeLevel += Math.abs(correctedValue(kc.trend, p.predicted) - p.reading);
          if (Math.abs(v.value - p.reading) <= v.halfWidth) inside++;
          scored++;
        }
      }
    }
    maeKrig /= scored;
    maeLevel /= scored;
    expect(maeLevel).toBeGreaterThan(0.007);
    expect(maeKrig).toBeLessThan(0.65 * maeLevel); // measured 0.0046 against 0.0082
    expect(inside / scored).toBeGreaterThan(0.85);
    expect(inside / scored).toBeLessThan(0.97);
  });

  it('the K-curve runs both methods from the same draws', () => {
    const pts = billet(hex, 30, 0.02, 0);
    const vg = fitResidualVariogram(residuals(billet(grid, 31, 0, 0)), 'white');
    const a = expectedMaeByK(pts, { ks: [0, 8], draws: 5, seed: 2, priorSd: 0.004 });
    const b = expectedMaeByK(pts, { ks: [0, 8], draws: 5, seed: 2, priorSd: 0.004, method: 'residual-kriging', variogram: vg });
    expect(a.method).toBe('level-slope');
    expect(b.method).toBe('residual-kriging');
    expect(b.rows[0]).toEqual(a.rows[0]);
    // white residuals: kriging has (almost) nothing to add
    expect(Math.abs(b.rows[1].mae - a.rows[1].mae)).toBeLessThan(0.0005);
    expect(() => expectedMaeByK(pts, { ks: [8], draws: 1, seed: 1, priorSd: 0.004, method: 'residual-kriging' })).toThrow(/variogram/);
  });
});
