import { z } from 'zod';
import { method } from '../define.js';
import { Empty, Id, Name, Seed, UploadRef } from '../common.js';
import { JobInfo } from '../events.js';
import { BackendInfo } from './system.js';
import { PhraseSchema, type Phrase } from '../phrase.js';

export const Architecture = z.object({
  inputSize: z.number().int().min(8).max(1024),
  channels: z.union([z.literal(1), z.literal(3)]),
  blocks: z.number().int().min(2).max(7),
  convsPerBlock: z.number().int().min(1).max(4),
  baseFilters: z.number().int().min(1).max(256),
  dense: z.array(z.number().int().min(1).max(8192)).min(1, 'at least 1 dense layer').max(6, 'at most 6 dense layers'),
  dropout: z.number().min(0).lt(1),
});
export type Architecture = z.infer<typeof Architecture>;

export const Hyper = z.object({
  epochs: z.number().int().min(1).max(5000),
  batchSize: z.number().int().refine((v) => [16, 32, 64].includes(v), 'batch size must be 16, 32 or 64'),
  learningRate: z.number().gt(0).max(1),
  patience: z.number().int().min(1).max(5000),
  /**
   * Training augmentation (Supp. Table 1): none = the patch only, rotation = 0/90/180/270°, mirror = the patch
   * and its left↔right mirror, both = all 8 dihedral copies (default). Prediction's TTA always uses all 8.
   */
  augment: z.enum(['none', 'rotation', 'mirror', 'both']).optional(),
});
export type Hyper = z.infer<typeof Hyper>;

export const PresetName = z.enum(['compact', 'paper']);
export const SplitMode = z.enum(['random', 'leave-one-billet-out']);

/**
 * Which data a metric was computed on: `in-sample` = points the model trained on (or any point of a section
 * image it trained on: decided by the image's content hash, not the billet id, so a re-imported copy is still
 * in-sample); `held-out` = a k-split's test points (same billet, never trained on by that split's model);
 * `out-of-sample` = a section image the model never saw. A fine-tuned model saw what its ancestors saw too.
 * `unknown` = not in-sample by what is known, but an ancestor's training data is unknown (a parent deleted before
 * its data was stored with the fine-tune): never called held-out or out-of-sample.
 */
export const SampleLabel = z.enum(['in-sample', 'held-out', 'out-of-sample', 'unknown']);
export type SampleLabel = z.infer<typeof SampleLabel>;

export const Metrics = z.object({
  n: z.number().int(),
  /** R² (Eq. 2, squared correlation): blind to bias and slope. */
  r2: z.number(),
  /** R² (coefficient of determination) 1 − SSE/SST; absent on models stored before it was recorded. */
  r2Determination: z.number().optional(),
  /** Mean of predicted − measured, wt.%; absent on models stored before it was recorded. */
  meanBias: z.number().optional(),
  mae: z.number(),
  rmse: z.number(),
  maxAbsError: z.number(),
  meanRelError: z.number(),
  /** What the figures were computed on (see SampleLabel); absent on models stored before it was recorded. */
  sample: SampleLabel.optional(),
});
export type Metrics = z.infer<typeof Metrics>;
const MeanSd = z.object({ mean: z.number(), sd: z.number() });
export const MetricsSummary = z.object({
  r2: MeanSd,
  r2Determination: MeanSd.optional(),
  meanBias: MeanSd.optional(),
  mae: MeanSd,
  rmse: MeanSd,
  maxAbsError: MeanSd,
  meanRelError: MeanSd,
});

export const EpochLog = z.object({ epoch: z.number().int(), loss: z.number(), valMae: z.number().nullable(), seconds: z.number(), etaS: z.number() });
export type EpochLog = z.infer<typeof EpochLog>;

/**
 * A training run's time, estimated before its first epoch: one warm forward + backward step of the chosen
 * architecture measured on the active backend on one thread (a batch of random patches; the first steps, cold,
 * are discarded), times the planned steps (runs × epochs × batches of the 8 dihedral copies of each training
 * point). An estimate: early stopping makes runs shorter, validation and test-time augmentation add a little.
 */
export const TrainEstimate = z.object({
  seconds: z.number(),
  stepSeconds: z.number(),
  /** Steps run and discarded before the timed ones (the cold first calls). */
  discardedSteps: z.number().int(),
  /** Threads the measured step ran on. */
  threads: z.number().int(),
  steps: z.number().int(),
  batchSize: z.number().int(),
  backend: z.string(),
  basis: z.string(),
});
export type TrainEstimate = z.infer<typeof TrainEstimate>;

