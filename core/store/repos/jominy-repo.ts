import type { Database } from 'better-sqlite3';
import { createJominyDatasetsRepo } from './jominy-datasets-repo.js';
import { createJominyModelsRepo } from './jominy-models-repo.js';
import { createDesignSessionsRepo } from './design-sessions-repo.js';
import { createJominyEvaluationsRepo } from './jominy-evaluations-repo.js';

/**
 * The four JoMiner repos, one per table (heats with their dataset, results with their session), under the one
 * name callers used before the split. New code takes the repo it needs; this stays so code written against
 * `createJominyRepo` on other branches keeps compiling.
 */
export function createJominyRepo(db: Database) {
  return { ...createJominyDatasetsRepo(db), ...createJominyModelsRepo(db), ...createDesignSessionsRepo(db), ...createJominyEvaluationsRepo(db) };
}

export type JominyRepo = ReturnType<typeof createJominyRepo>;
export type { NewDataset } from './jominy-datasets-repo.js';
export type { ModelRowJ } from './jominy-models-repo.js';
