import { DISTANCES_MM, N_ELEMENTS, chemToArray } from './elements.js';
import { JominyPredictor, type PredictorModel } from './predictor.js';
import { modelDistances } from './predictor-model.js';
import { createRng, deriveSeed, permutation } from '../runtime/random.js';
import type { JominySample } from './dataset.js';
import { phrase } from '../api/phrase.js';
import { RefusedError } from '../runtime/refused.js';
import { distinctHeats, heatKeys } from './heat-split.js';
import { memberSpread } from './member-spread.js';

/**
 * Calibration of the ensemble's interval on held-out heats (the predictor's test heats, which neither the
 * predictor nor any member learnt from), at the model's own points (the dataset's distances) and only where a heat
 * measured them: a cell is a measured reading. (It had been scored at the 15 standard distances against each heat's
 * curve read there by PCHIP: on a 6-distance plant set 405 of 675 "held-out cells" were interpolations, and the
 * coverage of 3, 7, 11 … mm was stated for distances no heat measured.) Split conformal on normalised residuals:
 *   score = |y − ŷ| / σ,   σ_p(x) = √(sdEns_p(x)² + τ_p²)
 * ŷ is the predictor's own (capped) curve — the curve every page shows — and τ_p the out-of-bag residual
 * RMS of the members at point p (the noise a member cannot see as disagreement). The scale k is the
 * conformal 90 % quantile of the scores divided by z₀.₉₅, so the interval ŷ ± z₀.₉₅·k·σ is a "mean ± z·sd"
 * interval with sd = k·σ.
 *
 * k is fitted per point (kPoints): a pooled k over all points had 90 % intervals covering 56 % of the held-out
 * readings at 1.5 mm on a plant set (pooled 90.8 %), so a band tight at the quench end was met with confidence the
 * data did not give. A point with at least MIN_POINT_CELLS held-out readings takes its own conformal quantile; one with
 * fewer takes the pooled k widened to its largest normalised residual (max(pooled k, max score/z)): never narrower than
 * the pooled interval, and it covers every reading it has (`pointRule` says which). The pooled k stays as `scale`.
 *
 * Its coverage is measured honestly by 2-fold cross-fitting over the test heats: k fitted on one half
 * (seeded shuffle of heat ids, a heat's rows kept together), coverage counted on the other, and the other way round; the stored k is then fitted on
 * all test heats. So the stated coverage is of the procedure on heats it did not see. When a half holds too few
 * cells for a finite conformal quantile (few held-out heats, or every held-out row one heat, leaving a half empty),
 * that fold's k would be ∞ and its coverage a confident 1.00: the coverage is then null — not measured, too few
 * held-out heats — and so are its per-point figures.
 */
