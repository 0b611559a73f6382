import { tQuantile } from './fewer-points/quantiles.js';

/**
 * The analyser's repeatability from a billet's own replicates, and the upper ends it gives each point mean (the readings)
 * and a measured map's max.
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
  /** The upper end, wt.%: value + t(nominal, df)·s/√n. */
  wtPct: number;
  /** t(nominal, df)·s/√n, wt.%. */
  halfWidthWtPct: number;
  /** The one-sided Student-t quantile used. */
  t: number;
  /** The readings averaged into the value (the point's own n). */
  n: number;
  /** One-sided nominal coverage (0.9). */
  nominal: number;
}

/**
 * A one-sided upper end of one point mean of n readings for the analyser's repeatability: value + t(nominal, df)·s/√n.
 *
 * What it covers: a mean of n readings is off the true carbon at that point by the analyser's repeatability with sd
 * σ/√n, and t (not z) carries s's own uncertainty from its df. It does not cover the analyser's bias (its
 * calibration), its between-day reproducibility, the sampling of the section (how far the points miss the section's
 * true maximum) or, for a map's value between points, the spline's interpolation: a bound of the repeatability of the
 * point means, not of the section's maximum. Null when the repeatability is unknown or has fewer than
 * REPEATABILITY_MIN_DF degrees of freedom.
 */
export function repeatabilityUpperEnd(valueWtPct: number, rep: Repeatability | null, n: number, nominal = 0.9): RepeatabilityUpperEnd | null {
  if (!(nominal > 0.5 && nominal < 1)) throw new RangeError(`nominal coverage must be in (0.5, 1), got ${nominal}`);
  // No usable repeatability: no bound, whatever the value is (a map with no finite max has nothing to bound).
  if (rep === null || rep.df < REPEATABILITY_MIN_DF) return null;
  if (!Number.isFinite(valueWtPct)) throw new RangeError(`the value to bound must be finite, got ${valueWtPct}`);
  if (!(Number.isInteger(n) && n >= 1)) throw new RangeError(`the readings averaged at a point must be a whole number ≥ 1, got ${n}`);
  const t = tQuantile(nominal, rep.df);
  const halfWidthWtPct = (t * rep.sdWtPct) / Math.sqrt(n);
  return { wtPct: valueWtPct + halfWidthWtPct, halfWidthWtPct, t, n, nominal };
}

/** A point with readings: its position, the mean of its readings and how many it averages. */
export interface PointMean {
  label: string;
  xMm: number;
  yMm: number;
  meanWtPct: number;
  n: number;
}

/** An upper end taken at one point: which point, and the mean (or map value) it was added to. */
export interface PointUpperEnd extends RepeatabilityUpperEnd {
  label: string;
  valueWtPct: number;
}

/**
 * The readings' upper end: the largest over the points of meanᵢ + t·s/√nᵢ, each point with its own n, and the point
 * that gives it. Not the highest mean plus the widest half-width: a point read four times near the top and one read
 * once a little lower are each bounded with their own n, so the once-read point decides only when its own end is
 * higher. On a tie the first point in the given order is named. Null: no points, or no usable repeatability.
 */
export function readingsUpperEnd(points: readonly PointMean[], rep: Repeatability | null, nominal = 0.9): PointUpperEnd | null {
  let best: PointUpperEnd | null = null;
  for (const p of points) {
    const u = repeatabilityUpperEnd(p.meanWtPct, rep, p.n, nominal);
    if (u === null) return null;
    if (best === null || u.wtPct > best.wtPct) best = { ...u, label: p.label, valueWtPct: p.meanWtPct };
  }
  return best;
}

/**
 * A measured map's max at the upper end of the repeatability: maxWtPct + t·s/√n_k, n_k the readings at the point with
 * readings nearest the max's location (the spline is exact at the points and the max sits on or next to the highest
 * one; points at the same place, within coincidentMm, are one spline node, the mean of all their readings, so their
 * counts add). Null: no points, or no usable repeatability.
 */
export function mapMaxUpperEnd(max: { wtPct: number; xMm: number; yMm: number }, points: readonly PointMean[], rep: Repeatability | null, nominal = 0.9, coincidentMm = 1e-3): PointUpperEnd | null {
  if (!points.length) return null;
  const d = (p: PointMean) => Math.hypot(p.xMm - max.xMm, p.yMm - max.yMm);
  const nearest = points.reduce((a, p) => (d(p) < d(a) ? p : a));
  const node = points.filter((p) => Math.hypot(p.xMm - nearest.xMm, p.yMm - nearest.yMm) <= coincidentMm);
  const u = repeatabilityUpperEnd(max.wtPct, rep, node.reduce((a, p) => a + p.n, 0), nominal);
  return u && { ...u, label: node.map((p) => p.label).join('+'), valueWtPct: max.wtPct };
}

/**
 * A measured map's upper end: the larger of its max's (at the point nearest it) and the readings' (every point with its
 * own n). The map passes through every point mean, so a point whose own upper end is higher (a once-read point a
 * little below the max) bounds the map as well; `by` says which of the two gave it.
 */
export function measuredMapUpperEnd(max: { wtPct: number; xMm: number; yMm: number }, points: readonly PointMean[], rep: Repeatability | null, nominal = 0.9, coincidentMm = 1e-3): { wtPct: number; map: PointUpperEnd; readings: PointUpperEnd; by: 'map-max' | 'reading' } | null {
  const map = mapMaxUpperEnd(max, points, rep, nominal, coincidentMm);
  const readings = readingsUpperEnd(points, rep, nominal);
  if (map === null || readings === null) return null;
  return readings.wtPct > map.wtPct ? { wtPct: readings.wtPct, map, readings, by: 'reading' } : { wtPct: map.wtPct, map, readings, by: 'map-max' };
}
