import { niceStep } from './nice-ticks.js';

/**
 * Contour levels a map's interval can tell apart: neighbouring levels are at least `minSpacingWtPct` apart
 * (the smoothed field's typical 90 % interval width), so a contour line never separates two values that the
 * interval cannot. Default levels sit at round C/C0 steps (1, 2, 2.5, 5 × 10^k) no finer than that; levels the
 * user gave (wt.%) are kept in order, skipping any closer than the spacing to the last one kept.
 */
export function distinguishableLevels(range: [number, number], c0: number, minSpacingWtPct: number, given?: readonly number[]): { levels: number[]; stepWtPct: number; dropped: number } {
  const [lo, hi] = range;
  const spacing = Number.isFinite(minSpacingWtPct) && minSpacingWtPct > 0 ? minSpacingWtPct : 0;
  if (given) {
    const kept: number[] = [];
    for (const v of [...given].sort((a, b) => a - b)) if (!kept.length || v - kept[kept.length - 1] >= spacing - 1e-12) kept.push(v);
    return { levels: kept, stepWtPct: spacing, dropped: given.length - kept.length };
  }
  const unit = c0 > 0 ? c0 : 1; // steps in C/C0 when C0 is known, else in wt.%
  let step = niceStep(lo / unit, hi / unit, 5);
  const minStep = spacing / unit;
  if (step < minStep) {
    const p = 10 ** Math.floor(Math.log10(minStep));
    step = [1, 2, 2.5, 5, 10].map((m) => m * p).find((s) => s >= minStep - 1e-15)!;
  }
  const levels: number[] = [];
  for (let k = Math.ceil(lo / unit / step - 1e-9); k * step * unit < hi; k++) {
    const v = Number((k * step * unit).toPrecision(8));
    if (v > lo && v < hi) levels.push(v);
  }
  return { levels, stepWtPct: step * unit, dropped: 0 };
}