/** Per-epoch progress payload of a training job (JobInfo.detail). */
export interface TrainProgressDetail {
  runId: number;
  runIndex: number;
  runCount: number;
  runName: string;
  /** `runName` as a phrase, for the interface's language. */
  runNamePhrase?: Phrase;
  epoch: number;
  epochs: number;
  loss: number;
  valMae: number | null;
  etaS: number;
  /** The estimate stated before the first epoch (see TrainEstimate). */
  estimate?: TrainEstimate;
  /**
   * Only this epoch: a live plot accumulates them (keyed by runId and runName), and one that opens mid-run
   * reads the epochs so far from `cnn.runs.list`. Sending the whole curve every epoch grew with epochs².
   */
  log: EpochLog;
}

export const PointPrediction = z.object({
  billetId: z.number().int(),
  label: z.string(),
  xMm: z.number(),
  yMm: z.number(),
  actual: z.number(),
  mean: z.number(),
  sd: z.number(),
  relError: z.number(),
});
export type PointPrediction = z.infer<typeof PointPrediction>;

/**
 * A model's calibrated prediction intervals (core/ml/conformal.ts): split-conformal on the held-out residuals
 * of its k splits, the finite-sample quantile ⌈(n+1)(1−α)⌉/n; `normalised-tta` scales each interval by
 * γ + the prediction's TTA sd. `measuredCoverage`: fraction of held-out residuals inside an interval calibrated
 * without them (leave-one-split-out, or leave-one-point-out with one split).
 */
export const IntervalCalibration = z.object({
  method: z.enum(['split-conformal-absolute', 'split-conformal-normalised-tta']),
  alpha: z.number().gt(0).lt(1),
  quantile: z.number(),
  scale: z.number().nullable(),
  /** Held-out residuals calibrated on: random splits draw their test points independently, so a point may count twice. */
  n: z.number().int(),
  /** Distinct points among the `n` residuals (absent: stored before it was recorded and not derivable from the splits). */
  points: z.number().int().optional(),
  measuredCoverage: z.number().nullable(),
  /** Residuals the coverage was measured on (each counts once: a point held out by two splits weighs twice). */
  coverageN: z.number().int(),
  /** Distinct points among the `coverageN` residuals (absent: not recorded). */
  coveragePoints: z.number().int().optional(),
  coverageProtocol: z.enum(['leave-one-split-out', 'leave-one-point-out']),
  meanHalfWidth: z.number(),
  /** The stored refit model's coverage of its own training points by this interval (core/ml/conformal.ts). */
  refitCoverage: z.object({ coverage: z.number().min(0).max(1), n: z.number().int().min(1) }).nullable().optional(),
  /**
   * The warning that the stored refit misses its own interval on its training points by more than sampling explains
   * (core/ml/conformal.ts `refitCoverageShort`), as the core words it (`coveragePhrase`); null: no such warning.
   * Filled where a model is described (`cnn.models.get`/`list`); absent in stored metrics and prediction outputs.
   */
  refitShortPhrase: PhraseSchema.nullable().optional(),
});
export type IntervalCalibration = z.infer<typeof IntervalCalibration>;

/** A calibrated interval of one prediction, wt.% (nominal level: the calibration's 1 − α). */
export const PredictionInterval = z.object({ lo: z.number(), hi: z.number(), halfWidth: z.number() });
export type PredictionInterval = z.infer<typeof PredictionInterval>;

export const RunMetrics = z.object({
  name: z.string(),
  /** `name` (a split's, in English) as a phrase; absent on runs stored before it, which show their English name. */
  namePhrase: PhraseSchema.optional(),
  seed: z.number().int(),
  bestEpoch: z.number().int(),
  stoppedEarly: z.boolean(),
  history: z.array(EpochLog),
  train: Metrics,
  test: Metrics.nullable(),
  testMaeOfTrainMean: z.number().nullable(),
  trainPoints: z.array(PointPrediction),
  testPoints: z.array(PointPrediction),
});
export type RunMetrics = z.infer<typeof RunMetrics>;

