import { ELEMENTS, N_ELEMENTS, type Element } from './elements.js';
import { buildPairCoverage, pairGap, uncoveredPairs, type PairCoverage } from './pair-coverage.js';

/**
 * Training-domain check: a designed chemistry is trusted only where the predictor has seen data.
 * Three tests: each element inside the training min–max; the standardised distance to the nearest
 * training heat no larger than the 99th percentile of the same nearest-neighbour distance among the
 * training heats themselves; and every pair of elements in a combination the data covers (pair-coverage.ts:
 * in 15 dimensions one unusual pair — boron without the titanium that protects it — hides in the distance).
 *
 * The range test and the distance run over the elements the predictor uses (`used`: the union of its point networks'
 * inputs); the pair test over every pair with at least one used element. An element
 * no network takes cannot move the curve, but its standardised difference still added to the distance: on synthetic
 * data P, S, Sn … raised the 99th-percentile threshold from 1.403 to 3.497 sd and a grade left out of training read
 * "in domain" for 21 of its 381 heats, 0 over the used elements (a session's measurement; the unit test's smaller set:
 * 1.395 vs 3.361 sd, 1 vs 0 of 97 heats). Out of range on an unused element is still said (`outOfRangeUnused`), never
 * counted against the domain; an unused element beside a used one it was always seen with (titanium beside boron) is.
 */
export interface DomainModel {
  min: number[];
  max: number[];
  mean: number[];
  std: number[];
  /** Training chemistries, standardised, row-major (n × 15). */
  points: number[];
  threshold: number;
  /** Which element pairs' combinations the data covers (absent in predictors trained before it existed). */
  pairs?: PairCoverage;
  /**
   * 15 flags (ELEMENTS order): the elements at least one point network uses; distance, threshold, ranges and pairs are
   * over these only. Absent in predictors stored before it (2026-12): withUsedDomain (predictor-model.ts) derives it at
   * load from the stored networks' inputs and recomputes `threshold` from the stored points over it.
   */
  used?: boolean[];
  /** Set at load when `used` was derived: the threshold the file stored (over all 15 elements), so it can be said. */
  storedThreshold?: number;
}

export interface DomainCheck {
  inDomain: boolean;
  outOfRange: { element: Element; value: number; min: number; max: number }[];
  /** Standardised distance to the nearest training heat. */
  distance: number;
  threshold: number;
  /** Element pairs whose combination no training heat comes near (empty when the predictor has no pair coverage). */
  uncoveredPairs: { elements: [Element, Element]; gap: number }[];
  /** Elements outside the training min–max that no network uses: said, but no part of `inDomain`. */
  outOfRangeUnused: { element: Element; value: number; min: number; max: number }[];
}

function nearest(points: ArrayLike<number>, n: number, q: ArrayLike<number>, skip = -1, mask?: readonly boolean[]): number {
  let best = Infinity;
  for (let i = 0; i < n; i++) {
    if (i === skip) continue;
    let d = 0;
    const o = i * N_ELEMENTS;
    for (let j = 0; j < N_ELEMENTS; j++) {
      if (mask && !mask[j]) continue;
      const t = points[o + j] - q[j];
      d += t * t;
      if (d >= best) break;
    }
    if (d < best) best = d;
  }
  return Math.sqrt(best);
}

/**
 * The 99th percentile of each training heat's distance to its nearest other heat, over the elements of `mask` (all
 * when absent): the distance a chemistry may lie from the data and still count as inside.
 */
export function nearestThreshold(points: ArrayLike<number>, mask?: readonly boolean[]): number {
  const n = points.length / N_ELEMENTS;
  if (n < 2) return Infinity;
  const nn = Array.from({ length: n }, (_, i) => nearest(points, n, Array.from({ length: N_ELEMENTS }, (_, j) => points[i * N_ELEMENTS + j]), i, mask)).sort((a, b) => a - b);
  return nn[Math.min(n - 1, Math.floor(0.99 * (n - 1)))];
}

/** `used` (15 flags): the elements the predictor's networks take; absent, all 15 (a domain of the chemistries alone). */
export function buildDomain(chems: number[][], used?: readonly boolean[]): DomainModel {
  const n = chems.length;
  const mean = ELEMENTS.map((_, j) => chems.reduce((a, c) => a + c[j], 0) / n);
  const std = ELEMENTS.map((_, j) => Math.sqrt(chems.reduce((a, c) => a + (c[j] - mean[j]) ** 2, 0) / Math.max(1, n - 1)));
  const min = ELEMENTS.map((_, j) => Math.min(...chems.map((c) => c[j])));
  const max = ELEMENTS.map((_, j) => Math.max(...chems.map((c) => c[j])));
  const points = chems.flatMap((c) => c.map((v, j) => (std[j] > 0 ? (v - mean[j]) / std[j] : 0)));
  const threshold = nearestThreshold(points, used);
  // pairs of two unused elements are built but never checked (pairGap's anyOf); a pair of a used element with an
  // unused one is: boron's learnt effect holds only beside the titanium its heats had, input or not
  return { min, max, mean, std, points, threshold, pairs: buildPairCoverage(points, n, std), ...(used ? { used: [...used] } : {}) };
}

