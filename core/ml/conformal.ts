/**
 * Split-conformal prediction intervals, calibrated on held-out residuals (issue 11 §3).
 *
 * The TTA spread of a prediction is no uncertainty: ±2 sd of the 8 dihedral views covered 21–27 % of the
 * actual errors. A conformal interval instead takes its width from residuals of points the model never trained
 * on — the k-split test points — so that, for a new point exchangeable with them, [lo, hi] contains the truth
 * with probability ≥ 1 − α. Scores are |measured − predicted| ("absolute") or that divided by a per-point
 * difficulty γ + sd_TTA ("normalised", locally adaptive: wider where the views disagree); γ, the median TTA sd
 * of the calibration points, keeps a point whose views happen to agree from getting a zero-width interval.
 *
 * The quantile is the finite-sample one: the ⌈(n+1)(1−α)⌉-th smallest of n scores (Vovk; Lei et al. 2018).
 * With fewer than ⌈1/α⌉ − 1 scores no finite interval has the guarantee, and calibration is refused.
 *
 * The measured coverage stored with a model is taken on points NOT used for their own calibration: with two or
 * more splits, each split's test points are scored against a quantile calibrated on the other splits' residuals
 * without those points (leave-one-split-out; random splits may share test points); with one split, each
 * residual against the others of other points (leave-one-point-out). Plain data in and out.
 */
import { fixed, phrase, type Phrase } from '../api/phrase.js';
import { english } from '../runtime/english.js';

export const CONFORMAL_METHODS = ['split-conformal-absolute', 'split-conformal-normalised-tta'] as const;
export type ConformalMethod = (typeof CONFORMAL_METHODS)[number];

/** The nominal level every prediction carries: 90 % (α = 0.1). */
export const DEFAULT_ALPHA = 0.1;

/** One held-out residual: a point predicted by a model that did not train on it. */
export interface HeldOutResidual {
  /** Which model predicted it (the split index): coverage is measured across models. */
  group: number;
  /** Which point it is (the same point may be held out by several random splits). */
  point: string;
  actual: number;
  /** The prediction (TTA mean), wt.%. */
  predicted: number;
  /** TTA sd of the prediction, wt.% (the difficulty of the normalised method). */
  sd: number;
}

/** What a model stores about its intervals (plain data; the contract's `IntervalCalibration`). */
export interface IntervalCalibration {
  method: ConformalMethod;
  /** Miscoverage: the interval is nominally (1 − α) · 100 %. */
  alpha: number;
  /** The calibrated quantile of the scores: wt.% (absolute) or a multiple of γ + sd (normalised). */
  quantile: number;
  /** γ (wt.%), added to the TTA sd to make the difficulty; null for the absolute method. */
  scale: number | null;
  /** Calibration residuals (held-out split test points; random splits may hold the same point out more than once). */
  n: number;
  /** Distinct points among those `n` residuals (absent: stored before it was recorded and not derivable). */
  points?: number;
  /** Fraction of held-out residuals inside an interval calibrated without their point (null: too few to measure). */
  measuredCoverage: number | null;
  /** Residuals that measurement was taken on: a point held out by several splits counts once per split. */
  coverageN: number;
  /** Distinct points among those `coverageN` residuals (absent: not recorded). */
  coveragePoints?: number;
  coverageProtocol: 'leave-one-split-out' | 'leave-one-point-out';
  /** Mean half-width of the calibration points' own intervals, wt.% (a typical ± for the reader). */
  meanHalfWidth: number;
  /**
   * The stored model's own coverage when it is a refit on all points: the share of its training points its interval
   * covers. The splits' residuals stand in for a model they did not make; a refit that misses the interval even on
   * the points it trained on makes intervals too narrow for itself, and every coverage sentence then says so.
   * Absent (models stored before, or no refit) or null: not measured.
   */
  refitCoverage?: { coverage: number; n: number } | null;
}

export interface Interval {
  lo: number;
  hi: number;
  halfWidth: number;
}

