import { ELEMENTS, N_POINTS, elementIndex } from './elements.js';
import { trainBr } from './train-br.js';
import { forwardOne, weightCount } from './mlp.js';
import { JominyPredictor, type PointNet, type PredictorModel } from './predictor.js';
import { createRng, deriveSeed } from '../runtime/random.js';
import { STANDARD_LAYOUT, type DatasetLayout, type JominySample } from './dataset.js';
import { modelDistances } from './predictor-model.js';
import { calibrate, type Calibration } from './calibration.js';
import { heatKeys } from './heat-split.js';
import { gradeCoverage, type GradeCoverage } from './grade-coverage.js';
import { memberSpread } from './member-spread.js';
import { fixed, phrase, type Phrase } from '../api/phrase.js';
import { RefusedError } from '../runtime/refused.js';

/**
 * "A predictor that knows what it knows": M copies of the trained predictor's networks (same inputs and
 * hidden size per point, so no hidden-size search is repeated), each re-fitted by BR on a bootstrap
 * resample of the heats the predictor learnt from (never its test heats). Their spread at a chemistry is
 * the ensemble disagreement (sd); calibration.ts turns it into a calibrated interval around the
 * predictor's own curve, checked on the held-out test heats.
 *
 * Member k's seed is deriveSeed(model.seed, 1000 + k) (stored); its bootstrap and its networks' initial
 * weights both come from it, so an ensemble is reproducible from the model alone.
 */
export interface EnsembleMember {
  seed: number;
  /** Weights and scaling per point; inputs and Nh are the predictor's own (nets[p]). */
  nets: Pick<PointNet, 'weights' | 'xMin' | 'xMax' | 'yMin' | 'yMax' | 'gamma'>[];
}

export interface EnsembleModel {
  size: number;
  members: EnsembleMember[];
  calibration: Calibration;
  /**
   * Heats each member was resampled from (the predictor's training + validation heats; rows sharing a heat are one,
   * heat-split.ts heatKeys). In files stored before `fitRows` (2026-12-01) it counted rows, which were resampled singly.
   */
  fitHeats: number;
  /** Rows of those heats. */
  fitRows?: number;
  /** Estimated before training (from the predictor's own fits) and measured, seconds. */
  estimatedSeconds: number | null;
  trainSeconds: number;
  /**
   * The stored interval's coverage on grades the networks did not see (grade-coverage.ts), beside the random-split
   * `calibration.coverage`; null when fewer than two grades have enough heats, absent in ensembles stored before it.
   */
  gradeCoverage?: GradeCoverage | null;
}

/** A predictor file that may carry its ensemble (absent in files written before ensembles). */
export type PredictorWithEnsemble = PredictorModel & { ensemble?: EnsembleModel };

export const DEFAULT_ENSEMBLE_SIZE = 5;
export const ENSEMBLE_SIZE_RANGE = [2, 10] as const;

export const memberSeed = (modelSeed: number, k: number): number => deriveSeed(modelSeed, 1000 + k);

const scale = (v: number, lo: number, hi: number): number => (hi > lo ? (2 * (v - lo)) / (hi - lo) - 1 : 0);
const finite = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v);

/**
 * Relative cost of one member against the predictor's own training: BR's cost per epoch grows with
 * ns·Nw² (the Jacobian products), and the predictor fitted every Nh of its search while a member fits only
 * the chosen one. Used to estimate an ensemble's time before it starts.
 */
export function memberCostRatio(model: PredictorModel): number {
  let chosen = 0;
  let all = 0;
  for (const net of model.nets) {
    const ni = net.elements.length + net.points.length;
    chosen += weightCount(ni, net.nh) ** 2;
    for (const s of net.search) all += weightCount(ni, s.nh) ** 2;
  }
  return all > 0 ? chosen / all : 1;
}

export interface EnsembleOptions {
  size?: number;
  /** Seconds the predictor itself took to train, for the estimate (null: no estimate). */
  predictorSeconds?: number | null;
  onProgress?: (fraction: number, message: Phrase) => void;
  checkCancelled?: () => void;
  /** The distances of the samples' hardness columns (the dataset's; default the 15 standard ones). */
  layout?: Pick<DatasetLayout, 'distancesMm'>;
  /** The heat of each row, as the predictor took them (TrainOptions.heatKeys); default heatKeys(samples). */
  heatKeys?: readonly string[];
  /** Measure the interval's coverage on grades left out (grade-coverage.ts; default true): refits cost time, measured in its `seconds`. */
  byGrade?: boolean;
}

