import { z } from 'zod';
import { method } from '../define.js';
import { Empty, Id, Name, Seed, UploadRef } from '../common.js';
import { JobInfo } from '../events.js';
import { PhraseSchema, phrase } from '../phrase.js';
import { saidIssue } from '../zod-said.js';
import { ELEMENTS, N_POINTS, elementValueIssue, type Element } from '../../jominy/elements.js';
import { POINT_MARK_KINDS } from '../jominy-point-marks.js';

// Length (~510 lines): the whole jominy.* contract — datasets (layout, coverage, grade statistics), predictor, skill report, predict, design settings
// and sessions, evaluation — in one file, like every other domain's contract; its schemas refer to one another.

/** JoMiner: Jominy datasets, the hierarchical predictor, chemistry design sessions, evaluations. */

export const ElementName = z.enum(ELEMENTS);
// The JoMiner contract's own checks are said as codes (core/api/zod-said.ts, jominyZod.* and chem.*), so a refusal is
// worded in the user's language inside fromZodError's frame; zod's own checks (types, integers) stay quoted as zod wrote them.
export const Hrc = z.number().superRefine((v, ctx) => {
  if (v < 0) ctx.addIssue(saidIssue(phrase('jominyZod.hrcNegative')));
  else if (v > 80) ctx.addIssue(saidIssue(phrase('jominyZod.hrcAbove80')));
});
/** The arrays of one value per standard distance, each named in the refusal of a wrong length. */
const FIFTEEN = {
  target: () => phrase('jominyZod.fifteen.target', { n: N_POINTS }),
  'band min': () => phrase('jominyZod.fifteen.bandMin', { n: N_POINTS }),
  'band max': () => phrase('jominyZod.fifteen.bandMax', { n: N_POINTS }),
  weights: () => phrase('jominyZod.fifteen.weights', { n: N_POINTS }),
} as const;
export const Fifteen = <T extends z.ZodType>(t: T, what: keyof typeof FIFTEEN) =>
  z.array(t).superRefine((a, ctx) => {
    if (a.length !== N_POINTS) ctx.addIssue(saidIssue(FIFTEEN[what]()));
  });
/** wt.% of one element, inside THE limits table (elements.ts), refused in the same words as the CSV and CLI. */
export const wtOf = (el: Element) =>
  z.number().superRefine((v, ctx) => {
    const issue = elementValueIssue(el, v);
    if (issue) ctx.addIssue(saidIssue({ code: issue.code, params: issue.params }));
  });
/**
 * An object with an optional entry per element; any other key is refused by name, said as a code. (A strict object's
 * own refusal of unknown keys cannot carry a phrase, and a refinement after it does not run: so the object lets them
 * through to this check, and the check refuses them.)
 */
export const perElement = <T extends z.ZodType>(f: (el: Element) => T) =>
  z
    .looseObject(Object.fromEntries(ELEMENTS.map((el) => [el, f(el).optional()])) as { [K in Element]: z.ZodOptional<T> })
    .superRefine((v, ctx) => {
      const unknown = Object.keys(v).filter((k) => !(ELEMENTS as readonly string[]).includes(k));
      const elements = ELEMENTS.join(', ');
      if (unknown.length === 1) ctx.addIssue(saidIssue(phrase('jominyZod.unknownElement', { name: unknown[0], elements })));
      else if (unknown.length > 1) ctx.addIssue(saidIssue(phrase('jominyZod.unknownElements', { names: unknown.map((k) => `"${k}"`).join(', '), elements })));
    })
    .transform((v) => v as { [K in Element]?: z.output<T> });
/**
 * A chemistry as given (wt.%). An element may be left out only where the method says it is not used
 * (the predictor's networks, or A255's factors): the handlers check that — a missing element is never 0.
 */
export const ChemistryInput = perElement(wtOf);
export type ChemistryInput = z.infer<typeof ChemistryInput>;
/** A chemistry as a result states it: only the elements it has (a design on a dataset without V has no V, never V = 0). */
export const Chemistry = z.partialRecord(ElementName, z.number());
export type ChemistryRecord = z.infer<typeof Chemistry>;

/** A problem of a file's line: `message` in English (the CLI's words), `phrase` the same sentence as a code for the interface's language (absent on warnings stored before codes). */
export const Issue = z.object({ line: z.number().int(), column: z.string().optional(), message: z.string(), phrase: PhraseSchema.optional() });

export const DistanceUnit = z.enum(['mm', 'sixteenths']);
export const JominyDecimalMark = z.enum(['.', ',']);
const CsvIssueSchema = Issue;
/** The share of a dataset's heats that must have analysed an element for it to be a model input (core/jominy/element-gaps.ts). */
export const MinElementShare = z.number().min(0).max(1);
/**
 * Per element column of a dataset: heats that analysed it and heats with a gap (an empty cell or the declared
 * marker: missing, never 0), and whether a model takes it at `minShare` (below it: not an input; C always is).
 */
export const ElementGapsSchema = z.object({
  /** Distinct heats (rows sharing a heat id, or a row without one and an earlier row's grade and chemistry, are one) and their rows. */
  heats: z.number().int(),
  rows: z.number().int(),
  minShare: z.number(),
  elements: z.array(z.object({ element: ElementName, measured: z.number().int(), missing: z.number().int(), share: z.number(), input: z.boolean() })),
});
export type ElementGaps = z.infer<typeof ElementGapsSchema>;
/** The heats and elements a predictor of a dataset with gaps learnt from: elements below the threshold, heats left out for lacking an input. */
export const InputHeatsSchema = z.object({
  minShare: z.number(),
  datasetHeats: z.number().int(),
  usedHeats: z.number().int(),
  inputElements: z.array(ElementName),
  dropped: z.array(z.object({ element: ElementName, measured: z.number().int(), share: z.number() })),
  leftOut: z.number().int(),
  leftOutBy: z.array(z.object({ element: ElementName, heats: z.number().int() })),
  /** Rows left out within used heats (a row lacking an input element its heat's other row has); absent in a plan stored before. */
  rowsLeftOutInUsed: z.number().int().optional(),
});
export type InputHeats = z.infer<typeof InputHeatsSchema>;
export const JominyCsvPreview = z.object({
  ok: z.boolean(),
  delimiter: z.string().nullable(),
  decimalMark: JominyDecimalMark.nullable(),
  distanceUnit: DistanceUnit.nullable(),
  columns: z.array(z.object({
    header: z.string(),
    kind: z.enum(['element', 'hardness', 'heat', 'grade', 'grain', 'scale']),
    element: z.string().optional(),
    distanceMm: z.number().optional(),
    flat: z.enum(['a', 'b']).nullable().optional(),
    unit: z.enum(['wt.%', 'HRC', 'HV']).optional(),
  })),
  heats: z.number().int(),
  elementGaps: ElementGapsSchema.nullable(),
  warnings: z.array(CsvIssueSchema),
  errors: z.array(CsvIssueSchema),
});
export type JominyCsvPreview = z.infer<typeof JominyCsvPreview>;
/** A dataset's own distances (mm; labels as the file names them), their unit, and the elements it analysed. */
export const DatasetLayoutSchema = z.object({
  distancesMm: z.array(z.number()),
  labels: z.array(z.string()),
  unit: DistanceUnit,
  elements: z.array(ElementName),
});

