import { ELEMENTS, N_ELEMENTS, N_POINTS, type Element } from './elements.js';
import { createRng } from '../runtime/random.js';
import { phrase } from '../api/phrase.js';
import { compileObjective, scoreOne, type ObjectiveSpec, type Score } from './objective.js';
import { satisfiesLinear, validateConstraints, ConstraintError, type Constraints } from './constraints.js';
import { fagaControl } from './faga.js';
import { cmaLambda, cmaRefine } from './cma-refine.js';
import { DesignArchive } from './design-archive.js';
import { checkDomain, distanceToData, pairGapOf, type DomainCheck } from './domain.js';
import type { JominyPredictor } from './predictor.js';
import { buildTrustPenalty, type TrustSettings } from './trust-region.js';
import { heldElements } from './neighbour-aims.js';
import { RefusedError } from '../runtime/refused.js';

/**
 * Real-coded GA over the 15 element contents (paper §3.2): initial population per element from a
 * Gaussian fitted to the training data, clipped to the ranges; tournament selection; uniform
 * crossover; mutation of r random free elements by up to ±α % of their value; elitism. Ranges are
 * kept by construction (crossover mixes in-range genes, mutation clips); an offspring that breaks a
 * linear constraint is replaced by its (feasible) first parent, so constraints always hold.
 * Optional FAGA control and early stop when the best has not improved by more than `tolerance`
 * for `stallGenerations` generations. Deterministic for a seed.
 *
 * Two searches share this loop (`search`): 'paper-ga' runs the GA above for all NG generations;
 * 'default' (beyond the paper) runs it for the first GA_SHARE of them and spends the rest of the same
 * budget (Q per generation) on a CMA-ES refinement of the GA's best (cma-refine.ts), which converges where
 * the GA stops short. Both evaluate Q·(NG + 1) chemistries and draw from the one seeded stream.
 * (Over 300 lines: one run's state — population, archive, history, stall test — is shared by the GA loop
 * and the refinement's callback as closures; splitting them would pass that state around.)
 */
export type SearchKind = 'default' | 'paper-ga';
export const SEARCH_KINDS: readonly SearchKind[] = ['default', 'paper-ga'];
/**
 * Share of the generations the default search gives the GA (exploration) before refining. Measured at the
 * paper's budget on 40 synthetic targets (ε against the predictor): 0.4 → 0.188, 0.2 → 0.173, 0.1 → 0.166 HRC.
 */
export const GA_SHARE = 0.1;

export interface GaSettings {
  /** 'default' = GA then CMA-ES refinement; 'paper-ga' = the paper's GA alone. */
  search: SearchKind;
  population: number;
  generations: number;
  /** Elements mutated per mutation. */
  r: number;
  /** Maximum mutation step, % of the element's value. */
  alpha: number;
  crossoverRate: number;
  mutationRate: number;
  elite: number;
  tournament: number;
  faga: boolean;
  /** 0 = run all generations. */
  stallGenerations: number;
  tolerance: number;
  topK: number;
  /** Minimum RMS difference (in units of each element's range) between two returned chemistries. */
  distinctness: number;
  /**
   * Beyond the paper: HRC added to the objective per unit of standardised distance by which a
   * chemistry lies farther from the training heats than 98 % of the domain threshold (0 = off). Keeps
   * the search where the predictor has seen data. When on (> 0), the elements the predictor does not take as
   * inputs, or takes beyond the metallurgical priors, are not searched but held where the training heats most like
   * the design have them (neighbour-aims.ts).
   */
  domainWeight: number;
}

export const DEFAULT_GA: GaSettings = {
  search: 'default',
  population: 50,
  generations: 100,
  r: 3,
  alpha: 15,
  crossoverRate: 0.9,
  mutationRate: 0.8,
  elite: 2,
  tournament: 2,
  faga: false,
  stallGenerations: 0,
  tolerance: 1e-3,
  topK: 5,
  distinctness: 0.05,
  domainWeight: 0,
};

export interface DesignInput {
  objective: ObjectiveSpec;
  constraints: Constraints;
  settings?: Partial<GaSettings>;
  seed: number;
  /** Trust region (ensemble disagreement, optional P(meet band)); trust-region.ts. Absent: none. */
  trust?: TrustSettings | null;
}

