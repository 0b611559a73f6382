import { relative, sep } from 'node:path';
import type { ServiceContext } from '../context.js';
import type { ExperimentRunDetail, ExperimentRunInfo } from '../../api/methods/experiments.js';
import { createExperimentRunsRepo, type ExperimentRunRecord } from '../../store/repos/experiment-runs-repo.js';
import { createReproductionJobs, reportDirOf, type ExperimentsDeps, type ReproductionRequest } from './reproduction-job.js';
import { REPORT_HTML, REPORT_PDF } from './report-files.js';

export type { ReproductionRequest, ReproductionJobResult, ExperimentsDeps } from './reproduction-job.js';
export { REPORT_HTML, REPORT_PDF } from './report-files.js';
export { PATCH_SIZE, SPLIT_COUNT } from './segregation-data.js';

/**
 * The papers' experiments (issue 13): reproduction runs over billets or a Jominy dataset, their checkpointed
 * units and results (experiment-runs-repo), the job that runs them in a worker, and the report. Reads pixels
 * through the sections service handed over by the composition root.
 */
export function createExperimentsService(ctx: ServiceContext, deps: ExperimentsDeps) {
  const repo = createExperimentRunsRepo(ctx.db);
  const jobs = createReproductionJobs(ctx, deps);
  /** The report's files relative to the data folder when they are under reports/ (so the UI can open them). */
  const info = (r: ExperimentRunRecord): ExperimentRunInfo => {
    const dir = reportDirOf(ctx, r);
    const rel = relative(ctx.paths.root, dir).split(sep).join('/');
    const inside = r.state === 'done' && rel.startsWith('reports/') && !rel.includes('..');
    return { ...r, reportDir: r.reportDir, reportFiles: inside ? { html: `${rel}/${REPORT_HTML}`, pdf: `${rel}/${REPORT_PDF}` } : null };
  };
  return {
    list: (): ExperimentRunInfo[] => repo.list().map(info),
    get: (id: number): ExperimentRunDetail => ({ ...info(repo.get(id)), results: repo.results(id) }),
    /** Units each attempt computed (attempt → count). */
    unitsByAttempt: (id: number) => repo.unitsByAttempt(id),
    start: (req: ReproductionRequest) => jobs.start(req),
    resume: (id: number, opts?: { outDir?: string }) => jobs.resume(id, opts),
    cancel: (id: number) => jobs.cancel(id),
  };
}

export type ExperimentsService = ReturnType<typeof createExperimentsService>;
