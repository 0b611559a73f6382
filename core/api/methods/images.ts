import { z } from 'zod';
import { method } from '../define.js';
import { Id, UploadRef } from '../common.js';
import { JobInfo } from '../events.js';

/** Pixel coordinates: full-resolution image pixels, x right, y down. */
export const CircleSchema = z.object({
  cx: z.number().refine(Number.isFinite, 'must be finite'),
  cy: z.number().refine(Number.isFinite, 'must be finite'),
  r: z.number().gt(0, 'radius must be positive').refine(Number.isFinite, 'must be finite'),
});
const PointPx = z.object({ x: z.number().refine(Number.isFinite, 'must be finite'), y: z.number().refine(Number.isFinite, 'must be finite') });

export const ClaheSettingsSchema = z.object({
  width: z.number().int().min(2, 'window at least 2 px').max(1024, 'window at most 1024 px'),
  height: z.number().int().min(2, 'window at least 2 px').max(1024, 'window at most 1024 px'),
  maxSlope: z.number().int().min(0).max(100),
});

export const PatchSettingsSchema = z.object({
  /** Side on the section in mm; null = `nativeSizePx` at the scan's native scale (the paper's 224 px). */
  sizeMm: z.number().gt(0).max(300, 'a patch above 300 mm is half the billet').nullable(),
  nativeSizePx: z.number().int().min(8).max(4096),
  outputSizePx: z.number().int().min(8).max(1024),
});

export const GlcmSettingsSchema = z.object({
  levels: z.number().int().min(2).max(256),
  offsets: z.array(z.tuple([z.number().int().min(-16).max(16), z.number().int().min(-16).max(16)])).min(1).max(16),
  symmetric: z.boolean(),
  normed: z.boolean(),
});

export const QualityThresholdsSchema = z.object({
  minRmsContrast: z.number().min(0).max(1),
  minGlcmContrast: z.number().min(0),
  minEntropyBits: z.number().min(0).max(16),
});

/** How a billet's patches are made; stored with its image (and copied into every dataset built from it). */
export const ImagingSettingsSchema = z.object({
  patch: PatchSettingsSchema,
  clahe: ClaheSettingsSchema,
  glcm: GlcmSettingsSchema,
  thresholds: QualityThresholdsSchema,
});
export type ImagingSettings = z.infer<typeof ImagingSettingsSchema>;

export const CircleSource = z.enum(['auto', 'manual', 'three-point', 'synthetic']);

export const DziSchema = z.object({
  width: z.number().int(),
  height: z.number().int(),
  tileSize: z.number().int(),
  overlap: z.number().int(),
  format: z.string(),
  maxLevel: z.number().int(),
});

export const ImageRecord = z.object({
  id: Id,
  billetId: Id,
  contentHash: z.string(),
  originalName: z.string(),
  format: z.string(),
  width: z.number().int(),
  height: z.number().int(),
  channels: z.number().int().nullable(),
  bitDepth: z.number().int().nullable(),
  page: z.number().int(),
  pages: z.number().int(),
  /** Rim used for calibration (null: not found automatically and not set by the user yet). */
  circle: CircleSchema.nullable(),
  circleSource: CircleSource.nullable(),
  /** The automatic fit, kept so a manual correction can be undone. */
  autoCircle: CircleSchema.nullable(),
  nominalDiameterMm: z.number(),
  mmPerPx: z.number().nullable(),
  /** Paths relative to the data folder, for `fileUrl`. */
  dziRel: z.string(),
  tilesRel: z.string(),
  thumbRel: z.string(),
  dzi: DziSchema,
  settings: ImagingSettingsSchema,
  createdAt: z.string(),
});
export type ImageRecord = z.infer<typeof ImageRecord>;

export const QualityFiguresSchema = z.object({ rmsContrast: z.number(), glcmContrast: z.number(), entropyBits: z.number(), mean: z.number() });
export const QualityReportSchema = z.object({
  figures: QualityFiguresSchema,
  flags: z.array(z.enum(['low-rms-contrast', 'low-glcm-contrast', 'low-entropy'])),
  lowEtchContrast: z.boolean(),
});

