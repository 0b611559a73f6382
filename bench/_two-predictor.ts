import { tQuantile } from '../core/segregation/fewer-points/quantiles.js';

/**
 * TRIED, NOT USED (bench/fewer-points-methods.ts compares it): kept here, out of core, so the measurement can be
 * repeated. The two-predictor correction of "measure fewer points" (issue 11 §6, task 18-D): with K readings on a new
 * billet, a model with a texture blend (core/segregation/cnn/texture-blend.ts) is re-fitted as
 *   reading = a + b_cnn · (cnn − c̄) + b_tex · (texture − t̄) + e
 * — its level AND the weights of its two predictors — by a Bayesian linear model whose prior is the stored blend
 * (no level shift, b_cnn = w, b_tex = 1 − w, w chosen on the training billet's held-out points).
 *
 * Why: on a new billet whose bulk carbon differs the CNN compresses carbon while the dark-phase-fraction line
 * extrapolates; the best mixture differs from billet to billet, and a level alone (correct.ts) cannot move it.
 * Why a prior: 8 readings cannot fit three free coefficients without their noise costing more than they fix; the
 * prior holds the weights at the blend unless the readings show otherwise.
 *
 * The model is conjugate Normal–inverse-gamma: β | σ² ~ N(m₀, σ²·Λ₀⁻¹), σ² ~ Inv-χ²(ν₀, s₀²) with s₀ the model's
 * held-out RMSE and ν₀ its weight in degrees of freedom, so the predictive distribution is a Student t and the
 * interval needs no plug-in. How far the level and the weights may move (the prior scales, as multiples of σ) is
 * not fixed by hand: it is the pair on a grid with the largest marginal likelihood of the K readings
 * (type-II maximum likelihood, ties to the tighter prior), so with few or unremarkable readings the correction
 * stays at the blend and with clear evidence it moves.
 */

/** One analysed point: the two predictions at it and the analyser's reading (wt.%). */
export interface TwoPredictorPair {
  cnn: number;
  texture: number;
  reading: number;
}

export interface TwoPredictorPrior {
  /** The stored blend's CNN weight w (prediction = w·CNN + (1 − w)·texture). */
  cnnWeight: number;
  /** Prior residual sd (wt.%): the model's held-out RMSE. */
  priorSd: number;
  /** Its weight in degrees of freedom (default 2, as the level/slope correction). */
  priorDf?: number;
  /** Prior sd of the level shift, in units of σ, tried (default LEVEL_SCALES). */
  levelScales?: readonly number[];
  /** Prior sd of each weight's change from the blend (dimensionless), tried (default WEIGHT_SCALES). */
  weightScales?: readonly number[];
}

/** Level prior scales (× σ): from "K readings barely move the level" to "the level is free". */
export const LEVEL_SCALES: readonly number[] = [0.25, 0.5, 1, 2, 4, 16];
/** Weight prior sds: 0 keeps the blend's weights (a level-only correction); 1 lets the readings set them. */
export const WEIGHT_SCALES: readonly number[] = [0, 0.1, 0.25, 0.5, 1];

export interface TwoPredictorFit {
  k: number;
  /** Centres of the predictors (the analysed points' means; at K = 0 the prior's, both 0). */
  cnnMean: number;
  textureMean: number;
  /** Posterior mean of (a, b_cnn, b_tex) and Λₙ⁻¹ (row-major 3×3; the posterior covariance over σ²). */
  coef: [number, number, number];
  cov: number[];
  /** Posterior scale of the residual sd and its degrees of freedom (Student t of the predictive). */
  residualSd: number;
  df: number;
  /** The prior scales chosen by marginal likelihood (level in units of σ, weights dimensionless). */
  levelScale: number;
  weightScale: number;
  logEvidence: number;
  prior: { cnnWeight: number; priorSd: number; priorDf: number };
}

