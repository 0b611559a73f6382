/**
 * "A predictor that knows what it knows": the held-out error of a Jominy predictor beside the errors of
 * predictors that know nothing of chemistry, on the SAME test heats, and the skill score
 * 1 − MAE_model / MAE_baseline per point and overall.
 *
 * Baselines (all fitted on the training heats only):
 *  - training mean: the mean hardness at the point over every training heat;
 *  - grade mean (when the data have grades): the mean over the training heats of the test heat's grade.
 *    A test heat whose grade has no training heats (always so in a by-grade split) gets the mean of
 *    the other grades instead — the unweighted mean of the training grades' means, each grade counting
 *    once — and is counted in `fallbackHeats`;
 *  - the ASTM A255 reference, on the test heats it can compute (the model is scored on those same heats
 *    for that comparison).
 * The strongest baseline is the one the model beats by least (its lowest overall skill), whichever it is: named
 * "strongest", a skill over it must not be over a weaker one (a by-grade split's mean of the other grades is often
 * far weaker than A255: +0.72 over it beside −0.47 over A255 had been shown as the skill over the strongest).
 * Per distance the skill shown is over the strongest baseline THERE (`strongestAt`: the lowest MAE at that distance among
 * the baselines scored on the same heats), named with it: the overall strongest can be beaten at a distance by another.
 * A255 can be the strongest only where it covers every test heat at every scored point (`a255CoversAll`): the
 * headline skill then compares like with like, on the heats the other baselines are scored on. On a subset its skill
 * is still shown beside the others, with its heats, but is not the headline (20 test heats with A255 computable on 1
 * had made A255 the strongest at skill −3.00, from that one heat).
 * Missing cells (null or non-finite, a partial curve) are left out of every mean and every error.
 * Pure: plain arrays in, numbers out.
 */

import { fixed, phrase, type Phrase } from '../api/phrase.js';
import { RefusedError } from '../runtime/refused.js';

/** A baseline that can be the strongest: the training mean, the grade mean, the A255 reference. */
export type BaselineName = 'grade-mean' | 'training-mean' | 'a255';

/**
 * The strongest baseline of a report's overall skills: the one with the lowest skill (the model beats it by least).
 * Ties keep the grade mean, then the training mean. A255 counts only where it covers every test heat at every scored
 * point (`a255AllHeats`, from a255CoversAll): a skill over it on fewer heats is not comparable with the others.
 */
export function strongestBaseline(skill: { vsTrainMean: number | null; vsGradeMean: number | null; vsA255: number | null }, a255AllHeats: boolean): BaselineName {
  const candidates: [BaselineName, number | null][] = [['grade-mean', skill.vsGradeMean], ['training-mean', skill.vsTrainMean], ['a255', a255AllHeats ? skill.vsA255 : null]];
  let best: [BaselineName, number] | null = null;
  for (const [name, v] of candidates) if (v !== null && Number.isFinite(v) && (best === null || v < best[1])) best = [name, v];
  return best?.[0] ?? (skill.vsGradeMean !== null ? 'grade-mean' : 'training-mean');
}

/** True where A255 was computable on every test heat that measured each scored point (so it can be the strongest). */
export function a255CoversAll(points: readonly { n?: number; a255: { n: number } | null }[]): boolean {
  return points.length > 0 && points.every((q) => q.a255 !== null && q.n !== undefined && q.a255.n === q.n);
}

const skillOver = (s: BaselinePoint['skill'], name: BaselineName): number | null => (name === 'grade-mean' ? s.vsGradeMean : name === 'training-mean' ? s.vsTrainMean : s.vsA255);

/** A scored point as strongestAt reads it (a stored report's points have these fields too). */
type PointErrors = { n?: number; trainMean: { mae: number }; gradeMean: { mae: number } | null; a255: { n: number; mae: number } | null };

/**
 * The strongest baseline AT one distance: the one with the lowest MAE there among those scored on the same heats — the
 * training and grade means always, A255 only where it was computable on every test heat that measured the point (on a
 * subset its MAE is of other heats). On those same heats the model's MAE is one figure, so the lowest baseline MAE is
 * the lowest skill. The overall strongest is no answer per distance: at 1.5 mm A255 (MAE 0.62) had beaten the model
 * (0.70) while the row showed +0.70, its skill over the grade mean, the strongest overall. Ties keep the grade mean,
 * then the training mean, as strongestBaseline does.
 */
