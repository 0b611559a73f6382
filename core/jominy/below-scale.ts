import { DISTANCES_MM } from './elements.js';
import { phrase, plain, type Phrase } from '../api/phrase.js';
import { parseStrictDecimal, type DecimalMark } from '../api/strict-decimal.js';
import { E140_HV_MIN } from './hardness-conversion.js';
import { HRC_MIN } from './elements.js';
import { english } from '../runtime/english.js';
import type { DatasetLayout, JominySample } from './dataset.js';
import { NO_GRADE } from './dataset-stats.js';
import type { InputHeats } from './element-gaps.js';
import { heatGrades, heatKeys } from './heat-split.js';

/**
 * Heats that read below 20 HRC (where the Rockwell C scale ends) at a distance and were left empty there on import
 * (csv.ts, `belowScale: 'empty'`). They are the heats that soften most: without them the data at that distance —
 * its mean, its H-band's low line, the point network and the baselines fitted on it — is biased high.
 *
 * The rule: a distance is flagged biased high when the heats left out there are at least 3.5 % of the heats tested
 * there (measured + left out). 3.5 % is the lower cut of an H-band (3.5–96.5 % of the heats, dataset-stats.ts): from
 * that share on, the band's low line of the tested heats lies among the heats the data does not hold, below 20 HRC —
 * the low end a design target near 20 HRC is judged against is then not in the data at all. Below it the left-out
 * heats still raise the mean, by less than 3.5 % of their distance to it (≤ 0.2 HRC for a mean 5 HRC above them).
 */
export const BIASED_HIGH_SHARE = 0.035;

/**
 * A grade flags a distance from this many of its heats left out there, when they are ≥ BIASED_HIGH_SHARE of its heats
 * tested there (measured + left out). H-bands are cut per grade, so the share is per grade too: 20 of a 40-heat grade
 * left out is that grade's low line gone, though 3.3 % of a 600-heat file. Two, so that one soft bar — as likely a
 * stray bar as the grade's tail — never flags alone; the share alone, with no minimum of heats tested, so that a small
 * grade (2 of 20 heats, 10 %) is judged too: a minimum of 29 heats tested (where one heat is under 3.5 %) had hidden
 * every grade under 29 heats however many of its heats read below the scale. A grade's heats count in the whole
 * dataset's share too.
 */
export const MIN_GRADE_LEFT_OUT = 2;

/** One grade's heats left out at a distance, where they reach the share. */
export interface GradeShare {
  grade: string;
  leftOut: number;
  tested: number;
  share: number;
}

/** One distance's count of heats left out below the scale, and whether the share is material. */
export interface BelowScalePoint {
  distanceMm: number;
  /** Heats that read below 20 HRC there and were left empty. */
  leftOut: number;
  /** Heats tested there: measured on the scale + left out. */
  tested: number;
  /** leftOut / tested. */
  share: number;
  /**
   * Grades with at least MIN_GRADE_LEFT_OUT heats left out there and whose own share reaches BIASED_HIGH_SHARE; null: the
   * dataset did not record its counts per grade (stored before them). Absent from a predictor stored before them.
   */
  grades?: GradeShare[] | null;
  /** share ≥ BIASED_HIGH_SHARE, or a grade's share is: the network and baselines there (or that grade's band) are biased high. */
  biasedHigh: boolean;
  /**
   * A predictor's point skipped for too few heats (the heats left out can push it under MIN_POINT_HEATS): no network
   * there, and the value shown there — the end value held, or read between the neighbouring points — carries the flag.
   */
  skipped?: boolean;
}

/** Per grade: heats measured at each distance (dataset-stats.ts datasetCoverage grades) and heats left out there. */
export interface GradeCounts {
  measured: readonly { grade: string; perDistance: readonly number[] }[];
  /** Heats left out per distance, by grade (grades with none absent); null: not recorded. */
  leftOut: Readonly<Record<string, readonly number[]>> | null;
}

/** The share of one grade at distance i, when it flags it: MIN_GRADE_LEFT_OUT heats left out or more, reaching the rule's share. */
function gradeShare(grade: string, measured: number, leftOut: number): GradeShare | null {
  const tested = measured + leftOut;
  if (leftOut < MIN_GRADE_LEFT_OUT || leftOut / tested < BIASED_HIGH_SHARE) return null;
  return { grade, leftOut, tested, share: leftOut / tested };
}

/**
 * Per distance with heats left out (distances with none are not listed). `measured[i]` is the heats that measured
 * distance i, `leftOut[i]` those left out there; null leftOut: the dataset's count was not recorded (stored before it).
 * With `byGrade`, each grade is judged too (MIN_GRADE_LEFT_OUT) and the point flagged when a grade reaches the share.
 */
