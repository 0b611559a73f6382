/**
 * Imaging of etched billet sections: import (header checks, content-addressed storage, Deep Zoom pyramid),
 * rim detection and calibration, patch extraction from one in-memory decode, CLAHE, dihedral augmentation
 * and per-patch image quality. Coordinates: pixels x right / y down; mm relative to the billet centre with the
 * same axis directions.
 */
export * from './types.js';
export {
  importSection,
  discardImportedSection,
  storedSectionProbe,
  sha256File,
  rimRefusedPhrase,
  type ImportSectionOptions,
  type ImportedSection,
} from './import-section.js';
export { probeImage, decodeGrey, decodeGreyPreview, encodeGreyPng, openSection, DEFAULT_MAX_PIXELS, ACCEPTED_FORMATS, type ProbedImage, type SectionFormat } from './decode.js';
export { buildPyramid, buildThumbnail, readDzi, TILE_SIZE, TILE_OVERLAP, THUMB_MAX_SIDE, type DziInfo } from './pyramid.js';
export {
  circleFromThreePoints,
  fitCircleKasa,
  fitCircleRansac,
  judgeRimFit,
  RIM_MIN_ON_CIRCLE,
  RIM_MAX_OUTSIDE,
  refineCircleGeometric,
  detectCircle,
  otsuThreshold,
  type CircleFit,
  type DetectedCircle,
  type RansacOptions,
  type RimFitRefusal,
} from './circle.js';
export { calibrate, mmToPx, pxToMm } from './calibration.js';
export { trustedResolutionTag, readResolutionTag, scaleContradiction, DEFAULT_DENSITIES_PX_PER_INCH, MIN_TAG_PX_PER_INCH, SCALE_AGREEMENT, type ResolutionTag } from './resolution-tag.js';
export { readStoredSectionTag, type StoredSectionTag } from './stored-section-tag.js';
export {
  extractPatches,
  cutWindow,
  resampleSquare,
  patchSourceSizePx,
  pointsMmToPx,
  toFloat01,
  type PatchPointPx,
  type PatchPointMm,
} from './patches.js';
export { applyClahe } from './clahe.js';
export { applyDihedral, composeDihedral, inverseDihedral, DIHEDRAL, DIHEDRAL_NAMES, type DihedralIndex } from './dihedral.js';
export { augmentDihedral, augmentedCount, augmentationTransforms, AUGMENTATIONS, DEFAULT_AUGMENTATION, type Augmentation, type AugmentSource, type AugmentedSample } from './augment.js';
export {
  rmsContrast,
  shannonEntropy,
  glcm,
  glcmContrast,
  glcmContrastOf,
  quantise,
  meanIntensity,
  qualityFigures,
  qualityFlags,
  assessQuality,
  DEFAULT_GLCM,
  DEFAULT_QUALITY_THRESHOLDS,
  type GlcmSettings,
  type QualityThresholds,
  type QualityFigures,
  type QualityFlag,
  type QualityReport,
} from './quality.js';
export { patchesWithQuality, patchSet, MissingPatchesError, type PatchWithQuality, type PatchPipelineOptions, type PipelinePoint, type PatchSet } from './patch-pipeline.js';
export {
  prepareAttachedPatches,
  preparePatchFile,
  storeAttachedPatches,
  discardPrepared,
  sweepAttachedPatchFiles,
  loadAttachedPatches,
  removeFiles,
  attachedPatchPath,
  attachedPatchRel,
  centreSquare,
  labelStem,
  isFolderClutter,
  ATTACHED_PATCH_DIR,
  DEFAULT_MAX_PATCH_PIXELS,
  MIN_PATCH_SIDE_PX,
  MAX_ATTACH_FILES,
  type AttachInputFile,
  type AttachFileProblem,
  type AttachPreparation,
  type PreparedPatch,
  type AttachedPatchImage,
  type AttachedPatchRef,
} from './attached-patches.js';
export { defaultImagingSettings, resolveImagingSettings, type ImagingSettings } from './settings.js';
export { sectionPatches, type SectionPatchesOptions } from './section-patches.js';
export { detectPores, effectiveMinDiameterMm, DEFAULT_PORE_SETTINGS, type PoreDetection, type PoreDetectionInput, type PoreDetectorSettings, type DetectedPore } from './pores.js';
export { labelComponents, insideDistance, type Component, type Labelled } from './connected-components.js';
export { squareMin, squareMax } from './rank-filters.js';
export { encodeMaskRle, decodeMaskRle } from './mask-rle.js';
export { poreFractionInSquare, poreMaskOfPatch, type PoreMaskSource } from './pore-mask.js';
