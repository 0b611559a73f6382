export type { MeasuredPoint, FieldGrid, MaskCode, MaskReason, MapLayer } from './types.js';
export { MASK, MASK_REASONS, MAP_LAYERS } from './types.js';
export { fitThinPlateSpline, type ThinPlateSpline, type TpsSample } from './thin-plate-spline.js';
export { sectionGrid, strideGrid, fillGrid, sampleGrid, cellCentre, withValues, validValues, gridToJson, gridFromJson, type GridJson } from './section-grid.js';
export { measuredMap, MEASURED_MAP_METHOD, DEFAULT_CELLS_ACROSS, type MeasuredMap } from './measured-map.js';
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
export { comparePoints, summariseComparison, differenceGrid, uncertaintyGrid, type PointComparison, type ComparisonSummary } from './difference.js';
export {
  segregationIndices,
  INDEX_DEFAULTS,
  INDEX_DEFINITIONS,
  type SegregationIndices,
  type IndexOptions,
  type ProfileBin,
  type BandFeature,
  type Extremum,
} from './indices.js';
export { COLORMAPS, colormapLut, colorAt, rgbHex, type ColormapName } from './colormaps.js';
export { renderMapPng, defaultLevels, type RenderOptions, type RenderedMap, type MapMarker, type MapQuantity } from './render-png.js';
export { gridToCsv } from './grid-csv.js';
export { niceTicks, niceRange, decimalsFor } from './nice-ticks.js';
export { errorAgainstTruth, type TruthError } from './truth.js';
export { registerPatchPredictorFactory, loadPatchPredictor, type PatchPredictorSource, type PatchPredictorFactory } from './predictor-source.js';