export interface DesignCandidate extends Score {
  chemistry: number[];
  profile: number[];
  domain: DomainCheck;
}

export interface GenerationStat {
  gen: number;
  best: number;
  mean: number;
  diversity: number;
  pc: number;
  pm: number;
  /** GA: mutation step multiplier; refinement: the CMA-ES step in range units. */
  step: number;
  phase: 'ga' | 'refine';
}

export interface DesignOutput {
  seed: number;
  settings: GaSettings;
  best: DesignCandidate;
  top: DesignCandidate[];
  generations: number;
  stopReason: 'generations' | 'stalled';
  evaluations: number;
  history: GenerationStat[];
  /** Elements not searched but held at the nearest training heats' median: the predictor does not use them, or uses them beyond the priors (neighbour-aims.ts). */
  held: Element[];
}

/** Share of the domain threshold inside which the domain penalty already starts. */
export const DOMAIN_MARGIN = 0.02;

/** Fraction of the range a zero (or tiny) content may move by: keeps B = 0 from being stuck at 0. */
const MUTATION_FLOOR = 0.02;

export interface DesignHooks {
  onGeneration?: (gen: number, total: number, best: number) => void;
  /** Sees every evaluated population (Q × 15, row-major); for tests of the constraint handling. */
  onPopulation?: (pop: Float64Array, q: number) => void;
}

