/**
 * The carbon CNN workflow on billets: datasets from points + readings + patches, splits by sampling
 * point (or by billet), training as a job in a worker thread, stored models with lineage, prediction
 * with test-time augmentation, and Grad-CAM.
 */
export { buildDataset, loadBilletPoints, datasetSummary, pointSamples, targetScaling, scaledClahe, carbonRange, type CnnDataset, type DatasetPoint } from './dataset.js';
export { randomPointSplits, leaveOneBilletOutSplits, finalFitSplit, assertDisjoint, type PointSplit, type SplitMode } from './splits.js';
export { runExperiment, type ExperimentInput, type ExperimentResult, type RunResult, type Hyperparameters } from './experiment.js';
export { PRESET_HYPER, resolveTrainParams, DEFAULT_SEED, DEFAULT_SPLITS, type TrainRequest, type ResolvedTrainParams } from './params.js';
export { trainCnn, startCnnTraining, planSplits, CNN_MODEL_KIND, type TrainJobResult, type TrainProgressDetail, type CnnMetrics, type StoredRun, type LabelledPrediction } from '../../services/cnn/training-job.js';
export { predictBillet, requireCnnModel, type BilletPrediction, type PointForecast } from './predict.js';
export { gradCamForPoint, gradCamRegionTest, type GradCamPointResult, type GradCamLayerImage } from './gradcam-service.js';
export { deleteModel, exportModel, importModel, copyModelFolder, MODEL_BUNDLE_FORMAT } from './model-store.js';
export { createMapPredictor } from './map-predictor.js';