/** Solves the 3×3 system A x = b (symmetric positive definite) by Cholesky; returns x and log|A|. */
function chol3(A: number[]): { solve(b: readonly number[]): number[]; logDet: number; inverse(): number[] } {
  const L = [0, 0, 0, 0, 0, 0, 0, 0, 0];
  for (let i = 0; i < 3; i++)
    for (let j = 0; j <= i; j++) {
      let s = A[i * 3 + j];
      for (let k = 0; k < j; k++) s -= L[i * 3 + k] * L[j * 3 + k];
      if (i === j) {
        if (!(s > 0)) throw new RangeError('two-predictor correction: the posterior precision is not positive definite');
        L[i * 3 + i] = Math.sqrt(s);
      } else L[i * 3 + j] = s / L[j * 3 + j];
    }
  const solve = (b: readonly number[]) => {
    const y = [0, 0, 0];
    for (let i = 0; i < 3; i++) {
      let s = b[i];
      for (let k = 0; k < i; k++) s -= L[i * 3 + k] * y[k];
      y[i] = s / L[i * 3 + i];
    }
    const x = [0, 0, 0];
    for (let i = 2; i >= 0; i--) {
      let s = y[i];
      for (let k = i + 1; k < 3; k++) s -= L[k * 3 + i] * x[k];
      x[i] = s / L[i * 3 + i];
    }
    return x;
  };
  return {
    solve,
    logDet: 2 * (Math.log(L[0]) + Math.log(L[4]) + Math.log(L[8])),
    inverse: () => {
      const cols = [0, 1, 2].map((j) => solve([0, 1, 2].map((i) => (i === j ? 1 : 0))));
      return [0, 1, 2].flatMap((i) => cols.map((c) => c[i]));
    },
  };
}

/** ln Γ(x) for x > 0 (Lanczos, g = 7). */
function lnGamma(x: number): number {
  const g = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x);
  x -= 1;
  let a = g[0];
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += g[i] / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

/** A weight prior of sd 0 is held by this precision (in σ⁻² units): the weights then stay at the blend. */
const FIXED_PRECISION = 1e8;

/** The NIG posterior for one pair of prior scales. */
function posterior(pairs: readonly TwoPredictorPair[], cm: number, tm: number, w: number, s0: number, nu0: number, levelScale: number, weightScale: number) {
  const k = pairs.length;
  // prior precision Λ₀ (in units of σ⁻²): the level's sd is levelScale·σ; a weight's sd weightScale (dimensionless, wt.%/wt.%)
  // is weightScale/s₀ in units of σ, taking σ ≈ s₀ for the scale — the weights are then comparable across models.
  const l0 = [1 / levelScale ** 2, weightScale > 0 ? (s0 / weightScale) ** 2 : FIXED_PRECISION, weightScale > 0 ? (s0 / weightScale) ** 2 : FIXED_PRECISION];
  // prior mean: the blend, no level shift, at the centres
  const m0 = [w * cm + (1 - w) * tm, w, 1 - w];
  const A = [l0[0], 0, 0, 0, l0[1], 0, 0, 0, l0[2]];
  const b = [l0[0] * m0[0], l0[1] * m0[1], l0[2] * m0[2]];
  let yy = 0;
  for (const p of pairs) {
    const x = [1, p.cnn - cm, p.texture - tm];
    for (let i = 0; i < 3; i++) {
      b[i] += x[i] * p.reading;
      for (let j = 0; j < 3; j++) A[i * 3 + j] += x[i] * x[j];
    }
    yy += p.reading * p.reading;
  }
  const c = chol3(A);
  const mn = c.solve(b);
  const m0l0m0 = l0[0] * m0[0] ** 2 + l0[1] * m0[1] ** 2 + l0[2] * m0[2] ** 2;
  const mnAmn = mn.reduce((s, v, i) => s + v * b[i], 0); // mₙᵀΛₙmₙ = mₙᵀb
  const nun = nu0 + k;
  const ssn = Math.max(nu0 * s0 * s0 + yy + m0l0m0 - mnAmn, 1e-30);
  const logDet0 = Math.log(l0[0]) + Math.log(l0[1]) + Math.log(l0[2]);
  const logEvidence = 0.5 * (logDet0 - c.logDet) + (nu0 / 2) * Math.log(nu0 * s0 * s0) - (nun / 2) * Math.log(ssn) + lnGamma(nun / 2) - lnGamma(nu0 / 2) - (k / 2) * Math.log(Math.PI);
  return { mn, cov: c.inverse(), nun, sn: Math.sqrt(ssn / nun), logEvidence };
}

