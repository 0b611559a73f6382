import { DISTANCES_MM, chemToArray } from './elements.js';
import { COST_PRESET, WEIGHT_PRESETS, type ObjectiveSpec } from './objective.js';
import { deriveSeed } from '../runtime/random.js';
import { elementIndices, profileIndices, type ElementIndex, type ProfileIndices } from './metrics.js';
import type { Constraints } from './constraints.js';
import type { GaSettings } from './ga.js';
import type { DesignTask, DesignTaskResult } from './tasks.js';
import type { JominySample } from './dataset.js';
import { SCALE_END } from './below-scale.js';

/**
 * Evaluation of the optimiser over a set of target heats (paper §4, Tables 4, 5, 7, 8, 10, 11):
 * each heat's measured profile is a target; the designed chemistry's predicted profile is compared
 * with it (Eqs. 4–10), and the designed chemistry with the heat's real one (Eqs. 11–12, Table 11).
 * When the heats come from a generating model that is known (Ferrolab's synthetic data), the
 * designed chemistry is also scored with that model — the check the paper could not make.
 */
export type ObjectiveKind = 'base' | 'weighted' | 'cost';

export function objectiveFor(kind: ObjectiveKind, hardness: number[]): ObjectiveSpec {
  const target = { kind: 'curve' as const, hardness };
  if (kind === 'weighted') return { target, weights: WEIGHT_PRESETS.central };
  if (kind === 'cost') return { target, costs: COST_PRESET.costs, beta: COST_PRESET.beta };
  return { target };
}

export const SWEEP_R = [1, 2, 3, 4] as const;
export const SWEEP_ALPHA = [5, 10, 15, 25, 50] as const;

export interface EvaluationConfig {
  r: number;
  alpha: number;
}

/** Tasks for one configuration; a target keeps its seed across configurations (common random numbers). */
export function evaluationTasks(targets: JominySample[], kind: ObjectiveKind, constraints: Constraints, settings: Partial<GaSettings>, seed: number, keyOffset = 0): DesignTask[] {
  return targets.map((t, k) => ({
    key: keyOffset + k,
    input: { objective: objectiveFor(kind, t.hardness), constraints, settings: { topK: 1, ...settings }, seed: deriveSeed(seed, k) },
  }));
}

export interface EvaluationSummary {
  r: number;
  alpha: number;
  objective: ObjectiveKind;
  targets: number;
  profile: ProfileIndices;
  elements: ElementIndex[];
  /** Designed chemistries scored with the data's generating model (synthetic data only). */
  truth: ProfileIndices | null;
  /** Mean of the objective and of the cost term over the targets. */
  meanObjective: number;
  meanCostTerm: number;
  outOfDomain: number;
  /** The obvious choice to beat (absent in evaluations stored before it existed). */
  nearestHeat?: NearestHeatBaseline | null;
}

/**
 * The baseline a design must beat: for each target, the chemistry of the heat the predictor learnt from whose
 * measured curve is nearest the target's (mean |ΔHRC| over the points both measured) — what a lab does without an
 * optimiser: re-melt the recipe of its closest known heat. Scored like the design, on this predictor's curve of
 * that chemistry (and on the generator's, for synthetic data), so design and baseline are judged alike.
 */
export interface NearestHeatBaseline {
  profile: ProfileIndices;
  truth: ProfileIndices | null;
  /** Targets whose designed curve is nearer the target (mean |ΔHRC| over the 15 points) than the baseline's; ties count for neither. */
  designNearer: number;
  baselineNearer: number;
}

