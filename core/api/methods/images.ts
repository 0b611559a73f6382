import { z } from 'zod';
import { method } from '../define.js';
import { Id, NominalDiameterMm, UploadRef } from '../common.js';
import { JobInfo } from '../events.js';
import { PhraseSchema } from '../phrase.js';

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

export type ClaheSettings = z.infer<typeof ClaheSettingsSchema>;

export const PatchSettingsSchema = z.object({
  /** Side on the section in mm; null = `nativeSizePx` at the scan's native scale (the paper's 224 px). */
  sizeMm: z.number().gt(0).max(300, 'a patch above 300 mm is half the billet').nullable(),
  nativeSizePx: z.number().int().min(8).max(4096),
  outputSizePx: z.number().int().min(8).max(1024),
});
export type PatchSettings = z.infer<typeof PatchSettingsSchema>;

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

/**
 * The significant bits a 16-bit section may be declared to hold (a 10-, 12- or 14-bit camera's values stored
 * unscaled): its samples are read scaled by 2^(16 − bits). 16 bits is the file as stored, so no declaration.
 */
export const SIGNIFICANT_BITS = { min: 9, max: 15 } as const;
export const SignificantBits = z.number().int().min(SIGNIFICANT_BITS.min).max(SIGNIFICANT_BITS.max);

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
  /** Declared significant bits of a 16-bit section (its values were scaled by 2^(16 − bits)); null: read as stored. */
  significantBits: z.number().int().nullable(),
  page: z.number().int(),
  pages: z.number().int(),
  /** Rim used for calibration (null: not found automatically and not set by the user yet). */
  circle: CircleSchema.nullable(),
  circleSource: CircleSource.nullable(),
  /** The automatic fit, kept so a manual correction can be undone. */
  autoCircle: CircleSchema.nullable(),
  nominalDiameterMm: z.number(),
  mmPerPx: z.number().nullable(),
  /**
   * The file's own resolution tag when it is believed (core/imaging/resolution-tag.ts: not a camera's or program's
   * default density); null: none, a default, or the file not read (see `resolutionTagRead`).
   */
  resolutionTag: z.object({ pxPerInch: z.number(), mmPerPx: z.number() }).nullable(),
  /**
   * Whether the stored file was read for that tag: 'read'; 'unreadable' (a section stored before migration 026 whose
   * file was gone or damaged when it was first shown after: its scale is not checked); 'pending' before such a section
   * is first shown or opened (the sections service reads it then), or after a read the system refused only that time
   * (a locked or busy file, a network folder's error) or an answer a busy data folder could not store: read again next time.
   */
  resolutionTagRead: z.enum(['pending', 'read', 'unreadable']),
  /** Said when the rim calibration and the believed tag differ by more than 2 %: both scales, the ratio, what to check. */
  scaleWarning: PhraseSchema.nullable(),
  /**
   * The import's answer only (absent on a record read later): why the automatic rim fit was not taken — too few edge
   * points on the circle, or most of it outside the image — so the section was stored with no rim and no mm scale
   * (`circle` null) until one is given by hand; null when it was taken or none was found.
   */
  rimRefused: PhraseSchema.nullable().optional(),
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

/** Where a patch's pixels came from: cut from the section scan, or a separately captured image attached to the point. */
export const PatchSource = z.enum(['section', 'attached']);

export const PatchPreview = z.object({
  billetId: Id,
  /** The section image (null for a billet with attached patches only). */
  imageId: Id.nullable(),
  label: z.string().nullable(),
  source: PatchSource,
  /** The attached file's original name (source "attached"). */
  attachedName: z.string().nullable(),
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
  source: PatchSource,
  xMm: z.number(),
  yMm: z.number(),
  outsideFraction: z.number(),
  qualityRaw: QualityReportSchema,
  qualityClahe: QualityReportSchema,
});
export const QualityTable = z.object({
  billetId: Id,
  imageId: Id.nullable(),
  /** Cut side on the section (null without a calibrated section). */
  sourceSizePx: z.number().int().nullable(),
  /** Points with neither an attached patch nor a section to cut from. */
  missing: z.array(z.string()),
  settings: ImagingSettingsSchema,
  rows: z.array(QualityRow),
  meanRaw: QualityFiguresSchema,
  meanClahe: QualityFiguresSchema,
  /** Labels whose raw patch is flagged "low etch contrast". */
  lowEtchContrast: z.array(z.string()),
});
export type QualityTable = z.infer<typeof QualityTable>;

export const AttachedPatchRecord = z.object({
  id: Id,
  billetId: Id,
  label: z.string(),
  /** The sampling point now carrying this label (null when the point was deleted or renamed). */
  pointId: Id.nullable(),
  contentHash: z.string(),
  originalName: z.string(),
  width: z.number().int(),
  height: z.number().int(),
  /** mm per pixel of the captured image, given on attach (null: not given — a model with a physical scale refuses it). */
  mmPerPx: z.number().nullable(),
  /** The given scale was kept over the image's resolution tag that contradicted it (`trustGivenScale` on attach). */
  scaleOverTag: z.boolean(),
  /** The stored 8-bit grey PNG, relative to the data folder, for `fileUrl`. */
  fileRel: z.string(),
  createdAt: z.string(),
});
export type AttachedPatchRecord = z.infer<typeof AttachedPatchRecord>;

