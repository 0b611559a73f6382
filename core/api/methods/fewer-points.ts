import { z } from 'zod';
import { method } from '../define.js';
import { Id, Seed } from '../common.js';
import { JobInfo } from '../events.js';
import { SampleLabel } from './cnn.js';
import { PhraseSchema } from '../phrase.js';

/**
 * "Measure fewer points" (issue 11 §6): a trained model proposes K points of a new billet to analyse; their
 * readings correct the model's level (and slope, where significant); every other point and the predicted map
 * get corrected values with intervals; a held-out curve tells a lab what K buys.
 */

const PlanPoint = z.object({
  label: z.string(),
  xMm: z.number(),
  yMm: z.number(),
  /** The model's prediction (TTA mean) and spread when the plan was made, and the width that weighted the proposal. */
  predicted: z.number(),
  sd: z.number(),
  width: z.number(),
  /** 1-based pick order when proposed, else null. */
  pick: z.number().int().nullable(),
  /** The point's reading now (mean of replicates), or null. */
  reading: z.number().nullable(),
});

export const PointPlan = z.object({
  id: Id,
  billetId: Id,
  modelId: Id.nullable(),
  modelName: z.string(),
  k: z.number().int(),
  seed: Seed,
  /** What weighted the proposal: `calibrated-interval` (the model's conformal half-widths), `tta-sd` (its spread over the 8 views, for a model without a calibration) or `given` (widths passed in). */
  widthSource: z.string(),
  widthWeight: z.number(),
  labels: z.array(z.string()),
  points: z.array(PlanPoint),
  /** The model's held-out RMSE (wt.%), the prior for the residual scatter of the correction. */
  priorSd: z.number(),
  /** Proposed points that have a reading now. */
  measured: z.number().int(),
  sample: SampleLabel,
  createdAt: z.string(),
  correctedAt: z.string().nullable(),
});
export type PointPlan = z.infer<typeof PointPlan>;

const SlopeTest = z.object({
  theilSen: z.number(), leastSquares: z.number(), se: z.number(), t: z.number(), critical: z.number(), used: z.boolean(), reason: z.string(), reasonPhrase: PhraseSchema.optional(),
});

const CorrectionMethod = z.enum(['level-slope', 'residual-kriging']);

/** The residual variogram whose shape the kriging uses (fitted to the model's held-out residuals on its training billet). */
const VariogramSummary = z.object({
  /** Share of the residual variance that is spatially correlated (0: none — kriging is then the trend alone). */
  structuredShare: z.number(),
  lengthScaleMm: z.number(),
  /** The largest lag the variogram was fitted on (mm): the length scale stops there (absent in corrections stored before). */
  maxLagMm: z.number().optional(),
  /** Held-out residuals and same-billet pairs it was fitted on, and where they came from. */
  points: z.number().int(),
  pairs: z.number().int(),
  source: z.string(),
  /** `source` as a phrase (absent in corrections stored before it, which show their English `source`). */
  sourcePhrase: PhraseSchema.optional(),
  /** This billet's residual sd split by that share: spatially correlated (sill) and not (nugget), wt.%. */
  sillSd: z.number(),
  nuggetSd: z.number(),
});

export const CorrectionSummary = z.object({
  /** `residual-kriging`: the trend below plus the kriged residuals of the analysed points; `level-slope`: the trend alone. */
  method: CorrectionMethod,
  variogram: VariogramSummary.nullable(),
  kind: z.enum(['none', 'level', 'level+slope']),
  k: z.number().int(),
  /** corrected = predicted + appliedOffset + (slope − 1) · (predicted − predictedMean); offset = readingMean − predictedMean. */
  offset: z.number(),
  /** Share of the offset applied (positive-part James–Stein shrinkage) and the applied offset, wt.%. */
  levelWeight: z.number(),
  appliedOffset: z.number(),
  slope: z.number(),
  predictedMean: z.number(),
  readingMean: z.number(),
  residualSd: z.number(),
  df: z.number(),
  priorSd: z.number(),
  slopeTest: SlopeTest.nullable(),
  level: z.number(),
  /** How the intervals were made, in words. */
  intervalMethod: z.string(),
  intervalMethodPhrase: PhraseSchema.optional(),
  /** The kriging's `intervalMethod` as the sentences it is made of (absent for the trend alone and in corrections stored before). */
  intervalMethodPhrases: z.array(PhraseSchema).optional(),
});

