import { createForkingRng, deriveSeed, shuffled } from '../../runtime/random.js';
import { correctedHalfWidth, correctedValue, fitCorrection, type CorrectionOptions } from './correct.js';
import { proposePoints, DEFAULT_VALUE_WEIGHT, type ProposalDesign } from './propose.js';
import { fitKrigedCorrection, krigedValue, pureNugget, type ResidualVariogram } from './residual-kriging.js';
import { leaveOneOut } from './leave-one-out.js';
import { candidateName, chooseCorrection, fitChosen } from './choose.js';
import type { CarbonRange } from './applicability.js';

/** A point of a billet with both the model's prediction and the analyser's reading (wt.%). */
export interface MeasuredPoint {
  label: string;
  xMm: number;
  yMm: number;
  predicted: number;
  reading: number;
  /** The model's per-point uncertainty used to propose points (see proposePoints), optional. */
  width?: number;
}

export type KSelection = 'proposed' | 'random';

/** `level-slope`: the trend only (correct.ts); `residual-kriging`: the trend plus its kriged residuals (residual-kriging.ts). */
export type CorrectionMethod = 'level-slope' | 'residual-kriging';

export interface KCurveOptions extends CorrectionOptions {
  ks: readonly number[];
  /** Repetitions per K; draw d uses seed deriveSeed(seed, d). */
  draws: number;
  seed: number;
  /** How the K points are chosen: proposePoints (weighted maximin, the workflow) or uniformly at random. */
  selection?: KSelection;
  widthWeight?: number;
  /** Weight of spread in predicted value against spread in space when proposing (see proposePoints); default DEFAULT_VALUE_WEIGHT. */
  valueWeight?: number;
  /** Interval level checked on the remaining points (default 0.9). */
  level?: number;
  /** How the K readings correct the model (default `level-slope`); `residual-kriging` needs `variogram`. */
  method?: CorrectionMethod;
  /** The residual variogram's shape (from the model's held-out residuals on its training billet). */
  variogram?: ResidualVariogram | null;
  /** The proposal's design (see proposePoints; default stratified). */
  design?: ProposalDesign;
  /**
   * Measure the workflow's whole procedure (task 21-C): each draw's correction is the candidate chosen on its K
   * readings (choose.ts), so the curve's expected MAE includes the choice. Needs the model's training range (null:
   * none recorded). Absent: the rule-based correction (curves before task 21-C, benches).
   */
  choose?: { trainingRange: CarbonRange | null };
}

export interface KCurveRow {
  k: number;
  draws: number;
  /** Held-out MAE of the corrected predictions on the points not analysed: mean, sd, min, max over draws. */
  mae: number;
  maeSd: number;
  maeMin: number;
  maeMax: number;
  /** MAE of the uncorrected predictions on the same remaining points (mean over draws). */
  uncorrectedMae: number;
  /**
   * The baseline with no model: the mean of the K readings taken as the carbon of every other point, its MAE on the
   * same remaining points (mean over draws). Absent at K = 0 and in curves measured before task 22-G.
   */
  readingsMeanMae?: number;
  /** Share of remaining points inside the corrected interval at `level` (mean over draws). */
  coverage: number;
  /** Mean interval half-width on the remaining points. */
  meanHalfWidth: number;
  /** Share of draws whose correction used a slope. */
  slopeShare: number;
  /**
   * The billet's own leave-one-out MAE of the K analysed readings (leave-one-out.ts), mean and sd over the draws:
   * what a correction's own check shows on a billet where this curve applies — the reference of the guard's third
   * sign (applicability.ts). Absent at K < 2 and in curves measured before task 20-C.
   */
  looMae?: number;
  looMaeSd?: number;
  /** With the choice (task 21-C): the share of draws that chose each candidate (candidateName). */
  chosen?: Record<string, number>;
}

/**
 * What no K-point correction of this model can pass on this billet: the MAE over ALL its measured points of the
 * predictions with the best level, and with the best level and slope, fitted to all their readings (in-sample
 * fits: floors, not achievable figures). Where the curve flattens above the target at the floor, more readings
 * will not reach it; a better model would (bench/fewer-points-methods.ts, the test's model: 0.0080–0.0151 wt.% on
 * the synthetic low-carbon billets).
 */
export interface KCurveFloor {
  points: number;
  level: number;
  levelSlope: number;
  /** Mean reading − mean prediction over all points: the level shift this billet needed (the guard's reference, applicability.ts). */
  offset: number;
}

export interface KCurve {
  rows: KCurveRow[];
  floor: KCurveFloor;
  seed: number;
  draws: number;
  selection: KSelection;
  level: number;
  points: number;
  method: CorrectionMethod;
  /** The choice rule the draws' corrections were chosen by (choose.ts); absent: the rule-based correction. */
  choice?: 'loo-simplest-within-se';
}

/**
 * The held-out experiment behind "how many points to analyse": for each K and draw, choose K points (as the
 * workflow would, or at random), correct the model's predictions with their readings, and score the
 * corrected predictions on every other point of the billet (their readings were not used). K = 0 is the
 * model as it is.
 */
