import { availableParallelism } from 'node:os';
import { ApiError } from '../../api/errors.js';
import type { ParsedInput } from '../../api/contract.js';
import type { JobInfo } from '../../api/events.js';
import type { DesignResultRow, DesignSession, DesignSettings, TargetInput } from '../../api/methods/jominy.js';
import type { JominyGrade } from '../../api/methods/jominy-grades.js';
import { rangeOrderIssue } from '../../api/jominy-chemistry.js';
import { phrase, plain, type Phrase } from '../../api/phrase.js';
import { english } from '../../runtime/english.js';
import {
  A255_IGNORED, DEFAULT_GA, DEFAULT_MC_DRAWS, DEFAULT_TRUST, ELEMENTS, ELEMENT_LIMITS, MeetProbability, a255Profile, arrayToChem, compileObjective, dataPercentileRanges, deriveSeed, elementValueIssue, ensembleOf,
  DISTANCES_MM, biasedHighAtStandard, leftOutAtStandard, modelDistances, noNetworkAtStandard, targetScaleRefusal, meetCalibration, parseLinearConstraint, runDesignsInPool, targetBeyondPoints, type Constraints, type DesignCandidate, type DesignTask, type Element, type ElementValueIssue, type JominyPredictor, type PredictorModel, type TrustSettings,
} from '../../jominy/index.js';
import { intervalOf } from './predict.js';
import type { JominyServiceDeps } from './deps.js';
import { asApiError } from './errors.js';
import { biasedHighNotRecorded, biasedHighOf, weakPointsOf, type PredictorStore } from './predictors.js';

/**
 * A design run as a job: the session row is created `running` (owned by this process, so a crash leaves it
 * to be marked interrupted at the next open), the GA restarts run in the worker pool, and the session ends
 * done with its results, or failed/cancelled without.
 */
