import { availableParallelism } from 'node:os';
import type { DatasetLayout, JominySample } from '../jominy/dataset.js';
import { trainPredictor, type PredictorModel } from '../jominy/predictor.js';
import { inputHeatsPhrases, planInputHeats } from '../jominy/element-gaps.js';
import { phrase } from '../api/phrase.js';
import { notesOf } from './words.js';
import { predictorCounts, predictorNote, predictorProgress } from './jominy/predictor-note.js';
import type { InputPreprocess } from '../ml/transfer-model.js';
import { childSeed } from '../runtime/random.js';
import type { ExperimentBudget, ExperimentContext, ExperimentResult, SegregationExperiment } from './types.js';
import { runJominyReproduction, planFor, secondsFor } from './jominy/index.js';
import { architectureSweep } from './segregation/architecture-sweep.js';
import { augmentationAblation } from './segregation/augmentation-ablation.js';
import { claheAblation } from './segregation/clahe-ablation.js';
import { featureBaselines } from './segregation/feature-baselines.js';
import { transferLearningExperiment } from './segregation/transfer-learning.js';
import { regionAnalysis } from './segregation/region-analysis.js';

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
  /** How that network expects its pixels (default unit: [0, 1]). */
  pretrainedPreprocess?: InputPreprocess | null;
}

/** The segregation (carbon CNN paper) experiments, in report order. */
export async function segregationExperiments(opts: SegregationRegistryOptions = {}): Promise<SegregationExperiment[]> {
  return [
    architectureSweep,
    augmentationAblation,
    claheAblation,
    featureBaselines,
    transferLearningExperiment({ dir: opts.pretrainedDir ?? null, ...(opts.pretrainedPreprocess ? { preprocess: opts.pretrainedPreprocess } : {}) }),
    regionAnalysis,
  ];
}

/** What JoMiner's reproduction takes: a stored dataset's heats as plain data. */
export interface JominyReproductionInput {
  datasetId: number;
  name: string;
  synthetic: boolean;
  /** The generator's seed for synthetic data (null for measured data). */
  generatorSeed: number | null;
  /** The generating model's id (core/jominy/synth.ts SYNTH_MODEL_ID) for Ferrolab's synthetic heats, else null. */
  generator: string | null;
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

/**
 * The paper's protocol on a stored dataset: a predictor is trained on it (seeded, 30 % of the heats held out —
 * the paper's split), and its held-out heats are the design targets. The predictor is one resumable unit (its
 * file is JSON). The quick budget trains a smaller network (≤ 3 hidden units, 40 epochs), said in the notes.
 */
const PREDICTOR_SETTINGS: Record<ExperimentBudget, { maxHidden?: number; epochs?: number }> = { quick: { maxHidden: 3, epochs: 40 }, full: {} };
/** Seconds to train per 810 heats, measured on the 2-core machine under load (quick 7.5 s; full ≈ 8× the work). */
const TRAIN_SECONDS_PER_810: Record<ExperimentBudget, number> = { quick: 8, full: 60 };
/** Seconds per predictor evaluation inside the GA (measured: the quick plan's 3.4 M evaluations in 85 s on 2 threads). */
const SECONDS_PER_EVAL = 5e-5;

export const jominyReproduction: JominyReproduction = {
  estimateSeconds(input, budget) {
    const targets = Math.round(input.samples.length * 0.3);
    const train = (TRAIN_SECONDS_PER_810[budget] * input.samples.length) / 810;
    return Math.ceil(train + secondsFor(planFor(budget, targets), SECONDS_PER_EVAL, availableParallelism()));
  },
  async run(input, ctx) {
    const settings = PREDICTOR_SETTINGS[ctx.budget];
    const seed = childSeed(ctx.seed, 7);
    // Element gaps (core/jominy/element-gaps.ts): the predictor and its targets are the heats that analysed every
    // input element; a sparse element is not an input. A dataset without gaps is used whole, as before. Their heats
    // are keyed on the full rows (planInputHeats keys), as the training service keys them.
    const { plan, samples, keys } = planInputHeats(input.samples, input.layout.elements);
    const layout = { ...input.layout, elements: plan.inputElements };
    ctx.progress(0, predictorProgress(predictorCounts(keys, []), seed));
    const model = await ctx.unit<PredictorModel>('predictor', async () => trainPredictor(samples, { seed, layout, heatKeys: keys, ...settings }));
    const targets = model.split.testIndices.map((i) => samples[i]);
    const targetHeatKeys = model.split.testIndices.map((i) => keys[i]);
    const results = await runJominyReproduction(
      { model, targets, targetHeatKeys, targetsAre: 'held-out', generator: input.generator, dataset: { name: input.name, fingerprint: input.fingerprint } },
      ctx,
    );
    const gaps = inputHeatsPhrases(plan).map((detail) => phrase('expNotes.jominy.gaps', { detail }));
    const note = predictorNote(predictorCounts(keys, model.split.testIndices), seed, settings.maxHidden ? { hidden: settings.maxHidden, epochs: settings.epochs ?? '' } : null);
    const own = notesOf([note, ...gaps]);
    return results.map((r) => ({
      ...r,
      seeds: { ...r.seeds, predictor: seed },
      notes: [...own.notes, ...r.notes],
      notePhrases: [...own.notePhrases, ...(r.notePhrases ?? r.notes.map(() => null))],
    }));
  },
};

/** The module shape the orchestrator's worker imports (this file, or a test's module). */
export interface ExperimentsRegistryModule {
  segregationExperiments(opts?: SegregationRegistryOptions): Promise<SegregationExperiment[]>;
  jominyReproduction: JominyReproduction | null;
}
