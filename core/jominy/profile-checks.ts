/**
 * Shape checks of one measured Jominy curve (partial curves allowed: NaN = not measured).
 * Hardness falls, or stays, with distance from the quenched end; scatter is ~±1 HRC per reading.
 *  - every rise larger than the tolerance is reported — from the trough before it to the peak it reaches,
 *    with both distances and the size — not only the first one;
 *  - a curve whose far half is harder than its near half by more than the tolerance (hardness rising along
 *    the bar overall) is not a Jominy curve as measured from the quenched end: it is refused (columns reversed, or
 *    distances measured from the wrong end).
 */
export const MONOTONE_TOLERANCE_HRC = 2;

export interface Rise {
  /** Indices (into the curve's distances) of the trough and of the peak. */
  from: number;
  to: number;
  /** HRC gained from the trough to the peak. */
  size: number;
}

export function curveRises(h: readonly number[], tol = MONOTONE_TOLERANCE_HRC): Rise[] {
  const idx = h.map((_, i) => i).filter((i) => Number.isFinite(h[i]));
  const out: Rise[] = [];
  if (idx.length < 2) return out;
  let lo = idx[0];
  let peak = -1;
  for (const j of idx.slice(1)) {
    if (peak < 0) {
      if (h[j] < h[lo]) lo = j;
      else if (h[j] - h[lo] > tol) peak = j;
    } else if (h[j] > h[peak]) peak = j;
    else if (h[peak] - h[j] > tol) {
      out.push({ from: lo, to: peak, size: h[peak] - h[lo] });
      peak = -1;
      lo = j;
    }
  }
  if (peak >= 0) out.push({ from: lo, to: peak, size: h[peak] - h[lo] });
  return out;
}

/**
 * The overall rise along the bar when it exceeds the tolerance, else null: the mean of the far half of the
 * measured points minus the mean of the near half (halves by count; the middle point of an odd count is in
 * neither). Means, not two single readings, so a flat curve with ±1 HRC scatter is not taken for a reversed one.
 */
export function reversedBy(h: readonly number[], tol = MONOTONE_TOLERANCE_HRC): { first: number; last: number; rise: number } | null {
  const idx = h.map((_, i) => i).filter((i) => Number.isFinite(h[i]));
  if (idx.length < 2) return null;
  const half = Math.floor(idx.length / 2);
  const mean = (ks: number[]) => ks.reduce((a, k) => a + h[k], 0) / ks.length;
  const rise = mean(idx.slice(idx.length - half)) - mean(idx.slice(0, half));
  return rise > tol ? { first: idx[0], last: idx[idx.length - 1], rise } : null;
}