export function createDesignService({ repos, jobs, bus }: JominyServiceDeps, predictors: PredictorStore) {
  const changed = (id: number) => bus.emit({ type: 'data-changed', entity: 'jominy-session', id });
  return {
    design(args: ParsedInput<'jominy.design'>): JobInfo {
      const repo = repos.sessions;
      const { model, predictor } = predictors.load(args.modelId);
      const s = args.settings;
      const target = args.target as TargetInput;
      const objective = { target, weights: s.weights ?? null, costs: s.costs ?? null, beta: s.beta ?? 0 };
      let compiled: ReturnType<typeof compileObjective>;
      try {
        compiled = compileObjective(objective);
      } catch (e) {
        return asApiError(e);
      }
      // a target beyond the predictor's points would be met only by its held end value: refused, naming the distances
      const beyond = targetBeyondPoints(compiled, predictor.pointsMm, target.kind === 'band');
      if (beyond.length) {
        const [first, last] = [predictor.pointsMm[0], predictor.pointsMm[predictor.pointsMm.length - 1]];
        const [distances, from, to] = [beyond.join(', '), plain(+first.toFixed(2)), plain(+last.toFixed(2))];
        throw ApiError.said('invalid_argument', target.kind === 'band' ? phrase('jominyErrors.bandBeyondPredictor', { distances, first: from, last: to }) : phrase('jominyErrors.targetBeyondPredictor', { distances, first: from, last: to }), { field: 'target' });
      }
      // a target below 20 HRC, where the Rockwell C scale ends, asks what the predictor cannot say: refused, naming each
      // distance and value (a band's low line there only where its heats were left out below the scale)
      const belowScale = targetScaleRefusal(target, s.weights, leftOutAtStandard(model.belowScale));
      if (belowScale) throw ApiError.said('invalid_argument', belowScale, { field: 'target' });
      const grade = s.gradeId === undefined ? null : repos.grades.getGrade(s.gradeId);
      const { constraints, ...searchBox } = resolveConstraints(predictor, s, grade);
      // refused before anything is stored: a run continues only a session this predictor made
      if (args.parentSessionId) assertParentOf(repo.getSession(args.parentSessionId), args.modelId);
      const restarts = s.restarts ?? 1;
      // The search is always stored with the session (absent only in sessions from before the choice: the paper's GA).
      const ga = { ...DEFAULT_GA, domainWeight: DEFAULT_TRUST.domainWeight, ...(s.ga ?? {}) };
      const { trust, trustNote, trustNotePhrase, tolerances } = resolveTrust(model, s, target, args.seed);
      const seeds = restarts === 1 ? [args.seed] : Array.from({ length: restarts }, (_, k) => deriveSeed(args.seed, k));
      const threads = Math.max(1, Math.min(restarts, availableParallelism()));
      const baseRun = { state: 'running', error: null, generations: 0, evaluations: 0, stopReason: null, restarts, threads, durationMs: 0, seeds, history: [], ga };
      const started = new Date().toISOString().slice(0, 16).replace('T', ' ');
      const name = args.name ?? `Design ${started}`;
      // the label in the user's language: a name the user gave is quoted as given, the default one is worded
      const label = args.name === undefined ? phrase('jobLabels2.jominyDesignAt', { time: started }) : phrase('jobLabels2.jominyDesign', { name: args.name });
      const sessionId = repo.createSession({ name, modelId: args.modelId, parentSessionId: args.parentSessionId ?? null, target, settings: { ...s, ga: { ...(s.ga ?? {}), search: ga.search }, ...searchBox, trust: { sdWeight: trust.sdWeight, robustWeight: trust.robustWeight ?? 0 }, trustNote, trustNotePhrase, weakPoints: weakPointsOf(model).map((w) => w.phrase), ...biasedHighSettings(model) }, seed: args.seed, run: baseRun });
      changed(sessionId);
      const tasks: DesignTask[] = seeds.map((seed, key) => ({ key, input: { objective, constraints, settings: ga, seed, trust } }));
      // P(meet band) of each result: seeded Monte Carlo through the ensemble (band targets only).
      const ens = ensembleOf(model);
      const meetSeed = deriveSeed(args.seed, 4000);
      const meter = ens && target.kind === 'band' ? new MeetProbability(ens, { idx: compiled.idx, lo: compiled.lo, hi: compiled.hi }, ELEMENTS.map((el) => s.tolerances?.[el] ?? 0), DEFAULT_MC_DRAWS, meetSeed) : null;
      return jobs.start('jominy.design', label, async (ctl) => {
        const t0 = Date.now();
        try {
          const out = await runDesignsInPool(model, tasks, {
            threads,
            signal: ctl.signal,
            onProgress: (p) => {
              const [generation, of] = [Math.min(p.generations, p.totalGenerations), p.totalGenerations];
              ctl.progress(p.generations / p.totalGenerations, restarts > 1 ? phrase('jominyJobs.generationRestarts', { generation, of, restarts }) : phrase('jominyJobs.generation', { generation, of }), { sessionId });
            },
          });
          const first = out[0].output;
          const top = mergeTop(out.map((r) => r.output.top), constraints, ga.topK, ga.distinctness);
          // A predictor trained on a dataset without some elements (model.elements) designs only the dataset's: the
          // others are not stated (never 0), and without every element A255 takes there is no reference curve.
          const own = model.elements ?? null;
          const stated = (c: number[]) => (own ? Object.fromEntries(ELEMENTS.flatMap((el, j) => (own.includes(el) ? [[el, c[j]]] : []))) : arrayToChem(c));
          // the standard distances read across a point skipped for too few heats: no network predicts them
          const noNetwork = noNetworkAtStandard(predictor.pointsMm, (model.skipped ?? []).map((p) => p.distanceMm));
          const a255Possible = !own || ELEMENTS.every((el) => A255_IGNORED.includes(el) || own.includes(el));
          const results: DesignResultRow[] = top.map((c, i) => {
            const interval = intervalOf(model, c.chemistry);
            const detailed = predictor.predictDetailed(c.chemistry);
            return {
              rank: i + 1, chemistry: stated(c.chemistry), profile: c.profile, reference: a255Possible ? referenceOf(c.chemistry) : null,
              objective: c.objective, deviation: c.deviation, weightedDeviation: c.weightedDeviation, costTerm: c.costTerm, domain: c.domain,
              capped: detailed.capped,
              // held end values beyond the predictor's points are marked, as predict marks them (`~`)
              outside: detailed.outside,
              noNetwork,
              interval,
              // the probability uses the interval's scale: its calibration is the interval's coverage (measured or not);
              // stated with its calibration range and held-out check, not the Monte Carlo ± alone (meet-uncertainty.ts)
              meet: meter && interval ? { ...meter.stated(c.chemistry), tolerances, ...meetCalibration(interval.coverageWhy) } : null,
            };
          });
          assertInsideGrade(results, searchBox.grade);
          const run = {
            ...baseRun, state: 'done', generations: first.generations, evaluations: out.reduce((a, r) => a + r.output.evaluations, 0),
            stopReason: first.stopReason, durationMs: Date.now() - t0, history: first.history, held: first.held,
          };
          repo.finishSession(sessionId, run, results);
          changed(sessionId);
          return { sessionId, bestDeviation: results[0]?.deviation ?? null };
        } catch (e) {
          const cancelled = ctl.signal.aborted;
          const refusal = e as Error & { phrase?: Phrase };
          const errorPhrase = !cancelled && refusal.phrase ? { errorPhrase: refusal.phrase } : {};
          repo.setSessionRun(sessionId, { ...baseRun, state: cancelled ? 'cancelled' : 'failed', error: cancelled ? null : refusal.message, ...errorPhrase, durationMs: Date.now() - t0 });
          changed(sessionId);
          // a constraint no chemistry in the box satisfies is refused in a GA worker: the user's to relax, not a bug
          if (!cancelled && refusal.name === 'ConstraintError' && refusal.phrase) throw ApiError.said('invalid_argument', refusal.phrase);
          throw e;
        }
      });
    },
  };
}