export const CnnMetrics = z.object({
  splitMode: z.string(),
  splits: z.array(RunMetrics),
  summary: z.object({ test: MetricsSummary, train: MetricsSummary }).nullable(),
  final: RunMetrics,
  /** The intervals every prediction of this model carries; null: too few held-out points; absent on models stored before calibration (derived from their splits when read). */
  calibration: IntervalCalibration.nullable().optional(),
  /**
   * The texture blend (core/segregation/cnn/texture-blend.ts): prediction = cnnWeight · CNN + (1 − cnnWeight) ·
   * a linear model on the patch's dark-phase fractions, the weight chosen on the splits' held-out points (whose
   * MAE for each is kept; `blendMae` is the one the weight was chosen on, `crossChosenMae` each split at the weight
   * chosen on the other splits, `splitWeights` those weights). Absent or null: the CNN alone (models stored before it,
   * or trained with textureBlend off).
   */
  blend: z.object({
    texture: z.object({ kind: z.literal('dark-fraction-linear'), cuts: z.array(z.number()), intercept: z.number(), coef: z.array(z.number()) }),
    cnnWeight: z.number().min(0).max(1),
    heldOut: z.object({ points: z.number().int(), cnnMae: z.number(), textureMae: z.number(), blendMae: z.number(), crossChosenMae: z.number().nullable().optional() }),
    splitTexture: z.array(z.array(z.number())),
    splitWeights: z.array(z.number().min(0).max(1).nullable()).optional(),
  }).nullable().optional(),
});
export type CnnMetrics = z.infer<typeof CnnMetrics>;

/** A model's physical scale (issue 11 §1): the patch side on the steel and the section scale it was trained at. */
export const ModelScaleInfo = z.object({
  /** False for a model stored before scales were recorded: it cuts `inputSize` native pixels ("scale unknown"). */
  known: z.boolean(),
  patchMm: z.number().nullable(),
  trainedMmPerPx: z.number().nullable(),
  /** The finest detail its patches keep (mm per pixel; null: the training scale). */
  detailMmPerPx: z.number().nullable(),
  inputSize: z.number().int(),
  label: z.string(),
  /** The label as a code, worded in the interface's language. */
  labelPhrase: PhraseSchema.optional(),
});
export type ModelScaleInfo = z.infer<typeof ModelScaleInfo>;

/** How one image's patches were cut for a model, with the warning when it had to be enlarged (or the scale is unknown). */
export const PatchScaleInfo = z.object({
  known: z.boolean(),
  patchMm: z.number().nullable(),
  trainedMmPerPx: z.number().nullable(),
  imageMmPerPx: z.number().nullable(),
  sourceSizePx: z.number().int().nullable(),
  inputSize: z.number().int(),
  /** inputSize / sourceSizePx (> 1: the image was enlarged). */
  upsample: z.number().nullable(),
  warning: z.string().nullable(),
  /** The warning as a code, worded in the interface's language (absent where stored before codes). */
  warningPhrase: PhraseSchema.nullable().optional(),
  label: z.string(),
  /** The label as a code, worded in the interface's language (absent where stored before codes). */
  labelPhrase: PhraseSchema.nullable().optional(),
});
export type PatchScaleInfo = z.infer<typeof PatchScaleInfo>;

/**
 * A section a model trained on (or a predicted map was cut from) whose rim calibration its file's resolution tag
 * contradicts (the sections service's `scaleCheck`): stored with the model (migration 028) and the predicted map
 * (029) in the transaction that stores them, so the figures read later still say it.
 */
export const SectionScaleWarning = z.object({
  billetId: z.number().int(),
  billetName: z.string(),
  imageId: z.number().int(),
  /** The rim calibration's mm per pixel: the scale the patches were cut at. */
  calibratedMmPerPx: z.number(),
  /** The file's resolution tag, as mm per pixel and pixels per inch. */
  taggedMmPerPx: z.number(),
  tagPxPerInch: z.number(),
  /** calibrated / tagged (4: the rim makes each pixel 4× as large as the tag says). */
  ratio: z.number(),
  /** The warning in words (`scale.sectionOffTag`). */
  phrase: PhraseSchema,
});
export type SectionScaleWarning = z.infer<typeof SectionScaleWarning>;
/**
 * What a job's check of its sections' scale against their resolution tags covered: only a section with a believed
 * tag (not a camera's 72–350 dpi default, core/imaging/resolution-tag.ts) that was read and a rim calibration can be
 * compared, so "no contradiction" is said only of those. Null: counted by a build that kept only the contradictions.
 */
