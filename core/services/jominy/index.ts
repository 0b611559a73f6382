import type { Output } from '../../api/contract.js';
import { COST_PRESET, DEFAULT_GA, DISTANCES_MM, ELEMENTS, ELEMENT_LIMITS, SYNTH_DESCRIPTION, WEIGHT_PRESETS } from '../../jominy/index.js';
import { createDatasetsService } from './datasets.js';
import type { JominyServiceDeps } from './deps.js';
import { createDesignService } from './design.js';
import { createEvaluationService } from './evaluation.js';
import { createGradesService } from './grades.js';
import { createPredictService } from './predict.js';
import { createPredictorStore } from './predictors.js';
import { createSessionsService } from './sessions.js';
import { createTrainingService } from './training.js';

export type { JominyServiceDeps } from './deps.js';

/**
 * The JoMiner application service: orchestrates core/jominy (plain data), the Jominy repos, predictor files,
 * jobs and data-changed events. Handlers (core/app/handlers/jominy.ts) only adapt the contract to it.
 */
export function createJominyService(deps: JominyServiceDeps) {
  const predictors = createPredictorStore(deps);
  return {
    /** The constants a client needs to build inputs: elements and their limits, distances, presets, GA defaults. */
    meta: (): Output<'jominy.meta'> => ({
      elements: [...ELEMENTS],
      elementLimits: { ...ELEMENT_LIMITS },
      distancesMm: [...DISTANCES_MM],
      weightPresets: { equal: WEIGHT_PRESETS.equal, central: WEIGHT_PRESETS.central },
      costPreset: COST_PRESET,
      ga: { ...DEFAULT_GA },
      synthDescription: SYNTH_DESCRIPTION,
    }),
    datasets: createDatasetsService(deps),
    predictors: { ...predictors, ...createTrainingService(deps) },
    ...createPredictService(predictors),
    ...createDesignService(deps, predictors),
    sessions: createSessionsService(deps),
    evaluations: createEvaluationService(deps, predictors),
    grades: createGradesService(deps),
  };
}

export type JominyService = ReturnType<typeof createJominyService>;
