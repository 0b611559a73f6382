import { createHash, randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { AppContext } from '../context.js';
import type { Handlers } from '../handler-types.js';
import { ApiError } from '../../api/errors.js';
import { parseStrictInteger } from '../../api/strict-decimal.js';
import { jominyMethods, type DesignResultRow, type DesignSettings, type JominyModel, type JominyModelDetail, type TargetInput } from '../../api/methods/jominy.js';
import { missingElementsProblem, rangeOrderProblem } from '../../api/jominy-chemistry.js';
import { createJominyRepo, type ModelRowJ } from '../../store/repos/jominy-repo.js';
import { inTransaction } from '../../store/tx.js';
import {
  A255RangeError, A255_IGNORED, COST_PRESET, ConstraintError, DEFAULT_GA, DISTANCES_MM, ELEMENTS, ELEMENT_LIMITS, JominyCsvError, JominyPredictor, SWEEP_ALPHA, SWEEP_R,
  SYNTH_DESCRIPTION, SYNTH_MODEL_ID, TargetError, WEIGHT_PRESETS, a255Profile, arrayToChem, chemToArray, checkDomain, compileObjective,
  deriveSeed, evaluationTasks, generateSynthetic, parseJominyCsv, parseLinearConstraint, runDesignsInPool, summarise, synthTruthProfile,
  trainInWorker, usedElements, elementValueProblem, type Constraints, type DesignCandidate, type DesignTask, type EvaluationSummary, type JominySample, type PredictorModel,
} from '../../jominy/index.js';

const repoOf = (ctx: AppContext) => createJominyRepo(ctx.db);
const MAX_CSV_BYTES = 50 * 1024 * 1024;
const BACKEND = 'js + ml-matrix (worker threads)';

/** Domain errors become invalid_argument with the domain's own sentence. */
function asApiError(err: unknown): never {
  if (err instanceof JominyCsvError) throw new ApiError('invalid_argument', err.message, { details: err.issues });
  if (err instanceof A255RangeError) throw new ApiError('invalid_argument', err.message, { field: `chemistry.${err.element}` });
  if (err instanceof TargetError || err instanceof ConstraintError || err instanceof RangeError) throw new ApiError('invalid_argument', err.message);
  throw err;
}

const cache = new Map<string, { model: PredictorModel; predictor: JominyPredictor }>();
function loadPredictor(ctx: AppContext, id: number): { row: ModelRowJ; model: PredictorModel; predictor: JominyPredictor } {
  const row = repoOf(ctx).getModel(id);
  const key = `${ctx.paths.root}|${id}|${row.created_at}`;
  let hit = cache.get(key);
  if (!hit) {
    let model: PredictorModel;
    try {
      model = JSON.parse(readFileSync(join(ctx.paths.root, row.path), 'utf8')) as PredictorModel;
    } catch (e) {
      throw new ApiError('failed_precondition', `predictor ${id}: its file ${row.path} cannot be read (${(e as Error).message})`);
    }
    hit = { model, predictor: new JominyPredictor(model) };
    cache.set(key, hit);
  }
  return { row, ...hit };
}

function modelSummary(row: ModelRowJ): JominyModel {
  const m = JSON.parse(row.metrics_json ?? '{}') as { mae: number; maxError: number; r2: number; refMae: number | null; split: { train: number; validation: number; test: number } };
  const ds = JSON.parse(row.dataset_json) as { datasetId: number | null; name: string };
  return {
    id: row.id, name: row.name, datasetId: ds.datasetId, datasetName: ds.name, synthetic: row.synthetic === 1, seed: row.seed, createdAt: row.created_at,
    mae: m.mae, maxError: m.maxError, r2: m.r2, refMae: m.refMae, split: m.split, backend: (JSON.parse(row.backend_json) as { name: string }).name,
  };
}

function resolveConstraints(predictor: JominyPredictor, s: DesignSettings): Constraints {
  const d = predictor.model.domain;
  const min = [...d.min];
  const max = [...d.max];
  for (const [el, [lo, hi]] of Object.entries(s.ranges ?? {})) {
    const j = ELEMENTS.indexOf(el as (typeof ELEMENTS)[number]);
    if (lo > hi) throw new ApiError('invalid_argument', rangeOrderProblem(el as (typeof ELEMENTS)[number], lo, hi), { field: `settings.ranges.${el}` });
    min[j] = lo;
    max[j] = hi;
  }
  for (const [el, v] of Object.entries(s.fixed ?? {})) {
    const j = ELEMENTS.indexOf(el as (typeof ELEMENTS)[number]);
    min[j] = max[j] = v;
  }
  // The contract already holds given ranges inside the limits table; the training data's ranges (the
  // defaults) came through the same table, but a GA must never search outside it, so check every bound.
  ELEMENTS.forEach((el, j) => {
    const problem = elementValueProblem(el, min[j]) ?? elementValueProblem(el, max[j]);
    if (problem) throw new ApiError('invalid_argument', `design range of ${el} (${min[j]}–${max[j]} wt.%, from the training data): ${problem}; give a range for ${el}`, { field: `settings.ranges.${el}` });
  });
  try {
    return { min, max, linear: (s.linear ?? []).map(parseLinearConstraint) };
  } catch (e) {
    return asApiError(e);
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

/** Elements the A255 calculation takes (it leaves out A255_IGNORED). */
const A255_USED = ELEMENTS.filter((el) => !A255_IGNORED.includes(el));

const csvCell = (v: string | number | boolean | null) => (v === null ? '' : typeof v === 'string' && /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : String(v));

export const jominyHandlers: Handlers<keyof typeof jominyMethods> = {
  'jominy.meta': () => ({
    elements: [...ELEMENTS],
    elementLimits: { ...ELEMENT_LIMITS },
    distancesMm: [...DISTANCES_MM],
    weightPresets: { equal: WEIGHT_PRESETS.equal, central: WEIGHT_PRESETS.central },
    costPreset: COST_PRESET,
    ga: { ...DEFAULT_GA },
    synthDescription: SYNTH_DESCRIPTION,
  }),
  'jominy.datasets.list': (_a, ctx) => repoOf(ctx).listDatasets(),
  'jominy.datasets.get': ({ id }, ctx) => repoOf(ctx).getDataset(id),
  'jominy.datasets.samples': ({ id, offset, limit }, ctx) => repoOf(ctx).samplesPage(id, offset, limit),
  'jominy.datasets.import': ({ upload, name }, ctx) => {
    const file = ctx.uploads.resolve(upload.uploadId);
    if (statSync(file).size > MAX_CSV_BYTES) throw new ApiError('invalid_argument', `the CSV is larger than ${MAX_CSV_BYTES / 1024 / 1024} MB`);
    let parsed;
    try {
      parsed = parseJominyCsv(readFileSync(file, 'utf8'));
    } catch (e) {
      asApiError(e);
    }
    const synthetic = parsed.meta.generator === SYNTH_MODEL_ID || 'synthetic' in parsed.meta;
    const ds = repoOf(ctx).createDataset({
      name: name ?? upload.name.replace(/\.csv$/i, ''),
      source: `csv:${upload.name}`,
      synthetic,
      // "# seed: 0x10" is not seed 16: the comment's seed is kept only when it is a plain whole number.
      seed: parsed.meta.seed !== undefined ? strictSeed(parsed.meta.seed) : null,
      notes: synthetic ? (parsed.meta.synthetic ?? SYNTH_DESCRIPTION) : null,
      meta: { warnings: parsed.warnings, header: parsed.meta, generator: parsed.meta.generator ?? null },
      samples: parsed.samples,
    });
    ctx.uploads.remove(upload.uploadId);
    ctx.bus.emit({ type: 'data-changed', entity: 'jominy-dataset', id: ds.id });
    return ds;
  },
  'jominy.datasets.synth': ({ n, seed, name, noiseHrc }, ctx) => {
    const samples = generateSynthetic({ n, seed, noiseHrc });
    const ds = repoOf(ctx).createDataset({
      name: name ?? `Synthetic Jominy heats (seed ${seed}, n ${n})`,
      source: `synthetic:${SYNTH_MODEL_ID}`,
      synthetic: true,
      seed,
      notes: SYNTH_DESCRIPTION,
      meta: { warnings: [], generator: SYNTH_MODEL_ID, noiseHrc: noiseHrc ?? 1 },
      samples,
    });
    ctx.bus.emit({ type: 'data-changed', entity: 'jominy-dataset', id: ds.id });
    return ds;
  },
  'jominy.datasets.grades': ({ id }, ctx) => {
    const by = new Map<string, number[][]>();
    for (const s of repoOf(ctx).allSamples(id)) {
      const g = s.grade ?? '(no grade)';
      if (!by.has(g)) by.set(g, []);
      by.get(g)!.push(s.hardness);
    }
    // H-bands leave out the upper and lower 3.5 % of heats (research notes §2).
    const pct = (v: number[], p: number) => {
      const a = [...v].sort((x, y) => x - y);
      const r = p * (a.length - 1);
      const lo = Math.floor(r);
      return a[lo] + (a[Math.min(a.length - 1, lo + 1)] - a[lo]) * (r - lo);
    };
    return [...by.entries()]
      .sort((a, b) => a[0].localeCompare(b[0]))
      .map(([grade, hs]) => {
        const col = (i: number) => hs.map((h) => h[i]);
        return {
          grade,
          n: hs.length,
          mean: DISTANCES_MM.map((_, i) => col(i).reduce((a, b) => a + b, 0) / hs.length),
          low: DISTANCES_MM.map((_, i) => pct(col(i), 0.035)),
          high: DISTANCES_MM.map((_, i) => pct(col(i), 0.965)),
        };
      });
  },
  'jominy.datasets.delete': ({ id }, ctx) => {
    repoOf(ctx).deleteDataset(id);
    ctx.bus.emit({ type: 'data-changed', entity: 'jominy-dataset', id });
    return { deleted: true as const };
  },

  'jominy.models.list': (_a, ctx) => repoOf(ctx).listModels().map(modelSummary),
  'jominy.models.get': ({ id }, ctx): JominyModelDetail => {
    const { row, model } = loadPredictor(ctx, id);
    return {
      ...modelSummary(row),
      points: model.metrics.points,
      refHeats: model.metrics.refHeats,
      inputs: model.nets.map((n) => ({ distanceMm: DISTANCES_MM[n.point], elements: n.elements, points: n.points.map((k) => DISTANCES_MM[k]), nh: n.nh, nw: n.nw, gamma: n.gamma, search: n.search, scores: n.scores })),
      domain: { min: model.domain.min, max: model.domain.max, mean: model.domain.mean, std: model.domain.std },
      usedElements: usedElements(model),
      training: { epochs: model.training.epochs, maxHidden: model.training.maxHidden, testFraction: model.split.testFraction, validationFraction: model.split.validationFraction },
    };
  },
  'jominy.models.train': (args, ctx) => {
    const repo = repoOf(ctx);
    const ds = repo.getDataset(args.datasetId);
    const samples = repo.allSamples(ds.id);
    if (samples.length < 30) throw new ApiError('failed_precondition', `dataset "${ds.name}" has ${samples.length} heats; at least 30 are needed`);
    if (args.inputs) {
      args.inputs.forEach((inp, p) => {
        if (inp && inp.points.some((k) => k >= p)) throw new ApiError('invalid_argument', `inputs of J${DISTANCES_MM[p]} may only use earlier points`, { field: `inputs.${p}.points` });
        if (inp && inp.elements.length + inp.points.length === 0) throw new ApiError('invalid_argument', `J${DISTANCES_MM[p]} needs at least one input`, { field: `inputs.${p}` });
      });
    }
    const opts = { seed: args.seed, testFraction: args.testFraction, validationFraction: args.validationFraction, maxHidden: args.maxHidden, epochs: args.epochs, inputs: args.inputs ?? null };
    const name = args.name ?? `JoMiner on ${ds.name}`;
    return ctx.jobs.start('jominy.train', `Train Jominy predictor: ${name}`, async (ctl) => {
      const t0 = Date.now();
      const model = await trainInWorker(samples, opts, { signal: ctl.signal, onProgress: (f, m) => ctl.progress(f * 0.98, m) });
      ctl.throwIfCancelled();
      mkdirSync(ctx.paths.models, { recursive: true });
      const rel = join('models', `jominy-${randomUUID()}.json`);
      const fingerprint = createHash('sha256').update(JSON.stringify(samples.map((s) => [s.chemistry, s.hardness]))).digest('hex');
      let modelId: number;
      try {
        // File and row land together: the file is written inside the row's write transaction, so the open-time
        // sweep of models/ (core/app/orphan-models.ts), which takes the same lock, never sees it half-done.
        modelId = inTransaction(ctx.db, () => {
          writeFileSync(join(ctx.paths.root, rel), JSON.stringify(model));
          return repo.insertModel({
          name,
          path: rel,
          architecture: model.nets.map((n) => ({ point: n.point, elements: n.elements, points: n.points, nh: n.nh, nw: n.nw })),
          hyper: { ...opts, maxHidden: model.training.maxHidden, epochs: model.training.epochs, testFraction: model.split.testFraction, validationFraction: model.split.validationFraction },
          seed: args.seed,
          fingerprint,
          dataset: { datasetId: ds.id, name: ds.name, n: samples.length, synthetic: ds.synthetic },
          backend: { name: BACKEND, detail: 'one small MLP per Jominy point; Bayesian-regularised Levenberg–Marquardt with ml-matrix Cholesky; tfjs is not used: the nets have ≤ ~150 weights and LM needs dense solves' },
          history: model.nets.map((n) => ({ point: n.point, search: n.search, gamma: n.gamma })),
          metrics: { ...model.metrics, split: { train: model.split.train, validation: model.split.validation, test: model.split.test }, trainSeconds: (Date.now() - t0) / 1000 },
          synthetic: ds.synthetic,
          });
        });
      } catch (e) {
        rmSync(join(ctx.paths.root, rel), { force: true });
        throw e;
      }
      ctx.bus.emit({ type: 'data-changed', entity: 'jominy-model', id: modelId });
      ctl.progress(1, `test MAE ${model.metrics.mae.toFixed(2)} HRC`);
      return { modelId, mae: model.metrics.mae, r2: model.metrics.r2 };
    });
  },
  'jominy.models.delete': ({ id }, ctx) => {
    const row = repoOf(ctx).getModel(id);
    repoOf(ctx).deleteModel(id);
    rmSync(join(ctx.paths.root, row.path), { force: true });
    ctx.bus.emit({ type: 'data-changed', entity: 'jominy-model', id });
    return { deleted: true as const };
  },
  'jominy.predict': ({ modelId, chemistry }, ctx) => {
    const { predictor, model } = loadPredictor(ctx, modelId);
    // A missing element is never read as 0: only one no network takes may be left out.
    const missing = missingElementsProblem(chemistry, predictor.usedElements(), `predictor ${modelId}`);
    if (missing) throw new ApiError('invalid_argument', `chemistry: ${missing}`, { field: 'chemistry' });
    const given = ELEMENTS.map((el) => chemistry[el] !== undefined);
    const omitted = ELEMENTS.filter((_, j) => !given[j]);
    // Omitted elements are unused by the predictor, so any value gives the same curve; 0 only fills the array.
    const c = chemToArray(chemistry);
    let reference = null;
    let referenceError: string | null = missingElementsProblem(chemistry, A255_USED, 'the A255 reference');
    if (!referenceError) {
      try {
        reference = a255Profile(arrayToChem(c));
      } catch (e) {
        referenceError = (e as Error).message;
      }
    }
    const { profile, capped, martensiteMaxHrc } = predictor.predictDetailed(c);
    return { profile, capped, martensiteMaxHrc, omitted, reference, referenceError, domain: checkDomain(model.domain, c, omitted.length ? given : undefined) };
  },
  'jominy.reference': ({ chemistry }) => {
    const missing = missingElementsProblem(chemistry, A255_USED, 'the A255 calculation');
    if (missing) throw new ApiError('invalid_argument', `chemistry: ${missing}`, { field: 'chemistry' });
    try {
      return a255Profile(arrayToChem(chemToArray(chemistry)));
    } catch (e) {
      return asApiError(e);
    }
  },

  'jominy.design': (args, ctx) => {
    const repo = repoOf(ctx);
    const { model, predictor } = loadPredictor(ctx, args.modelId);
    const s = args.settings;
    const target = args.target as TargetInput;
    const objective = { target, weights: s.weights ?? null, costs: s.costs ?? null, beta: s.beta ?? 0 };
    try {
      compileObjective(objective);
    } catch (e) {
      asApiError(e);
    }
    const constraints = resolveConstraints(predictor, s);
    if (args.parentSessionId) repo.getSession(args.parentSessionId);
    const restarts = s.restarts ?? 1;
    const ga = { ...DEFAULT_GA, ...(s.ga ?? {}) };
    const seeds = restarts === 1 ? [args.seed] : Array.from({ length: restarts }, (_, k) => deriveSeed(args.seed, k));
    const threads = Math.max(1, Math.min(restarts, availableParallelism()));
    const baseRun = { state: 'running', error: null, generations: 0, evaluations: 0, stopReason: null, restarts, threads, durationMs: 0, seeds, history: [], ga };
    const name = args.name ?? `Design ${new Date().toISOString().slice(0, 16).replace('T', ' ')}`;
    const sessionId = repo.createSession({ name, modelId: args.modelId, parentSessionId: args.parentSessionId ?? null, target, settings: s, seed: args.seed, run: baseRun });
    ctx.bus.emit({ type: 'data-changed', entity: 'jominy-session', id: sessionId });
    const tasks: DesignTask[] = seeds.map((seed, key) => ({ key, input: { objective, constraints, settings: ga, seed } }));
    return ctx.jobs.start('jominy.design', `Jominy design: ${name}`, async (ctl) => {
      const t0 = Date.now();
      try {
        const out = await runDesignsInPool(model, tasks, {
          threads,
          signal: ctl.signal,
          onProgress: (p) => ctl.progress(p.generations / p.totalGenerations, `generation ${Math.min(p.generations, p.totalGenerations)} of ${p.totalGenerations}${restarts > 1 ? ` (${restarts} restarts)` : ''}`, { sessionId }),
        });
        const first = out[0].output;
        const top = mergeTop(out.map((r) => r.output.top), constraints, ga.topK, ga.distinctness);
        const results: DesignResultRow[] = top.map((c, i) => ({
          rank: i + 1, chemistry: arrayToChem(c.chemistry), profile: c.profile, reference: referenceOf(c.chemistry),
          objective: c.objective, deviation: c.deviation, weightedDeviation: c.weightedDeviation, costTerm: c.costTerm, domain: c.domain,
          capped: predictor.predictDetailed(c.chemistry).capped,
        }));
        const run = {
          ...baseRun, state: 'done', generations: first.generations, evaluations: out.reduce((a, r) => a + r.output.evaluations, 0),
          stopReason: first.stopReason, durationMs: Date.now() - t0, history: first.history,
        };
        repo.finishSession(sessionId, run, results);
        ctx.bus.emit({ type: 'data-changed', entity: 'jominy-session', id: sessionId });
        return { sessionId, bestDeviation: results[0]?.deviation ?? null };
      } catch (e) {
        const cancelled = ctl.signal.aborted;
        repo.setSessionRun(sessionId, { ...baseRun, state: cancelled ? 'cancelled' : 'failed', error: cancelled ? null : (e as Error).message, durationMs: Date.now() - t0 });
        ctx.bus.emit({ type: 'data-changed', entity: 'jominy-session', id: sessionId });
        throw e;
      }
    });
  },
  'jominy.sessions.list': (_a, ctx) => repoOf(ctx).listSessions(),
  'jominy.sessions.get': ({ id }, ctx) => repoOf(ctx).getSession(id),
  'jominy.sessions.rename': ({ id, name }, ctx) => {
    repoOf(ctx).renameSession(id, name);
    ctx.bus.emit({ type: 'data-changed', entity: 'jominy-session', id });
    return repoOf(ctx).getSession(id);
  },
  'jominy.sessions.duplicate': ({ id, name }, ctx) => {
    const repo = repoOf(ctx);
    const copy = repo.duplicateSession(id, name ?? `${repo.getSession(id).name} (copy)`);
    ctx.bus.emit({ type: 'data-changed', entity: 'jominy-session', id: copy });
    return repo.getSession(copy);
  },
  'jominy.sessions.delete': ({ id }, ctx) => {
    repoOf(ctx).deleteSession(id);
    ctx.bus.emit({ type: 'data-changed', entity: 'jominy-session', id });
    return { deleted: true as const };
  },
  'jominy.sessions.export': ({ id, format }, ctx) => {
    const s = repoOf(ctx).getSession(id);
    const base = `jominy-session-${s.id}-${s.name.replace(/[^\w.-]+/g, '_').slice(0, 60)}`;
    if (format === 'json') return { filename: `${base}.json`, mime: 'application/json', content: JSON.stringify({ format: 'ferrolab-jominy-session', version: 1, session: s }, null, 2) };
    const lines: string[] = [
      `# Ferrolab Jominy design session ${s.id}: ${s.name.replace(/[\r\n]+/g, ' ')}`,
      `# predictor ${s.modelId ?? 'deleted'}; seed ${s.seed}; target ${JSON.stringify(s.target)}`,
      ['rank', 'objective', 'deviation_hrc', 'weighted_deviation_hrc', 'cost_term', 'in_domain', 'domain_distance', ...ELEMENTS, ...DISTANCES_MM.map((d) => `J${d}`), ...DISTANCES_MM.map((d) => `A255_J${d}`)].join(','),
    ];
    for (const r of s.results) {
      lines.push(
        [r.rank, +r.objective.toFixed(4), +r.deviation.toFixed(4), +r.weightedDeviation.toFixed(4), +r.costTerm.toFixed(5), r.domain.inDomain, +r.domain.distance.toFixed(3),
          ...ELEMENTS.map((el) => +r.chemistry[el]!.toPrecision(5)), ...r.profile.map((h) => +h.toFixed(2)), ...DISTANCES_MM.map((_, i) => (r.reference ? +r.reference[i].toFixed(2) : null))]
          .map(csvCell).join(','),
      );
    }
    return { filename: `${base}.csv`, mime: 'text/csv', content: lines.join('\n') + '\n' };
  },

  'jominy.evaluate': (args, ctx) => {
    const repo = repoOf(ctx);
    const { row, model } = loadPredictor(ctx, args.modelId);
    const ds = JSON.parse(row.dataset_json) as { datasetId: number | null; name: string };
    let targets: JominySample[];
    let datasetId: number | null;
    let generator: unknown;
    if (args.datasetId) {
      datasetId = args.datasetId;
      targets = repo.allSamples(args.datasetId);
      generator = repo.datasetMeta(args.datasetId).generator;
    } else {
      if (ds.datasetId === null) throw new ApiError('failed_precondition', 'the predictor’s dataset was deleted; choose a target dataset');
      datasetId = ds.datasetId;
      const all = repo.allSamples(ds.datasetId);
      targets = model.split.testIndices.map((i) => all[i]).filter(Boolean);
      generator = repo.datasetMeta(ds.datasetId).generator;
    }
    if (args.maxTargets) targets = targets.slice(0, args.maxTargets);
    if (!targets.length) throw new ApiError('failed_precondition', 'no target heats');
    const truth = generator === SYNTH_MODEL_ID ? (c: number[]) => synthTruthProfile(arrayToChem(c)) : null;
    const constraints: Constraints = { min: [...model.domain.min], max: [...model.domain.max], linear: [] };
    const configs = args.sweep ? SWEEP_R.flatMap((r) => SWEEP_ALPHA.map((alpha) => ({ r, alpha }))) : [{ r: args.r ?? DEFAULT_GA.r, alpha: args.alpha ?? DEFAULT_GA.alpha }];
    const base = { population: args.population ?? DEFAULT_GA.population, generations: args.generations ?? DEFAULT_GA.generations, faga: args.faga ?? false, domainWeight: args.domainWeight ?? 0 };
    const tasks = configs.flatMap((c, k) => evaluationTasks(targets, args.objective, constraints, { ...base, r: c.r, alpha: c.alpha }, args.seed, k * targets.length));
    const threads = args.threads ?? availableParallelism();
    const name = args.name ?? `Evaluation (${args.objective}${args.sweep ? ', r×α sweep' : ''}) of ${row.name}`;
    return ctx.jobs.start('jominy.evaluate', name, async (ctl) => {
      const t0 = Date.now();
      const results = await runDesignsInPool(model, tasks, {
        threads,
        signal: ctl.signal,
        onProgress: (p) => ctl.progress(p.generations / p.totalGenerations, `${p.done} of ${p.total} designs`),
      });
      const runs: EvaluationSummary[] = configs.map((c, k) => summarise(targets, results.slice(k * targets.length, (k + 1) * targets.length), { ...c, objective: args.objective }, model.domain.max, truth));
      const params = { objective: args.objective, sweep: args.sweep, ...base, maxTargets: args.maxTargets ?? null, targets: targets.length, targetSource: args.datasetId ? 'dataset' : 'model test heats' };
      const evaluationId = repo.insertEvaluation({ name, modelId: row.id, datasetId, params, seed: args.seed, result: { runs, durationMs: Date.now() - t0, threads } });
      ctx.bus.emit({ type: 'data-changed', entity: 'jominy-evaluation', id: evaluationId });
      return { evaluationId, eps: runs[0].profile.eps };
    });
  },
  'jominy.evaluations.list': (_a, ctx) => repoOf(ctx).listEvaluations(),
  'jominy.evaluations.get': ({ id }, ctx) => repoOf(ctx).getEvaluation(id),
};

/** The seed named in a Jominy CSV's comment header, or null when it is not a plain whole number. */
function strictSeed(text: string): number | null {
  const r = parseStrictInteger(text);
  return r.ok ? r.value : null;
}
