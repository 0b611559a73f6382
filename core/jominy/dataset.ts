import { DISTANCES_MM, ELEMENTS, type Chemistry, type Element } from './elements.js';
import { pchip, pchipAt } from './pchip.js';
import { phrase } from '../api/phrase.js';
import { RefusedError } from '../runtime/refused.js';

/**
 * A Jominy dataset as it comes from a plant: its own set of distances (EN ISO 642 mm, sixteenths of an inch, or
 * plant-specific positions), its own subset of the elements, partial curves. The layout is stored with the
 * dataset; every heat's hardness array is aligned to its distances.
 */
export type DistanceUnit = 'mm' | 'sixteenths';

/** One sixteenth of an inch in mm: J-number n (sixteenths) is n × 1.5875 mm from the quenched end. */
export const SIXTEENTH_MM = 1.5875;

export interface DatasetLayout {
  /** Distances of the hardness columns, mm from the quenched end, strictly ascending. */
  distancesMm: number[];
  /** The columns' names as the dataset gives them (J1 … J32 in sixteenths, J1.5 … J50 in mm). */
  labels: string[];
  unit: DistanceUnit;
  /** Elements the dataset analysed, in ELEMENTS order; the others are absent (never 0). */
  elements: Element[];
}

/** The layout of datasets written before layouts existed, and of synthetic data: 15 standard mm, 15 elements. */
export const STANDARD_LAYOUT: Readonly<DatasetLayout> = Object.freeze({
  distancesMm: [...DISTANCES_MM],
  labels: DISTANCES_MM.map((d) => `J${d}`),
  unit: 'mm' as const,
  elements: [...ELEMENTS],
});

/**
 * How a heat's hardness was measured when that differs from plain HRC: per distance, the value of each flat
 * (front, back) as written and whether it was in HV. `hardness` holds the HRC used (mean of the flats; HV
 * converted through ASTM E140 Table 1, hardness-conversion.ts). null entries: not measured.
 */
export interface MeasuredAs {
  /** Per distance: true when the values were HV, converted to HRC by ASTM E140 Table 1. */
  converted: boolean[];
  /** The first (front, a) flat, or the one value when the dataset has one column per distance, as written. */
  front: (number | null)[];
  /** The second flat, when the dataset has two; null when it has one column per distance. */
  back: (number | null)[] | null;
}

/** One heat: chemistry (wt.%) and its Jominy profile (HRC). */
export interface JominySample {
  heatId: string | null;
  grade: string | null;
  grainSize: number | null;
  /** The dataset's elements only: an element it did not analyse is absent, never 0. */
  chemistry: Partial<Chemistry>;
  /** HRC at the dataset's distances (DISTANCES_MM for a standard layout), in order; NaN where not measured. */
  hardness: number[];
  /** Present when the heat had two flats or HV readings (kept as given). */
  measured?: MeasuredAs | null;
  /** 1-based line of the source file, when it came from one. */
  lineNo?: number | null;
}

/** A heat that has every element (synthetic data): its chemistry is a full record. */
export type CompleteSample = JominySample & { chemistry: Chemistry };

/** A heat's chemistry as the 15-element array the algorithms take, refusing to invent an absent element. */
export function sampleChemArray(s: Pick<JominySample, 'chemistry'>, elements: readonly Element[]): number[] {
  return ELEMENTS.map((el) => {
    const v = s.chemistry[el];
    if (v === undefined) {
      if (elements.includes(el)) throw RefusedError.said('invalid_argument', phrase('jominyDomain.heatLacksElement', { element: el }));
      // Absent from the dataset: no network takes it (predictor.ts); the slot is filled so arrays keep their
      // layout, and the value can never reach a model.
      return 0;
    }
    return v;
  });
}

/**
 * A curve of a dataset (values at its distances, null/NaN = not measured) read at the 15 standard distances,
 * where the design's targets and bands live: monotone PCHIP through the measured points; null beyond the first
 * and last measured point (never extrapolated). A standard layout is copied as is. `bridgeGaps: false`: a null is a
 * value refused there, not one unmeasured, so a standard distance at or between layout distances of which one is null
 * is null too (a grade's band refused at a distance for too few heats is not read off its neighbours' bands).
 */
export function atStandardDistances(distancesMm: readonly number[], values: readonly (number | null)[], opts: { bridgeGaps?: boolean } = {}): (number | null)[] {
  const ok = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v);
  if (distancesMm.length === DISTANCES_MM.length && distancesMm.every((d, i) => d === DISTANCES_MM[i])) return values.map((v) => (ok(v) ? v : null));
  if (opts.bridgeGaps === false) {
    const bridged = atStandardDistances(distancesMm, values);
    return DISTANCES_MM.map((d, k) => {
      const below = distancesMm.findLastIndex((x) => x <= d + 1e-9);
      const above = distancesMm.findIndex((x) => x >= d - 1e-9);
      return below >= 0 && above >= 0 && ok(values[below]) && ok(values[above]) ? bridged[k] : null;
    });
  }
  const xs: number[] = [];
  const ys: number[] = [];
  values.forEach((v, i) => {
    if (ok(v)) {
      xs.push(distancesMm[i]);
      ys.push(v);
    }
  });
  if (xs.length === 0) return DISTANCES_MM.map(() => null);
  if (xs.length === 1) return DISTANCES_MM.map((d) => (Math.abs(d - xs[0]) < 1e-9 ? ys[0] : null));
  const c = pchip(xs, ys);
  return DISTANCES_MM.map((d) => (d >= xs[0] - 1e-9 && d <= xs[xs.length - 1] + 1e-9 ? Math.round(pchipAt(c, d) * 100) / 100 : null));
}
