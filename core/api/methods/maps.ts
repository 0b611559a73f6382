import { z } from 'zod';
import { method } from '../define.js';
import { Id } from '../common.js';
import { JobInfo } from '../events.js';
import { SampleLabel, StoredScaleCheck } from './cnn.js';
import { AcceptanceClassesSchema } from '../acceptance.js';
import { UiLanguage } from './system.js';
import { PhraseSchema } from '../phrase.js';

/** Billet segregation maps (measured / predicted / difference / uncertainty) and the printed report. */

export const MapLayerSchema = z.enum(['measured', 'predicted', 'difference', 'uncertainty', 'corrected', 'corrected-uncertainty']);
export const ColormapSchema = z.enum(['viridis', 'cividis']);
export const PaperSchema = z.enum(['A4', 'Letter']);

/**
 * Fields a plant report carries, all optional and printed only when given. Heat and grade given here
 * are printed instead of the billet's own; the acceptance class comes from the user's limits on the
 * section's max C/C0.
 */
const PlantText = (max: number) => z.string().trim().min(1).max(max).optional();
export const PlantFieldsSchema = z.object({
  heat: PlantText(100),
  grade: PlantText(100),
  etchant: PlantText(200),
  analyserMethod: PlantText(200),
  signedOffBy: PlantText(200),
  acceptance: AcceptanceClassesSchema.optional(),
});
export type PlantFields = z.infer<typeof PlantFieldsSchema>;

const Ratio = z.number().gt(0, 'must be positive').lt(5, 'C/C0 above 5 is not a segregation ratio');

export const MapSettings = z
  .object({
    colormap: ColormapSchema.default('viridis'),
    /** Contour levels; in C/C0 (levelsUnit 'ratio', default) or wt.%. Empty = none; absent = round C/C0 steps. */
    levels: z.array(z.number().refine(Number.isFinite, 'must be a finite number')).max(30, 'at most 30 contour levels').optional(),
    levelsUnit: z.enum(['ratio', 'wtPct']).default('ratio'),
    /** Field opacity over the etched image (0…1). */
    opacity: z.number().min(0).max(1).optional(),
    /** Draw the map over the billet's etched section image (when it has a calibrated one). */
    overlay: z.boolean().default(false),
    /** Resolution of the measured map (cells across the diameter). */
    cellsAcross: z.number().int().min(21, 'at least 21 cells across').max(401, 'at most 401 cells across').optional(),
    /** Colour-scale limits in wt.% (default: the layer's range). */
    range: z.tuple([z.number(), z.number()]).refine(([a, b]) => b > a, 'range must be increasing').optional(),
    thresholdsAbove: z.array(Ratio).max(6).optional(),
    thresholdsBelow: z.array(Ratio).max(6).optional(),
    centralRadiusFrac: z.number().gt(0).max(0.5, 'the centre disc is at most half the radius').optional(),
    widthPx: z.number().int().min(400).max(4000).optional(),
    /** Predicted layer: the smoothed field (Gaussian-process fit of the patches, default) or the raw patch mosaic. */
    predictedField: z.enum(['smoothed', 'raw']).default('smoothed'),
  })
  .prefault({});
export type MapSettings = z.infer<typeof MapSettings>;

const Extremum = z.object({ wtPct: z.number(), ratio: z.number(), xMm: z.number(), yMm: z.number(), rOverR: z.number() });
const Band = z.object({ rOverR: z.number(), rMm: z.number(), ratio: z.number(), prominence: z.number() });
const Num = z.number().nullable(); // NaN travels as null

