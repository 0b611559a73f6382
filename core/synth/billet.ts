import { createForkingRng } from '../runtime/random.js';
import { buildCarbonField, drawFieldParams, type FieldParams, type FieldStats, type SyntheticVariant, SYNTHETIC_VARIANTS } from './field.js';
import { drawRenderParams, renderSection, type RenderParams } from './render.js';

export const SYNTH_GENERATOR = 'ferrolab-synth-billet/1';
export const DEFAULT_SYNTH_SIZE_PX = 3000;
export const DEFAULT_SYNTH_DIAMETER_MM = 600;

export interface SyntheticBilletOptions {
  seed: number;
  variant?: SyntheticVariant;
  /** Side of the square image in pixels (default 3000). */
  sizePx?: number;
  diameterMm?: number;
  /**
   * The pixel scale (mm/px) the structure's lower limits are taken at (default: this image's own). Give the same
   * value to render one billet at several sizes with the same physical structure.
   */
  structureMmPerPx?: number;
  /**
   * Samples per pixel side averaged into each pixel, as a camera pixel integrates the steel under it (default 1:
   * point-sampled, the original render). Scans of one billet at several resolutions alias alike only when > 1.
   */
  supersample?: number;
}

/** A generated etched section with its true carbon field. Always labelled synthetic. */
export interface SyntheticBillet {
  synthetic: true;
  generator: string;
  seed: number;
  variant: SyntheticVariant;
  width: number;
  height: number;
  /** 8-bit grey pixels, row-major. */
  data: Uint8Array;
  diameterMm: number;
  /** The true rim in pixels and the resulting scale (what calibration should recover). */
  circle: { cx: number; cy: number; r: number };
  mmPerPx: number;
  /** True carbon (wt.%) at billet-centred mm (x right, y down). */
  carbonAt(xMm: number, yMm: number): number;
  params: { field: FieldParams; render: RenderParams };
  stats: FieldStats;
}

/** The field streams of a billet's generator (fork 1: parameters, fork 2: noise), in one place. */
function trueField(rng: ReturnType<typeof createForkingRng>, variant: SyntheticVariant, diameterMm: number) {
  const fieldParams = drawFieldParams(rng.fork(1), variant, diameterMm);
  const field = buildCarbonField(fieldParams, rng.fork(2).int(2 ** 32), 1);
  return { fieldParams, field };
}

/**
 * The true carbon field of the synthetic billet with this seed and variant, without rendering its image:
 * what maps and model checks compare against.
 */
export function syntheticTrueField(opts: { seed: number; variant?: SyntheticVariant; diameterMm?: number }): (xMm: number, yMm: number) => number {
  const { field } = trueField(createForkingRng(opts.seed >>> 0), opts.variant ?? 'base', opts.diameterMm ?? DEFAULT_SYNTH_DIAMETER_MM);
  return field.carbonAt;
}

export function generateSyntheticBillet(opts: SyntheticBilletOptions): SyntheticBillet {
  const seed = opts.seed >>> 0;
  if (seed !== opts.seed) throw new Error(`seed must be an integer in 0..2^32−1, got ${opts.seed}`);
  const variant = opts.variant ?? 'base';
  if (!SYNTHETIC_VARIANTS.includes(variant)) throw new Error(`unknown variant "${variant}" (use ${SYNTHETIC_VARIANTS.join(', ')})`);
  const sizePx = opts.sizePx ?? DEFAULT_SYNTH_SIZE_PX;
  if (!Number.isInteger(sizePx) || sizePx < 200 || sizePx > 20000) throw new Error(`sizePx must be an integer in 200..20000, got ${sizePx}`);
  const diameterMm = opts.diameterMm ?? DEFAULT_SYNTH_DIAMETER_MM;
  const rng = createForkingRng(seed);
  // Separate streams per purpose: changing the image size never changes the carbon field.
  const { fieldParams, field } = trueField(rng, variant, diameterMm);
  const renderRng = rng.fork(3);
  const renderSeed = rng.fork(4).int(2 ** 32);
  if (opts.structureMmPerPx !== undefined && !(opts.structureMmPerPx > 0)) throw new Error(`structureMmPerPx must be positive, got ${opts.structureMmPerPx}`);
  const supersample = opts.supersample ?? 1;
  if (!Number.isInteger(supersample) || supersample < 1 || supersample > 8) throw new Error(`supersample must be an integer in 1..8, got ${opts.supersample}`);
  const rp = { ...drawRenderParams(renderRng, sizePx, diameterMm, opts.structureMmPerPx), ...(supersample > 1 ? { supersample } : {}) };
  const data = renderSection(field, rp, renderSeed);
  return {
    synthetic: true,
    generator: SYNTH_GENERATOR,
    seed,
    variant,
    width: sizePx,
    height: sizePx,
    data,
    diameterMm,
    circle: { cx: rp.cxPx - 0.5, cy: rp.cyPx - 0.5, r: rp.rPx },
    mmPerPx: rp.mmPerPx,
    carbonAt: field.carbonAt,
    params: { field: fieldParams, render: rp },
    stats: field.stats,
  };
}

export interface SyntheticReading {
  label: string;
  xMm: number;
  yMm: number;
  /** What the analyzer reports: spot average + analyzer noise, rounded to 0.001 wt.%. */
  carbonWtPct: number;
  /** The field's value at the point (no noise), for checking models. */
  trueCarbonWtPct: number;
}

export interface AnalyzerModel {
  /** Diameter of the sampled spot (drillings / spark), mm: the reading is the field's mean over it. */
  spotDiameterMm: number;
  /** Gaussian repeatability, wt.% (segregation.md §1.4: ±0.005 [design]). */
  noiseSdWtPct: number;
}

export const DEFAULT_ANALYZER: AnalyzerModel = { spotDiameterMm: 6, noiseSdWtPct: 0.005 };

/** Carbon-analyzer readings at the given points, with seeded analyzer noise. */
export function syntheticReadings(
  billet: Pick<SyntheticBillet, 'carbonAt'>,
  points: ReadonlyArray<{ label: string; xMm: number; yMm: number }>,
  seed: number,
  analyzer: AnalyzerModel = DEFAULT_ANALYZER,
): SyntheticReading[] {
  const rng = createForkingRng(seed >>> 0);
  const r = analyzer.spotDiameterMm / 2;
  // 1 centre + 2 rings (6 + 12): a fixed quadrature of the disc mean.
  const offsets: Array<[number, number]> = [[0, 0]];
  for (const [ring, n] of [[0.45, 6], [0.85, 12]] as const)
    for (let k = 0; k < n; k++) offsets.push([ring * r * Math.cos((2 * Math.PI * k) / n), ring * r * Math.sin((2 * Math.PI * k) / n)]);
  return points.map((p) => {
    let s = 0;
    for (const [dx, dy] of offsets) s += billet.carbonAt(p.xMm + dx, p.yMm + dy);
    const spot = s / offsets.length;
    const reading = Math.max(0, Math.round((spot + analyzer.noiseSdWtPct * rng.normal()) * 1000) / 1000);
    return { label: p.label, xMm: p.xMm, yMm: p.yMm, carbonWtPct: reading, trueCarbonWtPct: billet.carbonAt(p.xMm, p.yMm) };
  });
}