/** Trains the ensemble of a trained predictor on the heats it was trained on (its test heats left out) and calibrates it. */
export function trainEnsemble(samples: JominySample[], model: PredictorModel, opts: EnsembleOptions = {}): EnsembleModel {
  const size = opts.size ?? DEFAULT_ENSEMBLE_SIZE;
  if (!Number.isInteger(size) || size < ENSEMBLE_SIZE_RANGE[0] || size > ENSEMBLE_SIZE_RANGE[1]) throw RefusedError.said('invalid_argument', phrase('jominyDomain.ensembleSize', { size: String(size), min: ENSEMBLE_SIZE_RANGE[0], max: ENSEMBLE_SIZE_RANGE[1] }), { field: 'ensemble' });
  const t0 = Date.now();
  const held = new Set(model.split.testIndices);
  const fitIdx = samples.map((_, i) => i).filter((i) => !held.has(i));
  // Whole heats are drawn: a retest or second bar goes in or out of a member's resample with its heat, so a row counted
  // out-of-bag (τ below) is of a heat the member never saw. With one row a heat this is the row bootstrap it was.
  const keys = opts.heatKeys ?? heatKeys(samples);
  const groupOf = new Map<string, number[]>();
  for (const i of fitIdx) groupOf.set(keys[i], [...(groupOf.get(keys[i]) ?? []), i]);
  const fitGroups = [...groupOf.values()];
  const estimatedSeconds = opts.predictorSeconds ? size * memberCostRatio(model) * opts.predictorSeconds : null;
  opts.onProgress?.(0, estimatedSeconds === null
    ? phrase('jominyJobs.ensembleStart', { size, nets: model.nets.length, heats: fitGroups.length })
    : phrase('jominyJobs.ensembleStartEstimate', { size, seconds: fixed(estimatedSeconds, 0), nets: model.nets.length, heats: fitGroups.length }));
  // The dataset column of each model point (a plant dataset's model has its own points, some skipped).
  const layout = opts.layout ?? STANDARD_LAYOUT;
  const cols = modelDistances(model).map((d) => layout.distancesMm.findIndex((x) => Math.abs(x - d) < 1e-9));
  if (cols.some((c) => c < 0)) throw new RangeError("the model's points are not among the dataset's distances");
  const members: EnsembleMember[] = [];
  const oob: boolean[][] = [];
  for (let k = 0; k < size; k++) {
    opts.checkCancelled?.();
    const seed = memberSeed(model.seed, k);
    const rng = createRng(seed);
    const boot = Array.from({ length: fitGroups.length }, () => fitGroups[rng.int(fitGroups.length)]).flat();
    const inBag = new Set(boot);
    oob.push(samples.map((_, i) => !held.has(i) && !inBag.has(i)));
    members.push({ seed, nets: fitMember(samples, boot, model, cols, seed, opts.checkCancelled) });
    opts.onProgress?.((k + 1) / size, phrase('jominyJobs.ensembleMember', { k: k + 1, size }));
  }
  const partial: Omit<EnsembleModel, 'calibration'> = { size, members, fitHeats: fitGroups.length, fitRows: fitIdx.length, estimatedSeconds, trainSeconds: 0 };
  const ens = new JominyEnsemble(model, { ...partial, calibration: null as unknown as Calibration });
  // Calibrated at the model's points, on the readings each held-out heat measured there (calibration.ts): a plant
  // dataset's curve read by PCHIP at the standard distances is no measurement to count coverage on.
  const calibration = calibrate(samples, model, ens, oob, model.seed, 0.9, cols, keys);
  const byGrade = opts.byGrade === false ? undefined : gradeCoverage({ samples, model, calibration, keys, cols, fit: (rows, seed) => fitMember(samples, rows, model, cols, seed, opts.checkCancelled), checkCancelled: opts.checkCancelled });
  return { ...partial, calibration, trainSeconds: (Date.now() - t0) / 1000, ...(byGrade === undefined ? {} : { gradeCoverage: byGrade }) };
}

