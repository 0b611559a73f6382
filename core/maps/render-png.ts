import sharp from 'sharp';
import { contours as d3contours } from 'd3-contour';
import { colormapLut, divergingLut, type ColormapName } from './colormaps.js';
import { decimalsFor, niceRange, niceStep, niceTicks } from './nice-ticks.js';
import { sampleGrid } from './section-grid.js';
import { MASK, type FieldGrid } from './types.js';
import { textOutline, textWidth, type OutlineWeight, type TextAnchor } from './text-outline.js';
import { mapWords, type DecimalMark, type MapLanguage, type MapWords } from './map-words.js';
import { fixed, phrase, type Phrase } from '../api/phrase.js';
import type { C0Source } from './indices.js';

/** The words that say where a picture's C0 comes from (legend and subtitle). */
export function c0SourcePhrase(source: C0Source | undefined): Phrase {
  return source === 'bulk' ? phrase('mapPng.c0Source.bulk') : source === 'measured-area-mean' ? phrase('mapPng.c0Source.measuredAreaMean') : source === 'lattice-mean' ? phrase('mapPng.c0Source.latticeMean') : phrase('mapPng.c0Source.sectionMean');
}

// Length (~445 lines): one picture — the map raster, contours, rim, points, legend and its notes are laid out
// against one shared geometry (scale, margins, measured text widths); the colormaps, contours, grid, the text's
// outlines (text-outline.ts) and its words (map-words.ts) live elsewhere.

/**
 * Renders a map layer to PNG without a browser: the colour field, masked cells, the legend bar and an
 * optional etched-image underlay are composed as one RGBA raster here; contour lines, points, labels,
 * the scale bar and every piece of text are drawn as an SVG composited on top by sharp (librsvg). The text is
 * glyph outlines from the shipped fonts (text-outline.ts), never <text>: the picture is the same on every PC,
 * whatever fonts it has, and Chinese prints.
 */
export type MapQuantity = 'carbon' | 'difference' | 'uncertainty';

export interface MapMarker {
  label: string;
  xMm: number;
  yMm: number;
  /** Printed under the label (e.g. "0.412" or "+3.1 %"). */
  text?: string;
  /** Fills the marker with the colour of this value on the layer's scale. */
  value?: number;
}

export interface RenderOptions {
  quantity: MapQuantity;
  /** Total image width in px (default 1000); the height follows from the layout. */
  widthPx?: number;
  colormap?: ColormapName;
  /**
   * Colour-scale limits in wt.%; default: the layer's range widened to round numbers. The difference
   * layer's scale is always made symmetric about 0 (±max|limit|) so 0 sits at the diverging map's midpoint.
   */
  range?: [number, number];
  /** C0 for the C/C0 axis (carbon and difference layers). */
  c0WtPct?: number;
  c0Source?: C0Source;
  /** Contour levels in wt.% (default: none). */
  levels?: number[];
  markers?: MapMarker[];
  /** Etched section image shown under the field; `circle` is the section rim in the image's pixels. */
  background?: { image: Buffer | string; circle: { cx: number; cy: number; r: number } } | null;
  /** Opacity of the colour field, 0…1 (default 1, or 0.65 over a background image). */
  opacity?: number;
  title?: string;
  subtitle?: string;
  /** The legend's words (default English); the caller words the title and subtitle with `mapWords` of the same language. */
  language?: MapLanguage;
  /** Decimal mark of the legend's numbers (default: the language's, a comma in Italian). */
  decimalMark?: DecimalMark;
}

/** A piece of text as drawn: its baseline-left corner, advance width and size in px (what a test checks fits). */
export interface DrawnText {
  role: 'title' | 'subtitle' | 'legend' | 'marker' | 'scale';
  text: string;
  x: number;
  y: number;
  width: number;
  size: number;
}

export interface RenderedMap {
  png: Buffer;
  width: number;
  height: number;
  /** Pixel box of the square [−R, R]² (x right, y down), for mapping a cursor to mm. */
  mapBox: { x: number; y: number; size: number };
  /** Pixel box of the colour bar (top = high end of the scale). */
  legendBox: { x: number; y: number; w: number; h: number };
  range: [number, number];
  levels: number[];
  /** Every text drawn, where it lies. */
  texts: DrawnText[];
}

