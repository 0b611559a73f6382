import { DISTANCES_MM, ELEMENTS, N_ELEMENTS, N_POINTS, chemToArray, elementIndex, type Element } from './elements.js';
import { selectPointInputs, type InputScore, type PointInputs, type SelectionOptions } from './input-selection.js';
import { trainBr } from './train-br.js';
import { forwardOne, weightCount } from './mlp.js';
import { buildDomain, type DomainModel } from './domain.js';
import { createRng, deriveSeed, permutation } from '../runtime/random.js';
import { a255Profile } from './a255.js';
import { martensiteMaxHrc, type CappedProfile } from './martensite.js';
import type { JominySample } from './dataset.js';
import { gradeHoldout, skillReport, type SkillReport, type SplitMode } from './baselines.js';

// Length (~370 lines): the hierarchical predictor is one object — training order, the 15 point networks, the split,
// the cap, the skill report and the compiled evaluator share its internal layout; input selection, training,
// baselines and the cap already live in their own files.

/**
 * Hierarchical Jominy predictor (paper §3.1): one small network per point, evaluated from the
 * quenched end outwards; network p takes selected elements and the already *predicted* hardness
 * at selected earlier points. Earlier points are fed their predictions during training too, so a
 * network learns from the inputs it will see when used.
 */
export interface PointNet {
  point: number;
  elements: Element[];
  points: number[];
  nh: number;
  weights: number[];
  /** mapminmax scaling of the inputs (elements then points) and the target. */
  xMin: number[];
  xMax: number[];
  yMin: number;
  yMax: number;
  /** Effective number of parameters (Bayesian regularisation) and the weight count. */
  gamma: number;
  nw: number;
  /** The exhaustive hidden-size search: validation MAE (HRC) per Nh. */
  search: { nh: number; valMae: number; gamma: number }[];
  scores: InputScore[];
}

export interface PointMetrics {
  distanceMm: number;
  mae: number;
  maxError: number;
  r2: number;
  /** The ASTM A255 reference model on the same test heats (heats it can compute). */
  refMae: number | null;
  refMaxError: number | null;
  refR2: number | null;
}

export interface PredictorModel {
  format: 'ferrolab-jominy-predictor';
  version: 1;
  seed: number;
  nets: PointNet[];
  domain: DomainModel;
  /** `mode` absent in files written before it existed: those were random splits. */
  split: { train: number; validation: number; test: number; testFraction: number; validationFraction: number; testIndices: number[]; mode?: SplitMode };
  training: { epochs: number; maxHidden: number; selection: SelectionOptions };
  metrics: {
    points: PointMetrics[];
    mae: number;
    maxError: number;
    r2: number;
    refMae: number | null;
    refHeats: number;
    /** Model vs training-mean / grade-mean / A255 baselines on the same test heats (absent in older files). */
    skill?: SkillReport;
  };
}

export interface TrainOptions {
  seed: number;
  testFraction?: number;
  validationFraction?: number;
  maxHidden?: number;
  epochs?: number;
  /**
   * 'random' (default): heats shuffled from the seed. 'by-grade': whole grades held out together
   * (leave-grade-out), so the test heats are of grades the model never saw.
   */
  split?: SplitMode;
  /** User-edited inputs per point (15 entries); null entries fall back to automatic selection. */
  inputs?: (PointInputs | null)[] | null;
  selection?: SelectionOptions;
  onProgress?: (fraction: number, message: string) => void;
  /** Called between networks; throw from it to stop (cancellation). */
  checkCancelled?: () => void;
}

/** Upper bound on hidden units from Nw = (Ni + 2)·Nh + 1 ≤ 0.2·Ns. */
export const maxHiddenFor = (ni: number, ns: number): number => Math.max(1, Math.floor((0.2 * ns - 1) / (ni + 2)));

const scale = (v: number, lo: number, hi: number): number => (hi > lo ? (2 * (v - lo)) / (hi - lo) - 1 : 0);

function metricsOf(pred: ArrayLike<number>, truth: ArrayLike<number>): { mae: number; maxError: number; r2: number } {
  const n = truth.length;
  let sa = 0;
  let mx = 0;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += truth[i] / n;
  let ssr = 0;
  let sst = 0;
  for (let i = 0; i < n; i++) {
    const e = Math.abs(pred[i] - truth[i]);
    sa += e;
    mx = Math.max(mx, e);
    ssr += e * e;
    sst += (truth[i] - mean) ** 2;
  }
  return { mae: sa / n, maxError: mx, r2: sst > 0 ? 1 - ssr / sst : 0 };
}

