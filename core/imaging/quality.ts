/**
 * Image-quality figures of a grey patch (segregation.md §7), computed before and after CLAHE:
 *  - RMS contrast (Peli 1990): population standard deviation of intensities scaled to [0, 1].
 *  - GLCM contrast (Haralick 1973): Σ p(i,j)(i−j)² of the normalised co-occurrence matrix, averaged over offsets.
 *  - Shannon entropy of the 256-bin grey-level histogram, in bits.
 * The paper does not state its GLCM settings; ours are explicit and stored with every result.
 */

export interface GlcmSettings {
  /** Grey levels after quantisation, q = floor(v · levels / 256) over the fixed range 0..255. */
  levels: number;
  /** Pixel offsets [dx, dy] (x right, y down). Default: distance 1 at 0°, 45°, 90°, 135°. */
  offsets: ReadonlyArray<readonly [number, number]>;
  /** Count each pair both ways (P + Pᵀ). Contrast is unchanged by it; other Haralick features are not. */
  symmetric: boolean;
  /** Divide by the pair count so P sums to 1 (contrast is then independent of the patch size). */
  normed: boolean;
}

/**
 * 32 levels over a fixed 0..255 range: a fixed range keeps patches comparable (MATLAB's default range is each
 * image's own min..max, which hides weak etching), and 32 levels put typical etched-texture contrast in the same
 * order of magnitude as the paper's reported 3.17 → 18.84 (256 levels would give values ~64× larger).
 */
export const DEFAULT_GLCM: GlcmSettings = {
  levels: 32,
  offsets: [
    [1, 0],
    [1, -1],
    [0, -1],
    [-1, -1],
  ],
  symmetric: true,
  normed: true,
};

export interface QualityThresholds {
  /** Below this RMS contrast a patch is flagged "low etch contrast". */
  minRmsContrast: number;
  /** Below this GLCM contrast (at the stated GLCM settings) a patch is flagged. */
  minGlcmContrast: number;
  /** Below this histogram entropy (bits) a patch is flagged (nearly flat / saturated image). */
  minEntropyBits: number;
}

export const DEFAULT_QUALITY_THRESHOLDS: QualityThresholds = { minRmsContrast: 0.05, minGlcmContrast: 0.5, minEntropyBits: 4 };

export interface QualityFigures {
  rmsContrast: number;
  glcmContrast: number;
  entropyBits: number;
  mean: number;
}

export type QualityFlag = 'low-rms-contrast' | 'low-glcm-contrast' | 'low-entropy';

export interface QualityReport {
  figures: QualityFigures;
  flags: QualityFlag[];
  /** True when any flag is set: the UI shows "low etch contrast"; the model is unreliable on such patches. */
  lowEtchContrast: boolean;
}

type Pixels = ArrayLike<number>;

/** Mean intensity scaled to [0, 1]. */
export function meanIntensity(data: Pixels, maxValue = 255): number {
  let s = 0;
  for (let i = 0; i < data.length; i++) s += data[i];
  return data.length ? s / data.length / maxValue : 0;
}

/** RMS contrast: sqrt(mean((I − Ī)²)) with I scaled to [0, 1] by `maxValue` (population std, not sample std). */
export function rmsContrast(data: Pixels, maxValue = 255): number {
  const n = data.length;
  if (n === 0) return 0;
  let s = 0;
  for (let i = 0; i < n; i++) s += data[i];
  const m = s / n;
  let v = 0;
  for (let i = 0; i < n; i++) {
    const d = data[i] - m;
    v += d * d;
  }
  return Math.sqrt(v / n) / maxValue;
}

/** Shannon entropy (bits) of the histogram of integer grey values 0..bins−1. */
export function shannonEntropy(data: Pixels, bins = 256): number {
  const h = new Float64Array(bins);
  for (let i = 0; i < data.length; i++) h[data[i]]++;
  let e = 0;
  for (let k = 0; k < bins; k++) {
    if (h[k] === 0) continue;
    const p = h[k] / data.length;
    e -= p * Math.log2(p);
  }
  return e === 0 ? 0 : e; // avoid −0
}