const MASKED_A = [214, 214, 214];
const MASKED_B = [236, 236, 236];

export function defaultLevels(range: [number, number], c0?: number, quantity: MapQuantity = 'carbon'): number[] {
  if (quantity === 'carbon' && c0 && c0 > 0) {
    // levels at round C/C0 values (every 0.05 or finer) inside the range
    const rs = niceTicks(range[0] / c0, range[1] / c0, 5);
    return rs.map((r) => Number((r * c0).toPrecision(8))).filter((v) => v > range[0] && v < range[1]);
  }
  return niceTicks(range[0], range[1], 5).filter((v) => v > range[0] && v < range[1]);
}

/**
 * The colour scale a layer gets when none is given: its values (and marker values) widened to round
 * numbers; symmetric about 0 for differences, from 0 for uncertainties.
 */
export function autoRange(grid: FieldGrid, quantity: MapQuantity, markers: readonly MapMarker[] = []): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  const take = (v: number) => {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  };
  for (let k = 0; k < grid.values.length; k++) if (grid.mask[k] === MASK.valid && Number.isFinite(grid.values[k])) take(grid.values[k]);
  for (const m of markers) if (m.value !== undefined && Number.isFinite(m.value)) take(m.value);
  if (!Number.isFinite(lo)) {
    lo = 0;
    hi = 1;
  }
  if (quantity === 'difference') {
    hi = Math.max(Math.abs(lo), Math.abs(hi)) || 0.01;
    lo = -hi;
  }
  if (quantity === 'uncertainty') lo = 0;
  return niceRange(lo, hi, 6);
}

/** A difference scale is ±max|limit| whatever was asked, so Δ = 0 is always the neutral midpoint. */
export function symmetricIfSigned(range: [number, number], quantity: MapQuantity): [number, number] {
  if (quantity !== 'difference') return range;
  const m = Math.max(Math.abs(range[0]), Math.abs(range[1]));
  return [-m, m];
}

