import { N_ELEMENTS, N_POINTS } from './elements.js';
import { ensembleOf } from './ensemble.js';
import { MeetProbability, OBJECTIVE_MC_DRAWS } from './robust.js';
import type { CompiledObjective } from './objective.js';
import type { PredictorModel } from './predictor.js';

/**
 * Trust region of a design: penalties added to the GA's objective so it cannot win by exploiting a
 * network's error (issue 12). In HRC, so they add to the deviation:
 *   sdWeight     × mean over the constrained points of the ensemble's disagreement (member sd, HRC) —
 *                where the members disagree, the curve the GA is fitting is not known;
 *   robustWeight × (1 − P(meet band)) — optional "maximise the probability a cast heat meets the band"
 *                (band targets with melt tolerances; robust.ts, common random numbers).
 * The distance-to-data penalty is the GA's own `domainWeight` (ga.ts); its default for designs is here
 * (DEFAULT_TRUST) beside these. A predictor without an ensemble gets no sd or robust term.
 */
export interface TrustSettings {
  /** HRC per HRC of mean member sd (0 = off). */
  sdWeight: number;
  /** HRC added per unit of (1 − P(meet band)) (0 = off). */
  robustWeight?: number;
  /** Melt tolerance per element (15, ELEMENTS order, ± wt.%), for the robust term. */
  tolerances?: number[] | null;
  /** Seed of the robust term's Monte Carlo draws. */
  seed?: number;
}

/**
 * Defaults of a design (the paper's GA had neither: both 0 reproduces it). Chosen on the synthetic protocol
 * (bench/jominy-honest.ts: 810 heats, 243 targets, predictor seed 7) by the error against the generating model,
 * the one a cast heat would show: weights 1/1 gave 1.04 HRC (base) and 2.99 (cost), 3/3 0.89 and 1.33, 4/4 0.97 and
 * 1.20, 5/5 1.08 and 1.02, every design inside the domain. 4/4 is the lowest setting that holds both objectives
 * there; with another predictor (seed 8) it gave 0.99 (base) but 2.36 (cost): the cost objective dropped titanium, which
 * no network takes, from boron designs. With the elements the predictor does not use, or uses beyond the priors, held
 * at the nearest heats' median (neighbour-aims.ts, on whenever domainWeight > 0), 4/4 gives base / cost 0.601 / 0.849
 * (predictor seed 7), 0.891 / 1.150 (seed 8), 0.676 / 0.933 (seed 9) HRC, every design inside the domain
 * (bench/jominy-honest.ts --defaults --predictor-seed S --searches default).
 */
export const DEFAULT_TRUST = { sdWeight: 4, domainWeight: 4 } as const;

export interface TrustPenalty {
  /** Adds the penalty of each of the q chemistries in pop (q × 15) to fit[0…q). */
  addBatch(pop: Float64Array, q: number, fit: Float64Array): void;
  one(chem: ArrayLike<number>): number;
}

export function buildTrustPenalty(model: PredictorModel, trust: TrustSettings | null | undefined, obj: CompiledObjective): TrustPenalty | null {
  const ens = ensembleOf(model);
  if (!trust || !ens) return null;
  const sdW = trust.sdWeight;
  const robW = trust.robustWeight ?? 0;
  if (!(sdW > 0) && !(robW > 0)) return null;
  const robust =
    robW > 0 && trust.tolerances
      ? new MeetProbability(ens, { idx: obj.idx, lo: obj.lo, hi: obj.hi }, trust.tolerances, OBJECTIVE_MC_DRAWS, trust.seed ?? 1)
      : null;
  let mean = new Float64Array(0);
  let sd = new Float64Array(0);
  const addBatch = (pop: Float64Array, q: number, fit: Float64Array): void => {
    if (sdW > 0) {
      if (sd.length < q * N_POINTS) {
        mean = new Float64Array(q * N_POINTS);
        sd = new Float64Array(q * N_POINTS);
      }
      ens.spread(pop, q, mean.subarray(0, q * N_POINTS), sd.subarray(0, q * N_POINTS));
      for (let s = 0; s < q; s++) {
        let a = 0;
        for (let k = 0; k < obj.n; k++) a += sd[s * N_POINTS + obj.idx[k]];
        fit[s] += (sdW * a) / obj.n;
      }
    }
    if (robust) for (let s = 0; s < q; s++) fit[s] += robW * (1 - robust.estimate(pop, s * N_ELEMENTS).p);
  };
  return {
    addBatch,
    one(chem) {
      const f = new Float64Array(1);
      addBatch(Float64Array.from(chem), 1, f);
      return f[0];
    },
  };
}
