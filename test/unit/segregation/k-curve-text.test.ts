import { describe, expect, it } from 'vitest';
import { curveTable } from '../../../core/cli/commands/fewer-points.js';
import type { KCurveResult } from '../../../core/api/methods/fewer-points.js';

const row = (k: number, readingsMeanMae?: number) => ({
  k, draws: k === 0 ? 1 : 2, mae: 0.0075, maeSd: 0.0001, maeMin: 0.0074, maeMax: 0.0076, uncorrectedMae: 0.0081, coverage: 0.94, meanHalfWidth: 0.012, slopeShare: 0,
  ...(readingsMeanMae === undefined ? {} : { readingsMeanMae }),
});
const curve = (sample: KCurveResult['sample']): KCurveResult => ({
  id: 1, billetId: 2, modelId: 3, modelName: 'm', seed: 1, draws: 2, selection: 'proposed', method: 'level-slope', level: 0.9, points: 85, sample,
  rows: [row(0), row(4, 0.0167)], createdAt: '2026-11-30T00:00:00Z',
});

/** The K-curve's text: the held-out MAEs said held out from what, beside a baseline that knows no model. */
describe('segregation k-curve text', () => {
  it('puts the mean of the K readings (no model) beside the corrected and uncorrected MAE, per K', () => {
    const t = curveTable(curve('out-of-sample'));
    expect(t).toContain('baselines on the same points: the model uncorrected, and no model — the mean of the K readings taken everywhere');
    expect(t).toContain('MAE uncorrected   MAE mean of K readings   coverage of 90 % intervals');
    expect(t).toMatch(/\n {3}4 {3}0\.0075 ± 0\.0001 \(0\.0074–0\.0076\) +0\.0081 +0\.0167 +94 %/);
    expect(t).toMatch(/\n {3}0 {3}0\.0075 .*0\.0081 +– +94 %/); // K = 0: no readings, no baseline
    expect(t).toContain('(held out from the correction), against their readings, wt.%\n');
  });

  it('says when the held-out points are in-sample or held-out to the model itself', () => {
    expect(curveTable(curve('in-sample'))).toContain('held out from the correction), against their readings, wt.%; the model trained on this billet, so to the model itself they are IN-SAMPLE: not what a new billet will show');
    expect(curveTable(curve('held-out'))).toContain("; the model trained on this billet’s image, not on these points: held-out to the model, not out-of-sample");
  });
});
