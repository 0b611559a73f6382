import { DISTANCES_MM, type Chemistry, type Element } from './elements.js';
import { phrase, plain, type Phrase } from '../api/phrase.js';
import { english } from '../runtime/english.js';
import { DF_POLY, KRAMER_J_MM, KRAMER_KL } from './a255-tables.js';

/**
 * Reference hardenability model: the ASTM A255 (Grossmann) calculation of a Jominy curve from
 * chemistry (research notes §1.2–1.4). DI = product of multiplying factors (grain size 7);
 * IH = initial hardness from carbon; HRC(d) = IH / df_d(DI).
 *
 * The published metric dividing-factor polynomials misbehave outside their fit (df3 blows up above
 * DI ≈ 52 mm, several columns dip below 1 above ≈ 150 mm, notes §1.4), so df is made well-behaved:
 *  - each distance's polynomial is used only on the DI window where it decreases (found by scanning);
 *  - above the window the curve continues along the Kramer KL table (monotone, DI ≤ 152.4 mm),
 *    scaled to meet the polynomial at the window edge, so df stays continuous;
 *  - below DI 20 mm (the low end checked in the notes) df grows as a power law with the log-log slope
 *    of the polynomial between 20 and 25 mm;
 *  - finally df ≥ 1 and df non-decreasing with distance (cumulative max).
 * Boron is left out: no sourced A255 boron factor was found (notes §1.7). Ti, Nb, Al, Sn, P, S are
 * not in the multiplying-factor set either.
 */

/** A255 calculation range (A255-10): outside it the result is computed but marked not valid. */
export const A255_CALC_RANGE: Partial<Record<Element, [number, number]>> = {
  C: [0.1, 0.7], Si: [0.15, 0.6], Mn: [0.5, 1.65], Cr: [0, 1.35], Ni: [0, 1.5], Cu: [0, 0.35], Mo: [0, 0.55], V: [0, 0.2],
};
/** Range over which the multiplying factors are given at all: outside it no DI can be computed. */
export const A255_FACTOR_RANGE: Partial<Record<Element, [number, number]>> = {
  C: [0.01, 0.9], Si: [0, 2.0], Mn: [0, 1.95], Cr: [0, 2.5], Ni: [0, 3.5], Cu: [0, 0.55], Mo: [0, 0.55], V: [0, 0.2],
};
/** Elements the A255 calculation does not use. */
export const A255_IGNORED: readonly Element[] = ['P', 'S', 'B', 'Ti', 'Nb', 'Sn', 'Al'];

/** A chemistry outside A255's factors, worded once in the phrase catalog: `message` is its English words. */
export class A255RangeError extends Error {
  constructor(readonly phrase: Phrase, readonly element: Element) {
    super(english(phrase));
    this.name = 'A255RangeError';
  }
}

/** Multiplying factors at grain size 7 (DI in inches); notes §1.2 table. */
export function multiplyingFactors(c: Chemistry): Record<'C' | 'Mn' | 'Si' | 'Ni' | 'Cr' | 'Mo' | 'Cu' | 'V', number> {
  const C = c.C;
  let fC: number;
  if (C <= 0.39) fC = 0.54 * C;
  else if (C <= 0.55) fC = 0.171 + 0.001 * C + 0.265 * C * C;
  else if (C <= 0.65) fC = 0.115 + 0.268 * C - 0.038 * C * C;
  else if (C <= 0.75) fC = 0.143 + 0.2 * C;
  else fC = 0.062 + 0.409 * C - 0.135 * C * C;
  const Mn = c.Mn;
  const fMn = Mn <= 1.2 ? 3.3333 * Mn + 1 : 5.1 * Mn - 1.12;
  const Ni = c.Ni;
  const fNi = Ni <= 1.5 ? 0.363 * Ni + 1 : 0.3211 + 1.4501 * Ni - 0.6119 * Ni * Ni + 0.1253 * Ni ** 3;
  return { C: fC, Mn: fMn, Si: 0.7 * c.Si + 1, Ni: fNi, Cr: 2.16 * c.Cr + 1, Mo: 3 * c.Mo + 1, Cu: 0.365 * c.Cu + 1, V: 1.73 * c.V + 1 };
}

/** Ideal critical diameter in mm. */
export function idealDiameterMm(c: Chemistry): number {
  const f = multiplyingFactors(c);
  return 25.4 * f.C * f.Mn * f.Si * f.Ni * f.Cr * f.Mo * f.Cu * f.V;
}

/** Initial hardness (HRC at 1.5 mm, ≈ 100 % martensite) from carbon; notes §1.3 (mxteen polynomial). */
export function initialHardness(C: number): number {
  return 33.087 + 50.723 * C + 33.662 * C ** 2 - 2.7048 * C ** 3 - 107.02 * C ** 4 + 43.523 * C ** 5;
}

const poly = (a: readonly number[], x: number): number => {
  let acc = 0;
  for (let i = a.length - 1; i >= 0; i--) acc = acc * x + a[i];
  return acc;
};

const LOW_DI = 20;
const TOP_DI = 200;