export const ScaleCheckCounts = z.object({
  /** The job's sections (each billet's current section). */
  sections: z.number().int(),
  /** Those compared: a believed tag and a rim calibration. */
  compared: z.number().int(),
  /** No believed tag: none in the file, or a camera's default density. */
  noTag: z.number().int(),
  /** The tag not read: still pending, or the file could not be read for it. */
  unread: z.number().int(),
  /** A believed tag but no rim calibration. */
  noRim: z.number().int(),
});
export type ScaleCheckCounts = z.infer<typeof ScaleCheckCounts>;

/** The check of a model's training sections or a map's section, with the check inherited from the model it came from. */
export interface ScaleCheck {
  counts: ScaleCheckCounts | null;
  /** The compared sections whose rim its tag contradicts. */
  warnings: SectionScaleWarning[];
  /**
   * A fine-tune's base model (role 'base') or a predicted map's model (role 'model') and that model's own stored check
   * as it was when this was made (check null: not recorded for it); absent: none.
   */
  from?: { role: 'base' | 'model'; modelId: number | null; modelName: string | null; check: ScaleCheck | null };
}
export const ScaleCheck: z.ZodType<ScaleCheck> = z.lazy(() =>
  z.object({
    counts: ScaleCheckCounts.nullable(),
    warnings: z.array(SectionScaleWarning),
    from: z.object({ role: z.enum(['base', 'model']), modelId: z.number().int().nullable(), modelName: z.string().nullable(), check: ScaleCheck.nullable() }).optional(),
  }),
);
/** Null: not recorded (stored before migrations 028/029, or imported from such a model). */
export const StoredScaleCheck = ScaleCheck.nullable();
export type StoredScaleCheck = ScaleCheck | null;

export const ModelSummary = z.object({
  id: Id,
  name: z.string(),
  kind: z.string(),
  parentModelId: z.number().int().nullable(),
  createdAt: z.string(),
  architecture: Architecture,
  preset: z.string().nullable(),
  seed: z.number().int(),
  datasetFingerprint: z.string(),
  billets: z.array(z.object({ id: z.number().int(), name: z.string() })),
  /** Points of its dataset (every point with a reading); not what the weights trained on: `trainingPoints` says that. */
  pointCount: z.number().int(),
  /**
   * Of those points, the ones the stored weights trained on, the ones that only chose the stopping epoch and the ones
   * held out from the stored model (core/segregation/cnn/training-points.ts); null: not recorded with the model.
   */
  trainingPoints: z.object({ points: z.number().int(), trained: z.number().int(), validation: z.number().int(), heldOut: z.number().int() }).nullable(),
  /** Those counts in words with the billets' names (or that they are not recorded), for the CLI, the Train view and the PDF. */
  trainingPointsPhrase: PhraseSchema,
  backend: z.string().nullable(),
  /** The Ferrolab version and training kernels that made the model (BackendInfo.trainedBy; absent on older models). */
  trainedBy: z.string().optional(),
  /**
   * What the model's k-split evaluation says, on the splits' held-out test points (core/segregation/cnn/held-out-summary.ts):
   * both R² named apart (`r2Eq2` the squared correlation of Eq. 2, `r2Determination` 1 − SSE/SST) and the MAE beside
   * `baselineMae`, the training mean predicted at the same points (knows no image). Null: no held-out splits. (Replaces
   * `testR2`/`testMae`, which gave Eq. 2's R² alone.)
   */
  heldOut: z.object({
    splits: z.number().int(),
    splitMode: z.string(),
    r2Eq2: MeanSd,
    r2Determination: MeanSd.nullable(),
    mae: MeanSd,
    baselineMae: MeanSd.nullable(),
    /**
     * A texture-blended model predicts the blend: the figures above are the CNN's alone, and `mae` here is the
     * model's MAE pooled over the splits' `residuals`: held-out (each split at the weight chosen on the other splits),
     * or, `weightChosenOnThem`, for a blend stored before that was measured, the MAE its weight was chosen on (not a
     * held-out figure). Null: the model is the CNN alone.
     */
    blend: z.object({ mae: z.number(), residuals: z.number().int(), weightChosenOnThem: z.boolean() }).nullable(),
    /**
     * A fine-tune: of its splits' `n` held-out test points, `inAncestors` are in a parent's training set (held out from
     * the fine-tune only) and `unknown` cannot be told (as ModelDetail.ancestorOverlap). Null: none, or no fine-tune.
     */
    ancestorOverlap: z.object({ n: z.number().int(), inAncestors: z.number().int(), unknown: z.number().int() }).nullable(),
  }).nullable(),
  /** The model's calibrated 90 % intervals and their measured coverage (null: none could be calibrated). */
  calibration: IntervalCalibration.nullable(),
  synthetic: z.boolean(),
  scale: ModelScaleInfo,
  /** Its training sections checked against their resolution tags (null: not recorded), and that check in words. */
  scaleCheck: StoredScaleCheck,
  scaleWords: z.array(PhraseSchema),
});
export type ModelSummary = z.infer<typeof ModelSummary>;