export function belowScalePoints(distancesMm: readonly number[], measured: readonly number[], leftOut: readonly number[] | null, byGrade?: GradeCounts): BelowScalePoint[] {
  if (leftOut === null) return [];
  return distancesMm.flatMap((distanceMm, i) => {
    const n = leftOut[i] ?? 0;
    if (n === 0) return [];
    const tested = measured[i] + n;
    const share = n / tested;
    const grades = !byGrade || byGrade.leftOut === null ? null : byGrade.measured.flatMap((g) => gradeShare(g.grade, g.perDistance[i] ?? 0, byGrade.leftOut![g.grade]?.[i] ?? 0) ?? []);
    return [{ distanceMm, leftOut: n, tested, share, grades, biasedHigh: share >= BIASED_HIGH_SHARE || (grades?.length ?? 0) > 0 }];
  });
}

/**
 * One grade's heats left out per distance and whether its share there is material (the grade statistics and H-band
 * view flag those distances); null: the dataset did not record the counts per grade.
 */
export function gradeBelowScale(grade: string, measured: readonly number[], labels: readonly string[], byGrade: Readonly<Record<string, readonly number[]>> | null | undefined): { leftOut: number[]; biasedHigh: boolean[]; notes: Phrase[] } | null {
  if (!byGrade) return null;
  const leftOut = measured.map((_, i) => byGrade[grade]?.[i] ?? 0);
  const shares = measured.map((m, i) => gradeShare(grade, m, leftOut[i]));
  const notes = shares.flatMap((g, i) => (g ? [phrase('jominy.belowScale.gradeBiasedHigh', { grade, label: labels[i], leftOut: g.leftOut, tested: g.tested, percent: plain(pct(g.share)), min: 20 })] : []));
  return { leftOut, biasedHigh: shares.map((g) => g !== null), notes };
}

/**
 * The counts the rule is judged on over some rows' heats only — a model's, the heats it takes (element gaps, a plan
 * leave some out): per distance the heats measured there and those left out there, and the same per grade. `keys[k]`
 * is row k's heat (heat-split.ts heatKeys over the dataset's rows), `grades[k]` its heat's grade (its first row's,
 * NO_GRADE for none), `from[k]` the layout index from which row k's cells were left out below the scale (null: never;
 * a heat's is its rows' earliest, csv.ts belowScaleFrom). Over all of a dataset's rows these are the counts its import stored.
 * The share judged over the dataset can be under 3.5 % where the model's own heats reach it (its soft grade kept, the
 * hard ones dropped for a gap), or the reverse: the model's flag is its own heats'.
 */
export function heatsBelowScale(rows: readonly { hardness: readonly number[] }[], keys: readonly string[], grades: readonly string[], from: readonly (number | null)[], nDistances: number): { measured: number[]; leftOut: number[]; byGrade: GradeCounts } {
  const heats = new Map<string, { grade: string; from: number | null; measured: boolean[] }>();
  rows.forEach((r, k) => {
    let h = heats.get(keys[k]);
    if (!h) heats.set(keys[k], (h = { grade: grades[k], from: null, measured: Array.from({ length: nDistances }, () => false) }));
    const f = from[k];
    if (f !== null && (h.from === null || f < h.from)) h.from = f;
    for (let i = 0; i < nDistances; i++) if (Number.isFinite(r.hardness[i])) h.measured[i] = true;
  });
  const all = [...heats.values()];
  const count = (hs: typeof all) => ({
    measured: Array.from({ length: nDistances }, (_, i) => hs.filter((h) => h.measured[i]).length),
    leftOut: Array.from({ length: nDistances }, (_, i) => hs.filter((h) => h.from !== null && h.from <= i).length),
  });
  const gradeNames = [...new Set(all.map((h) => h.grade))].sort((a, b) => a.localeCompare(b));
  const perGrade = gradeNames.map((grade) => ({ grade, ...count(all.filter((h) => h.grade === grade)) }));
  const total = count(all);
  return {
    measured: total.measured,
    leftOut: total.leftOut,
    byGrade: { measured: perGrade.map((g) => ({ grade: g.grade, perDistance: g.measured })), leftOut: Object.fromEntries(perGrade.filter((g) => g.leftOut.some((n) => n > 0)).map((g) => [g.grade, g.leftOut])) },
  };
}