/** Fits the two-predictor correction to the analysed points (see the file's head). K = 0 is the stored blend. */
export function fitTwoPredictor(pairs: readonly TwoPredictorPair[], prior: TwoPredictorPrior): TwoPredictorFit {
  const w = prior.cnnWeight;
  const s0 = prior.priorSd;
  const nu0 = prior.priorDf ?? 2;
  if (!(w >= 0 && w <= 1)) throw new RangeError(`cnnWeight must be in [0, 1], got ${w}`);
  if (!(s0 > 0) || !Number.isFinite(s0)) throw new RangeError(`priorSd must be a positive number, got ${s0}`);
  for (const [i, p] of pairs.entries())
    if (![p.cnn, p.texture, p.reading].every(Number.isFinite)) throw new RangeError(`pair ${i}: cnn, texture and reading must be finite numbers`);
  const k = pairs.length;
  const p0 = { cnnWeight: w, priorSd: s0, priorDf: nu0 };
  if (k === 0) return { k, cnnMean: 0, textureMean: 0, coef: [0, w, 1 - w], cov: [0, 0, 0, 0, 0, 0, 0, 0, 0], residualSd: s0, df: nu0, levelScale: 0, weightScale: 0, logEvidence: 0, prior: p0 };
  const cm = pairs.reduce((a, p) => a + p.cnn, 0) / k;
  const tm = pairs.reduce((a, p) => a + p.texture, 0) / k;
  let best: (ReturnType<typeof posterior> & { ls: number; ws: number }) | null = null;
  // grid in order of looser priors: a looser prior must win by more than rounding to be chosen
  for (const ws of prior.weightScales ?? WEIGHT_SCALES)
    for (const ls of prior.levelScales ?? LEVEL_SCALES) {
      const q = posterior(pairs, cm, tm, w, s0, nu0, ls, ws);
      if (!best || q.logEvidence > best.logEvidence + 1e-9) best = { ...q, ls, ws };
    }
  const b = best!;
  return { k, cnnMean: cm, textureMean: tm, coef: [b.mn[0], b.mn[1], b.mn[2]], cov: b.cov, residualSd: b.sn, df: b.nun, levelScale: b.ls, weightScale: b.ws, logEvidence: b.logEvidence, prior: p0 };
}

/** The corrected prediction from the two predictors at a point. */
export function twoPredictorValue(f: TwoPredictorFit, cnn: number, texture: number): number {
  if (f.k === 0) return f.coef[1] * cnn + f.coef[2] * texture;
  return f.coef[0] + f.coef[1] * (cnn - f.cnnMean) + f.coef[2] * (texture - f.textureMean);
}

/** Standard error (wt.%) of the fitted correction itself at a point: s · √(xᵀΛₙ⁻¹x). */
export function twoPredictorSe(f: TwoPredictorFit, cnn: number, texture: number): number {
  if (f.k === 0) return 0;
  const x = [1, cnn - f.cnnMean, texture - f.textureMean];
  let q = 0;
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) q += x[i] * f.cov[i * 3 + j] * x[j];
  return f.residualSd * Math.sqrt(Math.max(0, q));
}

/** Half-width of the interval for a reading at the point: t(νₙ) · s · √(1 + xᵀΛₙ⁻¹x) (the Student-t predictive). */
export function twoPredictorHalfWidth(f: TwoPredictorFit, cnn: number, texture: number, level = 0.9): number {
  const t = tQuantile(1 - (1 - level) / 2, f.df);
  const se = twoPredictorSe(f, cnn, texture);
  return t * Math.sqrt(f.residualSd ** 2 + se ** 2);
}