/**
 * A fine-tune's k-split figures against its ancestors (task 27-G): every split's model starts from the parent's weights,
 * so a split's held-out point the parent (or an earlier ancestor) trained on is held out from the fine-tune only.
 * `unknown`: points whose sample to an ancestor cannot be told (an ancestor deleted before its data was stored).
 */
export const AncestorOverlap = z.object({
  n: z.number().int(),
  inAncestors: z.number().int(),
  unknown: z.number().int(),
  splits: z.array(z.object({ name: z.string(), n: z.number().int(), inAncestors: z.number().int(), unknown: z.number().int() })),
  /** The ancestors whose training data is known, nearest first. */
  ancestors: z.array(z.object({ id: z.number().int(), name: z.string() })),
  words: z.array(PhraseSchema),
  english: z.string(),
});
export type AncestorOverlap = z.infer<typeof AncestorOverlap>;

export const ModelDetail = ModelSummary.extend({
  hyper: z.record(z.string(), z.unknown()),
  backendInfo: BackendInfo.nullable(),
  dataset: z.record(z.string(), z.unknown()),
  metrics: CnnMetrics.nullable(),
  lineage: z.array(z.object({ id: z.number().int(), name: z.string() })),
  /** Null: not a fine-tune, or none of its split test points is in an ancestor's training set. */
  ancestorOverlap: AncestorOverlap.nullable().optional(),
});
export type ModelDetail = z.infer<typeof ModelDetail>;

export const TrainInput = z.object({
  billetIds: z.array(Id).min(1, 'choose at least one billet').max(50),
  preset: PresetName.default('compact'),
  architecture: Architecture.partial().optional(),
  hyper: Hyper.partial().optional(),
  splits: z.number().int().min(1).max(50).optional(),
  splitMode: SplitMode.optional(),
  seed: Seed.optional(),
  refit: z.boolean().optional(),
  clahe: z.boolean().optional(),
  /** Per-patch 2–98 % percentile contrast stretch after CLAHE (default 'percentile'). */
  inputNorm: z.enum(['none', 'percentile']).optional(),
  name: Name.optional(),
  /** Gradient workers of data-parallel training on wasm/cpu (default: setting ml.trainWorkers, else physical cores − 1 and at most half the batch; the worker cap may grant fewer). */
  workers: z.number().int().min(1, 'at least 1 worker').max(256).optional(),
  baseModelId: Id.optional(),
  /** Side of the patch on the steel, mm (default: the input size in the first calibrated billet's pixels). */
  patchMm: z.number().gt(0, 'must be positive').max(300, 'a patch above 300 mm is half the billet').optional(),
  /**
   * The coarsest scan the model must read alike (mm per pixel): its patches keep no finer detail, so scans from its
   * training scale down to this one give the same input (default: none, the training scale's full detail).
   */
  detailMmPerPx: z.number().gt(0, 'must be positive').max(10).optional(),
  /**
   * Blend the CNN with a linear model on the patches' dark-phase fraction, weighted as the held-out points choose
   * (needs held-out points: with none the model is the CNN alone). Default false: it lowers the error on new
   * billets of another bulk carbon, but its feature is less resolution-invariant than the CNN.
   */
  textureBlend: z.boolean().optional(),
});
export type TrainInput = z.input<typeof TrainInput>;