export const PatchPreview = z.object({
  billetId: Id,
  imageId: Id,
  label: z.string().nullable(),
  xMm: z.number(),
  yMm: z.number(),
  sourceSizePx: z.number().int(),
  outputSizePx: z.number().int(),
  outsideFraction: z.number(),
  rawRel: z.string(),
  claheRel: z.string(),
  qualityRaw: QualityReportSchema,
  qualityClahe: QualityReportSchema,
  settings: ImagingSettingsSchema,
});
export type PatchPreview = z.infer<typeof PatchPreview>;

export const QualityRow = z.object({
  label: z.string(),
  xMm: z.number(),
  yMm: z.number(),
  outsideFraction: z.number(),
  qualityRaw: QualityReportSchema,
  qualityClahe: QualityReportSchema,
});
export const QualityTable = z.object({
  billetId: Id,
  imageId: Id,
  sourceSizePx: z.number().int(),
  settings: ImagingSettingsSchema,
  rows: z.array(QualityRow),
  meanRaw: QualityFiguresSchema,
  meanClahe: QualityFiguresSchema,
  /** Labels whose raw patch is flagged "low etch contrast". */
  lowEtchContrast: z.array(z.string()),
});
export type QualityTable = z.infer<typeof QualityTable>;

const NominalDiameter = z.number().gt(0, 'must be positive').max(3000, 'above 3000 mm is not a billet');

export const imageMethods = {
  'images.import': method(
    "Import an etched section (PNG/JPEG/TIFF) for a billet: stores it, builds the tile pyramid, finds the rim. Replaces the billet's previous image. Long job; result: the image record",
    z.object({ billetId: Id, upload: UploadRef, nominalDiameterMm: NominalDiameter.optional() }),
    JobInfo,
  ),
  'images.forBillet': method('The section image of a billet, or null', z.object({ billetId: Id }), ImageRecord.nullable()),
  'images.setCircle': method(
    'Correct the rim: a circle (dragged) or three points clicked on the rim; "auto" restores the automatic fit. Recomputes mm per px',
    z
      .object({
        imageId: Id,
        circle: CircleSchema.optional(),
        threePoints: z.tuple([PointPx, PointPx, PointPx]).optional(),
        restoreAuto: z.boolean().optional(),
      })
      .refine((v) => [v.circle, v.threePoints, v.restoreAuto].filter((x) => x !== undefined && x !== false).length === 1, {
        message: 'give exactly one of circle, threePoints or restoreAuto',
      }),
    ImageRecord,
  ),
  'images.setSettings': method(
    'Patch size, CLAHE, GLCM and quality thresholds used for this billet\'s patches',
    z.object({ imageId: Id, settings: ImagingSettingsSchema }),
    ImageRecord,
  ),
  'images.pixelLimit': method(
    'Largest section (width × height, pixels) an import accepts; give maxPixels to change it',
    z.object({ maxPixels: z.number().int().min(10_000, 'at least 10 000 px').max(2_000_000_000, 'at most 2 Gpx').optional() }).optional().default({}),
    z.object({ maxPixels: z.number().int(), defaultMaxPixels: z.number().int() }),
  ),
  'patches.quality': method(
    "Image quality of every sampling point's patch before and after CLAHE (one decode of the section). Long job; result: the quality table",
    z.object({ billetId: Id }),
    JobInfo,
  ),
  'patches.preview': method(
    'Cut one patch (at a point label or an mm position) raw and with CLAHE, with quality figures before/after',
    z
      .object({ billetId: Id, label: z.string().optional(), xMm: z.number().optional(), yMm: z.number().optional(), settings: ImagingSettingsSchema.optional() })
      .refine((v) => (v.label !== undefined) !== (v.xMm !== undefined && v.yMm !== undefined), { message: 'give either label or both xMm and yMm' }),
    PatchPreview,
  ),
};