/**
 * The below-scale counts over the heats a model takes (`samples`, keyed `keys`, out of the dataset's rows `all`): each
 * heat's grade is its first row's in the dataset, and whether and from where it was left out is the import's per-heat
 * record (`from`, one mark a row). A dataset imported before heats were recorded one by one (`from` null) gives its own
 * counts as the model's where the model takes every heat of it; otherwise which of its heats were left out is not
 * recorded, and the dataset's flags are given over the dataset's heats (`over`), the model's own not recorded.
 */
export function modelBelowScale(
  ds: { layout: DatasetLayout; belowScale: { heatsLeftOut: number[]; byGrade?: Record<string, number[]> } | null },
  all: readonly JominySample[],
  from: readonly (number | null)[] | null,
  plan: Pick<InputHeats, 'usedHeats' | 'datasetHeats'>,
  samples: readonly JominySample[],
  keys: readonly string[],
): { points: BelowScalePoint[] | null; over: BelowScaleOver; notRecorded?: 'perHeat' } {
  if (ds.belowScale === null) return { points: null, over: 'model' };
  const allKeys = heatKeys(all);
  const grades = heatGrades(all, allKeys);
  const gradeOf = new Map(allKeys.map((k, i) => [k, grades[i] ?? NO_GRADE] as const));
  const fromOf = new Map<string, number | null>();
  allKeys.forEach((k, i) => {
    const f = from?.[i] ?? null;
    const had = fromOf.get(k);
    fromOf.set(k, had === undefined || had === null ? f : f === null ? had : Math.min(had, f));
  });
  const n = ds.layout.distancesMm.length;
  const counts = heatsBelowScale(samples, keys, keys.map((k) => gradeOf.get(k)!), keys.map((k) => fromOf.get(k) ?? null), n);
  if (from === null) {
    // every heat of the dataset is the model's: the dataset's counts are its own
    if (plan.usedHeats === plan.datasetHeats) return { points: belowScalePoints(ds.layout.distancesMm, counts.measured, ds.belowScale.heatsLeftOut, { measured: counts.byGrade.measured, leftOut: ds.belowScale.byGrade ?? null }), over: 'model' };
    // which of its heats were left out is not recorded: the dataset's flags, over the dataset's heats and said so, with
    // the model's own as not recorded (task 27-L: it had no flag at all, as if none of its points were biased high)
    const whole = heatsBelowScale(all, allKeys, allKeys.map((k) => gradeOf.get(k)!), allKeys.map(() => null), n);
    return { points: belowScalePoints(ds.layout.distancesMm, whole.measured, ds.belowScale.heatsLeftOut, { measured: whole.byGrade.measured, leftOut: ds.belowScale.byGrade ?? null }), over: 'dataset', notRecorded: 'perHeat' };
  }
  return { points: belowScalePoints(ds.layout.distancesMm, counts.measured, counts.leftOut, counts.byGrade), over: 'model' };
}

/** "N heats read below 20 HRC here, left out" (dataset statistics beside the heats per distance). */
export function leftOutPhrase(count: number): Phrase {
  return phrase('jominy.belowScale.leftOut', { count, min: 20 });
}

const pct = (share: number) => Math.round(1000 * share) / 10;

/**
 * Whose heats a flag was judged over: 'model' — the heats a predictor takes (task 27-C); 'dataset' — all the dataset's
 * heats (its coverage, and a predictor stored before its own heats were judged).
 */
export type BelowScaleOver = 'model' | 'dataset';

/**
 * The flag of a biased-high point in words (training, the predictor's report, a design's notes, the dataset's
 * coverage): the share over the heats it was judged on, named (`over`), and the grades whose own share reaches the
 * rule named with theirs.
 */
export function biasedHighPhrase(p: BelowScalePoint, mm: string, over: BelowScaleOver): Phrase {
  // one code per whose heats (a sentence stored before task 27-C was judged over the dataset's, and reads so)
  const { leftOut, tested } = p;
  const percent = plain(pct(p.share));
  const model = over === 'model';
  if (p.skipped) return model ? phrase('jominy.belowScale.biasedHighSkippedModel', { mm, leftOut, tested, percent, min: 20 }) : phrase('jominy.belowScale.biasedHighSkipped', { mm, leftOut, tested, percent, min: 20 });
  if (!p.grades?.length) return model ? phrase('jominy.belowScale.biasedHighModel', { mm, leftOut, tested, percent, min: 20 }) : phrase('jominy.belowScale.biasedHigh', { mm, leftOut, tested, percent, min: 20 });
  const grades = p.grades.map((g) => `${g.grade}: ${g.leftOut}/${g.tested} (${pct(g.share)} %)`).join('; ');
  return model ? phrase('jominy.belowScale.biasedHighGradesModel', { mm, leftOut, tested, percent, min: 20, grades }) : phrase('jominy.belowScale.biasedHighGrades', { mm, leftOut, tested, percent, min: 20, grades });
}