export function strongestAt(q: PointErrors): BaselineName {
  const a255Here = q.a255 !== null && q.n !== undefined && q.a255.n === q.n ? q.a255.mae : null;
  const candidates: [BaselineName, number | null][] = [['grade-mean', q.gradeMean?.mae ?? null], ['training-mean', q.trainMean.mae], ['a255', a255Here]];
  let best: [BaselineName, number] | null = null;
  for (const [name, mae] of candidates) if (mae !== null && Number.isFinite(mae) && (best === null || mae < best[1])) best = [name, mae];
  return best?.[0] ?? (q.gradeMean !== null ? 'grade-mean' : 'training-mean');
}

/**
 * A report with its strongest baseline and every `vsStrongest` set from its own per-baseline skills: overall over the
 * strongest overall (the headline), per point over the strongest at that distance (`strongestAt`, named in the point's
 * `strongest`). What skillReport returns, and what a stored report is read as (one stored before A255 could be the
 * strongest named the grade mean whenever there were grades; one stored before points named theirs gave each point
 * the skill over the overall strongest).
 */
export function withStrongest<R extends { strongest: BaselineName; points: (PointErrors & { strongest?: BaselineName; skill: BaselinePoint['skill'] })[]; overall: { skill: BaselinePoint['skill'] } }>(report: R): Omit<R, 'points'> & { points: (R['points'][number] & { strongest: BaselineName })[] } {
  const strongest = strongestBaseline(report.overall.skill, a255CoversAll(report.points));
  return {
    ...report,
    strongest,
    points: report.points.map((q) => {
      const here = strongestAt(q);
      return { ...q, strongest: here, skill: { ...q.skill, vsStrongest: skillOver(q.skill, here) } };
    }),
    overall: { ...report.overall, skill: { ...report.overall.skill, vsStrongest: skillOver(report.overall.skill, strongest) } },
  };
}

/** 'by-order': the latest heats (the dataset's row order, taken as production order) are the test heats. */
export type SplitMode = 'random' | 'by-grade' | 'by-order';

/** Below this overall skill over the grade mean the model is said to have no skill over it. */
export const NO_SKILL_THRESHOLD = 0.05;

export interface BaselineInput {
  split: SplitMode;
  distancesMm: readonly number[];
  train: { grade: string | null; hardness: readonly (number | null)[] }[];
  test: { grade: string | null; hardness: readonly (number | null)[] }[];
  /** The model's prediction per test heat (as users get it: capped at the martensite maximum). */
  model: readonly (readonly number[])[];
  /** The A255 curve per test heat, null where A255 cannot compute it. */
  a255: readonly (readonly number[] | null)[];
  /** The heat of each test row (heat-split.ts heatKeys): a retest is one heat. Absent: every row is a heat. */
  testHeatKeys?: readonly string[];
}

export interface ErrorPair {
  mae: number;
  rmse: number;
}

export interface BaselinePoint {
  distanceMm: number;
  /** Test heats that measured this point. */
  n: number;
  model: ErrorPair;
  trainMean: ErrorPair;
  gradeMean: ErrorPair | null;
  /** A255 on the heats it can compute, with the model's error on those same heats. */
  a255: (ErrorPair & { n: number; modelMae: number }) | null;
  /** The strongest baseline at this distance (strongestAt): the one `skill.vsStrongest` is over. */
  strongest: BaselineName;
  /** vsStrongest: over this point's own strongest baseline (`strongest`), not the report's overall one. */
  skill: { vsTrainMean: number | null; vsGradeMean: number | null; vsA255: number | null; vsStrongest: number | null };
}

export interface SkillReport {
  split: SplitMode;
  /** The strongest baseline: the one the model beats by least overall (strongestBaseline). */
  strongest: BaselineName;
  /** Distinct test heats (a retest is one heat); null in a report stored before heats were counted, whose testRows it counted. */
  testHeats: number | null;
  /** Test rows (readings of a heat, retests included); absent in a report stored before it. */
  testRows?: number;
  /**
   * Test heats whose grade had no training heats (or no grade): they got the mean of the other grades. Null when read
   * from a report stored before heats were counted, whose figure counted rows (fallbackRows).
   */
  fallbackHeats: number | null;
  /** That figure as an old report counted it: test rows (set only where fallbackHeats is null). */
  fallbackRows?: number;
  points: BaselinePoint[];
  /** Means over the points of the per-point MAE/RMSE, and skills from those means. */
  overall: {
    model: ErrorPair;
    trainMean: ErrorPair;
    gradeMean: ErrorPair | null;
    a255: (ErrorPair & { modelMae: number }) | null;
    skill: BaselinePoint['skill'];
  };
  threshold: number;
  /** Set when the overall skill over the grade mean is at most the threshold: the words CLI and UI show. */
  warning: string | null;
  /** What the grade-mean baseline is in this split, in words. */
  gradeMeanNote: string | null;
  /** The two sentences as codes for the interface's language (absent in models stored before them). */
  warningPhrase?: Phrase | null;
  gradeMeanNotePhrase?: Phrase | null;
}

