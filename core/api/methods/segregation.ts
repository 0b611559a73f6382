import { z } from 'zod';
import { method } from '../define.js';
import { FiniteNumber, Id, Seed, UploadRef } from '../common.js';
import { JobInfo } from '../events.js';
import { PhraseSchema } from '../phrase.js';

/** Sampling points and carbon readings of a billet section (mm from the billet centre, x right, y down). */

const CarbonWtPct = z.number().min(0, 'carbon cannot be negative').max(2.5, 'carbon above 2.5 wt.% is not a steel');
const Label = z.string().trim().min(1, 'must not be empty').max(40, 'at most 40 characters').regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, _ . - only');
export const LayoutPatternSchema = z.enum(['hex85', 'grid', 'rings', 'diameters']);
export const CarbonUnitSchema = z.enum(['wt_pct', 'ppm']);
export const CsvDelimiterSchema = z.enum([',', ';', '\t']);
/** The file's decimal mark when the user declares it (',' only with a ';' or tab delimiter); omitted → detected. */
export const DecimalMarkSchema = z.enum(['.', ',']);
/** Rows repeating a label are replicates of that point (file order) when the file has no replicate column. */
const ReplicatesFlag = z.boolean().optional();

export const Reading = z.object({
  id: Id,
  replicateNo: z.number().int().min(1),
  carbonWtPct: z.number(),
  analyzer: z.string().nullable(),
  operator: z.string().nullable(),
  measuredAt: z.string().nullable(),
  source: z.string(),
});
export type Reading = z.infer<typeof Reading>;

export const SamplingPoint = z.object({
  id: Id,
  label: z.string(),
  xMm: z.number(),
  yMm: z.number(),
  source: z.string(),
  sortOrder: z.number().int(),
  readings: z.array(Reading),
  n: z.number().int(),
  meanWtPct: z.number().nullable(),
  /** Sample standard deviation of the replicates; null below two. */
  sdWtPct: z.number().nullable(),
});
export type SamplingPoint = z.infer<typeof SamplingPoint>;

export const PointsList = z.object({
  billetId: Id,
  billetName: z.string(),
  nominalDiameterMm: z.number(),
  synthetic: z.boolean(),
  points: z.array(SamplingPoint),
});
export type PointsList = z.infer<typeof PointsList>;

const ColumnMappingSchema = z.object({
  label: z.string(),
  carbon: z.string(),
  replicate: z.string().nullable(),
  operator: z.string().nullable(),
  analyzer: z.string().nullable(),
  measuredAt: z.string().nullable(),
});
/** The columns chosen by the user; `positions: null`: the x/y columns are not read (a plan with y up, pixels, another origin). */
const MappingInput = ColumnMappingSchema.partial().extend({ positions: z.null().optional() }).optional();

export const CsvLineErrorSchema = z.object({ line: z.number().int(), message: z.string(), phrases: z.array(PhraseSchema).optional() });
export type CsvLineErrorOut = z.infer<typeof CsvLineErrorSchema>;

export const CsvPreview = z.object({
  fileName: z.string(),
  delimiter: CsvDelimiterSchema,
  decimalComma: z.boolean(),
  headerLine: z.number().int(),
  headers: z.array(z.string()),
  mapping: ColumnMappingSchema,
  /** The x and y columns (mm) compared with the points' positions, or null when the file has none. */
  positions: z.object({ x: z.string(), y: z.string() }).nullable(),
  unit: z.object({
    detected: CarbonUnitSchema,
    source: z.enum(['header', 'magnitude']),
    reason: z.string(),
    /** `reason` as a phrase (the interface words it; `reason` is its English). */
    reasonPhrase: PhraseSchema.optional(),
    conflict: z.string().nullable(),
    /** `conflict` as a phrase, or null with it. */
    conflictPhrase: PhraseSchema.nullable().optional(),
    used: CarbonUnitSchema,
  }),
  rowCount: z.number().int(),
  pointCount: z.number().int(),
  /** Points of the file that already have readings (an import replaces them). */
  replacesPoints: z.array(z.string()),
  /** The first rows; replicateNo is the number the import stores (appending, after the point's stored replicates). */
  sample: z.array(z.object({ line: z.number().int(), label: z.string(), replicateNo: z.number().int(), value: z.number(), carbonWtPct: z.number() })),
  errors: z.array(CsvLineErrorSchema),
  ok: z.boolean(),
});
export type CsvPreview = z.infer<typeof CsvPreview>;

const BilletRef = z.object({ billetId: Id });

