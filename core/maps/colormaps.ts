import { interpolateCividis, interpolateRdBu, interpolateViridis } from 'd3-scale-chromatic';

/**
 * Perceptually uniform colormaps as 256-entry RGB lookup tables, taken from d3-scale-chromatic (the one
 * colour source of the app; the renderer draws from the same library):
 * - viridis: matplotlib's `viridis` (van der Walt & Smith; CC0), d3's 256-colour ramp;
 * - cividis: Nuñez, Anderton & Renslow (2018), colour-vision-deficiency friendly; d3's polynomial fit.
 *
 * Both are monotonic in lightness, so a printed map read in greyscale still orders low → high carbon.
 *
 * Signed quantities (the difference layer, predicted − measured) use a diverging map instead: ColorBrewer
 * RdBu reversed, so 0 is the neutral midpoint, positive (model reads high) red and negative blue.
 */

export type ColormapName = 'viridis' | 'cividis';
export const COLORMAPS: readonly ColormapName[] = ['viridis', 'cividis'];

/** d3 answers `#rrggbb` (ramps) or `rgb(r, g, b)` (fits). */
function parseColour(css: string): [number, number, number] {
  const hex = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(css);
  if (hex) return [parseInt(hex[1], 16), parseInt(hex[2], 16), parseInt(hex[3], 16)];
  const fn = /^rgb\((\d+), (\d+), (\d+)\)$/.exec(css);
  if (fn) return [Number(fn[1]), Number(fn[2]), Number(fn[3])];
  throw new Error(`unexpected colour from d3-scale-chromatic: ${css}`);
}

/** Entry i is the colour at t = i/255: for viridis exactly the i-th colour of d3's 256-colour ramp. */
function lutOf(interpolate: (t: number) => string): Uint8Array {
  const lut = new Uint8Array(256 * 3);
  for (let i = 0; i < 256; i++) lut.set(parseColour(interpolate(i / 255)), i * 3);
  return lut;
}

const LUTS: Record<ColormapName, Uint8Array> = { viridis: lutOf(interpolateViridis), cividis: lutOf(interpolateCividis) };

/**
 * Diverging table for a signed quantity: entry i is RdBu at 1 − i/255 (reversed: index 0 = blue = most
 * negative, 255 = red = most positive). Mirror entries i and 255 − i are equally far from 0, so a scale
 * symmetric about 0 puts Δ = 0 between entries 127 and 128 (both near-white).
 */
const DIVERGING_LUT: Uint8Array = lutOf((t) => interpolateRdBu(1 - t));
export const DIVERGING_NAME = 'RdBu (reversed: red = positive)';
export function divergingLut(): Uint8Array {
  return DIVERGING_LUT;
}

/** The 256×3 RGB table of a colormap (index 0 = low end). */
export function colormapLut(name: ColormapName): Uint8Array {
  const lut = LUTS[name];
  if (!lut) throw new RangeError(`unknown colormap '${String(name)}' (use ${COLORMAPS.join(' or ')})`);
  return lut;
}

/** RGB of t ∈ [0,1] (clamped), nearest LUT entry. */
export function colorAt(name: ColormapName, t: number): [number, number, number] {
  const lut = colormapLut(name);
  const i = Math.max(0, Math.min(255, Math.round((Number.isFinite(t) ? t : 0) * 255)));
  return [lut[i * 3], lut[i * 3 + 1], lut[i * 3 + 2]];
}

export function rgbHex([r, g, b]: [number, number, number]): string {
  return `#${[r, g, b].map((v) => v.toString(16).padStart(2, '0')).join('')}`;
}