export async function renderMapPng(grid: FieldGrid, opts: RenderOptions): Promise<RenderedMap> {
  const W = Math.round(opts.widthPx ?? 1000);
  if (!(W >= 300 && W <= 8000)) throw new RangeError(`map width must be 300…8000 px, got ${opts.widthPx}`);
  // a signed quantity gets a diverging map centred on 0; `colormap` (sequential) is for carbon and the interval half-width
  const lut = opts.quantity === 'difference' ? divergingLut() : colormapLut(opts.colormap ?? 'viridis');
  const R = grid.radiusMm;
  const fs = Math.max(10, Math.round(W * 0.016));
  const pad = Math.round(W * 0.02);
  const titleH = opts.title ? Math.round(fs * (opts.subtitle ? 3.4 : 2.2)) : pad;
  const S = Math.round(W * 0.7);
  const bottomH = Math.round(fs * 3.2);
  const H = titleH + S + bottomH;
  const mapX = pad;
  const mapY = titleH;

  const range = symmetricIfSigned(opts.range ?? autoRange(grid, opts.quantity, opts.markers), opts.quantity);
  if (!(range[1] > range[0])) throw new RangeError(`colour range must be increasing, got [${range[0]}, ${range[1]}]`);
  const [lo, hi] = range;
  const tOf = (v: number) => (v - lo) / (hi - lo);
  const levels = (opts.levels ?? []).filter((v) => Number.isFinite(v) && v > lo && v < hi);

  const rgba = Buffer.alloc(W * H * 4, 255);
  const bg = opts.background ? await loadBackground(opts.background, S) : null;
  const alpha = Math.max(0, Math.min(1, opts.opacity ?? (bg ? 0.65 : 1)));

  // colour field
  const mmPerPx = (2 * R) / S;
  for (let py = 0; py < S; py++) {
    const y = (py + 0.5) * mmPerPx - R;
    for (let px = 0; px < S; px++) {
      const x = (px + 0.5) * mmPerPx - R;
      if (x * x + y * y > R * R) continue;
      const o = ((mapY + py) * W + mapX + px) * 4;
      let base: number[] = [255, 255, 255];
      if (bg) {
        const g = bg.at(px, py);
        base = [g, g, g];
      }
      const v = sampleGrid(grid, x, y, 'values', true);
      let c: number[];
      let a = alpha;
      if (Number.isFinite(v)) {
        const li = Math.max(0, Math.min(255, Math.round(tOf(v) * 255))) * 3;
        c = [lut[li], lut[li + 1], lut[li + 2]];
      } else {
        // masked: diagonal hatch, so "no value" is never mistaken for a colour of the scale
        c = ((px + py) >> 3) & 1 ? MASKED_A : MASKED_B;
        a = bg ? 0.45 : 1;
      }
      rgba[o] = Math.round(a * c[0] + (1 - a) * base[0]);
      rgba[o + 1] = Math.round(a * c[1] + (1 - a) * base[1]);
      rgba[o + 2] = Math.round(a * c[2] + (1 - a) * base[2]);
    }
  }

  // legend bar (raster, so its colours are exactly the LUT's)
  const barW = Math.max(12, Math.round(W * 0.03));
  const barH = Math.round(S * 0.78);
  const barX = mapX + S + Math.round(W * 0.1);
  const barY = mapY + Math.round(S * 0.1);
  for (let yy = 0; yy < barH; yy++) {
    const t = 1 - yy / (barH - 1);
    const li = Math.round(t * 255) * 3;
    for (let xx = 0; xx < barW; xx++) {
      const o = ((barY + yy) * W + barX + xx) * 4;
      rgba[o] = lut[li];
      rgba[o + 1] = lut[li + 1];
      rgba[o + 2] = lut[li + 2];
    }
  }

  const words = mapWords(opts.language ?? 'en', opts.decimalMark);
  const { svg, texts } = overlaySvg({ grid, opts, words, W, H, S, mapX, mapY, fs, pad, titleH, range, levels, barX, barY, barW, barH, lut, tOf });
  // Composite, then flatten to opaque RGB: the map has no transparency, and an RGB PNG embeds into the
  // PDF as-is (an alpha channel would make pdfkit split and re-compress it, seconds per map).
  const composed = await sharp(rgba, { raw: { width: W, height: H, channels: 4 } })
    .composite([{ input: Buffer.from(svg), top: 0, left: 0 }])
    .raw()
    .toBuffer();
  const png = await sharp(composed, { raw: { width: W, height: H, channels: 4 } })
    .removeAlpha()
    .png({ compressionLevel: 6 })
    .toBuffer();
  return { png, width: W, height: H, mapBox: { x: mapX, y: mapY, size: S }, legendBox: { x: barX, y: barY, w: barW, h: barH }, range, levels, texts };
}

async function loadBackground(b: NonNullable<RenderOptions['background']>, S: number): Promise<{ at(px: number, py: number): number }> {
  const { cx, cy, r } = b.circle;
  if (!(r > 0)) throw new RangeError('background image circle radius must be positive');
  const scale = S / (2 * r);
  const meta = await sharp(b.image, { limitInputPixels: false }).metadata();
  if (!meta.width || !meta.height) throw new RangeError('background image has no size');
  const w = Math.max(1, Math.round(meta.width * scale));
  const { data, info } = await sharp(b.image, { limitInputPixels: false }).greyscale().resize(w).raw().toBuffer({ resolveWithObject: true });
  const ox = cx * (info.width / meta.width) - S / 2;
  const oy = cy * (info.height / meta.height) - S / 2;
  return {
    at(px, py) {
      const ix = Math.round(ox + px);
      const iy = Math.round(oy + py);
      if (ix < 0 || iy < 0 || ix >= info.width || iy >= info.height) return 255;
      return data[(iy * info.width + ix) * info.channels];
    },
  };
}

interface SvgArgs {
  grid: FieldGrid;
  opts: RenderOptions;
  words: MapWords;
  W: number;
  H: number;
  S: number;
  mapX: number;
  mapY: number;
  fs: number;
  pad: number;
  titleH: number;
  range: [number, number];
  levels: number[];
  barX: number;
  barY: number;
  barW: number;
  barH: number;
  lut: Uint8Array;
  tOf: (v: number) => number;
}