export function runDesign(predictor: JominyPredictor, input: DesignInput, hooks: DesignHooks = {}): DesignOutput {
  const { onGeneration, onPopulation } = hooks;
  // A key given as undefined (an optional field passed through) keeps its default.
  const given = Object.fromEntries(Object.entries(input.settings ?? {}).filter(([, v]) => v !== undefined));
  const s: GaSettings = { ...DEFAULT_GA, ...given };
  if (!(s.population >= 4) || !(s.generations >= 1)) throw RefusedError.said('invalid_argument', phrase('jominyDomain.gaSize', { population: String(s.population), generations: String(s.generations) }));
  if (!(s.r >= 1) || !(s.alpha > 0)) throw RefusedError.said('invalid_argument', phrase('jominyDomain.gaShape', { r: String(s.r), alpha: String(s.alpha) }));
  if (!SEARCH_KINDS.includes(s.search)) throw RefusedError.said('invalid_argument', phrase('jominyDomain.gaSearch', { search: String(s.search) }));
  const { min, max, linear } = input.constraints;
  validateConstraints(input.constraints);
  const obj = compileObjective(input.objective);
  const rng = createRng(input.seed);
  const Q = Math.round(s.population);
  const dom = predictor.model.domain;
  const held = s.domainWeight > 0 ? heldElements(predictor.model, input.constraints) : null;
  const free = Array.from({ length: N_ELEMENTS }, (_, j) => j).filter((j) => max[j] > min[j] && !held?.idx.includes(j));
  const width = Array.from({ length: N_ELEMENTS }, (_, j) => max[j] - min[j]);

  const drawGene = (j: number, gaussian: boolean): number => {
    if (max[j] === min[j]) return min[j];
    if (gaussian && dom.std[j] > 0) {
      for (let k = 0; k < 5; k++) {
        const v = dom.mean[j] + dom.std[j] * rng.normal();
        if (v >= min[j] && v <= max[j]) return v;
      }
    }
    return rng.uniform(min[j], max[j]);
  };

  let pop = new Float64Array(Q * N_ELEMENTS);
  for (let q = 0; q < Q; q++) {
    let ok = false;
    for (let attempt = 0; attempt < 2000 && !ok; attempt++) {
      for (let j = 0; j < N_ELEMENTS; j++) pop[q * N_ELEMENTS + j] = drawGene(j, attempt < 100);
      ok = satisfiesLinear(linear, pop, q * N_ELEMENTS);
    }
    if (!ok) throw new ConstraintError(phrase('jominyErrors.noFeasibleChemistry', { constraints: linear.map((c) => c.label).join(', ') }));
  }

  // The penalty starts DOMAIN_MARGIN inside the threshold: an exact penalty's optimum sits on its kink, and a
  // search that converges (the default's refinement) would land on either side of the threshold by a hair.
  // Plus the pairs of elements in a combination the data never had (pair-coverage.ts), in the same sd units.
  const domainPenalty = (chem: ArrayLike<number>, off: number): number =>
    s.domainWeight > 0 ? s.domainWeight * (Math.max(0, distanceToData(dom, chem, off) - (1 - DOMAIN_MARGIN) * dom.threshold) + pairGapOf(dom, chem, off)) : 0;

  const trust = buildTrustPenalty(predictor.model, input.trust, obj);
  let profiles = new Float64Array(Q * N_POINTS);
  const fit = new Float64Array(Q);
  let evaluations = 0;
  const archive = new DesignArchive(free, width, s.topK, s.distinctness, Q);
  /** The one way a chemistry is scored (both searches): predictor, objective, domain and trust penalties, archive. */
  const scoreBatch = (chems: Float64Array, q: number, out: Float64Array): void => {
    if (profiles.length < q * N_POINTS) profiles = new Float64Array(q * N_POINTS); // refinement batches may exceed Q
    held?.apply(chems, q);
    predictor.predictBatch(chems, q, profiles);
    onPopulation?.(chems, q);
    evaluations += q;
    for (let k = 0; k < q; k++) out[k] = scoreOne(obj, profiles, k * N_POINTS, chems, k * N_ELEMENTS).objective + domainPenalty(chems, k * N_ELEMENTS);
    trust?.addBatch(chems, q, out);
    for (let k = 0; k < q; k++) {
      archive.add(chems, k, N_ELEMENTS, out[k]);
    }
  };
  const evaluate = (): void => scoreBatch(pop, Q, fit);

  const diversity = (): number => {
    if (free.length === 0) return 0;
    let d = 0;
    for (const j of free) {
      let m = 0;
      for (let q = 0; q < Q; q++) m += pop[q * N_ELEMENTS + j];
      m /= Q;
      let v = 0;
      for (let q = 0; q < Q; q++) v += (pop[q * N_ELEMENTS + j] - m) ** 2;
      d += Math.sqrt(v / Q) / width[j];
    }
    return d / free.length;
  };

  evaluate();
  const d0 = diversity() || 1;
  const history: GenerationStat[] = [];
  const bests: number[] = [];
  let stopReason: DesignOutput['stopReason'] = 'generations';
  let gen = 0;
  const next = new Float64Array(Q * N_ELEMENTS);
  const order = new Int32Array(Q);

  const tournament = (): number => {
    let b = rng.int(Q);
    for (let k = 1; k < s.tournament; k++) {
      const c = rng.int(Q);
      if (fit[c] < fit[b]) b = c;
    }
    return b;
  };

  const gaGenerations = s.search === 'paper-ga' ? s.generations : Math.max(1, Math.round(GA_SHARE * s.generations));
  const stalled = (): boolean => s.stallGenerations > 0 && bests.length > s.stallGenerations && bests[bests.length - 1 - s.stallGenerations] - bests[bests.length - 1] <= s.tolerance;

  /** The default search's second phase: CMA-ES from the GA's best for the generations left; returns them. */
  const refine = (): number => {
    for (let q = 0; q < Q; q++) order[q] = q;
    order.sort((a, b) => fit[a] - fit[b] || a - b);
    const elite = Array.from(order.subarray(0, Math.max(2, Math.floor(Q / 2))));
    const spread = free.map((j) => {
      const v = elite.map((q) => (pop[q * N_ELEMENTS + j] - min[j]) / width[j]);
      const m = v.reduce((a, b) => a + b, 0) / v.length;
      return Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / v.length);
    });
    const start = { chem: Array.from(pop.subarray(order[0] * N_ELEMENTS, (order[0] + 1) * N_ELEMENTS)), f: fit[order[0]], spread };
    // The refinement reports per batch of λ; the run's generations (progress, history, stall) are counted
    // per Q evaluations, so a default run has NG of them like the paper's GA.
    let g = gen;
    const lambda = cmaLambda(free.length);
    const res = cmaRefine(input.constraints, free, scoreBatch, start, lambda, Q * (s.generations - gen), rng, (r) => {
      let stop = false;
      while (!stop && (g - gen + 1) * Q <= r.evaluations) {
        bests.push(r.best);
        history.push({ gen: g, best: r.best, mean: r.mean, diversity: 0, pc: 0, pm: 0, step: r.step, phase: 'refine' });
        onGeneration?.(g, s.generations, r.best);
        g++;
        stop = stalled();
      }
      if (stop) stopReason = 'stalled';
      return stop;
    });
    return Math.ceil(res.evaluations / Q);
  };

  for (gen = 1; gen <= gaGenerations; gen++) {
    for (let q = 0; q < Q; q++) order[q] = q;
    order.sort((a, b) => fit[a] - fit[b] || a - b);
    const bestNow = fit[order[0]];
    bests.push(bestNow);
    let mean = 0;
    for (let q = 0; q < Q; q++) mean += fit[q] / Q;
    const div = diversity() / d0;
    let pc = s.crossoverRate;
    let pm = s.mutationRate;
    let step = 1;
    if (s.faga) {
      const back = bests.length > 5 ? bests[bests.length - 6] : bests[0];
      const impr = back > 0 ? (back - bestNow) / back : 0;
      const out = fagaControl(div, Math.min(1, impr / 0.05));
      pc = out.pc;
      pm = out.pm;
      step = out.stepScale;
    }
    history.push({ gen: gen - 1, best: bestNow, mean, diversity: div, pc, pm, step, phase: 'ga' });
    onGeneration?.(gen - 1, s.generations, bestNow);
    if (stalled()) {
      stopReason = 'stalled';
      break;
    }
    const elite = Math.min(s.elite, Q);
    for (let e = 0; e < elite; e++) next.set(pop.subarray(order[e] * N_ELEMENTS, (order[e] + 1) * N_ELEMENTS), e * N_ELEMENTS);
    for (let q = elite; q < Q; q++) {
      const a = tournament();
      const b = tournament();
      const o = q * N_ELEMENTS;
      const ao = a * N_ELEMENTS;
      const bo = b * N_ELEMENTS;
      const cross = rng.next() < pc;
      for (let j = 0; j < N_ELEMENTS; j++) next[o + j] = cross && rng.next() < 0.5 ? pop[bo + j] : pop[ao + j];
      if (rng.next() < pm && free.length) {
        const pool = free.slice();
        const r = Math.min(s.r, pool.length);
        for (let k = 0; k < r; k++) {
          const pick = k + rng.int(pool.length - k);
          [pool[k], pool[pick]] = [pool[pick], pool[k]];
          const j = pool[k];
          const v = next[o + j];
          const base = Math.max(Math.abs(v), MUTATION_FLOOR * width[j]);
          const nv = v + (rng.uniform(-1, 1) * s.alpha * step * base) / 100;
          next[o + j] = Math.min(max[j], Math.max(min[j], nv));
        }
      }
      if (!satisfiesLinear(linear, next, o)) next.set(pop.subarray(ao, ao + N_ELEMENTS), o);
    }
    pop.set(next);
    evaluate();
  }
  if (gen > gaGenerations) gen = gaGenerations;
  if (s.search === 'default' && stopReason !== 'stalled' && gen < s.generations) gen += refine();

  const chosen = archive.distinctTop().map((e) => e.chem);
  const top = chosen.map((chem): DesignCandidate => {
    const profile = predictor.predict(chem);
    const sc = scoreOne(obj, profile, 0, chem, 0);
    return { chemistry: chem, profile, ...sc, objective: sc.objective + domainPenalty(chem, 0) + (trust?.one(chem) ?? 0), domain: checkDomain(dom, chem) };
  });
  return { seed: input.seed, settings: s, best: top[0], top, generations: gen, stopReason, evaluations, history, held: (held?.idx ?? []).map((j) => ELEMENTS[j]) };
}

/** Ranges from the training data (what the UI and CLI start from). */
export function defaultConstraints(predictor: JominyPredictor): Constraints {
  const d = predictor.model.domain;
  return { min: [...d.min], max: [...d.max], linear: [] };
}
