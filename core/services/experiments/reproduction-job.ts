import type { InputPreprocess } from '../../ml/transfer-model.js';
import { isAbsolute, join, resolve } from 'node:path';
import type { ServiceContext } from '../context.js';
import type { JobControl } from '../../jobs/index.js';
import type { JobInfo } from '../../api/events.js';
import { ApiError, toErrorBody } from '../../api/errors.js';
import type { ExperimentResultDto } from '../../api/methods/experiments.js';
import { runWorker } from '../../runtime/worker.js';
import { createExperimentRunsRepo, type ExperimentRunRecord } from '../../store/repos/experiment-runs-repo.js';
import type { ReproduceWorkerInput } from '../../experiments/reproduce.worker.js';
import type { ExperimentBudget } from '../../experiments/types.js';
import type { ReproductionReportInput } from '../../report/experiments/index.js';
import type { ReportLanguage } from '../../report/report-i18n.js';
import { loadSegregationData, type ExperimentSections } from './segregation-data.js';
import { loadJominyInput } from './jominy-input.js';
import { countHeats } from '../../jominy/heat-split.js';
import type { JominyReproductionInput } from '../../experiments/registry.js';
import { registryModuleUrl } from './registry-module.js';
import { writeReproductionReport } from './report-files.js';
import { phrase, type Phrase } from '../../api/phrase.js';
import { durationParams } from '../shared/duration-words.js';

/**
 * One reproduction run as a job: data from the store → worker thread running the registry's experiments → every
 * unit and result committed as it arrives → the report (HTML + PDF). A resume is the same job on a reopened run:
 * the stored units and results go to the worker, which computes only what is missing.
 */

export interface ExperimentsDeps {
  sections: ExperimentSections;
}

export interface ReproductionRequest {
  kind: 'segregation' | 'jominy';
  billetIds?: number[];
  datasetId?: number;
  budget: ExperimentBudget;
  seed: number;
  pretrainedDir?: string;
  /** How the pretrained network expects its pixels (unit | symmetric | caffe); default unit. */
  pretrainedPreprocess?: InputPreprocess;
  /** Report folder (absolute, CLI --out); default reports/experiments/run-<id>/ in the data folder. */
  outDir?: string;
  /** The report's language (CLI --lang); stored with the run. */
  language?: ReportLanguage;
}

export interface ReproductionJobResult {
  runId: number;
  state: 'done';
  reportDir: string;
  html: string;
  pdf: string;
  estimateS: number | null;
  /** Units this attempt computed, and those it read back from earlier attempts. */
  unitsComputed: number;
  unitsReused: number;
  experiments: string[];
}

interface WorkerMsg {
  type: 'estimate' | 'basis' | 'unit' | 'result' | 'progress' | 'backend' | 'plan';
  seconds?: number;
  perExperiment?: Record<string, number>;
  key?: string;
  value?: unknown;
  elapsedMs?: number;
  position?: number;
  result?: ExperimentResultDto;
  fraction?: number;
  /** A progress line: a phrase (the experiments') or English. */
  message?: string | Phrase;
  name?: string;
  experiments?: string[];
}

export function reportDirOf(ctx: ServiceContext, run: Pick<ExperimentRunRecord, 'reportDir' | 'id'>): string {
  const d = run.reportDir ?? `reports/experiments/run-${run.id}`;
  return isAbsolute(d) ? d : join(ctx.paths.root, d);
}

/** The report's line on a JoMiner dataset: heats counted as heats (heat-split.ts heatKeys), rows beside them where a retest makes them differ. */
export function jominyDataSummary(input: Pick<JominyReproductionInput, 'samples' | 'layout'>): string {
  const heats = countHeats(input.samples);
  const rows = heats === input.samples.length ? '' : ` (${input.samples.length} rows)`;
  return `${heats} heats${rows}; ${input.layout.distancesMm.length} distances (${input.layout.unit}); ${input.layout.elements.length} elements (${input.layout.elements.join(', ')})`;
}

export function reportInputOf(ctx: ServiceContext, run: ExperimentRunRecord, results: ExperimentResultDto[], dataSummary?: string): ReproductionReportInput {
  return {
    estimateS: run.estimateS,
    ...(dataSummary ? { dataSummary } : {}),
    runId: run.id,
    kind: run.kind,
    budget: run.budget,
    seed: run.seed,
    backend: run.backend ?? 'unknown',
    fingerprint: run.fingerprint ?? 'unknown',
    synthetic: run.synthetic,
    inputs: run.inputs.names,
    startedAt: run.createdAt,
    generatedAt: new Date().toISOString(),
    elapsedMs: run.elapsedMs,
    attempts: run.attempt,
    version: ctx.version,
    results,
    language: reportLanguageOf(ctx, run),
  };
}

