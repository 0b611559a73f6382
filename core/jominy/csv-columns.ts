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

/** The bar of EN ISO 642 / ASTM A255 is 100 mm long; sixteenths up to J63 stay on it. */
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

/**
 * Whether distance columns given with no declared unit could be sixteenths of an inch: at least three, all whole
 * J-numbers, two of them one apart up to J16 (A255's J1, J2, J3 … J16, J18 … J32). A plant's positions in mm can be
 * numbered so too (1, 2, 3, 5, 7 … mm), so the numbers alone cannot tell: read as mm, a sixteenths file puts every
 * reading at 1/1.5875 of its distance from the quenched end, without a word. Such a file is refused as ambiguous until
 * its unit is declared (either one). A column that says "mm" declares it.
 */
export function numberedAsSixteenths(columns: readonly { header: string; number: number }[]): boolean {
  if (columns.length < 3 || columns.some((c) => /mm/i.test(c.header) || !Number.isInteger(c.number))) return false;
  const ns = new Set(columns.map((c) => c.number));
  return [...ns].some((n) => n + 1 <= 16 && ns.has(n + 1));
}
