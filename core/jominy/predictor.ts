import { ELEMENTS, elementIndex, type Element } from './elements.js';
import { selectPointInputs, type PointInputs, type SelectionOptions } from './input-selection.js';
import { trainBr } from './train-br.js';
import { weightCount } from './mlp.js';
import { buildDomain } from './domain.js';
import { createRng, deriveSeed } from '../runtime/random.js';
import { a255Profile } from './a255.js';
import { A255_IGNORED } from './a255.js';
import { martensiteMaxHrc } from './martensite.js';
import { fixed, phrase, type Phrase } from '../api/phrase.js';
import { RefusedError } from '../runtime/refused.js';
import { STANDARD_LAYOUT, sampleChemArray, type DatasetLayout, type JominySample } from './dataset.js';
import { skillReport, type SplitMode } from './baselines.js';
import { distinctHeats, heatGrades, heatKeys, minHeatsForSplit, splitHeats, type HeatSplit } from './heat-split.js';
import { compileNet, evalScaled } from './compiled-net.js';
import { pchip, pchipAt } from './pchip.js';
import { DISTANCES_MM } from './elements.js';
import type { PointMetrics, PointNet, PredictorModel, SkippedPoint } from './predictor-model.js';

export { JominyPredictor, type StandardProfile } from './jominy-predictor.js';
export { usedElements, withUsedDomain, modelDistances, modelLabels, type PointNet, type PointMetrics, type PredictorModel, type SkippedPoint } from './predictor-model.js';

// Length (~270 lines): training the hierarchy is one loop — which heats and inputs each point network gets, the
// hidden-size search, feeding predictions forward, then held-out metrics and baselines — sharing the split's arrays.
// The split (heat-split.ts), the stored form, the compiled evaluator and PCHIP live in their own files.

/**
 * Hierarchical Jominy predictor (paper §3.1): one small network per point, evaluated from the quenched end
 * outwards; network p takes selected elements and the already *predicted* hardness at selected earlier points.
 * On plant data (partial curves, element subsets, own distances):
 *  - the model's points are the dataset's distances; each point network trains on the training heats that
 *    MEASURED it. Its earlier-point inputs are predictions, available for every heat, so an unmeasured
 *    earlier point is no obstacle;
 *  - a distance is modelled only when at least MIN_POINT_HEATS measured it in each split (train, validation
 *    for the hidden-size choice, test for the held-out figures); others are skipped and listed;
 *  - only the dataset's elements are candidate inputs: an element it did not analyse is never an input.
 */
export const MIN_POINT_HEATS = { train: 20, validation: 5, test: 3 } as const;

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
  /** The dataset's distances and elements (default: the 15 standard distances and 15 elements). */
  layout?: Pick<DatasetLayout, 'distancesMm' | 'labels' | 'elements'> | null;
  /** User-edited inputs per model point; null entries fall back to automatic selection. */
  inputs?: (PointInputs | null)[] | null;
  selection?: SelectionOptions;
  /** Progress as a phrase code (core/api/phrase.ts): the job words it in the interface language, the CLI in English. */
  onProgress?: (fraction: number, message: Phrase) => void;
  /** Called between networks; throw from it to stop (cancellation). */
  checkCancelled?: () => void;
  /**
   * The heat of each row (heat-split.ts heatKeys), keyed on the dataset's full rows: rows restricted to the input
   * elements (element-gaps.ts planInputHeats) that differed only in a dropped element are still two heats, as the
   * service counted them. Default heatKeys(samples).
   */
  heatKeys?: readonly string[];
}

/** The fewest heats (heat-split.ts heatKeys, not rows) a predictor trains on, whatever the split's fractions. */
export const MIN_TRAINING_HEATS = 30;

/**
 * The fewest heats a training at these fractions can train on: MIN_TRAINING_HEATS, or more where the split at
 * them would leave fewer than MIN_POINT_HEATS in a set (36 at the default 0.3 / 0.15: 30–35 heats leave fewer than 20
 * training heats, and every point was skipped). By grade the test set is whole grades, so its size is the grades the
 * seed draws, not the fraction: the gate is only the floor any split needs — MIN_TRAINING_HEATS, or more where the
 * validation fraction of what is left after the fewest test heats (MIN_POINT_HEATS.test) leaves under 20 to train — and
 * the split the seed draws decides (splitShortOfPoint, exact), its refusal naming the grades held out (heldOutGrades).
 * Task 27-L: by grade it was the random split's 36, and refused 34 and 35 heats whose drawn splits trained every point.
 */
