import { describe, expect, it } from 'vitest';
import { learntHeatMatcher, sameAtCoarserPrecision } from '../../../core/jominy/learnt-heat.js';

const heat = (heatId: string | null, c: number, mn: number, cr: number, hardness: number[]) => ({ heatId, chemistry: { C: c, Mn: mn, Si: 0.25, Cr: cr, Ni: 0.1, Mo: 0.02 }, hardness });
const curve = [50.6, 50.5, 49.2, 48.6, 46.9, 43.7, 42.1, 40.1, 35.8, 33.6, 32.3, 32.0, 32.1, 31.4, 30.9];

describe('which target heats the predictor learnt (evaluation in-sample count)', () => {
  it('a value is the same at the coarser precision of the two: the finer one rounds to the coarser one', () => {
    expect(sameAtCoarserPrecision(0.3186, 0.319)).toBe(true);
    expect(sameAtCoarserPrecision(50.6, 51)).toBe(true);
    expect(sameAtCoarserPrecision(50.4, 51)).toBe(false);
    expect(sameAtCoarserPrecision(0.3186, 0.318)).toBe(false);
    expect(sameAtCoarserPrecision(0.0005, 0.0005)).toBe(true);
    expect(sameAtCoarserPrecision(1e-7, 0)).toBe(true);
  });

  it('by heat id, or by chemistry and curve as a re-export rounds them; another heat is not learnt', () => {
    const learnt = learntHeatMatcher([heat('H00001', 0.3186, 0.7948, 0.7621, curve)]);
    // the LIMS re-export: 3 decimals, whole HRC, no id — learnt (the exact-match key said out-of-sample)
    expect(learnt(heat(null, 0.319, 0.795, 0.762, curve.map(Math.round)))).toBe(true);
    // the same id with other numbers: learnt (in doubt, in-sample: calling a learnt heat new is the wrong number)
    expect(learnt(heat(' H00001 ', 0.2, 1.1, 1.0, curve.map((v) => v - 5)))).toBe(true);
    // one reading that does not round to the learnt one: another heat
    expect(learnt(heat(null, 0.319, 0.795, 0.762, curve.map((v, i) => (i === 3 ? v + 1 : Math.round(v)))))).toBe(false);
    expect(learnt(heat('H00002', 0.322, 0.795, 0.762, curve))).toBe(false);
    // too few elements or distances in common to tell: not matched on content
    expect(learnt({ heatId: null, chemistry: { C: 0.319 }, hardness: curve })).toBe(false);
    expect(learnt({ heatId: null, chemistry: heat(null, 0.319, 0.795, 0.762, []).chemistry, hardness: curve.map((v, i) => (i < 3 ? v : NaN)) })).toBe(false);
  });
});
