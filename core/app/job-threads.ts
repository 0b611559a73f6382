import { availableParallelism } from 'node:os';
import type { SettingsRepo } from '../store/repos/settings-repo.js';
import { defaultJobThreads } from '../runtime/cores.js';
import { setWorkerCap, workerCap } from '../runtime/worker.js';

/** Setting: worker threads for all jobs together (absent/null: logical cores − 1). */
export const JOB_THREADS_SETTING = 'runtime.jobThreads';

/** Per open data folder (its settings repo): the stored value last put into force, or read at open. */
const seen = new WeakMap<SettingsRepo, number | null>();

/**
 * Puts the stored job threads into force (the app-wide cap of core/runtime/worker.ts): at start and when the
 * setting changes (here, or in another process: followJobThreads). A stored count above this PC's logical cores (a data folder moved from a larger machine) is
 * held to the cores here — more threads than cores only take turns.
 */
export function applyJobThreads(settings: SettingsRepo): number {
  const stored = storedJobThreads(settings);
  seen.set(settings, stored);
  const threads = typeof stored === 'number' && Number.isInteger(stored) && stored >= 1 ? Math.min(stored, availableParallelism()) : defaultJobThreads();
  setWorkerCap(threads);
  return threads;
}

/** The stored setting as read now (null: none, the default). */
function storedJobThreads(settings: SettingsRepo): number | null {
  return settings.get<number | null>(JOB_THREADS_SETTING) ?? null;
}

/** At open: what is stored now is what later changes are told from (the context applies it when one is stored). */
export function noteJobThreads(settings: SettingsRepo): void {
  seen.set(settings, storedJobThreads(settings));
}

/**
 * Puts into force a setting another process stored since this one last read it — `ferrolab threads N` run on the
 * data folder of an open app —, called as each job starts and when the interface reads the setting; returns the cap
 * in force. Why only on a change: with the stored value unchanged the cap stays what it is (a test or bench may
 * have set it). Jobs already running keep the threads they hold (core/runtime/worker.ts).
 */
export function followJobThreads(settings: SettingsRepo): number {
  if (!seen.has(settings) || seen.get(settings) !== storedJobThreads(settings)) applyJobThreads(settings);
  return workerCap();
}