export function minTrainingHeats(opts: { testFraction?: number; validationFraction?: number; split?: SplitMode }): number {
  const vf = opts.validationFraction ?? 0.15;
  if (opts.split === 'by-grade') {
    for (let n = MIN_TRAINING_HEATS; ; n++) {
      const rest = n - MIN_POINT_HEATS.test;
      if (rest - Math.max(MIN_POINT_HEATS.validation, Math.round(rest * vf)) >= MIN_POINT_HEATS.train) return n;
      if (n > 100000) return Infinity;
    }
  }
  return minHeatsForSplit(opts.testFraction ?? 0.3, vf, MIN_POINT_HEATS, MIN_TRAINING_HEATS);
}

/**
 * The grades a by-grade split holds out, each with its heats (a heat by its first row's grade, heat-split.ts
 * heatGrades): "C45: 15; 4140: 12", for a refusal that names what the seed held out.
 */
export function heldOutGrades(samples: readonly Pick<JominySample, 'grade'>[], keys: readonly string[], testIdx: readonly number[]): string {
  const grades = heatGrades(samples, keys);
  const heats = new Map<string, Set<string>>();
  for (const i of testIdx) {
    const g = grades[i] ?? '';
    if (!heats.has(g)) heats.set(g, new Set());
    heats.get(g)!.add(keys[i]);
  }
  return [...heats.entries()].sort((a, b) => a[0].localeCompare(b[0])).map(([g, h]) => `${g}: ${h.size}`).join('; ');
}

/**
 * Heats in each set of a split, where one set has fewer than a point needs (MIN_POINT_HEATS), else null. By grade the
 * test set is whole grades, so its size — and what it leaves to train on — depends on the grades the seed draws: 30–35
 * heats held out to 30 % leave under 20 training heats and every point was skipped in the worker. The split is
 * deterministic from the seed and cheap, so the gate draws the very split the training will draw and checks it.
 */
export function splitShortOfPoint(split: HeatSplit, keys: readonly string[]): { train: number; validation: number; test: number } | null {
  const heats = splitHeatCounts(split, keys);
  return heats.train < MIN_POINT_HEATS.train || heats.validation < MIN_POINT_HEATS.validation || heats.test < MIN_POINT_HEATS.test ? heats : null;
}

/** Heats (not rows) in each set of a split. */
export function splitHeatCounts(split: HeatSplit, keys: readonly string[]): { train: number; validation: number; test: number } {
  return { train: distinctHeats(split.trainIdx.map((i) => keys[i])), validation: distinctHeats(split.valIdx.map((i) => keys[i])), test: distinctHeats(split.testIdx.map((i) => keys[i])) };
}

/** Upper bound on hidden units from Nw = (Ni + 2)·Nh + 1 ≤ 0.2·Ns. */
export const maxHiddenFor = (ni: number, ns: number): number => Math.max(1, Math.floor((0.2 * ns - 1) / (ni + 2)));

const scale = (v: number, lo: number, hi: number): number => (hi > lo ? (2 * (v - lo)) / (hi - lo) - 1 : 0);
const minMax = (c: ArrayLike<number>) => {
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < c.length; i++) {
    if (c[i] < lo) lo = c[i];
    if (c[i] > hi) hi = c[i];
  }
  return [lo, hi] as const;
};

function metricsOf(pred: ArrayLike<number>, truth: ArrayLike<number>): { mae: number; maxError: number; r2: number } {
  const n = truth.length;
  let sa = 0, mx = 0, mean = 0, ssr = 0, sst = 0;
  for (let i = 0; i < n; i++) mean += truth[i] / n;
  for (let i = 0; i < n; i++) {
    const e = Math.abs(pred[i] - truth[i]);
    sa += e;
    mx = Math.max(mx, e);
    ssr += e * e;
    sst += (truth[i] - mean) ** 2;
  }
  return { mae: sa / n, maxError: mx, r2: sst > 0 ? 1 - ssr / sst : 0 };
}

/** Elements the A255 calculation takes; a dataset lacking one has no A255 reference (never a 0 in its place). */
const A255_NEEDS = ELEMENTS.filter((el) => !A255_IGNORED.includes(el));