/** Sum over element pairs of how far (standardised units) chem[off…off+15] lies outside the pairs' covered combinations. */
// One standardised query per thread, reused: the GA calls these for every individual of every generation, and
// both functions are synchronous, so no call can see another's values.
const scratch = new Float64Array(N_ELEMENTS);

export function pairGapOf(d: DomainModel, chem: ArrayLike<number>, off = 0): number {
  if (!d.pairs) return 0;
  const q = scratch;
  for (let j = 0; j < N_ELEMENTS; j++) q[j] = d.std[j] > 0 ? (chem[off + j] - d.mean[j]) / d.std[j] : 0;
  return pairGap(d.pairs, q, undefined, d.used);
}

/** Standardised distance from chem[off…off+15] to the nearest training heat (for the GA's optional penalty). */
export function distanceToData(d: DomainModel, chem: ArrayLike<number>, off = 0): number {
  const q = scratch;
  for (let j = 0; j < N_ELEMENTS; j++) q[j] = d.std[j] > 0 ? (chem[off + j] - d.mean[j]) / d.std[j] : 0;
  return nearest(d.points, d.points.length / N_ELEMENTS, q, -1, d.used);
}

/**
 * `given` (15 flags, ELEMENTS order), when passed, leaves out the elements a chemistry omitted
 * (allowed only for elements the predictor does not use): they take part in no test. Elements the domain's `used`
 * leaves out take no part in the distance and its limit; their ranges are still checked and reported apart
 * (`outOfRangeUnused`), and their combinations with a used element are checked as pairs (boron without titanium).
 */
export function checkDomain(d: DomainModel, chem: ArrayLike<number>, given?: readonly boolean[]): DomainCheck {
  const tol = 1e-9;
  const outOfRange: DomainCheck['outOfRange'] = [];
  const outOfRangeUnused: DomainCheck['outOfRangeUnused'] = [];
  const q = new Array<number>(N_ELEMENTS);
  const mask = ELEMENTS.map((_, j) => (!given || given[j]) && (!d.used || d.used[j]));
  for (let j = 0; j < N_ELEMENTS; j++) {
    if (given && !given[j]) {
      q[j] = 0;
      continue;
    }
    if (chem[j] < d.min[j] - tol || chem[j] > d.max[j] + tol) (mask[j] ? outOfRange : outOfRangeUnused).push({ element: ELEMENTS[j], value: chem[j], min: d.min[j], max: d.max[j] });
    q[j] = d.std[j] > 0 ? (chem[j] - d.mean[j]) / d.std[j] : 0;
  }
  const distance = nearest(d.points, d.points.length / N_ELEMENTS, q, -1, mask);
  const pairs = d.pairs ? uncoveredPairs(d.pairs, q, given, d.used).map((p) => ({ elements: [ELEMENTS[p.a], ELEMENTS[p.b]] as [Element, Element], gap: p.gap })) : [];
  return { inDomain: outOfRange.length === 0 && distance <= d.threshold && pairs.length === 0, outOfRange, distance, threshold: d.threshold, uncoveredPairs: pairs, outOfRangeUnused };
}

/**
 * The default design box: per element, the `lo`–`hi` quantiles (default 1st–99th percentile) of the
 * training chemistries, so a few extreme heats do not widen the search to chemistries no grade allows.
 * Quantiles interpolate linearly between order statistics (position q·(n−1), numpy's default); the
 * chemistries are read back from the standardised points and held inside the training min–max.
 */
export function dataPercentileRanges(d: DomainModel, lo = 0.01, hi = 0.99): { min: number[]; max: number[] } {
  const n = d.points.length / N_ELEMENTS;
  const min = new Array<number>(N_ELEMENTS);
  const max = new Array<number>(N_ELEMENTS);
  for (let j = 0; j < N_ELEMENTS; j++) {
    const col = Array.from({ length: n }, (_, i) => (d.std[j] > 0 ? d.points[i * N_ELEMENTS + j] * d.std[j] + d.mean[j] : d.mean[j])).sort((a, b) => a - b);
    const q = (p: number) => {
      const pos = p * (n - 1);
      const k = Math.floor(pos);
      const v = k + 1 < n ? col[k] + (pos - k) * (col[k + 1] - col[k]) : col[k];
      return Math.min(d.max[j], Math.max(d.min[j], v));
    };
    min[j] = n ? q(lo) : d.min[j];
    max[j] = n ? q(hi) : d.max[j];
  }
  return { min, max };
}
