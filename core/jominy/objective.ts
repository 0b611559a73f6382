import { DISTANCES_MM, ELEMENTS, N_POINTS, type Element } from './elements.js';
import { phrase, plain, type Phrase } from '../api/phrase.js';
import { english } from '../runtime/english.js';

/**
 * What the GA minimises (paper Eqs. 1–3, written as costs to minimise rather than fitness):
 *   Eq. 1  (1/N)·Σ |Ĵ_i − J^T_i|
 *   Eq. 2  (1/N)·Σ w_i·|Ĵ_i − J^T_i|, weights scaled so the largest is 1 (the paper's 0 ≤ w_i ≤ 1)
 *   Eq. 3  Eq. 2 + β·Σ γ_j·C_j (element costs)
 * A target is a full curve (points may be left out with null) or a band — min/max hardness at chosen
 * distances, how customer specifications and H-bands are written; for a band |Ĵ − J^T| becomes the
 * distance outside [min, max] (0 inside), averaged over the constrained distances.
 */
export type Target =
  | { kind: 'curve'; hardness: (number | null)[] }
  | { kind: 'band'; min: (number | null)[]; max: (number | null)[] };

export interface ObjectiveSpec {
  target: Target;
  /** Point weights (15, ≥ 0); default all 1. */
  weights?: number[] | null;
  /** Element costs γ (15, ≥ 0, ELEMENTS order); default none. */
  costs?: number[] | null;
  /** β of Eq. 3 (default 0 = no cost term). */
  beta?: number;
}

export interface CompiledObjective {
  /** Active points (those the target constrains). */
  idx: Int32Array;
  lo: Float64Array;
  hi: Float64Array;
  w: Float64Array;
  gamma: Float64Array;
  beta: number;
  n: number;
}

export const WEIGHT_PRESETS: Record<'equal' | 'central', number[]> = {
  equal: DISTANCES_MM.map(() => 1),
  // Paper §4.2 / Table 6: ×2 at 11 and 35 mm, ×4 from 13 to 30 mm.
  central: DISTANCES_MM.map((d) => (d >= 13 && d <= 30 ? 4 : d === 11 || d === 35 ? 2 : 1)),
};

/** Paper §4.3 / Table 9: γ = 1 for Cr, Ni, Mo, V, Nb, Ti; β = 3. */
export const COST_PRESET: { costs: number[]; beta: number } = {
  costs: ELEMENTS.map((el) => (['Cr', 'Ni', 'Mo', 'V', 'Nb', 'Ti'] as Element[]).includes(el) ? 1 : 0),
  beta: 3,
};

/** A refused target, weights or costs, worded once in the phrase catalog: `message` is its English words. */
export class TargetError extends Error {
  constructor(readonly phrase: Phrase) {
    super(english(phrase));
    this.name = 'TargetError';
  }
}

/**
 * Which of the 15 standard distances a design's target counts: a curve's point with a value and weight > 0 (a blank,
 * `-` in `--target`, or a weight of 0 scores nothing), a band's point with a bound (weight 0 included: P(meet band)
 * takes every band point). What a note about the target — a capped point — may name.
 */
export function countedPoints(target: ObjectiveSpec['target'], weights: readonly number[] | null | undefined): boolean[] {
  const w = weights ?? WEIGHT_PRESETS.equal;
  return Array.from({ length: N_POINTS }, (_, i) => (target.kind === 'curve' ? target.hardness[i] != null && (w[i] ?? 0) > 0 : target.min[i] != null || target.max[i] != null));
}

