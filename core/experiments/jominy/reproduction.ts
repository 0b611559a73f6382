import { fixed, phrase, plain, type Phrase } from '../../api/phrase.js';
import { notesOf, titled } from '../words.js';
import { availableParallelism } from 'node:os';
import { arrayToChem, chemToArray } from '../../jominy/elements.js';
import { runDesign } from '../../jominy/ga.js';
import { objectiveFor } from '../../jominy/evaluate.js';
import { JominyPredictor } from '../../jominy/predictor.js';
import { heatKeys } from '../../jominy/heat-split.js';
import { synthTruthProfile } from '../../jominy/synth.js';
import type { Constraints } from '../../jominy/constraints.js';
import type { ExperimentBudget, ExperimentContext, ExperimentResult } from '../types.js';
import { checkInput, isSynthetic, ownElements, type JominyPlan, type JominyReproductionInput } from './input.js';
import { cellsOf, planFor, reductionPhrases } from './plan.js';
import { runConfiguration, runKey, type RunRecord, type RunSpec } from './runs.js';
import { scoreRun, type ScoreContext } from './scores.js';
import { closestTrainingHeat, ownChemistry } from './baseline.js';
import { profileIndices } from '../../jominy/metrics.js';
import { elementTables, sweepFigures, sweepTables } from './sweep-result.js';
import { costTables, weightedTables } from './objective-tables.js';

/**
 * JoMiner's experiments (paper §4) on a dataset: the base objective over the r × α sweep (Tables 4–5, Figs. 5, 6,
 * 8), the weighted objective (Tables 7–8) and the cost objective (Tables 10–11) at the chosen r, α. Every
 * configuration is one unit of work (ctx.unit), so an interrupted run resumes at the first unfinished one; the
 * designs run in the GA worker pool, cancelled through ctx.signal.
 */
