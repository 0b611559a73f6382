import { availableParallelism } from 'node:os';
import { evaluationTasks, type ObjectiveKind } from '../../jominy/evaluate.js';
import { runDesignsInPool } from '../../jominy/pool.js';
import type { Constraints } from '../../jominy/constraints.js';
import type { JominySample } from '../../jominy/dataset.js';
import type { SearchKind } from '../../jominy/ga.js';
import type { PredictorModel } from '../../jominy/predictor-model.js';
import type { PoolProgress } from '../../jominy/tasks.js';

/**
 * One unit of work: the designs of every target heat for one objective and one (r, α). What is kept is what the
 * tables need, per target, in the targets' order — JSON-safe so the orchestrator can checkpoint it (ctx.unit).
 */
export interface RunRecord {
  objective: ObjectiveKind;
  r: number;
  alpha: number;
  /** Designed chemistry (15 values, ELEMENTS order) per target. */
  chemistry: number[][];
  /** The predictor's curve at the design (15 HRC) per target. */
  profile: number[][];
  /** The objective's value and its cost term (Eq. 3's β·Σγ·C; 0 otherwise) per target. */
  objectiveValue: number[];
  costTerm: number[];
  inDomain: boolean[];
  /** Time the unit took when it was computed (kept, so a resumed run still reports it). */
  elapsedMs: number;
}

export interface RunSpec {
  objective: ObjectiveKind;
  r: number;
  alpha: number;
  population: number;
  generations: number;
  search: SearchKind;
}

/** The unit's key: the configuration and the sizes, so a resume with other sizes computes afresh. */
export const runKey = (s: RunSpec, targets: number, seed: number): string =>
  `jominy/${s.objective}/r${s.r}-a${s.alpha}/t${targets}-q${s.population}-g${s.generations}-${s.search}-s${seed}`;

/**
 * Every target keeps its seed (deriveSeed(seed, k)) across configurations and objectives: common random numbers,
 * so a difference between two cells is the configuration's, not the draw's.
 */
export async function runConfiguration(
  model: PredictorModel,
  targets: JominySample[],
  constraints: Constraints,
  spec: RunSpec,
  seed: number,
  opts: { threads?: number; signal?: AbortSignal; onProgress?: (p: PoolProgress) => void },
): Promise<RunRecord> {
  const t0 = performance.now();
  const tasks = evaluationTasks(targets, spec.objective, constraints, { search: spec.search, population: spec.population, generations: spec.generations, r: spec.r, alpha: spec.alpha }, seed);
  const results = await runDesignsInPool(model, tasks, { threads: opts.threads ?? availableParallelism(), signal: opts.signal, onProgress: opts.onProgress });
  const best = results.map((x) => x.output.best);
  return {
    objective: spec.objective,
    r: spec.r,
    alpha: spec.alpha,
    chemistry: best.map((b) => [...b.chemistry]),
    profile: best.map((b) => [...b.profile]),
    objectiveValue: best.map((b) => b.objective),
    costTerm: best.map((b) => b.costTerm),
    inDomain: best.map((b) => b.domain.inDomain),
    elapsedMs: performance.now() - t0,
  };
}
