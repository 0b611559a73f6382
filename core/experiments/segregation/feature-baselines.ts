import { fixed, phrase, plain } from '../../api/phrase.js';
import { notesOf, titled } from '../words.js';
import { TEXTURE_FEATURE_KEYS, textureFeatureVector, textureFeatures } from '../../imaging/texture-features.js';
import { DEFAULT_GLCM } from '../../imaging/quality.js';
import { BASELINE_MODELS, fitAndPredict, kFolds, selectByCv, type BaselineModel, type Params } from '../../ml/baselines/index.js';
import { regressionMetrics } from '../../ml/metrics.js';
import { cancellationOf } from '../../runtime/cancelled.js';
import { childSeed, deriveSeed } from '../../runtime/random.js';
import type { ExperimentBudget, ExperimentContext, ExperimentResult, SegregationData, SegregationExperiment, SegregationPoint } from '../types.js';
import { PAPER_CNN } from './feature-baselines-paper.js';
import { baselineFigure, heldOutTable, perSplitTable, type BaselineUnit, type SplitOutcome } from './feature-baselines-tables.js';

export type { BaselineUnit } from './feature-baselines-tables.js';

/**
 * Handcrafted-feature baselines (carbon paper, Supp. Table 2): six conventional regressors on image statistics
 * and texture features of each point's CLAHE patch, hyper-parameters by 4-fold CV on the split's training points
 * with MAE as the criterion, one refit on all of them, and the held-out MAE / R² on the SAME test points as the
 * CNN (data.splits[].test). The training part is a split's train ∪ val: the CNN spends val on early stopping,
 * the baselines choose by CV instead. Units of work (checkpointed for resume): the feature matrix, then one per
 * model × feature source × budget × split (both decide what is fitted).
 */

export const CV_FOLDS = 4;

/** Which patch the features describe: the CLAHE patch (the CNN's input, the default), the raw one, or both side by side. */
export type FeatureSource = 'clahe' | 'raw' | 'both';

export interface FeatureBaselineOptions {
  /** The models to run (default: all six, the paper's order); tests pass a subset. */
  models?: readonly BaselineModel[];
  featureSource?: FeatureSource;
}

function featureNames(source: FeatureSource): string[] {
  const keys = [...TEXTURE_FEATURE_KEYS];
  if (source === 'both') return [...keys.map((k) => `clahe.${k}`), ...keys.map((k) => `raw.${k}`)];
  return keys.map((k) => `${source}.${k}`);
}

function pointFeatures(pt: SegregationPoint, side: number, source: FeatureSource): number[] {
  const of = (img: Uint8Array) => textureFeatureVector(textureFeatures(img, side, side));
  if (source === 'both') return [...of(pt.clahe), ...of(pt.raw)];
  return of(source === 'clahe' ? pt.clahe : pt.raw);
}