export function trainPredictor(samples: JominySample[], opts: TrainOptions): PredictorModel {
  const testFraction = opts.testFraction ?? 0.3;
  const validationFraction = opts.validationFraction ?? 0.15;
  const epochs = opts.epochs ?? 100;
  const maxHidden = opts.maxHidden ?? 8;
  if (samples.length < 30) throw new RangeError(`at least 30 heats are needed to train a predictor (got ${samples.length})`);
  const mode: SplitMode = opts.split ?? 'random';
  const rng = createRng(opts.seed);
  let testIdx: number[];
  let rest: number[];
  if (mode === 'by-grade') {
    testIdx = gradeHoldout(samples.map((s) => s.grade), testFraction, (n) => permutation(n, rng));
    const held = new Set(testIdx);
    // Validation from the training grades, shuffled from the same seed.
    const others = samples.map((_, i) => i).filter((i) => !held.has(i));
    rest = permutation(others.length, rng).map((k) => others[k]);
  } else {
    const perm = permutation(samples.length, rng);
    const nTest = Math.round(samples.length * testFraction);
    testIdx = perm.slice(0, nTest);
    rest = perm.slice(nTest);
  }
  const nVal = Math.max(5, Math.round(rest.length * validationFraction));
  const valIdx = rest.slice(0, nVal);
  const trainIdx = rest.slice(nVal);
  if (mode === 'by-grade' && trainIdx.length < 10) throw new RangeError(`the by-grade split leaves only ${trainIdx.length} training heats`);
  const splits = [trainIdx, valIdx, testIdx].map((idx) => ({
    idx,
    chem: ELEMENTS.map((el) => Float64Array.from(idx, (i) => samples[i].chemistry[el])),
    hard: DISTANCES_MM.map((_, p) => Float64Array.from(idx, (i) => samples[i].hardness[p])),
    pred: [] as Float64Array[],
  }));
  const [tr, va] = splits;
  const nets: PointNet[] = [];
  const selection = opts.selection ?? {};

  for (let p = 0; p < N_POINTS; p++) {
    opts.checkCancelled?.();
    const auto = selectPointInputs(p, tr.chem, tr.pred, tr.hard[p], selection);
    const override = opts.inputs?.[p] ?? null;
    const inputs: PointInputs = override ? { elements: [...override.elements], points: override.points.filter((k) => k < p) } : auto.inputs;
    if (inputs.elements.length + inputs.points.length === 0) throw new RangeError(`point J${DISTANCES_MM[p]} has no inputs`);
    const scores = auto.scores.map((s) => ({ ...s, selected: s.name.startsWith('J') ? inputs.points.some((k) => `J${DISTANCES_MM[k]}` === s.name) : inputs.elements.includes(s.name as Element) }));
    const cols = (sp: (typeof splits)[number]): Float64Array[] => [...inputs.elements.map((el) => sp.chem[elementIndex(el)]), ...inputs.points.map((k) => sp.pred[k])];
    const trCols = cols(tr);
    const ni = trCols.length;
    const xMin = trCols.map((c) => Math.min(...c));
    const xMax = trCols.map((c) => Math.max(...c));
    const yMin = Math.min(...tr.hard[p]);
    const yMax = Math.max(...tr.hard[p]);
    const design = (cs: Float64Array[], n: number): Float64Array => {
      const x = new Float64Array(n * ni);
      for (let s = 0; s < n; s++) for (let j = 0; j < ni; j++) x[s * ni + j] = scale(cs[j][s], xMin[j], xMax[j]);
      return x;
    };
    const xTr = design(trCols, tr.idx.length);
    const tTr = Float64Array.from(tr.hard[p], (v) => scale(v, yMin, yMax));
    const xVa = design(cols(va), va.idx.length);
    const unscale = (v: number): number => (yMax > yMin ? ((v + 1) * (yMax - yMin)) / 2 + yMin : yMin);
    const nhMax = Math.min(maxHidden, maxHiddenFor(ni, tr.idx.length));
    const search: PointNet['search'] = [];
    let best: { nh: number; w: Float64Array; gamma: number; valMae: number } | null = null;
    for (let nh = 1; nh <= nhMax; nh++) {
      opts.checkCancelled?.();
      const res = trainBr(xTr, tTr, ni, nh, createRng(deriveSeed(opts.seed, p * 64 + nh)), { epochs });
      const net = compileNet({ elements: inputs.elements, points: inputs.points, nh, weights: Array.from(res.weights), xMin, xMax, yMin, yMax });
      let mae = 0;
      for (let s = 0; s < va.idx.length; s++) mae += Math.abs(unscale(evalScaled(net, xVa, s * ni)) - va.hard[p][s]);
      mae /= va.idx.length;
      search.push({ nh, valMae: mae, gamma: res.gamma });
      if (!best || mae < best.valMae - 1e-9) best = { nh, w: res.weights, gamma: res.gamma, valMae: mae };
      opts.onProgress?.((p + nh / nhMax) / N_POINTS, `J${DISTANCES_MM[p]}: Nh ${nh}/${nhMax}, validation MAE ${mae.toFixed(2)} HRC`);
    }
    const chosen: PointNet = {
      point: p,
      elements: inputs.elements,
      points: inputs.points,
      nh: best!.nh,
      weights: Array.from(best!.w),
      xMin,
      xMax,
      yMin,
      yMax,
      gamma: best!.gamma,
      nw: weightCount(ni, best!.nh),
      search,
      scores,
    };
    nets.push(chosen);
    const compiled = compileNet(chosen);
    for (const sp of splits) {
      const cs = cols(sp);
      sp.pred[p] = Float64Array.from(sp.idx, (_, s) => {
        const x = cs.map((c, j) => scale(c[s], xMin[j], xMax[j]));
        return unscale(evalScaled(compiled, x, 0));
      });
    }
  }

  const te = splits[2];
  const refPred: number[][] = [];
  const refIdx: number[] = [];
  te.idx.forEach((i, s) => {
    try {
      refPred.push(a255Profile(samples[i].chemistry).profile);
      refIdx.push(s);
    } catch {
      // outside the A255 factor range: the reference cannot score this heat
    }
  });
  // Scored as users get it: capped at the martensite maximum of each heat's carbon (the uncapped
  // values above only feed the later networks, as they will at prediction time).
  const teCapped = DISTANCES_MM.map((_, p) => Float64Array.from(te.idx, (i, s) => Math.min(te.pred[p][s], martensiteMaxHrc(samples[i].chemistry.C))));
  const points: PointMetrics[] = DISTANCES_MM.map((d, p) => {
    const m = metricsOf(teCapped[p], te.hard[p]);
    const ref = refIdx.length ? metricsOf(refPred.map((r) => r[p]), refIdx.map((s) => te.hard[p][s])) : null;
    return { distanceMm: d, ...m, refMae: ref?.mae ?? null, refMaxError: ref?.maxError ?? null, refR2: ref?.r2 ?? null };
  });
  const avg = (f: (m: PointMetrics) => number) => points.reduce((a, m) => a + f(m), 0) / N_POINTS;
  // Baselines fitted on every heat the model learnt from (train + validation), scored on the test heats.
  const skill = skillReport({
    split: mode,
    distancesMm: DISTANCES_MM,
    train: [...trainIdx, ...valIdx].map((i) => ({ grade: samples[i].grade, hardness: samples[i].hardness })),
    test: te.idx.map((i) => ({ grade: samples[i].grade, hardness: samples[i].hardness })),
    model: te.idx.map((_, s) => DISTANCES_MM.map((__, p) => teCapped[p][s])),
    a255: te.idx.map((_, s) => {
      const k = refIdx.indexOf(s);
      return k < 0 ? null : refPred[k];
    }),
  });
  return {
    format: 'ferrolab-jominy-predictor',
    version: 1,
    seed: opts.seed,
    nets,
    domain: buildDomain(trainIdx.map((i) => chemToArray(samples[i].chemistry))),
    split: { train: trainIdx.length, validation: valIdx.length, test: testIdx.length, testFraction, validationFraction, testIndices: testIdx, mode },
    training: { epochs, maxHidden, selection },
    metrics: {
      points,
      mae: avg((m) => m.mae),
      maxError: Math.max(...points.map((m) => m.maxError)),
      r2: avg((m) => m.r2),
      refMae: refIdx.length ? avg((m) => m.refMae!) : null,
      refHeats: refIdx.length,
      skill,
    },
  };
}

