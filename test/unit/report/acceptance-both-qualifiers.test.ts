import { describe, expect, it } from 'vitest';
import { acceptanceOf } from '../../../core/report/index.js';
import { readingsUpperEnd, type Repeatability } from '../../../core/segregation/index.js';

/**
 * Review s18 (b): a model's map whose class holds at the point estimate only for two independent reasons — a reading's
 * repeatability upper end in a worse class AND the model's own interval (its cells' upper ends in a worse class, or no
 * finite interval to check) — said only the readings' reason: an if / else-if dropped the model's. C0 0.42 wt.%, classes
 * A ≤ 1.10, B ≤ 1.20, C ≤ 1.30; the map's max 1.15 (B) decides; reading P12 0.4998 wt.% (1.19, B) read once with
 * s = 0.01 on df 6: its upper end 0.4998 + 1.440 × 0.01 = 0.51420 wt.%, C/C0 1.2243 (C).
 */
const C0 = 0.42;
const c0 = { wtPct: C0, source: 'bulk' as const };
const rep: Repeatability = { sdWtPct: 0.01, df: 6, points: 3 };
const ABC = [
  { name: 'A', maxRatio: 1.1 },
  { name: 'B', maxRatio: 1.2 },
  { name: 'C', maxRatio: 1.3 },
];
const r = readingsUpperEnd([{ label: 'P12', xMm: 0, yMm: 0, meanWtPct: 0.4998, n: 1 }, { label: 'P13', xMm: 30, yMm: 0, meanWtPct: 0.47, n: 4 }], rep)!;
const readingsUpper = { ratio: r.wtPct / C0, nominal: r.nominal, halfWidthWtPct: r.halfWidthWtPct, t: r.t, n: r.n, label: r.label, meanWtPct: r.valueWtPct };
const base = { c0, readings: 2, readingMax: { label: 'P12', ratio: 0.4998 / C0 }, repeatability: rep, readingsUpper };
const READINGS = "at the point estimate only (Class C at the upper end of reading P12 for the analyser's repeatability alone)";

describe("a class at the point estimate only by the readings' repeatability and by the model's interval: both are said", () => {
  it("the model's cells' upper ends reach class C (1.25) too: both qualifiers, in that order", () => {
    expect(readingsUpper.ratio).toBeCloseTo(1.2243, 4);
    const a = acceptanceOf(1.15, ABC, undefined, { ...base, model: { sample: 'out-of-sample', interval: 'calibrated' }, upper: { ratio: 1.25, nominal: 0.9 } });
    expect(a).toMatchObject({ className: 'B', decidedBy: 'map', pointEstimateOnly: true, readingsUpperClassName: 'C' });
    const readingsAt = a.headline.indexOf(READINGS);
    const modelAt = a.headline.indexOf("at the point estimate only (Class C at the largest of the cells' upper ends)");
    expect(readingsAt).toBeGreaterThan(0);
    expect(modelAt).toBeGreaterThan(readingsAt);
  });

  it('the model has no finite interval (no upper-end check): the unchecked qualifier beside the readings one', () => {
    const a = acceptanceOf(1.15, ABC, undefined, { ...base, model: { sample: 'out-of-sample', interval: 'none' }, upper: null });
    expect(a.headline).toContain(READINGS);
    expect(a.headline).toContain('at the point estimate only (no finite interval: no upper-end check)');
  });

  it("the model's upper ends stay in class B (1.18): the readings' qualifier alone", () => {
    const a = acceptanceOf(1.15, ABC, undefined, { ...base, model: { sample: 'out-of-sample', interval: 'calibrated' }, upper: { ratio: 1.18, nominal: 0.9 } });
    expect(a.headline).toContain(READINGS);
    expect(a.headline.split('at the point estimate only').length - 1).toBe(1);
  });
});
