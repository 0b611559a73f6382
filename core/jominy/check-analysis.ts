import type { Element } from './elements.js';

/**
 * Two analyses under one heat id: a check (product) analysis of the Jominy bar beside the ladle analysis, or two
 * heats under one id?
 *
 * A retest may carry the bar's own check analysis, which product-analysis tolerances let differ from the ladle's by a
 * few hundredths (ASTM A29 / EN 10083 permit C ±0.02–0.03, Cr ±0.03–0.05, Mo ±0.01–0.02 per side on a specified
 * range): such a row is taken as the same heat, with a warning naming both values. A difference beyond both a tenth of
 * the larger value and twice the element's usual reporting step is no check analysis (C 0.17 and 0.25, Cr 0.97 and
 * 1.27, B 0.0005 and 0.003 — boron-treated or not): another heat under the same id, refused by the importer.
 */
const REPORTING_STEP: Record<Element, number> = {
  C: 0.01, Mn: 0.01, Si: 0.01, Cu: 0.01, Cr: 0.01, Ni: 0.01,
  P: 0.001, S: 0.001, Mo: 0.005, V: 0.005, Ti: 0.001, Nb: 0.001, Sn: 0.001, Al: 0.001, B: 0.0001,
};
export const CHECK_RELATIVE = 0.1;

/** The largest difference two analyses of one heat may show in an element (wt.%). */
export function checkAnalysisTolerance(el: Element, a: number, b: number): number {
  return Math.max(2 * REPORTING_STEP[el], CHECK_RELATIVE * Math.max(Math.abs(a), Math.abs(b)));
}

/** 'same' (equal), 'check' (within a check analysis's tolerance) or 'other' (another heat's analysis). */
export function compareAnalyses(el: Element, a: number, b: number): 'same' | 'check' | 'other' {
  if (a === b) return 'same';
  // (1e-12: 0.42 − 0.40 is 0.020000000000000018 in binary)
  return Math.abs(a - b) <= checkAnalysisTolerance(el, a, b) + 1e-12 ? 'check' : 'other';
}
