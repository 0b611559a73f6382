import { ELEMENTS, isElement, type Element } from './elements.js';
import { SIXTEENTH_MM, type DistanceUnit } from './dataset.js';
import { phrase, plain, type Phrase } from '../api/phrase.js';

/**
 * What each column of a Jominy CSV header is. Hardness columns name a distance and, optionally, a flat and a
 * scale:
 *   J1.5, J3, 1.5, 1.5mm, HRC_1.5   a distance (mm, or sixteenths when the file declares that unit)
 *   J1a, J1b / J1_front, J1_back    the two flats of one distance (front = a, back = b); both columns needed
 *   J5 HV, J5_HV, HV_J5, J5a (HV)   the column is in Vickers (converted by ASTM E140 Table 1)
 * In sixteenths (`# distance-unit: sixteenths` or the flag), J-number n is n × 1.5875 mm; a column that says
 * "mm" in such a file is refused (one file, one unit). Any distance on the bar (0–100 mm) is taken as given:
 * plant-specific positions are kept.
 */
export type HardnessScale = 'HRC' | 'HV';
export type ColumnRole =
  | { kind: 'element'; el: Element }
  | { kind: 'hardness'; number: number; distanceMm: number; flat: 'a' | 'b' | null; scale: HardnessScale | null }
  | { kind: 'heat' }
  | { kind: 'grade' }
  | { kind: 'grain' }
  | { kind: 'scale' };

/** The bar of EN ISO 642 / ASTM A255 is 100 mm long; sixteenths up to J62 (98.4 mm) stay on it, J63 is 100.0125 mm. */
const BAR_MM = 100;

const HARDNESS_RE = /^(?:(hv|hrc)[\s_-]*)?(?:j|h)?[\s_-]*(\d+(?:\.\d+)?)\s*(mm)?(?:[\s_-]*(a|b|front|back))?(?:[\s_-]*\(?\s*(hrc|hv)\s*\)?)?$/i;

/** Rounds n × 1.5875 so that J8 is 12.7 mm, not 12.700000000000001. */
export const sixteenthsToMm = (n: number): number => Math.round(n * SIXTEENTH_MM * 1e6) / 1e6;

export function classifyColumn(raw: string, unit: DistanceUnit): ColumnRole | { error: Phrase } {
  const h = raw.trim();
  const low = h.toLowerCase();
  if (/ppm/.test(low)) return { error: phrase('jominyCsv.column.ppm', { header: h }) };
  if (['heat', 'heat_id', 'heatid', 'heat id', 'heat no', 'heat_no', 'cast'].includes(low)) return { kind: 'heat' };
  if (['grade', 'steel', 'steel grade', 'steel_grade'].includes(low)) return { kind: 'grade' };
  if (['grain_size', 'grain size', 'grainsize', 'gs', 'astm_gs'].includes(low)) return { kind: 'grain' };
  if (['scale', 'hardness_scale', 'hardness scale'].includes(low)) return { kind: 'scale' };
  const elName = h.replace(/\s*(\(|\[)?\s*(wt\.?\s*%|%)\s*(\)|\])?$/i, '').replace(/_wt$/i, '').trim();
  const asEl = ELEMENTS.find((e) => e.toLowerCase() === elName.toLowerCase());
  if (asEl) return { kind: 'element', el: asEl };
  const m = HARDNESS_RE.exec(h);
  if (m) {
    const [, prefixScale, num, mm, flatRaw, suffixScale] = m;
    const n = Number(num);
    if (prefixScale && suffixScale && prefixScale.toLowerCase() !== suffixScale.toLowerCase()) return { error: phrase('jominyCsv.column.twoScales', { header: h }) };
    const sc = (prefixScale ?? suffixScale)?.toUpperCase() as HardnessScale | undefined;
    if (unit === 'sixteenths' && mm) return { error: phrase('jominyCsv.column.mmInSixteenths', { header: h }) };
    // Sixteenths are whole (A255: J1, J2, J3 …): J1.5, J3, J5 declared sixteenths is an EN ISO 642 file in mm.
    if (unit === 'sixteenths' && !Number.isInteger(n)) return { error: phrase('jominyDistanceUnit.fractionalSixteenth', { header: h, n: num }) };
    const distanceMm = unit === 'sixteenths' ? sixteenthsToMm(n) : n;
    if (!(distanceMm > 0) || distanceMm > BAR_MM)
      return { error: unit === 'sixteenths' ? phrase('jominyCsv.column.offBarSixteenths', { header: h, n: String(n), mm: plain(distanceMm), bar: BAR_MM }) : phrase('jominyCsv.column.offBarMm', { header: h, mm: plain(n), bar: BAR_MM }) };
    const f = flatRaw?.toLowerCase();
    const flat = f === 'a' || f === 'front' ? 'a' : f === 'b' || f === 'back' ? 'b' : null;
    return { kind: 'hardness', number: n, distanceMm, flat, scale: sc ?? null };
  }
  if (isElement(elName)) return { kind: 'element', el: elName };
  return { error: phrase('jominyCsv.column.unknown', { header: h, elements: ELEMENTS.join(', ') }) };
}