export async function runJominyReproduction(input: JominyReproductionInput, ctx: ExperimentContext): Promise<ExperimentResult[]> {
  checkInput(input);
  const { model } = input;
  const plan = planFor(ctx.budget, input.targets.length, input.overrides);
  const targets = input.targets.slice(0, plan.targets);
  const targetKeys = input.targetHeatKeys ?? heatKeys(input.targets);
  const search = input.search ?? 'paper-ga';
  const threads = input.threads ?? availableParallelism();
  // The paper searches each element's range in the training data.
  const constraints: Constraints = { min: [...model.domain.min], max: [...model.domain.max], linear: [] };
  const ga = { population: plan.population, generations: plan.generations, search };
  const cells = cellsOf(plan);
  const chosenInSweep = cells.some((c) => c.r === plan.chosen.r && c.alpha === plan.chosen.alpha);
  const specs: RunSpec[] = [
    ...cells.map((c): RunSpec => ({ objective: 'base', ...c, ...ga })),
    ...(chosenInSweep ? [] : [{ objective: 'base' as const, ...plan.chosen, ...ga }]),
    { objective: 'weighted', ...plan.chosen, ...ga },
    { objective: 'cost', ...plan.chosen, ...ga },
  ];

  const records: RunRecord[] = [];
  for (const [k, spec] of specs.entries()) {
    const what = phrase('expNotes.progress.jominyRun', { objective: spec.objective, r: spec.r, alpha: plain(spec.alpha) });
    ctx.progress(k / specs.length, what);
    records.push(
      await ctx.unit(runKey(spec, targets.length, ctx.seed), () =>
        runConfiguration(model, targets, constraints, spec, ctx.seed, {
          threads,
          signal: ctx.signal,
          onProgress: (p) => ctx.progress((k + p.generations / p.totalGenerations) / specs.length, phrase('expNotes.progress.jominyDesigns', { run: what, done: p.done, of: p.total })),
        }),
      ),
    );
  }
  ctx.progress(1, phrase('expNotes.progress.tables'));

  const synthetic = isSynthetic(input);
  const elements = ownElements(model);
  const sc: ScoreContext = { targets, elMax: model.domain.max, elements, truthModel: synthetic ? (c) => synthTruthProfile(arrayToChem(c)) : null };
  const sample = input.targetsAre ?? 'held-out';
  const base = records.filter((r) => r.objective === 'base').map((r) => scoreRun(r, sc));
  const sweep = base.filter((s) => cells.some((c) => c.r === s.record.r && c.alpha === s.record.alpha));
  const chosenBase = base.find((s) => s.record.r === plan.chosen.r && s.record.alpha === plan.chosen.alpha)!;
  const weighted = scoreRun(records.find((r) => r.objective === 'weighted')!, sc);
  const cost = scoreRun(records.find((r) => r.objective === 'cost')!, sc);
  const lookup = closestTrainingHeat(model, targets);
  const measuredCurves = targets.map((t) => t.hardness);
  const scoreDesigns = (d: { chemistry: number[][]; profile: number[][] }) => ({ profile: profileIndices(d.profile, measuredCurves), truth: sc.truthModel ? profileIndices(d.chemistry.map(sc.truthModel), measuredCurves) : null });
  const baseline = scoreDesigns(lookup);
  const reference = scoreDesigns(ownChemistry(model, targets));
  const ms = (rs: RunRecord[]) => rs.reduce((a, r) => a + r.elapsedMs, 0);

  const settings = {
    budget: ctx.budget,
    ...plan,
    search,
    // targets are curves: a retest is a second target of its heat, so curves and heats are both given
    targetCurves: targets.length,
    targetHeats: new Set(targetKeys.slice(0, targets.length)).size,
    targetsAvailable: input.targets.length,
    targetHeatsAvailable: new Set(targetKeys).size,
    targetsAre: sample,
    searchBox: 'each element’s min–max over the predictor’s training heats (the paper’s ranges)',
    elMax: '[El]_max of Eq. 12: each element’s maximum over the predictor’s training heats',
    threads,
    // heats counted as heats (a predictor stored before split.heats: its rows), rows beside them
    predictor: { seed: model.seed, testMaeHrc: model.metrics.mae, heats: model.split.heats ?? null, rows: { train: model.split.train, validation: model.split.validation, test: model.split.test } },
    generator: input.generator,
    ...(input.dataset ? { dataset: input.dataset } : {}),
  };
  const seeds = { design: ctx.seed, predictor: model.seed };
  const notes = commonNotes(input, plan, targets, synthetic);
  const result = (id: string, title: Phrase, paperRef: string, parts: Pick<ExperimentResult, 'tables' | 'figures'>, extra: (string | Phrase)[], elapsedMs: number): ExperimentResult => ({
    id, ...titled(title), paperRef, ...parts, seeds, settings, ...notesOf([...notes, ...extra]), elapsedMs,
  });
  const sweepRecords = sweep.map((s) => s.record);
  const figures = sweepFigures(sweep, plan.chosen, elements);
  return [
    result('jominy-r-alpha', phrase('experiments.jominy.resultSweep'), 'Table 4, Figs. 5–6', { tables: sweepTables(sweep, sample, plan.chosen, baseline, reference), figures: figures.filter((f) => f.id !== 'fig-8') }, [
      phrase('expNotes.jominy.outOfDomain', { r: plan.chosen.r, alpha: plain(plan.chosen.alpha), n: chosenBase.outOfDomain, of: targets.length }),
    ], ms(sweepRecords)),
    result('jominy-element-error', phrase('experiments.jominy.resultElements'), 'Table 5, Fig. 8', { tables: elementTables(sweep, sample, elements), figures: figures.filter((f) => f.id === 'fig-8') }, [
      phrase('experiments.jominy.note.fromSweep'),
    ], 0),
    result('jominy-weighted', phrase('experiments.jominy.resultWeighted'), 'Tables 7–8', { tables: weightedTables(chosenBase, weighted, sample), figures: [] }, [], weighted.record.elapsedMs),
    result('jominy-cost', phrase('experiments.jominy.resultCost'), 'Tables 10–11', { tables: costTables(cost, sample, elements), figures: [] }, [
      phrase('expNotes.jominy.costTerm', { cost: fixed(cost.meanCostTerm, 3), base: fixed(chosenBase.meanCostTerm, 3) }),
    ], cost.record.elapsedMs + (chosenInSweep ? 0 : chosenBase.record.elapsedMs)),
  ];
}