/** What an import does with an HRC reading below 20, where the Rockwell C scale ends (core/jominy/csv.ts). */
export const BelowScale = z.enum(['refuse', 'empty']);

export const JominyDataset = z.object({
  id: Id,
  name: z.string(),
  source: z.string(),
  synthetic: z.boolean(),
  seed: z.number().int().nullable(),
  notes: z.string().nullable(),
  createdAt: z.string(),
  /** Rows (curves) stored; a retest or second bar of a heat is another row. */
  sampleCount: z.number().int(),
  /** Distinct heats (core/jominy/heat-split.ts heatKeys: by heat id, or a row without one by an earlier row's grade and chemistry). */
  heats: z.number().int(),
  warnings: z.array(Issue),
  layout: DatasetLayoutSchema,
  /**
   * Readings below 20 HRC (the Rockwell C scale's end): the import's choice ('refuse': such a file was refused, so none
   * is left out; 'empty': each was left empty, warned per cell) and per distance of the layout the heats left out there.
   * null: stored before the count was recorded — not recorded, which is not 0.
   */
  belowScale: z.object({ option: z.enum(['refuse', 'empty']), heatsLeftOut: z.array(z.number().int()), byGrade: z.record(z.string(), z.array(z.number().int())).optional() }).nullable(),
});
export type JominyDataset = z.infer<typeof JominyDataset>;

export const JominySampleRow = z.object({
  id: Id,
  lineNo: z.number().int().nullable(),
  heatId: z.string().nullable(),
  grade: z.string().nullable(),
  grainSize: z.number().nullable(),
  /** The dataset's elements only: an element it did not analyse is absent, never 0. */
  chemistry: z.partialRecord(ElementName, z.number()),
  /** HRC at the dataset's distances; null where the heat was not measured. */
  hardness: z.array(z.number().nullable()),
  /** Two flats and/or HV as written (HV converted by ASTM E140 Table 1); null when plain HRC, one value per distance. */
  measured: z.object({ converted: z.array(z.boolean()), front: z.array(z.number().nullable()), back: z.array(z.number().nullable()).nullable() }).nullable(),
  /** The curve at the 15 standard distances (PCHIP through the measured points; null beyond them): a design target. Absent from the repo's rows. */
  standardHardness: z.array(z.number().nullable()).optional(),
});
export type JominySampleRow = z.infer<typeof JominySampleRow>;

const Stat = z.object({ n: z.number().int(), mean: z.number().nullable(), sd: z.number().nullable(), min: z.number().nullable(), max: z.number().nullable() });
/** Per grade of a dataset (or all heats): heats, curve statistics per distance, the H-band cut, chemistry per element. */
export const GradeStats = z.object({
  grade: z.string(),
  /** Heats of the grade (a retest or second bar is no second heat); `rows` their rows (absent from older servers). */
  n: z.number().int(),
  rows: z.number().int().optional(),
  /**
   * Per distance of the dataset: mean curve over its heats (a heat's bars averaged first; null where no heat measured
   * it) and the band, a normal tolerance interval mean ± bandK·sd covering at least band.content of the grade's heats
   * with band.confidence, k for the heats at that distance (`heats`); low/high/bandK null where fewer than
   * band.minHeats heats measured it (refused). Servers before 2026-12-01 sent the 3.5/96.5 % sample percentiles and
   * neither bandK nor band.
   */
  mean: z.array(z.number().nullable()),
  low: z.array(z.number().nullable()),
  high: z.array(z.number().nullable()),
  bandK: z.array(z.number().nullable()).optional(),
  band: z.object({ content: z.number(), confidence: z.number(), minHeats: z.number().int() }).optional(),
  /** Rows with a reading per distance (a retest's bar is one; the band's values are the heats'). */
  measured: z.array(z.number().int()),
  /** Heats with a reading per distance (a retest is no second heat): what the grade's share below 20 HRC is of. */
  heats: z.array(z.number().int()),
  sd: z.array(z.number().nullable()),
  chemistry: z.partialRecord(ElementName, Stat),
  /** mean/low/high at the 15 standard distances (monotone PCHIP; null beyond the measured distances): what a design target takes. */
  standard: z.object({ mean: z.array(z.number().nullable()), low: z.array(z.number().nullable()), high: z.array(z.number().nullable()) }),
  /**
   * Per distance: this grade's heats read below 20 HRC and left out, and where their share of the grade's heats tested
   * there biases its band and mean high (core/jominy/below-scale.ts); null: not recorded (a dataset stored before).
   */
  belowScale: z.object({ leftOut: z.array(z.number().int()), biasedHigh: z.array(z.boolean()), notes: z.array(PhraseSchema) }).nullable(),
});
export type GradeStats = z.infer<typeof GradeStats>;

/** A distance where heats read below 20 HRC were left out of the data (core/jominy/below-scale.ts), with its sentence. */
export const BiasedHighPoint = z.object({
  distanceMm: z.number(), leftOut: z.number().int(), tested: z.number().int(), share: z.number(), biasedHigh: z.boolean(), phrase: PhraseSchema,
  /** Grades (at least 2 of their heats left out there) whose own share reaches the rule; null: not recorded per grade; absent: a predictor stored before. */
  grades: z.array(z.object({ grade: z.string(), leftOut: z.number().int(), tested: z.number().int(), share: z.number() })).nullable().optional(),
  /** A predictor's point skipped for too few heats: the value shown there (held or read between points) is what is flagged. */
  skipped: z.boolean().optional(),
  /**
   * Whose heats the counts and share are: 'model' — the heats the predictor takes; 'dataset' — all the dataset's (its
   * coverage, and a predictor stored before its own heats were judged, task 27-C).
   */
  over: z.enum(['model', 'dataset']),
});

/** What a dataset holds: heats per distance × element (heats that measured the distance and analysed the element), per grade. */
export const DatasetCoverage = z.object({
  layout: DatasetLayoutSchema,
  /** Distinct heats (every count below is of heats), and their rows. */
  heats: z.number().int(),
  rows: z.number().int(),
  /** Heats that measured each distance. */
  perDistance: z.array(z.number().int()),
  /** [distance][element of ELEMENTS order]: heats that measured the distance and analysed the element (0: absent). */
  cells: z.array(z.array(z.number().int())),
  /** Heats per grade and distance. */
  grades: z.array(z.object({ grade: z.string(), n: z.number().int(), perDistance: z.array(z.number().int()) })),
  /** Heats with readings converted from HV (ASTM E140 Table 1), and with two flats. */
  convertedHeats: z.number().int(),
  flatHeats: z.number().int(),
  /** Heats that analysed each element of the dataset, at the default threshold for model inputs. */
  elementGaps: ElementGapsSchema,
  /**
   * Per distance: heats that read below 20 HRC there and were left empty (null: not recorded, a dataset stored before
   * the count), and the distances where their share makes a model there biased high (core/jominy/below-scale.ts).
   */
  belowScaleLeftOut: z.array(z.number().int()).nullable(),
  biasedHigh: z.array(BiasedHighPoint),
  hvCitation: z.string(),
});
export type DatasetCoverage = z.infer<typeof DatasetCoverage>;

