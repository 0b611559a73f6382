export { selectBackend, ensureBackend, defaultLoaders, BACKEND_ORDER, type BackendLoaders } from './backend.js';
export { isSoftwareAdapter, describeAdapter, adapterWords, adapterRefusal, type RawAdapterInfo } from './webgpu-adapter.js';
export { throwIfGpuFailed, activeAdapter, probeAdapter, FALLBACK_HINT } from './webgpu-backend.js';
export { inferenceBatch, assertTrainingBatchFits, largestTensorBytesPerSample, maxBatchFor } from './webgpu-limits.js';
export { registerWasmConvGradKernels } from './kernels/register-wasm.js';
export {
  buildModel,
  presetArchitecture,
  validateArchitecture,
  convLayerIndices,
  multiplyAdds,
  PRESETS,
  PAPER_ARCHITECTURE,
  COMPACT_ARCHITECTURE,
  type ArchitectureSpec,
  type PresetName,
} from './architecture.js';
export { trainRegressor, evaluateMae, BATCH_SIZES, type EpochLog, type TrainOptions, type TrainResult } from './trainer.js';
export { regressionMetrics, r2Pearson, relativeErrors, meanSd, summariseMetrics, type RegressionMetrics, type MeanSd } from './metrics.js';
export { gradCam, gradCamAsync, gradCamAllLayers, gradCamAllLayersAsync, camOverlayPng, jet, type GradCamResult } from './gradcam.js';
export { darkRegionMask, regionMeans, regionWilcoxon, type RegionMeans, type RegionTest } from './region-analysis.js';
export { modelToArtifacts, modelFromArtifacts, writeModelDir, readModelDir, type ModelArtifactsPlain } from './model-io.js';
export { intervalFor, calibrateIntervals, conformalQuantile, conformalRank, measureCoverage, coverageWords, DEFAULT_ALPHA, type IntervalCalibration, type HeldOutResidual, type Interval, type ConformalMethod } from './conformal.js';
export { predictTta, dihedralSamples, type TargetScaling } from './tta.js';
export { predictTtaInWorkers } from './parallel-inference.js';
export { normalisePatch, modelInputNorm, INPUT_NORMS, type InputNorm } from './input-norm.js';
export type { SampleSet } from './tensors.js';