export const CorrectedPoint = z.object({
  label: z.string(),
  xMm: z.number(),
  yMm: z.number(),
  predicted: z.number(),
  corrected: z.number(),
  /** The kriged residual added to the trend here (0 with level-slope). */
  krigedResidual: z.number(),
  lower: z.number(),
  upper: z.number(),
  reading: z.number().nullable(),
  /** True for the points whose readings made the correction (they are not a check of it). */
  analysed: z.boolean(),
});


const CarbonRange = z.object({ min: z.number(), max: z.number() });

/**
 * Does the expected MAE of the model's K-curves apply to this billet (task 19-C, core/segregation/fewer-points/
 * applicability.ts)? Judged from the K readings: the share of them outside the carbon range the model was trained
 * on, and the level shift they need against what the K-curves' billets needed. `words`: what the view, the CLI and
 * the corrected map's notes (PDF) say, as codes.
 */
export const CurveGuard = z.object({
  applies: z.boolean(),
  outsideRange: z.boolean(),
  levelShift: z.boolean(),
  /** The model's training carbon range (wt.%); null when the model has none recorded (no range test). */
  trainingRange: CarbonRange.nullable(),
  analysed: z.number().int(),
  analysedOutside: z.number().int(),
  outsideShare: z.number(),
  /** Share of every point's corrected prediction outside the range (reported, not tested). */
  correctedOutsideShare: z.number(),
  /** Mean reading − mean prediction of the analysed points; the largest |offset| the reference K-curves' billets needed, how many, and the limit tested. */
  offset: z.number(),
  referenceShift: z.number(),
  referenceBillets: z.number().int(),
  offsetLimit: z.number(),
  /**
   * The third sign (task 20-C): the billet's own leave-one-out MAE above the reference curve's own LOO MAE at the largest
   * K ≤ this K (mean over its draws) + 3.09 sd; the reference with its limit (null: not tested — no curve, or one measured
   * before it recorded the LOO). Absent in corrections stored before.
   */
  ownCheckHigh: z.boolean().optional(),
  ownCheckReference: z.object({ k: z.number().int(), looMae: z.number(), looMaeSd: z.number(), draws: z.number().int(), curveId: Id, billetId: Id, limit: z.number() }).nullable().optional(),
  /** The expected MAE at this K from the newest held-out K-curve of the model on a billet inside its range; null: none stored, or it does not apply. */
  expected: z.object({ k: z.number().int(), mae: z.number(), curveId: Id, billetId: Id, sample: SampleLabel }).nullable(),
  words: z.array(PhraseSchema),
  /** The same in English (CLI, logs). */
  english: z.string(),
});
export type CurveGuard = z.infer<typeof CurveGuard>;

/**
 * The billet's own check (task 20-C, core/segregation/fewer-points/leave-one-out.ts): each analysed reading left out
 * in turn, the same correction refitted on the other K − 1 and the reading predicted. `mae` is held-out on this
 * billet's own readings, an estimate for K − 1 readings (slightly pessimistic for K); null below 2 readings.
 * `curveAtFitPoints`: the expected MAE of the guard's K-curve at the largest K ≤ K − 1 (null when the guard hands on none).
 */
export const OwnCheck = z.object({
  n: z.number().int(),
  fitPoints: z.number().int(),
  mae: z.number().nullable(),
  /** Mean reading − prediction of the left-out readings, and the share inside their refit's interval at `level`. */
  bias: z.number().nullable(),
  coverage: z.number().nullable(),
  level: z.number(),
  points: z.array(z.object({ label: z.string(), reading: z.number(), predicted: z.number(), halfWidth: z.number(), error: z.number() })),
  curveAtFitPoints: z.object({ k: z.number().int(), mae: z.number(), curveId: Id, billetId: Id }).nullable(),
  words: z.array(PhraseSchema),
  english: z.string(),
});
export type OwnCheck = z.infer<typeof OwnCheck>;