/**
 * Which of the 15 standard distances (where predicted curves and design targets live) a biased-high distance reaches:
 * the point itself, and a distance read by PCHIP between it and a neighbouring point (both its sides are shaped by the
 * point's value), or held beyond the last point when that point is flagged. A flagged distance that is no point (skipped
 * for too few heats) flags the standard distances read between the points around it, and those held beyond the last
 * point from it on (or before the first point, up to it): the value shown there is what those heats would have lowered.
 */
export function biasedHighAtStandard(pointsMm: readonly number[], flaggedMm: readonly number[]): boolean[] {
  const eq = (a: number, b: number) => Math.abs(a - b) < 1e-9;
  const flagged = (d: number) => flaggedMm.some((f) => eq(f, d));
  const flaggedIn = (lo: number, hi: number) => flaggedMm.some((f) => f > lo + 1e-9 && f < hi - 1e-9);
  return DISTANCES_MM.map((d) => {
    const at = pointsMm.findIndex((p) => eq(p, d));
    if (at >= 0) return flagged(pointsMm[at]);
    if (pointsMm.length === 0) return false;
    const after = pointsMm.findIndex((p) => p > d);
    const last = pointsMm[pointsMm.length - 1];
    if (after === -1) return flagged(last) || flaggedIn(last, d + 1e-6);
    if (after === 0) return flagged(pointsMm[0]) || flaggedIn(d - 1e-6, pointsMm[0]);
    return flagged(pointsMm[after - 1]) || flagged(pointsMm[after]) || flaggedIn(pointsMm[after - 1], pointsMm[after]);
  });
}

/** Where the Rockwell C scale ends, per column scale: 20 HRC (ASTM E18) and its ASTM E140 equivalent, 238 HV. */
export const SCALE_END = { HRC: 20, HV: E140_HV_MIN } as const;
/**
 * Below these a number is no soft reading of a steel bar but a typo or another scale, refused with the option on too:
 * 5 HRC is the importer's HRC floor (elements.ts HRC_MIN); 100 HV lies under the softest steel a Jominy bar is made of
 * (annealed low-carbon ferrite–pearlite, about 110–130 HV), and above the HRC numbers (≤ 70) typed into an HV column.
 */
export const SOFT_FLOOR = { HRC: HRC_MIN, HV: 100 } as const;

/** "<20", "< 20", "<=20", "≤20", "<20 HRC" (the unit, when written, must be the column's). */
const BOUND = /^\s*(?:<=?|≤)\s*(.*?)\s*(hrc|hv)?\s*$/i;

/**
 * A cell read as a bound below the scale's end: 'below' (left empty and counted with the option on), 'notOnScale'
 * (a bound at or under the soft floor, such as "<0" or "<-5": no bound of a reading), or null: no such bound (not a
 * bound, another scale's unit, a bound above the scale's end — refused as a detection limit where the cell is read).
 */
export function belowScaleBound(cell: string, scale: 'HRC' | 'HV', decimalMark: DecimalMark): 'below' | 'notOnScale' | null {
  const m = BOUND.exec(cell);
  if (!m || (m[2] !== undefined && m[2].toUpperCase() !== scale)) return null;
  const r = parseStrictDecimal(m[1], { decimalMark });
  if (!r.ok) return null;
  if (r.value <= SOFT_FLOOR[scale]) return 'notOnScale';
  return r.value <= SCALE_END[scale] ? 'below' : null;
}

/**
 * A design's line (CLI, session CSV export): which standard distances its curve is flagged biased high at
 * (settings.biasedHigh.standard), or that its predictor's dataset did not count heats below 20 HRC — also for a
 * session stored before the flags were kept: not recorded, never "none".
 */
export function biasedHighLine(b: { standard: readonly boolean[]; notRecorded?: Phrase | null } | undefined): string {
  const at = DISTANCES_MM.filter((_, i) => b?.standard[i]);
  // the dataset's flags where the model's own heats left out are not recorded (task 27-L): both said
  if (b?.notRecorded && at.length) return `biased high at: ${at.join(', ')} mm (heats below 20 HRC left out there, over the dataset's heats); ${english(b.notRecorded)}`;
  if (!b || b.notRecorded) return `biased high at: ${english(b?.notRecorded ?? phrase('jominy.belowScale.notRecorded', { min: 20 }))}`;
  return `biased high at: ${at.length ? `${at.join(', ')} mm (heats below 20 HRC left out there)` : 'none'}`;
}
