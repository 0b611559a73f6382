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
 * Physical plausibility limits for low-alloy steels, wt.%. A value above them is refused on import:
 * it is either a typo or a unit error (ppm instead of wt.% is the usual one for B, N, Ti, Nb).
 */
export const ELEMENT_LIMITS: Record<Element, number> = {
  C: 1.2, Mn: 2.5, Si: 2.5, P: 0.1, S: 0.2, Cu: 1.0, Cr: 4.0, Ni: 5.0, Mo: 1.5,
  B: 0.01, Ti: 0.3, Nb: 0.2, Sn: 0.1, Al: 0.2, V: 0.5,
};

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