export const PointMetricsSchema = z.object({
  distanceMm: z.number(),
  mae: z.number(),
  maxError: z.number(),
  r2: z.number(),
  refMae: z.number().nullable(),
  refMaxError: z.number().nullable(),
  refR2: z.number().nullable(),
  /** Test heats that measured the point (absent for predictors trained before partial curves). */
  n: z.number().int().optional(),
});

export const JominySplit = z.enum(['random', 'by-grade', 'by-order']);
const ErrorPair = z.object({ mae: z.number(), rmse: z.number() });
const Skill = z.object({ vsTrainMean: z.number().nullable(), vsGradeMean: z.number().nullable(), vsA255: z.number().nullable(), vsStrongest: z.number().nullable() });
const BaselineName = z.enum(['grade-mean', 'training-mean', 'a255']);
/** Held-out (test heats) error of the model beside baselines that know no chemistry (core/jominy/baselines.ts). */
export const SkillReportSchema = z.object({
  split: JominySplit,
  /** The baseline the model beats by least overall (core/jominy/baselines.ts strongestBaseline); overall.skill.vsStrongest is over it. */
  strongest: BaselineName,
  /** Distinct test heats (a retest is one heat); null for a report stored before heats were counted (testRows is then known). */
  testHeats: z.number().int().nullable(),
  /** Test rows, retests included. */
  testRows: z.number().int(),
  /** Test heats that got the mean of the other grades; null for a report stored before heats were counted (its figure is fallbackRows). */
  fallbackHeats: z.number().int().nullable(),
  fallbackRows: z.number().int().optional(),
  points: z.array(z.object({
    distanceMm: z.number(),
    n: z.number().int(),
    model: ErrorPair,
    trainMean: ErrorPair,
    gradeMean: ErrorPair.nullable(),
    a255: ErrorPair.extend({ n: z.number().int(), modelMae: z.number() }).nullable(),
    /**
     * The strongest baseline AT this distance (core/jominy/baselines.ts strongestAt: the lowest MAE there among the
     * baselines scored on the same heats; A255 only where computable on every test heat there); this point's
     * skill.vsStrongest is over it, not over the overall strongest.
     */
    strongest: BaselineName,
    skill: Skill,
  })),
  overall: z.object({ model: ErrorPair, trainMean: ErrorPair, gradeMean: ErrorPair.nullable(), a255: ErrorPair.extend({ modelMae: z.number() }).nullable(), skill: Skill }),
  threshold: z.number(),
  warning: z.string().nullable(),
  gradeMeanNote: z.string().nullable(),
  /** The same two sentences as codes, worded in the interface's language (absent for models stored before them). */
  warningPhrase: PhraseSchema.nullable().optional(),
  gradeMeanNotePhrase: PhraseSchema.nullable().optional(),
});
export type SkillReportOut = z.infer<typeof SkillReportSchema>;

export const InputRow = z.object({
  distanceMm: z.number(),
  elements: z.array(ElementName),
  /** Earlier points (by distance, mm) whose predicted hardness feeds this network. */
  points: z.array(z.number()),
  nh: z.number().int(),
  nw: z.number().int(),
  gamma: z.number(),
  search: z.array(z.object({ nh: z.number().int(), valMae: z.number(), gamma: z.number() })),
  scores: z.array(z.object({ name: z.string(), r: z.number(), mi: z.number(), selected: z.boolean(), prior: z.boolean() })),
});
export type InputRow = z.infer<typeof InputRow>;

/**
 * Why a predictor's 90 % coverage is stated or not (core/jominy/coverage-why.ts): measured by the current cross-fit;
 * no ensemble; not measured (a cross-fit half had too few held-out heats); stored before the cross-fit calibration
 * (2026-11-30), whose coverage may be a one-heat half's false 1.00 — not shown as measured; retraining measures it.
 */
export const CoverageWhySchema = z.enum(['measured', 'no-ensemble', 'half-too-small', 'stored-before-cross-fit']);
export type CoverageWhy = z.infer<typeof CoverageWhySchema>;

export const JominyModel = z.object({
  id: Id,
  name: z.string(),
  datasetId: z.number().int().nullable(),
  datasetName: z.string(),
  synthetic: z.boolean(),
  seed: z.number().int(),
  createdAt: z.string(),
  mae: z.number(),
  maxError: z.number(),
  r2: z.number(),
  refMae: z.number().nullable(),
  /** Rows per split (a row is one heat's curve; a retest or second bar of a heat is another row of it). */
  split: z.object({ train: z.number().int(), validation: z.number().int(), test: z.number().int() }),
  /** Distinct heats per split (rows sharing a heat id are one); null for predictors trained before they were counted. */
  splitHeats: z.object({ train: z.number().int(), validation: z.number().int(), test: z.number().int() }).nullable(),
  /** How the test heats were chosen: shuffled heats, or whole grades held out (leave-grade-out). */
  splitMode: JominySplit,
  /** Overall skill over the strongest baseline (the one it beats by least: training mean, grade mean or A255), null for predictors trained before it was measured. */
  skill: z.number().nullable(),
  backend: z.string(),
  /** Members of the predictor's bootstrap ensemble (0: none, trained before ensembles) and the held-out coverage of its nominal 90 % interval. */
  ensembleSize: z.number().int(),
  /** Null unless coverage90Why is 'measured'; coverage90Note says why in words (null when measured). */
  coverage90: z.number().nullable(),
  coverage90Why: CoverageWhySchema,
  coverage90Note: PhraseSchema.nullable(),
  /** Readings coverage90 was counted on (null unless measured, or stored before the count was kept in the row). */
  coverage90Readings: z.number().int().nullable().optional(),
});
export type JominyModel = z.infer<typeof JominyModel>;

