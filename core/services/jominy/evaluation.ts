import { availableParallelism } from 'node:os';
import { ApiError } from '../../api/errors.js';
import { phrase } from '../../api/phrase.js';
import type { ParsedInput } from '../../api/contract.js';
import type { JobInfo } from '../../api/events.js';
import {
  DEFAULT_GA, DISTANCES_MM, heatKeys, learntHeatMatcher, dataPercentileRanges, ensembleOf, planInputHeats, SWEEP_ALPHA, SWEEP_R, SYNTH_MODEL_ID, arrayToChem, chemToArray, nearestHeats, evaluationTasks, runDesignsInPool, summarise, synthTruthProfile,
  type Constraints, type EvaluationSummary, type JominySample,
} from '../../jominy/index.js';
import type { JominyServiceDeps } from './deps.js';
import { trainedOn, type PredictorStore } from './predictors.js';

/**
 * Scoring the optimiser (paper Eqs. 4–12): one design per target heat (a dataset's, or the predictor's own
 * test heats), optionally over the r×α sweep, as a job in the worker pool; the result is saved as an evaluation.
 */
export function createEvaluationService({ repos, jobs, bus }: JominyServiceDeps, predictors: PredictorStore) {
  return {
    list: () => repos.evaluations.listEvaluations(),
    get: (id: number) => repos.evaluations.getEvaluation(id),

    evaluate(args: ParsedInput<'jominy.evaluate'>): JobInfo {
      const datasets = repos.datasets;
      const { row, model, predictor } = predictors.load(args.modelId);
      const ds = trainedOn(row);
      let targets: JominySample[];
      let datasetId: number | null;
      let generator: unknown;
      // How many targets the predictor learnt from (its training and validation heats, matched by chemistry and
      // curve, so a re-imported copy of its dataset counts too): a design's ε on those is in-sample.
      let learntTargets = (_: JominySample[]): number | null => 0;
      // The heats the predictor learnt from: with element gaps, those that analysed every input (element-gaps.ts,
      // the same filter on the same rows in the same order, so the split's indices point into them).
      // With their heats keyed on the full rows (element-gaps.ts planInputHeats keys), as the trainer counted them.
      const usedRows = (id: number) => {
        const all = datasets.allSamples(id);
        return model.inputHeats ? planInputHeats(all, datasets.getDataset(id).layout.elements, model.inputHeats.minShare) : { samples: all, keys: heatKeys(all) };
      };
      const usedHeats = (id: number) => usedRows(id).samples;
      const learntHeats = (id: number) => {
        const test = new Set(model.split.testIndices);
        return usedHeats(id).filter((_, i) => !test.has(i));
      };
      /**
       * The learnt heats with, per heat, the index from which it was left out below 20 HRC (core/jominy/evaluate.ts
       * nearestHeats counts its bound there). A dataset that left heats out without recording which (stored before
       * migration 030) cannot tell a heat left out from one not tested: a heat blank where any was left out is no
       * candidate — never matched as if it had measured there.
       */
      const learntWithMarks = (id: number): { heats: JominySample[]; from: (number | null)[] } => {
        const all = datasets.allSamples(id);
        const allKeys = heatKeys(all);
        const marks = datasets.belowScaleFrom(id);
        const used = usedRows(id);
        const test = new Set(model.split.testIndices);
        const keep = used.samples.map((_, i) => !test.has(i));
        const heats = used.samples.filter((_, i) => keep[i]);
        const keys = used.keys.filter((_, i) => keep[i]);
        if (marks === null) {
          const counts = datasets.getDataset(id).belowScale?.heatsLeftOut ?? [];
          const unsure = (h: JominySample) => counts.some((n, i) => n > 0 && !Number.isFinite(h.hardness[i]));
          const sure = heats.filter((h) => !unsure(h));
          return { heats: sure, from: sure.map(() => null) };
        }
        const fromOf = new Map<string, number | null>();
        allKeys.forEach((k, i) => {
          const [had, f] = [fromOf.get(k), marks[i]];
          fromOf.set(k, had === undefined || had === null ? f : f === null ? had : Math.min(had, f));
        });
        return { heats, from: keys.map((k) => fromOf.get(k) ?? null) };
      };
      let targetKeys: string[];
      if (args.datasetId) {
        datasetId = args.datasetId;
        targets = datasets.allSamples(args.datasetId);
        targetKeys = heatKeys(targets);
        generator = datasets.datasetMeta(args.datasetId).generator;
        if (ds.datasetId === null) learntTargets = () => null; // its dataset was deleted: cannot tell
        else {
          // by heat id, or by chemistry and curve at the coarser precision of the two (a re-export rounds them)
          const learnt = learntHeatMatcher(learntHeats(ds.datasetId));
          learntTargets = (ts) => ts.filter(learnt).length;
        }
      } else {
        if (ds.datasetId === null) throw ApiError.said('failed_precondition', phrase('jominyErrors.datasetDeleted'));
        datasetId = ds.datasetId;
        const used = usedRows(ds.datasetId);
        const held = model.split.testIndices.filter((i) => used.samples[i] !== undefined);
        targets = held.map((i) => used.samples[i]);
        targetKeys = held.map((i) => used.keys[i]);
        generator = datasets.datasetMeta(ds.datasetId).generator;
      }
      // The optimiser's targets are whole curves at the 15 standard distances (its objective and Eqs. 4–10): a
      // dataset at other distances, or a heat with a missing reading, cannot be one. Refused, not interpolated.
      const layout = repos.datasets.getDataset(datasetId).layout;
      if (!sameDistances(layout.distancesMm, DISTANCES_MM))
        throw ApiError.said('failed_precondition', layout.unit === 'sixteenths'
          ? phrase('jominyErrors.targetsNotStandardSixteenths', { distances: DISTANCES_MM.join(', '), id: datasetId, labels: layout.labels.join(', ') })
          : phrase('jominyErrors.targetsNotStandard', { distances: DISTANCES_MM.join(', '), id: datasetId, labels: layout.labels.join(', ') }));
      // A target heat that did not analyse an element the predictor takes has no chemistry to compare designs with: refused.
      const inputs = model.elements ?? layout.elements;
      const heatsOf = (ts: JominySample[]) => new Set(ts.map((t) => targetKeys[targets.indexOf(t)])).size;
      const gapped = targets.filter((t) => inputs.some((el) => typeof t.chemistry[el] !== 'number'));
      if (gapped.length) {
        const [n, first, elements] = [heatsOf(gapped), gapped[0], inputs.filter((el) => typeof gapped[0].chemistry[el] !== 'number').join(', ')];
        throw ApiError.said('failed_precondition', first.heatId !== null
          ? phrase('jominyErrors.targetsGaps', { n, heat: first.heatId, elements })
          : phrase('jominyErrors.targetsGapsLine', { n, line: String(first.lineNo), elements }));
      }
      const partial = targets.filter((t) => t.hardness.some((h) => !Number.isFinite(h)));
      if (partial.length) {
        const [n, first] = [heatsOf(partial), partial[0]];
        throw ApiError.said('failed_precondition', first.heatId !== null
          ? phrase('jominyErrors.targetsPartial', { n, heat: first.heatId })
          : phrase('jominyErrors.targetsPartialLine', { n, line: String(first.lineNo) }));
      }
      if (args.maxTargets) [targets, targetKeys] = [targets.slice(0, args.maxTargets), targetKeys.slice(0, args.maxTargets)];
      if (!targets.length) throw ApiError.said('failed_precondition', phrase('jominyErrors.noTargets'));
      // The baseline (core/jominy/evaluate.ts): each target's nearest learnt heat, its chemistry as this predictor
      // predicts it. None when the predictor's dataset is deleted (no library to draw from).
      const library = ds.datasetId === null ? { heats: [], from: [] } : learntWithMarks(ds.datasetId);
      // the library's readings stand at its own dataset's distances (sixteenths, partial layouts): compared by distance
      const libraryMm = ds.datasetId === null ? undefined : repos.datasets.getDataset(ds.datasetId).layout.distancesMm;
      const nearest = library.heats.length ? nearestHeats(targets, library.heats, library.from, libraryMm && !sameDistances(libraryMm, DISTANCES_MM) ? libraryMm : undefined) : [];
      const baseline = nearest.length && nearest.every(Boolean)
        ? (() => {
            const chemistries = nearest.map((h) => chemToArray(h!.chemistry));
            return { chemistries, profiles: chemistries.map((c) => predictor.predict(c)) };
          })()
        : null;
      // Scores made from synthetic data — a predictor trained on it, or synthetic target heats — are labelled so.
      const synthetic = row.synthetic === 1 || repos.datasets.getDataset(datasetId).synthetic;
      // Synthetic heats know their generating model, so designs can also be scored against the truth.
      const truth = generator === SYNTH_MODEL_ID ? (c: number[]) => synthTruthProfile(arrayToChem(c)) : null;
      // The paper's protocol searches the training data's min–max; 'p1-p99' is the box a design gets by default.
      const ranges = args.ranges ?? 'domain';
      const box = ranges === 'p1-p99' ? dataPercentileRanges(model.domain) : { min: model.domain.min, max: model.domain.max };
      const constraints: Constraints = { min: [...box.min], max: [...box.max], linear: [] };
      const sdWeight = args.sdWeight ?? 0;
      if (sdWeight > 0 && !ensembleOf(model)) throw ApiError.said('failed_precondition', phrase('jominyErrors.sdWeightNoEnsemble', { name: row.name }), { field: 'sdWeight' });
      const configs = args.sweep ? SWEEP_R.flatMap((r) => SWEEP_ALPHA.map((alpha) => ({ r, alpha }))) : [{ r: args.r ?? DEFAULT_GA.r, alpha: args.alpha ?? DEFAULT_GA.alpha }];
      const base = { search: args.search ?? DEFAULT_GA.search, population: args.population ?? DEFAULT_GA.population, generations: args.generations ?? DEFAULT_GA.generations, faga: args.faga ?? false, domainWeight: args.domainWeight ?? 0 };
      const tasks = configs
        .flatMap((c, k) => evaluationTasks(targets, args.objective, constraints, { ...base, r: c.r, alpha: c.alpha }, args.seed, k * targets.length))
        .map((t) => (sdWeight > 0 ? { ...t, input: { ...t.input, trust: { sdWeight } } } : t));
      const threads = args.threads ?? availableParallelism();
      const name = args.name ?? `Evaluation (${args.objective}${args.sweep ? ', r×α sweep' : ''}) of ${row.name}`;
      // the label in the user's language: a name the user gave is quoted as given, the default one is worded
      const label =
        args.name !== undefined
          ? phrase('jobLabels2.jominyEvaluate', { name: args.name })
          : args.sweep
            ? phrase('jobLabels2.jominyEvaluateSweepOf', { objective: args.objective, model: row.name })
            : phrase('jobLabels2.jominyEvaluateOf', { objective: args.objective, model: row.name });
      return jobs.start('jominy.evaluate', label, async (ctl) => {
        const t0 = Date.now();
        const results = await runDesignsInPool(model, tasks, {
          threads,
          signal: ctl.signal,
          onProgress: (p) => ctl.progress(p.generations / p.totalGenerations, phrase('jominyJobs.designs', { done: p.done, of: p.total })),
        });
        // Element errors only for the elements of the predictor's dataset: an absent one would score a "0 error" of 0 against 0.
        const own = model.elements ?? null;
        const runs: EvaluationSummary[] = configs
          .map((c, k) => summarise(targets, results.slice(k * targets.length, (k + 1) * targets.length), { ...c, objective: args.objective }, model.domain.max, truth, baseline))
          .map((r) => (own ? { ...r, elements: r.elements.filter((e) => own.includes(e.element)) } : r));
        // targets are curves (rows): a retest is a second target of its heat, so their heats are stored beside them
        const params = { objective: args.objective, sweep: args.sweep, ...base, sdWeight, ranges, maxTargets: args.maxTargets ?? null, targets: targets.length, targetHeats: new Set(targetKeys).size, targetSource: args.datasetId ? 'dataset' : 'model test heats', learntTargets: learntTargets(targets) };
        const evaluationId = repos.evaluations.insertEvaluation({ name, modelId: row.id, datasetId, synthetic, params, seed: args.seed, result: { runs, durationMs: Date.now() - t0, threads } });
        bus.emit({ type: 'data-changed', entity: 'jominy-evaluation', id: evaluationId });
        return { evaluationId, eps: runs[0].profile.eps };
      });
    },
  };
}

const sameDistances = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((d, i) => Math.abs(d - b[i]) < 1e-9);