/**
 * A run may name as its parent only a session made with the same predictor. A session whose predictor was deleted
 * is a record of that predictor's run: running its settings again would use another predictor with its search box
 * and present the outcome as its continuation, so it is refused (the design view disables it too).
 */
function assertParentOf(parent: DesignSession, modelId: number): void {
  const p = parent.predictor;
  if (p.deleted)
    throw ApiError.said('failed_precondition', p.id === null ? phrase('jominyErrors.sessionPredictorDeletedUnknown', { session: parent.id }) : phrase('jominyErrors.sessionPredictorDeleted', { session: parent.id, id: p.id, name: p.name ?? '?' }), { field: 'parentSessionId' });
  if (parent.modelId !== modelId) throw ApiError.said('invalid_argument', phrase('jominyErrors.sessionOtherPredictor', { session: parent.id, other: parent.modelId ?? '?', id: modelId }), { field: 'parentSessionId' });
}

type StoredGrade = { id: number; name: string; ranges: Partial<Record<Element, [number, number]>> };
type Box = { constraints: Constraints; grade?: StoredGrade; rangesFrom: string; rangesFromPhrases: Phrase[]; box: Record<string, [number, number]> };

/**
 * The search box. Per element, in order of precedence: a fixed value; a given range; the grade's range; the
 * training data's 1st–99th percentiles (never its min–max: a few extreme heats let a band design leave every
 * grade and still report deviation 0). Given ranges and fixed values must lie inside the grade's ranges.
 */