export const SegregationIndicesSchema = z.object({
  c0WtPct: z.number(),
  // 'measured-area-mean' / 'lattice-mean': a report's reference C0 — its deciding measured map's area mean, else the model's raw
  // patch lattice's predicted area mean (values added after 'bulk'/'section-mean')
  c0Source: z.enum(['bulk', 'measured-area-mean', 'lattice-mean', 'section-mean']),
  sectionMeanWtPct: z.number(),
  centralRadiusMm: z.number(),
  centre: Extremum.nullable(),
  max: Extremum,
  min: Extremum,
  sdWtPct: z.number(),
  rangeWtPct: z.number(),
  areaAbove: z.array(z.object({ threshold: z.number(), fraction: z.number() })),
  areaBelow: z.array(z.object({ threshold: z.number(), fraction: z.number() })),
  radialProfile: z.array(z.object({ r0: z.number(), r1: z.number(), rOverR: z.number(), n: z.number().int(), mean: Num, sd: Num, min: Num, max: Num })),
  whiteBand: Band.nullable(),
  cetRing: Band.nullable(),
  coveredFraction: z.number(),
  extrapolatedFraction: z.number(),
  coverageRule: z.string().nullable(),
  coverageRulePhrase: PhraseSchema.nullable().optional(),
  cellCount: z.number().int(),
  cellAreaMm2: z.number(),
});
export type SegregationIndicesDto = z.infer<typeof SegregationIndicesSchema>;

export const GridDto = z.object({
  nx: z.number().int(),
  ny: z.number().int(),
  x0Mm: z.number(),
  y0Mm: z.number(),
  stepMm: z.number(),
  radiusMm: z.number(),
  values: z.array(z.number().nullable()),
  sd: z.array(z.number().nullable()).nullable(),
  mask: z.array(z.number().int()),
});

export const PointRow = z.object({
  label: z.string(),
  xMm: z.number(),
  yMm: z.number(),
  /** The mean of the point's readings; replicates: how many it averages (0: none, 1: a single reading), replicateSdWtPct: their sd (n ≥ 2, else null). */
  measuredWtPct: z.number().nullable(),
  replicates: z.number().int(),
  replicateSdWtPct: z.number().nullable(),
  predictedWtPct: z.number().nullable(),
  predictedSdWtPct: z.number().nullable(),
  errorWtPct: z.number().nullable(),
  relativeError: z.number().nullable(),
  masked: z.string().nullable(),
});

export const ComparisonDto = z.object({
  n: z.number().int(),
  maeWtPct: z.number(),
  maxAbsErrorWtPct: z.number(),
  meanAbsRelativeError: z.number(),
  within5Pct: z.number(),
  /** R² (coefficient of determination). */
  r2: z.number().nullable(),
  /** Both R², the mean bias, the training-mean baseline and what the compared points are to the model; null for a measured-only view. */
  fit: z
    .object({
      r2: z.number().nullable(), r2Determination: z.number().nullable(), meanBias: z.number().nullable(), sample: SampleLabel.nullable(),
      /** The model's training mean (wt.%) and its MAE at the same readings: the baseline that knows no image (null: the model is gone or recorded no training points). */
      trainingMean: z.number().nullable().optional(),
      baselineMae: z.number().nullable().optional(),
    })
    .nullable()
    .optional(),
});

export const SmoothingDto = z.object({
  kernel: z.literal('matern52'),
  selection: z.literal('leave-one-out cross-validation'),
  lengthScaleMm: z.number(),
  noiseRatio: z.number(),
  signalSdWtPct: z.number(),
  /** Patch noise sd the predictions show (the nugget), wt.%. */
  nuggetSdWtPct: z.number(),
  meanWtPct: z.number(),
  cvRmseWtPct: z.number(),
  fitPoints: z.number().int(),
  patches: z.number().int(),
  neighbours: z.number().int(),
  /** Median width of the smoothed field's 90 % interval; contour levels are at least this far apart. */
  typicalInterval90WtPct: z.number(),
  cvByLengthScale: z.array(z.object({ lengthScaleMm: z.number(), cvRmseWtPct: z.number(), noiseRatio: z.number() })),
  elapsedMs: z.number(),
});
export const MapPores = z.object({
  count: z.number().int(),
  /** Only pores with an equivalent diameter ≥ this are detected and counted. */
  minDiameterMm: z.number(),
  /** Cells masked as porosity (predicted layers), null for a measured layer. */
  maskedCells: z.number().int().nullable(),
  maskFraction: z.number().nullable(),
});
export type MapPores = z.infer<typeof MapPores>;