export function expectedMaeByK(points: readonly MeasuredPoint[], opts: KCurveOptions): KCurve {
  const n = points.length;
  const level = opts.level ?? 0.9;
  const selection = opts.selection ?? 'proposed';
  const method = opts.method ?? 'level-slope';
  if (method === 'residual-kriging' && !opts.variogram) throw new RangeError('residual-kriging needs the residual variogram');
  if (!Number.isInteger(opts.draws) || opts.draws < 1) throw new RangeError(`draws must be an integer ≥ 1, got ${opts.draws}`);
  for (const k of opts.ks) if (!Number.isInteger(k) || k < 0 || k > n - 2) throw new RangeError(`K ${k} must be an integer in 0..${n - 2} (two points must remain to score)`);
  const widths = points.every((p) => p.width !== undefined) ? points.map((p) => p.width!) : null;
  const rows = opts.ks.map((k): KCurveRow => {
    const maes: number[] = [], loos: number[] = [];
    let unc = 0, cov = 0, hw = 0, slopes = 0, meanOnly = 0;
    const picks: Record<string, number> = {};
    const draws = k === 0 ? 1 : opts.draws; // nothing is drawn at K = 0
    for (let d = 0; d < draws; d++) {
      const seed = deriveSeed(opts.seed, d);
      const chosen = k === 0 ? [] : selection === 'proposed'
        ? proposePoints(points, { k, seed, widths, design: opts.design, widthWeight: opts.widthWeight, values: points.map((p) => p.predicted), valueWeight: opts.valueWeight ?? DEFAULT_VALUE_WEIGHT }).indices
        : shuffled([...points.keys()], createForkingRng(seed)).slice(0, k);
      const inSet = new Set(chosen);
      const used = chosen.map((i) => points[i]);
      const vg = method === 'residual-kriging' ? opts.variogram! : null;
      // the workflow's choice on this draw's K readings (task 21-C); its score is the chosen candidate's LOO, the own check
      const choice = opts.choose && k > 0 ? chooseCorrection(used, vg, opts, { trainingRange: opts.choose.trainingRange, level }) : null;
      const spec = choice ? choice.candidates[choice.chosen] : null;
      const kc = spec ? fitChosen(used, spec, vg, opts) : vg ? fitKrigedCorrection(used, vg, opts) : null;
      const c = kc ? kc.trend : fitCorrection(used, opts);
      if (c.kind === 'level+slope') slopes++;
      if (spec) picks[candidateName(spec)] = (picks[candidateName(spec)] ?? 0) + 1; // counts; shares below (a sum of 1/draws would not add up to 1 exactly)
      // the same correction's own check on this draw's K readings (task 20-C)
      if (k >= 2) loos.push(spec ? choice!.candidates[choice!.chosen].looMae : leaveOneOut(used, kc ? opts.variogram! : pureNugget(1, 'level/slope only'), opts, level)!.mae);
      const readingsMean = k > 0 ? used.reduce((a, p) => a + p.reading, 0) / k : NaN;
      let ae = 0, aeU = 0, aeM = 0, inside = 0, sumHw = 0, m = 0;
      for (let i = 0; i < n; i++) {
        if (inSet.has(i)) continue;
        const p = points[i];
        const kv = kc ? krigedValue(kc, p.predicted, p.xMm, p.yMm, level) : null;
        const v = kv ? kv.value : correctedValue(c, p.predicted);
        const h = kv ? kv.halfWidth : correctedHalfWidth(c, p.predicted, level);
        ae += Math.abs(v - p.reading);
        aeU += Math.abs(p.predicted - p.reading);
        aeM += Math.abs(readingsMean - p.reading);
        if (Math.abs(v - p.reading) <= h) inside++;
        sumHw += h;
        m++;
      }
      maes.push(ae / m);
      unc += aeU / m;
      meanOnly += aeM / m;
      cov += inside / m;
      hw += sumHw / m;
    }
    const mae = maes.reduce((a, b) => a + b, 0) / draws;
    const maeSd = draws > 1 ? Math.sqrt(maes.reduce((a, b) => a + (b - mae) ** 2, 0) / (draws - 1)) : 0;
    const loo = loos.length ? loos.reduce((a, b) => a + b, 0) / loos.length : null;
    const looStats = loo === null ? {} : { looMae: loo, looMaeSd: loos.length > 1 ? Math.sqrt(loos.reduce((a, b) => a + (b - loo) ** 2, 0) / (loos.length - 1)) : 0 };
    return { k, draws, mae, maeSd, maeMin: Math.min(...maes), maeMax: Math.max(...maes), uncorrectedMae: unc / draws, ...(k > 0 ? { readingsMeanMae: meanOnly / draws } : {}), coverage: cov / draws, meanHalfWidth: hw / draws, slopeShare: slopes / draws, ...looStats, ...(Object.keys(picks).length ? { chosen: Object.fromEntries(Object.entries(picks).map(([name, n]) => [name, n / draws])) } : {}) };
  });
  return { rows, floor: curveFloor(points), seed: opts.seed >>> 0, draws: opts.draws, selection, level, points: n, method, ...(opts.choose ? { choice: 'loo-simplest-within-se' as const } : {}) };
}

/** The in-sample floors of the curve (see KCurveFloor). */
export function curveFloor(points: readonly MeasuredPoint[]): KCurveFloor {
  const n = points.length;
  const x = points.map((p) => p.predicted), y = points.map((p) => p.reading);
  const xm = x.reduce((a, v) => a + v, 0) / n, ym = y.reduce((a, v) => a + v, 0) / n;
  const sxx = x.reduce((a, v) => a + (v - xm) ** 2, 0);
  const b = sxx > 0 ? x.reduce((a, v, i) => a + (v - xm) * (y[i] - ym), 0) / sxx : 1;
  return {
    points: n,
    level: x.reduce((a, v, i) => a + Math.abs(v + ym - xm - y[i]), 0) / n,
    levelSlope: x.reduce((a, v, i) => a + Math.abs(ym + b * (v - xm) - y[i]), 0) / n,
    offset: ym - xm,
  };
}

/** The K values of the standard curve (issue 11 §6). */
export const STANDARD_KS: readonly number[] = [0, 2, 4, 6, 8, 12, 16];