function resolveConstraints(predictor: JominyPredictor, s: DesignSettings, grade: JominyGrade | null): Box {
  const { min, max } = dataPercentileRanges(predictor.model.domain);
  const own = predictor.model.elements;
  for (const [el, field] of [...Object.keys(s.ranges ?? {}).map((el) => [el, `settings.ranges.${el}`]), ...Object.keys(s.fixed ?? {}).map((el) => [el, `settings.fixed.${el}`])] as [Element, string][])
    if (own && !own.includes(el)) throw ApiError.said('invalid_argument', phrase('jominyErrors.notInDataset', { el, elements: own.join(', ') }), { field });
  const gradeRanges = (grade?.ranges ?? {}) as Partial<Record<Element, [number, number]>>;
  const outsideGrade = (el: Element, lo: number, hi: number, field: string) => {
    const g = gradeRanges[el];
    if (g && (lo < g[0] || hi > g[1]))
      throw ApiError.said('invalid_argument', lo === hi
        ? phrase('jominyErrors.outsideGradeValue', { el, value: plain(lo), grade: grade!.name, lo: plain(g[0]), hi: plain(g[1]) })
        : phrase('jominyErrors.outsideGradeRange', { el, min: plain(lo), max: plain(hi), grade: grade!.name, lo: plain(g[0]), hi: plain(g[1]) }), { field });
  };
  for (const [el, [lo, hi]] of Object.entries(gradeRanges) as [Element, [number, number]][]) {
    const j = ELEMENTS.indexOf(el);
    min[j] = lo;
    max[j] = hi;
  }
  for (const [el, [lo, hi]] of Object.entries(s.ranges ?? {}) as [Element, [number, number]][]) {
    const j = ELEMENTS.indexOf(el);
    if (lo > hi) {
      const { code, params } = rangeOrderIssue(el, lo, hi);
      throw ApiError.said('invalid_argument', { code, params }, { field: `settings.ranges.${el}` });
    }
    outsideGrade(el, lo, hi, `settings.ranges.${el}`);
    min[j] = lo;
    max[j] = hi;
  }
  for (const [el, v] of Object.entries(s.fixed ?? {}) as [Element, number][]) {
    const j = ELEMENTS.indexOf(el);
    outsideGrade(el, v, v, `settings.fixed.${el}`);
    min[j] = max[j] = v;
  }
  // The contract already holds given ranges inside the limits table; the training data's percentiles (the
  // defaults) came through the same table, but a GA must never search outside it, so check every bound.
  // (this happens only when the training data itself broke the table)
  ELEMENTS.forEach((el, j) => {
    const issue = elementValueIssue(el, min[j]) ?? elementValueIssue(el, max[j]);
    if (issue) throw ApiError.said('invalid_argument', dataRangePhrase(el, min[j], max[j], issue), { field: `settings.ranges.${el}` });
  });
  const given = ELEMENTS.filter((el) => s.ranges?.[el] !== undefined && s.fixed?.[el] === undefined);
  const fixed = ELEMENTS.filter((el) => s.fixed?.[el] !== undefined);
  const named = [
    grade ? phrase('designLimits.from.grade', { grade: grade.name }) : null,
    given.length ? phrase('designLimits.from.given', { elements: given.join(', ') }) : null,
    fixed.length ? phrase('designLimits.from.fixed', { elements: fixed.join(', ') }) : null,
  ].filter((p): p is Phrase => p !== null);
  const fromData = ELEMENTS.some((el) => !given.includes(el) && !fixed.includes(el) && !gradeRanges[el]);
  // where each part of the box came from, as codes (the interface words them); the English words are the CLI's
  const rangesFromPhrases = [...named, ...(fromData ? [named.length ? phrase('designLimits.from.dataOther') : phrase('designLimits.from.data')] : [])];
  const rangesFrom = `ranges: ${rangesFromPhrases.map(english).join('; ')}`;
  const box = Object.fromEntries(ELEMENTS.map((el, j) => [el, [min[j], max[j]] as [number, number]]));
  try {
    const constraints = { min, max, linear: (s.linear ?? []).map(parseLinearConstraint) };
    return { constraints, rangesFrom, rangesFromPhrases, box, ...(grade ? { grade: { id: grade.id, name: grade.name, ranges: gradeRanges } } : {}) };
  } catch (e) {
    return asApiError(e);
  }
}

/** A search range from the training data that breaks the limits table: the table's refusal worded inside the range's sentence. */
export function dataRangePhrase(el: Element, lo: number, hi: number, issue: ElementValueIssue): Phrase {
  const [min, max] = [plain(lo), plain(hi)];
  const value = issue.params.value;
  const limit = plain(ELEMENT_LIMITS[el]);
  switch (issue.code) {
    case 'chem.notNumber':
      return phrase('designLimits.notNumber', { el, min, max, value });
    case 'chem.negative':
      return phrase('designLimits.negative', { el, min, max, value, limit });
    case 'chem.aboveLimitPpm':
      return phrase('designLimits.aboveLimitPpm', { el, min, max, value, limit, wt: issue.params.wt ?? plain(Number.NaN) });
    case 'chem.aboveLimit':
      return phrase('designLimits.aboveLimit', { el, min, max, value, limit });
  }
}

