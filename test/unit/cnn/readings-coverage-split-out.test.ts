import { describe, it, expect } from 'vitest';
import { calibrateFromSplits, splitOutIntervals, type SplitTestPoints } from '../../../core/segregation/cnn/calibration.js';
import { readingsCoverage } from '../../../core/segregation/cnn/readings-coverage.js';
import { intervalFor } from '../../../core/ml/conformal.js';
import { english } from '../../../core/runtime/english.js';

/**
 * Review s18 (a): a training billet's held-out readings are one split's test points, and their residuals calibrated
 * the interval shown on them. Three splits of 10 test points of billet 1, absolute errors: split 1's (the stored
 * model's, whose held-out points are predicted here) 0.040, 0.042 … 0.058; splits 2 and 3 0.001 … 0.010 and
 * 0.0015 … 0.0105. All 30: the 28th smallest (⌈31 · 0.9⌉) is 0.054, so the shown ±0.054 covers 8 of split 1's 10.
 * Without split 1: the 19th smallest of 20 (⌈21 · 0.9⌉) is 0.010, which covers none of them — the honest count.
 */
const mean = 0.2;
const sd = 0.001;
const errs = [
  Array.from({ length: 10 }, (_, i) => 0.04 + 0.002 * i),
  Array.from({ length: 10 }, (_, i) => 0.001 * (i + 1)),
  Array.from({ length: 10 }, (_, i) => 0.0015 + 0.001 * i),
];
const splits: SplitTestPoints[] = errs.map((e, s) => ({ testPoints: e.map((err, i) => ({ billetId: 1, label: `S${s}P${i}`, actual: mean + err, mean, sd })) }));
const cal = calibrateFromSplits(splits)!;
const heldOut = splits[0].testPoints.map((p) => ({ label: p.label, actual: p.actual, interval: intervalFor(mean, cal, sd), sample: 'held-out' as const }));

describe('readings coverage of a training billet: held-out readings against the interval without their own split', () => {
  it('shown ±0.054 would cover 8 of 10 (circular); without split 1 the interval is ±0.010 and covers 0 of 10', () => {
    expect(cal.quantile).toBeCloseTo(0.054, 12);
    const of = splitOutIntervals({ splits }, cal);
    const iv = of(['1/S0P0'], mean, sd)!;
    expect(iv.halfWidth).toBeCloseTo(0.01, 12);
    const shown = readingsCoverage(heldOut, cal.alpha);
    expect([shown[0].inside, shown[0].n, shown[0].against]).toEqual([8, 10, 'shown']);
    const cov = readingsCoverage(heldOut.map((p) => ({ ...p, splitOut: of([`1/${p.label}`], mean, sd) })), cal.alpha);
    expect(cov.map((c) => [c.sample, c.inside, c.n, c.against])).toEqual([['held-out', 0, 10, 'split-out']]);
    expect(english(cov[0].phrase)).toBe("readings inside their 90 % intervals: 0 of 10 (0 %; Wilson 90 % 0–21 %), held-out (split test points of a training image) — each counted against the interval calibrated without its own split's residuals, as the interval shown was sized partly on them");
  });

  it("a point of split 2 is scored without split 2 (±0.054 … from splits 1 and 3); a point in no split's residuals keeps the shown interval", () => {
    const of = splitOutIntervals({ splits }, cal);
    // splits 1 and 3: 20 residuals, the 19th smallest is split 1's 0.056
    expect(of(['1/S1P3'], mean, sd)!.halfWidth).toBeCloseTo(0.056, 12);
    expect(of(['1/elsewhere', '2/S0P0'], mean, sd)).toBeUndefined();
  });

  it('residuals that no longer give the stored quantile, or no split points kept: the count is labelled circular', () => {
    const tampered = { ...cal, quantile: 0.03 };
    expect(splitOutIntervals({ splits }, tampered)(['1/S0P0'], mean, sd)).toBeNull();
    expect(splitOutIntervals({ splits: [] }, cal)(['1/S0P0'], mean, sd)).toBeNull();
    const cov = readingsCoverage(heldOut.map((p) => ({ ...p, splitOut: null })), cal.alpha);
    expect([cov[0].inside, cov[0].n, cov[0].against]).toEqual([8, 10, 'circular']);
    expect(english(cov[0].phrase)).toContain('— circular: their own residuals calibrated these intervals');
  });
});
