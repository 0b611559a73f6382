import type { Database } from 'better-sqlite3';
import { createModelsRepo } from '../store/repos/models-repo.js';
import { createDesignSessionsRepo } from '../store/repos/design-sessions-repo.js';
import { createExperimentRunsRepo } from '../store/repos/experiment-runs-repo.js';
import { isOwnerAlive } from '../runtime/process-owner.js';
import { nowIso } from '../store/tx.js';

/**
 * Called when a data folder is opened, before this process can start any job: training runs, design
 * sessions and reproduction runs left `running` by a process that no longer exists (killed, crashed, power cut) are marked
 * `interrupted` with the time they were found. Rows whose owner is alive — another Ferrolab process on the
 * same folder, or this very process — are left alone (see core/runtime/process-owner.ts for why an owner
 * check and not "everything running at open").
 */
export function markInterruptedWork(db: Database): { trainingRuns: number[]; designSessions: number[]; experimentRuns: number[] } {
  const at = nowIso();
  return {
    trainingRuns: createModelsRepo(db).markInterruptedRuns(isOwnerAlive, at),
    designSessions: createDesignSessionsRepo(db).markInterruptedSessions(isOwnerAlive, at),
    experimentRuns: createExperimentRunsRepo(db).markInterrupted(isOwnerAlive, at),
  };
}