export const PointForecast = z.object({
  label: z.string(),
  xMm: z.number(),
  yMm: z.number(),
  mean: z.number(),
  /** Spread of the 8 test-time-augmented views: a difficulty, NOT an uncertainty (±2 sd covered ~25 % of errors). */
  sd: z.number(),
  /** The calibrated interval (see `calibration`); null when the model has none. */
  interval: PredictionInterval.nullable(),
  /** With a texture blend: the two predictions `mean` blends (the CNN's TTA mean and the texture line's value). */
  components: z.object({ cnn: z.number(), texture: z.number() }).optional(),
  actual: z.number().nullable(),
  error: z.number().nullable(),
  lowQuality: z.boolean(),
  qualityFlags: z.array(z.string()),
  outsideTrainingRange: z.boolean(),
  sample: SampleLabel,
});

export const BilletPrediction = z.object({
  modelId: Id,
  modelName: z.string(),
  billetId: Id,
  billetName: z.string(),
  backend: BackendInfo.nullable(),
  workers: z.number().int(),
  trainingRange: z.object({ min: z.number(), max: z.number() }).nullable(),
  points: z.array(PointForecast),
  /** How the points' intervals were calibrated, with their measured coverage on held-out points. */
  calibration: IntervalCalibration.nullable(),
  /** "90 % interval, measured coverage 0.88 on 85 held-out points" (or why there is none). */
  intervalWords: z.string(),
  intervalPhrase: PhraseSchema,
  /** Mean reading of the points the final model trained on, wt.%: the constant the baseline predicts (null: not recorded). */
  trainingMean: z.number().nullable(),
  /** `baselineMae`: the training mean predicted at every point (knows no image), its MAE on the same points. */
  metrics: Metrics.extend({ maxDeviation: z.number(), sample: SampleLabel, baselineMae: z.number().nullable() }).nullable(),
  metricsBySample: z.array(Metrics.extend({ maxDeviation: z.number(), sample: SampleLabel, baselineMae: z.number().nullable() })),
  /**
   * How many of this billet's readings lie inside their calibrated interval, per sample label (in-sample: the model has
   * seen the point, no evidence of coverage), with the count of points (core/segregation/cnn/readings-coverage.ts).
   * Empty: no calibration, or no point with a reading. `against`: a training billet's held-out readings calibrated the
   * intervals shown, so they are counted against intervals calibrated without their own split ('split-out'), or the
   * count is labelled 'circular' where that cannot be recomputed; 'shown': the intervals shown.
   */
  readingsCoverage: z.array(z.object({ sample: SampleLabel, n: z.number().int(), inside: z.number().int(), nominal: z.number(), against: z.enum(['shown', 'split-out', 'circular']), phrase: PhraseSchema })),
  /** In-sample when the model trained on this section image (same content hash), whatever the billet id. */
  sample: SampleLabel,
  billetInTraining: z.boolean(),
  synthetic: z.boolean(),
  /** The scale the patches were cut at for this image, with its warning. */
  scale: PatchScaleInfo,
});
export type BilletPrediction = z.infer<typeof BilletPrediction>;

const RegionMeans = z.object({ inside: z.number(), outside: z.number() });
export const GradCamResult = z.object({
  modelId: Id,
  billetId: Id,
  label: z.string(),
  /** The CNN's output for the one un-augmented view the overlays explain (no TTA, no texture blend): not the model's prediction. */
  prediction: z.number(),
  /**
   * The model's prediction of the patch as `cnn.predict` makes it (TTA mean, blended when the model is), its calibrated
   * interval (null: no calibration) and what the point is to the model, fine-tune lineage included.
   */
  modelPrediction: z.object({ mean: z.number(), sd: z.number(), interval: PredictionInterval.nullable(), sample: SampleLabel }),
  /** The interval's calibration with its measured coverage on held-out points (null: none), and that in words. */
  calibration: IntervalCalibration.nullable(),
  intervalWords: z.string(),
  intervalPhrase: PhraseSchema,
  convLayers: z.number().int(),
  patchRel: z.string(),
  /** Patch pixels on detected pores, left out of both regions. */
  porePixels: z.number().int(),
  layers: z.array(z.object({ convLayer: z.number().int(), layerName: z.string(), overlayRel: z.string(), rawMax: z.number(), regions: RegionMeans.nullable() })),
});
export type GradCamResult = z.infer<typeof GradCamResult>;

export const PresetInfo = z.object({ name: PresetName, architecture: Architecture, hyper: Hyper, multiplyAdds: z.number(), convLayers: z.number().int() });

/**
 * `interrupted`: the process running it ended (killed, crashed, closed) before it finished; found and marked
 * when a data folder is opened (interruptedAt says when).
 */
