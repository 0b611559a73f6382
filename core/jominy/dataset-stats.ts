import { ELEMENTS, type Element } from './elements.js';
import { atStandardDistances, type DatasetLayout, type JominySample } from './dataset.js';
import { DEFAULT_MIN_ELEMENT_SHARE, elementCoverage, type ElementCoverage } from './element-gaps.js';
import { heatGrades, heatKeys } from './heat-split.js';
import { normalToleranceK } from './normal.js';

/**
 * Statistics of a Jominy dataset for its page and the CLI: per grade (the grade is a first-class field), per
 * distance and per element, counting only what was measured (a missing reading is left out, never 0).
 */
export interface Stat {
  n: number;
  mean: number | null;
  sd: number | null;
  min: number | null;
  max: number | null;
}

export interface GradeStatistics {
  grade: string;
  /** Heats of the grade (heats named by an id, with their id-less retests; other id-less rows one each); `rows` their rows. */
  n: number;
  rows: number;
  mean: (number | null)[];
  /**
   * The grade's band per distance: a normal tolerance interval, mean ± k·sd with k (`bandK`) for the heats that
   * measured the distance, covering at least BAND_CONTENT of the grade's heats with BAND_CONFIDENCE; null where fewer
   * than MIN_BAND_HEATS heats measured it (refused: from a few heats the 3.5/96.5 % percentiles it had been were
   * nearly their min and max, holding 60 % of the grade's new readings from 5 heats, 79 % from 10).
   */
  low: (number | null)[];
  high: (number | null)[];
  bandK: (number | null)[];
  /** What the band covers and from how few heats it is given (BAND_CONTENT, BAND_CONFIDENCE, MIN_BAND_HEATS). */
  band: { content: number; confidence: number; minHeats: number };
  /** Rows with a reading at each distance (a retest's bar is one); the band's values are the heats'. */
  measured: number[];
  /** Heats with a reading at each distance (heat-split.ts heatKeys: a retest or second bar is no second heat). */
  heats: number[];
  sd: (number | null)[];
  chemistry: Partial<Record<Element, Stat>>;
  /** mean/low/high read at the 15 standard distances (PCHIP, null beyond the measured ones): what a design target takes. */
  standard: { mean: (number | null)[]; low: (number | null)[]; high: (number | null)[] };
}

export interface Coverage {
  /** Rows of the heats (a retest or second bar is another row of its heat). */
  rows: number;
  layout: DatasetLayout;
  heats: number;
  perDistance: number[];
  cells: number[][];
  grades: { grade: string; n: number; perDistance: number[] }[];
  convertedHeats: number;
  flatHeats: number;
  /** Heats that analysed each of the dataset's elements (a gap is missing, never 0) and which a model takes at the default threshold. */
  elementGaps: ElementCoverage;
}

/** The share of a grade's heats its band covers: that of an H-band's 3.5–96.5 % (research notes §2). */
export const BAND_CONTENT = 0.93;
/** The confidence with which a grade's band covers BAND_CONTENT, given the heats it rests on. */
export const BAND_CONFIDENCE = 0.95;
/**
 * Fewest heats measured at a distance for a grade's band there. Below it the band is refused: with 5 heats k is 4.7 sd
 * wide on an sd itself uncertain by a third; 10 heats give k = 3.14 (normal.ts: Howe with Guenther's correction; exact 3.141).
 */
export const MIN_BAND_HEATS = 10;

/** The name a heat without a grade is grouped under. */
export const NO_GRADE = '(no grade)';

function stat(v: number[]): Stat {
  const n = v.length;
  if (!n) return { n, mean: null, sd: null, min: null, max: null };
  const mean = v.reduce((a, b) => a + b, 0) / n;
  const sd = n > 1 ? Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1)) : null;
  return { n, mean, sd, min: Math.min(...v), max: Math.max(...v) };
}

/** Rows by their heat's grade (its first row's, heat-split.ts heatGrades): a heat counts in one grade only. */
const groupByGrade = (samples: JominySample[], keys: readonly string[] = heatKeys(samples)) => {
  const by = new Map<string, JominySample[]>();
  const grades = heatGrades(samples, keys);
  for (const [i, s] of samples.entries()) {
    const g = grades[i] ?? NO_GRADE;
    if (!by.has(g)) by.set(g, []);
    by.get(g)!.push(s);
  }
  return [...by.entries()].sort((a, b) => a[0].localeCompare(b[0]));
};

/**
 * Per grade: mean curve, sd and band (a normal tolerance interval for 93 % of the grade's heats with 95 % confidence, from
 * the heats that measured each distance: `low`/`high`; refused under MIN_BAND_HEATS heats),
 * chemistry — all over heats, not rows: a heat's bars (a retest, a second bar) are averaged at each distance into the
 * one value the heat gives, so a retested heat does not weigh twice in the band's percentiles. A heat here is one its
 * id names (an id-less retest of it included, heatKeys); id-less rows of one analysis each stay their own value.
 */