/**
 * The correction chosen on the billet's own K readings (task 21-C, core/segregation/fewer-points/choose.ts): each
 * candidate with its leave-one-out MAE on the readings, its excess over the best and that excess's paired standard
 * error; the simplest allowed one within `seMultiple` SE of the best was made. The uncorrected model is not allowed
 * when the readings lie outside the model's training range. `words`: what the view, the CLI and the map's note say.
 */
export const CorrectionChoice = z.object({
  rule: z.literal('loo-simplest-within-se'),
  seMultiple: z.number(),
  k: z.number().int(),
  outsideRange: z.boolean(),
  analysedOutside: z.number().int(),
  candidates: z.array(z.object({
    /** `none`, `none+kriging`, `level`, `level+kriging`, `level+slope`, `level+slope+kriging`. */
    name: z.string(),
    trend: z.enum(['none', 'level', 'level+slope']),
    kriging: z.boolean(),
    looMae: z.number(),
    coverage: z.number(),
    excess: z.number(),
    excessSe: z.number(),
    allowed: z.boolean(),
  })),
  chosen: z.number().int(),
  best: z.number().int(),
  chosenName: z.string(),
  words: z.array(PhraseSchema),
  english: z.string(),
});
export type CorrectionChoice = z.infer<typeof CorrectionChoice>;

export const Correction = z.object({
  planId: Id,
  billetId: Id,
  modelId: Id.nullable(),
  modelName: z.string(),
  seed: Seed,
  /** Proposed points without a reading (the correction used the others). */
  missing: z.array(z.string()),
  correction: CorrectionSummary,
  points: z.array(CorrectedPoint),
  /**
   * Held-out check on the points that were NOT analysed but have readings: MAE of the corrected and the
   * uncorrected predictions and the share inside the intervals. Null when no such point exists.
   */
  check: z.object({ n: z.number().int(), mae: z.number(), uncorrectedMae: z.number(), coverage: z.number(), sample: SampleLabel }).nullable(),
  /**
   * The newest predicted map of this billet by this model, corrected cell by cell (its smoothed field when it has
   * one) and stored with that map (layers `corrected` and `corrected-uncertainty`); null when there is none.
   */
  map: z.object({
    predictionId: Id,
    field: z.enum(['smoothed', 'raw']),
    strideMm: z.number(),
    cells: z.number().int(),
    meanWtPct: z.number(),
    minWtPct: z.number(),
    maxWtPct: z.number(),
    meanHalfWidth: z.number(),
    uncorrectedMeanWtPct: z.number(),
  }).nullable(),
  /** Whether the K-curves' expected MAE applies to this billet (absent in corrections stored before task 19-C). */
  guard: CurveGuard.optional(),
  /** The billet's own leave-one-out check (absent in corrections stored before task 20-C). */
  ownCheck: OwnCheck.optional(),
  /** The correction chosen on the K readings (task 21-C); null with fewer than 2 readings (the level was made); absent in corrections stored before. */
  choice: CorrectionChoice.nullable().optional(),
  correctedAt: z.string(),
});
export type Correction = z.infer<typeof Correction>;

export const KCurveRow = z.object({
  k: z.number().int(), draws: z.number().int(), mae: z.number(), maeSd: z.number(), maeMin: z.number(), maeMax: z.number(),
  uncorrectedMae: z.number(), coverage: z.number(), meanHalfWidth: z.number(), slopeShare: z.number(),
  /** No model: the mean of the K readings at every other point, its MAE there (absent at K = 0 and in curves measured before task 22-G). */
  readingsMeanMae: z.number().optional(),
  /** The leave-one-out MAE of the K analysed readings, mean and sd over the draws (task 20-C; absent at K < 2 and in curves measured before). */
  looMae: z.number().optional(), looMaeSd: z.number().optional(),
  /** Share of the draws whose correction chose each candidate (task 21-C; absent in curves measured before the choice). */
  chosen: z.record(z.string(), z.number()).optional(),
});

