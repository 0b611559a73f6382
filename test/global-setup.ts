import { workerBundleDir } from './helpers/worker-bundle.js';

/**
 * Runs once in vitest's main process before any test file; what it puts in process.env reaches every fork and
 * the worker threads they start.
 *
 * Worker threads (CNN training and inference, maps, reports, demo billets, Jominy, pores: hundreds in the suite)
 * start from the bundle of every worker of core/ that the CLI tests already use (test/helpers/cli-bundle.ts,
 * keyed by the code of core/, built once), instead of each start loading the TypeScript sources through tsx:
 * the same code, ≈ 0.5 s less CPU per start (core/runtime/worker.ts, bundledWorker). Not the workers that import
 * a module named at run time (test/helpers/worker-bundle.ts).
 * FERROLAB_TEST_WORKERS_FROM_SOURCES=1 starts them through tsx as before (to compare, or to debug a worker).
 */
export default async function setup(): Promise<void> {
  if (process.env.FERROLAB_TEST_WORKERS_FROM_SOURCES === '1') return;
  process.env.FERROLAB_TEST_WORKER_BUNDLE = await workerBundleDir();
  process.env.FERROLAB_TEST_WORKER_ROOT = process.cwd();
}