export function compileObjective(spec: ObjectiveSpec): CompiledObjective {
  const t = spec.target;
  const lo: number[] = [];
  const hi: number[] = [];
  const idx: number[] = [];
  for (let i = 0; i < N_POINTS; i++) {
    let a: number | null;
    let b: number | null;
    if (t.kind === 'curve') {
      if (t.hardness.length !== N_POINTS) throw new TargetError(phrase('jominyErrors.targetCurveLength', { n: N_POINTS, got: t.hardness.length }));
      a = b = t.hardness[i];
    } else {
      if (t.min.length !== N_POINTS || t.max.length !== N_POINTS) throw new TargetError(phrase('jominyErrors.bandLength', { n: N_POINTS }));
      a = t.min[i];
      b = t.max[i];
      if (a !== null && b !== null && a > b) throw new TargetError(phrase('jominyErrors.bandOrder', { distance: plain(DISTANCES_MM[i]), min: plain(a), max: plain(b) }));
    }
    if (a === null && b === null) continue;
    for (const v of [a, b]) if (v !== null && !(v >= 0 && v <= 80)) throw new TargetError(phrase('jominyErrors.targetNotHrc', { value: plain(v), distance: plain(DISTANCES_MM[i]) }));
    idx.push(i);
    lo.push(a ?? -Infinity);
    hi.push(b ?? Infinity);
  }
  if (idx.length === 0) throw new TargetError(phrase('jominyErrors.targetEmpty'));
  const wRaw = spec.weights ?? WEIGHT_PRESETS.equal;
  if (wRaw.length !== N_POINTS || wRaw.some((w) => !(w >= 0))) throw new TargetError(phrase('jominyErrors.weightsShape', { n: N_POINTS }));
  const wMax = Math.max(...idx.map((i) => wRaw[i]));
  if (!(wMax > 0)) throw new TargetError(phrase('jominyErrors.weightsZero'));
  const costs = spec.costs ?? ELEMENTS.map(() => 0);
  if (costs.length !== ELEMENTS.length || costs.some((c) => !(c >= 0))) throw new TargetError(phrase('jominyErrors.costsShape', { n: ELEMENTS.length }));
  const beta = spec.beta ?? 0;
  if (!(beta >= 0)) throw new TargetError(phrase('jominyErrors.betaNegative'));
  return {
    idx: Int32Array.from(idx),
    lo: Float64Array.from(lo),
    hi: Float64Array.from(hi),
    w: Float64Array.from(idx, (i) => wRaw[i] / wMax),
    gamma: Float64Array.from(costs),
    beta,
    n: idx.length,
  };
}

export interface Score {
  objective: number;
  /**
   * Unweighted mean |deviation| (or distance outside the band) over the constrained points of weight > 0, HRC. A
   * point of weight 0 is not designed for (a distance beyond the predictor, jominyErrors.targetBeyondPredictor): it
   * would count its held end value's gap as if it were a miss of the design.
   */
  deviation: number;
  weightedDeviation: number;
  /** β·Σ γ_j·C_j. */
  costTerm: number;
}

/** Scores one profile (at profiles[po…po+15]) for one chemistry (chems[co…co+15]). */
export function scoreOne(o: CompiledObjective, profiles: ArrayLike<number>, po: number, chems: ArrayLike<number>, co: number): Score {
  let dev = 0;
  let nDev = 0;
  let wdev = 0;
  for (let k = 0; k < o.n; k++) {
    const j = profiles[po + o.idx[k]];
    const d = j < o.lo[k] ? o.lo[k] - j : j > o.hi[k] ? j - o.hi[k] : 0;
    if (o.w[k] > 0) {
      dev += d;
      nDev++;
    }
    wdev += o.w[k] * d;
  }
  let cost = 0;
  if (o.beta > 0) for (let e = 0; e < o.gamma.length; e++) cost += o.gamma[e] * chems[co + e];
  cost *= o.beta;
  return { objective: wdev / o.n + cost, deviation: dev / nDev, weightedDeviation: wdev / o.n, costTerm: cost };
}

/**
 * How far (mm) a standard distance may lie beyond a predictor's first or last point and still be designed for: the
 * gap between 1.5 mm and a sixteenths set's J1 (1.5875 mm), where the held end value is the curve to < 0.1 HRC.
 */
export const HELD_END_TOLERANCE_MM = 0.1;

/**
 * The standard distances (mm) a compiled target constrains that lie beyond the predictor's points by more than
 * HELD_END_TOLERANCE_MM: there its curve is its end value held (jominy-predictor.ts), not a prediction, and a design
 * would meet the target there only on paper (a band at 50 mm met by a 5–30 mm predictor's value at 30 mm, P(meet band)
 * counted on it). A curve's point of weight 0 does not count (it scores nothing); a band's does, as P(meet band) takes
 * every band point whatever its weight (`band`).
 */
export function targetBeyondPoints(obj: Pick<CompiledObjective, 'idx' | 'w'>, pointsMm: readonly number[], band = false): number[] {
  return [...obj.idx].filter((i, k) => (band || obj.w[k] > 0) && beyondPoints(DISTANCES_MM[i], pointsMm)).map((i) => DISTANCES_MM[i]);
}

/**
 * True where a distance (mm) lies beyond a predictor's points by more than HELD_END_TOLERANCE_MM: the one rule for
 * what a design refuses (targetBeyondPoints) and what the curve marks held (JominyPredictor.outsideStandard, `~`,
 * held_end_value_mm), so a sixteenths set's 1.5 mm is neither refused nor marked.
 */
export function beyondPoints(distanceMm: number, pointsMm: readonly number[]): boolean {
  return distanceMm < pointsMm[0] - HELD_END_TOLERANCE_MM || distanceMm > pointsMm[pointsMm.length - 1] + HELD_END_TOLERANCE_MM;
}