export const AttachFileError = z.object({ file: z.string(), message: z.string(), phrase: PhraseSchema.optional() });
/** Result of a `patches.attach` job; also its `detail` when the folder was refused (then nothing was stored). */
export const AttachReport = z.object({
  billetId: Id,
  /** True when the patches were stored; false when any file was refused (nothing stored). */
  imported: z.boolean(),
  /** Every file whose name matched a point label. */
  matched: z.array(z.object({ file: z.string(), label: z.string() })),
  /** Labels that had a patch before and got the new one. */
  replaced: z.array(z.string()),
  errors: z.array(AttachFileError),
  /** Operating-system clutter ignored (Thumbs.db, .DS_Store). */
  skipped: z.array(z.string()),
  /** The scale given for the folder's images (mm per pixel), null when none was given. */
  mmPerPx: z.number().nullable(),
});
export type AttachReport = z.infer<typeof AttachReport>;


/** Pores found on a billet's section (dark, compact voids; core/imaging/pores), or why there are none to show. */
export const PoreSummary = z.object({
  /** detected; not-run (the section has not been searched yet); no-section; not-calibrated (no rim, so no mm). */
  status: z.enum(['detected', 'not-run', 'no-section', 'not-calibrated']),
  count: z.number().int().nullable(),
  /** Only pores with an equivalent diameter ≥ this are detected and counted (never under 3 px). */
  minDiameterMm: z.number().nullable(),
  /** Pore pixels / section pixels searched. */
  areaFraction: z.number().nullable(),
  /** Billet-centred mm (x right, y down), largest first. */
  pores: z.array(z.object({ xMm: z.number(), yMm: z.number(), diameterMm: z.number(), areaMm2: z.number() })),
  /** Detector wall time, s. */
  seconds: z.number().nullable(),
  detectedAt: z.string().nullable(),
});
export type PoreSummary = z.infer<typeof PoreSummary>;

export const imageMethods = {
  'images.import': method(
    "Import an etched section (PNG/JPEG/TIFF) for a billet: stores it, builds the tile pyramid, finds the rim. Replaces the billet's previous image. Long job; result: the image record",
    z.object({
      billetId: Id,
      upload: UploadRef,
      /** Omitted: the billet's stored diameter (given when it was created). */
      nominalDiameterMm: NominalDiameterMm.optional(),
      /** A 16-bit file's significant bits, declared by the lab (never guessed): its values are scaled by 2^(16 − bits). */
      significantBits: SignificantBits.optional(),
    }),
    JobInfo,
  ),
  'images.forBillet': method('The section image of a billet, or null', z.object({ billetId: Id }), ImageRecord.nullable()),
  'images.pores': method("The pores found on the billet's current section (stored; status not-run until images.detectPores has run)", z.object({ billetId: Id }), PoreSummary),
  'images.detectPores': method(
    "Find the pores of the billet's section (dark compact voids; stored per image content, so a second call reads them back). Job; result: the pore summary",
    z.object({ billetId: Id }),
    JobInfo,
  ),
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
  'patches.attach': method(
    'Attach separately captured patch images to sampling points: file names are point labels (P01.png, p1.tif, B12-P01.jpg). ' +
      'Every file is checked; one bad file (unknown or repeated label, not an image, corrupt, too large) refuses the folder and the job fails naming the files, ' +
      'with the per-file report as its detail. Give mmPerPx (the images\' scale) so models with a physical patch size can use them. Long job; result: the report',
    z.object({
      billetId: Id,
      files: z.array(UploadRef).min(1, 'choose at least one file').max(2000, 'at most 2000 files at once'),
      /**
       * The images' scale, mm per pixel (one camera and objective for the folder). Without it a model with a physical patch
       * size cannot use them (it refuses them by name); give it to make them usable.
       */
      mmPerPx: z.number().gt(0, 'must be positive').max(10, 'above 10 mm per pixel is not a micrograph').nullable().optional(),
      /**
       * A 16-bit camera that stores fewer bits (12-bit values unscaled): its bit count, for the folder. Without it such an
       * image is refused (it would be read a dozen grey levels deep); with it every value is scaled by 2^(16 − bits).
       */
      significantBits: SignificantBits.optional(),
      /**
       * Keep mmPerPx over a resolution tag that contradicts it (refused otherwise): a camera program that writes its sensor
       * pitch as the tag, where the lab measured the scale on a stage micrometer. Stored with the attachment.
       */
      trustGivenScale: z.boolean().optional(),
    }),
    JobInfo,
  ),
  'patches.attachedList': method('The patch images attached to a billet\'s points', z.object({ billetId: Id }), z.array(AttachedPatchRecord)),
  'patches.detach': method(
    'Remove attached patch images (the given labels, or all of the billet); the points go back to patches cut from the section',
    z.object({ billetId: Id, labels: z.array(z.string().min(1)).max(5000).optional() }),
    z.object({ removed: z.array(z.string()) }),
  ),
  'patches.preview': method(
    'One patch (at a point label or an mm position) raw and with CLAHE, with quality figures before/after. A point with an attached patch image shows that image',
    z
      .object({ billetId: Id, label: z.string().optional(), xMm: z.number().optional(), yMm: z.number().optional(), settings: ImagingSettingsSchema.optional() })
      .refine((v) => (v.label !== undefined) !== (v.xMm !== undefined && v.yMm !== undefined), { message: 'give either label or both xMm and yMm' }),
    PatchPreview,
  ),
};