/**
 * Per target, the library heat with the nearest measured curve; a heat with the target's own chemistry and curve is
 * skipped (not a choice a new target would have). `leftOutFrom[k]`: the index from which library heat k read below
 * 20 HRC and was left out on import (below-scale.ts; null: never; absent: none recorded). There the heat is no blank
 * to step over — it is known to lie at or below the scale's end — so the gap counts the least its bound allows
 * (target − 20 HRC, 0 for a target at or under it), never skipped as if the heat had matched the target there: a heat
 * that softened out of the scale is not "nearest" a target that stays hard on the strength of its hard end alone.
 * `libraryDistancesMm`: the library's own distances when its layout is not the targets' 15 standard ones (a predictor
 * trained on sixteenths of an inch, or on a partial layout): a target's point is compared only with the library's
 * reading at the same distance (within 0.01 mm), never with whatever reading stands at the same index — 1/16 in
 * steps put the library's 9th reading at 14.3 mm where the target's 9th is at 20 mm. A target sharing no distance
 * with the library has no nearest heat (null): no baseline, rather than one chosen on other distances.
 */
export function nearestHeats(targets: JominySample[], library: JominySample[], leftOutFrom?: readonly (number | null)[], libraryDistancesMm?: readonly number[]): (JominySample | null)[] {
  // for each standard distance the library's index at it, or -1 where the library has no reading there
  const at = DISTANCES_MM.map((d, i) => (libraryDistancesMm ? libraryDistancesMm.findIndex((l) => Math.abs(l - d) < 0.01) : i));
  return targets.map((t) => {
    let best: JominySample | null = null;
    let bestGap = Infinity;
    library.forEach((h, k) => {
      if (sameHeat(h, t)) return;
      const from = leftOutFrom?.[k] ?? null;
      let sum = 0;
      let n = 0;
      t.hardness.forEach((v, i) => {
        const j = at[i] ?? -1;
        if (!Number.isFinite(v) || j < 0) return;
        const w = h.hardness[j];
        if (Number.isFinite(w)) (sum += Math.abs(v - w)), n++;
        else if (from !== null && j >= from) (sum += Math.max(0, v - SCALE_END.HRC)), n++;
      });
      if (n > 0 && sum / n < bestGap) (bestGap = sum / n), (best = h);
    });
    return best;
  });
}

const sameHeat = (a: JominySample, b: JominySample) =>
  a.hardness.length === b.hardness.length && a.hardness.every((v, i) => Object.is(v, b.hardness[i])) && JSON.stringify(chemToArray(a.chemistry)) === JSON.stringify(chemToArray(b.chemistry));

const meanAbs = (p: number[], t: number[]) => p.reduce((a, v, i) => a + Math.abs(v - t[i]), 0) / t.length;

export function summarise(
  targets: JominySample[],
  results: DesignTaskResult[],
  cfg: { r: number; alpha: number; objective: ObjectiveKind },
  elMax: number[],
  truthModel: ((chem: number[]) => number[]) | null,
  /** The baseline's chemistry per target and this predictor's curve of it; null when there is no library to draw from. */
  baseline: { chemistries: number[][]; profiles: number[][] } | null = null,
): EvaluationSummary {
  const best = results.map((r) => r.output.best);
  const designed = best.map((b) => b.chemistry);
  const hardness = targets.map((t) => t.hardness);
  let nearestHeat: NearestHeatBaseline | null = null;
  if (baseline) {
    const gaps = hardness.map((t, j) => meanAbs(best[j].profile, t) - meanAbs(baseline.profiles[j], t));
    nearestHeat = {
      profile: profileIndices(baseline.profiles, hardness),
      truth: truthModel ? profileIndices(baseline.chemistries.map(truthModel), hardness) : null,
      designNearer: gaps.filter((g) => g < 0).length,
      baselineNearer: gaps.filter((g) => g > 0).length,
    };
  }
  return {
    nearestHeat,
    ...cfg,
    targets: targets.length,
    profile: profileIndices(best.map((b) => b.profile), targets.map((t) => t.hardness)),
    elements: elementIndices(designed, targets.map((t) => chemToArray(t.chemistry)), elMax),
    truth: truthModel ? profileIndices(designed.map(truthModel), targets.map((t) => t.hardness)) : null,
    meanObjective: best.reduce((a, b) => a + b.objective, 0) / best.length,
    meanCostTerm: best.reduce((a, b) => a + b.costTerm, 0) / best.length,
    outOfDomain: best.filter((b) => !b.domain.inDomain).length,
  };
}
