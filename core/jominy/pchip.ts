/**
 * Monotone piecewise-cubic Hermite interpolation (Fritsch & Carlson 1980, "Monotone piecewise cubic
 * interpolation", SIAM J. Numer. Anal. 17(2) 238–246). A predicted Jominy curve is known at the model's
 * points; a band or a target given at other distances (sixteenths of an inch) is read from this curve. Where
 * the data are monotone between two points the interpolant is too: it never invents a rise or an overshoot.
 */
import { phrase, plain } from '../api/phrase.js';
import { RefusedError } from '../runtime/refused.js';

export interface Pchip {
  xs: number[];
  ys: number[];
  ms: number[];
}

/** Node slopes: three-point estimates, then limited so each interval stays monotone (Fritsch–Carlson steps 1–5). */
export function pchipSlopes(xs: readonly number[], ys: readonly number[]): number[] {
  const n = xs.length;
  if (n !== ys.length || n < 2) throw new RangeError('PCHIP needs at least two points of equal-length x and y');
  for (let i = 1; i < n; i++) if (!(xs[i] > xs[i - 1])) throw new RangeError('PCHIP needs strictly increasing x');
  const h = Array.from({ length: n - 1 }, (_, k) => xs[k + 1] - xs[k]);
  const d = h.map((hk, k) => (ys[k + 1] - ys[k]) / hk);
  const m = new Array<number>(n);
  m[0] = d[0];
  m[n - 1] = d[n - 2];
  for (let k = 1; k < n - 1; k++) m[k] = d[k - 1] * d[k] <= 0 ? 0 : (d[k - 1] + d[k]) / 2;
  for (let k = 0; k < n - 1; k++) {
    if (d[k] === 0) {
      m[k] = 0;
      m[k + 1] = 0;
      continue;
    }
    const a = m[k] / d[k];
    const b = m[k + 1] / d[k];
    if (a < 0) m[k] = 0;
    if (b < 0) m[k + 1] = 0;
    const s = a * a + b * b;
    if (s > 9) {
      const t = 3 / Math.sqrt(s);
      m[k] = t * a * d[k];
      m[k + 1] = t * b * d[k];
    }
  }
  return m;
}

export function pchip(xs: readonly number[], ys: readonly number[]): Pchip {
  return { xs: [...xs], ys: [...ys], ms: pchipSlopes(xs, ys) };
}

/** The interpolant at x; x outside [xs[0], xs[n−1]] is refused (a curve is not extrapolated). */
export function pchipAt(p: Pchip, x: number): number {
  const { xs, ys, ms } = p;
  const n = xs.length;
  const tol = 1e-9;
  if (!(x >= xs[0] - tol && x <= xs[n - 1] + tol)) throw RefusedError.said('invalid_argument', phrase('jominyDomain.outsideCurve', { distance: plain(x), from: plain(xs[0]), to: plain(xs[n - 1]) }));
  let k = 0;
  while (k < n - 2 && x > xs[k + 1]) k++;
  const h = xs[k + 1] - xs[k];
  const t = Math.min(1, Math.max(0, (x - xs[k]) / h));
  const t2 = t * t;
  const t3 = t2 * t;
  return (2 * t3 - 3 * t2 + 1) * ys[k] + (t3 - 2 * t2 + t) * h * ms[k] + (-2 * t3 + 3 * t2) * ys[k + 1] + (t3 - t2) * h * ms[k + 1];
}
