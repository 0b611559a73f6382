import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ApiError } from '../../api/errors.js';
import { phrase, type Phrase } from '../../api/phrase.js';
import type { JominyModel, JominyModelDetail, UncertaintyOut } from '../../api/methods/jominy.js';
import type { ModelRowJ } from '../../store/repos/jominy-models-repo.js';
import { JominyPredictor, beyondPoints, dataPercentileRanges, withStrongest, modelDistances, modelLabels, statedCoverage, usedElements, weakPoints, weakPointPhrase, biasedHighPhrase, type BelowScaleOver, lowestPointCoverage, MIN_POINT_CELLS, storedSkillReport, type PredictorModel, type DomainModel, type EnsembleModel, type PredictorWithEnsemble, type SplitMode, type SkillReport } from '../../jominy/index.js';
import { DISTANCES_MM } from '../../jominy/elements.js';
import { wilsonInterval } from '../../jominy/normal.js';
import { MIN_GRADE_HEATS, type GradeCoverage } from '../../jominy/grade-coverage.js';
import type { JominyServiceDeps } from './deps.js';

/** Trained Jominy predictors: their rows and files, a loaded-predictor cache, summaries, delete. */

export interface LoadedPredictor {
  row: ModelRowJ;
  model: PredictorWithEnsemble;
  predictor: JominyPredictor;
}

export function createPredictorStore({ repos, paths, bus }: JominyServiceDeps) {
  const repo = repos.models;
  // Keyed by the row's creation time too, so a predictor deleted and an id reused never serves the old file.
  const cache = new Map<string, { model: PredictorWithEnsemble; predictor: JominyPredictor }>();

  function load(id: number): LoadedPredictor {
    const row = repo.getModel(id);
    const key = `${paths.root}|${id}|${row.created_at}`;
    let hit = cache.get(key);
    if (!hit) {
      let model: PredictorWithEnsemble;
      try {
        model = JSON.parse(readFileSync(join(paths.root, row.path), 'utf8')) as PredictorWithEnsemble;
      } catch (e) {
        throw ApiError.said('failed_precondition', phrase('jominyErrors.predictorFileUnreadable', { id, path: row.path, error: (e as Error).message }));
      }
      hit = { model, predictor: new JominyPredictor(model) };
      cache.set(key, hit);
    }
    return { row, ...hit };
  }

  return {
    load,
    list: (): JominyModel[] => repo.listModels().map(modelSummary),
    get(id: number): JominyModelDetail {
      const { row, model } = load(id);
      const mm = modelDistances(model);
      return {
        ...modelSummary(row),
        points: model.metrics.points,
        // stored before refRows: its refHeats counted rows
        refHeats: model.metrics.refRows === undefined ? null : model.metrics.refHeats,
        refRows: model.metrics.refRows ?? model.metrics.refHeats,
        inputs: model.nets.map((n) => ({ distanceMm: mm[n.point], elements: n.elements, points: n.points.map((k) => mm[k]), nh: n.nh, nw: n.nw, gamma: n.gamma, search: n.search, scores: n.scores })),
        domain: { min: model.domain.min, max: model.domain.max, mean: model.domain.mean, std: model.domain.std, ...percentiles(model.domain), threshold: model.domain.threshold, thresholdStored: model.domain.storedThreshold ?? null },
        usedElements: usedElements(model),
        training: { epochs: model.training.epochs, maxHidden: model.training.maxHidden, testFraction: model.split.testFraction, validationFraction: model.split.validationFraction },
        // the strongest baseline read from the stored skills: a report stored before A255 could be it named the grade mean
        baselines: model.metrics.skill ? withStrongest(storedSkillReport(model.metrics.skill, model.split.heats?.test)) : null,
        weakPoints: weakPointsOf(model),
        biasedHigh: biasedHighOf(model),
        biasedHighNotRecorded: biasedHighNotRecorded(model),
        pointsLayout: {
          distancesMm: mm,
          labels: modelLabels(model),
          elements: model.elements ?? null,
          // a file stored before skipped points kept their rows counted rows as heats: given as rows, heats unknown
          skipped: (model.skipped ?? []).map((p) => ({ distanceMm: p.distanceMm, label: p.label, heats: p.rows ? p.heats : null, rows: p.rows ?? p.heats })),
          minPointHeats: model.training.minPointHeats ?? null,
          outsideStandard: DISTANCES_MM.map((d) => beyondPoints(d, mm)),
        },
        uncertainty: model.ensemble ? uncertaintyOf(model.ensemble, model.split, mm, (model.skipped ?? []).map((p) => p.distanceMm)) : null,
        inputHeats: model.inputHeats ?? null,
      };
    },
    /** Row first, then the file: a file left by a failed removal is swept aside at the next open, never a row without its file. */
    remove(id: number): { deleted: true } {
      const row = repo.getModel(id);
      repo.deleteModel(id);
      rmSync(join(paths.root, row.path), { force: true });
      bus.emit({ type: 'data-changed', entity: 'jominy-model', id });
      return { deleted: true as const };
    },
  };
}

