import { parentPort, workerData } from 'node:worker_threads';
import { ensureBackend } from '../ml/backend.js';
import type { BackendPreference } from '../api/methods/system.js';
import type { InputPreprocess } from '../ml/transfer-model.js';
import type { ExperimentsRegistryModule, JominyReproductionInput } from './registry.js';
import { runJominy, runSegregation, REFERENCE_STEP_ARCHITECTURE, REFERENCE_STEP_SECONDS, type RunnerEvents } from './runner.js';
import { measureTrainStep } from '../ml/step-timer.js';
import type { ExperimentBudget, SegregationData } from './types.js';
import { postedError } from '../runtime/worker-error.js';

/**
 * The reproduction's worker thread: imports the registry module it is told (core/experiments/registry.js, or a
 * test's), runs its experiments on the data it was posted and posts every computed unit and every result to the
 * parent, which commits each on its own. Terminating the thread (cancel) loses only the unit in progress.
 */
export type ReproduceWorkerInput = {
  registryModule: string;
  budget: ExperimentBudget;
  seed: number;
  backend: BackendPreference;
  done: Record<string, unknown>;
  finished: string[];
} & ({ kind: 'segregation'; data: SegregationData; pretrainedDir: string | null; pretrainedPreprocess: InputPreprocess | null } | { kind: 'jominy'; input: JominyReproductionInput });

async function main(): Promise<void> {
  const input = workerData as ReproduceWorkerInput;
  const post = (m: object) => parentPort!.postMessage(m);
  const registry = (await import(input.registryModule)) as ExperimentsRegistryModule;
  const ev: RunnerEvents = {
    estimate: (seconds, perExperiment) => post({ type: 'estimate', seconds, perExperiment }),
    unit: (key, value, elapsedMs) => post({ type: 'unit', key, value, elapsedMs }),
    result: (position, result) => post({ type: 'result', position, result }),
    progress: (fraction, message) => post({ type: 'progress', fraction, message }),
  };
  if (input.kind === 'segregation') {
    const backend = await ensureBackend(input.backend);
    post({ type: 'backend', name: backend.name });
    // A measured warm step on this machine and backend scales the experiments' step model (said before the start).
    const step = await measureTrainStep(REFERENCE_STEP_ARCHITECTURE, 16);
    const speed = step.seconds / REFERENCE_STEP_SECONDS;
    post({ type: 'basis', message: `the experiments' step model scaled by a reference training step measured here (${backend.name}, ${step.threads} thread, warm: after ${step.discarded} discarded steps): ${step.seconds.toFixed(3)} s against the model's ${REFERENCE_STEP_SECONDS.toFixed(3)} s (×${speed.toFixed(2)})` });
    const experiments = await registry.segregationExperiments({ pretrainedDir: input.pretrainedDir, pretrainedPreprocess: input.pretrainedPreprocess });
    post({ type: 'plan', experiments: experiments.map((e) => e.id) });
    await runSegregation(experiments, input.data, { budget: input.budget, seed: input.seed, backend: backend.name, done: input.done, finished: new Set(input.finished), speed }, ev);
  } else {
    const entry = registry.jominyReproduction;
    if (!entry) throw new Error('the JoMiner reproduction is not available in this build');
    post({ type: 'backend', name: 'cpu (JoMiner: ml-matrix in workers)' });
    await runJominy(entry, input.input, { budget: input.budget, seed: input.seed, backend: 'cpu', done: input.done, finished: new Set(input.finished) }, ev);
  }
  post({ type: 'done' });
}

main().catch((err: unknown) => {
  parentPort!.postMessage({ type: 'error', ...postedError(err) });
});
