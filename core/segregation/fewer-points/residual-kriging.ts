import type { Phrase } from '../../api/phrase.js';
import { backSolve, cholesky, forwardSolve, matern52 } from '../../maps/kriging.js';
import { correctedValue, correctionSe, fitCorrection, type AnalysedPair, type Correction, type CorrectionOptions } from './correct.js';
import { tQuantile } from './quantiles.js';

/**
 * Regression-kriging for "measure fewer points" (issue 11 §6): the level/slope correction (correct.ts) is the
 * trend; the K analysed points' residuals about it (reading − corrected prediction) are kriged, so a region
 * where the model is off more than the billet's level is corrected locally.
 *
 * The covariance is NOT fitted on the K points: its shape (the share of the residual variance that is
 * spatially correlated, and the length scale) comes from the residual variogram of the model's own held-out
 * points on its training billet(s) (stored with the model), fitted once by weighted least squares over lag
 * bins. Only the residual variance's scale is taken from the new billet — the K residuals pooled with the
 * model's held-out RMSE, as the level/slope correction already does. Simple kriging about the trend shrinks to
 * the level/slope correction wherever the analysed points are farther apart than the length scale, and is it
 * exactly when the variogram shows no spatial structure (a pure nugget).
 */

/** A residual with its place on the section; `group` keeps pairs within one billet (default: all one). */
export interface ResidualSample {
  xMm: number;
  yMm: number;
  residual: number;
  group?: string | number;
}

export interface VariogramBin {
  /** Mean lag of the pairs in the bin (mm), their count and the semivariance ½·mean (Δresidual)² (wt.%²). */
  lagMm: number;
  pairs: number;
  semivariance: number;
}

/** γ(h) = nugget + sill · (1 − Matérn 5/2(h/ℓ)), as shares of the total (nugget + sill). */
export interface ResidualVariogram {
  /** sill / (nugget + sill): the share of the residual variance that is spatially correlated (0: none). */
  structuredShare: number;
  lengthScaleMm: number;
  /** nugget + sill on the source residuals (wt.%²). */
  totalVar: number;
  /** Residuals and pairs the fit was made on. */
  points: number;
  pairs: number;
  bins: VariogramBin[];
  /** The largest lag binned (half the largest pair distance, mm): the length scale is not taken beyond it. Absent before task 18-D. */
  maxLagMm?: number;
  /** Where the residuals came from, in words. */
  source: string;
  /** The same as a code, where the caller knows it (a model's held-out residuals), for the reader's language. */
  sourcePhrase?: Phrase;
  /** `source` itself as a code (the words, not a sentence: the correction panel says "covariance shape from the …"). */
  sourceWordsPhrase?: Phrase;
}

/** No structure: what a model without stored positioned held-out residuals gets (kriging = the level/slope correction). */
export function pureNugget(totalVar: number, source: string): ResidualVariogram {
  return { structuredShare: 0, lengthScaleMm: 1, totalVar, points: 0, pairs: 0, bins: [], source };
}

/**
 * The empirical semivariogram of the residuals (pairs within a group only) in `bins` equal lag bins up to
 * half the largest pair distance, and the Matérn 5/2 + nugget model fitted to it: for each length scale on a
 * log grid (from the first bin's lag to the largest lag binned, half the largest pair distance), nugget and sill by least squares weighted by the pairs per bin (both kept ≥ 0); the length scale
 * with the smallest weighted error. Bins with fewer than `minPairs` pairs are left out.
 *
 * Why ℓ stops at the largest lag binned: beyond it the bins only see the rising start of the curve, i.e. a trend
 * across the section, not a correlation they can measure, and a covariance that long acts as a second level the
 * kriging takes as known from the K points. It did so on one model (seed 43 of bench/fewer-points-seeds.ts: 35 %
 * "structured" at ℓ = 524 mm): the 90 % intervals at K = 8 covered 81–86 % on the new billets; with the cap
 * (14 % at 262 mm) 85–90 %, MAE unchanged.
 */