function overlaySvg(a: SvgArgs): { svg: string; texts: DrawnText[] } {
  const { grid, opts, words, W, H, S, mapX, mapY, fs, pad, range, levels, barX, barY, barW, barH, lut, tOf } = a;
  const R = grid.radiusMm;
  const pxOf = (xMm: number) => mapX + ((xMm + R) / (2 * R)) * S;
  const pyOf = (yMm: number) => mapY + ((yMm + R) / (2 * R)) * S;
  const cx = mapX + S / 2;
  const cy = mapY + S / 2;
  const parts: string[] = [];
  const texts: DrawnText[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}">`);
  parts.push(`<defs><clipPath id="sec"><circle cx="${cx}" cy="${cy}" r="${S / 2}"/></clipPath></defs>`);

  /** Text as filled outlines (black on a white halo for labels over the map); recorded where it lies. */
  const text = (role: DrawnText['role'], s: string, x: number, y: number, o: { size?: number; weight?: OutlineWeight; anchor?: TextAnchor; fill?: string; halo?: boolean } = {}) => {
    const size = o.size ?? fs;
    const out = textOutline(s, { x, y, size, weight: o.weight, anchor: o.anchor });
    texts.push({ role, text: s, x: out.x, y, width: out.width, size });
    if (!out.d) return;
    const halo = o.halo ? ` stroke="#fff" stroke-width="${(2.2 / out.scale).toFixed(1)}" stroke-linejoin="round" paint-order="stroke"` : '';
    parts.push(`<path transform="${out.transform}" d="${out.d}" fill="${o.fill ?? '#000'}"${halo}/>`);
  };
  // Sizes that fit: the fonts' own advance widths (any language), set smaller only where the text would run past
  // an edge (kept `edge` px off it: antialiased ink spills a pixel past the advance). `em(text)`: its width at 1 px.
  const edge = 4;
  const em = (s: string, weight: OutlineWeight = 'regular') => Math.max(1e-6, textWidth(s, 1, weight));
  const fitAt = (x: number, s: string, size: number, weight: OutlineWeight = 'regular') => Math.min(size, (W - edge - x) / em(s, weight));
  const fitEnd = (x: number, s: string, size: number, left: number, weight: OutlineWeight = 'regular') => Math.min(size, (x - left) / em(s, weight));
  const fitCentred = (x: number, s: string, size: number, weight: OutlineWeight = 'regular') => Math.min(size, (2 * Math.min(W - edge - x, x - edge)) / em(s, weight));

  if (opts.title) text('title', opts.title, pad, Math.round(fs * 1.5), { size: fitAt(pad, opts.title, fs * 1.25, 'bold'), weight: 'bold' });
  if (opts.subtitle) text('subtitle', opts.subtitle, pad, Math.round(fs * 2.9), { size: fitAt(pad, opts.subtitle, fs), fill: '#333' });

  // contour lines (marching squares on the cell lattice; invalid cells extended from their neighbours so
  // lines do not trace the mask's staircase, then clipped to the section)
  if (levels.length) {
    const filled = extendValues(grid);
    const gen = d3contours().size([grid.nx, grid.ny]).thresholds(levels);
    const sx = (u: number) => pxOf(grid.x0Mm + (u - 0.5) * grid.stepMm);
    const sy = (v: number) => pyOf(grid.y0Mm + (v - 0.5) * grid.stepMm);
    const paths: string[] = [];
    for (const mp of gen(Array.from(filled))) {
      let d = '';
      for (const poly of mp.coordinates) for (const ring of poly) {
        d += ring.map(([u, v], i) => `${i ? 'L' : 'M'}${sx(u).toFixed(1)},${sy(v).toFixed(1)}`).join('') + 'Z';
      }
      if (d) paths.push(`<path d="${d}" fill="none" stroke="#111" stroke-width="${Math.max(1, W / 900).toFixed(2)}" stroke-opacity="0.8"/>`);
    }
    // lines never run across masked cells inside the section: those were not measured/predicted
    const holes: string[] = [];
    for (let k = 0; k < grid.mask.length; k++) {
      if (grid.mask[k] === MASK.valid || grid.mask[k] === MASK.outside) continue;
      const i = k % grid.nx;
      const j = (k - i) / grid.nx;
      const x = pxOf(grid.x0Mm + (i - 0.5) * grid.stepMm);
      const y = pyOf(grid.y0Mm + (j - 0.5) * grid.stepMm);
      const w = (grid.stepMm / (2 * R)) * S;
      holes.push(`<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${w.toFixed(1)}" height="${w.toFixed(1)}" fill="#000"/>`);
    }
    if (holes.length) parts.push(`<mask id="holes"><rect x="0" y="0" width="${W}" height="${H}" fill="#fff"/>${holes.join('')}</mask>`);
    parts.push(`<g clip-path="url(#sec)"${holes.length ? ' mask="url(#holes)"' : ''}>${paths.join('')}</g>`);
  }

  // rim
  parts.push(`<circle cx="${cx}" cy="${cy}" r="${S / 2}" fill="none" stroke="#222" stroke-width="${Math.max(1.5, W / 600).toFixed(2)}"/>`);

  // markers
  const mr = Math.max(3, W / 300);
  const small = Math.max(8, Math.round(fs * 0.72));
  for (const m of opts.markers ?? []) {
    const x = pxOf(m.xMm);
    const y = pyOf(m.yMm);
    let fill = '#fff';
    if (m.value !== undefined && Number.isFinite(m.value)) {
      const li = Math.max(0, Math.min(255, Math.round(tOf(m.value) * 255))) * 3;
      fill = `rgb(${lut[li]},${lut[li + 1]},${lut[li + 2]})`;
    }
    parts.push(`<circle cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="${mr.toFixed(1)}" fill="${fill}" stroke="#000" stroke-width="1"/>`);
    text('marker', m.label, x, y - mr - 2, { size: small, anchor: 'middle', halo: true });
    if (m.text) text('marker', m.text, x, y + mr + small * 0.95, { size: small, anchor: 'middle', halo: true });
  }

  // legend. The text sizes follow the image width only down to a floor, so on a narrow image (or in a language
  // with longer words) a label that would run past an edge is set smaller to fit: nothing of the legend is cut.
  const q = opts.quantity;
  const dec = decimalsFor(niceStep(range[0], range[1], 6));
  const yOf = (v: number) => barY + (1 - tOf(v)) * (barH - 1);
  parts.push(`<rect x="${barX}" y="${barY}" width="${barW}" height="${barH}" fill="none" stroke="#000" stroke-width="1"/>`);
  // the signed scale says what it is the difference of, on its own line above the bar (too long for the
  // left column, which would run into the map)
  if (q === 'difference') {
    const head = words.say(phrase('mapPng.legend.difference'));
    text('legend', head, barX + barW / 2, barY - fs * 2.1, { size: fitCentred(barX + barW / 2, head, fs, 'bold'), weight: 'bold', anchor: 'middle' });
  } else {
    // ends left of the bar, above the section's rim (which at this height reaches 0.8 of the map box across)
    const head = words.say(q === 'carbon' ? phrase('mapPng.legend.carbon') : phrase('mapPng.legend.uncertainty'));
    text('legend', head, barX - 6, barY - fs * 0.8, { size: fitEnd(barX - 6, head, fs, mapX + 0.82 * S, 'bold'), weight: 'bold', anchor: 'end' });
  }
  for (const t of niceTicks(range[0], range[1], 6)) {
    const y = yOf(t);
    parts.push(`<line x1="${barX - 4}" y1="${y.toFixed(1)}" x2="${barX}" y2="${y.toFixed(1)}" stroke="#000"/>`);
    text('legend', (q === 'difference' && t > 0 ? '+' : '') + words.num(t, dec), barX - 6, y + fs * 0.35, { anchor: 'end' });
  }
  const c0 = opts.c0WtPct;
  if (c0 && c0 > 0 && q !== 'uncertainty') {
    const rlo = range[0] / c0;
    const rhi = range[1] / c0;
    const rHead = q === 'carbon' ? 'C/C0' : 'Δ/C0, %';
    text('legend', rHead, barX + barW + 6, barY - fs * 0.8, { size: fitAt(barX + barW + 6, rHead, fs, 'bold'), weight: 'bold' });
    const rTicks = q === 'carbon' ? niceTicks(rlo, rhi, 6) : niceTicks(rlo * 100, rhi * 100, 6).map((p) => p / 100);
    const rdec = q === 'carbon' ? decimalsFor(niceStep(rlo, rhi, 6)) : decimalsFor(niceStep(rlo * 100, rhi * 100, 6));
    for (const r of rTicks) {
      const y = yOf(r * c0);
      parts.push(`<line x1="${barX + barW}" y1="${y.toFixed(1)}" x2="${barX + barW + 4}" y2="${y.toFixed(1)}" stroke="#000"/>`);
      const txt = q === 'carbon' ? words.num(r, rdec) : `${r > 0 ? '+' : ''}${words.num(r * 100, rdec)}`;
      text('legend', txt, barX + barW + 6, y + fs * 0.35, { size: fitAt(barX + barW + 6, txt, fs) });
    }
    const src = words.say(c0SourcePhrase(opts.c0Source));
    // two lines: on one, "(section mean)" ran past the image's right edge and was cut
    const c0Text = words.say(phrase('mapPng.c0', { value: fixed(c0, 3) }));
    text('legend', c0Text, barX - 6, barY + barH + fs * 1.6, { size: fitAt(barX - 6, c0Text, small) });
    text('legend', src, barX - 6, barY + barH + fs * 2.6, { size: fitAt(barX - 6, src, small) });
  }
  for (const l of levels) {
    const y = yOf(l);
    parts.push(`<line x1="${barX}" y1="${y.toFixed(1)}" x2="${barX + barW}" y2="${y.toFixed(1)}" stroke="#111" stroke-width="1.5"/>`);
  }
  if (levels.length) {
    const lines = words.say(phrase('mapPng.legend.contourLines'));
    text('legend', lines, barX - 6, barY + barH + fs * 3.7, { size: fitAt(barX - 6, lines, small) });
  }
  // masked swatch
  const swY = barY + barH + fs * 4.4;
  parts.push(`<rect x="${barX}" y="${swY.toFixed(1)}" width="${barW}" height="${fs}" fill="rgb(${MASKED_A.join(',')})" stroke="#000"/>`);
  const masked = words.say(phrase('mapPng.legend.masked'));
  text('legend', masked, barX + barW + 6, swY + fs * 0.85, { size: fitAt(barX + barW + 6, masked, small) });

  // scale bar
  const lenMm = niceScaleLength(2 * R * 0.3);
  const lenPx = (lenMm / (2 * R)) * S;
  const sbY = mapY + S + fs * 1.4;
  const sbX = mapX;
  parts.push(`<rect x="${sbX}" y="${sbY.toFixed(1)}" width="${(lenPx / 2).toFixed(1)}" height="${Math.round(fs * 0.5)}" fill="#000"/>`);
  parts.push(`<rect x="${(sbX + lenPx / 2).toFixed(1)}" y="${sbY.toFixed(1)}" width="${(lenPx / 2).toFixed(1)}" height="${Math.round(fs * 0.5)}" fill="#fff" stroke="#000"/>`);
  text('scale', `${words.num(lenMm)} mm`, sbX + lenPx + 8, sbY + fs * 0.5);
  text('scale', `Ø ${words.num(2 * R, 0)} mm · x → , y ↓`, mapX + S, sbY + fs * 0.5, { size: small, anchor: 'end', fill: '#333' });
  parts.push('</svg>');
  return { svg: parts.join(''), texts };
}

