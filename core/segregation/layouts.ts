import { phrase, plain, type Phrase } from '../api/phrase.js';
import { english } from '../runtime/english.js';
/**
 * Sampling-point layouts on a round billet section.
 *
 * Coordinate convention (shared with core/imaging and the renderer): millimetres relative to the billet
 * centre, **x to the right, y downwards** — the same orientation as image pixels, so
 * `px = cx + xMm / mmPerPx`, `py = cy + yMm / mmPerPx`.
 *
 * Label order (stable, documented): reading order — rows from top to bottom (ascending yMm), and within a
 * row from left to right (ascending xMm). Points whose yMm differ by less than 1e-6 of the section radius
 * count as one row. Labels are `P` + a 1-based index zero-padded to at least two digits (P01…P85; P001…
 * when a layout has 100 points or more).
 *
 * Layouts:
 * - `hex85` (default): all nodes a·e1 + b·e2 of a hexagonal lattice (e1 = (1,0), e2 = (½, √3/2)) with
 *   a² + ab + b² ≤ 21 — exactly 85 nodes, six-fold symmetric, outermost nodes at √21 lattice spacings —
 *   scaled so the outermost nodes sit `marginMm` inside the rim. `count` is ignored.
 * - `grid`: a centred square grid clipped to the usable disc (radius R − margin); the number of lines
 *   across is chosen so the clipped count is as close as possible to `count` (ties → more points).
 * - `rings`: the centre plus K concentric, equally spaced rings; exactly `count` points, distributed over
 *   the rings in proportion to their radius (largest remainder), each ring starting at angle 0 (+x).
 * - `diameters`: the centre plus two perpendicular diameters (horizontal and vertical), m points on each
 *   of the four arms, m = round((count − 1) / 4) ≥ 1, so the layout has 4m + 1 points.
 */

export type LayoutPattern = 'hex85' | 'grid' | 'rings' | 'diameters';

export const LAYOUT_PATTERNS: readonly LayoutPattern[] = ['hex85', 'grid', 'rings', 'diameters'];

export interface LayoutOptions {
  pattern?: LayoutPattern;
  /** Nominal section diameter in mm (the billet's: never assumed). */
  diameterMm: number;
  /** Distance kept free between the outermost points and the rim, mm (default 5 % of the diameter). */
  marginMm?: number;
  /** Desired number of points (ignored for hex85). */
  count?: number;
}

export interface LayoutPoint {
  label: string;
  xMm: number;
  yMm: number;
}

/** a² + ab + b² ≤ 21 on the hexagonal lattice gives exactly 85 nodes. */
export const HEX85_NORM_LIMIT = 21;
export const DEFAULT_COUNTS: Record<LayoutPattern, number> = { hex85: 85, grid: 85, rings: 85, diameters: 41 };
export const MAX_LAYOUT_POINTS = 2000;

export function defaultMarginMm(diameterMm: number): number {
  return diameterMm * 0.05;
}

/** An impossible layout: a RangeError (as callers expect) that carries its words as a code for the interface. */
function layoutRefusal(p: Phrase): RangeError & { phrase: Phrase } {
  return Object.assign(new RangeError(english(p)), { phrase: p });
}

export function layoutPoints(opts: LayoutOptions): LayoutPoint[] {
  const pattern = opts.pattern ?? 'hex85';
  const { diameterMm } = opts;
  if (!Number.isFinite(diameterMm) || diameterMm <= 0) throw layoutRefusal(phrase('errors.sections.layoutDiameter', { d: String(diameterMm) }));
  const marginMm = opts.marginMm ?? defaultMarginMm(diameterMm);
  if (!Number.isFinite(marginMm) || marginMm < 0) throw layoutRefusal(phrase('errors.sections.layoutMargin', { margin: String(marginMm) }));
  const r = diameterMm / 2 - marginMm;
  if (r <= 0) throw layoutRefusal(phrase('errors.sections.layoutNoRoom', { margin: plain(marginMm), d: plain(diameterMm) }));
  const count = opts.count ?? DEFAULT_COUNTS[pattern];
  if (pattern !== 'hex85' && (!Number.isInteger(count) || count < 1 || count > MAX_LAYOUT_POINTS)) {
    throw layoutRefusal(phrase('errors.sections.layoutCount', { max: MAX_LAYOUT_POINTS, count: String(count) }));
  }
  let pts: Array<[number, number]>;
  switch (pattern) {
    case 'hex85': pts = hexLattice(HEX85_NORM_LIMIT, r); break;
    case 'grid': pts = squareGrid(count, r); break;
    case 'rings': pts = rings(count, r); break;
    case 'diameters': pts = diameters(count, r); break;
    default: throw layoutRefusal(phrase('errors.sections.layoutPattern', { pattern: String(pattern) }));
  }
  return labelInReadingOrder(pts, r);
}