export function trainPredictor(samples: JominySample[], opts: TrainOptions): PredictorModel {
  const testFraction = opts.testFraction ?? 0.3;
  const validationFraction = opts.validationFraction ?? 0.15;
  const epochs = opts.epochs ?? 100;
  const maxHidden = opts.maxHidden ?? 8;
  const layout = opts.layout ?? STANDARD_LAYOUT;
  const D = layout.distancesMm.length;
  const mode: SplitMode = opts.split ?? 'random';
  // heats, not rows: 20 heats with two bars each are 20 heats (a split keeps a heat's rows together)
  const keys = opts.heatKeys ?? heatKeys(samples);
  const nHeats = distinctHeats(keys);
  const min = minTrainingHeats({ testFraction, validationFraction, split: mode });
  if (nHeats < min)
    throw RefusedError.said('invalid_argument', nHeats === samples.length ? phrase('jominyDomain.tooFewHeats', { n: nHeats, min }) : phrase('jominyDomain.tooFewHeatsRows', { n: nHeats, rows: samples.length, min }));
  samples.forEach((s, i) => {
    if (s.hardness.length !== D) throw new RangeError(`heat ${s.heatId ?? i + 1} has ${s.hardness.length} hardness values where the dataset has ${D} distances`);
  });
  const { trainIdx, valIdx, testIdx } = splitHeats(samples, { mode, seed: opts.seed, testFraction, validationFraction, keys });
  // refusals of the data, raised in the training worker: said, so the job's error is worded in the user's language
  // heats, not rows, decide and are said (heat-split.ts heatKeys): a retest is no second heat to learn from
  const short = mode === 'by-grade' ? splitShortOfPoint({ trainIdx, valIdx, testIdx }, keys) : null;
  if (short) throw RefusedError.said('failed_precondition', phrase('jominyDomain.byGradeSplitShort', { seed: opts.seed, grades: heldOutGrades(samples, keys, testIdx), train: short.train, validation: short.validation, test: short.test, minTrain: MIN_POINT_HEATS.train, minValidation: MIN_POINT_HEATS.validation, minTest: MIN_POINT_HEATS.test }));
  const chemOf = samples.map((s) => sampleChemArray(s, layout.elements));
  const zero = (n: number) => new Float64Array(n);
  const splits = [trainIdx, valIdx, testIdx].map((idx) => ({
    idx,
    // An element the dataset lacks gets a constant column that selection never takes (see `allowed` below).
    chem: ELEMENTS.map((el) => (layout.elements.includes(el) ? Float64Array.from(idx, (i) => chemOf[i][elementIndex(el)]) : zero(idx.length))),
    hard: layout.distancesMm.map((_, c) => Float64Array.from(idx, (i) => samples[i].hardness[c])),
    /** Per model point: the prediction for EVERY heat of the split (measured there or not). */
    pred: [] as Float64Array[],
  }));
  const [tr, va, te] = splits;
  const nets: PointNet[] = [];
  const skipped: SkippedPoint[] = [];
  const cols: number[] = []; // dataset column of each model point
  const selection = opts.selection ?? {};
  const measuredIn = (sp: (typeof splits)[number], c: number) => sp.idx.map((_, s) => s).filter((s) => Number.isFinite(sp.hard[c][s]));
  /** Distinct heats among a split's rows (positions in sp.idx). */
  const heatsAmong = (sp: (typeof splits)[number], sub: number[]) => distinctHeats(sub.map((s) => keys[sp.idx[s]]));

  for (let c = 0; c < D; c++) {
    opts.checkCancelled?.();
    const label = layout.labels[c];
    const trS = measuredIn(tr, c);
    const vaS = measuredIn(va, c);
    const teS = measuredIn(te, c);
    // a point needs MIN_POINT_HEATS heats (not rows: 12 heats with two bars each are 12) in each split
    const heats = { train: heatsAmong(tr, trS), validation: heatsAmong(va, vaS), test: heatsAmong(te, teS) };
    const rows = { train: trS.length, validation: vaS.length, test: teS.length };
    if (heats.train < MIN_POINT_HEATS.train || heats.validation < MIN_POINT_HEATS.validation || heats.test < MIN_POINT_HEATS.test) {
      skipped.push({ distanceMm: layout.distancesMm[c], label, heats, rows });
      continue;
    }
    const p = nets.length; // this model point
    const pick = (a: Float64Array, sub: number[]) => Float64Array.from(sub, (s) => a[s]);
    const yTr = pick(tr.hard[c], trS);
    const auto = selectPointInputs(
      p,
      tr.chem.map((col) => pick(col, trS)),
      tr.pred.map((col) => pick(col, trS)),
      yTr,
      selection,
      { allowed: layout.elements, labels: cols.map((k) => layout.labels[k]) },
    );
    const override = opts.inputs?.[p] ?? null;
    if (override?.elements.some((el) => !layout.elements.includes(el))) throw RefusedError.said('invalid_argument', phrase('jominyDomain.inputsNotInDataset', { label, elements: override.elements.filter((el) => !layout.elements.includes(el)).join(', ') }));
    const inputs: PointInputs = override ? { elements: [...override.elements], points: override.points.filter((k) => k < p) } : auto.inputs;
    if (inputs.elements.length + inputs.points.length === 0) throw RefusedError.said('invalid_argument', phrase('jominyDomain.pointNoInputs', { label }));
    const scores = auto.scores.map((s) => ({ ...s, selected: s.name.startsWith('J') ? inputs.points.some((k) => layout.labels[cols[k]] === s.name) : inputs.elements.includes(s.name as Element) }));
    const colsOf = (sp: (typeof splits)[number]): Float64Array[] => [...inputs.elements.map((el) => sp.chem[elementIndex(el)]), ...inputs.points.map((k) => sp.pred[k])];
    const ni = inputs.elements.length + inputs.points.length;
    const trCols = colsOf(tr).map((col) => pick(col, trS));
    const xMin: number[] = [], xMax: number[] = [];
    for (const col of trCols) {
      const [lo, hi] = minMax(col);
      xMin.push(lo);
      xMax.push(hi);
    }
    const [yMin, yMax] = minMax(yTr);
    const design = (cs: Float64Array[], sub: number[]): Float64Array => {
      const x = new Float64Array(sub.length * ni);
      sub.forEach((s, r) => {
        for (let j = 0; j < ni; j++) x[r * ni + j] = scale(cs[j][s], xMin[j], xMax[j]);
      });
      return x;
    };
    const xTr = design(colsOf(tr), trS);
    const tTr = Float64Array.from(yTr, (v) => scale(v, yMin, yMax));
    const xVa = design(colsOf(va), vaS);
    const unscale = (v: number): number => (yMax > yMin ? ((v + 1) * (yMax - yMin)) / 2 + yMin : yMin);
    const nhMax = Math.min(maxHidden, maxHiddenFor(ni, trS.length));
    const search: PointNet['search'] = [];
    let best: { nh: number; w: Float64Array; gamma: number; valMae: number } | null = null;
    for (let nh = 1; nh <= nhMax; nh++) {
      opts.checkCancelled?.();
      // Seeded by the dataset column, so a standard dataset trains exactly as before layouts existed.
      const res = trainBr(xTr, tTr, ni, nh, createRng(deriveSeed(opts.seed, c * 64 + nh)), { epochs });
      const net = compileNet({ elements: inputs.elements, points: inputs.points, nh, weights: Array.from(res.weights), xMin, xMax, yMin, yMax });
      let mae = 0;
      vaS.forEach((s, r) => (mae += Math.abs(unscale(evalScaled(net, xVa, r * ni)) - va.hard[c][s])));
      mae /= vaS.length;
      search.push({ nh, valMae: mae, gamma: res.gamma });
      if (!best || mae < best.valMae - 1e-9) best = { nh, w: res.weights, gamma: res.gamma, valMae: mae };
      opts.onProgress?.((c + nh / nhMax) / D, phrase('jominyJobs.trainPoint', { label, nh, nhMax, mae: fixed(mae, 2), heats: heats.train }));
    }
    const chosen: PointNet = {
      point: p, elements: inputs.elements, points: inputs.points, nh: best!.nh, weights: Array.from(best!.w),
      xMin, xMax, yMin, yMax, gamma: best!.gamma, nw: weightCount(ni, best!.nh), search, scores, heats,
    };
    nets.push(chosen);
    cols.push(c);
    const compiled = compileNet(chosen);
    for (const sp of splits) {
      const cs = colsOf(sp);
      sp.pred[p] = Float64Array.from(sp.idx, (_, s) => unscale(evalScaled(compiled, cs.map((col, j) => scale(col[s], xMin[j], xMax[j])), 0)));
    }
  }
  if (nets.length === 0)
    throw RefusedError.said('failed_precondition', phrase('workerErrors.jominy.noDistance', { train: MIN_POINT_HEATS.train, validation: MIN_POINT_HEATS.validation, test: MIN_POINT_HEATS.test }));

  const distancesMm = cols.map((c) => layout.distancesMm[c]);
  const labels = cols.map((c) => layout.labels[c]);
  // The A255 reference at the model's points: computed on the 15 standard distances, read by PCHIP inside
  // 1.5–50 mm; a dataset without every element A255 takes has none.
  const hasA255 = A255_NEEDS.every((el) => layout.elements.includes(el));
  const std = [...DISTANCES_MM];
  const refOf = (i: number): number[] | null => {
    if (!hasA255) return null;
    try {
      const curve = pchip(std, a255Profile(samples[i].chemistry as Parameters<typeof a255Profile>[0]).profile);
      return distancesMm.map((d) => (d >= std[0] && d <= std[std.length - 1] ? pchipAt(curve, d) : NaN));
    } catch {
      return null; // outside the A255 factor range: the reference cannot score this heat
    }
  };
  const refs = te.idx.map(refOf);
  // Scored as users get it: capped at the martensite maximum of each heat's carbon (the uncapped values
  // above only feed the later networks, as they will at prediction time).
  const teCapped = nets.map((_, p) => Float64Array.from(te.idx, (i, s) => Math.min(te.pred[p][s], martensiteMaxHrc(samples[i].chemistry.C!))));
  const points: PointMetrics[] = nets.map((_, p) => {
    const c = cols[p];
    const sub = measuredIn(te, c);
    const m = metricsOf(sub.map((s) => teCapped[p][s]), sub.map((s) => te.hard[c][s]));
    const rs = sub.filter((s) => refs[s] !== null && Number.isFinite(refs[s]![p]));
    const ref = rs.length ? metricsOf(rs.map((s) => refs[s]![p]), rs.map((s) => te.hard[c][s])) : null;
    return { distanceMm: distancesMm[p], ...m, refMae: ref?.mae ?? null, refMaxError: ref?.maxError ?? null, refR2: ref?.r2 ?? null, n: sub.length };
  });
  const avg = (f: (m: PointMetrics) => number) => points.reduce((a, m) => a + f(m), 0) / points.length;
  const refRows = refs.filter((r) => r !== null).length;
  const atPoints = (i: number) => cols.map((c) => samples[i].hardness[c]);
  // Baselines fitted on every heat the model learnt from (train + validation), scored on the test heats. A row's grade
  // is its heat's (its first row's), as the split holds grades out: a training heat's retest stored naming a held-out
  // grade had given that grade a "training" mean, and the held-out grade's heats were scored against it.
  const gradeOfRow = heatGrades(samples, keys);
  const skill = skillReport({
    split: mode,
    distancesMm,
    train: [...trainIdx, ...valIdx].map((i) => ({ grade: gradeOfRow[i], hardness: atPoints(i) })),
    test: te.idx.map((i) => ({ grade: gradeOfRow[i], hardness: atPoints(i) })),
    model: te.idx.map((_, s) => nets.map((__, p) => teCapped[p][s])),
    a255: refs,
    testHeatKeys: te.idx.map((i) => keys[i]),
  });
  const refMaes = points.map((m) => m.refMae);
  const heatsOf = (idx: number[]) => distinctHeats(idx.map((i) => keys[i]));
  // heats counted as heats: a retest of a test heat is one heat, not two (68 rows had been shown as 68 heats for 45)
  const refHeats = heatsOf(te.idx.filter((_, s) => refs[s] !== null));
  return {
    format: 'ferrolab-jominy-predictor',
    version: 2,
    seed: opts.seed,
    nets,
    // over the elements the networks take: an unused element's spread only inflates the nearest-heat distance
    domain: buildDomain(trainIdx.map((i) => chemOf[i]), ELEMENTS.map((el) => nets.some((n) => n.elements.includes(el)))),
    split: {
      train: trainIdx.length, validation: valIdx.length, test: testIdx.length,
      heats: { train: heatsOf(trainIdx), validation: heatsOf(valIdx), test: heatsOf(testIdx) },
      testFraction, validationFraction, testIndices: testIdx, mode,
    },
    training: { epochs, maxHidden, selection, minPointHeats: { ...MIN_POINT_HEATS } },
    metrics: {
      points,
      mae: avg((m) => m.mae),
      maxError: Math.max(...points.map((m) => m.maxError)),
      r2: avg((m) => m.r2),
      refMae: refMaes.every((v) => v !== null) ? avg((m) => m.refMae!) : null,
      refHeats,
      refRows,
      skill,
    },
    distancesMm,
    labels,
    elements: [...layout.elements],
    skipped,
  };
}
