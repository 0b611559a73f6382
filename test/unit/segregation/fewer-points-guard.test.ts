import { describe, expect, it } from 'vitest';
import { billetOutsideRange, curveApplicability, curveFloor, LEVEL_SHIFT_Z } from '../../../core/segregation/fewer-points/index.js';
import { correctionGuard, curveRange } from '../../../core/services/fewer-points/curve-guard.js';
import type { KCurveResult } from '../../../core/api/methods/fewer-points.js';

/**
 * Task 19-C: the expected MAE of a model's K-curves is measured on billets it knows; the guard says when a billet's
 * K readings show it is not one of them (outside the training carbon range, or a level shift beyond what the
 * curves' billets needed). The range and readings below are those of the synthetic billets with the base-trained
 * model (training range 0.388–0.492 wt.%; bench/fewer-points-guard.ts).
 */
const RANGE = { min: 0.388, max: 0.492 };
// eight readings of a low-carbon billet (5 below the range) and of a stirring billet (1 below)
const LOW = [0.351, 0.362, 0.371, 0.380, 0.386, 0.392, 0.401, 0.415];
const STIR = [0.384, 0.405, 0.412, 0.421, 0.428, 0.436, 0.447, 0.463];

describe('curveApplicability', () => {
  it('a low-carbon billet: outside the range and a level shift beyond the curves\' billets — the expected MAE does not apply', () => {
    const a = curveApplicability({ readings: LOW, corrected: [0.37, 0.38, 0.39, 0.40], trainingRange: RANGE, offset: -0.012, residualSd: 0.008, referenceShifts: [-0.002, 0.001] });
    expect(a.applies).toBe(false);
    expect(a.outsideRange).toBe(true);
    expect(a.analysedOutside).toBe(5);
    expect(a.outsideShare).toBeCloseTo(5 / 8, 12);
    expect(a.correctedOutsideShare).toBeCloseTo(0.5, 12);
    expect(a.referenceShift).toBeCloseTo(0.002, 12);
    expect(a.referenceBillets).toBe(2);
    expect(a.offsetLimit).toBeCloseTo(0.002 + (LEVEL_SHIFT_Z * 0.008) / Math.sqrt(8), 12);
    expect(a.levelShift).toBe(true);
  });

  it('a stirring billet: one reading outside, a small offset — it applies', () => {
    const a = curveApplicability({ readings: STIR, corrected: STIR, trainingRange: RANGE, offset: -0.002, residualSd: 0.007, referenceShifts: [0.0013] });
    expect(a).toMatchObject({ applies: true, outsideRange: false, levelShift: false, analysedOutside: 1 });
  });

  it('the range test counts a share above 1/4 and at least two readings; without a range it is not made', () => {
    const base = { corrected: [], trainingRange: RANGE, offset: 0, residualSd: 0.007, referenceShifts: [] };
    expect(curveApplicability({ ...base, readings: [0.38, 0.37, 0.40, 0.41, 0.42, 0.43, 0.44, 0.45] }).outsideRange).toBe(false); // 2 of 8
    expect(curveApplicability({ ...base, readings: [0.38, 0.37, 0.36, 0.41, 0.42, 0.43, 0.44, 0.45] }).outsideRange).toBe(true); // 3 of 8
    expect(curveApplicability({ ...base, readings: [0.38, 0.42] }).outsideRange).toBe(false); // 1 of 2
    expect(curveApplicability({ ...base, readings: [0.38, 0.37, 0.42] }).outsideRange).toBe(true); // 2 of 3
    expect(curveApplicability({ ...base, trainingRange: null, readings: LOW })).toMatchObject({ outsideRange: false, analysedOutside: 0, applies: true });
    expect(() => curveApplicability({ ...base, readings: [] })).toThrow(RangeError);
  });

  it('the level-shift test: against the largest shift the references needed plus z standard errors of a K-point mean', () => {
    const at = (offset: number, refs: number[]) => curveApplicability({ readings: STIR, corrected: [], trainingRange: RANGE, offset, residualSd: 0.008, referenceShifts: refs }).levelShift;
    const se = 0.008 / Math.sqrt(8);
    expect(at(-(LEVEL_SHIFT_Z * se) * 0.99, [])).toBe(false);
    expect(at(-(LEVEL_SHIFT_Z * se) * 1.01, [])).toBe(true);
    expect(at(-(LEVEL_SHIFT_Z * se) * 1.01, [0.001])).toBe(false); // a reference billet that needed 0.001 raises the limit
  });

  it('a fully measured billet against the range; the floor records the level shift it needed', () => {
    expect(billetOutsideRange(LOW, RANGE)).toEqual({ outsideShare: 5 / 8, outside: true });
    expect(billetOutsideRange(STIR, RANGE)).toEqual({ outsideShare: 1 / 8, outside: false });
    const pts = STIR.map((r, i) => ({ label: `P${i}`, xMm: i, yMm: 0, predicted: r + 0.003 + (i % 2) * 0.001, reading: r }));
    expect(curveFloor(pts).offset).toBeCloseTo(-0.0035, 12);
  });
});