export const UncertaintySchema = z.object({
  size: z.number().int(),
  seeds: z.array(z.number().int()),
  /** Heats the members were resampled from (whole heats); null for an ensemble stored before they were counted (fitRows then). */
  fitHeats: z.number().int().nullable(),
  /** Rows of those heats. */
  fitRows: z.number().int(),
  method: z.string(),
  nominal: z.number(),
  /**
   * Held-out coverage of the nominal interval (cross-fitted on the test heats), overall and per point; null (every
   * point null too) when not measured: too few held-out heats for a half to calibrate (its k would be ∞, its
   * coverage a confident 1).
   */
  coverage: z.number().nullable(),
  coveragePoints: z.array(z.number().nullable()),
  /**
   * The distances (mm) of coveragePoints and meanSd: the model's points, where the held-out heats' readings are. A
   * calibration stored before 2026-12-01 gives the 15 standard distances, and `interpolatedCells` says whether its
   * cells were read there by PCHIP (a model on other points) rather than measured.
   */
  pointsMm: z.array(z.number()),
  interpolatedCells: z.boolean(),
  /** Why coverage is null (it and every point are null unless 'measured'; a calibration stored before the cross-fit too), and why in words. */
  coverageWhy: CoverageWhySchema,
  coverageNote: PhraseSchema.nullable(),
  /** The lowest measured per-distance coverage and its distance (null when none is measured): stated beside the pooled one. */
  coverageLowest: z.object({ coverage: z.number(), distanceMm: z.number() }).nullable(),
  /** Coverage of the uncalibrated interval (scale 1), for comparison. */
  rawCoverage: z.number(),
  /** k pooled over every point. */
  scale: z.number(),
  /**
   * k per point (distances pointsMm) and how it was fitted: 'own' (its own conformal quantile, at least minPointCells
   * held-out readings there) or 'pooled-widened' (fewer: max(pooled k, its largest normalised residual / z), never
   * narrower than pooled); held-out readings per point. Null for a calibration stored before: one pooled k everywhere.
   */
  kPoints: z.array(z.number()).nullable(),
  pointRule: z.array(z.enum(['own', 'pooled-widened'])).nullable(),
  cellsPoints: z.array(z.number().int()).nullable(),
  minPointCells: z.number().int(),
  cells: z.number().int(),
  /**
   * Distinct held-out heats (rows sharing a heat id count once); null for a calibration stored before they were
   * counted (it counted rows): testRows is then the count to show.
   */
  heats: z.number().int().nullable(),
  /** The predictor's test rows, on which the cells are counted (a retest or second bar of a heat is another row). */
  testRows: z.number().int(),
  /** Mean calibrated sd per point on the test heats (HRC). */
  meanSd: z.array(z.number()),
  rho: z.number(),
  ensembleMeanMae: z.number(),
  predictorMae: z.number(),
  calibrationSeed: z.number().int(),
  trainSeconds: z.number(),
  estimatedSeconds: z.number().nullable(),
  /**
   * The readings `coverage` was counted on and its Wilson 90 % interval (normal.ts wilsonInterval; readings of one heat
   * are correlated, so the interval is the narrowest honest one, not a heat-level one); null when not measured.
   */
  coverageReadings: z.number().int().nullable().optional(),
  coverageWilson: z.tuple([z.number(), z.number()]).nullable().optional(),
  /**
   * The stored interval's coverage on grades the networks did not see (core/jominy/grade-coverage.ts), per grade and
   * over them, each with its Wilson 90 % interval; null when fewer than two grades had enough heats (minGradeHeats) or
   * the ensemble was stored before it was measured.
   */
  /** Heats a grade needs to be left out and counted (grade-coverage.ts MIN_GRADE_HEATS), for the words when none was. */
  minGradeHeats: z.number().int().optional(),
  gradeCoverage: z.object({
    members: z.number().int(),
    seconds: z.number(),
    grades: z.array(z.object({ grade: z.string(), heats: z.number().int(), readings: z.number().int(), coverage: z.number(), wilson: z.tuple([z.number(), z.number()]) })),
    readings: z.number().int(),
    coverage: z.number(),
    wilson: z.tuple([z.number(), z.number()]),
  }).nullable().optional(),
});
export type UncertaintyOut = z.infer<typeof UncertaintySchema>;

/**
 * A calibrated 90 % interval of a predicted curve (the ensemble's), with its predictor's held-out coverage: null
 * unless coverageWhy is 'measured' (an interval of a predictor stored before the cross-fit calibration says so).
 */
export const IntervalSchema = z.object({
  sd: z.array(z.number()), sdEnsemble: z.array(z.number()), lo: z.array(z.number()), hi: z.array(z.number()), nominal: z.number(),
  coverage: z.number().nullable(), coverageWhy: CoverageWhySchema, coverageNote: PhraseSchema.nullable(),
  /** The lowest measured per-distance coverage and its distance (null unless measured): the pooled one can hide it. */
  coverageLowest: z.object({ coverage: z.number(), distanceMm: z.number() }).nullable(),
  /** The interval's k is per distance (false: a calibration stored before, one pooled k). */
  perDistance: z.boolean(),
  /** Readings `coverage` was counted on and its Wilson 90 % interval (null unless measured; absent in older results). */
  coverageReadings: z.number().int().nullable().optional(),
  coverageWilson: z.tuple([z.number(), z.number()]).nullable().optional(),
  /** The same interval's coverage on grades left out of training, pooled over them (grade-coverage.ts; null: not measured). */
  gradeCoverage: z.object({ coverage: z.number(), readings: z.number().int(), grades: z.number().int(), wilson: z.tuple([z.number(), z.number()]) }).nullable().optional(),
});

const SplitCounts = z.object({ train: z.number().int(), validation: z.number().int(), test: z.number().int() });
export const JominyModelDetail = JominyModel.extend({
  points: z.array(PointMetricsSchema),
  inputs: z.array(InputRow),
  /** Distinct test heats the A255 reference scored; null for a predictor stored before they were counted (refRows then). */
  refHeats: z.number().int().nullable(),
  /** Test rows the A255 reference scored (a retest of a heat is another row). */
  refRows: z.number().int(),
  /** Training chemistries per element: min–max, mean, sd, and the 1st/99th percentiles (the default design ranges). */
  /**
   * threshold: the nearest-heat distance limit (sd units) over the elements the networks use; thresholdStored: the figure
   * a predictor stored before that mask kept (over all 15 elements), recomputed at load and not used — null otherwise.
   */
  domain: z.object({ min: z.array(z.number()), max: z.array(z.number()), mean: z.array(z.number()), std: z.array(z.number()), p1: z.array(z.number()), p99: z.array(z.number()), threshold: z.number().optional(), thresholdStored: z.number().nullable().optional() }),
  /** Elements the networks take: a chemistry for jominy.predict must give each of them. */
  usedElements: z.array(ElementName),
  training: z.object({ epochs: z.number().int(), maxHidden: z.number().int(), testFraction: z.number(), validationFraction: z.number() }),
  /** Model vs baselines on the test heats; null for predictors trained before baselines were stored (retrain to get them). */
  baselines: SkillReportSchema.nullable(),
  /**
   * Point networks whose held-out MAE at their distance is not below the mean baseline's there (the grade mean where
   * the data has grades, else the training mean; core/jominy/weak-points.ts), with the figures and the sentence.
   * Empty without baselines (predictors trained before they were stored).
   */
  weakPoints: z.array(z.object({ distanceMm: z.number(), mae: z.number(), baseline: z.enum(['grade-mean', 'training-mean']), baselineMae: z.number(), heats: z.number().int(), gamma: z.number().nullable(), phrase: PhraseSchema })),
  /**
   * Points whose network and baselines are biased high: heats read below 20 HRC were left out there on import, a
   * material share of the model's own heats tested there (core/jominy/below-scale.ts; `over` 'dataset' for a predictor
   * stored before, judged over its dataset's heats). Empty for a dataset without such heats or whose count was not
   * recorded (biasedHighNotRecorded says which).
   */
  biasedHigh: z.array(BiasedHighPoint),
  /** The sentence "not recorded" when the predictor's dataset did not count heats below 20 HRC (unknown, never "none"); else null. */
  biasedHighNotRecorded: PhraseSchema.nullable(),
  /**
   * The model's points (its dataset's distances that enough heats measured; labels as the dataset names them),
   * the dataset's elements (null: every element, predictors trained before layouts), the distances skipped for
   * too few heats, and the minimum heats per point. Optional: older servers do not send it.
   */
  pointsLayout: z.object({
    distancesMm: z.array(z.number()),
    labels: z.array(z.string()),
    elements: z.array(ElementName).nullable(),
    /** Per split, the heats that measured each skipped distance and their rows (heats null: stored before heats were counted here, 2026-12-01). */
    skipped: z.array(z.object({ distanceMm: z.number(), label: z.string(), heats: SplitCounts.nullable(), rows: SplitCounts })),
    minPointHeats: z.object({ train: z.number().int(), validation: z.number().int(), test: z.number().int() }).nullable(),
    /**
     * Per standard distance (15): true where it lies beyond the predictor's points by more than the held-end tolerance
     * (core/jominy/objective.ts beyondPoints): its curve is its end value held there, and a design target is refused.
     * The design page's target sources leave these distances empty.
     */
    outsideStandard: z.array(z.boolean()),
  }).optional(),
  /** The bootstrap ensemble and its calibration on held-out heats (core/jominy/calibration.ts); null without an ensemble. */
  uncertainty: UncertaintySchema.nullable(),
  /** Elements not taken for gaps and heats left out for lacking an input element; null for predictors trained before gaps were allowed. */
  inputHeats: InputHeatsSchema.nullable().optional(),
});
export type JominyModelDetail = z.infer<typeof JominyModelDetail>;