export interface Calibration {
  nominal: number;
  method: 'split-conformal, normalised residuals, 2-fold cross-fit on the test heats';
  /**
   * The cross-fit that measured `coverage` (CALIBRATION_VERSION): 2 = halves by heat, null when a half is too small.
   * Absent in calibrations stored before it was written (core/jominy/coverage-why.ts tells those apart).
   */
  version?: number;
  /** k pooled over every point (what calibrations stored before kPoints use at every point). */
  scale: number;
  /**
   * k per model point (calibrated sd_p = k_p·σ_p) and how each was fitted: 'own' (its own conformal quantile) or
   * 'pooled-widened' (fewer than MIN_POINT_CELLS held-out readings: max(pooled k, largest score/z)). `kStd` is k_p read
   * at the 15 standard distances as τ is. Absent in calibrations stored before (2026-12-01): `scale` everywhere.
   */
  kPoints?: number[];
  pointRule?: PointRule[];
  kStd?: number[];
  /** Held-out readings per model point (the cells at it). */
  cellsPoints?: number[];
  /** z of the nominal two-sided interval (1.645 for 90 %). */
  z90: number;
  /**
   * Out-of-bag residual RMS per standard distance (HRC), what the interval at the 15 standard distances takes: measured
   * at the model's points (`tauPoints`), read linearly between them and held beyond them.
   */
  tau: number[];
  /**
   * The distances (mm) of `coveragePoints`, `meanSd` and `tauPoints`: the model's points. Absent in calibrations stored
   * before (2026-12-01): theirs are the 15 standard distances, scored against curves read there by PCHIP.
   */
  pointsMm?: number[];
  tauPoints?: number[];
  /**
   * Held-out coverage of the nominal interval (cross-fitted): overall and per point, with cell counts. Null (and
   * every point null) when a half had too few cells for a finite quantile: too few held-out heats to measure it.
   */
  coverage: number | null;
  coveragePoints: (number | null)[];
  cells: number;
  /** Readings `coverage` was counted on (each cell in the half it did not fit; a point a half cannot fit is not counted). Absent in calibrations stored before: `cells`. */
  coverageReadings?: number;
  /** Distinct held-out heats (rows sharing a heat id are one; a row without an id is a heat of its own). */
  heats: number;
  /** Coverage with k = 1 (the raw σ, uncalibrated), for comparison. */
  rawCoverage: number;
  /** Mean calibrated sd and mean 90 % half-width per point on the test heats (HRC). */
  meanSd: number[];
  /** Mean pairwise correlation of one heat's normalised residuals across points (for Monte Carlo curves). */
  rho: number;
  /** Test MAE of the ensemble mean beside the predictor's, on the same cells (HRC). */
  ensembleMeanMae: number;
  predictorMae: number;
  /** Seed of the cross-fit shuffle. */
  seed: number;
  /**
   * The held-out readings k and ρ were fitted on, kept so that a P(meet band) can state its calibration's own
   * uncertainty (meet-uncertainty.ts: k and ρ refitted on resamples of these heats, and P checked against them, each
   * heat at the k of the half it was not in). Per cell: its held-out row, model point, residual y − ŷ (HRC) and σ; per
   * held-out row: its heat (an index; retests share one) and its cross-fit half. Absent in calibrations stored before
   * 2026-12-01: their P(meet band) carries the Monte Carlo error only, and says so.
   */
  heldOut?: HeldOutCells;
}

/** Calibration.heldOut: the held-out cells, column-wise (compact in the predictor file). */
export interface HeldOutCells {
  row: number[];
  point: number[];
  r: number[];
  s: number[];
  rowHeat: number[];
  rowHalf: number[];
}

/** What calibration needs of the ensemble (kept as an interface so this file does not import ensemble.ts). */
export interface SpreadSource {
  readonly members: JominyPredictor[];
  spread(chems: ArrayLike<number>, n: number): { mean: Float64Array; sd: Float64Array };
}

const Z = 1.6448536269514722;

/** How a point's k was fitted (Calibration.pointRule). */
export type PointRule = 'own' | 'pooled-widened';
/**
 * Held-out readings a point needs for its own k: 40, so that each cross-fit half that measures its coverage has about
 * 20. With n scores the 90 % conformal quantile is the ⌈0.9(n + 1)⌉-th: the 19th of 20, but for n ≤ 18 the largest
 * score — a half that small states 94–96 % for an own k (fitted on all 2n) that covers about 90 %, an overstatement
 * (review 25f; 20 had been the threshold). Under 40 the point takes the pooled k widened, whose stored k (the largest of
 * all its scores) covers at least what its halves state.
 */
export const MIN_POINT_CELLS = 40;

/**
 * k per point from cells (score, point): its own conformal quantile where it has MIN_POINT_CELLS readings, else the
 * pooled k widened to cover its largest score (never narrower than pooled). Pooled ∞ (too few cells at all) gives ∞;
 * an 'own' point of `rules` with too few scores for a finite quantile gives ∞ too (its coverage cannot be measured).
 */
export function pointScales(cells: readonly { p: number; score: number }[], P: number, nominal: number, rules?: readonly PointRule[]): { pooled: number; k: number[]; rule: PointRule[] } {
  const pooled = conformalQuantile(cells.map((c) => c.score), nominal) / Z;
  const rule: PointRule[] = [];
  const k = Array.from({ length: P }, (_, p) => {
    const scores = cells.filter((c) => c.p === p).map((c) => c.score);
    // `rules` given (a cross-fit half): the rule the point takes on all the test heats, whatever this half's count
    if (rules ? rules[p] === 'own' : scores.length >= MIN_POINT_CELLS) {
      rule.push('own');
      return conformalQuantile(scores, nominal) / Z;
    }
    rule.push('pooled-widened');
    return Math.max(pooled, scores.length ? Math.max(...scores) / Z : 0);
  });
  return { pooled, k, rule };
}

