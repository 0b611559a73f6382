import type { DatasetLayout, JominySample } from '../jominy/dataset.js';
import type { ExperimentBudget, ExperimentContext, ExperimentResult, SegregationExperiment } from './types.js';

/**
 * The experiments a reproduction runs, in report order. The orchestrator (core/services/experiments) imports this
 * module inside its worker thread and runs what it lists; the experiments themselves are domain logic in
 * core/experiments/<name>/ (issue 13 parts A–D) and are wired in here.
 *
 * A test may point the orchestrator at another module of the same shape (FERROLAB_TEST_EXPERIMENTS_REGISTRY, see
 * core/services/experiments/registry-module.ts), so that the storage, resume, report and CLI are tested with
 * experiments whose numbers the test knows.
 */

export interface SegregationRegistryOptions {
  /** A pretrained network folder (TF.js layers: model.json + weights) for the transfer-learning experiment. */
  pretrainedDir?: string | null;
}

/** The segregation (carbon CNN paper) experiments, in report order. */
export async function segregationExperiments(_opts: SegregationRegistryOptions = {}): Promise<SegregationExperiment[]> {
  return [];
}

/** What JoMiner's reproduction takes: a stored dataset's heats as plain data. */
export interface JominyReproductionInput {
  datasetId: number;
  name: string;
  synthetic: boolean;
  /** The generator's seed for synthetic data (null for measured data). */
  generatorSeed: number | null;
  layout: DatasetLayout;
  samples: JominySample[];
  /** Content fingerprint of the heats (sha256), printed in the report. */
  fingerprint: string;
}

/** The JoMiner paper's reproduction: one entry producing its tables and figures (issue 13 part D). */
export interface JominyReproduction {
  estimateSeconds(input: JominyReproductionInput, budget: ExperimentBudget): number;
  run(input: JominyReproductionInput, ctx: ExperimentContext): Promise<ExperimentResult[]>;
}

/** Null until the JoMiner tables are wired in (then: { run: runJominyReproduction, estimateSeconds: estimateJominySeconds }). */
export const jominyReproduction: JominyReproduction | null = null;

/** The module shape the orchestrator's worker imports (this file, or a test's module). */
export interface ExperimentsRegistryModule {
  segregationExperiments(opts?: SegregationRegistryOptions): Promise<SegregationExperiment[]>;
  jominyReproduction: JominyReproduction | null;
}