export const TargetSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('curve'), hardness: Fifteen(Hrc.nullable(), 'target') }),
  z.object({ kind: z.literal('band'), min: Fifteen(Hrc.nullable(), 'band min'), max: Fifteen(Hrc.nullable(), 'band max') }),
]);
export type TargetInput = z.infer<typeof TargetSchema>;

/**
 * The design search: 'default' = the GA for the first 10 % of the generations, then a CMA-ES refinement of its
 * best for the rest of the same budget (converges at Q = 50, NG = 100); 'paper-ga' = the paper's GA alone.
 */
export const SearchKindSchema = z.enum(['default', 'paper-ga']);

export const GaSettingsInput = z.object({
  search: SearchKindSchema.optional(),
  population: z.number().int().min(4).max(2000).optional(),
  generations: z.number().int().min(1).max(10000).optional(),
  r: z.number().int().min(1).max(15).optional(),
  alpha: z.number().gt(0).max(500).optional(),
  crossoverRate: z.number().min(0).max(1).optional(),
  mutationRate: z.number().min(0).max(1).optional(),
  elite: z.number().int().min(0).max(100).optional(),
  faga: z.boolean().optional(),
  stallGenerations: z.number().int().min(0).max(10000).optional(),
  tolerance: z.number().min(0).optional(),
  topK: z.number().int().min(1).max(50).optional(),
  distinctness: z.number().min(0).max(1).optional(),
  /**
   * HRC of penalty per unit of standardised distance beyond the training domain and of uncovered element pairs; when
   * > 0 the elements the predictor does not use, or uses beyond the metallurgical priors, are held at the median of the
   * design's nearest training heats, not searched (core/jominy/neighbour-aims.ts). 0 = off, the paper's GA.
   */
  domainWeight: z.number().min(0).max(100).optional(),
});

/** Design settings; `wt` checks each wt.% of a range or fixed value (the limits table for input). */
const designSettings = (wt: (el: Element) => z.ZodType<number>) => z.object({
  weights: Fifteen(z.number().min(0), 'weights').nullable().optional(),
  costs: z
    .array(z.number().min(0))
    .superRefine((a, ctx) => {
      if (a.length !== ELEMENTS.length) ctx.addIssue(saidIssue(phrase('jominyZod.costsLength', { n: ELEMENTS.length })));
    })
    .nullable()
    .optional(),
  beta: z.number().min(0).max(1e6).optional(),
  /**
   * Per-element ranges; an element not given takes the grade's range (gradeId) or else the training data's
   * 1st–99th percentiles (not its min–max: a few extreme heats must not widen the search). Inside the limits table.
   */
  ranges: perElement((el) => z.tuple([wt(el), wt(el)])).optional(),
  /** A grade of the library (jominy.grades.*): its chemistry ranges bound the search, and every result is checked against them. */
  gradeId: z.number().int().positive().optional(),
  /** Elements held at one value. */
  fixed: perElement(wt).optional(),
  /** Linear constraints, e.g. "Mn/S>=20", "Cr+Mo<=1.4". */
  linear: z.array(z.string().max(200)).max(20).optional(),
  ga: GaSettingsInput.optional(),
  /** Independent GA runs (different seeds) in the worker pool; their results are merged. */
  restarts: z.number().int().min(1).max(64).optional(),
  /**
   * Trust region (core/jominy/trust-region.ts): HRC of penalty per HRC of ensemble disagreement (default 1), and
   * the weight of the optional "maximise P(meet band)" term (0 = off; band targets with tolerances). The distance
   * penalty is ga.domainWeight (default 1 for designs).
   */
  trust: z.object({ sdWeight: z.number().min(0).max(100).optional(), robustWeight: z.number().min(0).max(1000).optional() }).optional(),
  /** Melt tolerance per element, ± wt.% around the aim (robust aims: P(a heat cast at the aim meets the band)). */
  tolerances: perElement(wt).optional(),
});
export const DesignSettings = designSettings(wtOf);
export type DesignSettings = z.infer<typeof DesignSettings>;
/** Settings as a session stored them: shown as they were, even if older than the limits table. */
const StoredDesignSettings = designSettings(() => z.number()).extend({
  /** The grade the run used, as it was then (a later edit or delete of the grade does not change the session). */
  grade: z.object({ id: z.number().int(), name: z.string(), ranges: z.partialRecord(ElementName, z.tuple([z.number(), z.number()])) }).optional(),
  /** Where the search box came from, in words, e.g. "ranges: grade 42CrMo4; other elements data P1–P99" (absent in older sessions: data min–max). */
  rangesFrom: z.string().optional(),
  /** The same parts as codes (designLimits.from.*), for the interface's language (absent in older sessions). */
  rangesFromPhrases: z.array(PhraseSchema).optional(),
  /** Why the run had no disagreement penalty, when it had none (absent when it had one, and in older sessions). */
  trustNote: z.string().nullable().optional(),
  trustNotePhrase: PhraseSchema.nullable().optional(),
  /** The predictor's weak point networks when the run started (core/jominy/weak-points.ts), as sentences: the design's curve there is no better than the mean curve (absent in older sessions). */
  weakPoints: z.array(PhraseSchema).optional(),
  /**
   * The predictor's biased-high points when the run started (heats read below 20 HRC left out; core/jominy/below-scale.ts):
   * their sentences, and per standard distance whether the designs' predicted hardness there rests on one (absent in older sessions).
   */
  /**
   * The predictor's biased-high distances when the run started (core/jominy/below-scale.ts); notRecorded: the sentence
   * "not recorded" where its dataset did not count heats below 20 HRC (absent in sessions stored before it was kept).
   */
  biasedHigh: z.object({ notes: z.array(PhraseSchema), standard: z.array(z.boolean()), atMm: z.array(z.number()).optional(), notRecorded: PhraseSchema.nullable().optional() }).optional(),
  /** The search box the run used, per element [min, max] wt.% (absent in older sessions). */
  box: z.record(ElementName, z.tuple([z.number(), z.number()])).optional(),
});