const ok = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v);

function errors(pairs: [number, number][]): ErrorPair {
  let sa = 0;
  let ss = 0;
  for (const [p, t] of pairs) {
    sa += Math.abs(p - t);
    ss += (p - t) ** 2;
  }
  const n = pairs.length;
  return n ? { mae: sa / n, rmse: Math.sqrt(ss / n) } : { mae: NaN, rmse: NaN };
}

const skillOf = (model: number, base: number | undefined): number | null => (base !== undefined && Number.isFinite(base) && base > 0 && Number.isFinite(model) ? 1 - model / base : null);

function meanOf(values: number[]): number {
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : NaN;
}

export function skillReport(input: BaselineInput): SkillReport {
  const { distancesMm, train, test } = input;
  const hasGrades = [...train, ...test].some((h) => h.grade !== null);
  const grades = [...new Set(train.map((h) => h.grade).filter((g): g is string => g !== null))];
  const heatOf = (s: number) => input.testHeatKeys?.[s] ?? `row ${s}`;
  const heatsIn = (rows: number[]) => new Set(rows.map(heatOf)).size;
  const fallbackHeats = hasGrades ? heatsIn(test.flatMap((h, s) => (h.grade === null || !grades.includes(h.grade) ? [s] : []))) : 0;

  const points: BaselinePoint[] = distancesMm.map((distanceMm, p) => {
    const trainMean = meanOf(train.map((h) => h.hardness[p]).filter(ok));
    const gradeMeans = new Map(grades.map((g) => [g, meanOf(train.filter((h) => h.grade === g).map((h) => h.hardness[p]).filter(ok))]));
    const known = [...gradeMeans.values()].filter(Number.isFinite);
    const otherGrades = meanOf(known);
    const idx = test.map((_, s) => s).filter((s) => ok(test[s].hardness[p]));
    const truth = (s: number) => test[s].hardness[p] as number;
    const model = errors(idx.map((s) => [input.model[s][p], truth(s)]));
    const tm = errors(idx.map((s) => [trainMean, truth(s)]));
    const gm = hasGrades
      ? errors(idx.map((s) => {
          const g = test[s].grade;
          const own = g === null ? undefined : gradeMeans.get(g);
          return [own !== undefined && Number.isFinite(own) ? own : otherGrades, truth(s)];
        }))
      : null;
    const refIdx = idx.filter((s) => input.a255[s] !== null && ok(input.a255[s]![p]));
    const a255 = refIdx.length
      ? { ...errors(refIdx.map((s) => [input.a255[s]![p], truth(s)])), n: refIdx.length, modelMae: errors(refIdx.map((s) => [input.model[s][p], truth(s)])).mae }
      : null;
    const vsGradeMean = gm ? skillOf(model.mae, gm.mae) : null;
    const vsTrainMean = skillOf(model.mae, tm.mae);
    const point = { distanceMm, n: idx.length, model, trainMean: tm, gradeMean: gm, a255 };
    const skill = { vsTrainMean, vsGradeMean, vsA255: a255 ? skillOf(a255.modelMae, a255.mae) : null, vsStrongest: null };
    const strongest = strongestAt(point);
    return { ...point, strongest, skill: { ...skill, vsStrongest: skillOver(skill, strongest) } };
  });

  // A point no test heat measured (or no training heat did) cannot be scored: it is left out of the report.
  const scored = points.filter((q) => q.n > 0 && Number.isFinite(q.trainMean.mae));
  const avg = (f: (q: BaselinePoint) => number) => meanOf(scored.map(f));
  const pair = (f: (q: BaselinePoint) => ErrorPair): ErrorPair => ({ mae: avg((q) => f(q).mae), rmse: avg((q) => f(q).rmse) });
  const model = pair((q) => q.model);
  const trainMean = pair((q) => q.trainMean);
  const gradeMean = hasGrades ? pair((q) => q.gradeMean!) : null;
  // A255 overall only where every scored point has it (a mean over different point sets would mislead).
  const a255 = scored.length && scored.every((q) => q.a255) ? { ...pair((q) => q.a255!), modelMae: avg((q) => q.a255!.modelMae) } : null;
  const vsGradeMean = gradeMean ? skillOf(model.mae, gradeMean.mae) : null;
  const vsTrainMean = skillOf(model.mae, trainMean.mae);
  const overall = {
    model, trainMean, gradeMean, a255,
    skill: { vsTrainMean, vsGradeMean, vsA255: a255 ? skillOf(a255.modelMae, a255.mae) : null, vsStrongest: hasGrades ? vsGradeMean : vsTrainMean },
  };
  const byGrade = input.split === 'by-grade';
  const warningPhrase =
    vsGradeMean !== null && vsGradeMean <= NO_SKILL_THRESHOLD ? phrase(byGrade ? 'jominy.noSkill.otherGrades' : 'jominy.noSkill.gradeMean', { skill: fixed(vsGradeMean, 2), threshold: NO_SKILL_THRESHOLD }) : null;
  const warning =
    warningPhrase && vsGradeMean !== null
      ? byGrade
        ? `No skill over the mean of the other grades (skill ${vsGradeMean.toFixed(2)} ≤ ${NO_SKILL_THRESHOLD}): for a grade it has not seen, the model is no better than predicting the average of the grades it has.`
        : `No skill over the grade mean (skill ${vsGradeMean.toFixed(2)} ≤ ${NO_SKILL_THRESHOLD}): within a grade, chemistry explains almost nothing of this data's scatter; the model is no better than predicting the grade mean.`
      : null;
  const gradeMeanNotePhrase = !hasGrades
    ? null
    : byGrade
      ? phrase('jominy.gradeBaseline.otherGrades')
      : fallbackHeats
        ? phrase('jominy.gradeBaseline.sameGradeFallback', { count: fallbackHeats })
        : phrase('jominy.gradeBaseline.sameGrade');
  const gradeMeanNote = !hasGrades
    ? null
    : byGrade
      ? 'by-grade split: a held-out grade has no training heats, so its baseline is the mean of the other grades (each grade counted once)'
      : `mean of the training heats of the same grade${fallbackHeats ? `; ${fallbackHeats} test heat${fallbackHeats > 1 ? 's' : ''} with no training heats of their grade got the mean of the other grades` : ''}`;
  return withStrongest({ split: input.split, strongest: hasGrades ? 'grade-mean' : 'training-mean', testHeats: heatsIn(test.map((_, s) => s)), testRows: test.length, fallbackHeats, points: scored, overall, threshold: NO_SKILL_THRESHOLD, warning, gradeMeanNote, warningPhrase, gradeMeanNotePhrase });
}