function niceScaleLength(target: number): number {
  const p = 10 ** Math.floor(Math.log10(target));
  const m = target / p;
  return (m >= 5 ? 5 : m >= 2 ? 2 : 1) * p;
}

/** Values with every invalid cell replaced by the mean of its valid neighbours, grown outwards. */
export function extendValues(g: FieldGrid): Float64Array {
  const v = Float64Array.from(g.values, (x, k) => (g.mask[k] === MASK.valid ? x : Number.NaN));
  for (let pass = 0; pass < 4; pass++) {
    const next = v.slice();
    let changed = false;
    for (let j = 0; j < g.ny; j++) {
      for (let i = 0; i < g.nx; i++) {
        const k = j * g.nx + i;
        if (Number.isFinite(v[k])) continue;
        let s = 0;
        let n = 0;
        for (let dj = -1; dj <= 1; dj++) for (let di = -1; di <= 1; di++) {
          const ii = i + di;
          const jj = j + dj;
          if (ii < 0 || jj < 0 || ii >= g.nx || jj >= g.ny) continue;
          const w = v[jj * g.nx + ii];
          if (Number.isFinite(w)) {
            s += w;
            n++;
          }
        }
        if (n) {
          next[k] = s / n;
          changed = true;
        }
      }
    }
    v.set(next);
    if (!changed) break;
  }
  return v;
}