/** Stored with every calibration: 2 = cross-fit halves by heat whose coverage is null when a half is too small (2026-11-30). */
export const CALIBRATION_VERSION = 2;
const finite = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v);

/**
 * The lowest measured per-distance coverage and its distance (the one a tight band there meets with least warrant),
 * null when none is measured. `pointsMm` absent: the 15 standard distances (calibrations stored before points).
 */
export function lowestPointCoverage(c: { coveragePoints: readonly (number | null)[]; pointsMm?: readonly number[] }): { coverage: number; distanceMm: number } | null {
  let low: { coverage: number; distanceMm: number } | null = null;
  c.coveragePoints.forEach((v, p) => {
    if (finite(v) && (low === null || v < low.coverage)) low = { coverage: v, distanceMm: (c.pointsMm ?? DISTANCES_MM)[p] };
  });
  return low;
}

/** Conformal quantile: the ⌈(n+1)·level⌉-th smallest score (∞ when n is too small). */
export function conformalQuantile(scores: number[], level: number): number {
  const s = [...scores].sort((a, b) => a - b);
  const k = Math.ceil((s.length + 1) * level);
  return k > s.length ? Infinity : s[k - 1];
}

/**
 * `samples` hold hardness at the dataset's distances; `cols[p]` is the dataset column of model point p (default: the
 * model's points are the samples' columns, as for a standard dataset).
 */