export const KCurveResult = z.object({
  id: Id,
  billetId: Id,
  modelId: Id.nullable(),
  modelName: z.string(),
  seed: Seed,
  draws: z.number().int(),
  selection: z.enum(['proposed', 'random']),
  /** How the K readings corrected the model in this curve (curves stored before residual kriging: level-slope). */
  method: CorrectionMethod,
  /** The rule each draw's correction was chosen by, as the workflow does (task 21-C); absent: the rule-based correction of curves measured before. */
  choice: z.literal('loo-simplest-within-se').optional(),
  level: z.number(),
  points: z.number().int(),
  /** What the billet is to the model: a curve on its own training image is in-sample and says little. */
  sample: SampleLabel,
  rows: z.array(KCurveRow),
  /**
   * The floors no K-point correction of this model passes on this billet: MAE over all `points` measured points
   * with the best level, and the best level and slope, fitted to ALL their readings (in-sample). Absent in curves
   * stored before task 18-D.
   */
  floor: z.object({
    points: z.number().int(), level: z.number(), levelSlope: z.number(),
    /** Mean reading − mean prediction over all points: the level shift this billet needed (absent before task 19-C). */
    offset: z.number().optional(),
  }).optional(),
  /**
   * This billet against the model's training carbon range (task 19-C): the share of its readings outside it, and
   * whether that makes it a billet the model does not know — its curve then is not the expected MAE of billets the
   * model knows, and corrections do not take it as a reference. Absent in curves stored before.
   */
  range: z.object({ trainingRange: CarbonRange.nullable(), outsideShare: z.number(), outside: z.boolean(), words: z.array(PhraseSchema), english: z.string() }).optional(),
  createdAt: z.string(),
});
export type KCurveResult = z.infer<typeof KCurveResult>;

const Ks = z.array(z.number().int().min(0).max(200)).min(1).max(20);

export const fewerPointsMethods = {
  'fewerPoints.propose': method(
    'Propose K points of a billet to analyse for a model (one per region: K strata of its layout points by weighted p-median in position and predicted value, a seeded pick per stratum weighted by the model’s per-point width); predicts every point first, so a job. The plan is stored with its seed',
    z.object({
      modelId: Id,
      billetId: Id,
      k: z.number().int().min(1).max(200),
      seed: Seed.default(1),
      /** Exponent on width / mean width; default 1 with `widths`, 0 with the TTA spread (it did not help held-out). */
      widthWeight: z.number().min(0).max(4).optional(),
      /** Per-point widths in the billet's point order (e.g. calibrated interval half-widths); default: the TTA spread. */
      widths: z.array(z.number().min(0).refine(Number.isFinite, 'must be finite')).optional(),
    }),
    JobInfo,
  ),
  'fewerPoints.plans': method('Stored point plans of a billet, newest first', z.object({ billetId: Id }), z.array(PointPlan)),
  'fewerPoints.correct': method(
    'Correct a plan’s model predictions with the readings now present at its proposed points: the correction (none, level, level and slope; with `residual-kriging`, the default, each also with its residuals kriged with the covariance shape of the model’s held-out residuals) is chosen on the readings’ own leave-one-out errors, the simplest within the two-sided 95 % t quantile (K − 1 degrees of freedom) of standard errors of the best; corrected values with intervals at every point and over the newest predicted map, which is stored with that map',
    z.object({ billetId: Id, modelId: Id.optional(), planId: Id.optional(), level: z.number().min(0.5).max(0.99).default(0.9), method: CorrectionMethod.default('residual-kriging') }),
    Correction,
  ),
  'fewerPoints.curve': method(
    'Held-out experiment on a fully measured billet: MAE of the corrected predictions on the points not analysed, per K, over seeded repeated draws; a job, stored',
    z.object({
      modelId: Id,
      billetId: Id,
      ks: Ks.default([0, 2, 4, 6, 8, 12, 16]),
      draws: z.number().int().min(1).max(200).default(20),
      seed: Seed.default(1),
      selection: z.enum(['proposed', 'random']).default('proposed'),
      method: CorrectionMethod.default('residual-kriging'),
    }),
    JobInfo,
  ),
  'fewerPoints.curves': method('Stored K-curves (of one model when given), newest first', z.object({ modelId: Id.optional() }).optional().default({}), z.array(KCurveResult)),
};