/** The estimate's progress line: the time, what it sums and, for a quick budget, that sizes are reduced. */
function experimentsEstimate(seconds: number, basis: string | null, quick: boolean): Phrase {
  const { time, unit } = durationParams(seconds);
  if (basis) return quick ? phrase('jobs.experiments.estimateBasisQuick', { time, unit, basis }) : phrase('jobs.experiments.estimateBasis', { time, unit, basis });
  return quick ? phrase('jobs.experiments.estimateQuick', { time, unit }) : phrase('jobs.experiments.estimate', { time, unit });
}

/** The run's report language: the one chosen at its start, else the interface language chosen in Settings, else English. */
function reportLanguageOf(ctx: ServiceContext, run: ExperimentRunRecord): ReportLanguage {
  const ui = ctx.repos.settings.get<string>('ui.language');
  return run.inputs.language ?? (ui === 'zh' || ui === 'it' || ui === 'en' ? ui : 'en');
}

export function estimateWords(seconds: number): string {
  return seconds < 90 ? `${Math.round(seconds)} s` : seconds < 5400 ? `${(seconds / 60).toFixed(1)} min` : `${(seconds / 3600).toFixed(1)} h`;
}

async function executeRun(ctx: ServiceContext, deps: ExperimentsDeps, runId: number, ctl: JobControl): Promise<ReproductionJobResult> {
  const repo = createExperimentRunsRepo(ctx.db);
  const t0 = performance.now();
  let run = repo.get(runId);
  let unitsComputed = 0;
  let estimateS: number | null = null;
  try {
    ctl.progress(0, run.budget === 'quick' ? phrase('jobs.experiments.loadingQuick') : phrase('jobs.experiments.loadingFull'));
    const done = repo.units(runId);
    const finished = repo.results(runId).map((r) => r.id);
    const base = { registryModule: registryModuleUrl(), budget: run.budget, seed: run.seed, backend: ctx.backendPreference(), done, finished };
    let workerData: ReproduceWorkerInput;
    let dataSummary: string;
    if (run.kind === 'segregation') {
      const data = await loadSegregationData(ctx.db, deps.sections, run.inputs.billetIds ?? [], {
        budget: run.budget,
        seed: run.seed,
        signal: ctl.signal,
        onProgress: (f, m) => ctl.progress(0.05 * f, m),
      });
      if (run.fingerprint && run.fingerprint !== data.fingerprint) {
        throw ApiError.said('failed_precondition', phrase('errors.experiments.dataChanged', { run: runId, was: run.fingerprint.slice(0, 12), now: data.fingerprint.slice(0, 12) }));
      }
      repo.describe(runId, { fingerprint: data.fingerprint, synthetic: data.synthetic });
      workerData = { ...base, kind: 'segregation', data, pretrainedDir: run.inputs.pretrainedDir ?? null, pretrainedPreprocess: run.inputs.pretrainedPreprocess ?? null };
      dataSummary = `${data.points.length} points with readings on ${data.billets.length} billet(s); ${data.size} px patches at the CNN's physical scale, raw and after CLAHE; ${data.splits.length} random splits by point (seed ${run.seed}: ${data.splits[0]?.train.length ?? 0} train / ${data.splits[0]?.val.length ?? 0} validation / ${data.splits[0]?.test.length ?? 0} test points)`;
    } else {
      const input = loadJominyInput(ctx.db, run.inputs.datasetId!);
      if (run.fingerprint && run.fingerprint !== input.fingerprint) {
        throw ApiError.said('failed_precondition', phrase('errors.experiments.datasetChanged', { run: runId }));
      }
      repo.describe(runId, { fingerprint: input.fingerprint, synthetic: input.synthetic });
      workerData = { ...base, kind: 'jominy', input };
      dataSummary = jominyDataSummary(input);
    }
    ctl.throwIfCancelled();
    const planned: string[] = run.experiments.length ? [...run.experiments] : [];
    /** How the estimate was scaled to this machine (a measured step), said with it. */
    let basis: string | null = null;
    await runWorker(new URL('../../experiments/reproduce.worker.js', import.meta.url), {
      workerData,
      signal: ctl.signal,
      what: 'the reproduction',
      onMessage: (raw) => {
        const m = raw as WorkerMsg;
        if (m.type === 'estimate') {
          estimateS = m.seconds!;
          repo.describe(runId, { estimateS });
          ctl.progress(0.05, experimentsEstimate(estimateS, basis, run.budget === 'quick'), { runId, estimateS });
        } else if (m.type === 'basis') basis = typeof m.message === 'string' ? m.message : null;
        else if (m.type === 'backend') repo.describe(runId, { backend: m.name! });
        else if (m.type === 'plan') {
          planned.splice(0, planned.length, ...m.experiments!);
          repo.describe(runId, { experiments: planned });
        } else if (m.type === 'unit') {
          repo.putUnit(runId, m.key!, m.value, m.elapsedMs!, run.attempt);
          unitsComputed++;
        } else if (m.type === 'result') {
          repo.putResult(runId, m.position!, m.result!);
          if (!planned.includes(m.result!.id)) {
            planned.push(m.result!.id);
            repo.describe(runId, { experiments: planned });
          }
          ctx.bus.emit({ type: 'data-changed', entity: 'experiment-run', id: runId });
        } else if (m.type === 'progress') {
          ctl.progress(0.05 + 0.9 * m.fraction!, m.message!, { runId, estimateS, unitsComputed, unitsReused: Object.keys(done).length });
        }
      },
    });
    ctl.throwIfCancelled();
    ctl.progress(0.96, phrase('jobs.experiments.report'));
    const elapsed = performance.now() - t0;
    run = repo.get(runId);
    const dir = reportDirOf(ctx, run);
    const files = await writeReproductionReport(dir, reportInputOf(ctx, { ...run, elapsedMs: run.elapsedMs + elapsed }, repo.results(runId), dataSummary));
    repo.finish(runId, 'done', { elapsedMs: performance.now() - t0 });
    ctx.bus.emit({ type: 'data-changed', entity: 'experiment-run', id: runId });
    return { runId, state: 'done', reportDir: dir, ...files, estimateS, unitsComputed, unitsReused: Object.keys(done).length, experiments: planned };
  } catch (err) {
    const cancelled = ctl.signal.aborted || (err instanceof Error && (err.name === 'AbortError' || err.name === 'CancelledError'));
    // the failure's phrase (a refusal, a said worker failure) is stored beside its English words: the Experiments view words it
    repo.finish(runId, cancelled ? 'cancelled' : 'failed', { error: cancelled ? null : err instanceof Error ? err.message : String(err), errorPhrase: cancelled ? null : toErrorBody(err).phrase, elapsedMs: performance.now() - t0 });
    ctx.bus.emit({ type: 'data-changed', entity: 'experiment-run', id: runId });
    throw err;
  }
}

