import { describe, expect, it } from 'vitest';
import { fingerprintInputs } from '../../../core/services/shared/map-layer.js';
import { dataFingerprint } from '../../../core/report/index.js';
import type { Billet } from '../../../core/api/methods/billets.js';

type Pred = Parameters<typeof fingerprintInputs>[2];

const billet = { id: 7, name: 'B-7', steelGrade: 'C45', heat: 'H-1', nominalDiameterMm: 600, bulkCarbonWtPct: null, synthetic: false, castingNotes: null } as unknown as Billet;
const points = [
  { label: 'P01', xMm: 0, yMm: 0, carbonWtPct: 0.45 },
  { label: 'P02', xMm: 100, yMm: -50, carbonWtPct: 0.42 },
] as Parameters<typeof fingerprintInputs>[1];
const info = { id: 3, modelId: 1, createdAt: '2026-11-30T10:00:00Z' };
const extra = { paper: 'a4', settings: {} };

describe('report fingerprint and corrections', () => {
  it("an uncorrected map's fingerprint is what it was before corrections entered it (test fails before: `corrected: null` changed it)", () => {
    const pred = { info, corrected: null } as unknown as Pred;
    // the input shape before corrections existed: the prediction's id, model and time only
    const old = dataFingerprint({
      billet: { id: 7, name: 'B-7', grade: 'C45', heat: 'H-1', d: 600, c0: null, synthetic: false, notes: null },
      points: [
        ['P01', 0, 0, 0.45],
        ['P02', 100, -50, 0.42],
      ],
      prediction: { id: 3, model: 1, at: '2026-11-30T10:00:00Z' },
      extra,
    });
    expect(dataFingerprint(fingerprintInputs(billet, points, pred, extra))).toBe(old);
    // no prediction at all: unchanged too
    expect(dataFingerprint(fingerprintInputs(billet, points, null, extra))).toBe(dataFingerprint({ billet: { id: 7, name: 'B-7', grade: 'C45', heat: 'H-1', d: 600, c0: null, synthetic: false, notes: null }, points: [['P01', 0, 0, 0.45], ['P02', 100, -50, 0.42]], prediction: null, extra }));
  });

  it('a correction enters the fingerprint: its label and the corrected field', () => {
    const grid = { values: new Float64Array([0.42, 0.43]) };
    const corrected = { label: { k: 2 }, grid, halfWidth: new Float64Array([0.01, 0.01]) };
    const a = dataFingerprint(fingerprintInputs(billet, points, { info, corrected } as unknown as Pred, extra));
    const b = dataFingerprint(fingerprintInputs(billet, points, { info, corrected: { ...corrected, grid: { values: new Float64Array([0.42, 0.431]) } } } as unknown as Pred, extra));
    expect(a).not.toBe(dataFingerprint(fingerprintInputs(billet, points, { info, corrected: null } as unknown as Pred, extra)));
    expect(a).not.toBe(b);
  });
});
