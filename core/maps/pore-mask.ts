import type { PatchCentre } from './predicted-map.js';

/**
 * Which patches the pores spoil. A patch whose square (side `patchMm`, centred on a billet-centred mm position)
 * has more than `maxFraction` of its pixels on pores is masked `porosity`: a void is not carbon, and a model
 * reads its black disc as whatever dark texture means to it. Plain data: the detection's full-resolution mask,
 * the rim circle it was taken with, and mm/px.
 */

/** Patches with more than this fraction of their area on pores are masked (1 %: a 1.3 mm void in a 12 mm patch). */
export const PORE_MASK_FRACTION = 0.01;

export interface PoreMaskSource {
  width: number;
  height: number;
  /** 1 on pore pixels, row-major. */
  mask: Uint8Array;
  circle: { cx: number; cy: number };
  mmPerPx: number;
}

/** Fraction of the square of side `sideMm` centred on (xMm, yMm) that lies on pore pixels (outside the image counts as no pore). */
export function poreFractionInSquare(src: PoreMaskSource, xMm: number, yMm: number, sideMm: number): number {
  const cx = src.circle.cx + xMm / src.mmPerPx, cy = src.circle.cy + yMm / src.mmPerPx;
  const side = Math.max(1, Math.round(sideMm / src.mmPerPx));
  const x0 = Math.round(cx - side / 2), y0 = Math.round(cy - side / 2);
  let n = 0;
  for (let y = Math.max(0, y0); y < Math.min(src.height, y0 + side); y++) {
    const row = y * src.width;
    for (let x = Math.max(0, x0); x < Math.min(src.width, x0 + side); x++) n += src.mask[row + x];
  }
  return n / (side * side);
}

/** The premask a predicted map takes: 'porosity' for patches over the stated pore fraction. */
export function porosityPremask(src: PoreMaskSource, patchMm: number, maxFraction = PORE_MASK_FRACTION): (c: PatchCentre) => 'porosity' | null {
  if (!(patchMm > 0)) throw new RangeError(`patch side must be positive, got ${patchMm} mm`);
  return (c) => (poreFractionInSquare(src, c.xMm, c.yMm, patchMm) > maxFraction ? 'porosity' : null);
}