export function gradeStatistics(samples: JominySample[], layout: DatasetLayout): GradeStatistics[] {
  const keys = heatKeys(samples);
  const key = new Map(samples.map((s, i) => [s, keys[i]] as const));
  return groupByGrade(samples, keys).map(([grade, hs]) => {
    const heatsOf = new Map<string, JominySample[]>();
    for (const h of hs) {
      const k = key.get(h)!;
      if (!heatsOf.has(k)) heatsOf.set(k, []);
      heatsOf.get(k)!.push(h);
    }
    // bars are averaged only within a heat its id names: rows without one that share a grade and analysis (heatKeys'
    // rule) may be two heats made to one aim chemistry — 40 such rows were one "heat" and collapsed the band to a line
    const heats = [...heatsOf.values()].flatMap((rows) => (rows.some((h) => h.heatId !== null) ? [rows] : rows.map((h) => [h])));
    const mean1 = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
    // one value per heat that measured distance i: the mean of its bars' readings there
    const col = (i: number) => heats.flatMap((rows) => {
      const v = rows.map((h) => h.hardness[i]).filter(Number.isFinite);
      return v.length ? [mean1(v)] : [];
    });
    const per = layout.distancesMm.map((_, i) => col(i));
    const mean = per.map((v) => stat(v).mean);
    // the band: mean ± k·sd for the heats at each distance (sample percentiles of a few heats are nearly their min and
    // max, and promised 93 % where they held 60–80 %); none from fewer than MIN_BAND_HEATS heats
    const bandK = per.map((v) => (v.length >= MIN_BAND_HEATS ? normalToleranceK(v.length, BAND_CONTENT, BAND_CONFIDENCE) : null));
    const low = per.map((v, i) => (bandK[i] === null ? null : stat(v).mean! - bandK[i]! * stat(v).sd!));
    const high = per.map((v, i) => (bandK[i] === null ? null : stat(v).mean! + bandK[i]! * stat(v).sd!));
    const std = (v: (number | null)[]) => atStandardDistances(layout.distancesMm, v);
    // a heat's analysis: its first row that gives the element (a retest of one heat carries one ladle analysis)
    const analysis = (el: Element) => heats.flatMap((rows) => {
      const x = rows.map((h) => h.chemistry[el]).find((c): c is number => c !== undefined);
      return x === undefined ? [] : [x];
    });
    return {
      grade,
      n: heats.length,
      rows: hs.length,
      mean,
      sd: per.map((v) => stat(v).sd),
      low,
      high,
      bandK,
      band: { content: BAND_CONTENT, confidence: BAND_CONFIDENCE, minHeats: MIN_BAND_HEATS },
      // a band refused at a distance stays refused at the standard distances beside it (never bridged from its neighbours')
      standard: { mean: std(mean), low: atStandardDistances(layout.distancesMm, low, { bridgeGaps: false }), high: atStandardDistances(layout.distancesMm, high, { bridgeGaps: false }) },
      measured: layout.distancesMm.map((_, i) => hs.filter((h) => Number.isFinite(h.hardness[i])).length),
      heats: per.map((v) => v.length),
      chemistry: Object.fromEntries(layout.elements.map((el) => [el, stat(analysis(el))])),
    };
  });
}

/** Heats per distance × element (ELEMENTS order; 0 for an element the dataset lacks), per grade and distance, per element. */
export function datasetCoverage(samples: JominySample[], layout: DatasetLayout, minElementShare = DEFAULT_MIN_ELEMENT_SHARE): Coverage {
  // Heats, not rows (heat-split.ts heatKeys): a heat with a retest that measured a distance counts there once.
  const keys = heatKeys(samples);
  const key = new Map(samples.map((s, i) => [s, keys[i]] as const));
  const heatsOf = (hs: JominySample[], keep: (h: JominySample) => boolean) => new Set(hs.filter(keep).map((h) => key.get(h))).size;
  const measuredAt = (hs: JominySample[]) => layout.distancesMm.map((_, i) => heatsOf(hs, (h) => Number.isFinite(h.hardness[i])));
  return {
    layout,
    heats: new Set(keys).size,
    rows: samples.length,
    perDistance: measuredAt(samples),
    cells: layout.distancesMm.map((_, i) => ELEMENTS.map((el) => heatsOf(samples, (h) => Number.isFinite(h.hardness[i]) && h.chemistry[el] !== undefined))),
    grades: groupByGrade(samples, keys).map(([grade, hs]) => ({ grade, n: heatsOf(hs, () => true), perDistance: measuredAt(hs) })),
    convertedHeats: heatsOf(samples, (s) => Boolean(s.measured?.converted.some(Boolean))),
    flatHeats: heatsOf(samples, (s) => Boolean(s.measured?.back)),
    elementGaps: elementCoverage(samples, layout.elements, minElementShare),
  };
}