/** Label of a distance as the file names it: J1 … J32 in sixteenths, J1.5 … J50 in mm. */
export const distanceLabel = (number: number): string => `J${number}`;

/** The largest J-number in sixteenths of an inch that is on the 100 mm bar (J62 = 98.4 mm; J63 = 100.0125 mm is off it). */
const MAX_SIXTEENTH_ON_BAR = Math.floor(BAR_MM / SIXTEENTH_MM);

/**
 * Whether distances given with no declared unit could as well be sixteenths of an inch as mm: every one a whole number
 * that is on the bar read as sixteenths (at most J62). Nothing in the numbers tells the two apart: A255's J1, J2, J3 …
 * J16, J18 … J32, a lab's ⅛-inch sheet J2, J4 … J32, SAE J1268's H-band J1 … J15, J20, J24 … and an mm layout numbered
 * 1, 2, 3, 5, 7 or 3, 5, 7 … 50 (EN ISO 642 without its 1.5) are all such lists. Read as mm, sixteenths put every
 * reading at 1/1.5875 of its distance from the quenched end without a word (J32, 50.8 mm, stored as 32 mm), so such a
 * list is refused until its unit is declared: one line (`# distance-unit: mm`, or a header that says mm) for an mm
 * file. A list with a fraction (EN ISO 642's 1.5, 3, 5 …; sixteenths are whole) or a number past the bar in sixteenths
 * (J70: 111 mm) can only be mm. The dataset importer and the band-file reader share this rule.
 */
export function wholeNumbersCouldBeSixteenths(distances: readonly number[]): boolean {
  return distances.length > 0 && distances.every((n) => Number.isInteger(n) && n > 0 && n <= MAX_SIXTEENTH_ON_BAR);
}

/**
 * Whether the distance columns of a file with no declared unit could be sixteenths (wholeNumbersCouldBeSixteenths), at
 * least two of them (a single one is refused on its own: a curve needs two). A column that says "mm" declares it.
 */
export function columnsCouldBeSixteenths(columns: readonly { header: string; number: number }[]): boolean {
  if (columns.length < 2 || columns.some((c) => /mm/i.test(c.header))) return false;
  return wholeNumbersCouldBeSixteenths([...new Set(columns.map((c) => c.number))]);
}

/**
 * Whether one heat's readings in a file whose other heats are read at fractional (mm) positions are numbered as A255
 * numbers sixteenths: at least three, all whole J-numbers, two of them one apart up to J16 (J1, J2, J3 … J16). Such a
 * heat may be another lab's sixteenths merged into an mm file (csv.ts, mixedHeat). Narrower than the whole-file rule on
 * purpose: an EN ISO 642 heat that missed its 1.5 mm reading is read at whole mm (3, 5, 7 …) and is no such heat.
 */
export function numberedAsSixteenths(columns: readonly { header: string; number: number }[]): boolean {
  if (columns.length < 3 || columns.some((c) => /mm/i.test(c.header) || !Number.isInteger(c.number))) return false;
  const ns = new Set(columns.map((c) => c.number));
  return [...ns].some((n) => n + 1 <= 16 && ns.has(n + 1));
}