/** Every result must lie inside the grade's ranges (the GA clamps to the box; a result outside is a bug, never stored). */
function assertInsideGrade(results: DesignResultRow[], grade: StoredGrade | undefined): void {
  if (!grade) return;
  const tol = 1e-9;
  for (const r of results) {
    for (const [el, [lo, hi]] of Object.entries(grade.ranges) as [Element, [number, number]][]) {
      const v = r.chemistry[el]!;
      if (v < lo - tol || v > hi + tol) throw new ApiError('internal', `design result ${r.rank} has ${el} ${v} wt.%, outside grade ${grade.name} (${lo}–${hi})`);
    }
  }
}

function referenceOf(chem: number[]): number[] | null {
  try {
    return a255Profile(arrayToChem(chem)).profile;
  } catch {
    // outside the A255 factor range: there is no reference curve for this chemistry (null, shown as none)
    return null;
  }
}

/** Merges the top lists of several restarts: best first, distinct chemistries only. */
function mergeTop(lists: DesignCandidate[][], c: Constraints, k: number, distinctness: number): DesignCandidate[] {
  const all = lists.flat().sort((a, b) => a.objective - b.objective);
  const free = ELEMENTS.map((_, j) => j).filter((j) => c.max[j] > c.min[j]);
  const out: DesignCandidate[] = [];
  for (const cand of all) {
    if (out.length >= k) break;
    const far = out.every((o) => !free.length || Math.sqrt(free.reduce((s, j) => s + ((o.chemistry[j] - cand.chemistry[j]) / (c.max[j] - c.min[j])) ** 2, 0) / free.length) >= distinctness);
    if (far) out.push(cand);
  }
  return out;
}

/**
 * The trust region of a run (trust-region.ts): sd penalty (default 1 HRC per HRC of member disagreement) and the
 * optional robust term. The robust term needs a band, melt tolerances and an ensemble: asked without them it is
 * refused. Without an ensemble there is no disagreement to penalise; the session says so (trustNote).
 */
function resolveTrust(model: PredictorModel, s: DesignSettings, target: TargetInput, seed: number): { trust: TrustSettings; trustNote: string | null; trustNotePhrase: Phrase | null; tolerances: Partial<Record<Element, number>> } {
  const hasEnsemble = ensembleOf(model) !== null;
  const tolerances = Object.fromEntries(Object.entries(s.tolerances ?? {}).filter(([, v]) => v !== undefined && v > 0)) as Partial<Record<Element, number>>;
  const robustWeight = s.trust?.robustWeight ?? 0;
  if (robustWeight > 0) {
    const why = target.kind !== 'band' ? phrase('jominyErrors.meetNeedsBand') : !Object.keys(tolerances).length ? phrase('jominyErrors.meetNeedsTolerances') : !hasEnsemble ? phrase('jominyErrors.meetNeedsEnsemble') : null;
    if (why) throw ApiError.said('invalid_argument', why, { field: 'settings.trust.robustWeight' });
  }
  const sdWeight = hasEnsemble ? (s.trust?.sdWeight ?? DEFAULT_TRUST.sdWeight) : 0;
  return {
    trust: { sdWeight, robustWeight, tolerances: ELEMENTS.map((el) => tolerances[el] ?? 0), seed: deriveSeed(seed, 3000) },
    trustNote: hasEnsemble ? null : 'this predictor has no ensemble (trained before ensembles, or with none): no disagreement penalty, no intervals, no P(meet band)',
    trustNotePhrase: hasEnsemble ? null : phrase('jominy.trust.noEnsemble'),
    tolerances,
  };
}

/** The predictor's biased-high points for the session's record (none: absent, as in older sessions). */
function biasedHighSettings(model: Parameters<typeof biasedHighOf>[0] & Parameters<typeof modelDistances>[0]) {
  const flagged = biasedHighOf(model);
  // always kept (none flagged: empty notes), so that a session says "not recorded" only where its predictor's dataset did not count
  const standard = biasedHighAtStandard(modelDistances(model), flagged.map((p) => p.distanceMm));
  // atMm: the standard distances standard flags, for the page and the CLI to name
  return { biasedHigh: { notes: flagged.map((p) => p.phrase), standard, atMm: DISTANCES_MM.filter((_, i) => standard[i]), notRecorded: biasedHighNotRecorded(model) } };
}
