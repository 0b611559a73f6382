import { describe, expect, it } from 'vitest';
import { shownLimit } from '../../../renderer/src/components/jominy/limit-display.js';

/** The design page's chemistry limits from the data, shown rounded outward to the analyser's 0.001 wt.%. */
describe('chemistry limits shown at the analyser resolution', () => {
  it('rounds a P1 down and a P99 up: 0.006524 is shown 0.006 as a lower limit and 0.007 as an upper one', () => {
    expect(shownLimit(0.006524, 'lower')).toBe(0.006);
    expect(shownLimit(0.006524, 'upper')).toBe(0.007);
    expect(shownLimit(0.41234, 'lower')).toBe(0.412);
    expect(shownLimit(0.41234, 'upper')).toBe(0.413);
    expect(shownLimit(1.1999, 'upper')).toBe(1.2);
  });

  it('keeps a limit already on the analyser grid where it is (no step outward from binary noise), and zero at zero', () => {
    expect(shownLimit(0.007, 'lower')).toBe(0.007);
    expect(shownLimit(0.007, 'upper')).toBe(0.007);
    expect(shownLimit(0.1 + 0.2, 'upper')).toBe(0.3);
    expect(shownLimit(0, 'lower')).toBe(0);
    expect(shownLimit(0.0004, 'lower')).toBe(0);
    expect(shownLimit(0.0004, 'upper')).toBe(0.001);
  });
});