export function fitResidualVariogram(samples: readonly ResidualSample[], source: string, opts: { bins?: number; minPairs?: number } = {}): ResidualVariogram {
  const nb = opts.bins ?? 10;
  const minPairs = opts.minPairs ?? 10;
  const pairs: Array<[number, number]> = [];
  let maxD = 0;
  for (let i = 0; i < samples.length; i++)
    for (let j = 0; j < i; j++) {
      if ((samples[i].group ?? 0) !== (samples[j].group ?? 0)) continue;
      const d = Math.hypot(samples[i].xMm - samples[j].xMm, samples[i].yMm - samples[j].yMm);
      pairs.push([d, 0.5 * (samples[i].residual - samples[j].residual) ** 2]);
      if (d > maxD) maxD = d;
    }
  const mean = samples.reduce((a, s) => a + s.residual, 0) / Math.max(1, samples.length);
  const totalVarRaw = samples.reduce((a, s) => a + (s.residual - mean) ** 2, 0) / Math.max(1, samples.length - 1);
  if (pairs.length < minPairs || !(maxD > 0)) return { ...pureNugget(totalVarRaw, source), points: samples.length, pairs: pairs.length };
  const maxLag = maxD / 2;
  const acc = Array.from({ length: nb }, () => ({ d: 0, g: 0, n: 0 }));
  for (const [d, g] of pairs) {
    if (d > maxLag) continue;
    const b = Math.min(nb - 1, Math.floor((d / maxLag) * nb));
    acc[b].d += d;
    acc[b].g += g;
    acc[b].n++;
  }
  const bins = acc.filter((a) => a.n >= minPairs).map((a) => ({ lagMm: a.d / a.n, pairs: a.n, semivariance: a.g / a.n }));
  if (bins.length < 2) return { ...pureNugget(totalVarRaw, source), points: samples.length, pairs: pairs.length, bins };
  // structure shorter than the closest pairs seen cannot be told from a nugget: ℓ starts at the first bin's lag
  const lo = Math.max(1e-6, bins[0].lagMm);
  const hi = maxLag;
  let best = { wss: Infinity, nugget: totalVarRaw, sill: 0, ell: lo };
  for (let q = 0; q < 24; q++) {
    const ell = lo * (hi / lo) ** (q / 23);
    // γ = n + s·u with u = 1 − ρ(h/ℓ): weighted least squares in (n, s), clamped at 0
    let sw = 0, su = 0, suu = 0, sg = 0, sug = 0;
    for (const b of bins) {
      const u = 1 - matern52(b.lagMm, ell);
      sw += b.pairs; su += b.pairs * u; suu += b.pairs * u * u; sg += b.pairs * b.semivariance; sug += b.pairs * u * b.semivariance;
    }
    const det = sw * suu - su * su;
    let n = det > 0 ? (suu * sg - su * sug) / det : sg / sw;
    let s = det > 0 ? (sw * sug - su * sg) / det : 0;
    if (s < 0) [n, s] = [sg / sw, 0];
    if (n < 0) [n, s] = [0, suu > 0 ? sug / suu : 0];
    const wss = bins.reduce((a, b) => a + b.pairs * (n + s * (1 - matern52(b.lagMm, ell)) - b.semivariance) ** 2, 0);
    if (wss < best.wss) best = { wss, nugget: n, sill: s, ell };
  }
  const total = best.nugget + best.sill;
  return {
    structuredShare: total > 0 ? best.sill / total : 0,
    lengthScaleMm: best.ell,
    totalVar: total > 0 ? total : totalVarRaw,
    points: samples.length,
    pairs: pairs.length,
    bins,
    maxLagMm: maxLag,
    source,
  };
}

/** An analysed point with its place (billet-centred mm). */
export interface PlacedPair extends AnalysedPair {
  xMm: number;
  yMm: number;
}

/** The regression-kriging correction: the trend (level/slope) and the kriged residuals about it. */
export interface KrigedCorrection {
  trend: Correction;
  variogram: ResidualVariogram;
  /** Residual variance on this billet split by the variogram's share: spatially correlated (sill) and not (nugget), wt.%². */
  sillVar: number;
  nuggetVar: number;
  /** The analysed points, their residuals about the trend and the kriging weights C⁻¹·residual. */
  analysed: Array<{ xMm: number; yMm: number; residual: number }>;
  alpha: number[];
  /** Lower Cholesky factor of C = sill·R + nugget·I (row-major K×K), for the kriging variance. */
  chol: number[];
}