function label(run: ExperimentRunRecord, resume: boolean): Phrase {
  const params = { kind: run.kind, budget: run.budget, names: run.inputs.names.join(', ').slice(0, 170) };
  return resume ? phrase('jobs.experiments.resumeLabel', { kind: params.kind, budget: params.budget, names: params.names }) : phrase('jobs.experiments.reproduceLabel', { kind: params.kind, budget: params.budget, names: params.names });
}

export function createReproductionJobs(ctx: ServiceContext, deps: ExperimentsDeps) {
  const repo = createExperimentRunsRepo(ctx.db);
  /** Run id → the job of this process that runs it. */
  const active = new Map<number, string>();
  const launch = (runId: number, resume: boolean): { job: JobInfo; runId: number } => {
    const job = ctx.jobs.start('experiments', label(repo.get(runId), resume), async (ctl) => {
      try {
        return await executeRun(ctx, deps, runId, ctl);
      } finally {
        active.delete(runId);
      }
    });
    active.set(runId, job.id);
    ctx.bus.emit({ type: 'data-changed', entity: 'experiment-run', id: runId });
    return { job, runId };
  };
  return {
    start(req: ReproductionRequest): { job: JobInfo; runId: number } {
      let names: string[];
      if (req.kind === 'segregation') {
        if (!req.billetIds?.length) throw ApiError.said('invalid_argument', phrase('errors.experiments.noBillet'), { field: 'billetIds' });
        if (new Set(req.billetIds).size !== req.billetIds.length) throw ApiError.said('invalid_argument', phrase('errors.cnn.billetTwice'), { field: 'billetIds' });
        names = req.billetIds.map((id) => deps.sections.billetName(id));
      } else {
        if (req.datasetId === undefined) throw ApiError.said('invalid_argument', phrase('errors.experiments.noDataset'), { field: 'datasetId' });
        names = [loadJominyInput(ctx.db, req.datasetId).name];
      }
      const run = repo.create({
        kind: req.kind,
        budget: req.budget,
        seed: req.seed,
        inputs: {
          ...(req.kind === 'segregation' ? { billetIds: req.billetIds } : { datasetId: req.datasetId }),
          ...(req.pretrainedDir ? { pretrainedDir: resolve(req.pretrainedDir) } : {}),
          ...(req.pretrainedPreprocess ? { pretrainedPreprocess: req.pretrainedPreprocess } : {}),
          ...(req.language ? { language: req.language } : {}),
          names,
        },
      });
      repo.describe(run.id, { reportDir: req.outDir ? resolve(req.outDir) : `reports/experiments/run-${run.id}` });
      return launch(run.id, false);
    },
    resume(id: number, opts: { outDir?: string } = {}): { job: JobInfo; runId: number } {
      const run = repo.get(id);
      if (!repo.reopen(id)) {
        throw ApiError.said('failed_precondition', run.state === 'done' ? phrase('errors.experiments.runDone', { id: String(id) }) : phrase('errors.experiments.runRunning', { id: String(id) }), { field: 'id' });
      }
      if (opts.outDir) repo.describe(id, { reportDir: resolve(opts.outDir) });
      return launch(id, true);
    },
    cancel(id: number): boolean {
      repo.get(id);
      const jobId = active.get(id);
      if (!jobId) return false;
      ctx.jobs.cancel(jobId);
      return true;
    },
  };
}