/** ⌈(n+1)(1−α)⌉ as an index 1..n, or null when n is too small for a finite quantile. */
export function conformalRank(n: number, alpha: number): number | null {
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha must be in (0, 1), got ${alpha}`);
  // the tiny tolerance keeps (n+1)(1−α) that is an integer in exact arithmetic (e.g. 19 · 0.9 … ) from rounding up
  const k = Math.ceil((n + 1) * (1 - alpha) - 1e-9);
  return k >= 1 && k <= n ? k : null;
}

/** The finite-sample conformal quantile of the scores: the ⌈(n+1)(1−α)⌉-th smallest; Infinity when n is too small. */
export function conformalQuantile(scores: readonly number[], alpha: number): number {
  for (const s of scores) if (!(s >= 0) || !Number.isFinite(s)) throw new RangeError(`conformal scores must be finite and ≥ 0, got ${s}`);
  const k = conformalRank(scores.length, alpha);
  if (k === null) return Number.POSITIVE_INFINITY;
  return [...scores].sort((a, b) => a - b)[k - 1];
}

/** Fewest scores for which a finite (1 − α) quantile exists: ⌈(n+1)(1−α)⌉ ≤ n. */
export function minCalibrationPoints(alpha: number): number {
  let n = 1;
  while (conformalRank(n, alpha) === null) n++;
  return n;
}

function median(v: readonly number[]): number {
  const s = [...v].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** γ of the normalised method: the median TTA sd of the calibration points (a floor well above 0). */
function scaleOf(res: readonly HeldOutResidual[]): number {
  const g = median(res.map((r) => r.sd));
  return g > 0 ? g : 1e-6;
}

function scores(res: readonly HeldOutResidual[], method: ConformalMethod, scale: number | null): number[] {
  return res.map((r) => Math.abs(r.actual - r.predicted) / (method === 'split-conformal-absolute' ? 1 : scale! + r.sd));
}

/** Quantile (and γ) calibrated on these residuals; Infinity when they are too few. */
function fit(res: readonly HeldOutResidual[], method: ConformalMethod, alpha: number): { quantile: number; scale: number | null } {
  const scale = method === 'split-conformal-absolute' ? null : scaleOf(res);
  return { quantile: conformalQuantile(scores(res, method, scale), alpha), scale };
}

/**
 * The quantile (and γ) a point of these splits is scored against: calibrated without their residuals, nor any other
 * split's residual of a point they held out (random splits may share test points). The one leave-split-out fold, for
 * the stored coverage below and for counting a training billet's held-out readings (core/segregation/cnn/calibration.ts).
 */
export function splitOutFit(res: readonly HeldOutResidual[], groups: ReadonlySet<number>, method: ConformalMethod, alpha: number): { quantile: number; scale: number | null } {
  const held = new Set(res.filter((r) => groups.has(r.group)).map((r) => r.point));
  return fit(res.filter((r) => !groups.has(r.group) && !held.has(r.point)), method, alpha);
}

function covered(r: HeldOutResidual, c: { quantile: number; scale: number | null }, method: ConformalMethod): boolean {
  const hw = method === 'split-conformal-absolute' ? c.quantile : c.quantile * (c.scale! + r.sd);
  return Math.abs(r.actual - r.predicted) <= hw;
}

/**
 * Coverage on points not used for their own calibration (see the file comment): the fraction covered and how
 * many points it was measured on (0 with a null fraction when no fold had enough calibration residuals).
 */
export function measureCoverage(res: readonly HeldOutResidual[], method: ConformalMethod, alpha: number): { coverage: number | null; n: number; points: number; protocol: IntervalCalibration['coverageProtocol'] } {
  const groups = [...new Set(res.map((r) => r.group))];
  let hit = 0;
  let n = 0;
  // each residual counts once: a point two random splits held out weighs twice (the coverage is per residual)
  const measured = new Set<string>();
  if (groups.length >= 2) {
    for (const g of groups) {
      const test = res.filter((r) => r.group === g);
      const cal = splitOutFit(res, new Set([g]), method, alpha);
      if (!Number.isFinite(cal.quantile)) continue;
      for (const r of test) {
        n++;
        measured.add(r.point);
        if (covered(r, cal, method)) hit++;
      }
    }
    return { coverage: n ? hit / n : null, n, points: measured.size, protocol: 'leave-one-split-out' };
  }
  for (const r of res) {
    const cal = fit(res.filter((q) => q.point !== r.point), method, alpha);
    if (!Number.isFinite(cal.quantile)) continue;
    n++;
    measured.add(r.point);
    if (covered(r, cal, method)) hit++;
  }
  return { coverage: n ? hit / n : null, n, points: measured.size, protocol: 'leave-one-point-out' };
}

/** Thrown when the held-out residuals are too few for a finite interval at this level. */
export class TooFewCalibrationPointsError extends Error {
  constructor(readonly n: number, readonly needed: number, alpha: number) {
    super(`a ${Math.round((1 - alpha) * 100)} % conformal interval needs at least ${needed} held-out residuals; the splits held out ${n}`);
    this.name = 'TooFewCalibrationPointsError';
  }
}

/** Calibrates the intervals of a model from its held-out residuals and measures their coverage. */
export function calibrateIntervals(res: readonly HeldOutResidual[], opts: { alpha?: number; method?: ConformalMethod } = {}): IntervalCalibration {
  const alpha = opts.alpha ?? DEFAULT_ALPHA;
  const method = opts.method ?? 'split-conformal-absolute';
  for (const r of res) if (![r.actual, r.predicted, r.sd].every(Number.isFinite)) throw new RangeError(`residual of point ${r.point} is not finite`);
  const c = fit(res, method, alpha);
  if (!Number.isFinite(c.quantile)) throw new TooFewCalibrationPointsError(res.length, minCalibrationPoints(alpha), alpha);
  const cov = measureCoverage(res, method, alpha);
  const points = new Set(res.map((r) => r.point)).size;
  const cal: IntervalCalibration = { method, alpha, quantile: c.quantile, scale: c.scale, n: res.length, points, measuredCoverage: cov.coverage, coverageN: cov.n, coveragePoints: cov.points, coverageProtocol: cov.protocol, meanHalfWidth: 0 };
  cal.meanHalfWidth = res.reduce((a, r) => a + intervalFor(r.predicted, cal, r.sd).halfWidth, 0) / res.length;
  return cal;
}

/**
 * The calibrated interval of one prediction (wt.%). `difficulty` is the prediction's TTA sd, required by the
 * normalised method and ignored by the absolute one. Exported for every reader of per-point widths.
 */
export function intervalFor(prediction: number, calibration: Pick<IntervalCalibration, 'method' | 'quantile' | 'scale'>, difficulty?: number | null): Interval {
  let halfWidth: number;
  if (calibration.method === 'split-conformal-absolute') halfWidth = calibration.quantile;
  else {
    if (difficulty === undefined || difficulty === null || !Number.isFinite(difficulty) || difficulty < 0) throw new RangeError(`the ${calibration.method} interval needs the prediction's TTA sd, got ${difficulty}`);
    halfWidth = calibration.quantile * ((calibration.scale ?? 0) + difficulty);
  }
  return { lo: prediction - halfWidth, hi: prediction + halfWidth, halfWidth };
}