/** Quantises 0..inputMax values to 0..levels−1 (fixed range, see DEFAULT_GLCM). */
export function quantise(data: Pixels, levels: number, inputMax = 255): Uint16Array {
  const out = new Uint16Array(data.length);
  const f = levels / (inputMax + 1);
  for (let i = 0; i < data.length; i++) out[i] = Math.min(levels - 1, Math.floor(data[i] * f));
  return out;
}

/**
 * Grey-level co-occurrence matrix for one offset over already-quantised levels (values < levels), `levels²`
 * row-major P[i·levels + j] = count of (pixel=i, pixel at +offset=j). Same as scikit-image graycomatrix.
 */
export function glcm(
  q: ArrayLike<number>,
  width: number,
  height: number,
  levels: number,
  offset: readonly [number, number],
  opts: { symmetric?: boolean; normed?: boolean } = {},
): Float64Array {
  const [dx, dy] = offset;
  const P = new Float64Array(levels * levels);
  const x0 = Math.max(0, -dx);
  const x1 = Math.min(width, width - dx);
  const y0 = Math.max(0, -dy);
  const y1 = Math.min(height, height - dy);
  for (let y = y0; y < y1; y++) {
    const row = y * width;
    const row2 = (y + dy) * width + dx;
    for (let x = x0; x < x1; x++) P[q[row + x] * levels + q[row2 + x]]++;
  }
  if (opts.symmetric) {
    for (let i = 0; i < levels; i++)
      for (let j = i + 1; j < levels; j++) {
        const s = P[i * levels + j] + P[j * levels + i];
        P[i * levels + j] = s;
        P[j * levels + i] = s;
      }
    for (let i = 0; i < levels; i++) P[i * levels + i] *= 2;
  }
  if (opts.normed) {
    let sum = 0;
    for (let k = 0; k < P.length; k++) sum += P[k];
    if (sum > 0) for (let k = 0; k < P.length; k++) P[k] /= sum;
  }
  return P;
}

/** Haralick contrast Σ P(i,j)(i−j)² of a (normalised) GLCM. */
export function glcmContrastOf(P: Float64Array, levels: number): number {
  let c = 0;
  for (let i = 0; i < levels; i++)
    for (let j = 0; j < levels; j++) {
      const d = i - j;
      c += P[i * levels + j] * d * d;
    }
  return c;
}

/** GLCM contrast of an 8-bit image, averaged over the offsets of `settings`. */
export function glcmContrast(data: Pixels, width: number, height: number, settings: GlcmSettings = DEFAULT_GLCM): number {
  const q = quantise(data, settings.levels);
  let sum = 0;
  for (const off of settings.offsets) {
    const P = glcm(q, width, height, settings.levels, off, { symmetric: settings.symmetric, normed: settings.normed });
    sum += glcmContrastOf(P, settings.levels);
  }
  return sum / settings.offsets.length;
}

export function qualityFigures(data: Uint8Array, width: number, height: number, glcmSettings: GlcmSettings = DEFAULT_GLCM): QualityFigures {
  return {
    rmsContrast: rmsContrast(data),
    glcmContrast: glcmContrast(data, width, height, glcmSettings),
    entropyBits: shannonEntropy(data),
    mean: meanIntensity(data),
  };
}

export function qualityFlags(f: QualityFigures, t: QualityThresholds = DEFAULT_QUALITY_THRESHOLDS): QualityFlag[] {
  const flags: QualityFlag[] = [];
  if (f.rmsContrast < t.minRmsContrast) flags.push('low-rms-contrast');
  if (f.glcmContrast < t.minGlcmContrast) flags.push('low-glcm-contrast');
  if (f.entropyBits < t.minEntropyBits) flags.push('low-entropy');
  return flags;
}

export function assessQuality(
  data: Uint8Array,
  width: number,
  height: number,
  opts: { glcm?: GlcmSettings; thresholds?: QualityThresholds } = {},
): QualityReport {
  const figures = qualityFigures(data, width, height, opts.glcm);
  const flags = qualityFlags(figures, opts.thresholds);
  return { figures, flags, lowEtchContrast: flags.length > 0 };
}
