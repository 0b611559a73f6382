import { DEFAULT_GLCM, glcm, quantise, rmsContrast, shannonEntropy, type GlcmSettings } from './quality.js';

/**
 * Handcrafted image statistics and texture features of one grey patch: the inputs of the paper's conventional
 * baselines (Supp. Table 2: "image-derived statistical and texture features"). The paper names neither its
 * features nor its GLCM settings; ours are the quality metrics (quality.ts), the Haralick GLCM properties as
 * scikit-image's graycoprops defines them, and histogram moments and percentiles. GLCM settings are
 * DEFAULT_GLCM (32 levels over the fixed 0..255 range, distance 1 at 0°/45°/90°/135°, symmetric, normalised);
 * every GLCM property is the mean over those offsets.
 */

export interface TextureFeatures {
  /** Mean intensity in [0, 1]. */
  mean: number;
  /** RMS contrast = population standard deviation of intensities in [0, 1] (quality.ts). */
  rmsContrast: number;
  /** Sample skewness of intensities (0 for a flat patch, where it is undefined). */
  skewness: number;
  /** Excess kurtosis of intensities (0 for a flat patch, where it is undefined). */
  kurtosis: number;
  /** Intensity percentiles in [0, 1] (nearest rank). */
  p10: number;
  p50: number;
  p90: number;
  /** Shannon entropy of the 256-bin histogram (bits). */
  entropyBits: number;
  /** Σ P(i,j)(i−j)², the same figure as quality.ts glcmContrast. */
  glcmContrast: number;
  /** Σ P(i,j)|i−j|. */
  glcmDissimilarity: number;
  /** Σ P(i,j)/(1+(i−j)²). */
  glcmHomogeneity: number;
  /** Angular second moment Σ P(i,j)². */
  glcmAsm: number;
  /** √ASM (averaged per offset, so not exactly √ of the averaged ASM). */
  glcmEnergy: number;
  /** Σ P(i,j)(i−μi)(j−μj)/(σi σj); 1 where σ is 0 (a flat patch), as scikit-image. */
  glcmCorrelation: number;
}

/** The order of the feature vector the baselines take. */
export const TEXTURE_FEATURE_KEYS = [
  'mean',
  'rmsContrast',
  'skewness',
  'kurtosis',
  'p10',
  'p50',
  'p90',
  'entropyBits',
  'glcmContrast',
  'glcmDissimilarity',
  'glcmHomogeneity',
  'glcmAsm',
  'glcmEnergy',
  'glcmCorrelation',
] as const satisfies readonly (keyof TextureFeatures)[];

interface GlcmProperties {
  contrast: number;
  dissimilarity: number;
  homogeneity: number;
  asm: number;
  energy: number;
  correlation: number;
}

/** The Haralick properties of one normalised GLCM (levels × levels, row-major). */
export function glcmProperties(P: Float64Array, levels: number): GlcmProperties {
  let contrast = 0;
  let dissimilarity = 0;
  let homogeneity = 0;
  let asm = 0;
  let mi = 0;
  let mj = 0;
  for (let i = 0; i < levels; i++)
    for (let j = 0; j < levels; j++) {
      const p = P[i * levels + j];
      if (p === 0) continue;
      const d = i - j;
      contrast += p * d * d;
      dissimilarity += p * Math.abs(d);
      homogeneity += p / (1 + d * d);
      asm += p * p;
      mi += p * i;
      mj += p * j;
    }
  let vi = 0;
  let vj = 0;
  let cov = 0;
  for (let i = 0; i < levels; i++)
    for (let j = 0; j < levels; j++) {
      const p = P[i * levels + j];
      if (p === 0) continue;
      vi += p * (i - mi) ** 2;
      vj += p * (j - mj) ** 2;
      cov += p * (i - mi) * (j - mj);
    }
  // scikit-image: correlation 1 when either marginal has no spread (a flat patch correlates perfectly with itself).
  const correlation = vi < 1e-15 || vj < 1e-15 ? 1 : cov / Math.sqrt(vi * vj);
  return { contrast, dissimilarity, homogeneity, asm, energy: Math.sqrt(asm), correlation };
}

function percentile(sorted: Uint8Array, q: number): number {
  const k = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[k] / 255;
}

/** Mean, population sd, skewness and excess kurtosis of intensities in [0, 1]. */
function moments(data: Uint8Array): { mean: number; sd: number; skewness: number; kurtosis: number } {
  const n = data.length;
  let s = 0;
  for (let i = 0; i < n; i++) s += data[i];
  const m = s / n;
  let m2 = 0;
  let m3 = 0;
  let m4 = 0;
  for (let i = 0; i < n; i++) {
    const d = data[i] - m;
    const d2 = d * d;
    m2 += d2;
    m3 += d2 * d;
    m4 += d2 * d2;
  }
  m2 /= n;
  m3 /= n;
  m4 /= n;
  if (m2 === 0) return { mean: m / 255, sd: 0, skewness: 0, kurtosis: 0 };
  return { mean: m / 255, sd: Math.sqrt(m2) / 255, skewness: m3 / m2 ** 1.5, kurtosis: m4 / (m2 * m2) - 3 };
}

/** All features of one 8-bit grey patch (width × height, row-major). */
export function textureFeatures(data: Uint8Array, width: number, height: number, settings: GlcmSettings = DEFAULT_GLCM): TextureFeatures {
  if (data.length !== width * height || data.length === 0) throw new Error(`texture features: ${data.length} pixels for ${width}×${height}`);
  const mo = moments(data);
  const sorted = Uint8Array.from(data).sort();
  const q = quantise(data, settings.levels);
  const acc: GlcmProperties = { contrast: 0, dissimilarity: 0, homogeneity: 0, asm: 0, energy: 0, correlation: 0 };
  for (const off of settings.offsets) {
    const P = glcm(q, width, height, settings.levels, off, { symmetric: settings.symmetric, normed: settings.normed });
    const p = glcmProperties(P, settings.levels);
    for (const k of Object.keys(acc) as (keyof GlcmProperties)[]) acc[k] += p[k];
  }
  const no = settings.offsets.length;
  return {
    mean: mo.mean,
    rmsContrast: rmsContrast(data),
    skewness: mo.skewness,
    kurtosis: mo.kurtosis,
    p10: percentile(sorted, 0.1),
    p50: percentile(sorted, 0.5),
    p90: percentile(sorted, 0.9),
    entropyBits: shannonEntropy(data),
    glcmContrast: acc.contrast / no,
    glcmDissimilarity: acc.dissimilarity / no,
    glcmHomogeneity: acc.homogeneity / no,
    glcmAsm: acc.asm / no,
    glcmEnergy: acc.energy / no,
    glcmCorrelation: acc.correlation / no,
  };
}

/** The feature vector in TEXTURE_FEATURE_KEYS order. */
export function textureFeatureVector(f: TextureFeatures): number[] {
  return TEXTURE_FEATURE_KEYS.map((k) => f[k]);
}
