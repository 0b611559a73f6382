import { DISTANCES_MM, N_POINTS, ELEMENTS, type Element } from '../../jominy/elements.js';
import { modelDistances } from '../../jominy/predictor-model.js';
import { SYNTH_MODEL_ID } from '../../jominy/synth.js';
import type { PredictorModel } from '../../jominy/predictor-model.js';
import type { JominySample } from '../../jominy/dataset.js';
import type { SearchKind } from '../../jominy/ga.js';
import { RefusedError } from '../../runtime/refused.js';

/**
 * What the JoMiner reproduction takes: plain data the orchestrator (services/experiments) loads through the
 * services — the trained predictor's file, the target heats, and whether a generating model is known.
 */
export interface JominyReproductionInput {
  /** The trained predictor (the stored JSON of a `models` row of kind jominy). */
  model: PredictorModel;
  /**
   * Target heats: whole curves at the 15 standard distances. The paper's protocol uses the predictor's own test
   * heats (`model.split.testIndices` into its dataset: 243 of 810); the quick budget takes the first of them.
   */
  targets: JominySample[];
  /**
   * The heat of each target (heat-split.ts heatKeys, as its predictor keyed them): a retest is a second target curve
   * of one heat. Default heatKeys(targets).
   */
  targetHeatKeys?: readonly string[];
  /** Which sample the targets are for the predictor: its test heats ('held-out', default) or another dataset. */
  targetsAre?: 'held-out' | 'out-of-sample';
  /**
   * The dataset's generator (`SYNTH_MODEL_ID` for Ferrolab's synthetic heats), or null for measured data. With a
   * known generator each design is also scored against it: the honest ε beside the ε against the predictor.
   */
  generator: string | null;
  /** The dataset's name and content fingerprint, copied into the settings the report prints. */
  dataset?: { name: string; fingerprint?: string };
  /** The search: 'paper-ga' (default: the paper's GA alone) or 'default' (Ferrolab's GA + CMA-ES). */
  search?: SearchKind;
  /** GA worker threads (default: every core; the app-wide worker cap may grant fewer). */
  threads?: number;
  /** Replace the budget's sizes (tests, a custom run); what is used is printed in settings. */
  overrides?: Partial<JominyPlan>;
}

/** The sizes one run uses, from the budget (plan.ts) and any overrides. */
export interface JominyPlan {
  targets: number;
  r: number[];
  alpha: number[];
  population: number;
  generations: number;
  /** The configuration of the weighted (Tables 7–8) and cost (Tables 10–11) runs: the paper's chosen one. */
  chosen: { r: number; alpha: number };
}

/** The elements the predictor's dataset analysed (a v1 file: all 15); an absent element has no error to report. */
export const ownElements = (model: PredictorModel): Element[] => model.elements ?? [...ELEMENTS];

export const isSynthetic = (input: Pick<JominyReproductionInput, 'generator'>): boolean => input.generator === SYNTH_MODEL_ID;

/** Refuses what the paper's indices cannot be computed on, naming the heat; nothing is guessed or interpolated. */
export function checkInput(input: JominyReproductionInput): void {
  const d = modelDistances(input.model);
  if (d.length !== N_POINTS || d.some((x, i) => Math.abs(x - DISTANCES_MM[i]) > 1e-9))
    throw new RefusedError('failed_precondition', `the reproduction needs a predictor at the 15 standard distances (${DISTANCES_MM.join(', ')} mm); this one has ${d.join(', ')} mm`);
  if (input.targets.length === 0) throw new RefusedError('failed_precondition', 'no target heats');
  input.targets.forEach((t, k) => {
    const name = t.heatId ?? (t.lineNo ? `line ${t.lineNo}` : `target ${k + 1}`);
    if (t.hardness.length !== N_POINTS) throw new RefusedError('invalid_argument', `target heat ${name} has ${t.hardness.length} hardness values; the 15 standard distances are needed`);
    const gap = t.hardness.findIndex((h) => !Number.isFinite(h) || h <= 0);
    if (gap >= 0) throw new RefusedError('invalid_argument', `target heat ${name} has no usable hardness at ${DISTANCES_MM[gap]} mm (${t.hardness[gap]}): targets must be complete curves`);
    for (const el of ownElements(input.model))
      if (!Number.isFinite(t.chemistry[el])) throw new RefusedError('invalid_argument', `target heat ${name} has no ${el} although the predictor's dataset analyses it`);
  });
}