export const MapView = z.object({
  billetId: Id,
  layer: MapLayerSchema,
  predictionId: Id.nullable(),
  /** PNG under the data folder (open with fileUrl). */
  pngPath: z.string(),
  /** The language the picture's words are in (its title, legend and numbers). */
  language: UiLanguage,
  width: z.number().int(),
  height: z.number().int(),
  mapBox: z.object({ x: z.number(), y: z.number(), size: z.number() }),
  legendBox: z.object({ x: z.number(), y: z.number(), w: z.number(), h: z.number() }),
  range: z.tuple([z.number(), z.number()]),
  /** Contour levels drawn, wt.%. */
  levels: z.array(z.number()),
  unit: z.string(),
  c0WtPct: z.number(),
  // 'measured-area-mean' / 'lattice-mean': a report's reference C0 — its deciding measured map's area mean, else the model's raw
  // patch lattice's predicted area mean (values added after 'bulk'/'section-mean')
  c0Source: z.enum(['bulk', 'measured-area-mean', 'lattice-mean', 'section-mean']),
  method: z.string(),
  /** The method as sentences written as codes (joined by a space), for the reader's language; null where only the English is stored (a correction made before). */
  methodPhrases: z.array(PhraseSchema).nullable(),
  /** The smoothed predicted layer: its contours' spacing beside the model's own calibrated interval; null for every other layer. */
  contourPhrase: PhraseSchema.nullable(),
  grid: GridDto,
  /** Indices of the layer (carbon layers) — null for difference/uncertainty. */
  indices: SegregationIndicesSchema.nullable(),
  /** What a predicted map (every layer made from one) is to its model: in-sample when it trained on this section image, else out-of-sample; null for a measured map or when not known. */
  mapSample: SampleLabel.nullable(),
  points: z.array(PointRow),
  comparison: ComparisonDto.nullable(),
  /** With a predicted map: "90 % interval, measured coverage 0.88 on 85 held-out points" (or why there is none); null otherwise. */
  intervalWords: z.string().nullable(),
  intervalPhrase: PhraseSchema.nullable(),
  /** Error of the layer against the generator's true field (synthetic billets with a predicted map). */
  truthError: z.object({ maeWtPct: z.number(), maxAbsWtPct: z.number(), rmseWtPct: z.number(), cells: z.number().int() }).nullable(),
  overlay: z.boolean(),
  synthetic: z.boolean(),
  fingerprint: z.string(),
  /** How the smoothed predicted layer was fitted (null for every other layer and the raw mosaic). */
  smoothing: SmoothingDto.nullable(),
  /**
   * Pores found on the billet's section (null: none searched — no calibrated section, or not run yet). A predicted
   * layer gives what its porosity mask was made from: cells whose patch is over `maskFraction` pore pixels are masked.
   */
  pores: MapPores.nullable(),
});
export type MapView = z.infer<typeof MapView>;

/**
 * What a predicted map corrected with K analysed readings is ("measure fewer points", issue 11 §6): which plan and
 * readings made it, how (trend = level/slope; residual-kriging adds the kriged residuals), on which field of the
 * map (the smoothed one when stored, else the raw mosaic), and its interval level.
 */
export const CorrectedMapLabel = z.object({
  planId: Id,
  k: z.number().int(),
  /** The analysed points whose readings made the correction. */
  labels: z.array(z.string()),
  method: z.enum(['level-slope', 'residual-kriging']),
  /** The trend: none, level, or level+slope (as fewerPoints.correct reports it). */
  trend: z.enum(['none', 'level', 'level+slope']),
  field: z.enum(['smoothed', 'raw']),
  level: z.number(),
  /** The correction and its interval, in words (for the layer's caption and the report). */
  words: z.string(),
  /** The same words as sentences written as codes (absent on corrections stored before they were codes). */
  wordsPhrases: z.array(PhraseSchema).optional(),
  correctedAt: z.string(),
});
export type CorrectedMapLabel = z.infer<typeof CorrectedMapLabel>;

