import { describe, expect, it } from 'vitest';
import { compileObjective, scoreOne } from '../../../core/jominy/objective.js';
import { DISTANCES_MM, N_ELEMENTS } from '../../../core/jominy/elements.js';

describe('design objective', () => {
  // A 1.5–30 mm predictor holds its 30 mm value (29 HRC) beyond; the refusal tells the user to give 35–50 mm weight 0.
  const target = [52, 51, 49, 46, 42, 39, 37, 35, 32, 30, 29, 28, 27, 26, 25];
  const held = [...target.slice(0, 11), 29, 29, 29, 29];
  const chem = new Float64Array(N_ELEMENTS);

  it('a point of weight 0 does not count in the shown deviation', () => {
    const o = compileObjective({ target: { kind: 'curve', hardness: target }, weights: DISTANCES_MM.map((d) => (d > 30 ? 0 : 1)) });
    const s = scoreOne(o, held, 0, chem, 0);
    // every weighted point met exactly: 0, not (1+2+3+4)/15 = 0.667 HRC from the held end values
    expect(s.deviation).toBe(0);
    expect(s.weightedDeviation).toBe(0);
    // a miss at a weighted point: 1.5 HRC at 1.5 mm over the 11 weighted points
    const miss = [target[0] - 1.5, ...held.slice(1)];
    expect(scoreOne(o, miss, 0, chem, 0).deviation).toBeCloseTo(1.5 / 11, 12);
  });

  it('with every weight > 0 the deviation is the unweighted mean over the constrained points', () => {
    const o = compileObjective({ target: { kind: 'curve', hardness: target }, weights: DISTANCES_MM.map((d) => (d > 30 ? 0.5 : 1)) });
    const s = scoreOne(o, held, 0, chem, 0);
    expect(s.deviation).toBeCloseTo(10 / 15, 12);
    expect(s.weightedDeviation).toBeCloseTo(5 / 15, 12);
  });
});
