/**
 * Billet segregation maps.
 *
 * - Measured map: thin-plate spline (r² ln r, linear trend, no smoothing) through the mean reading of
 *   every sampling point — exact at the points — evaluated on a square grid of cell centres, clipped to
 *   the section circle and limited to the range of the readings (no invented extremes near the rim).
 * - Predicted map: a `PatchPredictor` (the CNN domain's TTA mean ± sd) on a lattice of patch centres
 *   (default stride ≈ 1000 patches per section); quality-gate refusals stay masked, never interpolated.
 * - Difference (predicted − measured) and uncertainty (calibrated interval half-width) layers; per-point relative error (Fig. 5).
 * - Segregation indices with C0 = ladle/bulk carbon when entered, else the section mean (always stated).
 * - PNG rendering without a browser (viridis/cividis LUT, d3-contour lines, labels, legend in wt.% and
 *   C/C0, scale bar, optional etched-image underlay) and grid CSV.
 * Coordinates: mm from the billet centre, x right, y down (the image convention).
 */
export type { MeasuredPoint, FieldGrid, MaskCode, MaskReason, MapLayer } from './types.js';
export { MASK, MASK_REASONS, MAP_LAYERS } from './types.js';
export { fitThinPlateSpline, type ThinPlateSpline, type TpsSample } from './thin-plate-spline.js';
export { sectionGrid, strideGrid, fillGrid, sampleGrid, cellCentre, withValues, validValues, gridToJson, gridFromJson, type GridJson } from './section-grid.js';
export { COVERAGE_RULE_DISC, coverageRegion, hullCoveredFraction } from './coverage.js';
export { measuredMap, MEASURED_MAP_METHOD, MEASURED_MAP_METHOD_PHRASE, DEFAULT_CELLS_ACROSS, type MeasuredMap } from './measured-map.js';
export {
  predictedMap,
  patchLattice,
  defaultStrideMm,
  DEFAULT_PATCH_TARGET,
  type PatchCentre,
  type PatchPrediction,
  type PatchPredictor,
  type PredictedMap,
  type PredictedMapOptions,
  type PredictProgress,
} from './predicted-map.js';
export { comparePoints, summariseComparison, differenceGrid, uncertaintyGrid, type PointComparison, type ComparisonSummary, type MapPoint } from './difference.js';
export {
  segregationIndices,
  indexCellStates,
  CELL,
  INDEX_DEFAULTS,
  INDEX_DEFINITIONS,
  type SegregationIndices,
  type IndexOptions,
  type C0Source,
  type ProfileBin,
  type BandFeature,
  type Extremum,
} from './indices.js';
export { largestUpperEnd, type UpperEnd } from './upper-end.js';
export { COLORMAPS, colormapLut, divergingLut, DIVERGING_NAME, colorAt, rgbHex, type ColormapName } from './colormaps.js';
export { renderMapPng, c0SourcePhrase, autoRange, symmetricIfSigned, defaultLevels, type RenderOptions, type RenderedMap, type MapMarker, type MapQuantity, type DrawnText } from './render-png.js';
export { mapWords, decimalMarkOf, type MapWords, type MapLanguage, type DecimalMark } from './map-words.js';
export { textOutline, textWidth, type TextOutline, type OutlineWeight, type TextAnchor } from './text-outline.js';
export { gridToCsv, C0_SOURCE_CSV, type GridCsvOptions } from './grid-csv.js';
export { niceTicks, niceRange, decimalsFor } from './nice-ticks.js';
export { errorAgainstTruth, type TruthError } from './truth.js';
export { registerPatchPredictorFactory, effectivePredictorFactory, maskFromQuality, type PatchPredictorSource, type PatchPredictorFactory } from './predictor-source.js';
export { smoothGrid, smoothingWarning, smoothingAtEdge, MIN_SMOOTHING_PATCHES, type SmoothedField, type SmoothingFit, type SmoothOptions } from './smooth-field.js';
export { smoothGridInWorker } from './smooth-in-worker.js';
export { distinguishableLevels } from './contour-levels.js';
export { porosityPremask, poreFractionInSquare, PORE_MASK_FRACTION, type PoreMaskSource } from './pore-mask.js';
