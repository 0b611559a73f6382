import { normalQuantile } from '../segregation/fewer-points/quantiles.js';

/** Standard normal CDF (Abramowitz & Stegun 7.1.26 erf, |error| < 1.5e-7). */
export function normalCdf(x: number): number {
  if (x === Infinity) return 1;
  if (x === -Infinity) return 0;
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-z * z);
  return x >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

export { normalQuantile };

/** Z of a two-sided 90 % interval. */
export const Z90_TWO_SIDED = 1.6448536269514722;

/**
 * Wilson score interval of a binomial share (two-sided, 90 % by default): unlike share ± z·√(share(1 − share)/n) it
 * stays inside [0, 1] and is not of zero width at 0 or n of n, which a check on some 90 heats often reads.
 */
export function wilsonInterval(share: number, n: number, z = Z90_TWO_SIDED): [number, number] {
  if (!(n > 0)) return [0, 1];
  const z2 = z * z;
  const centre = (share + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((share * (1 - share)) / n + z2 / (4 * n * n));
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

/**
 * Two-sided normal tolerance factor k for n values: mean ± k·sd covers at least `content` of the population with
 * probability `confidence` (Howe 1969: k = z₍₁₊ₚ₎/₂ · √((n − 1)(1 + 1/n) / χ²₁₋ᵧ,ₙ₋₁), the χ² quantile by
 * Wilson–Hilferty; within 0.2 % of the tables for n ≥ 10 and 1.5 % at n = 5 — e.g. 2.842 for 90 %/95 % and n = 10,
 * table 2.839). Infinite
 * for n < 2 (no sd).
 */
export function normalToleranceK(n: number, content: number, confidence: number): number {
  if (!(n >= 2)) return Infinity;
  const nu = n - 1;
  const z = normalQuantile(1 - confidence);
  const chi2 = nu * (1 - 2 / (9 * nu) + z * Math.sqrt(2 / (9 * nu))) ** 3;
  return normalQuantile((1 + content) / 2) * Math.sqrt((nu * (1 + 1 / n)) / chi2);
}
