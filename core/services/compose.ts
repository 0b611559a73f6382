import type { ServiceContext } from './context.js';
import type { Services } from './types.js';
import { createSectionsService } from './sections/index.js';
import { createSamplingService } from './sampling/index.js';
import { createReadingsService } from './readings/index.js';
import { createCnnService } from './cnn/index.js';
import { createMapsService } from './maps/index.js';
import { createReportsService } from './reports/index.js';
import { createDemoService } from './demo/index.js';
import { createFewerPointsService } from './fewer-points/index.js';
import { createExperimentsService } from './experiments/index.js';
import { createJominyService, type JominyServiceDeps } from './jominy/index.js';
import { createJominyDatasetsRepo } from '../store/repos/jominy-datasets-repo.js';
import { createJominyModelsRepo } from '../store/repos/jominy-models-repo.js';
import { createDesignSessionsRepo } from '../store/repos/design-sessions-repo.js';
import { createJominyEvaluationsRepo } from '../store/repos/jominy-evaluations-repo.js';
import { createJominyGradesRepo } from '../store/repos/jominy-grades-repo.js';
import { ModelDetail } from '../api/methods/cnn.js';

/**
 * The composition root: builds every application service once per process and hands each what it needs
 * from the others (the maps service gets the CNN's predictor, the reports service its model description, fewer-points
 * the CNN's point prediction),
 * so no service imports another and nothing dispatches back into the API.
 */
export function createServices(ctx: ServiceContext, shell: { uploads: JominyServiceDeps['uploads'] }): Services {
  const sections = createSectionsService(ctx);
  const sampling = createSamplingService(ctx);
  const readings = createReadingsService(ctx);
  const cnn = createCnnService(ctx, { sections });
  const maps = createMapsService(ctx, { predictor: cnn.mapPredictor, underlay: sections.underlay, pores: sections.sectionPores, poreSummary: sections.pores, scaleCheck: sections.scaleCheck });
  const reports = createReportsService(ctx, {
    // Checked against the contract's shape, as cnn.models.get answers it: an older or foreign record that does
    // not meet it gets the card built from its raw row (reports' fallback), never a half-read one.
    describeModel: (id) => ModelDetail.parse(cnn.models.get(id)),
    layers: maps.layers,
    poreSummary: sections.pores,
  });
  const demo = createDemoService(ctx);
  const fewerPoints = createFewerPointsService(ctx, { predict: (modelId, billetId, opts) => cnn.predict(modelId, billetId, opts) });
  // JoMiner takes explicit deps (no database handle, no context): its repos, folders, jobs, events and the
  // upload store its imports consume.
  const jominy = createJominyService({
    repos: {
      datasets: createJominyDatasetsRepo(ctx.db),
      models: createJominyModelsRepo(ctx.db),
      sessions: createDesignSessionsRepo(ctx.db),
      evaluations: createJominyEvaluationsRepo(ctx.db),
      grades: createJominyGradesRepo(ctx.db),
    },
    paths: { root: ctx.paths.root, models: ctx.paths.models },
    jobs: ctx.jobs,
    bus: ctx.bus,
    uploads: shell.uploads,
  });
  // The reproduction reads pixels through the sections service, as the CNN does.
  const experiments = createExperimentsService(ctx, { sections });
  return { sections, sampling, readings, cnn, maps, reports, demo, jominy, fewerPoints, experiments };
}
