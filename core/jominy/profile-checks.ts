/**
 * Shape checks of one measured Jominy curve (partial curves allowed: NaN = not measured).
 * Hardness falls, or stays, with distance from the quenched end; scatter is ~±1 HRC per reading.
 *  - every rise larger than the tolerance is reported — from the trough before it to the peak it reaches,
 *    with both distances and the size — not only the first one;
 *  - a curve that ends higher than it starts by more than the tolerance (hardness rising along the bar
 *    overall) is not a Jominy curve as measured from the quenched end: it is refused (columns reversed, or
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

/** The overall rise (last measured − first measured) when it exceeds the tolerance, else null. */
export function reversedBy(h: readonly number[], tol = MONOTONE_TOLERANCE_HRC): { first: number; last: number; rise: number } | null {
  const idx = h.map((_, i) => i).filter((i) => Number.isFinite(h[i]));
  if (idx.length < 2) return null;
  const first = idx[0];
  const last = idx[idx.length - 1];
  const rise = h[last] - h[first];
  return rise > tol ? { first, last, rise } : null;
}
