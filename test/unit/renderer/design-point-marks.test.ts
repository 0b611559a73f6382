import { describe, expect, it } from 'vitest';
import { markNotes, marksCell, meanHalfWidth, unmarked } from '../../../renderer/src/components/jominy/point-marks.js';
import { defaultForm, targetScaleIssue } from '../../../renderer/src/components/jominy/design-settings.js';
import { DISTANCES_MM } from '../../../core/jominy/elements.js';
import { meanHalfWidth as coreMeanHalfWidth, pointMarks } from '../../../core/jominy/point-marks.js';
import { halfWidthFootnote } from '../../../core/cli/commands/jominy-uncertainty.js';
import { targetScaleRefusal } from '../../../core/jominy/target-scale.js';
import { WEIGHT_PRESETS } from '../../../core/jominy/objective.js';
import { english } from '../../../core/runtime/english.js';

/**
 * The Design page shows the core's marks (a value that is no prediction: held, no network, capped,
 * below 20 HRC) beside the value, no interval there and one footnote per kind; the form refuses a target below 20 HRC
 * in the design service's own words.
 */
const dist = [...DISTANCES_MM];
const at = (mm: number) => dist.indexOf(mm as (typeof DISTANCES_MM)[number]);

describe("a design's marks on the page", () => {
  // as the core marks them: capped at 1.5 and 3 mm, no network at 11 mm, below 20 HRC at 40 mm, held at 45 and 50 mm
  const profile = [60, 59, 55, 50, 45, 40, 36, 33, 30, 27, 24, 21, 19.2, 18.4, 18.4];
  const marks = pointMarks({ profile, capped: profile.map((_, i) => i < 2), outside: dist.map((d) => d > 40), noNetwork: dist.map((d) => d === 11) });
  const r1 = { rank: 1, marks };
  const r2 = { rank: 2, marks: marks.map((m) => (m === 'belowScale' ? null : m)) };

  it('one cell per design lists each kind once with its distances, in the footnotes order', () => {
    expect(marksCell(r1, dist)).toBe('~ 45, 50 mm; ≈ 11 mm; * 1.5, 3 mm; < 40 mm');
    expect(marksCell(r2, dist)).toBe('~ 45, 50 mm; ≈ 11 mm; * 1.5, 3 mm');
    expect(marksCell({ rank: 3, marks: dist.map(() => null) }, dist)).toBe('');
    // a distance written in the interface language (Italian decimal comma)
    expect(marksCell(r2, dist, (v) => String(v).replace('.', ','))).toBe('~ 45, 50 mm; ≈ 11 mm; * 1,5, 3 mm');
  });

  it('one footnote per kind present, with the distances and the ranks that carry it', () => {
    expect(markNotes([r1, r2], dist)).toEqual([
      { mark: 'held', mm: [45, 50], ranks: [1, 2] },
      { mark: 'noNetwork', mm: [11], ranks: [1, 2] },
      { mark: 'capped', mm: [1.5, 3], ranks: [1, 2] },
      { mark: 'belowScale', mm: [40], ranks: [1] },
    ]);
    expect(markNotes([r2], dist).map((n) => n.mark)).toEqual(['held', 'noNetwork', 'capped']);
    expect(markNotes([{ rank: 1, marks: undefined }], dist)).toEqual([]);
  });

  it('the interval band has a gap at each marked distance and keeps the others', () => {
    const lo = profile.map((v) => v - 1.6);
    const band = unmarked(lo, marks);
    expect(band.flatMap((v, i) => (v === null ? [dist[i]] : []))).toEqual([1.5, 3, 11, 40, 45, 50]);
    expect(band[at(5)]).toBeCloseTo(53.4, 10);
    expect(unmarked(lo, undefined)).toEqual(lo);
  });
});