/** Elements at least one of the model's networks takes, in ELEMENTS order; the others cannot change its output. */
export function usedElements(model: Pick<PredictorModel, 'nets'>): Element[] {
  const used = new Set<string>(model.nets.flatMap((n) => n.elements));
  return ELEMENTS.filter((el) => used.has(el));
}

const C_INDEX = elementIndex('C');

/** A network ready for fast evaluation: scaling folded into a·x + b per input. */
interface CompiledNet {
  el: Int32Array;
  pts: Int32Array;
  ni: number;
  nh: number;
  w: Float64Array;
  xa: Float64Array;
  xb: Float64Array;
  ya: number;
  yb: number;
}

function compileNet(n: Pick<PointNet, 'elements' | 'points' | 'nh' | 'weights' | 'xMin' | 'xMax' | 'yMin' | 'yMax'>): CompiledNet {
  const ni = n.elements.length + n.points.length;
  const xa = new Float64Array(ni);
  const xb = new Float64Array(ni);
  for (let j = 0; j < ni; j++) {
    const span = n.xMax[j] - n.xMin[j];
    xa[j] = span > 0 ? 2 / span : 0;
    xb[j] = span > 0 ? -1 - n.xMin[j] * xa[j] : 0;
  }
  return {
    el: Int32Array.from(n.elements.map(elementIndex)),
    pts: Int32Array.from(n.points),
    ni,
    nh: n.nh,
    w: Float64Array.from(n.weights),
    xa,
    xb,
    ya: n.yMax > n.yMin ? (n.yMax - n.yMin) / 2 : 0,
    yb: n.yMax > n.yMin ? (n.yMax - n.yMin) / 2 + n.yMin : n.yMin,
  };
}

