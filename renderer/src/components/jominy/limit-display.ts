/**
 * How the design page shows a chemistry limit taken from the data (P1–P99, e.g. 0.006524 wt.%): rounded OUTWARD to
 * the carbon/OES analyser's resolution (0.001 wt.%), the lower limit down and the upper limit up, so the shown range
 * holds every value the exact one holds. Display only: the search keeps the exact limits until the user types one.
 */
export const ANALYSER_STEP_WT_PCT = 0.001;

export function shownLimit(v: number, side: 'lower' | 'upper', step = ANALYSER_STEP_WT_PCT): number {
  if (!Number.isFinite(v)) return v;
  const units = v / step;
  // a limit already on the grid (0.007 is 6.999999… steps in binary) stays where it is
  const near = Math.round(units);
  const n = Math.abs(units - near) < 1e-6 ? near : side === 'lower' ? Math.floor(units) : Math.ceil(units);
  const decimals = Math.max(0, Math.round(-Math.log10(step)));
  return Number((n * step).toFixed(decimals));
}
