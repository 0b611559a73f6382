import { describe, expect, it } from 'vitest';
import { chooseCorrection, curveFloor, expectedMaeByK, fitCorrection, proposePoints, DEFAULT_VALUE_WEIGHT, type MeasuredPoint } from '../../../core/segregation/fewer-points/index.js';
import { createRng, deriveSeed } from '../../../core/runtime/random.js';
import { correctionGuard, curveRange } from '../../../core/services/fewer-points/curve-guard.js';
import type { KCurveResult } from '../../../core/api/methods/fewer-points.js';

/**
 * Task 22-B: the guard with the CHOSEN correction, on per-point data. The own check of a chosen correction is the
 * chosen candidate's leave-one-out MAE (the figure it was chosen on); the reference on the K-curve is the same figure
 * measured by the curve with the same choice (expectedMaeByK with `choose`), so the two are alike. Billets of 85
 * points whose readings are the model's predictions plus seeded noise; everything below is computed from them.
 */
const RANGE = { min: 0.3, max: 0.6 };
const PRIOR = 0.006;
const K = 8;
const DRAWS = 20;

/** 85 points on a disc, predictions over 0.40–0.50 wt.%, readings = prediction + shift + noise (seeded). */
function billet(seed: number, noiseSd: number, shift = 0): MeasuredPoint[] {
  const rng = createRng(seed);
  return Array.from({ length: 85 }, (_, i) => {
    const a = (i / 85) * 2 * Math.PI * 7, r = 20 + 260 * Math.sqrt((i + 0.5) / 85);
    const predicted = 0.4 + 0.1 * rng.next();
    return { label: `P${i + 1}`, xMm: r * Math.cos(a), yMm: r * Math.sin(a), predicted, reading: predicted + shift + noiseSd * rng.normal() };
  });
}

/** The K-curve the curve job stores for a billet (level/slope method, proposed points, the choice). */
function storedCurve(pts: MeasuredPoint[], id: number): KCurveResult {
  const c = expectedMaeByK(pts, { ks: [0, 4, K], draws: DRAWS, seed: 1, priorSd: PRIOR, widthWeight: 0, method: 'level-slope', choose: { trainingRange: RANGE } });
  return {
    id, billetId: id, modelId: 1, modelName: 'm', seed: 1, draws: DRAWS, selection: 'proposed', method: 'level-slope', choice: c.choice, level: 0.9, points: 85, sample: 'out-of-sample',
    rows: c.rows, floor: curveFloor(pts), range: curveRange(pts.map((p) => p.reading), RANGE), createdAt: '2026-11-30T00:00:00Z',
  };
}

/** The guard of each of DRAWS proposals of K points on a billet, as the workflow makes it (correct-plan.ts). */
function guards(pts: MeasuredPoint[], curve: KCurveResult, seed: number) {
  return Array.from({ length: DRAWS }, (_, d) => {
    const used = proposePoints(pts, { k: K, seed: deriveSeed(seed, d), widths: null, widthWeight: 0, values: pts.map((p) => p.predicted), valueWeight: DEFAULT_VALUE_WEIGHT }).indices.map((i) => pts[i]);
    const choice = chooseCorrection(used, null, { priorSd: PRIOR }, { trainingRange: RANGE })!;
    const level = fitCorrection(used, { priorSd: PRIOR, trend: 'level' });
    const g = correctionGuard({ readings: used.map((p) => p.reading), corrected: [], offset: level.offset, residualSd: level.residualSd, range: RANGE, curves: [curve], method: 'level-slope', looMae: choice.candidates[choice.chosen].looMae, chosen: true });
    return { g, looMae: choice.candidates[choice.chosen].looMae, trend: choice.candidates[choice.chosen].trend };
  });
}
const share = (v: Array<boolean | undefined>) => v.filter(Boolean).length / v.length;
const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;

describe('the guard with the chosen correction (per-point data)', () => {
  const reference = billet(101, 0.006);
  const curve = storedCurve(reference, 7);
  const row = curve.rows.find((r) => r.k === K)!;

  it('the curve stores the chosen candidate\'s own check: the reference is the same figure as the billet\'s', () => {
    expect(curve.choice).toBe('loo-simplest-within-se');
    expect(row.looMae).toBeGreaterThan(0.003);
    expect(row.looMaeSd).toBeGreaterThan(0.0003);
    // an unbiased billet mostly keeps the model: "none" is its most chosen candidate
    expect(row.chosen!.none).toBeGreaterThan(0.5);
    // a billet like the curve's (same noise, another seed): its chosen LOO over the same proposals lies near the curve's
    const alike = guards(billet(202, 0.006), curve, 1);
    expect(Math.abs(mean(alike.map((a) => a.looMae)) / row.looMae! - 1)).toBeLessThan(0.2);
  });

  it('on billets like the curve\'s the expected MAE applies (few false alarms); a billet read 2.5× worse is flagged by its own check', () => {
    for (const seed of [202, 303]) {
      const alike = guards(billet(seed, 0.006), curve, seed);
      // the own check is tested against the curve's own check at K (like with like)
      expect(alike.every((a) => a.g.ownCheckReference?.k === K && a.g.ownCheckReference.looMae === row.looMae)).toBe(true);
      expect(share(alike.map((a) => !a.g.applies))).toBeLessThanOrEqual(0.1);
    }
    // unbiased but noisier: the billet's own check sees it, on most proposals where the range and level-shift signs do not
    const worse = guards(billet(404, 0.015), curve, 404);
    expect(share(worse.map((a) => a.g.ownCheckHigh))).toBeGreaterThanOrEqual(0.75);
    expect(share(worse.map((a) => a.g.ownCheckHigh && !a.g.outsideRange && !a.g.levelShift))).toBeGreaterThanOrEqual(0.6);
    // no expected MAE is handed on, and where it alone trips the lead sentence names the billet's own check
    expect(worse.filter((a) => a.g.ownCheckHigh).every((a) => !a.g.applies && a.g.expected === null)).toBe(true);
    expect(worse.filter((a) => a.g.ownCheckHigh && !a.g.levelShift).every((a) => a.g.words[0].code === 'fewerCheck.notApply')).toBe(true);
  });

  it('a billet that needs a level shift: the chosen level makes its own check look fine, the level-shift sign still flags it', () => {
    const shifted = guards(billet(505, 0.006, -0.015), curve, 505);
    // the choice corrects the level on every proposal, so its LOO is no worse than an alike billet's…
    expect(shifted.every((a) => a.trend !== 'none')).toBe(true);
    expect(share(shifted.map((a) => a.g.ownCheckHigh))).toBeLessThanOrEqual(0.1);
    // …and the guard judges the shift on the level fit: the expected MAE does not apply
    expect(share(shifted.map((a) => a.g.levelShift))).toBeGreaterThanOrEqual(0.9);
    expect(shifted.filter((a) => a.g.levelShift).every((a) => a.g.words[0].code === 'fewerGuard.notApplyShift')).toBe(true);
  });
});
