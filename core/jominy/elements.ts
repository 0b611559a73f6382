/**
 * The fixed vocabulary of JoMiner: the 15 elements the paper's predictor takes (wt.%) and the 15
 * standard Jominy distances (EN ISO 642, mm). Arrays are in this order everywhere in core/jominy.
 */
export const ELEMENTS = ['C', 'Mn', 'Si', 'P', 'S', 'Cu', 'Cr', 'Ni', 'Mo', 'B', 'Ti', 'Nb', 'Sn', 'Al', 'V'] as const;
export type Element = (typeof ELEMENTS)[number];
export const N_ELEMENTS = ELEMENTS.length;

export const DISTANCES_MM = [1.5, 3, 5, 7, 9, 11, 13, 15, 20, 25, 30, 35, 40, 45, 50] as const;
export const N_POINTS = DISTANCES_MM.length;

/** Chemistry as a plain record (API, CSV) — inside the algorithms it is a number[] in ELEMENTS order. */
export type Chemistry = Record<Element, number>;

/**
 * THE table of element limits, wt.% (lower limit 0 for every element). Every way a chemistry enters
 * Ferrolab checks against it with `elementValueProblem`: the Jominy CSV importer, the API contract
 * (jominy.predict / reference / design ranges and fixed values), the CLI flags and the UI inputs (the
 * latter two through core/api/jominy-chemistry.ts). Physical plausibility for low-alloy steels: a value
 * above it is either a typo or a unit error (ppm instead of wt.% is the usual one for B, N, Ti, Nb).
 */
export const ELEMENT_LIMITS: Readonly<Record<Element, number>> = Object.freeze({
  C: 1.2, Mn: 2.5, Si: 2.5, P: 0.1, S: 0.2, Cu: 1.0, Cr: 4.0, Ni: 5.0, Mo: 1.5,
  B: 0.01, Ti: 0.3, Nb: 0.2, Sn: 0.1, Al: 0.2, V: 0.5,
});

/**
 * Why `value` (wt.%) is not an acceptable amount of `el`, or null when it is. The one sentence every
 * reader (CSV, API, CLI, UI) shows, so a value just over a limit is refused everywhere in the same words.
 */
export function elementValueProblem(el: Element, value: number): string | null {
  return elementValueIssue(el, value)?.text ?? null;
}

/**
 * The same refusal as a code and its parameters beside the English sentence, so the interface words it in the
 * user's language (core/api/phrase.ts; this file stays free of imports because the renderer runs it).
 */
export interface ElementValueIssue {
  code: 'chem.notNumber' | 'chem.negative' | 'chem.aboveLimit' | 'chem.aboveLimitPpm';
  params: { el: Element; value: { value: number } | string; limit?: { value: number }; wt?: { value: number } };
  text: string;
}

export function elementValueIssue(el: Element, value: number): ElementValueIssue | null {
  const lim = ELEMENT_LIMITS[el];
  const params = { el, value: { value }, limit: { value: lim } };
  if (!Number.isFinite(value)) return { code: 'chem.notNumber', params: { el, value: String(value) }, text: `${el} ${value} is not a number` };
  if (value < 0) return { code: 'chem.negative', params, text: `${el} ${value} is negative (the limits are 0–${lim} wt.%)` };
  if (value > lim) {
    // ppm is 10 000 × wt.%: a value a hundred times the limit or more is more likely ppm than a typo.
    if (value >= 100 * lim && value / 10000 <= lim) {
      const wt = +(value / 10000).toPrecision(3);
      return { code: 'chem.aboveLimitPpm', params: { ...params, wt: { value: wt } }, text: `${el} ${value} wt.% is above the limit of ${lim} wt.% — looks like ppm; give wt.% (${value} ppm = ${wt} wt.%)` };
    }
    return { code: 'chem.aboveLimit', params, text: `${el} ${value} wt.% is above the limit of ${lim} wt.%` };
  }
  return null;
}

/** Jominy hardness plausibility (HRC): a measured value outside is refused on import. */
export const HRC_MIN = 5;
export const HRC_MAX = 70;

/** Metallurgical priors: always offered to every point's network (paper §2.1: C, Cr, Mn, Mo, Si, Ni, B). */
export const PRIOR_ELEMENTS: readonly Element[] = ['C', 'Mn', 'Cr', 'Mo', 'Ni', 'Si', 'B'];

export const elementIndex = (el: string): number => (ELEMENTS as readonly string[]).indexOf(el);
export const isElement = (el: string): el is Element => elementIndex(el) >= 0;

export function chemToArray(c: Partial<Record<string, number>>): number[] {
  return ELEMENTS.map((el) => c[el] ?? 0);
}

export function arrayToChem(a: ArrayLike<number>): Chemistry {
  const out = {} as Chemistry;
  ELEMENTS.forEach((el, i) => (out[el] = a[i]));
  return out;
}

/** Label of a Jominy point, e.g. "J1.5", "J11". */
export const pointLabel = (i: number): string => `J${DISTANCES_MM[i]}`;
