import { describe, expect, it } from 'vitest';
import { planReport } from '../../../core/cli/commands/fewer-points.js';
import type { PointPlan } from '../../../core/api/methods/fewer-points.js';

/** Task 27-H: `propose-points` says what weighted the proposal, as the plan stored it. */
const plan = (widthSource: string): PointPlan => ({
  id: 4, billetId: 2, modelId: 1, modelName: 'M1', k: 1, seed: 5, widthSource, widthWeight: 1, labels: ['P43'],
  points: [{ label: 'P43', xMm: 0, yMm: 0, predicted: 0.4536, sd: 0.0012, width: 0.0428, pick: 1, reading: null }],
  priorSd: 0.023, measured: 0, sample: 'out-of-sample', createdAt: '2026-12-01T06:00:00.000Z', correctedAt: null,
});

describe('the point plan report names its widths', () => {
  it("calls a calibrated model's widths its calibrated interval half-widths, not \"as given\"", () => {
    // had read "widths: as given" for the plan of every calibrated model
    expect(planReport(plan('calibrated-interval'))).toContain("seed 5; widths: the model's calibrated interval half-widths, weight 1)");
    expect(planReport(plan('tta-sd'))).toContain('widths: the TTA spread (the model has no calibrated interval), weight 1)');
    expect(planReport(plan('given'))).toContain('widths: as given, weight 1)');
  });
});