export const PredictionInfo = z.object({
  id: Id,
  billetId: Id,
  modelId: Id.nullable(),
  modelName: z.string().nullable(),
  strideMm: z.number(),
  patchCount: z.number().int(),
  maskedCount: z.number().int(),
  backend: z.string().nullable(),
  createdAt: z.string(),
  /** The physical scale its patches were cut at, with the warning (enlarged image, or scale unknown); null on maps made before scales. */
  scale: z.object({ label: z.string(), labelPhrase: PhraseSchema.nullable().optional(), warning: z.string().nullable(), warningPhrase: PhraseSchema.nullable().optional(), known: z.boolean() }).nullable(),
  /** The map corrected with K readings (layers `corrected` and `corrected-uncertainty`), or null. */
  corrected: CorrectedMapLabel.nullable(),
  /** Its section checked against its resolution tag, with its model's training check frozen in (null: not recorded, a map made before migration 029), and that in words. */
  scaleCheck: StoredScaleCheck,
  scaleWords: z.array(PhraseSchema),
});
export type PredictionInfo = z.infer<typeof PredictionInfo>;

/** The acceptance class a map report printed, and the figures it was decided with (core/report/acceptance.ts). */
export const ReportAcceptance = z.object({
  className: z.string().nullable(),
  /** The one reference C0 every figure is taken with (wt.%), and its source: ladle/bulk, else the deciding measured map's area mean, else the predicted area mean of the model's raw lattice. */
  c0WtPct: z.number().nullable(),
  c0Source: z.enum(['bulk', 'measured-area-mean', 'lattice-mean', 'section-mean']).nullable(),
  /** The map's own max C/C0. */
  maxRatio: z.number(),
  decidedBy: z.enum(['map', 'measured', 'corrected', 'reading']),
  /** The highest single reading (its point's label) and its C/C0: the class is never better than its; null: no readings. */
  readingMaxLabel: z.string().nullable(),
  readingMaxRatio: z.number().nullable(),
  /** A predicted map's report on a billet with readings: the measured map's max C/C0; else null. */
  measuredRatio: z.number().nullable(),
  measuredClassName: z.string().nullable(),
  /** The measured map's points with readings and the share of the section it covers (the report's own measured map, or the one beside a model's); null: none. */
  measuredPoints: z.number().int().nullable(),
  measuredCoveredFraction: z.number().nullable(),
  /** Whether the measured map may decide the class (≥ 10 points covering ≥ 50 % of the section); false: indicative only. */
  measuredDecides: z.boolean(),
  /** A model's map: the largest of the cells' upper ends (per-cell 90 % intervals on the raw patch lattice; not a bound on the section's maximum), as C/C0; null: the check did not run. */
  upperRatio: z.number().nullable(),
  upperClassName: z.string().nullable(),
  /** A predicted map corrected with K readings: its max C/C0, class and the largest of its cells' upper ends; else null. */
  correctedRatio: z.number().nullable(),
  correctedClassName: z.string().nullable(),
  correctedUpperRatio: z.number().nullable(),
  /** The class at the worst upper end (predicted and corrected map); null: none, or not accepted there. */
  worstUpperClassName: z.string().nullable(),
  /** A model's map whose class no readings back: an estimate from the model only, with the reasons. */
  modelOnly: z.boolean(),
  /** A model's map corrected with K readings whose class no readings back: an estimate from the corrected model. */
  correctedEstimate: z.boolean(),
  modelOnlyReasons: z.array(z.enum(['no-readings', 'readings-too-few', 'readings-cover-too-little', 'out-of-sample', 'in-sample', 'sample-unknown', 'no-interval', 'interval-unknown', 'interval-too-narrow'])),
  /** The analyser's repeatability pooled from the billet's points read at least twice: sd (wt.%), degrees of freedom, points; null: none read (or not stated). */
  repeatability: z.object({ sdWtPct: z.number(), df: z.number().int(), points: z.number().int() }).nullable(),
  /**
   * The measured map at the one-sided 90 % upper end of that repeatability, as C/C0: the larger of its max + t·s/√n_k
   * (n_k the readings at the point nearest the max; the half-width is this one's, wt.%) and the readings' upper end
   * (`measuredUpperBy` says which); its class; null: none (no replicates, or df < 3). Covers the repeatability of the
   * point means only: not the analyser's bias, its between-day reproducibility, the sampling or the spline's interpolation.
   */
  measuredUpperRatio: z.number().nullable(),
  measuredUpperClassName: z.string().nullable(),
  measuredUpperHalfWidthWtPct: z.number().nullable(),
  measuredUpperBy: z.enum(['map-max', 'reading']).nullable(),
  /** The readings at that upper end: the largest over the points of meanᵢ + t·s/√nᵢ (each its own n), as C/C0, its class, the point that gives it and its half-width (wt.%); null: none (no readings, no replicates, or df < 3). */
  readingsUpperRatio: z.number().nullable(),
  readingsUpperClassName: z.string().nullable(),
  readingsUpperLabel: z.string().nullable(),
  readingsUpperHalfWidthWtPct: z.number().nullable(),
  /** A model-only class the upper-end check did not confirm (not run, intervals too narrow, or a worse class there), or a class the readings' or a measured map's repeatability upper end puts in a worse class. */
  pointEstimateOnly: z.boolean(),
  /** The class and how far it holds, as printed, in the report's language. */
  headline: z.string(),
  /** How the figures were combined, as printed; null when only the map's own figure took part. */
  basis: z.string().nullable(),
  /** The figures as printed, in the report's language. */
  verdict: z.string(),
});
export type ReportAcceptance = z.infer<typeof ReportAcceptance>;