/** The share of a model's own (training) points inside its calibrated interval: `refitCoverage` of a refit model. */
export function measureRefitCoverage(points: ReadonlyArray<{ actual: number; mean: number; sd: number }>, calibration: Pick<IntervalCalibration, 'method' | 'quantile' | 'scale'>): { coverage: number; n: number } | null {
  if (points.length === 0) return null;
  const inside = points.filter((p) => Math.abs(p.actual - p.mean) <= intervalFor(p.mean, calibration, p.sd).halfWidth + 1e-12).length;
  return { coverage: inside / points.length, n: points.length };
}

type CoverageFacts = Pick<IntervalCalibration, 'alpha' | 'measuredCoverage' | 'coverageN' | 'coveragePoints' | 'refitCoverage'>;

/**
 * "51 held-out residuals of 41 points": random splits draw their test points independently, so one point can be
 * held out (and counted) by several splits. Said as points only when each was held out once; as residuals alone
 * when the distinct points were not recorded (a calibration stored before they were, not derivable).
 */
export function heldOutPhrase(n: number, points: number | null | undefined): Phrase {
  if (points === undefined || points === null) return phrase('interval.heldOut.residuals', { n });
  return points === n ? phrase('interval.heldOut.points', { n }) : phrase('interval.heldOut.repeats', { n, points });
}

/**
 * Whether a refit model's coverage of its own training points is short of the nominal level by more than sampling
 * explains. Even a model whose interval is exactly right covers n points a binomial share of the time: 0.89 of 76 at
 * 90 % is one point from 0.9, no evidence at all. Flagged only below nominal − 1.645 · sqrt(p(1 − p)/n), p the nominal
 * level: a one-sided test at 5 % (normal approximation to the binomial). 90 % on 76 points: flagged below 0.843, so
 * 64 of 76 (0.842) is flagged and 65 (0.855) is not; on 8 points below 0.726 (5 of 8 is flagged).
 * A model's description carries the resulting phrase (`refitShortPhrase`, core/services/cnn/model-catalog.ts), which
 * the renderer only says.
 */
export function refitCoverageShort(c: CoverageFacts): boolean {
  const refit = c.refitCoverage;
  if (!refit || c.measuredCoverage === null || refit.n < 1) return false;
  const p = 1 - c.alpha;
  return refit.coverage < p - 1.645 * Math.sqrt((p * (1 - p)) / refit.n);
}

/** coverageWords as a code for the interface's and the report's language (core/api/phrase.ts). */
export function coveragePhrase(c: CoverageFacts | null | undefined): Phrase {
  if (!c) return phrase('interval.none');
  const nominal = Math.round((1 - c.alpha) * 100);
  const refit = c.refitCoverage;
  if (refit && c.measuredCoverage !== null && refitCoverageShort(c))
    return phrase('refitInterval.short', { nominal, coverage: fixed(c.measuredCoverage, 2), heldOut: heldOutPhrase(c.coverageN, c.coveragePoints), refit: fixed(refit.coverage, 2), refitN: refit.n });
  return c.measuredCoverage === null ? phrase('interval.notMeasured', { nominal }) : phrase('interval.measured', { nominal, coverage: fixed(c.measuredCoverage, 2), heldOut: heldOutPhrase(c.coverageN, c.coveragePoints) });
}

/** "90 % interval, measured coverage 0.92 on 51 held-out residuals of 41 points (…)" — what is shown beside every interval. */
export function coverageWords(c: CoverageFacts | null | undefined): string {
  if (!c) return 'no calibrated interval (the model has too few held-out residuals, or is gone)';
  return english(coveragePhrase(c));
}
