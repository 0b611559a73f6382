import { tQuantile } from './fewer-points/quantiles.js';

/**
 * The analyser's repeatability from a billet's own replicates, and the upper end it gives a measured map's max.
 *
 * A point read n ≥ 2 times gives n − 1 degrees of freedom on the analyser's within-point spread; points read once
 * give none. Pooled over the points (each point's own mean taken out, so the section's carbon gradient does not enter):
 * s² = Σ (nᵢ − 1)·sᵢ² / Σ (nᵢ − 1), df = Σ (nᵢ − 1). No replicates: no value (null), never an assumed one.
 */
export interface PointReplicates {
  /** Readings averaged at the point. */
  n: number;
  /** Their sample sd (n − 1); null when n < 2. */
  sdWtPct: number | null;
}

export interface Repeatability {
  /** Pooled within-point sd, wt.%. */
  sdWtPct: number;
  /** Its degrees of freedom, Σ (nᵢ − 1). */
  df: number;
  /** How many points were read at least twice. */
  points: number;
}

/** The pooled within-point sd of the points read at least twice; null when none was. */
export function pooledRepeatability(points: readonly PointReplicates[]): Repeatability | null {
  let ss = 0;
  let df = 0;
  let n = 0;
  for (const p of points) {
    if (!(p.n >= 2)) continue;
    if (p.sdWtPct === null || !(p.sdWtPct >= 0)) throw new RangeError(`a point read ${p.n} times needs its sd, got ${p.sdWtPct}`);
    ss += (p.n - 1) * p.sdWtPct ** 2;
    df += p.n - 1;
    n++;
  }
  return df > 0 ? { sdWtPct: Math.sqrt(ss / df), df, points: n } : null;
}

/**
 * The fewest degrees of freedom a pooled sd needs before a class is checked with it. With df < 3 the sd is a guess:
 * the 90 % chi-square interval of σ (the analyser's true sd) spans a factor above 7 at df = 2 (s × 0.58 … 4.41; that
 * is s/σ in 0.23 … 1.73) and about 31 at df = 1, and the
 * one-sided t(0.90) quantile is 1.89 (df 2) or 3.08 (df 1) against 1.64 at df = 3 and 1.28 for a known sd — the bound
 * would say more about the few replicates than about the analyser. From df = 3 (e.g. three points read twice and one
 * three times, or two points read three times) the factor is below 5 and t within 28 % of the normal.
 */
export const REPEATABILITY_MIN_DF = 3;

export interface RepeatabilityUpperEnd {
  /** The upper end, wt.%: max + t(nominal, df)·s/√nMin. */
  wtPct: number;
  /** t(nominal, df)·s/√nMin, wt.%. */
  halfWidthWtPct: number;
  /** The one-sided Student-t quantile used. */
  t: number;
  /** The fewest readings averaged at any point of the map. */
  nMin: number;
  /** One-sided nominal coverage (0.9). */
  nominal: number;
}

/**
 * A one-sided upper end of a measured map's max for the analyser's repeatability: max + t(nominal, df)·s/√nMin.
 *
 * What it covers: a point's mean of n readings is off its true carbon by the analyser's repeatability with sd σ/√n;
 * nMin (the fewest readings averaged at any point the map is made from) makes that the widest any point's mean has, so
 * the bound holds at whichever point the max sits on, and t (not z) carries s's own uncertainty from its df. It does
 * not cover the spline's interpolation between the points, the sampling of the section, or the analyser's bias or
 * between-day reproducibility: a bound of the repeatability at the measured points, not of the section's maximum.
 * Null when the repeatability is unknown or has fewer than REPEATABILITY_MIN_DF degrees of freedom.
 */
export function repeatabilityUpperEnd(maxWtPct: number, rep: Repeatability | null, nMin: number, nominal = 0.9): RepeatabilityUpperEnd | null {
  if (!(nominal > 0.5 && nominal < 1)) throw new RangeError(`nominal coverage must be in (0.5, 1), got ${nominal}`);
  // No usable repeatability: no bound, whatever the max is (a map with no finite max has nothing to bound).
  if (rep === null || rep.df < REPEATABILITY_MIN_DF) return null;
  if (!Number.isFinite(maxWtPct)) throw new RangeError(`the map's max must be finite, got ${maxWtPct}`);
  if (!(Number.isInteger(nMin) && nMin >= 1)) throw new RangeError(`the fewest readings at a point must be a whole number ≥ 1, got ${nMin}`);
  const t = tQuantile(nominal, rep.df);
  const halfWidthWtPct = (t * rep.sdWtPct) / Math.sqrt(nMin);
  return { wtPct: maxWtPct + halfWidthWtPct, halfWidthWtPct, t, nMin, nominal };
}