export function calibrate(samples: JominySample[], model: PredictorModel, ens: SpreadSource, oob: boolean[][], modelSeed: number, nominal = 0.9, cols?: readonly number[], heatKeysOfRows?: readonly string[]): Calibration {
  const held = model.split.testIndices;
  const heldSet = new Set(held);
  const fit = samples.map((_, i) => i).filter((i) => !heldSet.has(i));
  const pointsMm = modelDistances(model);
  const P = pointsMm.length;
  const colOf = cols ?? pointsMm.map((_, p) => p);
  const yAt = (i: number, p: number) => samples[i].hardness[colOf[p]];

  // τ_p: residuals of each fit heat against the mean of the members that did not see it, at its measured points.
  const fitChem = chemRowsOf(samples, fit);
  const memberPred = ens.members.map((m) => pointsBatch(m, fitChem, fit.length));
  const tauPoints = Array.from({ length: P }, (_, p) => {
    let ss = 0;
    let n = 0;
    fit.forEach((i, s) => {
      const y = yAt(i, p);
      if (!finite(y)) return;
      let sum = 0;
      let c = 0;
      ens.members.forEach((_, k) => {
        if (oob[k][i]) {
          sum += memberPred[k][s * P + p];
          c++;
        }
      });
      if (!c) return;
      ss += (y - sum / c) ** 2;
      n++;
    });
    return n ? Math.sqrt(ss / n) : 0;
  });

  const testChem = chemRowsOf(samples, held);
  const yHat = pointsBatch(new JominyPredictor(model), testChem, held.length);
  const { mean, sd } = spreadAtPoints(ens.members, testChem, held.length, P);
  const sigma = Float64Array.from(sd, (v, i) => Math.sqrt(v * v + tauPoints[i % P] ** 2));
  type Cell = { heat: number; p: number; score: number; r: number; s: number };
  const cells: Cell[] = [];
  let maeP = 0;
  let maeE = 0;
  held.forEach((i, h) => {
    for (let p = 0; p < P; p++) {
      const y = yAt(i, p);
      if (!finite(y)) continue;
      const o = h * P + p;
      const r = y - yHat[o];
      cells.push({ heat: h, p, score: Math.abs(r) / Math.max(sigma[o], 1e-9), r, s: sigma[o] });
      maeP += Math.abs(r);
      maeE += Math.abs(y - mean[o]);
    }
  });
  if (cells.length < 20) throw RefusedError.said('failed_precondition', phrase('workerErrors.jominy.calibrationCells', { n: cells.length }));

  const seed = deriveSeed(modelSeed, 2000);
  // rows of one heat (heat-split.ts heatKeys: its id, or its chemistry where a row has none; the training's keys when
  // given, keyed on the dataset's full rows) fall in one half
  const keys = heatKeysOfRows ?? heatKeys(samples);
  const heldHeats = held.map((i) => keys[i]);
  const half = crossFitHalves(heldHeats, seed);
  // The stored k per point (fitted on all test heats) and the rule each point takes: the halves apply the same rule, so
  // the coverage stated is of the rule stored (each half choosing by its own count had measured a point the stored k
  // fits by its own quantile under the widened rule instead).
  const { pooled: scale, k: kPoints, rule: pointRule } = pointScales(cells, P, nominal);
  const covered = new Float64Array(P);
  const counted = new Float64Array(P);
  // a point whose own quantile a half cannot give (too few readings in it): its coverage is not stated
  const unmeasuredPoint = new Array<boolean>(P).fill(false);
  let hit = 0;
  let scored = 0;
  let measured = true;
  for (const fold of [0, 1]) {
    // each point's k fitted on this half by its stored rule, counted on the other half
    const kFold = pointScales(cells.filter((c) => half[c.heat] === fold), P, nominal, pointRule);
    if (!Number.isFinite(kFold.pooled)) measured = false; // this half cannot calibrate: its other half's coverage would read 1
    kFold.k.forEach((k, p) => {
      if (!Number.isFinite(k)) unmeasuredPoint[p] = true;
    });
    for (const c of cells) {
      if (half[c.heat] === fold || !Number.isFinite(kFold.k[c.p])) continue;
      const inside = Math.abs(c.r) <= Z * kFold.k[c.p] * c.s ? 1 : 0;
      hit += inside;
      scored++;
      covered[c.p] += inside;
      counted[c.p]++;
    }
  }
  const rawCoverage = cells.filter((c) => c.score <= Z).length / cells.length;

  const rho = residualCorrelation(cells, kPoints);

  const meanSd = Array.from({ length: P }, (_, p) => {
    const cs = cells.filter((c) => c.p === p);
    return cs.length ? (kPoints[p] * cs.reduce((a, c) => a + c.s, 0)) / cs.length : 0;
  });
  return {
    nominal,
    method: 'split-conformal, normalised residuals, 2-fold cross-fit on the test heats',
    version: CALIBRATION_VERSION,
    scale,
    kPoints,
    pointRule,
    kStd: atStandard(pointsMm, kPoints),
    cellsPoints: Array.from({ length: P }, (_, p) => cells.filter((c) => c.p === p).length),
    z90: Z,
    tau: atStandard(pointsMm, tauPoints),
    pointsMm,
    tauPoints,
    coverage: measured && scored > 0 ? hit / scored : null,
    coverageReadings: scored,
    coveragePoints: Array.from(covered, (c, p) => (measured && counted[p] && !unmeasuredPoint[p] ? c / counted[p] : null)),
    cells: cells.length,
    heats: distinctHeats(heldHeats),
    rawCoverage,
    meanSd,
    rho,
    ensembleMeanMae: maeE / cells.length,
    predictorMae: maeP / cells.length,
    seed,
    heldOut: heldOutCells(cells, held.map((_, h) => h), heldHeats, half),
  };
}

/**
 * ρ: the mean pairwise correlation of one held-out row's normalised residuals z = r/(k_p·σ) across its points. For
 * equicorrelated z over a row's L cells, E[(Σz)² − Σz²] = L(L − 1)·ρ·E[z²]. Held in [0, 0.99].
 */
export function residualCorrelation(cells: readonly { heat: number; p: number; r: number; s: number }[], k: readonly number[]): number {
  const byHeat = new Map<number, number[]>();
  for (const c of cells) {
    const z = c.r / (k[c.p] * c.s);
    const zs = byHeat.get(c.heat);
    if (zs) zs.push(z);
    else byHeat.set(c.heat, [z]);
  }
  let num = 0;
  let den = 0;
  for (const z of byHeat.values()) {
    if (z.length < 2) continue;
    const S = z.reduce((a, v) => a + v, 0);
    const Q = z.reduce((a, v) => a + v * v, 0);
    num += S * S - Q;
    den += (z.length - 1) * Q;
  }
  return den > 0 ? Math.min(0.99, Math.max(0, num / den)) : 0;
}

