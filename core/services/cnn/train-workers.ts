import type { ServiceContext } from '../context.js';
import type { TrainWorkersInfo } from '../../api/methods/cnn.js';
import { defaultTrainWorkers, physicalCores } from '../../runtime/cores.js';
import { workerCap } from '../../runtime/worker.js';

/** Setting: gradient workers of data-parallel CNN training (null/absent: physical cores − 1); a request's `workers` wins. */
export const TRAIN_WORKERS_SETTING = 'ml.trainWorkers';

/** The training workers setting; `workers` given: stores it first (null: back to the default). */
export function trainWorkers(ctx: ServiceContext, workers?: number | null): TrainWorkersInfo {
  if (workers !== undefined) ctx.repos.settings.set(TRAIN_WORKERS_SETTING, workers);
  const setting = ctx.repos.settings.get<number | null>(TRAIN_WORKERS_SETTING) ?? null;
  const fallback = defaultTrainWorkers();
  return { workers: setting ?? fallback, setting, default: fallback, physicalCores: physicalCores(), workerCap: workerCap() };
}
