import { describe, expect, it } from 'vitest';
import type { DesignSession } from '../../../core/api/methods/jominy.js';
import { sessionText } from '../../../core/cli/commands/jominy-session-text.js';
import { DISTANCES_MM } from '../../../core/jominy/elements.js';
import { coverageNote, meetCalibration } from '../../../core/jominy/coverage-why.js';
import { english } from '../../../core/runtime/english.js';

/**
 * `jominy design` (and `jominy sessions show`) marks two different things under its tables: a point capped at the
 * martensite maximum and a P(meet band) whose calibration is not measured. Both were `*`, so in one output a reader
 * could not tell which footnote a mark meant (issue 24, item 2). Now `*` is the capped point's mark (as in
 * `jominy predict`) and `†` the uncalibrated probability's, each with its own footnote.
 */
describe('jominy design text: one mark per footnote', () => {
  // A band session whose best design is capped at J1.5 and J3 and whose P(meet band) is not calibrated (the interval's
  // scale was stored before the cross-fit calibration): both footnotes in one output.
  const profile = [58.1, 58.1, 55.2, 50.4, 46.0, 42.3, 39.9, 37.6, 35.4, 33.9, 32.8, 31.7, 30.9, 30.1, 29.5];
  const capped = profile.map((_, i) => i < 2);
  const why = 'stored-before-cross-fit' as const;
  const interval = { sd: profile.map(() => 1), sdEnsemble: profile.map(() => 0.8), lo: profile.map((h) => h - 1.645), hi: profile.map((h) => h + 1.645), nominal: 0.9, coverage: null, coverageWhy: why, coverageNote: coverageNote(why), coverageLowest: null, perDistance: false };
  const session: DesignSession = {
    id: 4, name: 'band', modelId: 2, predictor: { id: 2, name: 'P', deleted: false }, parentSessionId: null, seed: 5,
    target: { kind: 'band', min: DISTANCES_MM.map(() => 25), max: DISTANCES_MM.map(() => 60) },
    settings: { tolerances: { C: 0.02 }, trust: { sdWeight: 1, robustWeight: 0 } },
    run: { state: 'done', error: null, generations: 3, evaluations: 30, stopReason: 'generations', restarts: 1, threads: 1, durationMs: 10, seeds: [5], history: [], ga: { search: 'default', domainWeight: 1 } },
    results: [{
      rank: 1, chemistry: { C: 0.62, Mn: 0.8 }, profile, reference: null, objective: 0.4, deviation: 0.4, weightedDeviation: 0.4, costTerm: 0,
      domain: { inDomain: true, outOfRange: [], distance: 0.5, threshold: 2 }, capped, interval,
      meet: { p: 0.71, se: 0.01, draws: 2000, seed: 9, tolerances: { C: 0.02 }, ...meetCalibration(why) },
    }],
    interruptedAt: null, createdAt: '2026-11-30T21:00:00Z', updatedAt: '2026-11-30T21:00:00Z',
  };

  it('marks capped points with * and the uncalibrated P(meet band) with †, each explained once by its own footnote', () => {
    const text = sessionText(session);
    const lines = text.split('\n');
    // the curve table: * on exactly the capped points
    const curve = lines.slice(lines.indexOf('  mm  target   best  A255(best)') + 1).slice(0, 15);
    expect(curve.map((l) => l.includes('*'))).toEqual(capped);
    expect(curve.some((l) => l.includes('†'))).toBe(false);
    // the P(meet band) row: † after the probability, no *; this row was stored without a range, so its ± (the Monte
    // Carlo error only) carries ‡, explained under the table
    const meetRow = lines.find((l) => /^ +1 +71\.0 % ± 1\.0 %/.test(l))!;
    expect(meetRow).toMatch(/^ +1 +71\.0 % ± 1\.0 %‡† +1\.65 {2}in {2}0\.50 \/ 2\.00$/);
    expect(lines.filter((l) => l.startsWith('‡ '))).toEqual(['‡ P(meet band) ±: the Monte Carlo error of its draws only, nothing of its calibration (stored before P(meet band) carried its calibration range and held-out check, 2026-12-01); run the design again to state them']);
    // each footnote once, under its own mark
    const starNotes = lines.filter((l) => l.startsWith('* '));
    const daggerNotes = lines.filter((l) => l.startsWith('† '));
    // a band counts at every distance it bounds (core/jominy/objective.ts countedPoints): both capped points are named
    expect(starNotes).toEqual(['* capped at 58.1 HRC, the as-quenched hardness of 100 % martensite at 0.62 wt.% C: the network predicted more; where the target counts: 1.5, 3 mm']);
    expect(daggerNotes).toEqual([`† P(meet band): ${english(meetCalibration(why).calibrationNote!)}`]);
    expect(daggerNotes[0]).toContain('calibration not measured');
  });
});