export const DomainFlag = z.object({
  inDomain: z.boolean(),
  outOfRange: z.array(z.object({ element: ElementName, value: z.number(), min: z.number(), max: z.number() })),
  distance: z.number(),
  threshold: z.number(),
  /** Element pairs in a combination no training heat comes near, with the gap in sd units (absent from older results). */
  uncoveredPairs: z.array(z.object({ elements: z.tuple([ElementName, ElementName]), gap: z.number() })).optional(),
  /** Elements outside the training range that no network uses: said, not counted against the domain (absent from older results). */
  outOfRangeUnused: z.array(z.object({ element: ElementName, value: z.number(), min: z.number(), max: z.number() })).optional(),
});

/** Why a P(meet band) has no held-out check (core/jominy/meet-uncertainty.ts MeetCheckWhy). */
export const MeetCheckWhySchema = z.enum(['measured', 'not-stored', 'band-off-points', 'half-too-small', 'too-few-heats', 'sixteenths']);
export type MeetCheckWhy = z.infer<typeof MeetCheckWhySchema>;
/** A P(meet band)'s held-out check: heats counted, mean P stated for them, share that met, its Wilson 90 % interval. */
/** `meanP` at the cross-fit halves' k (the procedure on heats it did not fit); `meanPStored` at the stored k the design's P uses (absent: stored before). */
export const MeetHeldOutCheckSchema = z.object({ heats: z.number().int(), meanP: z.number(), meanPStored: z.number().optional(), share: z.number(), lo: z.number(), hi: z.number() });

export const DesignResultRow = z.object({
  rank: z.number().int(),
  chemistry: Chemistry,
  profile: z.array(z.number()),
  /** A255 reference curve of the same chemistry (null where A255 cannot compute it). */
  reference: z.array(z.number()).nullable(),
  objective: z.number(),
  deviation: z.number(),
  weightedDeviation: z.number(),
  costTerm: z.number(),
  domain: DomainFlag,
  /** Per point: true where the prediction was above the martensite maximum of the carbon and lowered to it (absent in sessions older than the cap). */
  capped: z.array(z.boolean()).optional(),
  /**
   * Per point: true where the distance lies beyond the predictor's first or last point, so the profile there is its
   * end value held, not a prediction (absent in sessions stored before 2026-12-01).
   */
  outside: z.array(z.boolean()).optional(),
  /**
   * Per point: true where no network of the predictor predicts it — the dataset measured a distance there that was
   * skipped for too few heats, so the value is read between the neighbouring points (absent in sessions stored before it).
   */
  noNetwork: z.array(z.boolean()).optional(),
  /**
   * Per point, why the value is not a prediction to print as a number (core/jominy/point-marks.ts): 'held' beyond the
   * predictor's points, 'noNetwork' read across a skipped point, 'capped' at the martensite maximum, 'belowScale' under
   * 20 HRC where the Rockwell C scale ends; null: a prediction. Derived when read (jominy.sessions.get always fills it).
   */
  marks: z.array(z.enum(POINT_MARK_KINDS).nullable()).optional(),
  /** The ensemble's calibrated 90 % interval around the profile (absent without an ensemble or in older sessions). */
  interval: IntervalSchema.nullable().optional(),
  /**
   * P(a heat cast at the aim, within the tolerances, meets the band), Monte Carlo through the ensemble; null for a curve
   * target or without an ensemble. It uses the interval's scale, so its calibration is the interval's: calibrationWhy
   * is the interval's coverageWhy, and calibrationNote ("calibration not measured: …") is set whenever that is not
   * 'measured' — show it beside the number. Optional only in stored rows; jominy.sessions.get always fills both.
   */
  meet: z.object({
    /** `se`: the Monte Carlo error of the draws only (binomial); nothing of the calibration's uncertainty. */
    p: z.number(), se: z.number(), draws: z.number().int(), seed: z.number().int(), tolerances: z.partialRecord(ElementName, z.number()),
    calibrationWhy: CoverageWhySchema.optional(), calibrationNote: PhraseSchema.nullable().optional(),
    /**
     * What P rests on, measured (core/jominy/meet-uncertainty.ts; absent in sessions stored before 2026-12-01, whose
     * only ± is the Monte Carlo error). calibrationRange: 5–95 % of P over k and ρ refitted on `replicates` bootstrap
     * resamples of the held-out heats (null: the predictor stored no held-out cells). heldOut: this design's band shape
     * put around each held-out heat's predicted curve — the mean P stated for them (each at its other cross-fit half's
     * k and ρ), the share that met it and that share's Wilson 90 % interval over `heats` heats; null with heldOutWhy
     * when there is none. range: the widest of P ± 2 se, the calibration range and P moved by the held-out gap — the
     * range to show beside P.
     */
    calibrationRange: z.tuple([z.number(), z.number()]).nullable().optional(),
    replicates: z.number().int().optional(),
    heldOut: MeetHeldOutCheckSchema.nullable().optional(),
    heldOutWhy: MeetCheckWhySchema.optional(),
    range: z.tuple([z.number(), z.number()]).optional(),
  }).nullable().optional(),
});
export type DesignResultRow = z.infer<typeof DesignResultRow>;

/**
 * A design run's state. `interrupted`: the process running it ended (killed, crashed, closed) before it
 * finished; found and marked when a data folder is opened (see interruptedAt).
 */
export const SessionRunState = z.enum(['running', 'done', 'failed', 'cancelled', 'interrupted']);
/** A session's state in lists: its run's, or `draft` before any run. */
export const DesignSessionState = z.enum(['draft', ...SessionRunState.options]);
export type DesignSessionState = z.infer<typeof DesignSessionState>;

export const SessionRun = z.object({
  state: SessionRunState,
  error: z.string().nullable(),
  /** `error` as a code where the failure was a refusal worded in the catalog (absent on older sessions and internal errors). */
  errorPhrase: PhraseSchema.optional(),
  generations: z.number().int(),
  evaluations: z.number().int(),
  /** Why the search ended: 'generations' ran the set number, 'stalled' stopped early (the best improved by no more than
   * the tolerance over `stallGenerations`); null while running or when cancelled/failed before the end. */
  stopReason: z.enum(['generations', 'stalled']).nullable(),
  restarts: z.number().int(),
  threads: z.number().int(),
  durationMs: z.number(),
  seeds: z.array(z.number().int()),
  /** Per generation; `phase` 'refine' (CMA-ES, the default search's second part) has pc = pm = 0 and step = its σ in range units. */
  history: z.array(z.object({ gen: z.number().int(), best: z.number(), mean: z.number(), diversity: z.number(), pc: z.number(), pm: z.number(), step: z.number(), phase: z.enum(['ga', 'refine']).optional() })),
  /** The settings the run used, defaults filled in; `search` absent = a run from before it existed (the paper's GA). */
  ga: z.record(z.string(), z.union([z.number(), z.boolean(), z.string()])),
  /**
   * Elements the run did not search: the predictor does not take them as inputs, or takes them beyond the metallurgical
   * priors (C, Mn, Si, Cr, Ni, Mo, B), so each design carries the median of the training heats nearest to it instead
   * (with the domain penalty on; core/jominy/neighbour-aims.ts). Absent in older runs.
   */
  held: z.array(ElementName).optional(),
});

