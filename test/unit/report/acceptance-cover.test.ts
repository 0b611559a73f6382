import { describe, expect, it } from 'vitest';
import { acceptanceOf } from '../../../core/report/index.js';
import { coverageRegion, COVERAGE_RULE_DISC, hullCoveredFraction, measuredMap, segregationIndices } from '../../../core/maps/index.js';

const classes = [{ name: 'A', maxRatio: 1.05 }, { name: 'B', maxRatio: 1.1 }];
const c0 = { wtPct: 0.42, source: 'bulk' as const };

describe('the readings\' covered share: one figure on a page, never rounded up to the rule it misses', () => {
  it('a share of 49.968 % is printed 49.9 % beside the 50 % rule (not rounded up to it), on the indicative line and the figure', () => {
    const a = acceptanceOf(1.04, classes, undefined, { c0, self: { points: 12, coveredFraction: 0.49968 } });
    expect(a.headline).toContain('12 points covering 49.9 % of the section');
    expect(a.verdict).toContain('(12 points, covering 49.9 % of the section)');
    expect(`${a.headline} ${a.verdict}`).not.toMatch(/covering 50(\.0)? %/);
  });

  it('readings on one line computed with cos/sin cover nothing: the hull share is 0 and the region is the disc rule', () => {
    for (const deg of [30, 45, 60, 90, 135]) {
      const t = (deg * Math.PI) / 180;
      const line = Array.from({ length: 21 }, (_, i) => ({ xMm: (-300 + 30 * i) * Math.cos(t), yMm: (-300 + 30 * i) * Math.sin(t) }));
      expect({ deg, share: hullCoveredFraction(line, 300) }).toEqual({ deg, share: 0 });
      expect(coverageRegion(line).rule).toBe(COVERAGE_RULE_DISC);
    }
  });

  it('21 readings on a traverse are short of cover, not of count: the reason says they cover 0 %', () => {
    const a = acceptanceOf(1.04, classes, undefined, { c0, readings: 21, measured: null, model: { sample: 'out-of-sample', interval: 'calibrated' }, upper: { ratio: 1.045, nominal: 0.9 } });
    expect(a.modelOnlyReasons).toContain('readings-cover-too-little');
    expect(a.modelOnlyReasons).not.toContain('readings-too-few');
  });

  it('a measured map prints its hull\'s exact share as Covered (and the rest as Extrapolated), whatever the grid', () => {
    const R = 300;
    const ring = Array.from({ length: 9 }, (_, i) => ({ label: `P${i}`, xMm: 0.715 * R * Math.cos((2 * Math.PI * i) / 9), yMm: 0.715 * R * Math.sin((2 * Math.PI * i) / 9) }));
    const pts = [{ label: 'C', xMm: 0, yMm: 0 }, ...ring].map((p) => ({ ...p, carbonWtPct: 0.42 + 0.0001 * Math.hypot(p.xMm, p.yMm) }));
    const exact = hullCoveredFraction(pts, R);
    expect(exact).toBeCloseTo(0.4707, 4);
    for (const cellsAcross of [21, 61, 201]) {
      const ix = segregationIndices(measuredMap(pts, R, { cellsAcross }).grid, { coveredBy: pts });
      expect({ cellsAcross, covered: ix.coveredFraction, extrapolated: ix.extrapolatedFraction }).toEqual({ cellsAcross, covered: exact, extrapolated: 1 - exact });
    }
  });
});