/**
 * A skill report as stored, read with its counts named: one stored before testRows counted rows as testHeats and as
 * fallbackHeats; its test heats are the split's (`splitTestHeats`, the same test rows) where the split stored them,
 * else unknown (null), and its fallback figure is given as rows, its grade-baseline note reworded to say rows — a row
 * count is never shown as heats.
 */
export function storedSkillReport<R extends SkillReport>(r: R, splitTestHeats: number | undefined): R & { testRows: number } {
  if (r.testRows !== undefined) return { ...r, testRows: r.testRows };
  const rows = r.fallbackHeats ?? 0;
  const reworded = r.split !== 'by-grade' && rows > 0 && r.gradeMeanNote !== null;
  return {
    ...r,
    testRows: r.testHeats ?? 0,
    testHeats: splitTestHeats ?? null,
    fallbackHeats: null,
    fallbackRows: rows,
    ...(reworded
      ? {
          gradeMeanNote: `mean of the training heats of the same grade; ${rows} test row${rows > 1 ? 's' : ''} with no training heats of their grade got the mean of the other grades (a report stored before heats were counted: rows, not heats)`,
          gradeMeanNotePhrase: phrase('jominy.gradeBaseline.sameGradeFallbackRows', { count: rows }),
        }
      : {}),
  };
}

/**
 * The by-grade (leave-grade-out) test set: grades shuffled by the caller's permutation, whole grades
 * taken into the test set until it holds at least `testFraction` of the heats, always leaving at least
 * one grade to train on. Returns the test heat indices; every heat of a test grade is in it.
 */
export function gradeHoldout(grades: readonly (string | null)[], testFraction: number, shuffle: (n: number) => number[]): number[] {
  if (grades.some((g) => g === null)) throw RefusedError.said('invalid_argument', phrase('jominyDomain.byGradeNoGrade'));
  const names = [...new Set(grades as string[])].sort();
  if (names.length < 2) throw RefusedError.said('invalid_argument', phrase('jominyDomain.byGradeOneGrade', { n: names.length }));
  const order = shuffle(names.length).map((i) => names[i]);
  const want = testFraction * grades.length;
  const held = new Set<string>();
  let count = 0;
  for (const g of order) {
    if (count >= want || held.size === names.length - 1) break;
    held.add(g);
    count += grades.filter((x) => x === g).length;
  }
  return grades.flatMap((g, i) => (held.has(g as string) ? [i] : []));
}