describe("a design's ±90 % mean HRC is over the distances with a prediction only", () => {
  // half-widths 1..15 HRC at the 15 distances; marked (no interval) at 1.5 and 3 mm (capped) and 45, 50 mm (held)
  const profile = dist.map(() => 40);
  const lo = dist.map((_, i) => 40 - (i + 1));
  const hi = dist.map((_, i) => 40 + (i + 1));
  const marks = pointMarks({ profile, capped: dist.map((_, i) => i < 2), outside: dist.map((d) => d > 40) });

  it('averages the 11 unmarked half-widths (3..13 HRC → 8.0); a wide interval at a marked distance does not move it', () => {
    expect(meanHalfWidth({ lo, hi }, marks)).toEqual({ hrc: 8, distances: 11 });
    // skewed: a wide interval at a held distance (50 mm) must not widen the mean
    const wide = hi.map((v, i) => (i === 14 ? v + 100 : v));
    const all = wide.reduce((a, h, i) => a + (h - lo[i]) / 2, 0) / 15;
    expect(all).toBeCloseTo(8 + 50 / 15, 10); // the old figure, over all 15
    expect(meanHalfWidth({ lo, hi: wide }, marks)!.hrc).toBeCloseTo(8, 12);
    expect(meanHalfWidth({ lo, hi: wide }, undefined)!.hrc).toBeCloseTo(all, 12);
    expect(meanHalfWidth({ lo, hi }, dist.map(() => 'held' as const))).toBeNull();
  });

  it('the page and the CLI run one definition (core/api/jominy-interval-width.ts), so they cannot disagree', () => {
    expect(meanHalfWidth).toBe(coreMeanHalfWidth);
  });

  it("the CLI's footnote says over how many distances, per rank when they differ, and names an all-marked '–' row", () => {
    expect(halfWidthFootnote([{ rank: 1, half: { hrc: 8, distances: 11 } }, { rank: 2, half: { hrc: 7, distances: 11 } }])).toBe('±90 % mean HRC: over the 11 distances with a prediction (a marked value has no interval)');
    expect(halfWidthFootnote([{ rank: 1, half: { hrc: 8, distances: 11 } }, { rank: 2, half: { hrc: 7, distances: 15 } }, { rank: 3, half: null }])).toBe(
      '±90 % mean HRC: over the distances with a prediction: 11 (rank 1), 15 (rank 2); – (rank 3): every distance is marked, no interval to average (a marked value has no interval)',
    );
    expect(halfWidthFootnote([{ rank: 1, half: undefined }])).toBeNull();
  });
});

describe('the form refuses a target below 20 HRC in the service\'s words', () => {
  const form = (over: Partial<ReturnType<typeof defaultForm>>) => ({ ...defaultForm(), ...over });

  it('a curve value under 20 at a counted distance: the same phrase the design service throws', () => {
    const target = [52, 51, 49, 46, 42, 39, 37, 35, 32, 30, 29, 28, 27, 19.5, 15];
    const issue = targetScaleIssue(form({ target }), dist)!;
    expect(issue.kind).toBe('scale');
    const core = targetScaleRefusal({ kind: 'curve', hardness: target }, null, null)!;
    expect(issue.kind === 'scale' && issue.phrase).toEqual(core);
    expect(english(core)).toContain('less than 20 HRC at 45 mm: 19.5 HRC; 50 mm: 15 HRC');
    // 20 is on the scale; a blank or a weight of 0 is not designed for
    expect(targetScaleIssue(form({ target: target.map((v) => Math.max(v, 20)) }), dist)).toBeNull();
    expect(targetScaleIssue(form({ target: target.map((v, i) => (i >= 13 ? null : v)) }), dist)).toBeNull();
    const weights = dist.map((d) => (d >= 45 ? 0 : 1));
    expect(targetScaleIssue(form({ target, weights, weightPreset: 'custom' }), dist)).toBeNull();
    expect(targetScaleRefusal({ kind: 'curve', hardness: target }, weights, null)).toBeNull();
    // the 'equal' preset sends no weights: every typed value counts, whatever the weights row held before
    expect(targetScaleIssue(form({ target, weights, weightPreset: 'equal' }), dist)).not.toBeNull();
    expect(targetScaleIssue(form({ target, weights: [...WEIGHT_PRESETS.central], weightPreset: 'central' }), dist)).not.toBeNull();
  });

  it("a band's high line under 20: the service's band phrase; its low line is left to the service", () => {
    const bandMax: (number | null)[] = dist.map(() => 60);
    bandMax[at(40)] = 18.25;
    const bandMin: (number | null)[] = dist.map(() => null);
    const issue = targetScaleIssue(form({ mode: 'band', bandMin, bandMax }), dist)!;
    expect(issue.kind === 'scale' && issue.phrase).toEqual(targetScaleRefusal({ kind: 'band', min: bandMin, max: bandMax }, null, null));
    expect(issue.kind === 'scale' && issue.phrase.params).toEqual({ points: '40 mm: 18.25 HRC', min: 20 });
    bandMin[at(50)] = 12;
    expect(targetScaleIssue(form({ mode: 'band', bandMin, bandMax: dist.map(() => 60) }), dist)).toBeNull();
  });
});
