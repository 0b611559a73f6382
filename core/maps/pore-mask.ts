import type { PatchCentre } from './predicted-map.js';
import { poreFractionInSquare, type PoreMaskSource } from '../imaging/pore-mask.js';

export { poreFractionInSquare, type PoreMaskSource };

/**
 * Which patches the pores spoil. A patch whose square (side `patchMm`, centred on a billet-centred mm position)
 * has more than `maxFraction` of its pixels on pores is masked `porosity`: a void is not carbon, and a model
 * reads its black disc as whatever dark texture means to it. Plain data: the detection's full-resolution mask,
 * the rim circle it was taken with, and mm/px.
 */

/** Patches with more than this fraction of their area on pores are masked (1 %: a 1.3 mm void in a 12 mm patch). */
export const PORE_MASK_FRACTION = 0.01;

/** The premask a predicted map takes: 'porosity' for patches over the stated pore fraction. */
export function porosityPremask(src: PoreMaskSource, patchMm: number, maxFraction = PORE_MASK_FRACTION): (c: PatchCentre) => 'porosity' | null {
  if (!(patchMm > 0)) throw new RangeError(`patch side must be positive, got ${patchMm} mm`);
  return (c) => (poreFractionInSquare(src, c.xMm, c.yMm, patchMm) > maxFraction ? 'porosity' : null);
}
