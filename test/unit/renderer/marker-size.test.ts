import { describe, expect, it } from 'vitest';
import { MARKER_SCREEN_PX, markerRadiusMm } from '../../../renderer/src/components/annotate/marker-size.js';

describe('sampling-point markers', () => {
  it('keep one screen size at any zoom: the radius in mm falls as the zoom rises', () => {
    // fitted: 0.9 mm per screen px → 9 mm; zoomed ×4 → 2.25 mm, still 10 screen px
    expect(markerRadiusMm(0.9, 300)).toBeCloseTo(9, 12);
    expect(markerRadiusMm(0.9 / 4, 300)).toBeCloseTo(2.25, 12);
    expect(markerRadiusMm(0.9 / 4, 300) / (0.9 / 4)).toBe(MARKER_SCREEN_PX);
    // before the viewer reports its scale: the old fixed size
    expect(markerRadiusMm(0, 300)).toBe(300 / 32);
  });
});
