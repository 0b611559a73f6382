import { afterAll } from 'vitest';
import { join } from 'node:path';
import type { ApiEvent } from '../../core/api/events.js';
import { EventBus, JobManager } from '../../core/jobs/index.js';
import { openDatabase, closeDatabase } from '../../core/store/index.js';
import { createJominyService } from '../../core/services/jominy/index.js';
import { createJominyDatasetsRepo } from '../../core/store/repos/jominy-datasets-repo.js';
import { createJominyModelsRepo } from '../../core/store/repos/jominy-models-repo.js';
import { createDesignSessionsRepo } from '../../core/store/repos/design-sessions-repo.js';
import { createJominyEvaluationsRepo } from '../../core/store/repos/jominy-evaluations-repo.js';
import { createJominyGradesRepo } from '../../core/store/repos/jominy-grades-repo.js';
import { tempDir } from './temp.js';

/**
 * The JoMiner service built from explicit deps (repos, paths, jobs, bus, uploads) on a temp folder, with no
 * AppContext — what the composition root does — and every event it emits; closed after the file's tests.
 * `progressIntervalMs` 0 emits every progress message; `uploads` resolves upload ids (none by default).
 */
export function jominyServiceSession(opts: { progressIntervalMs?: number; uploads?: Map<string, string> } = {}) {
  const { dir, cleanup } = tempDir();
  const { db } = openDatabase(join(dir, 'ferrolab.sqlite'));
  const events: ApiEvent[] = [];
  const bus = new EventBus();
  bus.subscribe((e) => void events.push(e));
  const jobs = new JobManager(bus, opts.progressIntervalMs);
  const files = opts.uploads ?? new Map<string, string>();
  const repos = { datasets: createJominyDatasetsRepo(db), models: createJominyModelsRepo(db), sessions: createDesignSessionsRepo(db), evaluations: createJominyEvaluationsRepo(db), grades: createJominyGradesRepo(db) };
  const paths = { root: dir, models: join(dir, 'models') };
  const svc = createJominyService({ repos, paths, jobs, bus, uploads: { resolve: (id: string) => files.get(id) ?? '' } });
  afterAll(async () => {
    await jobs.cancelAll();
    closeDatabase(db);
    cleanup();
  });
  return { dir, db, events, bus, jobs, repos, paths, svc };
}