export type PredictorStore = ReturnType<typeof createPredictorStore>;

/** The list view of a predictor row (its metrics and dataset as stored at training time). */
export function modelSummary(row: ModelRowJ): JominyModel {
  const m = JSON.parse(row.metrics_json ?? '{}') as {
    mae: number; maxError: number; r2: number; refMae: number | null;
    split: { train: number; validation: number; test: number; heats?: { train: number; validation: number; test: number }; mode?: SplitMode };
    skill?: SkillReport;
    ensemble?: { size: number; coverage90: number | null; coverage90Readings?: number; calibrationVersion?: number };
  };
  const ds = JSON.parse(row.dataset_json) as { datasetId: number | null; name: string };
  return {
    id: row.id, name: row.name, datasetId: ds.datasetId, datasetName: ds.name, synthetic: row.synthetic === 1, seed: row.seed, createdAt: row.created_at,
    mae: m.mae, maxError: m.maxError, r2: m.r2, refMae: m.refMae,
    split: { train: m.split.train, validation: m.split.validation, test: m.split.test },
    splitHeats: m.split.heats ?? null,
    splitMode: m.split.mode ?? 'random',
    skill: m.skill ? skillOverStrongest(m.skill) : null,
    backend: (JSON.parse(row.backend_json) as { name: string }).name,
    ensembleSize: m.ensemble?.size ?? 0,
    // a coverage stored before the cross-fit calibration is not stated as measured (core/jominy/coverage-why.ts)
    ...coverage90Of(m.ensemble, m.split.heats !== undefined),
  };
}

/** The overall skill over the strongest baseline, from the stored per-baseline skills (core/jominy/baselines.ts). */
function skillOverStrongest(r: SkillReport): number | null {
  return withStrongest(r).overall.skill.vsStrongest;
}


/**
 * Whether a predictor's dataset was measured at the 15 standard distances: its points with those it skipped (too few
 * heats measured them). A calibration stored before calibrations kept their points (c.pointsMm) read each test heat's
 * curve at the standard distances by PCHIP only for another layout (dataset.ts atStandardDistances copies a standard
 * one): a standard-layout model that skipped a point had no interpolated cells and is not said to.
 */
export function standardLayout(modelPointsMm: readonly number[], skippedMm: readonly number[]): boolean {
  const layout = [...modelPointsMm, ...skippedMm].sort((a, b) => a - b);
  return layout.length === DISTANCES_MM.length && layout.every((d, i) => d === DISTANCES_MM[i]);
}

/** The model's weak point networks (core/jominy/weak-points.ts) with their sentences; none without stored baselines. */
export function weakPointsOf(model: PredictorModel) {
  if (!model.metrics.skill) return [];
  const mm = modelDistances(model);
  const gammaAt = new Map(model.nets.map((n) => [mm[n.point], n.gamma] as const));
  return weakPoints(model.metrics.skill, model.metrics.skill.points.map((p) => gammaAt.get(p.distanceMm) ?? null)).map((w) => ({ ...w, phrase: weakPointPhrase(w, String(+w.distanceMm.toFixed(2))) }));
}

/**
 * The model's points whose network and baselines are biased high: heats read below 20 HRC were left out there on import
 * in a material share of the model's own heats (core/jominy/below-scale.ts; a model stored before judged its dataset's,
 * and says so); none for a model whose dataset did not record the count.
 */
export function biasedHighOf(model: Pick<PredictorModel, 'belowScale' | 'belowScaleOver'>) {
  const over: BelowScaleOver = model.belowScaleOver ?? 'dataset';
  return (model.belowScale ?? []).filter((p) => p.biasedHigh).map((p) => ({ ...p, over, phrase: biasedHighPhrase(p, String(+p.distanceMm.toFixed(2)), over) }));
}

/**
 * "not recorded" when the model's dataset did not count heats below 20 HRC (null, or a model stored before), or did not
 * record which heats, and the model does not take them all: unknown, never "none".
 */
export function biasedHighNotRecorded(model: Pick<PredictorModel, 'belowScale' | 'belowScaleNotRecorded'>): Phrase | null {
  // which of the model's heats were left out is not recorded: said beside the dataset's flags (over its heats), or alone
  if (model.belowScaleNotRecorded === 'perHeat') return phrase('jominy.belowScale.notRecordedPerHeat', { min: 20 });
  if (model.belowScale !== null && model.belowScale !== undefined) return null;
  return phrase('jominy.belowScale.notRecorded', { min: 20 });
}

