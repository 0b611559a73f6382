import { createHash, randomUUID } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApiError } from '../../api/errors.js';
import { fixed, phrase, type Phrase } from '../../api/phrase.js';
import type { ParsedInput } from '../../api/contract.js';
import type { JobInfo } from '../../api/events.js';
import { biasedHighPhrase, modelBelowScale, modelDistances } from '../../jominy/index.js';
import { type BaselineName, countHeats, minTrainingHeats, splitHeats, splitShortOfPoint, splitHeatCounts, heldOutGrades, MIN_POINT_HEATS, DEFAULT_ENSEMBLE_SIZE, lowestPointCoverage, DEFAULT_MIN_ELEMENT_SHARE, describeInputHeats, inputHeatsPhrases, planInputHeats, trainInWorker } from '../../jominy/index.js';
import { wilsonInterval } from '../../jominy/normal.js';
import type { JominyServiceDeps } from './deps.js';
import { biasedHighOf } from './predictors.js';

/** Training a Jominy predictor as a job: BR training in a worker, then its file and row land together. */

const BACKEND = 'js + ml-matrix (worker threads)';
const BACKEND_DETAIL = 'one small MLP per Jominy point; Bayesian-regularised Levenberg–Marquardt with ml-matrix Cholesky; tfjs is not used: the nets have ≤ ~150 weights and LM needs dense solves';

/**
 * The finished training's message: test MAE, the split, the skill over the strongest baseline and the ensemble's
 * measured coverage — one code per combination, so each language words the whole sentence. An ensemble whose coverage
 * could not be measured (too few held-out heats to cross-fit, core/jominy/calibration.ts) says so rather than being
 * worded as if there were no interval. Which heats and elements the model learnt from was said when the job started,
 * and the model's page shows it (inputHeats). A coverage is stated with the held-out readings it was counted on and its
 * Wilson 90 % interval (`…Counted`), as every other stated coverage is; a calibration without that count (`readings`
 * absent) keeps the percentage-only words.
 */
export function trainedPhrase(
  mae: number,
  split: string,
  skill: { skill: number; strongest: BaselineName } | null,
  ensemble: { coverage: number | null; lowest: { coverage: number; distanceMm: number } | null; readings?: number | null } | null,
): Phrase {
  const m = fixed(mae, 2);
  const low = ensemble?.lowest ?? null;
  const c = ensemble === null ? 'none' : ensemble.coverage === null || low === null ? 'unmeasured' : fixed(100 * ensemble.coverage, 1);
  // the pooled coverage hides a distance the interval covers less (core/jominy/calibration.ts): its lowest is beside it
  const lowest = fixed(100 * (low?.coverage ?? 0), 1);
  const mm = low === null ? '' : String(+low.distanceMm.toFixed(2));
  // readings of one heat are correlated: the Wilson interval over readings is the narrowest honest one, not a heat-level one
  const readings = c !== 'none' && c !== 'unmeasured' && ensemble?.readings ? ensemble.readings : null;
  const wilson = readings === null ? null : wilsonInterval(ensemble!.coverage!, readings);
  const lo = fixed(100 * (wilson?.[0] ?? 0), 1);
  const hi = fixed(100 * (wilson?.[1] ?? 0), 1);
  if (skill === null) {
    if (c === 'none') return phrase('jominyJobs.trained', { mae: m, split });
    if (c === 'unmeasured') return phrase('jominyJobs.trainedCoverageUnmeasured', { mae: m, split });
    if (readings !== null) return phrase('jominyJobs.trainedCoverageCounted', { mae: m, split, coverage: c, readings, lo, hi, lowest, mm });
    return phrase('jominyJobs.trainedCoverage', { mae: m, split, coverage: c, lowest, mm });
  }
  const s = fixed(skill.skill, 2);
  // in a by-grade split the grade baseline of a held-out grade is the mean of the other grades (baselines.ts)
  if (skill.strongest === 'grade-mean' && split === 'by-grade') {
    if (c === 'none') return phrase('jominyJobs.trainedSkillOtherGrades', { mae: m, split, skill: s });
    if (c === 'unmeasured') return phrase('jominyJobs.trainedSkillOtherGradesCoverageUnmeasured', { mae: m, split, skill: s });
    if (readings !== null) return phrase('jominyJobs.trainedSkillOtherGradesCoverageCounted', { mae: m, split, skill: s, coverage: c, readings, lo, hi, lowest, mm });
    return phrase('jominyJobs.trainedSkillOtherGradesCoverage', { mae: m, split, skill: s, coverage: c, lowest, mm });
  }
  if (skill.strongest === 'grade-mean') {
    if (c === 'none') return phrase('jominyJobs.trainedSkillGrade', { mae: m, split, skill: s });
    if (c === 'unmeasured') return phrase('jominyJobs.trainedSkillGradeCoverageUnmeasured', { mae: m, split, skill: s });
    if (readings !== null) return phrase('jominyJobs.trainedSkillGradeCoverageCounted', { mae: m, split, skill: s, coverage: c, readings, lo, hi, lowest, mm });
    return phrase('jominyJobs.trainedSkillGradeCoverage', { mae: m, split, skill: s, coverage: c, lowest, mm });
  }
  if (skill.strongest === 'a255') {
    if (c === 'none') return phrase('jominyJobs.trainedSkillA255', { mae: m, split, skill: s });
    if (c === 'unmeasured') return phrase('jominyJobs.trainedSkillA255CoverageUnmeasured', { mae: m, split, skill: s });
    if (readings !== null) return phrase('jominyJobs.trainedSkillA255CoverageCounted', { mae: m, split, skill: s, coverage: c, readings, lo, hi, lowest, mm });
    return phrase('jominyJobs.trainedSkillA255Coverage', { mae: m, split, skill: s, coverage: c, lowest, mm });
  }
  if (c === 'none') return phrase('jominyJobs.trainedSkillTraining', { mae: m, split, skill: s });
  if (c === 'unmeasured') return phrase('jominyJobs.trainedSkillTrainingCoverageUnmeasured', { mae: m, split, skill: s });
  if (readings !== null) return phrase('jominyJobs.trainedSkillTrainingCoverageCounted', { mae: m, split, skill: s, coverage: c, readings, lo, hi, lowest, mm });
  return phrase('jominyJobs.trainedSkillTrainingCoverage', { mae: m, split, skill: s, coverage: c, lowest, mm });
}