/** Per-distance DI window where the polynomial is monotone decreasing and ≥ 1, and the low-end slope. */
const windows = new Map<number, { hi: number; p: number; dfLow: number }>();
for (const d of Object.keys(DF_POLY).map(Number)) {
  const a = DF_POLY[d];
  let hi = TOP_DI;
  for (let x = LOW_DI; x < TOP_DI; x += 0.5) {
    if (poly(a, x + 0.5) >= poly(a, x) || poly(a, x + 0.5) < 1) {
      hi = x;
      break;
    }
  }
  const dfLow = poly(a, LOW_DI);
  const p = Math.max(0, Math.log(dfLow / poly(a, 25)) / Math.log(25 / LOW_DI));
  windows.set(d, { hi, p, dfLow });
}

/** Kramer KL bilinear in DI (mm) and distance (mm); DI clamped to the table. */
export function kramerKL(diMm: number, dMm: number): number {
  const rows = KRAMER_KL;
  const di = Math.min(Math.max(diMm, rows[0][0]), rows[rows.length - 1][0]);
  let r = 0;
  while (r < rows.length - 2 && rows[r + 1][0] < di) r++;
  const j = Math.min(Math.max(dMm, KRAMER_J_MM[0]), KRAMER_J_MM[KRAMER_J_MM.length - 1]);
  let c = 0;
  while (c < KRAMER_J_MM.length - 2 && KRAMER_J_MM[c + 1] < j) c++;
  const tr = (di - rows[r][0]) / (rows[r + 1][0] - rows[r][0]);
  const tc = (j - KRAMER_J_MM[c]) / (KRAMER_J_MM[c + 1] - KRAMER_J_MM[c]);
  const at = (ri: number, ci: number): number => {
    // 0 marks "not given" (low DI, far distances); use the last given value of that row.
    let k = ci;
    while (k > 0 && rows[ri][k + 1] === 0) k--;
    return rows[ri][k + 1] || 1;
  };
  const top = at(r, c) * (1 - tc) + at(r, c + 1) * tc;
  const bot = at(r + 1, c) * (1 - tc) + at(r + 1, c + 1) * tc;
  return top * (1 - tr) + bot * tr;
}

/** Well-behaved dividing factor of one distance (before the across-distance monotonicity pass). */
function dividingFactorRaw(diMm: number, dMm: number): number {
  if (dMm <= 1.5) return 1;
  const w = windows.get(dMm);
  if (!w) throw new Error(`no dividing factor for ${dMm} mm`);
  const a = DF_POLY[dMm];
  let df: number;
  if (diMm < LOW_DI) df = w.dfLow * (LOW_DI / Math.max(diMm, 1)) ** w.p;
  else if (diMm <= w.hi) df = poly(a, diMm);
  else df = poly(a, w.hi) * (kramerKL(diMm, dMm) / kramerKL(w.hi, dMm));
  return Math.max(1, df);
}

/** Dividing factors at the 15 standard distances for one DI: ≥ 1, non-decreasing with distance. */
export function dividingFactors(diMm: number): number[] {
  const out: number[] = [];
  let prev = 1;
  for (const d of DISTANCES_MM) {
    prev = Math.max(prev, dividingFactorRaw(diMm, d));
    out.push(prev);
  }
  return out;
}

export interface A255Result {
  diMm: number;
  diIn: number;
  initialHardness: number;
  /** HRC at the 15 standard distances. */
  profile: number[];
  /** True when every element is inside the A255 calculation range. */
  valid: boolean;
  /** Why not valid, e.g. "Cr 1.80 above the A255 range (≤ 1.35)". */
  violations: string[];
  /** Elements present (> 0) that A255 does not account for. */
  ignored: Element[];
}

/**
 * The A255 Jominy curve. Throws A255RangeError when an element is outside the range where factors
 * exist at all; otherwise returns the curve with `valid` telling whether the calculation range holds.
 */
export function a255Profile(c: Chemistry, opts: { strict?: boolean } = {}): A255Result {
  for (const [el, [lo, hi]] of Object.entries(A255_FACTOR_RANGE) as [Element, [number, number]][]) {
    const v = c[el];
    if (!(v >= lo && v <= hi)) throw new A255RangeError(phrase('jominyErrors.a255Factors', { el, value: plain(v), lo: plain(lo), hi: plain(hi) }), el);
  }
  const violations: string[] = [];
  for (const [el, [lo, hi]] of Object.entries(A255_CALC_RANGE) as [Element, [number, number]][]) {
    const v = c[el];
    if (v < lo) violations.push(`${el} ${v} below the A255 range (≥ ${lo})`);
    else if (v > hi) violations.push(`${el} ${v} above the A255 range (≤ ${hi})`);
  }
  if (opts.strict && violations.length) throw new A255RangeError(phrase('jominyErrors.a255Range', { violations: violations.join('; ') }), 'C');
  const diMm = idealDiameterMm(c);
  const ih = initialHardness(c.C);
  const profile = dividingFactors(diMm).map((df) => ih / df);
  return { diMm, diIn: diMm / 25.4, initialHardness: ih, profile, valid: violations.length === 0, violations, ignored: A255_IGNORED.filter((el) => c[el] > 0) };
}