/** The cells as stored (Calibration.heldOut): residual to 0.001 HRC, σ to 4 significant digits. */
function heldOutCells(cells: readonly { heat: number; p: number; r: number; s: number }[], rows: readonly number[], heldHeats: readonly string[], half: Uint8Array): HeldOutCells {
  const heatIndex = new Map<string, number>();
  return {
    row: cells.map((c) => c.heat),
    point: cells.map((c) => c.p),
    r: cells.map((c) => +c.r.toFixed(3)),
    s: cells.map((c) => +c.s.toPrecision(4)),
    rowHeat: rows.map((h) => {
      const key = heldHeats[h];
      if (!heatIndex.has(key)) heatIndex.set(key, heatIndex.size);
      return heatIndex.get(key)!;
    }),
    rowHalf: rows.map((h) => half[h]),
  };
}

/**
 * The 2-fold cross-fit's half (0 or 1) of each held-out row, drawn from `seed` by heat: rows sharing a heat id (a
 * retest, a second bar) fall in the same half, so the coverage counted on one half is never of a heat whose twin
 * fitted k. A row without an id is a heat of its own; with every id unique this is the row shuffle it always was.
 */
export function crossFitHalves(heatIds: readonly (string | null)[], seed: number): Uint8Array {
  const groupOf: number[] = [];
  const byId = new Map<string, number>();
  let groups = 0;
  for (const id of heatIds) {
    const g = id !== null ? byId.get(id) : undefined;
    if (g !== undefined) groupOf.push(g);
    else {
      if (id !== null) byId.set(id, groups);
      groupOf.push(groups++);
    }
  }
  const groupHalf = new Uint8Array(groups);
  permutation(groups, createRng(seed)).forEach((g, k) => (groupHalf[g] = k < groups / 2 ? 0 : 1));
  return Uint8Array.from(groupOf, (g) => groupHalf[g]);
}

/** A predictor's capped outputs at its own points for n chemistries (n × P, row-major). */
export function pointsBatch(m: JominyPredictor, chems: Float64Array, n: number): Float64Array {
  const P = m.pointsMm.length;
  const out = new Float64Array(n * P);
  for (let s = 0; s < n; s++) out.set(m.predictPoints(chems.subarray(s * N_ELEMENTS, (s + 1) * N_ELEMENTS)), s * P);
  return out;
}

/** Mean and sd (n − 1) of the members' outputs at the model's points, as JominyEnsemble.spread gives them at the standard distances. */
export function spreadAtPoints(members: readonly JominyPredictor[], chems: Float64Array, n: number, P: number): { mean: Float64Array; sd: Float64Array } {
  return memberSpread(members.map((m) => pointsBatch(m, chems, n)), n * P);
}

/** Values at the model's points read at the 15 standard distances: linear between points, held beyond the first and last. */
export function atStandard(pointsMm: readonly number[], values: readonly number[]): number[] {
  return DISTANCES_MM.map((d) => {
    if (d <= pointsMm[0]) return values[0];
    const last = pointsMm.length - 1;
    if (d >= pointsMm[last]) return values[last];
    const j = pointsMm.findIndex((x) => x >= d);
    if (pointsMm[j] === d) return values[j];
    const t = (d - pointsMm[j - 1]) / (pointsMm[j] - pointsMm[j - 1]);
    return values[j - 1] + t * (values[j] - values[j - 1]);
  });
}

/** Chemistries of some heats as one n × 15 row-major array (ELEMENTS order). */
export function chemRowsOf(samples: JominySample[], idx: number[]): Float64Array {
  const out = new Float64Array(idx.length * N_ELEMENTS);
  idx.forEach((i, s) => out.set(chemToArray(samples[i].chemistry), s * N_ELEMENTS));
  return out;
}