export const ReportInfo = z.object({
  id: Id,
  billetId: Id.nullable(),
  kind: z.string(),
  title: z.string(),
  /** PDF under the data folder (open with fileUrl). */
  path: z.string(),
  fingerprint: z.string(),
  paper: z.string().nullable(),
  predictionId: Id.nullable(),
  sizeBytes: z.number().int().nullable(),
  createdAt: z.string(),
  /** Only in the answer of maps.report that printed an acceptance class (not in the stored list). */
  acceptance: ReportAcceptance.nullable().optional(),
  /**
   * Only in the answer of maps.report: the main map's indices as the PDF prints them, every C/C0 with the report's one
   * reference C0 (which may differ from the same layer's own C0 in maps.render: the raw lattice's mean, not the smoothed field's).
   */
  printed: z.object({ indices: SegregationIndicesSchema }).nullable().optional(),
});
export type ReportInfo = z.infer<typeof ReportInfo>;

const BilletRef = z.object({ billetId: Id });

export const mapMethods = {
  'maps.render': method(
    'Render one map layer of a billet (measured needs readings; the others a stored predicted map) with its indices',
    BilletRef.extend({
      layer: MapLayerSchema.default('measured'),
      predictionId: Id.optional(),
      settings: MapSettings,
      /** The language of the picture's words (title, legend; numbers with its decimal mark); default: the interface language chosen in Settings, else English. */
      language: UiLanguage.optional(),
    }),
    MapView,
  ),
  'maps.predict': method(
    'Evaluate a CNN model on a dense lattice of patches over the section (job; result: the stored predicted map)',
    BilletRef.extend({
      modelId: Id,
      strideMm: z.number().min(1, 'stride below 1 mm makes millions of patches').max(200, 'stride above 200 mm leaves almost no patches').optional(),
    }),
    JobInfo,
  ),
  'maps.predictions': method('Stored predicted maps of a billet, newest first', BilletRef, z.array(PredictionInfo)),
  'maps.exportCsv': method(
    'The grid of a layer as CSV text (x, y, r/R, value, C/C0, sd, mask) with a suggested file name; nothing is written to the data folder',
    BilletRef.extend({ layer: MapLayerSchema.default('measured'), predictionId: Id.optional(), settings: MapSettings }),
    z.object({ csv: z.string(), fileName: z.string(), rows: z.number().int() }),
  ),
  'maps.report': method(
    'Make the printable PDF report (A4 or Letter) and store it with the billet',
    BilletRef.extend({
      predictionId: Id.optional(),
      paper: PaperSchema.default('A4'),
      /** The report's language; default: the interface language chosen in Settings, else English. */
      language: UiLanguage.optional(),
      lab: z.string().trim().max(200).optional(),
      operator: z.string().trim().max(200).optional(),
      plant: PlantFieldsSchema.optional(),
      settings: MapSettings,
    }),
    ReportInfo,
  ),
  'reports.list': method('Stored reports (of one billet, or all), newest first', z.object({ billetId: Id.optional() }).prefault({}), z.array(ReportInfo)),
  'reports.get': method('One stored report', z.object({ id: Id }), ReportInfo),
};