export const TrainingRunState = z.enum(['running', 'done', 'failed', 'cancelled', 'interrupted']);

export const TrainingRun = z.object({
  id: Id,
  state: TrainingRunState,
  modelId: z.number().int().nullable(),
  seed: z.number().int(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  interruptedAt: z.string().nullable(),
  error: z.string().nullable(),
  /** `error` as the phrase it was said with, for the interface's language (absent on runs stored before it and on failures with no words of their own). */
  errorPhrase: PhraseSchema.optional(),
  params: z.unknown(),
  history: z.unknown(),
  /** Each curve of `history` (a split's English name) as a phrase, where the name is one the training makes. */
  curvePhrases: z.record(z.string(), PhraseSchema).optional(),
});

const ModelRef = z.object({ id: Id });

export const TrainWorkersInfo = z.object({
  /** Gradient workers a training run asks for (the app-wide worker cap may grant fewer). */
  workers: z.number().int(),
  /** The stored setting (null: the default). */
  setting: z.number().int().nullable(),
  /** Physical cores − 1, at least 1. */
  default: z.number().int(),
  physicalCores: z.number().int(),
  /** Threads all jobs together may use (maps, predictions and training share it). */
  workerCap: z.number().int(),
});
export type TrainWorkersInfo = z.infer<typeof TrainWorkersInfo>;

export const cnnMethods = {
  'cnn.presets': method('Model presets (paper, compact) with their default hyperparameters', Empty, z.array(PresetInfo)),
  'cnn.train': method(
    'Train the carbon CNN on billets (k random splits by sampling point or leave-one-billet-out, then the stored model); a job',
    TrainInput,
    JobInfo,
  ),
  'cnn.trainWorkers': method(
    'Gradient workers of data-parallel training on wasm/cpu: read, or set (null = physical cores − 1, at most half the batch) and read',
    z.object({ workers: z.number().int().min(1, 'at least 1 worker').max(256).nullable().optional() }),
    TrainWorkersInfo,
  ),
  'cnn.models.list': method('Stored carbon CNN models, newest first', Empty, z.array(ModelSummary)),
  'cnn.models.get': method('One model with its history, per-split metrics and predictions', ModelRef, ModelDetail),
  'cnn.models.rename': method('Rename a model', ModelRef.extend({ name: Name }), ModelSummary),
  'cnn.models.delete': method('Delete a model and its files', ModelRef, z.object({ deleted: z.literal(true) })),
  'cnn.models.export': method('Write a model to one file under reports/models (download with fileUrl)', ModelRef, z.object({ rel: z.string(), bytes: z.number().int() })),
  'cnn.models.import': method('Import a model file exported by Ferrolab', z.object({ upload: UploadRef, name: Name.optional() }), ModelSummary),
  'cnn.runs.list': method('Recent training runs (history kept for cancelled and failed runs too)', Empty, z.array(TrainingRun)),
  'cnn.predict': method(
    'Predict carbon at every point of a billet with test-time augmentation (mean) and a calibrated 90 % interval with its measured coverage; metrics (both R², bias) labelled in-sample / held-out / out-of-sample by section image content hash and point position; a job',
    z.object({ modelId: Id, billetId: Id }),
    JobInfo,
  ),
  'cnn.gradcam': method(
    'Grad-CAM overlays of one point for the chosen conv layers (PNG files under reports/gradcam)',
    z.object({ modelId: Id, billetId: Id, label: z.string().min(1), layers: z.union([z.literal('all'), z.array(z.number().int().min(1)).min(1)]).default('all') }),
    GradCamResult,
  ),
  'cnn.gradcamRegions': method(
    'Mean Grad-CAM activation on dark (interdendritic) vs light (dendrite core) pixels, pixels on detected pores left out of both, one-sided Wilcoxon signed-rank test over patches',
    z.object({ modelId: Id, billetId: Id, layer: z.number().int().min(1), labels: z.array(z.string()).optional() }),
    z.object({
      n: z.number().int(),
      inside: MeanSd,
      outside: MeanSd,
      statistic: z.number(),
      pValue: z.number(),
      alternative: z.literal('greater'),
      layer: z.number().int(),
      labels: z.array(z.string()),
      /** Pixels on detected pores over all patches, left out of both regions. */
      porePixels: z.number().int(),
    }),
  ),
};