function evalScaled(net: CompiledNet, x: ArrayLike<number>, off: number): number {
  return forwardOne(net.w, net.ni, net.nh, x, off);
}

/** The trained predictor, compiled for batched evaluation (what the GA calls). */
export class JominyPredictor {
  private nets: CompiledNet[];
  private scratch = new Float64Array(64);
  constructor(readonly model: PredictorModel) {
    this.nets = model.nets.map(compileNet);
  }

  /**
   * chems: n × 15 (ELEMENTS order) → out: n × 15 HRC (DISTANCES order), each point at most the
   * martensite maximum of its heat's carbon (martensite.ts). Later networks are fed the uncapped
   * values of earlier points, as in training; only what leaves here is capped. `capped` (n × 15),
   * when given, gets 1 where a point was lowered to the maximum, else 0.
   */
  predictBatch(chems: ArrayLike<number>, n: number, out: Float64Array = new Float64Array(n * N_POINTS), capped?: Uint8Array): Float64Array {
    for (let s = 0; s < n; s++) {
      const co = s * N_ELEMENTS;
      const po = s * N_POINTS;
      for (let p = 0; p < N_POINTS; p++) {
        const net = this.nets[p];
        if (this.scratch.length < net.ni) this.scratch = new Float64Array(net.ni * 2);
        const x = this.scratch;
        const ne = net.el.length;
        for (let j = 0; j < ne; j++) x[j] = net.xa[j] * chems[co + net.el[j]] + net.xb[j];
        for (let k = 0; k < net.pts.length; k++) x[ne + k] = net.xa[ne + k] * out[po + net.pts[k]] + net.xb[ne + k];
        out[po + p] = net.ya * evalScaled(net, x, 0) + net.yb;
      }
      const max = martensiteMaxHrc(chems[co + C_INDEX]);
      for (let p = 0; p < N_POINTS; p++) {
        const over = out[po + p] > max;
        if (over) out[po + p] = max;
        if (capped) capped[po + p] = over ? 1 : 0;
      }
    }
    return out;
  }

  predict(chem: ArrayLike<number>): number[] {
    return Array.from(this.predictBatch(chem, 1));
  }

  /** One chemistry: the profile, which points were capped at the martensite maximum, and that maximum. */
  predictDetailed(chem: ArrayLike<number>): CappedProfile {
    const capped = new Uint8Array(N_POINTS);
    const profile = Array.from(this.predictBatch(chem, 1, undefined, capped));
    return { profile, capped: Array.from(capped, (c) => c === 1), martensiteMaxHrc: martensiteMaxHrc(chem[C_INDEX]) };
  }

  /** The elements at least one network takes: a chemistry for this predictor must give each of them. */
  usedElements(): Element[] {
    return usedElements(this.model);
  }

  /** Table 1 of the paper: inputs and Nh per point. */
  inputsTable(): { distanceMm: number; elements: Element[]; points: number[]; nh: number; nw: number; gamma: number }[] {
    return this.model.nets.map((n) => ({ distanceMm: DISTANCES_MM[n.point], elements: n.elements, points: n.points.map((k) => DISTANCES_MM[k]), nh: n.nh, nw: n.nw, gamma: n.gamma }));
  }
}
