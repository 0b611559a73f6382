import { MASK, type FieldGrid } from './types.js';

/** Error of a predicted layer against a known true field (synthetic billets), over the valid cells. */
export interface TruthError {
  maeWtPct: number;
  maxAbsWtPct: number;
  rmseWtPct: number;
  cells: number;
}

export function errorAgainstTruth(g: FieldGrid, truth: (xMm: number, yMm: number) => number): TruthError | null {
  let n = 0;
  let sa = 0;
  let ss = 0;
  let mx = 0;
  for (let j = 0; j < g.ny; j++) {
    for (let i = 0; i < g.nx; i++) {
      const k = j * g.nx + i;
      if (g.mask[k] !== MASK.valid || !Number.isFinite(g.values[k])) continue;
      const e = g.values[k] - truth(g.x0Mm + i * g.stepMm, g.y0Mm + j * g.stepMm);
      n++;
      sa += Math.abs(e);
      ss += e * e;
      mx = Math.max(mx, Math.abs(e));
    }
  }
  return n ? { maeWtPct: sa / n, maxAbsWtPct: mx, rmseWtPct: Math.sqrt(ss / n), cells: n } : null;
}
