import type { EventBus, JobManager } from '../../jobs/index.js';
import type { JominyDatasetsRepo } from '../../store/repos/jominy-datasets-repo.js';
import type { JominyModelsRepo } from '../../store/repos/jominy-models-repo.js';
import type { DesignSessionsRepo } from '../../store/repos/design-sessions-repo.js';
import type { JominyEvaluationsRepo } from '../../store/repos/jominy-evaluations-repo.js';
import type { JominyGradesRepo } from '../../store/repos/jominy-grades-repo.js';

/** What the Jominy service needs, handed in by whoever builds it (no database handle: SQL stays in the repos). */
export interface JominyServiceDeps {
  readonly repos: {
    readonly datasets: JominyDatasetsRepo;
    readonly models: JominyModelsRepo;
    readonly sessions: DesignSessionsRepo;
    readonly evaluations: JominyEvaluationsRepo;
    readonly grades: JominyGradesRepo;
  };
  /** `root`: the data folder (model rows hold paths relative to it); `models`: where predictor files go. */
  readonly paths: { readonly root: string; readonly models: string };
  readonly jobs: Pick<JobManager, 'start'>;
  readonly bus: Pick<EventBus, 'emit'>;
  /** Where an upload's file is (core/app/upload-store.ts); spending it is dispatch's job (core/app/upload-consumers.ts). */
  readonly uploads: { resolve(uploadId: string): string };
}