/** Label for a 1-based index in a layout of `total` points. */
export function pointLabel(index: number, total: number): string {
  const width = Math.max(2, String(total).length);
  return `P${String(index).padStart(width, '0')}`;
}

function hexLattice(normLimit: number, r: number): Array<[number, number]> {
  const maxNorm = Math.sqrt(normLimit);
  const s = r / maxNorm;
  const n = Math.ceil(maxNorm) + 1;
  const out: Array<[number, number]> = [];
  for (let a = -2 * n; a <= 2 * n; a++) {
    for (let b = -2 * n; b <= 2 * n; b++) {
      if (a * a + a * b + b * b > normLimit) continue;
      out.push([clean((a + b / 2) * s), clean(((b * Math.sqrt(3)) / 2) * s)]);
    }
  }
  return out;
}

function squareGridNodes(lines: number, r: number): Array<[number, number]> {
  if (lines === 1) return [[0, 0]];
  const s = (2 * r) / (lines - 1);
  const out: Array<[number, number]> = [];
  const tol = r * 1e-9;
  for (let i = 0; i < lines; i++) {
    for (let j = 0; j < lines; j++) {
      const x = clean(-r + i * s);
      const y = clean(-r + j * s);
      if (x * x + y * y <= (r + tol) * (r + tol)) out.push([x, y]);
    }
  }
  return out;
}

function squareGrid(count: number, r: number): Array<[number, number]> {
  let best = squareGridNodes(1, r);
  for (let lines = 2; lines <= 2 * Math.ceil(Math.sqrt(count)) + 4; lines++) {
    const nodes = squareGridNodes(lines, r);
    const d = Math.abs(nodes.length - count), bd = Math.abs(best.length - count);
    if (d < bd || (d === bd && nodes.length > best.length)) best = nodes;
  }
  return best;
}

function rings(count: number, r: number): Array<[number, number]> {
  const out: Array<[number, number]> = [[0, 0]];
  const rest = count - 1;
  if (rest === 0) return out;
  // K rings with 6k points each would hold 3K(K+1); pick K so the density is close to that.
  const k = Math.max(1, Math.min(rest, Math.round((-3 + Math.sqrt(9 + 12 * rest)) / 6)));
  const weights = Array.from({ length: k }, (_, i) => i + 1);
  const wsum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (rest * w) / wsum);
  const n = exact.map(Math.floor);
  let left = rest - n.reduce((a, b) => a + b, 0);
  const order = exact.map((e, i) => ({ i, frac: e - Math.floor(e) })).sort((p, q) => q.frac - p.frac || q.i - p.i);
  for (const { i } of order) { if (left-- <= 0) break; n[i]++; }
  for (let ring = 0; ring < k; ring++) {
    const radius = (r * (ring + 1)) / k;
    for (let j = 0; j < n[ring]; j++) {
      const t = (2 * Math.PI * j) / n[ring];
      out.push([clean(radius * Math.cos(t)), clean(radius * Math.sin(t))]);
    }
  }
  return out;
}

function diameters(count: number, r: number): Array<[number, number]> {
  const m = Math.max(1, Math.round((count - 1) / 4));
  const out: Array<[number, number]> = [[0, 0]];
  for (let j = 1; j <= m; j++) {
    const d = clean((r * j) / m);
    out.push([d, 0], [-d, 0], [0, d], [0, -d]);
  }
  return out;
}

function labelInReadingOrder(pts: Array<[number, number]>, r: number): LayoutPoint[] {
  const tol = r * 1e-6;
  const sorted = [...pts].sort((p, q) => (Math.abs(p[1] - q[1]) > tol ? p[1] - q[1] : p[0] - q[0]));
  return sorted.map(([x, y], i) => ({ label: pointLabel(i + 1, sorted.length), xMm: x, yMm: y }));
}

/** Round away floating-point dust (1e-9 mm) so symmetric points compare exactly and -0 becomes 0. */
function clean(v: number): number {
  const q = Math.round(v * 1e9) / 1e9;
  return q === 0 ? 0 : q;
}