/** One member: the predictor's networks, point by point, re-fitted on the bootstrap rows (the hierarchy feeds each its own earlier predictions). */
function fitMember(samples: JominySample[], rows: number[], model: PredictorModel, cols: number[], seed: number, checkCancelled?: () => void): EnsembleMember['nets'] {
  const n = rows.length;
  const chem = ELEMENTS.map((el) => Float64Array.from(rows, (i) => samples[i].chemistry[el] ?? Number.NaN));
  const pred: Float64Array[] = [];
  const out: EnsembleMember['nets'] = [];
  for (let p = 0; p < model.nets.length; p++) {
    checkCancelled?.();
    const net = model.nets[p];
    const c = cols[p];
    const inputs = [...net.elements.map((el) => chem[elementIndex(el)]), ...net.points.map((k) => pred[k])];
    const ni = inputs.length;
    // A network learns from the heats that measured its point (a partial curve leaves the others out).
    const rowsP = Array.from({ length: n }, (_, s) => s).filter((s) => finite(samples[rows[s]].hardness[c]));
    const xMin = inputs.map((col) => Math.min(...rowsP.map((s) => col[s])));
    const xMax = inputs.map((col) => Math.max(...rowsP.map((s) => col[s])));
    const y = rowsP.map((s) => samples[rows[s]].hardness[c] as number);
    const yMin = Math.min(...y);
    const yMax = Math.max(...y);
    const x = new Float64Array(rowsP.length * ni);
    rowsP.forEach((s, r) => {
      for (let j = 0; j < ni; j++) x[r * ni + j] = scale(inputs[j][s], xMin[j], xMax[j]);
    });
    const t = Float64Array.from(y, (v) => scale(v, yMin, yMax));
    const res = trainBr(x, t, ni, net.nh, createRng(deriveSeed(seed, p)), { epochs: model.training.epochs });
    const fitted = { weights: Array.from(res.weights), xMin, xMax, yMin, yMax, gamma: res.gamma };
    out.push(fitted);
    const xs = new Float64Array(ni);
    pred[p] = Float64Array.from({ length: n }, (_, s) => {
      for (let j = 0; j < ni; j++) xs[j] = scale(inputs[j][s], xMin[j], xMax[j]);
      const v = forwardOne(fitted.weights, ni, net.nh, xs, 0);
      return yMax > yMin ? ((v + 1) * (yMax - yMin)) / 2 + yMin : yMin;
    });
  }
  return out;
}

/** Calibrated 90 % interval multiplier of a normal sd (z of 0.95). */
export const Z90 = 1.6448536269514722;

/**
 * The ensemble, compiled: member curves (each capped at the martensite maximum, as the predictor's are),
 * their sd, and the calibrated predictive sd around the predictor's own curve:
 *   sdCal_p(x) = k_p · √(sdEns_p(x)² + τ_p²)
 * τ_p = out-of-bag residual scale per point (noise the members cannot see), k_p fitted per point on held-out heats
 * (calibration.ts; one pooled k in calibrations stored before).
 */
export class JominyEnsemble {
  readonly members: JominyPredictor[];
  readonly predictor: JominyPredictor;
  constructor(readonly model: PredictorModel, readonly ensemble: EnsembleModel) {
    this.predictor = new JominyPredictor(model);
    this.members = ensemble.members.map((m) => new JominyPredictor({ ...model, nets: model.nets.map((net, p) => ({ ...net, ...m.nets[p] })) }));
  }

  get size(): number {
    return this.members.length;
  }

  private bufs: Float64Array[] = [];

  /** Per point: mean and sd (n − 1) of the member curves for n chemistries (n × 15 each); each member predicts once. */
  spread(chems: ArrayLike<number>, n: number, mean: Float64Array = new Float64Array(n * N_POINTS), sd: Float64Array = new Float64Array(n * N_POINTS)): { mean: Float64Array; sd: Float64Array } {
    const len = n * N_POINTS;
    if (!this.bufs.length || this.bufs[0].length < len) this.bufs = this.members.map(() => new Float64Array(len));
    const outs = this.members.map((m, k) => m.predictBatch(chems, n, this.bufs[k].subarray(0, len)));
    return memberSpread(outs, len, mean, sd);
  }

  /** Calibrated predictive sd per point (n × 15) from the member sd (in place allowed). */
  calibratedSd(sdEns: ArrayLike<number>, out: Float64Array = new Float64Array(sdEns.length)): Float64Array {
    // k per distance (calibration.ts kStd); a calibration stored before it has one pooled k
    const { scale, kStd, tau } = this.ensemble.calibration;
    const k = kStd ?? tau.map(() => scale);
    for (let i = 0; i < sdEns.length; i++) out[i] = k[i % N_POINTS] * Math.sqrt(sdEns[i] ** 2 + tau[i % N_POINTS] ** 2);
    return out;
  }

  /** One chemistry: the predictor's curve, the member sd, the calibrated sd and the 90 % interval. */
  interval(chem: ArrayLike<number>): { profile: number[]; sdEnsemble: number[]; sd: number[]; lo: number[]; hi: number[] } {
    const profile = this.predictor.predict(chem);
    const { sd: sdEns } = this.spread(chem, 1);
    const sd = this.calibratedSd(sdEns);
    const z = this.ensemble.calibration.z90 ?? Z90;
    return {
      profile,
      sdEnsemble: Array.from(sdEns),
      sd: Array.from(sd),
      lo: profile.map((v, p) => v - z * sd[p]),
      hi: profile.map((v, p) => v + z * sd[p]),
    };
  }
}

const compiled = new WeakMap<object, JominyEnsemble | null>();

/** The compiled ensemble of a predictor file (cached per file object), or null when it has none. */
export function ensembleOf(model: PredictorModel): JominyEnsemble | null {
  let hit = compiled.get(model);
  if (hit === undefined) {
    const e = (model as PredictorWithEnsemble).ensemble;
    hit = e && e.members.length >= 2 ? new JominyEnsemble(model, e) : null;
    compiled.set(model, hit);
  }
  return hit;
}
