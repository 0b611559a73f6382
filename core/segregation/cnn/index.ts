/**
 * The carbon CNN's pure parts: dataset types, patches cut from an opened section, fingerprints, splits by
 * sampling point (or by billet), parameters and the k-split experiment (run in a worker). The workflow over
 * the store (training job, prediction, Grad-CAM, model store, map predictor) is core/services/cnn.
 */
export { datasetSummary, cutPatchesAt, offSectionFraction, fingerprintOf, pointSamples, targetScaling, scaledClahe, carbonRange, type CnnDataset, type DatasetPoint } from './dataset.js';
export { randomPointSplits, leaveOneBilletOutSplits, finalFitSplit, assertDisjoint, splitNamePhrase, type PointSplit, type SplitMode } from './splits.js';
export { runExperiment, runSplit, type ExperimentInput, type ExperimentResult, type RunResult, type Hyperparameters } from './experiment.js';
export { calibrateFromSplits, modelCalibration, splitResiduals, type SplitTestPoints } from './calibration.js';
export { fitTextureBlend, fitDarkFractionModel, predictDarkFraction, darkFractionFeatures, blendValue, blendedTestPoints, DARK_FRACTION_CUTS, type TextureBlend, type DarkFractionModel, type BlendSplit } from './texture-blend.js';
export { CNN_MODEL_KIND, PRESET_HYPER, resolveTrainParams, DEFAULT_SEED, DEFAULT_SPLITS, type TrainRequest, type ResolvedTrainParams } from './params.js';
export { modelScaleOf, patchScaleFor, scaleLabel, sidePxFor, MAX_UPSAMPLE, SCALE_UNKNOWN, type ModelScale, type PatchScale } from './scale.js';