describe('correctionGuard (the words and the references of the service)', () => {
  const curve = (id: number, billetId: number, over: Partial<KCurveResult>): KCurveResult => ({
    id, billetId, modelId: 1, modelName: 'm', seed: 1, draws: 4, selection: 'proposed', method: 'residual-kriging', level: 0.9, points: 85, sample: 'out-of-sample',
    rows: [0, 4, 8, 16].map((k) => ({ k, draws: 4, mae: 0.008 - k * 0.0001, maeSd: 0, maeMin: 0, maeMax: 0, uncorrectedMae: 0.008, coverage: 0.9, meanHalfWidth: 0.01, slopeShare: 0 })),
    floor: { points: 85, level: 0.007, levelSlope: 0.007, offset: -0.002 },
    range: curveRange(STIR, RANGE),
    createdAt: '2026-11-30T00:00:00Z',
    ...over,
  });
  // newest first: a curve on a low-carbon billet (outside: no reference, no expected MAE), an in-sample one, a held-out one
  const curves = [
    curve(9, 3, { floor: { points: 85, level: 0.01, levelSlope: 0.01, offset: -0.014 }, range: curveRange(LOW, RANGE) }),
    curve(8, 1, { sample: 'in-sample', floor: { points: 300, level: 0.005, levelSlope: 0.005, offset: 0.0001 } }),
    curve(7, 5, {}),
  ];

  it('a low-carbon billet: "does not apply", with the share outside, the shift and the advice; no expected figure shown', () => {
    const g = correctionGuard({ readings: LOW, corrected: LOW.map((v) => v - 0.001), offset: -0.012, residualSd: 0.008, range: RANGE, curves });
    expect(g.applies).toBe(false);
    expect(g.referenceBillets).toBe(2); // the outside curve is no reference
    expect(g.referenceShift).toBeCloseTo(0.002, 12);
    expect(g.words.map((w) => w.code)).toEqual(['fewerGuard.notApply', 'fewerGuard.outside', 'fewerGuard.shift', 'fewerGuard.advice']);
    expect(g.english).toContain('does not apply');
    expect(g.english).toContain('5 of 8 analysed readings (63 %) lie outside the carbon range the model was trained on (0.388–0.492 wt.%)');
    expect(g.english).toContain('level shift of -0.0120 wt.%');
    expect(g.english).toContain('at most 0.0020 wt.% (2 billets)');
    expect(g.english).not.toContain('Expected MAE with');
    expect(g.expected).toBeNull(); // a held-out curve exists, but its figure is not handed on
  });

  it('inside the range but a level shift beyond the curves\' billets: the lead names the shift, not the range', () => {
    const g = correctionGuard({ readings: STIR, corrected: STIR, offset: -0.015, residualSd: 0.004, range: RANGE, curves });
    expect(g.outsideRange).toBe(false);
    expect(g.levelShift).toBe(true);
    expect(g.applies).toBe(false);
    expect(g.words.map((w) => w.code)).toEqual(['fewerGuard.notApplyShift', 'fewerGuard.outside', 'fewerGuard.shift', 'fewerGuard.advice']);
    expect(g.english).toContain('its readings need a larger level shift than the billets of those curves did');
    expect(g.english).not.toContain('lie outside the carbon range the model was trained on.');
    expect(g.expected).toBeNull();
  });

  it('a model with no recorded training range hands on no expected MAE, and says why', () => {
    const g = correctionGuard({ readings: STIR, corrected: STIR, offset: -0.002, residualSd: 0.007, range: null, curves });
    expect(g.applies).toBe(false);
    expect(g.expected).toBeNull();
    expect(g.words.map((w) => w.code)).toEqual(['fewerGuard.notApplyNoRange']);
    expect(g.english).toBe('No expected MAE is shown: the model has no recorded training carbon range, so whether this billet lies inside it cannot be checked.');
  });

  it('a stirring billet: the expected MAE at its K from the newest held-out curve on a billet inside the range', () => {
    const g = correctionGuard({ readings: STIR, corrected: STIR, offset: -0.002, residualSd: 0.007, range: RANGE, curves });
    expect(g.applies).toBe(true);
    expect(g.expected).toEqual({ k: 8, mae: 0.008 - 8 * 0.0001, curveId: 7, billetId: 5, sample: 'out-of-sample' });
    // the curve's own sample label, not "held-out" whatever it was (task 27-G: curve 7 is out-of-sample)
    expect(g.english).toContain("Expected MAE with K = 8 analysed points: 0.0072 wt.% (K-curve 7 on billet 5, out-of-sample (an image never trained on), a billet inside the model's training range).");
    expect(g.english).not.toContain('held-out');
    const heldOut = correctionGuard({ readings: STIR, corrected: STIR, offset: -0.002, residualSd: 0.007, range: RANGE, curves: [curve(7, 5, { sample: 'held-out' })] });
    expect(heldOut.english).toContain('(K-curve 7 on billet 5, held-out (split test points of a training image), a billet inside');
    const six = correctionGuard({ readings: STIR.slice(0, 6), corrected: STIR, offset: -0.002, residualSd: 0.007, range: RANGE, curves });
    expect(six.expected!.k).toBe(4); // the largest K of the curve not above the K analysed
    // a curve measured with the correction's own method is preferred to a newer one measured with the other
    const mixed = [curve(10, 6, { method: 'level-slope' }), ...curves];
    expect(correctionGuard({ readings: STIR, corrected: STIR, offset: -0.002, residualSd: 0.007, range: RANGE, curves: mixed, method: 'residual-kriging' }).expected!.curveId).toBe(7);
    expect(correctionGuard({ readings: STIR, corrected: STIR, offset: -0.002, residualSd: 0.007, range: RANGE, curves: mixed, method: 'level-slope' }).expected!.curveId).toBe(10);
    expect(correctionGuard({ readings: STIR, corrected: STIR, offset: -0.002, residualSd: 0.007, range: RANGE, curves: [] }).words[0].code).toBe('fewerGuard.appliesNoCurve');
  });

  it('a K-curve measured on the billet being corrected is no expected MAE nor a shift reference, and the guard says why (task 27-G)', () => {
    // curve 7 on billet 5 would be the source; correcting billet 5 itself, its figure came from these very readings
    const g = correctionGuard({ readings: STIR, corrected: STIR, offset: -0.002, residualSd: 0.007, range: RANGE, curves, billetId: 5 });
    expect(g.expected).toBeNull();
    expect(g.referenceBillets).toBe(1); // curve 8 (billet 1) only: billet 5's own shift is no reference for billet 5
    expect(g.words.map((w) => w.code)).toEqual(['fewerGuard.appliesNoCurve', 'fewerGuard.ownBillet', 'fewerGuard.outside']);
    expect(g.english).toContain('K-curve 7 was measured on this billet itself, with all its readings, the 8 analysed here included');
    expect(g.english).not.toContain('Expected MAE with');
    // a newer curve on this billet is passed over for another billet's, and the guard says why
    const other = correctionGuard({ readings: STIR, corrected: STIR, offset: -0.002, residualSd: 0.007, range: RANGE, curves: [curve(11, 5, {}), curve(7, 6, {})], billetId: 5 });
    expect(other.expected!.curveId).toBe(7);
    expect(other.words.map((w) => w.code)).toEqual(['fewerGuard.applies', 'fewerGuard.ownBillet', 'fewerGuard.outside']);
    // correcting another billet, the same curves say nothing of it
    expect(correctionGuard({ readings: STIR, corrected: STIR, offset: -0.002, residualSd: 0.007, range: RANGE, curves: [curve(11, 5, {}), curve(7, 6, {})], billetId: 9 }).words.map((w) => w.code)).not.toContain('fewerGuard.ownBillet');
  });

  it('a curve whose sample is unknown (a deleted ancestor) gives no expected MAE, like an in-sample one', () => {
    const g = correctionGuard({ readings: STIR, corrected: STIR, offset: -0.002, residualSd: 0.007, range: RANGE, curves: [curve(12, 6, { sample: 'unknown' }), curve(8, 1, { sample: 'in-sample' })] });
    expect(g.expected).toBeNull();
    expect(g.words[0].code).toBe('fewerGuard.appliesNoCurve');
  });

  it('a K-curve on a billet outside the range says it is not the expected MAE of billets the model knows', () => {
    const r = curveRange(LOW, RANGE);
    expect(r.outside).toBe(true);
    expect(r.english).toContain('5 of 8 readings (63 %) outside 0.388–0.492 wt.%');
    expect(curveRange(STIR, RANGE).words).toEqual([]);
    expect(curveRange(STIR, null).words.map((w) => w.code)).toEqual(['fewerGuard.noRange']);
  });
});
