import { describe, expect, it } from 'vitest';
import { statedMeetRange } from '../../../core/jominy/meet-uncertainty.js';
import { meetLines } from '../../../core/cli/commands/jominy-meet-text.js';
import type { DesignResultRow } from '../../../core/api/methods/jominy.js';

/**
 * Review s18 (c): the held-out check of P(meet band) scores each heat at the k of the cross-fit half it was not in, while
 * the design's P is taken at the stored k. The check now gives the mean P at the stored k too, the words name which is
 * which, and the stated range takes the wider gap. P 0.90 ± 0.005; 40 heats met 0.80 (Wilson 0.70–0.87); mean P 0.85 at
 * the halves' k, 0.93 at the stored k: gaps −0.15/+0.02 and −0.23/−0.06 → range 0.90 − 0.23 = 0.67 to 0.92.
 */
const check = { heats: 40, meanP: 0.85, meanPStored: 0.93, share: 0.8, lo: 0.7, hi: 0.87 };

describe("P(meet band)'s held-out check at the stored k as well as the halves' k", () => {
  it('the range takes the wider of the two gaps: 0.67–0.92 (the halves alone gave 0.75–0.92)', () => {
    const [lo, hi] = statedMeetRange(0.9, 0.005, null, check);
    expect(lo).toBeCloseTo(0.67, 12);
    expect(hi).toBeCloseTo(0.92, 12);
    const old = statedMeetRange(0.9, 0.005, null, { ...check, meanPStored: undefined });
    expect(old[0]).toBeCloseTo(0.75, 12);
  });

  it('the CLI names which P each mean is', () => {
    const meet = { p: 0.9, se: 0.005, draws: 2000, seed: 1, tolerances: {}, range: [0.67, 0.92], calibrationRange: null, replicates: 0, heldOut: check, heldOutWhy: 'measured' };
    const lines = meetLines([{ meet } as unknown as DesignResultRow]);
    expect(lines[1]).toContain("P said 85.0 % at the cross-fit halves' k (93.0 % at the stored k the design's P is taken at, fitted on these heats), 80.0 % met (70.0–87.0 %, Wilson 90 %)");
  });
});