/**
 * The predictor that made a session, as recorded when the session was made. `deleted`: that predictor no longer
 * exists (modelId is then null); the session is a record of its run — its stored numbers stand, nothing is computed
 * with it again (a run with it as parent is refused). `id`/`name` null: it was deleted before sessions recorded them.
 */
export const SessionPredictor = z.object({ id: z.number().int().nullable(), name: z.string().nullable(), deleted: z.boolean() });
export type SessionPredictor = z.infer<typeof SessionPredictor>;

export const DesignSession = z.object({
  id: Id,
  name: z.string(),
  /** The predictor that made it while that predictor exists; null once it is deleted (see `predictor`). */
  modelId: z.number().int().nullable(),
  predictor: SessionPredictor,
  /**
   * true: its predictor was trained on synthetic data, so every number here is the generator's, not steel's; null: not
   * recorded (its predictor was deleted before sessions kept it, migration 031). Always filled by the service.
   */
  synthetic: z.boolean().nullable().optional(),
  parentSessionId: z.number().int().nullable(),
  seed: z.number().int(),
  target: TargetSchema,
  settings: StoredDesignSettings,
  run: SessionRun.nullable(),
  results: z.array(DesignResultRow),
  /**
   * Per standard distance, whether the target counts there (core/jominy/objective.ts countedPoints: a curve's point
   * with a value and weight > 0, a band's with a bound): a note on capped points names only these. Derived when read.
   */
  countedPoints: z.array(z.boolean()).optional(),
  /** When the run was found `interrupted` (null unless it was). */
  interruptedAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type DesignSession = z.infer<typeof DesignSession>;

export const DesignSessionSummary = z.object({
  id: Id,
  name: z.string(),
  modelId: z.number().int().nullable(),
  predictor: SessionPredictor,
  /** As DesignSession.synthetic. */
  synthetic: z.boolean().nullable().optional(),
  parentSessionId: z.number().int().nullable(),
  seed: z.number().int(),
  targetKind: z.enum(['curve', 'band']),
  state: DesignSessionState,
  bestDeviation: z.number().nullable(),
  interruptedAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type DesignSessionSummary = z.infer<typeof DesignSessionSummary>;

const ProfileIndicesSchema = z.object({
  points: z.array(z.object({ distanceMm: z.number(), eps: z.number(), E: z.number(), S: z.number(), theta: z.number() })),
  eps: z.number(),
  E: z.number(),
  S: z.number(),
  theta: z.number(),
});
export const EvaluationSummarySchema = z.object({
  r: z.number(),
  alpha: z.number(),
  objective: z.enum(['base', 'weighted', 'cost']),
  targets: z.number().int(),
  profile: ProfileIndicesSchema,
  elements: z.array(z.object({ element: ElementName, eps: z.number(), rho: z.number(), meanDesigned: z.number(), meanReal: z.number(), changePct: z.number().nullable() })),
  truth: ProfileIndicesSchema.nullable(),
  meanObjective: z.number(),
  meanCostTerm: z.number(),
  outOfDomain: z.number().int(),
  /** The nearest learnt heat's chemistry scored like the design (core/jominy/evaluate.ts); absent in evaluations stored before it, null without a library. */
  nearestHeat: z.object({ profile: ProfileIndicesSchema, truth: ProfileIndicesSchema.nullable(), designNearer: z.number().int(), baselineNearer: z.number().int() }).nullable().optional(),
});
export const JominyEvaluation = z.object({
  id: Id,
  name: z.string(),
  modelId: z.number().int().nullable(),
  datasetId: z.number().int().nullable(),
  /** true: its predictor or its target heats were synthetic (the scores are the generator's world's); null: not recorded (migration 031). */
  synthetic: z.boolean().nullable(),
  seed: z.number().int(),
  params: z.record(z.string(), z.unknown()),
  runs: z.array(EvaluationSummarySchema),
  durationMs: z.number(),
  threads: z.number().int(),
  createdAt: z.string(),
});
export type JominyEvaluation = z.infer<typeof JominyEvaluation>;

export const A255Out = z.object({
  diMm: z.number(),
  diIn: z.number(),
  initialHardness: z.number(),
  profile: z.array(z.number()),
  valid: z.boolean(),
  violations: z.array(z.string()),
  ignored: z.array(ElementName),
});

export const jominyMethods = {
  'jominy.meta': method(
    'Elements, distances, weight and cost presets, GA defaults',
    Empty,
    z.object({
      elements: z.array(ElementName),
      /** THE limits table: the most of each element (wt.%) any input may give; the least is 0. */
      elementLimits: z.record(ElementName, z.number()),
      distancesMm: z.array(z.number()),
      weightPresets: z.record(z.string(), z.array(z.number())),
      costPreset: z.object({ costs: z.array(z.number()), beta: z.number() }),
      ga: z.record(z.string(), z.union([z.number(), z.boolean(), z.string()])),
      synthDescription: z.string(),
    }),
  ),
  'jominy.datasets.list': method('Jominy datasets, newest first', Empty, z.array(JominyDataset)),
  'jominy.datasets.get': method('One Jominy dataset', z.object({ id: Id }), JominyDataset),
  'jominy.datasets.samples': method(
    'Heats of a dataset, a page at a time (optionally of one grade)',
    z.object({ id: Id, offset: z.number().int().min(0).default(0), limit: z.number().int().min(1).max(5000).default(200), grade: z.string().optional() }),
    z.object({ total: z.number().int(), samples: z.array(JominySampleRow) }),
  ),
  'jominy.datasets.previewCsv': method(
    'Read an uploaded Jominy CSV without importing it: delimiter, decimal mark, distance unit, what each column is and its unit, heats, or every problem by line and column',
    z.object({ upload: UploadRef, distanceUnit: DistanceUnit.optional(), missing: z.array(z.string().min(1).max(20)).max(10).optional(), decimalMark: JominyDecimalMark.optional(), minElementShare: MinElementShare.optional(), belowScale: BelowScale.optional() }),
    JominyCsvPreview,
  ),
  'jominy.datasets.import': method(
    'Import a Jominy CSV (any subset of the elements in wt.%, C required; any distances in mm or sixteenths; partial curves; two flats; HV by ASTM E140); a bad line refuses the whole file',
    z.object({
      upload: UploadRef,
      name: Name.optional(),
      /** Distances in mm (default) or sixteenths of an inch (J-number n = n × 1.5875 mm); must agree with a `# distance-unit:` line. */
      distanceUnit: DistanceUnit.optional(),
      /** Cell values that mean "not measured" besides the empty cell. */
      missing: z.array(z.string().min(1).max(20)).max(10).optional(),
      /** The file's decimal mark, when its values cannot tell ("1,234" everywhere is refused until declared). */
      decimalMark: JominyDecimalMark.optional(),
      /** An HRC reading below 20 or a bound like "<20": refused (default), or left empty with a warning per cell and counted per distance. */
      belowScale: BelowScale.optional(),
    }),
    JominyDataset,
  ),
  'jominy.datasets.synth': method(
    'Generate a SYNTHETIC dataset from a seed (grade families, A255-based curves, ~1 HRC noise)',
    z.object({ n: z.number().int().min(30).max(20000).default(800), seed: Seed, name: Name.optional(), noiseHrc: z.number().min(0).max(5).optional() }),
    JominyDataset,
  ),
  'jominy.datasets.grades': method(
    'Per grade of a dataset (or one grade): heats, mean curve, sd and the band per distance — a normal tolerance interval, mean ± k·sd covering at least 93 % of the grade\'s heats with 95 % confidence, k printed per distance, none where fewer than 10 heats measured it — and chemistry per element',
    z.object({ id: Id, grade: z.string().optional() }),
    z.array(GradeStats),
  ),
  'jominy.datasets.coverage': method('What a dataset holds: heats per distance × element and per grade and distance', z.object({ id: Id }), DatasetCoverage),
  'jominy.datasets.delete': method('Delete a dataset and its heats', z.object({ id: Id }), z.object({ deleted: z.literal(true) })),
  'jominy.models.list': method('Trained Jominy predictors, newest first', Empty, z.array(JominyModel)),
  'jominy.models.get': method('A predictor with per-point metrics and its inputs table', z.object({ id: Id }), JominyModelDetail),
  'jominy.models.train': method(
    'Train the hierarchical predictor on a dataset (a job; result {modelId})',
    z.object({
      datasetId: Id,
      name: Name.optional(),
      seed: Seed.default(1),
      testFraction: z.number().min(0.05).max(0.6).optional(),
      validationFraction: z.number().min(0.05).max(0.5).optional(),
      maxHidden: z.number().int().min(1).max(30).optional(),
      epochs: z.number().int().min(1).max(2000).optional(),
      /**
       * 'by-grade': every heat of a grade held out together (needs a grade on every heat, at least two grades);
       * 'by-order': the latest heats in the dataset's row order (production order) are the test heats, a heat placed
       * by its first row.
       */
      split: JominySplit.optional(),
      /** Bootstrap ensemble members for the predictive sd (default 5; 0 = none). */
      ensemble: z
        .number()
        .int()
        .min(0)
        .max(10)
        .superRefine((v, ctx) => {
          if (v === 1) ctx.addIssue(saidIssue(phrase('jominyZod.ensembleSize')));
        })
        .optional(),
      inputs: z.array(z.object({ elements: z.array(ElementName), points: z.array(z.number().int().min(0).max(N_POINTS - 1)) }).nullable()).length(N_POINTS).nullable().optional(),
      /** An element analysed on fewer than this share of the heats is not an input (default 0.8); heats lacking an input are left out. */
      minElementShare: MinElementShare.optional(),
    }),
    JobInfo,
  ),
  'jominy.models.delete': method('Delete a predictor; its design sessions stay, as records of their runs (SessionPredictor.deleted): never run again or continued', z.object({ id: Id }), z.object({ deleted: z.literal(true) })),
  'jominy.predict': method(
    'Predicted Jominy curve of a chemistry (every element the predictor uses must be given), its A255 reference curve and the domain flag',
    z.object({ modelId: Id, chemistry: ChemistryInput }),
    z.object({
      profile: z.array(z.number()),
      /** Per point: true where the network predicted more than the martensite maximum and the value was lowered to it. */
      capped: z.array(z.boolean()),
      /** As-quenched hardness of 100 % martensite for the chemistry's carbon: no point is above it. */
      martensiteMaxHrc: z.number(),
      /** Per standard point: true where it lies beyond the model's first or last point (its end value is held there; not a prediction). */
      outside: z.array(z.boolean()).optional(),
      /** Elements the chemistry left out (only ones the predictor does not use); not part of the domain check. */
      omitted: z.array(ElementName),
      reference: A255Out.nullable(),
      referenceError: z.string().nullable(),
      domain: DomainFlag,
      /** Calibrated 90 % interval from the predictor's ensemble (null without one). */
      interval: IntervalSchema.nullable(),
      /** Per standard point: true where the curve rests on a biased-high point (heats read below 20 HRC left out; core/jominy/below-scale.ts), with the sentences. */
      biasedHigh: z.array(z.boolean()),
      biasedHighNotes: z.array(PhraseSchema),
      /** "not recorded" when the predictor's dataset did not count heats below 20 HRC (its flags are unknown, not none); else null. */
      biasedHighNotRecorded: PhraseSchema.nullable(),
    }),
  ),
  'jominy.reference': method('ASTM A255 curve of a chemistry (boron left out; every element A255 uses must be given)', z.object({ chemistry: ChemistryInput }), A255Out),
  'jominy.design': method(
    'Design chemistries for a target curve or band (a job in the worker pool; result {sessionId}); a parent session must be this predictor\'s (one whose predictor was deleted is refused: nothing is stored)',
    z.object({ modelId: Id, name: Name.optional(), target: TargetSchema, settings: DesignSettings.default({}), seed: Seed.default(1), parentSessionId: Id.optional() }),
    JobInfo,
  ),
  'jominy.sessions.list': method('Design sessions, newest first', Empty, z.array(DesignSessionSummary)),
  'jominy.sessions.get': method('A design session with its results', z.object({ id: Id }), DesignSession),
  'jominy.sessions.rename': method('Rename a session', z.object({ id: Id, name: Name }), DesignSession),
  'jominy.sessions.duplicate': method('Copy a session (target, settings, results); the copy points to its parent', z.object({ id: Id, name: Name.optional() }), DesignSession),
  'jominy.sessions.delete': method('Delete a session and its results', z.object({ id: Id }), z.object({ deleted: z.literal(true) })),
  'jominy.sessions.export': method(
    'A session as CSV (one row per result) or JSON (everything)',
    z.object({ id: Id, format: z.enum(['csv', 'json']) }),
    z.object({ filename: z.string(), mime: z.string(), content: z.string() }),
  ),
  'jominy.evaluate': method(
    'Run the optimiser over target heats and score it (paper Eqs. 4–12; a job; result {evaluationId})',
    z.object({
      modelId: Id,
      /** Targets: this dataset's heats; default the model's own test heats. */
      datasetId: Id.optional(),
      objective: z.enum(['base', 'weighted', 'cost']).default('base'),
      sweep: z.boolean().default(false),
      population: z.number().int().min(4).max(2000).optional(),
      generations: z.number().int().min(1).max(10000).optional(),
      r: z.number().int().min(1).max(15).optional(),
      alpha: z.number().gt(0).max(500).optional(),
      faga: z.boolean().optional(),
      search: SearchKindSchema.optional(),
      domainWeight: z.number().min(0).max(100).optional(),
      /** Trust region's disagreement penalty (HRC per HRC of ensemble sd; needs a predictor with an ensemble). Default 0: the paper's protocol. */
      sdWeight: z.number().min(0).max(100).optional(),
      /** Search box: 'domain' = the training data's min–max (the paper's protocol, default); 'p1-p99' = the data's 1st–99th percentiles, as a design uses. */
      ranges: z.enum(['domain', 'p1-p99']).optional(),
      maxTargets: z.number().int().min(1).max(100000).optional(),
      threads: z.number().int().min(1).max(256).optional(),
      seed: Seed.default(1),
      name: Name.optional(),
    }),
    JobInfo,
  ),
  'jominy.evaluations.list': method('Stored evaluations, newest first', Empty, z.array(JominyEvaluation)),
  'jominy.evaluations.get': method('One evaluation', z.object({ id: Id }), JominyEvaluation),
};
