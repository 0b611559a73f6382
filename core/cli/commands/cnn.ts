import { copyFileSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { localClient } from '../../app/dispatch.js';
import type { AncestorOverlap, BilletPrediction, CnnMetrics, GradCamResult, ModelDetail, ModelSummary, StoredScaleCheck } from '../../api/methods/cnn.js';
import { allScaleWarnings } from '../../api/scale-check-words.js';
import type { TrainJobResult } from '../../services/cnn/index.js';
import { UsageError, intOption, numberOption, requireInt, requireString, type CliCommand } from '../command.js';
import { followJob } from '../run-job.js';
import { resolveBillet } from './segregation.js';
import type { AppContext } from '../../app/context.js';
import { parseStrictInteger } from '../../api/strict-decimal.js';
import { adapterName } from '../../api/gpu-adapter-name.js';
import { fitWords, sampleWords, R2_EQ2, R2_DETERMINATION } from '../../ml/fit-words.js';
import { coverageWords, heldOutPhrase } from '../../ml/conformal.js';
import { heldOutDistinctPoints } from '../../segregation/cnn/held-out-summary.js';
import { AUGMENTATIONS } from '../../imaging/augment.js';
import { scaleWarningLines } from '../scale-warning-lines.js';
import { english } from '../../runtime/english.js';

/** `ferrolab segregation train|predict|gradcam|runs` and `ferrolab model list|show|rename|delete|export|import`. */


// --billet BILLET as the positional BILLET arguments read it (resolveBillet: a name, an id, id:N; a number that is one
// billet's id and another's name refused): "--billet 3" had been id 3 without a word, and id:3 refused
const billetIdsOf = (ctx: AppContext, values: Record<string, unknown>): number[] => {
  const raw = values.billet;
  const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  if (!list.length) throw new UsageError('--billet BILLET is required (repeat it for several billets)');
  return list.map((v) => resolveBillet(ctx, String(v)));
};

const f4 = (v: number | null | undefined) => (v === null || v === undefined ? '–' : v.toFixed(4));
const ms = (m: { mean: number; sd: number }, d = 4) => `${m.mean.toFixed(d)} ± ${m.sd.toFixed(d)}`;

/** The mark `model list` puts beside a model trained on a section whose scale its tag contradicts (its base's included), or not checked. */
const scaleMark = (c: StoredScaleCheck): string => {
  if (c === null) return '  (scale vs tag: not recorded)';
  const w = allScaleWarnings(c);
  if (w.length) return `  SCALE CONTRADICTS TAG: ${w.map((x) => `${x.billetName} ${x.ratio.toFixed(2)}×`).join(', ')}`;
  return c.counts && c.counts.compared === 0 ? '  (scale vs tag: none could be checked)' : '';
};

/**
 * `model show` as text: what the model is and where it came from (a fine-tune's lineage), its physical scale and the
 * scale warnings stored with it, its split figures (a fine-tune's marked where its parent trained on the held-out
 * points), its intervals and its in-sample fit.
 */
export function modelShowReport(d: ModelDetail): string {
  const lines = [
    `model ${d.id}: ${d.name}${d.synthetic ? ' (synthetic data)' : ''}`,
    `created ${d.createdAt}; ${d.preset ?? '?'} ${d.architecture.inputSize}px, seed ${d.seed}; ${d.trainedBy ? `trained by: ${d.trainedBy}` : 'trained by: not recorded'}`,
    // what the stored weights trained on (76 of 85), not the dataset's count, which read as the training set
    `${english(d.trainingPointsPhrase)} (dataset ${d.datasetFingerprint.slice(0, 12)})`,
    ...(d.parentModelId !== null || d.lineage.length ? [`fine-tuned from: ${d.lineage.length ? d.lineage.map((l) => `${l.name} (#${l.id})`).join(' ← ') : `model ${d.parentModelId}`}`] : []),
    `physical scale: ${d.scale.label}`,
    ...scaleWarningLines(d.scaleWords),
    '',
  ];
  if (d.metrics) {
    lines.push(...splitLines(d.metrics, d.ancestorOverlap), ...blendLine(d.metrics), `intervals: ${coverageWords(d.calibration)}`);
    lines.push(`stored model trained on ${d.metrics.final.trainPoints.length} points; in-sample (its training points): ${fitWords(d.metrics.final.train)}`);
  } else lines.push(heldOutListWords(d.heldOut), `intervals: ${coverageWords(d.calibration)}`, 'no metrics recorded');
  return lines.join('\n');
}

/** A listed model's held-out fit: both R² named, the MAE beside the training mean's (a "test R²" alone read as "explains 61 %"). */
export function heldOutListWords(h: ModelSummary['heldOut']): string {
  if (!h) return 'held-out: none (trained without a test split)';
  const base = h.baselineMae ? `${ms(h.baselineMae)} wt.% predicting the training mean (baseline, no image)` : 'training-mean baseline not recorded';
  const o = h.ancestorOverlap;
  // a fine-tune's split points its parent trained on are held out from the fine-tune only (as the PDF card says)
  const held = !o ? 'held-out' : o.inAncestors ? `held-out from the fine-tune only: ${o.inAncestors} of ${o.n} points in the parent's training set` : `held-out from the fine-tune only, as far as can be told: ${o.unknown} of ${o.n} points of unknown sample (the parent is deleted)`;
  const cnn = `${R2_EQ2} ${ms(h.r2Eq2, 3)}, ${R2_DETERMINATION} ${h.r2Determination ? ms(h.r2Determination, 3) : '—'}, MAE ${ms(h.mae)} wt.% vs ${base}`;
  const splits = `${h.splits} ${h.splitMode} split${h.splits === 1 ? '' : 's'}${h.splitMode === 'leave-one-billet-out' ? ', each point held out once' : ''}`;
  // a blended model predicts the blend: its own MAE first (pooled over the residuals), the split figures are the CNN's alone
  if (h.blend)
    return h.blend.weightChosenOnThem
      ? `${held} (${splits}): model (texture blend) MAE ${f4(h.blend.mae)} wt.% on the ${h.blend.residuals} residuals its blend weight was chosen on (not a held-out figure); CNN alone: ${cnn}`
      : `${held} (${splits}): model (texture blend, weight chosen on the other splits) MAE ${f4(h.blend.mae)} wt.% pooled over ${h.blend.residuals} held-out residuals; CNN alone: ${cnn}`;
  return `${held} (${splits}): ${cnn}`;
}

/**
 * The k-split figures as the train report and `model show` print them; a fine-tune's splits whose held-out points a
 * parent trained on are marked (task 27-G): those figures are held out from the fine-tune only.
 */
function splitLines(metrics: CnnMetrics, overlap: AncestorOverlap | null | undefined): string[] {
  const lines = [
    `held-out test points of each split (R²eq2 = ${R2_EQ2}; R²det = ${R2_DETERMINATION}; bias = mean predicted − measured, wt.%)`,
    'split                    R²eq2   R²det    bias      MAE     RMSE    max|e|  MAE(mean)  best epoch',
  ];
  for (const s of metrics.splits) {
    const o = overlap?.splits.find((x) => x.name === s.name);
    const mark = o && (o.inAncestors || o.unknown) ? `  held-out from the fine-tune only: ${o.inAncestors ? `${o.inAncestors} of ${o.n} points in the parent's training set` : `${o.unknown} of ${o.n} points of unknown sample to the parent`}` : '';
    lines.push(
      `${s.name.padEnd(24)} ${f4(s.test?.r2).padStart(7)} ${f4(s.test?.r2Determination).padStart(7)} ${f4(s.test?.meanBias).padStart(8)} ${f4(s.test?.mae).padStart(7)} ${f4(s.test?.rmse).padStart(7)} ${f4(s.test?.maxAbsError).padStart(7)}  ${f4(s.testMaeOfTrainMean).padStart(9)}  ${s.bestEpoch}${mark}`,
    );
  }
  if (metrics.summary) {
    const t = metrics.summary.test;
    const opt = (m: { mean: number; sd: number } | undefined, d = 4) => (m ? ms(m, d) : '—');
    const held = overlap?.inAncestors ? 'held-out from the fine-tune only' : overlap?.unknown ? 'held-out from the fine-tune (the parent: unknown)' : 'held-out';
    // a blended model predicts the blend: these figures are the CNN's (the blend's line follows, blendLine)
    const which = metrics.blend ? `CNN alone, ${held}` : held;
    lines.push(
      '',
      `${which} over ${metrics.splits.length} splits: ${R2_EQ2} ${ms(t.r2, 3)}, ${R2_DETERMINATION} ${opt(t.r2Determination, 3)}, mean bias ${opt(t.meanBias)} wt.%, MAE ${ms(t.mae)} wt.%, RMSE ${ms(t.rmse)}, max |error| ${ms(t.maxAbsError)}`,
    );
  }
  if (overlap?.words.length) lines.push(overlap.english);
  return lines;
}

/** The split table is the CNN's: what a blended model predicts instead, with the held-out figures that chose it ([]: the CNN alone). */
function blendLine(metrics: CnnMetrics): string[] {
  const b = metrics.blend;
  if (!b) return [];
  return [
    `texture blend: the model predicts ${b.cnnWeight.toFixed(1)} × CNN + ${(1 - b.cnnWeight).toFixed(1)} × dark-phase-fraction model (weight chosen on ${english(heldOutPhrase(b.heldOut.points, heldOutDistinctPoints(metrics.splits, b.heldOut.points)))}: MAE CNN ${f4(b.heldOut.cnnMae)}, texture ${f4(b.heldOut.textureMae)}, blend ${f4(b.heldOut.blendMae)} wt.%, pooled over the residuals; ${typeof b.heldOut.crossChosenMae === 'number' ? `held-out, each split at the weight chosen on the other splits: blend ${f4(b.heldOut.crossChosenMae)} wt.%` : 'the blend figure is the one the weight was chosen on, not held-out'}); the split table is the CNN's alone, the intervals are the blend's`,
  ];
}

function trainReport(r: TrainJobResult): string {
  const lines = [
    `model ${r.modelId}: ${r.name}`,
    `backend: ${r.backend?.name ?? '?'} (${r.backend?.detail ?? ''})`,
    ...(r.backend?.trainedBy ? [`trained by: ${r.backend.trainedBy}`] : []),
    '',
    ...splitLines(r.metrics, r.ancestorOverlap),
  ];
  lines.push(...blendLine(r.metrics));
  if (r.estimate) {
    // both, and their ratio: how good the estimate was on this machine
    const took = r.epochSeconds;
    lines.push(`time: estimated ${r.estimate.seconds.toFixed(0)} s before the start (${r.estimate.basis}); the epochs took ${took.toFixed(0)} s (${(took / r.estimate.seconds).toFixed(2)} × the estimate)`);
  }
  const c = r.metrics.calibration;
  lines.push(
    c
      ? `intervals: ${coverageWords(c)} (${c.method}, calibrated on ${c.n} held-out split residuals, ${c.coverageProtocol}; mean ± ${c.meanHalfWidth.toFixed(4)} wt.%)`
      : 'intervals: none — the splits held out too few points to calibrate a 90 % interval (use more points or splits)',
  );
  lines.push(`stored model trained on ${r.metrics.final.trainPoints.length} points (best epoch ${r.metrics.final.bestEpoch}); in-sample (its training points): ${fitWords(r.metrics.final.train)}`);
  lines.push(`physical scale: ${r.scale.label}`);
  // as stored with the model: what was checked, each section trained at a scale its tag contradicts, a base's check
  lines.push(...scaleWarningLines(r.scaleWords));
  return lines.join('\n');
}

/** `segregation predict` as text: every point with its interval and what it is to the model, then the fit per sample label beside its baseline. */
export function predictionReport(r: BilletPrediction): string {
  const lines = [`${r.billetName}${r.synthetic ? ' (synthetic)' : ''} with model ${r.modelId} “${r.modelName}” on ${r.backend?.name ?? '?'}${r.backend?.adapter ? ` — ${adapterName(r.backend.adapter) || r.backend.adapter.vendor}` : ''} (${r.workers} worker${r.workers === 1 ? '' : 's'})`, r.intervalWords, 'point   pred (wt.%) [interval]          measured (wt.%)   point is to the model   flags'];
  for (const p of r.points) {
    const flags = [...(p.lowQuality ? ['low-quality patch'] : []), ...(p.outsideTrainingRange ? ['outside training range'] : [])].join(', ');
    const iv = p.interval ? `[${p.interval.lo.toFixed(4)}, ${p.interval.hi.toFixed(4)}]` : '[no interval]'.padEnd(16);
    // per point: the table mixed points the model trained on with held-out ones, unmarked
    lines.push(`${p.label.padEnd(7)} ${p.mean.toFixed(4)} ${iv}   ${p.actual === null ? '   –  ' : p.actual.toFixed(4)}            ${p.sample.padEnd(21)}   ${flags}`.trimEnd());
  }
  lines.push('', `scale: ${r.scale.label}`);
  if (r.scale.warning) lines.push(`WARNING: ${r.scale.warning}`);
  lines.push(`prediction as a whole: ${sampleWords(r.sample)} (decided by the section image's content hash and the point positions)`);
  // One line per label present: pooled figures would mix training points into a "test".
  for (const m of r.metricsBySample) {
    // beside each MAE, the baseline that knows no image on the same points: without it 0.0107 wt.% says nothing
    const base = m.baselineMae === null || r.trainingMean === null ? 'baseline not recorded with this model' : `baseline (the training mean ${r.trainingMean.toFixed(4)} wt.% at every point, no image) MAE ${m.baselineMae.toFixed(4)} wt.%`;
    lines.push(`${sampleWords(m.sample)}: ${fitWords(m)}, MAE ${m.mae.toFixed(4)} wt.%, max deviation ${m.maxDeviation.toFixed(4)} wt.% (n = ${m.n}); ${base}`);
  }
  // the intervals' coverage on this billet's own readings, per sample label (the stored coverage is the held-out splits')
  for (const c of r.readingsCoverage) lines.push(english(c.phrase));
  return lines.join('\n');
}

/**
 * `segregation gradcam` as text: the model's prediction of the patch first (as predict makes it), with its calibrated
 * interval, that interval's measured coverage and what the point is to the model; then the single view the overlays
 * explain, and each layer's dark/light activation.
 */
export function gradCamReport(v: GradCamResult): string {
  const m = v.modelPrediction;
  const iv = m.interval && v.calibration ? `${Math.round((1 - v.calibration.alpha) * 100)} % interval [${m.interval.lo.toFixed(4)}, ${m.interval.hi.toFixed(4)}] wt.%` : 'no calibrated interval';
  return [
    `point ${v.label}: model's prediction ${m.mean.toFixed(4)} wt.% (mean of 8 views), ${iv}; the point is ${sampleWords(m.sample)}`,
    `intervals: ${v.intervalWords}`,
    `single view the overlays explain (CNN alone): ${v.prediction.toFixed(4)} wt.%`,
    ...v.layers.map((l) => `layer ${String(l.convLayer).padStart(2)} ${l.layerName.padEnd(9)} ${l.regions ? `dark ${l.regions.inside.toFixed(3)} / light ${l.regions.outside.toFixed(3)}` : ''}`.trimEnd()),
  ].join('\n');
}

export const cnnCommands: CliCommand[] = [
  {
    path: ['segregation', 'train'],
    usage:
      'ferrolab segregation train --billet BILLET [--billet BILLET…] [--preset compact|paper] [--input-size PX] [--epochs N] [--patience N] [--batch 16|32|64] [--lr X] [--augment none|rotation|mirror|both] [--splits K] [--lobo] [--seed S] [--no-refit] [--no-clahe] [--no-input-norm] [--patch-mm MM] [--detail-mm-per-px X] [--texture-blend] [--name NAME] [--fine-tune MODEL] [--workers N] [--json]',
    summary: 'Train the carbon CNN (k splits by sampling point, mean ± sd metrics) and store the model',
    options: {
      billet: { type: 'string', multiple: true },
      preset: { type: 'string' },
      'input-size': { type: 'string' },
      epochs: { type: 'string' },
      patience: { type: 'string' },
      batch: { type: 'string' },
      lr: { type: 'string' },
      augment: { type: 'string' },
      splits: { type: 'string' },
      lobo: { type: 'boolean' },
      seed: { type: 'string' },
      'no-refit': { type: 'boolean' },
      'no-clahe': { type: 'boolean' },
      'no-input-norm': { type: 'boolean' },
      name: { type: 'string' },
      'fine-tune': { type: 'string' },
      'patch-mm': { type: 'string' },
      'detail-mm-per-px': { type: 'string' },
      'texture-blend': { type: 'boolean' },
      workers: { type: 'string' },
    },
    async run({ ctx, values, io }) {
      const preset = (values.preset as string | undefined) ?? 'compact';
      if (preset !== 'compact' && preset !== 'paper') throw new UsageError(`--preset must be compact or paper (got "${preset}")`);
      const inputSize = intOption(values, 'input-size');
      const hyper: Record<string, number | string> = {};
      for (const [flag, key] of [['epochs', 'epochs'], ['patience', 'patience'], ['batch', 'batchSize']] as const) {
        const v = intOption(values, flag);
        if (v !== undefined) hyper[key] = v;
      }
      const lr = numberOption(values, 'lr');
      if (lr !== undefined) hyper.learningRate = lr;
      const augment = values.augment as string | undefined;
      if (augment !== undefined) {
        if (!(AUGMENTATIONS as readonly string[]).includes(augment)) throw new UsageError(`--augment must be one of ${AUGMENTATIONS.join(', ')}, got "${augment}"`);
        hyper.augment = augment;
      }
      const job = await localClient(ctx!)['cnn.train']({
        billetIds: billetIdsOf(ctx!, values),
        preset,
        architecture: inputSize !== undefined ? { inputSize } : undefined,
        hyper,
        splits: intOption(values, 'splits'),
        splitMode: values.lobo ? 'leave-one-billet-out' : undefined,
        seed: intOption(values, 'seed'),
        refit: values['no-refit'] ? false : undefined,
        clahe: values['no-clahe'] ? false : undefined,
        inputNorm: values['no-input-norm'] ? 'none' : undefined,
        name: values.name as string | undefined,
        baseModelId: intOption(values, 'fine-tune'),
        patchMm: numberOption(values, 'patch-mm'),
        detailMmPerPx: numberOption(values, 'detail-mm-per-px'),
        textureBlend: values['texture-blend'] ? true : undefined,
        workers: intOption(values, 'workers'),
      });
      const end = await followJob(ctx!, io, job);
      io.result(end.result as TrainJobResult, trainReport);
    },
  },
  {
    path: ['segregation', 'workers'],
    usage: 'ferrolab segregation workers [N | --default] [--json]',
    summary: 'Gradient workers of data-parallel CNN training on wasm/cpu (a setting; `train --workers N` overrides it per run)',
    options: { default: { type: 'boolean' } },
    async run({ ctx, values, positionals, io }) {
      const arg = positionals[0];
      if (arg !== undefined && values.default) throw new UsageError('give a number of workers or --default, not both');
      let workers: number | null | undefined = values.default ? null : undefined;
      if (arg !== undefined) {
        const n = parseStrictInteger(arg);
        if (!n.ok) throw new UsageError(`workers: "${arg}" ${n.reason}`);
        workers = n.value;
      }
      const r = await localClient(ctx!)['cnn.trainWorkers']({ workers });
      io.result(r, (x) =>
        `training asks for ${x.workers} gradient worker${x.workers === 1 ? '' : 's'} (${x.setting === null ? `default: physical cores − 1 = ${x.default}, at most half the batch` : 'set'}); ${x.physicalCores} physical cores, ${x.workerCap} threads for all jobs together (maps and predictions share them)`,
      );
    },
  },
  {
    path: ['segregation', 'predict'],
    usage: 'ferrolab segregation predict --model ID --billet BILLET [--json]',
    summary: 'Carbon at every point of a billet (TTA mean) with its calibrated 90 % interval and the model’s measured coverage; both R², bias, MAE, max deviation per sample label (in-sample / held-out / out-of-sample) when readings exist',
    options: { model: { type: 'string' }, billet: { type: 'string' } },
    async run({ ctx, values, io }) {
      const modelId = intOption(values, 'model');
      if (modelId === undefined) throw new UsageError('--model is required');
      if (values.billet === undefined) throw new UsageError('--billet is required');
      const billetId = resolveBillet(ctx!, values.billet as string);
      const job = await localClient(ctx!)['cnn.predict']({ modelId, billetId });
      const end = await followJob(ctx!, io, job);
      io.result(end.result as BilletPrediction, predictionReport);
    },
  },
  {
    path: ['segregation', 'gradcam'],
    usage: 'ferrolab segregation gradcam --model ID --billet BILLET --point LABEL [--layer N|all] --out DIR [--json]',
    summary: "Grad-CAM overlays (PNG) of one point for one or all conv layers, with the model's prediction of the patch, its calibrated interval and the point's sample label",
    options: { model: { type: 'string' }, billet: { type: 'string' }, point: { type: 'string' }, layer: { type: 'string' }, out: { type: 'string' } },
    async run({ ctx, values, io }) {
      const modelId = intOption(values, 'model');
      if (modelId === undefined) throw new UsageError('--model is required');
      if (values.billet === undefined) throw new UsageError('--billet is required');
      const billetId = resolveBillet(ctx!, values.billet as string);
      const label = requireString(values, 'point');
      const out = resolve(requireString(values, 'out'));
      const layerArg = (values.layer as string | undefined) ?? 'all';
      let layers: 'all' | number[] = 'all';
      if (layerArg !== 'all') {
        const r = parseStrictInteger(layerArg);
        const n = r.ok ? r.value : NaN;
        if (!Number.isInteger(n) || n < 1) throw new UsageError(`--layer must be a positive integer or "all", got "${layerArg}"`);
        layers = [n];
      }
      const r = await localClient(ctx!)['cnn.gradcam']({ modelId, billetId, label, layers });
      mkdirSync(out, { recursive: true });
      const files: string[] = [];
      const copy = (rel: string) => {
        const dest = join(out, rel.split('/').pop()!);
        copyFileSync(join(ctx!.paths.root, rel), dest);
        files.push(dest);
      };
      copy(r.patchRel);
      for (const l of r.layers) copy(l.overlayRel);
      io.result({ ...r, files } as GradCamResult & { files: string[] }, (v) => `${gradCamReport(v)}\nwrote ${v.files.length} PNG files to ${out}`);
    },
  },
  {
    path: ['segregation', 'runs'],
    usage: 'ferrolab segregation runs [--json]',
    summary: 'Recent CNN training runs and their state (running, done, failed, cancelled, interrupted)',
    async run({ ctx, io }) {
      const runs = await localClient(ctx!)['cnn.runs.list']({});
      io.result(runs, (l) =>
        l.length
          ? l
              .map((r) => {
                const when =
                  r.state === 'interrupted'
                    ? `, found interrupted ${r.interruptedAt} (its process ended before it finished)`
                    : r.finishedAt
                      ? `, ended ${r.finishedAt}`
                      : '';
                return `${String(r.id).padStart(4)}  ${r.state.padEnd(11)}  started ${r.startedAt}${when}${r.modelId ? `  → model ${r.modelId}` : ''}${r.error ? `  (${r.error})` : ''}`;
              })
              .join('\n')
          : 'no training runs yet',
      );
    },
  },
  {
    path: ['model', 'list'],
    usage: 'ferrolab model list [--json]',
    summary: 'Stored carbon CNN models',
    async run({ ctx, io }) {
      const list = await localClient(ctx!)['cnn.models.list']({});
      io.result(list, (l: ModelSummary[]) =>
        l.length
          ? l
              .map(
                (m) =>
                  `${String(m.id).padStart(4)}  ${m.name}${m.synthetic ? ' (synthetic data)' : ''}  ${m.architecture.inputSize}px  ${m.scale.known ? `${m.scale.patchMm!.toPrecision(3)} mm patch` : 'SCALE UNKNOWN'}  ${heldOutListWords(m.heldOut)}  ${coverageWords(m.calibration)}${m.parentModelId ? `  fine-tuned from ${m.parentModelId}` : ''}${m.trainedBy ? `  (${m.trainedBy})` : '  (trained by: not recorded, before training kernels 2)'}${scaleMark(m.scaleCheck)}`,
              )
              .join('\n')
          : 'no models yet',
      );
    },
  },
  {
    path: ['model', 'show'],
    usage: 'ferrolab model show --model ID [--json]',
    summary: "One stored carbon CNN: its lineage, physical scale and stored scale warnings, split figures (a fine-tune's marked where its parent trained on the held-out points) and intervals",
    options: { model: { type: 'string' } },
    async run({ ctx, values, io }) {
      const m = await localClient(ctx!)['cnn.models.get']({ id: requireInt(values, 'model') });
      io.result(m, modelShowReport);
    },
  },
  {
    path: ['model', 'rename'],
    usage: 'ferrolab model rename --model ID --name NAME',
    summary: 'Rename a model',
    options: { model: { type: 'string' }, name: { type: 'string' } },
    async run({ ctx, values, io }) {
      const id = requireInt(values, 'model');
      const r = await localClient(ctx!)['cnn.models.rename']({ id, name: requireString(values, 'name') });
      io.result(r, (m) => `model ${m.id} is now “${m.name}”`);
    },
  },
  {
    path: ['model', 'delete'],
    usage: 'ferrolab model delete --model ID',
    summary: 'Delete a model and its files',
    options: { model: { type: 'string' } },
    async run({ ctx, values, io }) {
      const id = requireInt(values, 'model');
      await localClient(ctx!)['cnn.models.delete']({ id });
      io.result({ deleted: id }, () => `deleted model ${id}`);
    },
  },
  {
    path: ['model', 'export'],
    usage: 'ferrolab model export --model ID --out FILE',
    summary: 'Write a model (record + weights) to one file',
    options: { model: { type: 'string' }, out: { type: 'string' } },
    async run({ ctx, values, io }) {
      const id = requireInt(values, 'model');
      const r = ctx!.services.cnn.models.export(id, resolve(requireString(values, 'out')));
      io.result({ file: r.file, bytes: r.bytes }, (v) => `wrote ${v.file} (${v.bytes} bytes)`);
    },
  },
  {
    path: ['model', 'import'],
    usage: 'ferrolab model import --file FILE [--name NAME]',
    summary: 'Import a model file exported by Ferrolab',
    options: { file: { type: 'string' }, name: { type: 'string' } },
    async run({ ctx, values, io }) {
      const rec = ctx!.services.cnn.models.import(resolve(requireString(values, 'file')), values.name as string | undefined);
      io.result({ id: rec.id, name: rec.name }, (v) => `imported as model ${v.id} “${v.name}”`);
    },
  },
];