/** k per point as stored with the calibration's points (a calibration without points is older than k per point: none). */
function perPoint(c: EnsembleModel['calibration']) {
  const ok = c.pointsMm !== undefined && c.kPoints?.length === c.pointsMm.length && c.pointRule !== undefined && c.cellsPoints !== undefined;
  return ok ? { kPoints: c.kPoints!, pointRule: c.pointRule!, cellsPoints: c.cellsPoints! } : { kPoints: null, pointRule: null, cellsPoints: null };
}

/** The list's coverage of a predictor row: the stored number only when measured, and why otherwise. */
function coverage90Of(e: { coverage90: number | null; coverage90Readings?: number; calibrationVersion?: number } | undefined, splitHeatsStored: boolean) {
  const c = statedCoverage(e ? { coverage: e.coverage90, version: e.calibrationVersion } : null, splitHeatsStored);
  return { coverage90: c.coverage, coverage90Why: c.coverageWhy, coverage90Note: c.coverageNote, coverage90Readings: c.coverage === null ? null : (e?.coverage90Readings ?? null) };
}

/** The dataset a predictor was trained on, as its row records it (datasetId null once that dataset is deleted). */
export const trainedOn = (row: ModelRowJ) => JSON.parse(row.dataset_json) as { datasetId: number | null; name: string };

/** The 1st/99th percentiles of the training chemistries: the default design ranges the UI shows. */
function percentiles(d: DomainModel): { p1: number[]; p99: number[] } {
  const r = dataPercentileRanges(d);
  return { p1: r.min, p99: r.max };
}

/**
 * What the predictor page and `jominy models show` say of an ensemble: its seeds, calibration and held-out coverage
 * — overall and per point only when measured by the current cross-fit (core/jominy/coverage-why.ts).
 */
function uncertaintyOf(e: EnsembleModel, split: { test: number; heats?: unknown }, modelPointsMm: readonly number[], skippedMm: readonly number[]): UncertaintyOut {
  const c = e.calibration;
  const stated = statedCoverage(c, split.heats !== undefined);
  // calibration.heats counted rows before heats were counted (d20c467); a calibration that cannot show it came after gives none
  const heatsCounted = c.version !== undefined || split.heats !== undefined;
  const measured = stated.coverageWhy === 'measured';
  return {
    size: e.size, seeds: e.members.map((m) => m.seed), fitHeats: e.fitRows === undefined ? null : e.fitHeats, fitRows: e.fitRows ?? e.fitHeats, method: c.method, nominal: c.nominal,
    pointsMm: c.pointsMm ?? [...DISTANCES_MM],
    interpolatedCells: c.pointsMm === undefined && !standardLayout(modelPointsMm, skippedMm),
    ...stated, coveragePoints: c.coveragePoints.map((v) => (!measured || v === null || !Number.isFinite(v) ? null : v)), rawCoverage: c.rawCoverage,
    coverageLowest: measured ? lowestPointCoverage(c) : null,
    scale: c.scale, ...perPoint(c), minPointCells: MIN_POINT_CELLS, cells: c.cells, heats: heatsCounted ? c.heats : null, testRows: split.test, meanSd: c.meanSd, rho: c.rho, ensembleMeanMae: c.ensembleMeanMae, predictorMae: c.predictorMae,
    calibrationSeed: c.seed, trainSeconds: e.trainSeconds, estimatedSeconds: e.estimatedSeconds,
    ...coverageCounts(measured ? stated.coverage : null, c.coverageReadings ?? c.cells),
    minGradeHeats: MIN_GRADE_HEATS,
    gradeCoverage: gradeCoverageOf(e.gradeCoverage),
  };
}

/** A stated coverage's count and Wilson 90 % interval (none when not measured). */
function coverageCounts(coverage: number | null, readings: number) {
  return coverage === null ? { coverageReadings: null, coverageWilson: null } : { coverageReadings: readings, coverageWilson: wilsonInterval(coverage, readings) };
}

/** Coverage on grades left out of training, per grade and pooled, with Wilson 90 % intervals (null: not measured). */
function gradeCoverageOf(g: GradeCoverage | null | undefined) {
  if (!g) return null;
  return {
    members: g.members, seconds: g.seconds,
    grades: g.grades.map((r) => ({ grade: r.grade, heats: r.heats, readings: r.readings, coverage: r.covered / r.readings, wilson: wilsonInterval(r.covered / r.readings, r.readings) })),
    readings: g.readings, coverage: g.covered / g.readings, wilson: wilsonInterval(g.covered / g.readings, g.readings),
  };
}