/** Fits the trend with fitCorrection, then the kriging of its residuals with the variogram's shape on this billet's scale. */
export function fitKrigedCorrection(pairs: readonly PlacedPair[], variogram: ResidualVariogram, opts: CorrectionOptions): KrigedCorrection {
  for (const [i, p] of pairs.entries()) if (!Number.isFinite(p.xMm) || !Number.isFinite(p.yMm)) throw new RangeError(`pair ${i}: xMm and yMm must be finite numbers`);
  if (!(variogram.structuredShare >= 0 && variogram.structuredShare <= 1)) throw new RangeError(`structuredShare must be in [0, 1], got ${variogram.structuredShare}`);
  const trend = fitCorrection(pairs, opts);
  const s2 = trend.residualSd ** 2;
  const sillVar = variogram.structuredShare * s2;
  const nuggetVar = s2 - sillVar;
  const analysed = pairs.map((p) => ({ xMm: p.xMm, yMm: p.yMm, residual: p.reading - correctedValue(trend, p.predicted) }));
  const k = analysed.length;
  if (k === 0 || sillVar <= 0) return { trend, variogram, sillVar: Math.max(0, sillVar), nuggetVar: s2, analysed, alpha: new Array<number>(k).fill(0), chol: [] };
  const C = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    C[i * k + i] = sillVar + nuggetVar;
    for (let j = 0; j < i; j++) {
      const c = sillVar * matern52(Math.hypot(analysed[i].xMm - analysed[j].xMm, analysed[i].yMm - analysed[j].yMm), variogram.lengthScaleMm);
      C[i * k + j] = c;
      C[j * k + i] = c;
    }
  }
  // a pure sill (no nugget) could be singular for two points at one place: a floor of 10⁻⁶ of the variance
  for (let i = 0; i < k; i++) C[i * k + i] += 1e-6 * s2;
  cholesky(C, k);
  const alpha = Float64Array.from(analysed, (a) => a.residual);
  forwardSolve(C, k, alpha);
  backSolve(C, k, alpha);
  return { trend, variogram, sillVar, nuggetVar, analysed, alpha: [...alpha], chol: [...C] };
}

export interface KrigedValue {
  value: number;
  /** The kriged residual added to the trend at this place (wt.%). */
  krigedResidual: number;
  /** Interval half-width for a reading at this place at the level asked. */
  halfWidth: number;
}

/**
 * The corrected prediction at a place: trend(p) + k(x)ᵀ·α, and the half-width of the interval for a reading
 * there: t(df) · √(nugget + sill − k(x)ᵀC⁻¹k(x) + SE_trend(p)²), t with the trend's pooled degrees of freedom.
 * With no structure this is the level/slope correction's own interval (correctedHalfWidth).
 */
export function krigedValue(kc: KrigedCorrection, predicted: number, xMm: number, yMm: number, level = 0.9): KrigedValue {
  const base = correctedValue(kc.trend, predicted);
  const se = correctionSe(kc.trend, predicted);
  const t = tQuantile(1 - (1 - level) / 2, kc.trend.df);
  const k = kc.analysed.length;
  if (!kc.chol.length) return { value: base, krigedResidual: 0, halfWidth: t * Math.sqrt(kc.nuggetVar + se * se) };
  const kx = new Float64Array(k);
  let mu = 0;
  for (let i = 0; i < k; i++) {
    kx[i] = kc.sillVar * matern52(Math.hypot(xMm - kc.analysed[i].xMm, yMm - kc.analysed[i].yMm), kc.variogram.lengthScaleMm);
    mu += kx[i] * kc.alpha[i];
  }
  const L = Float64Array.from(kc.chol);
  forwardSolve(L, k, kx);
  let q = 0;
  for (let i = 0; i < k; i++) q += kx[i] * kx[i];
  const krigVar = Math.max(0, kc.sillVar - q);
  return { value: base + mu, krigedResidual: mu, halfWidth: t * Math.sqrt(kc.nuggetVar + krigVar + se * se) };
}