/** A model's tag for its seeds (FNV-1a of its id): a model's seed does not depend on which others run with it. */
function idTag(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

function trainingPart(data: SegregationData, s: number): number[] {
  const sp = data.splits[s];
  return [...sp.train, ...sp.val].sort((a, b) => a - b);
}

/**
 * Rough seconds of one fit at ~70 training rows and 14 features, measured on the shared 2-core machine
 * (bench/feature-baselines.ts; its load varies 2×): an ml-cart tree costs 5–13 ms, an xgboost tree ~1 ms, an MLP
 * epoch ~0.5 ms plus its units, libsvm's linear kernel grows with C. An estimate said before the run, not a promise.
 */
function secondsPerFit(id: string, p: Params): number {
  const n = (k: string, d: number) => Number(p[k] ?? d);
  switch (id) {
    case 'linear-svr':
      return 0.05 + 0.05 * n('C', 1);
    case 'rbf-svr':
      return 0.02;
    case 'gradient-boosting':
      return 0.012 * n('nEstimators', 100) * (n('maxDepth', 3) / 3);
    case 'random-forest':
      return 0.005 * n('nEstimators', 50);
    case 'xgboost':
      return 0.001 * n('iterations', 100);
    case 'mlp':
      return n('epochs', 300) * (0.0005 + 0.000008 * String(p.hidden ?? '16').split('-').reduce((a, b) => a + Number(b), 0));
    default:
      return 0.2;
  }
}

export function createFeatureBaselines(opts: FeatureBaselineOptions = {}): SegregationExperiment {
  const models = opts.models ?? BASELINE_MODELS;
  const source = opts.featureSource ?? 'clahe';
  return {
    id: 'feature-baselines',
    title: 'Handcrafted-feature baselines',
    titlePhrase: phrase('experiments.baselines.title'),
    paperRef: 'Supp. Table 2',
    estimateSeconds(data: SegregationData, budget: ExperimentBudget): number {
      const p = featureNames(source).length;
      const rowsScale = Math.max(0.2, (data.points.length * 0.8) / 70);
      // CV fits on ¾ of the rows; the refit on all of them is counted as one more fold.
      const perSplit = models.reduce((t, m) => t + m.grid(budget, p).reduce((u, params) => u + (CV_FOLDS + 1) * secondsPerFit(m.id, params), 0), 0);
      return Math.ceil(data.points.length * 0.02 + perSplit * rowsScale * data.splits.length);
    },
    run: (data, ctx) => runFeatureBaselines(data, ctx, models, source),
  };
}

export const featureBaselines: SegregationExperiment = createFeatureBaselines();

async function runFeatureBaselines(data: SegregationData, ctx: ExperimentContext, models: readonly BaselineModel[], source: FeatureSource): Promise<ExperimentResult> {
  const t0 = Date.now();
  if (!data.splits.length) throw new Error('feature baselines: the data have no splits');
  const side = data.size;
  const names = featureNames(source);
  const X = await ctx.unit(`features/${source}`, async () => {
    const n = data.points.length;
    ctx.progress(0, source === 'both' ? phrase('expNotes.progress.featuresBoth', { n }) : source === 'clahe' ? phrase('expNotes.progress.featuresClahe', { n }) : phrase('expNotes.progress.featuresRaw', { n }));
    return data.points.map((pt) => pointFeatures(pt, side, source));
  });
  const y = data.points.map((pt) => pt.carbon);
  const p = names.length;
  const seeds: Record<string, number> = { root: ctx.seed };
  const total = models.length * data.splits.length;
  let done = 0;
  const outcomes: SplitOutcome[] = [];

  for (const [s, split] of data.splits.entries()) {
    const rows = trainingPart(data, s);
    if (rows.length < CV_FOLDS * 2) throw new Error(`feature baselines: ${split.name} has ${rows.length} training points, too few for ${CV_FOLDS}-fold CV`);
    if (!split.test.length) throw new Error(`feature baselines: ${split.name} holds out no points`);
    const foldSeed = childSeed(ctx.seed, 1000 + s);
    seeds[`cv folds · ${split.name}`] = foldSeed;
    const folds = kFolds(rows.length, CV_FOLDS, foldSeed);
    const Xtr = rows.map((i) => X[i]);
    const ytr = rows.map((i) => y[i]);
    const Xte = split.test.map((i) => X[i]);
    const yte = split.test.map((i) => y[i]);
    const trainMean = ytr.reduce((a, b) => a + b, 0) / ytr.length;
    outcomes.push({ split: split.name, modelId: 'training-mean', unit: null, metrics: regressionMetrics(yte.map(() => trainMean), yte), trainMae: null });

    for (const model of models) {
      if (ctx.signal?.aborted) throw cancellationOf(ctx.signal);
      const fitSeed = deriveSeed(childSeed(ctx.seed, 2000 + s), idTag(model.id));
      seeds[`${model.id} · ${split.name}`] = fitSeed;
      const grid = model.grid(ctx.budget, p);
      const unit = await ctx.unit<BaselineUnit>(`${model.id}/${source}/${ctx.budget}/split-${s}`, async () => {
        const sel = await selectByCv(model, Xtr, ytr, {
          grid,
          folds,
          fitSeed,
          signal: ctx.signal,
          onGridPoint: (g, n) => ctx.progress((done + g / (n + 1)) / total, phrase('expNotes.progress.baselineCv', { model: model.label, split: split.name, g, n })),
        });
        if (ctx.signal?.aborted) throw cancellationOf(ctx.signal);
        const both = await fitAndPredict(model, Xtr, ytr, [...Xte, ...Xtr], sel.best.params, fitSeed);
        return { params: sel.best.params, cvMae: sel.best.cvMae, gridSize: grid.length, testPred: both.slice(0, Xte.length), trainPred: both.slice(Xte.length) };
      });
      done++;
      ctx.progress(done / total, phrase('expNotes.progress.baselineMae', { model: model.label, split: split.name, mae: fixed(regressionMetrics(unit.testPred, yte).mae, 4) }));
      outcomes.push({
        split: split.name,
        modelId: model.id,
        unit,
        metrics: regressionMetrics(unit.testPred, yte),
        trainMae: regressionMetrics(unit.trainPred, ytr).mae,
      });
    }
  }

  const grids = Object.fromEntries(models.map((m) => [m.id, { library: m.library, grid: m.grid(ctx.budget, p) }]));
  return {
    id: 'feature-baselines',
    ...titled(phrase('experiments.baselines.title')),
    paperRef: 'Supp. Table 2',
    tables: [heldOutTable(models, outcomes, data.splits.length), perSplitTable(models, outcomes)],
    figures: [baselineFigure(models, outcomes)],
    seeds,
    settings: {
      budget: ctx.budget,
      features: names,
      featureSource: { clahe: 'the CLAHE patch (the CNN’s input)', raw: 'the raw patch (before CLAHE)', both: 'the CLAHE and the raw patch side by side' }[source],
      glcm: DEFAULT_GLCM,
      standardisation: 'features and target z-scored on each fit’s own training rows',
      cv: `${CV_FOLDS}-fold on each split’s training points (train ∪ val), MAE criterion, tie → earlier grid point, then refit on all of them`,
      splits: data.splits.map((sp) => ({ name: sp.name, train: sp.train.length + sp.val.length, test: sp.test.length })),
      grids,
    },
    ...notesOf([
      source === 'both' ? phrase('expNotes.features.both') : source === 'clahe' ? phrase('expNotes.features.clahe') : phrase('expNotes.features.raw'),
      phrase('experiments.baselines.note.heldOut'),
      phrase('experiments.baselines.note.unstated'),
      phrase('experiments.baselines.note.paperCnn', { r2: plain(PAPER_CNN.r2Percent), mae: plain(PAPER_CNN.maeWtPct) }),
      ...(ctx.budget === 'quick' ? [phrase('experiments.baselines.note.quick')] : []),
      ...(data.synthetic ? [phrase('experiments.baselines.note.synthetic')] : []),
    ]),
    elapsedMs: Date.now() - t0,
  };
}