function commonNotes(input: JominyReproductionInput, plan: ReturnType<typeof planFor>, targets: JominyReproductionInput['targets'], synthetic: boolean): (string | Phrase)[] {
  const notes: (string | Phrase)[] = [];
  const cut = reductionPhrases(plan, input.targets.length);
  // each reduction is a sentence of its own, nested in the note's frame (one to three of them)
  if (cut.length === 1) notes.push(phrase('expNotes.jominy.reduced1', { a: cut[0] }));
  else if (cut.length === 2) notes.push(phrase('expNotes.jominy.reduced2', { a: cut[0], b: cut[1] }));
  else if (cut.length === 3) notes.push(phrase('expNotes.jominy.reduced3', { a: cut[0], b: cut[1], c: cut[2] }));
  notes.push(phrase('experiments.jominy.note.paperValues'));
  if (synthetic) {
    // For scale: the target heat's own chemistry scores its measurement noise against the generating model. Not a
    // floor: a design can match a noisy curve (the noise is mostly a shift shared by the heat's points).
    const floor = targets.reduce((a, t) => a + synthTruthProfile(arrayToChem(chemToArray(t.chemistry))).reduce((b, v, i) => b + Math.abs(v - t.hardness[i]), 0) / 15, 0) / targets.length;
    notes.push(
      phrase('experiments.jominy.note.synthetic'),
      phrase('experiments.jominy.note.noise', { noise: fixed(floor, 3) }),
    );
  } else notes.push(phrase('experiments.jominy.note.measured'));
  return notes;
}

/**
 * Seconds the run should take on this machine: a small GA is timed here (warm, ~0.6 s), and the budget's number
 * of predictor evaluations is scaled by it over the threads, plus the pool's start per configuration.
 */
export function estimateJominySeconds(input: JominyReproductionInput, budget: ExperimentBudget): number {
  checkInput(input);
  const plan = planFor(budget, input.targets.length, input.overrides);
  const predictor = new JominyPredictor(input.model);
  // The budget's population: the predictor evaluates a generation as one batch, so a smaller one costs more per chemistry.
  const probe = { population: plan.population, generations: 10 };
  const design = () =>
    runDesign(predictor, {
      objective: objectiveFor('base', input.targets[0].hardness),
      constraints: { min: [...input.model.domain.min], max: [...input.model.domain.max], linear: [] },
      settings: { ...probe, topK: 1, search: input.search ?? 'paper-ga' },
      seed: 1,
    });
  const evalsPerDesign = probe.population * (probe.generations + 1);
  // Seconds per evaluation over designs run for at least `ms`.
  const timed = (ms: number): number => {
    let n = 0;
    const t0 = performance.now();
    do {
      design();
      n++;
    } while (performance.now() - t0 < ms);
    return (performance.now() - t0) / 1000 / (n * evalsPerDesign);
  };
  // The first designs run before the JIT has compiled the predictor (several times slower): warm up, then the
  // median of three timings, so neither the warm-up nor one scheduling hiccup of a loaded machine sets the estimate.
  timed(400);
  const perEval = [timed(100), timed(100), timed(100)].sort((x, y) => x - y)[1];
  return secondsFor(plan, perEval, input.threads ?? availableParallelism());
}

/** The estimate from a measured cost per predictor evaluation: the plan's evaluations over the threads, plus ~0.5 s of pool start per configuration. */
export function secondsFor(plan: JominyPlan, perEvalSeconds: number, threads: number): number {
  const cells = cellsOf(plan);
  const runs = cells.length + 2 + (cells.some((c) => c.r === plan.chosen.r && c.alpha === plan.chosen.alpha) ? 0 : 1);
  const used = Math.max(1, Math.min(threads, availableParallelism()));
  const evals = runs * plan.targets * plan.population * (plan.generations + 1);
  return Math.ceil((evals * perEvalSeconds) / used + runs * 0.5);
}
