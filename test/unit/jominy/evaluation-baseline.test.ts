import { describe, expect, it } from 'vitest';
import { nearestHeats, summarise } from '../../../core/jominy/evaluate.js';
import { ELEMENTS, N_POINTS } from '../../../core/jominy/elements.js';
import type { JominySample } from '../../../core/jominy/dataset.js';
import type { DesignTaskResult } from '../../../core/jominy/tasks.js';

/** A flat curve at `hrc` (15 points) and a carbon content; the other elements 0. */
const heat = (hrc: number, C: number): JominySample => ({ heatId: null, grade: null, grainSize: null, chemistry: { C }, hardness: Array(N_POINTS).fill(hrc) });
const flat = (v: number) => Array<number>(N_POINTS).fill(v);
const result = (key: number, profile: number[]): DesignTaskResult =>
  ({ key, output: { best: { chemistry: ELEMENTS.map(() => 0), profile, objective: 0, costTerm: 0, domain: { inDomain: true } } } }) as unknown as DesignTaskResult;

describe('jominy evaluate: the nearest learnt heat as the baseline a design must beat', () => {
  it('picks per target the learnt heat with the nearest measured curve, skipping the target itself', () => {
    const library = [heat(40, 0.2), heat(50, 0.4), heat(30, 0.1)];
    const [a, b, c] = nearestHeats([heat(47, 0.9), heat(31, 0.9), heat(40, 0.2)], library);
    expect(a!.chemistry.C).toBe(0.4); // |47 − 50| = 3 < |47 − 40| = 7
    expect(b!.chemistry.C).toBe(0.1);
    // the target's own heat (same chemistry and curve) is not a choice: the next nearest, at 10 HRC, is
    expect(c!.chemistry.C).toBe(0.4);
  });

  it("compares a target with a library on other distances by distance, not by index (a predictor trained on another layout)", () => {
    // the target at the 15 standard distances: 40 HRC to 15 mm, 30 at 20 mm, 25 from 25 mm on
    const target: JominySample = { ...heat(0, 0.9), hardness: [...Array(8).fill(40), 30, ...Array(6).fill(25)] };
    // the library measured 1.5–15 mm, 17.5 mm and 20 mm (10 readings): A's 9th and 10th readings equal the target's 9th
    // and 10th (20 and 25 mm) but stand at 17.5 and 20 mm; B reads the target's 30 HRC at 20 mm itself
    const layout = [1.5, 3, 5, 7, 9, 11, 13, 15, 17.5, 20];
    const a: JominySample = { ...heat(0, 0.1), hardness: [...Array(8).fill(40), 30, 25] };
    const b: JominySample = { ...heat(0, 0.2), hardness: [...Array(8).fill(40), 35, 30] };
    expect(nearestHeats([target], [a, b])[0]!.chemistry.C).toBe(0.1); // by index (the old comparison): A, wrongly
    expect(nearestHeats([target], [a, b], undefined, layout)[0]!.chemistry.C).toBe(0.2); // by distance: B, 0 HRC off at 20 mm
    // sixteenths of an inch share no distance with the standard mm layout (1.5875, 3.175, …): no nearest heat, no baseline
    const sixteenths = Array.from({ length: 15 }, (_, k) => (k + 1) * 1.5875);
    expect(nearestHeats([target], [{ ...a, hardness: Array(15).fill(35) }], undefined, sixteenths)).toEqual([null]);
  });

  it('scores the baseline like the design and counts the targets each is nearer on', () => {
    const targets = [heat(47, 0.9), heat(31, 0.9), heat(45, 0.9)];
    // the design's curves: 1, 4 and 2 HRC off; the baseline's: 3, 1 and 2 HRC off
    const results = [result(0, flat(48)), result(1, flat(35)), result(2, flat(43))];
    const baseline = { chemistries: [[0.4], [0.1], [0.2]], profiles: [flat(50), flat(30), flat(47)] };
    const s = summarise(targets, results, { r: 3, alpha: 15, objective: 'base' }, ELEMENTS.map(() => 1), (c) => flat(40 + c[0]), baseline);
    expect(s.profile.eps).toBeCloseTo(7 / 3, 12);
    expect(s.nearestHeat!.profile.eps).toBeCloseTo(2, 12);
    expect(s.nearestHeat!.profile.E).toBeCloseTo(3, 12);
    expect(s.nearestHeat!.designNearer).toBe(1);
    expect(s.nearestHeat!.baselineNearer).toBe(1); // the third is a tie
    // the generator's curve of the baseline chemistries: 40.4, 40.1, 40.2 against 47, 31, 45
    expect(s.nearestHeat!.truth!.eps).toBeCloseTo((6.6 + 9.1 + 4.8) / 3, 12);
    expect(summarise(targets, results, { r: 3, alpha: 15, objective: 'base' }, ELEMENTS.map(() => 1), null).nearestHeat).toBeNull();
  });
});
