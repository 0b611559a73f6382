import { ELEMENTS, ELEMENT_LIMITS, N_ELEMENTS, N_POINTS } from './elements.js';
import { createRng } from '../runtime/random.js';
import type { JominyEnsemble } from './ensemble.js';
import { normalCdf } from './normal.js';
import { calibrationReplicates, heldOutMeetCheck, quantileOf, statedMeetRange, type MeetCheckWhy, type MeetHeldOutCheck } from './meet-uncertainty.js';

/**
 * Robust aims: the probability that a heat cast at an aim chemistry meets a hardness band, by Monte Carlo
 * through the ensemble. Per draw:
 *   chemistry  x' = aim + U(−tol, +tol) per element with a melt tolerance (held at ≥ 0 and inside the
 *              limits table), other elements at the aim;
 *   curve      ŷ(x') + sd(x') ⊙ (√ρ·z₀ + √(1 − ρ)·z_p), z standard normal, sd the ensemble's calibrated sd
 *              at x' (k per distance, calibration.ts), ρ the held-out correlation of a heat's residuals across points (calibration.ts) —
 *              a cast heat is high or low as a whole, not point by point;
 *   meets      every constrained point inside [min, max] (integrated over the point noise given z₀, below).
 * The draws are fixed by the seed (common random numbers), so the estimate is a deterministic function of
 * the aim: the GA can optimise it, and two aims are compared on the same draws.
 */
export interface MeetEstimate {
  p: number;
  /** Binomial standard error of p: the Monte Carlo error of the draws only (nothing of the calibration's). */
  se: number;
  draws: number;
  seed: number;
}

/**
 * A P(meet band) with what it rests on (meet-uncertainty.ts): the calibration range (5–95 % of P over k and ρ refitted
 * on resampled held-out heats; null when the predictor stored no held-out cells), the held-out check of its band shape
 * (null, with why, when there is none), and `range`, the widest of those and the Monte Carlo error: the figure to state
 * beside P.
 */
export interface MeetStated extends MeetEstimate {
  calibrationRange: [number, number] | null;
  /** Resamples behind calibrationRange (0 when none). */
  replicates: number;
  heldOut: MeetHeldOutCheck | null;
  heldOutWhy: MeetCheckWhy;
  range: [number, number];
}

export interface Band {
  /** Constrained points (indices into the 15 distances) and their limits (±∞ where open). */
  idx: ArrayLike<number>;
  lo: ArrayLike<number>;
  hi: ArrayLike<number>;
}

export const DEFAULT_MC_DRAWS = 2000;
/** Draws per evaluation when P(meet band) is part of the GA's objective (common random numbers keep it smooth enough). */
export const OBJECTIVE_MC_DRAWS = 48;

export class MeetProbability {
  private readonly u: Float64Array;
  private readonly z: Float64Array;
  private readonly chems: Float64Array;
  private readonly curves: Float64Array;
  private readonly sdEns: Float64Array;
  private readonly mean: Float64Array;
  private readonly sigma: Float64Array;
  private readonly tolIdx: number[];
  private readonly limits: number[];
  constructor(private readonly ens: JominyEnsemble, private readonly band: Band, private readonly tolerances: ArrayLike<number>, readonly draws: number, readonly seed: number) {
    if (tolerances.length !== N_ELEMENTS) throw new RangeError(`tolerances: ${N_ELEMENTS} values (ELEMENTS order)`);
    this.tolIdx = Array.from({ length: N_ELEMENTS }, (_, j) => j).filter((j) => tolerances[j] > 0);
    const rng = createRng(seed);
    this.u = Float64Array.from({ length: draws * N_ELEMENTS }, () => rng.uniform(-1, 1));
    this.z = Float64Array.from({ length: draws * (N_POINTS + 1) }, () => rng.normal());
    this.chems = new Float64Array(draws * N_ELEMENTS);
    this.curves = new Float64Array(draws * N_POINTS);
    this.sdEns = new Float64Array(draws * N_POINTS);
    this.mean = new Float64Array(draws * N_POINTS);
    this.sigma = new Float64Array(draws * N_POINTS);
    // The most of each element any input may have (elements.ts): a draw is held inside it.
    this.limits = ELEMENTS.map((el) => ELEMENT_LIMITS[el]);
  }

