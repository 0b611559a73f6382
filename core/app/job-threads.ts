import { availableParallelism } from 'node:os';
import type { SettingsRepo } from '../store/repos/settings-repo.js';
import { defaultJobThreads } from '../runtime/cores.js';
import { setWorkerCap } from '../runtime/worker.js';

/** Setting: worker threads for all jobs together (absent/null: logical cores − 1). */
export const JOB_THREADS_SETTING = 'runtime.jobThreads';

/**
 * Puts the stored job threads into force (the app-wide cap of core/runtime/worker.ts): at start and when the
 * setting changes. A stored count above this PC's logical cores (a data folder moved from a larger machine) is
 * held to the cores here — more threads than cores only take turns.
 */
export function applyJobThreads(settings: SettingsRepo): number {
  const stored = settings.get<number>(JOB_THREADS_SETTING);
  const threads = typeof stored === 'number' && Number.isInteger(stored) && stored >= 1 ? Math.min(stored, availableParallelism()) : defaultJobThreads();
  setWorkerCap(threads);
  return threads;
}