/** A by-grade split as drawn: its grades held out, and each set's heats and share of the heats (task 27-L). */
export function byGradeSplitPhrase(seed: number, grades: string, heats: { train: number; validation: number; test: number }, askedTestFraction: number): Phrase {
  const n = heats.train + heats.validation + heats.test;
  const p = (k: number) => fixed((100 * k) / n, 1);
  return phrase('jominyJobs.byGradeSplitDrawn', { seed, grades, heats: n, test: heats.test, testPercent: p(heats.test), askedTestPercent: fixed(100 * askedTestFraction, 0), validation: heats.validation, validationPercent: p(heats.validation), train: heats.train, trainPercent: p(heats.train) });
}

export function createTrainingService({ repos, paths, jobs, bus }: JominyServiceDeps) {
  return {
    train(args: ParsedInput<'jominy.models.train'>): JobInfo {
      const ds = repos.datasets.getDataset(args.datasetId);
      const all = repos.datasets.allSamples(ds.id);
      // heats, not rows (core/jominy/heat-split.ts heatKeys): 20 heats with two bars each are 20 heats, not 40
      const allHeats = countHeats(all);
      // the fewest heats the split at these fractions can train on (36 at the defaults), not a promise of 30
      const min = minTrainingHeats({ testFraction: args.testFraction, validationFraction: args.validationFraction, split: args.split });
      if (allHeats < min)
        throw ApiError.said('failed_precondition', allHeats === all.length ? phrase('jominyErrors.tooFewHeats', { dataset: ds.name, n: allHeats, min }) : phrase('jominyErrors.tooFewHeatsRows', { dataset: ds.name, n: allHeats, rows: all.length, min }));
      // Element gaps (core/jominy/element-gaps.ts): an element analysed on too few heats is not an input; the
      // model learns, is calibrated and scored only on the heats that analysed every input — never a 0 for a gap.
      // heatKeys: the heats keyed on the full rows, as counted here, go to the trainer with the restricted rows
      const { plan, samples, keys: heatKeys } = planInputHeats(all, ds.layout.elements, args.minElementShare ?? DEFAULT_MIN_ELEMENT_SHARE);
      if (plan.usedHeats < min)
        throw ApiError.said('failed_precondition', phrase('jominyErrors.tooFewComplete', { dataset: ds.name, used: plan.usedHeats, all: plan.datasetHeats, min, detail: describeInputHeats(plan).join('; ') }), { field: 'minElementShare' });
      if (args.inputs) {
        args.inputs.forEach((inp, p) => {
          const label = ds.layout.labels[p] ?? `point ${p + 1}`;
          if (inp && inp.points.some((k) => k >= p)) throw ApiError.said('invalid_argument', phrase('jominyErrors.inputsEarlierOnly', { label }), { field: `inputs.${p}.points` });
          if (inp && inp.elements.length + inp.points.length === 0) throw ApiError.said('invalid_argument', phrase('jominyErrors.needsInput', { label }), { field: `inputs.${p}` });
          const absent = inp?.elements.filter((el) => !ds.layout.elements.includes(el)) ?? [];
          if (absent.length) throw ApiError.said('invalid_argument', phrase('jominyErrors.inputsNotAnalysed', { label, elements: absent.join(', '), dataset: ds.name }), { field: `inputs.${p}.elements` });
          const sparse = inp?.elements.filter((el) => !plan.inputElements.includes(el)) ?? [];
          if (sparse.length) {
            const detail = describeInputHeats({ ...plan, leftOut: 0, dropped: plan.dropped.filter((d) => sparse.includes(d.element)) }).join('; ');
            throw ApiError.said('invalid_argument', phrase('jominyErrors.inputsSparse', { label, detail }), { field: `inputs.${p}.elements` });
          }
        });
      }
      const split = args.split ?? 'random';
      // by grade: the fractions the seed's whole grades give, said when the job starts (two grades: the test set is one
      // grade, whatever its share — 3 of 36 heats is 8 % where 30 % was asked), not refused
      let drawnSplit: Phrase | null = null;
      if (split === 'by-grade') {
        // heats without a grade, not rows (a heat's retest is no second heat to name)
        const missing = new Set(heatKeys.filter((_, i) => samples[i].grade === null)).size;
        if (missing) throw ApiError.said('failed_precondition', phrase('jominyErrors.byGradeNoGrade', { missing, dataset: ds.name }), { field: 'split' });
        const grades = new Set(samples.map((s) => s.grade)).size;
        if (grades < 2) throw ApiError.said('failed_precondition', phrase('jominyErrors.byGradeOneGrade', { dataset: ds.name, grades }), { field: 'split' });
        // the split this seed draws (whole grades held out until their heats reach the test fraction), checked before the
        // job starts: a split that leaves a set short of a point's minimum would skip every point in the worker
        const drawn = splitHeats(samples, { mode: 'by-grade', seed: args.seed, testFraction: args.testFraction ?? 0.3, validationFraction: args.validationFraction ?? 0.15, keys: heatKeys });
        const short = splitShortOfPoint(drawn, heatKeys);
        if (short) throw ApiError.said('failed_precondition', phrase('jominyErrors.byGradeSplitShort', { dataset: ds.name, seed: args.seed, grades: heldOutGrades(samples, heatKeys, drawn.testIdx), train: short.train, validation: short.validation, test: short.test, minTrain: MIN_POINT_HEATS.train, minValidation: MIN_POINT_HEATS.validation, minTest: MIN_POINT_HEATS.test }), { field: 'split' });
        drawnSplit = byGradeSplitPhrase(args.seed, heldOutGrades(samples, heatKeys, drawn.testIdx), splitHeatCounts(drawn, heatKeys), args.testFraction ?? 0.3);
      }
      // The dataset's own distances and elements: each point network trains on the heats that measured it,
      // and no element the dataset lacks is an input (core/jominy/predictor.ts).
      const layout = { distancesMm: ds.layout.distancesMm, labels: ds.layout.labels, elements: plan.inputElements };
      const opts = { seed: args.seed, split, layout, testFraction: args.testFraction, validationFraction: args.validationFraction, maxHidden: args.maxHidden, epochs: args.epochs, inputs: args.inputs ?? null, ensemble: args.ensemble ?? DEFAULT_ENSEMBLE_SIZE, heatKeys };
      // Heats left out below 20 HRC on import (core/jominy/below-scale.ts): where their share of the model's own heats
      // tested at a point is material, that point's network and baselines are flagged biased high — at the start and
      // with the model. Judged over the heats it takes, not the dataset's: its subset's share can differ either way.
      const belowScale = modelBelowScale(ds, all, repos.datasets.belowScaleFrom(ds.id), plan, samples, heatKeys);
      const name = args.name ?? `JoMiner on ${ds.name}`;
      // the label in the user's language: a name the user gave is quoted as given, the default one is worded
      const label = args.name === undefined ? phrase('jobLabels2.jominyTrainOn', { dataset: ds.name }) : phrase('jobLabels2.jominyTrain', { name: args.name });
      return jobs.start('jominy.train', label, async (ctl) => {
        const t0 = Date.now();
        for (const line of inputHeatsPhrases(plan)) ctl.progress(0, line);
        if (drawnSplit) ctl.progress(0, drawnSplit);
        for (const p of belowScale.points ?? []) if (p.biasedHigh) ctl.progress(0, biasedHighPhrase(p, String(+p.distanceMm.toFixed(2)), belowScale.over));
        const trained = await trainInWorker(samples, opts, { signal: ctl.signal, onProgress: (f, m) => ctl.progress(f * 0.98, m) });
        // the model's points, and a flagged distance skipped for too few heats (the heats left out can be what pushed it
        // under the minimum): no network there, but the value shown there is held or read between points — still flagged
        const points = modelDistances(trained);
        const isPoint = (mm: number) => points.some((d) => Math.abs(d - mm) < 1e-9);
        const model = {
          ...trained,
          inputHeats: plan,
          belowScale: belowScale.points === null ? null : belowScale.points.flatMap((p) => (isPoint(p.distanceMm) ? [p] : p.biasedHigh ? [{ ...p, skipped: true }] : [])),
          // a pre-030 dataset whose heats the model does not all take: the dataset's flags, said to be the dataset's
          ...(belowScale.over === 'model' ? { belowScaleOver: 'model' as const } : {}),
          ...(belowScale.notRecorded ? { belowScaleNotRecorded: belowScale.notRecorded } : {}),
        };
        ctl.throwIfCancelled();
        mkdirSync(paths.models, { recursive: true });
        const rel = join('models', `jominy-${randomUUID()}.json`);
        const fingerprint = createHash('sha256').update(JSON.stringify(samples.map((s) => [s.chemistry, s.hardness]))).digest('hex');
        let modelId: number;
        try {
          // File and row land together: the file is written inside the row's write transaction, so the open-time
          // sweep of models/ (core/app/orphan-models.ts), which takes the same lock, never sees it half-done.
          modelId = repos.models.insertModelWithFile(
            {
              name,
              path: rel,
              architecture: model.nets.map((n) => ({ point: n.point, elements: n.elements, points: n.points, nh: n.nh, nw: n.nw })),
              hyper: { ...opts, minElementShare: plan.minShare, maxHidden: model.training.maxHidden, epochs: model.training.epochs, testFraction: model.split.testFraction, validationFraction: model.split.validationFraction },
              seed: args.seed,
              fingerprint,
              // heats and rows both (a predictor stored before counted rows as n and datasetHeats; nothing reads those)
              dataset: { datasetId: ds.id, name: ds.name, heats: plan.usedHeats, rows: samples.length, datasetHeats: plan.datasetHeats, datasetRows: all.length, leftOut: plan.leftOut, rowsLeftOutInUsed: plan.rowsLeftOutInUsed, synthetic: ds.synthetic },
              backend: { name: BACKEND, detail: BACKEND_DETAIL },
              history: model.nets.map((n) => ({ point: n.point, search: n.search, gamma: n.gamma })),
              metrics: {
                ...model.metrics, split: { train: model.split.train, validation: model.split.validation, test: model.split.test, heats: model.split.heats, mode: split }, trainSeconds: (Date.now() - t0) / 1000,
                ...(model.ensemble ? { ensemble: { size: model.ensemble.size, coverage90: model.ensemble.calibration.coverage, coverage90Readings: model.ensemble.calibration.coverageReadings, calibrationVersion: model.ensemble.calibration.version, trainSeconds: model.ensemble.trainSeconds, estimatedSeconds: model.ensemble.estimatedSeconds } } : {}),
              },
              synthetic: ds.synthetic,
            },
            () => writeFileSync(join(paths.root, rel), JSON.stringify(model)),
          );
        } catch (e) {
          rmSync(join(paths.root, rel), { force: true });
          throw e;
        }
        bus.emit({ type: 'data-changed', entity: 'jominy-model', id: modelId });
        const skill = model.metrics.skill?.overall.skill.vsStrongest ?? null;
        ctl.progress(1, trainedPhrase(model.metrics.mae, split, skill === null ? null : { skill, strongest: model.metrics.skill!.strongest }, model.ensemble ? { coverage: model.ensemble.calibration.coverage, lowest: lowestPointCoverage(model.ensemble.calibration), readings: model.ensemble.calibration.coverageReadings ?? null } : null));
        return { modelId, mae: model.metrics.mae, r2: model.metrics.r2, skill, coverage90: model.ensemble?.calibration.coverage ?? null, inputHeats: plan, biasedHigh: biasedHighOf(model).map((p) => p.phrase) };
      });
    },
  };
}