  /** P(meet band) for the aim at chems[off…off+15]. */
  estimate(aim: ArrayLike<number>, off = 0): MeetEstimate {
    this.draw(aim, off);
    const { kStd, scale, tau, rho } = this.ens.ensemble.calibration;
    const p = this.pAt(kStd ?? tau.map(() => scale), rho);
    // se: binomial bound (the conditional estimator's own variance is smaller).
    return { p, se: Math.sqrt((p * (1 - p)) / this.draws), draws: this.draws, seed: this.seed };
  }

  /**
   * P(meet band) with its calibration range and held-out check (meet-uncertainty.ts). Not for the GA's objective: the
   * range recomputes P for every calibration resample (on the same draws: the networks run once).
   */
  stated(aim: ArrayLike<number>, off = 0): MeetStated {
    const est = this.estimate(aim, off);
    const cal = this.ens.ensemble.calibration;
    const reps = calibrationReplicates(cal);
    const ps = reps?.map((r) => this.pAt(r.kStd, r.rho)) ?? [];
    const calibrationRange: [number, number] | null = ps.length ? [quantileOf(ps, 0.05), quantileOf(ps, 0.95)] : null;
    // the band's shape: its limits less the aim's own predicted curve (what is put around each held-out heat's curve)
    const curve = this.ens.predictor.predict(Array.from({ length: N_ELEMENTS }, (_, j) => aim[off + j]));
    const idx = Array.from(this.band.idx);
    const { check, why } = heldOutMeetCheck(cal, idx, idx.map((p, k) => this.band.lo[k] - curve[p]), idx.map((p, k) => this.band.hi[k] - curve[p]));
    return { ...est, calibrationRange, replicates: ps.length, heldOut: check, heldOutWhy: why, range: statedMeetRange(est.p, est.se, calibrationRange, check) };
  }

  /** The draws' chemistries, curves and member sd for an aim (kept for pAt). */
  private draw(aim: ArrayLike<number>, off: number): void {
    const D = this.draws;
    for (let d = 0; d < D; d++) {
      const o = d * N_ELEMENTS;
      for (let j = 0; j < N_ELEMENTS; j++) this.chems[o + j] = aim[off + j];
      for (const j of this.tolIdx) this.chems[o + j] = Math.min(this.limits[j], Math.max(0, aim[off + j] + this.u[o + j] * this.tolerances[j]));
    }
    this.ens.predictor.predictBatch(this.chems, D, this.curves);
    this.ens.spread(this.chems, D, this.mean, this.sdEns);
    // σ before k (calibration.ts): the calibrated sd is k·σ, so P can be taken again at another k on the same draws
    const { tau } = this.ens.ensemble.calibration;
    for (let i = 0; i < this.sdEns.length; i++) this.sigma[i] = Math.sqrt(this.sdEns[i] ** 2 + tau[i % N_POINTS] ** 2);
  }

  /** P over the last draws at k per standard distance and ρ. */
  private pAt(k: ArrayLike<number>, rho: number): number {
    const D = this.draws;
    const a = Math.sqrt(rho);
    const b = Math.sqrt(1 - rho);
    // Rao–Blackwellised: given the draw's chemistry and its heat-level z₀, the points are independent, so
    // P(meet | x', z₀) = Π_p [Φ((hi − m)/s) − Φ((lo − m)/s)], m = ŷ + sd·√ρ·z₀, s = sd·√(1 − ρ); the mean over
    // draws estimates P with less variance than counting hits, and is smooth in the aim (the GA can use it).
    let meets = 0;
    for (let d = 0; d < D; d++) {
      const z0 = this.z[d * (N_POINTS + 1)];
      let pr = 1;
      for (let j = 0; j < this.band.idx.length && pr > 0; j++) {
        const p = this.band.idx[j];
        const o = d * N_POINTS + p;
        const sd = k[p] * this.sigma[o];
        const m = this.curves[o] + sd * a * z0;
        const sc = Math.max(sd * b, 1e-9);
        pr *= normalCdf((this.band.hi[j] - m) / sc) - normalCdf((this.band.lo[j] - m) / sc);
      }
      meets += pr;
    }
    return meets / D;
  }
}
