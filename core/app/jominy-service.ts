import type { AppContext } from './context.js';
import { createJominyService, type JominyService } from '../services/jominy/index.js';
import { createJominyDatasetsRepo } from '../store/repos/jominy-datasets-repo.js';
import { createJominyModelsRepo } from '../store/repos/jominy-models-repo.js';
import { createDesignSessionsRepo } from '../store/repos/design-sessions-repo.js';
import { createJominyEvaluationsRepo } from '../store/repos/jominy-evaluations-repo.js';
import { createJominyGradesRepo } from '../store/repos/jominy-grades-repo.js';

// Interim accessor: wired into the composition root (core/services/compose.ts) at merge, after which the
// handler takes the root's one JominyService instead of building it here.
const built = new WeakMap<AppContext, JominyService>();

/** The Jominy service of this context, built once per context (its predictor cache lives as long as it). */
export function jominyService(ctx: AppContext): JominyService {
  let svc = built.get(ctx);
  if (!svc) {
    svc = createJominyService({
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
      uploads: ctx.uploads,
    });
    built.set(ctx, svc);
  }
  return svc;
}
