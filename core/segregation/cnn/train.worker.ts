import { parentPort, workerData } from 'node:worker_threads';
import { ensureBackend } from '../../ml/backend.js';
import type { BackendPreference } from '../../api/methods/system.js';
import { measureTrainStep } from '../../ml/step-timer.js';
import { runExperiment, type ExperimentInput } from './experiment.js';
import { postedError } from '../../runtime/worker-error.js';

/** Input posted to the training worker (patches arrive as one transferred buffer). */
export interface TrainWorkerInput {
  backend: BackendPreference;
  experiment: Omit<ExperimentInput, 'patches'>;
  size: number;
  patchBuffer: Uint8Array;
  /**
   * Threads leased for this job beyond this worker's own (runWorker's `extraThreads`). With any, the runs train
   * data-parallel on 1 + extraThreads gradient workers, which also reduce and apply Adam (each its slice of the
   * weights); this thread only hands out the shards.
   */
  extraThreads?: number;
}

async function main(): Promise<void> {
  const input = workerData as TrainWorkerInput;
  const backend = await ensureBackend(input.backend);
  parentPort!.postMessage({ type: 'backend', backend });
  const threads = 1 + (input.extraThreads ?? 0);
  // tfjs-node runs its own thread pool; only the single-threaded backends gain from gradient workers.
  const parallel = threads >= 2 && (backend.tfjsBackend === 'wasm' || backend.tfjsBackend === 'cpu') ? { workers: threads, granted: true } : undefined;
  parentPort!.postMessage({ type: 'workers', workers: parallel?.workers ?? 1 });
  // A measured warm step of this architecture on this backend, before any run: the parent turns it into the
  // run's time estimate (× planned steps) and says it, with how it was measured, before the first epoch.
  const step = await measureTrainStep(input.experiment.architecture, input.experiment.hyper.batchSize);
  parentPort!.postMessage({ type: 'estimate', step });
  const per = input.size * input.size;
  const patches = Array.from({ length: input.patchBuffer.length / per }, (_, i) => input.patchBuffer.subarray(i * per, (i + 1) * per));
  const result = await runExperiment(
    { ...input.experiment, patches, parallel },
    {
      onEpoch: (runIndex, runCount, runName, log) => parentPort!.postMessage({ type: 'epoch', runIndex, runCount, runName, log }),
    },
  );
  parentPort!.postMessage({ type: 'done', result }, [result.artifacts.weightData]);
}

main().catch((err: unknown) => {
  parentPort!.postMessage({ type: 'error', ...postedError(err) });
});