export const segregationMethods = {
  'points.list': method('Sampling points of a billet with their readings (mean ± sd, n)', BilletRef, PointsList),
  'points.layout': method(
    'Lay out sampling points (hex85 default); refuses to replace points that have readings unless confirmed',
    BilletRef.extend({
      pattern: LayoutPatternSchema.default('hex85'),
      count: z.number().int().min(1).max(2000).optional(),
      marginMm: z.number().min(0).optional(),
      confirmReplace: z.boolean().default(false),
    }),
    PointsList,
  ),
  'points.save': method(
    'Save the edited point set: points with an id are moved/renamed, new ones added, missing ones deleted',
    BilletRef.extend({
      points: z.array(z.object({ id: Id.optional(), label: Label, xMm: FiniteNumber, yMm: FiniteNumber })).max(2000),
      /** Deleting a point deletes its readings; required when any deleted point has readings. */
      confirmDeleteReadings: z.boolean().default(false),
    }),
    PointsList,
  ),
  'points.move': method(
    'Move one point (by label) to a new position; its readings and every other point stay as they are',
    BilletRef.extend({ label: z.string(), xMm: FiniteNumber, yMm: FiniteNumber }),
    SamplingPoint,
  ),
  'points.patch': method(
    'Change one point (by label): a new label and/or position; its readings and every other point stay as they are',
    BilletRef.extend({
      label: z.string(),
      set: z
        .object({ label: Label.optional(), xMm: FiniteNumber.optional(), yMm: FiniteNumber.optional() })
        .refine((v) => v.label !== undefined || v.xMm !== undefined || v.yMm !== undefined, 'nothing to change'),
    }),
    SamplingPoint,
  ),
  'readings.set': method(
    "Set a point's readings (one value, or replicates) — replaces the replicates it had",
    BilletRef.extend({
      label: z.string(),
      values: z.array(CarbonWtPct).min(1).max(20),
      analyzer: z.string().max(100).nullable().optional(),
      operator: z.string().max(100).nullable().optional(),
    }),
    SamplingPoint,
  ),
  'readings.clear': method("Remove all readings of a point", BilletRef.extend({ label: z.string() }), SamplingPoint),
  'readings.previewCsv': method(
    'Parse an uploaded analyzer CSV without importing: delimiter, unit, column mapping, line-numbered errors',
    BilletRef.extend({
      upload: UploadRef, unit: CarbonUnitSchema.optional(), delimiter: CsvDelimiterSchema.optional(), decimalMark: DecimalMarkSchema.optional(), mapping: MappingInput, replicates: ReplicatesFlag,
      /** The import's mode: appending, the sample's replicates are numbered after the stored ones, as the import stores them, and a point they would take past the maximum is refused here already. */
      mode: z.enum(['replace', 'append']).optional(),
    }),
    CsvPreview,
  ),
  'readings.importCsv': method(
    'Import an uploaded analyzer CSV with the confirmed unit; any bad line imports nothing (repeated labels need a replicate column or replicates: true)',
    BilletRef.extend({
      upload: UploadRef,
      unit: CarbonUnitSchema,
      delimiter: CsvDelimiterSchema.optional(),
      decimalMark: DecimalMarkSchema.optional(),
      mapping: MappingInput,
      replicates: ReplicatesFlag,
      /** replace: the file's points get exactly the file's replicates; append: added after existing ones. */
      mode: z.enum(['replace', 'append']).default('replace'),
    }),
    z.object({ imported: z.number().int(), points: z.number().int(), unit: CarbonUnitSchema, delimiter: CsvDelimiterSchema, decimalComma: z.boolean() }),
  ),
  'readings.exportCsv': method(
    'The readings as CSV text (one row per replicate) and a suggested file name; nothing is written to the data folder',
    BilletRef.extend({ delimiter: z.enum([',', ';']).default(',') }),
    z.object({ csv: z.string(), fileName: z.string(), rows: z.number().int() }),
  ),
};

/** The embedded demo: a synthetic billet made from a seed (kept apart so it registers with core/synth). */
export const demoMethods = {
  'billets.loadDemo': method(
    'Create a synthetic demo billet (image, hex85 points, synthetic readings) from a seed',
    z.object({
      seed: Seed.optional(),
      variant: z.enum(['base', 'stirring', 'low-carbon']).default('base'),
      sizePx: z.number().int().min(256).max(12000).optional(),
    }).optional().default({ variant: 'base' }),
    JobInfo,
  ),
};
