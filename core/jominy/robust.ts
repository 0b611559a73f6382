import { ELEMENTS, ELEMENT_LIMITS, N_ELEMENTS, N_POINTS } from './elements.js';
import { createRng } from '../runtime/random.js';
import type { JominyEnsemble } from './ensemble.js';

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
  /** Binomial standard error of p. */
  se: number;
  draws: number;
  seed: number;
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
    // The most of each element any input may have (elements.ts): a draw is held inside it.
    this.limits = ELEMENTS.map((el) => ELEMENT_LIMITS[el]);
  }

  /** P(meet band) for the aim at chems[off…off+15]. */
  estimate(aim: ArrayLike<number>, off = 0): MeetEstimate {
    const D = this.draws;
    for (let d = 0; d < D; d++) {
      const o = d * N_ELEMENTS;
      for (let j = 0; j < N_ELEMENTS; j++) this.chems[o + j] = aim[off + j];
      for (const j of this.tolIdx) this.chems[o + j] = Math.min(this.limits[j], Math.max(0, aim[off + j] + this.u[o + j] * this.tolerances[j]));
    }
    this.ens.predictor.predictBatch(this.chems, D, this.curves);
    this.ens.spread(this.chems, D, this.mean, this.sdEns);
    const sd = this.ens.calibratedSd(this.sdEns);
    const rho = this.ens.ensemble.calibration.rho;
    const a = Math.sqrt(rho);
    const b = Math.sqrt(1 - rho);
    // Rao–Blackwellised: given the draw's chemistry and its heat-level z₀, the points are independent, so
    // P(meet | x', z₀) = Π_p [Φ((hi − m)/s) − Φ((lo − m)/s)], m = ŷ + sd·√ρ·z₀, s = sd·√(1 − ρ); the mean over
    // draws estimates P with less variance than counting hits, and is smooth in the aim (the GA can use it).
    let meets = 0;
    for (let d = 0; d < D; d++) {
      const z0 = this.z[d * (N_POINTS + 1)];
      let pr = 1;
      for (let k = 0; k < this.band.idx.length && pr > 0; k++) {
        const p = this.band.idx[k];
        const o = d * N_POINTS + p;
        const m = this.curves[o] + sd[o] * a * z0;
        const sc = Math.max(sd[o] * b, 1e-9);
        pr *= normalCdf((this.band.hi[k] - m) / sc) - normalCdf((this.band.lo[k] - m) / sc);
      }
      meets += pr;
    }
    const p = meets / D;
    // se: binomial bound (the conditional estimator's own variance is smaller).
    return { p, se: Math.sqrt((p * (1 - p)) / D), draws: D, seed: this.seed };
  }
}

/** Standard normal CDF (Abramowitz & Stegun 7.1.26 erf, |error| < 1.5e-7). */
export function normalCdf(x: number): number {
  if (x === Infinity) return 1;
  if (x === -Infinity) return 0;
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-z * z);
  return x >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}
