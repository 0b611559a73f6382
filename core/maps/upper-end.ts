import { MASK, type FieldGrid } from './types.js';

/**
 * The largest upper end of a map's per-cell intervals, over the cells its indices are taken over (valid cells
 * with a finite value; a predicted or corrected map has no coverage region), as carbon and as C/C0 with the

 * C0 given (a report's one reference C0). An acceptance class on a model's map is checked against it: the map's max is a point estimate.
 * It is the largest of the cells' own intervals, not a joint bound on the max (none is claimed). Null when a
 * cell of the map has no finite half-width: a bound over part of the section would not bound the max.
 */
export interface UpperEnd {
  wtPct: number;
  ratio: number;
  xMm: number;
  yMm: number;
}

export function largestUpperEnd(g: FieldGrid, halfWidth: Float64Array, c0WtPct: number): UpperEnd | null {
  if (halfWidth.length !== g.values.length) throw new RangeError(`half-widths (${halfWidth.length}) and map cells (${g.values.length}) differ`);
  if (!(c0WtPct > 0)) throw new RangeError(`C0 must be positive, got ${c0WtPct}`);
  let best: UpperEnd | null = null;
  for (let k = 0; k < g.values.length; k++) {
    const v = g.values[k];
    if (g.mask[k] !== MASK.valid || !Number.isFinite(v)) continue;
    const hw = halfWidth[k];
    if (!Number.isFinite(hw) || hw < 0) return null;
    const hi = v + hw;
    if (!best || hi > best.wtPct) {
      const i = k % g.nx;
      best = { wtPct: hi, ratio: hi / c0WtPct, xMm: g.x0Mm + i * g.stepMm, yMm: g.y0Mm + ((k - i) / g.nx) * g.stepMm };
    }
  }
  return best;
}
