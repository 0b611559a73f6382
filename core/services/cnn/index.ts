import type { ServiceContext } from '../context.js';
import { trainWorkers } from './train-workers.js';
import type { CnnContext, SectionReader } from './cnn-context.js';
import type { CnnDataset, DatasetOptions, DatasetPoint, DatasetBillet } from '../../segregation/cnn/dataset.js';
import { buildDataset, loadBilletPoints } from './dataset-loader.js';
import type { TrainRequest } from '../../segregation/cnn/params.js';
import { CNN_MODEL_KIND } from '../../segregation/cnn/params.js';
import type { PatchScale } from '../../segregation/cnn/scale.js';
import { createModelsRepo } from '../../store/repos/models-repo.js';
import type { PatchPredictorFactory } from '../../maps/predictor-source.js';
import { startCnnTraining } from './training-job.js';
import { predictBillet } from './predict.js';
import { gradCamForPoint, gradCamRegionTest } from './gradcam-service.js';
import { deleteModel, exportModel, importModel, copyModelFolder } from './model-store.js';
import { createMapPredictor } from './map-predictor.js';
import { cnnRecord, modelDetail, listedModelSummary } from './model-catalog.js';

/** The carbon CNN on billets: training job, prediction, Grad-CAM, the model store, and the predicted-map source. */
export interface CnnDeps {
  /** The sections service (the one reader of a billet's pixels), handed over by the composition root. */
  sections: SectionReader;
}

export function createCnnService(base: ServiceContext, deps: CnnDeps) {
  // Written out (not spread) so a context's lazy members are read when used, not when the service is built.
  const ctx: CnnContext = {
    version: base.version,
    paths: base.paths,
    db: base.db,
    bus: base.bus,
    jobs: base.jobs,
    repos: base.repos,
    backendPreference: () => base.backendPreference(),
    backend: () => base.backend(),
    sections: deps.sections,
  };
  const mapPredictor: PatchPredictorFactory = (req) => createMapPredictor(ctx, req);
  return {
    train: (request: TrainRequest) => startCnnTraining(ctx, request),
    trainWorkers: (workers?: number | null) => trainWorkers(ctx, workers),
    predict: (modelId: number, billetId: number, opts?: Parameters<typeof predictBillet>[3]) => predictBillet(ctx, modelId, billetId, opts),
    gradCam: (modelId: number, billetId: number, label: string, layers: number[] | 'all') => gradCamForPoint(ctx, modelId, billetId, label, layers),
    gradCamRegions: (modelId: number, billetId: number, layer: number, labels?: string[]) => gradCamRegionTest(ctx, modelId, billetId, layer, labels),
    models: {
      record: (id: number, field?: string) => cnnRecord(ctx, id, field),
      list: () => createModelsRepo(ctx.db).list(CNN_MODEL_KIND).map((r) => listedModelSummary(ctx, r)),
      get: (id: number) => modelDetail(ctx, id),
      rename: (id: number, name: string) => {
        const r = createModelsRepo(ctx.db).rename(id, name);
        ctx.bus.emit({ type: 'data-changed', entity: 'model', id });
        return listedModelSummary(ctx, r);
      },
      delete: (id: number) => deleteModel(ctx, id),
      export: (id: number, destFile?: string) => exportModel(ctx, id, destFile),
      import: (file: string, name?: string) => listedModelSummary(ctx, importModel(ctx, file, name)),
      copyFolder: (id: number, dest: string) => copyModelFolder(ctx, id, dest),
      runs: () => createModelsRepo(ctx.db).listRuns(CNN_MODEL_KIND),
    },
    /** One billet's points with their patches (read through the sections service). */
    loadBilletPoints: (billetId: number, opts: DatasetOptions): Promise<{ billet: DatasetBillet; points: DatasetPoint[]; patchScale: PatchScale | null }> => loadBilletPoints(ctx, billetId, opts),
    buildDataset: (billetIds: readonly number[], opts: DatasetOptions): Promise<CnnDataset> => buildDataset(ctx, billetIds, opts),
    /** What the maps service predicts with (given to it by the composition root). */
    mapPredictor,
  };
}
export type CnnService = ReturnType<typeof createCnnService>;

export { CNN_MODEL_KIND };
export type { CnnContext, SectionReader } from './cnn-context.js';
export { trainCnn, startCnnTraining, planSplits, type TrainJobResult, type TrainProgressDetail, type CnnMetrics, type StoredRun, type LabelledPrediction } from './training-job.js';
export { predictBillet, requireCnnModel, type BilletPrediction, type PointForecast } from './predict.js';
export { gradCamForPoint, gradCamRegionTest, type GradCamPointResult, type GradCamLayerImage } from './gradcam-service.js';
export { deleteModel, exportModel, importModel, copyModelFolder, MODEL_BUNDLE_FORMAT } from './model-store.js';
export { createMapPredictor } from './map-predictor.js';
