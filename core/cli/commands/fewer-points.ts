import { localClient } from '../../app/dispatch.js';
import type { Correction, KCurveResult, PointPlan } from '../../api/methods/fewer-points.js';
import { UsageError, intOption, numberOption, strictInteger, type CliCommand } from '../command.js';
import { followJob } from '../run-job.js';
import { resolveBillet } from './segregation.js';
import type { AppContext } from '../../app/context.js';
import { sampleWords } from '../../ml/fit-words.js';
import { english } from '../../runtime/english.js';
import { fixed, phrase } from '../../api/phrase.js';

/** `ferrolab segregation propose-points | correct | k-curve`: measure fewer points on a new billet (issue 11 §6). */

const f4 = (v: number) => v.toFixed(4);
const pct = (v: number) => `${+(v * 100).toFixed(1)} %`;

/** --billet BILLET as the positional BILLET arguments read it (resolveBillet: name, id, id:N, an id/name collision refused). */
function ids(ctx: AppContext, values: Record<string, unknown>): { modelId: number; billetId: number } {
  const modelId = intOption(values, 'model');
  if (modelId === undefined) throw new UsageError('--model is required');
  if (values.billet === undefined) throw new UsageError('--billet is required');
  return { modelId, billetId: resolveBillet(ctx, values.billet as string) };
}

/** What weighted the proposal, as stored (a calibrated model's plan had been called "as given"). */
function widthWords(source: string): string {
  if (source === 'calibrated-interval') return "the model's calibrated interval half-widths";
  if (source === 'tta-sd') return 'the TTA spread (the model has no calibrated interval)';
  if (source === 'given') return 'as given';
  return `"${source}" (as stored)`;
}

/** The `propose-points` text report (exported for its test). */
export function planReport(p: PointPlan): string {
  const lines = [
    `point plan ${p.id}: analyse these ${p.k} points of billet ${p.billetId} (model ${p.modelId ?? '(deleted)'} “${p.modelName}”, seed ${p.seed}; widths: ${widthWords(p.widthSource)}, weight ${p.widthWeight}${p.widthWeight === 0 ? ' — recorded, not used' : ''})`,
    'pick  point     x mm     y mm   predicted ± sd (wt.%)   reading',
  ];
  for (const q of [...p.points].filter((q) => q.pick !== null).sort((a, b) => a.pick! - b.pick!)) {
    lines.push(`${String(q.pick).padStart(4)}  ${q.label.padEnd(7)} ${q.xMm.toFixed(1).padStart(8)} ${q.yMm.toFixed(1).padStart(8)}   ${f4(q.predicted)} ± ${f4(q.sd)}        ${q.reading === null ? '–' : f4(q.reading)}`);
  }
  lines.push('', `${p.measured} of ${p.k} have readings. Enter them (readings set / readings import), then: ferrolab segregation correct --model ${p.modelId ?? 'ID'} --billet id:${p.billetId}`);
  return lines.join('\n');
}

function methodOption(values: Record<string, unknown>): 'residual-kriging' | 'level-slope' | undefined {
  const m = values.method as string | undefined;
  if (m !== undefined && m !== 'residual-kriging' && m !== 'level-slope') throw new UsageError(`--method must be residual-kriging or level-slope, got "${m}"`);
  return m;
}

/** The `correct` command's text report (exported for its test). */
export function correctionReport(r: Correction): string {
  const c = r.correction;
  const lines = [`billet ${r.billetId} corrected with ${c.k} analysed point${c.k === 1 ? '' : 's'} of plan ${r.planId} (model ${r.modelId ?? '(deleted)'} “${r.modelName}”, seed ${r.seed})`];
  // the correction chosen on the readings' own leave-one-out errors, with every candidate's figure (task 21-C)
  if (r.choice) {
    const ch = r.choice;
    lines.push(`correction chosen: ${ch.chosenName} (the simplest candidate within ${ch.seMultiple.toFixed(2)} standard errors (the two-sided 95 % t quantile for ${ch.k} readings) of the best by leave-one-out MAE on the ${ch.k} readings${ch.outsideRange ? `; no correction was not a candidate: ${ch.analysedOutside} of ${ch.k} readings outside the model's training range` : ''})`);
    lines.push('   candidate               LOO MAE   against the best (± SE)');
    ch.candidates.forEach((cand, i) => lines.push(`   ${cand.name.padEnd(22)}  ${f4(cand.looMae)}    ${cand.allowed ? `${cand.excess >= 0 ? '+' : ''}${f4(cand.excess)} ± ${f4(cand.excessSe)}` : 'not a candidate'}${i === ch.chosen ? '   ← chosen' : ''}`));
  } else if (r.choice === null) lines.push('correction chosen: none to choose from with one reading (leave-one-out needs 2): the level');
  // "none" chosen with kriging is not uncorrected: no level or slope, but the residuals are kriged (they move the predictions near the readings)
  const kriged = c.method === 'residual-kriging';
  if (c.kind === 'none') {
    lines.push(kriged
      ? `no level or slope applied; the analysed points' residuals about the model's predictions are kriged, so the predictions move near them and stand far from them; residual sd of the readings about the model ${f4(c.residualSd)} wt.% (${c.df} df, pooled with the model's held-out RMSE ${f4(c.priorSd)})`
      : `no correction applied: the model's predictions stand; residual sd of the readings about them ${f4(c.residualSd)} wt.% (${c.df} df, pooled with the model's held-out RMSE ${f4(c.priorSd)})`);
  } else {
    const sign = (v: number) => `${v >= 0 ? '+' : ''}${f4(v)}`;
    lines.push(`level: mean reading − mean prediction = ${sign(c.offset)} wt.%; applied ${sign(c.appliedOffset)} (${Math.round(c.levelWeight * 100)} %: an offset small against its own noise, s/√K, is shrunk)`);
    lines.push(c.slopeTest ? `slope: ${c.slopeTest.reason}${c.kind === 'level+slope' ? ` → applied slope ${c.slope.toFixed(3)} (shrunk by its standard error)` : ''}` : r.choice ? 'slope: not used (the chosen correction has none)' : 'slope: not considered (fewer than 8 analysed points)');
    lines.push(`residual sd ${f4(c.residualSd)} wt.% (${c.df} df, pooled with the model's held-out RMSE ${f4(c.priorSd)})`);
  }
  if (c.kind !== 'none' || kriged) {
    if (c.variogram) {
      const v = c.variogram;
      lines.push(`residual kriging: covariance shape from the ${v.source}: ${Math.round(v.structuredShare * 100)} % spatially correlated, length scale ${v.lengthScaleMm.toFixed(0)} mm → on this billet sill sd ${f4(v.sillSd)}, nugget sd ${f4(v.nuggetSd)} wt.%`);
    } else lines.push('residual kriging: off (level/slope only)');
    lines.push(`${Math.round(c.level * 100)} % intervals: ${c.intervalMethod}`);
  }
  if (r.missing.length) lines.push(`proposed points without a reading (not used): ${r.missing.join(', ')}`);
  lines.push('', 'point     predicted  corrected   interval (wt.%)        reading');
  for (const p of r.points) {
    lines.push(`${p.label.padEnd(8)} ${f4(p.predicted)}    ${f4(p.corrected)}    [${f4(p.lower)}, ${f4(p.upper)}]   ${p.reading === null ? '–' : f4(p.reading)}${p.analysed ? '  (analysed)' : ''}`);
  }
  if (r.check) {
    lines.push('', `check on the ${r.check.n} points with readings that were not used (${sampleWords(r.check.sample)}): MAE ${f4(r.check.mae)} wt.% corrected vs ${f4(r.check.uncorrectedMae)} uncorrected; ${Math.round(r.check.coverage * 100)} % inside the intervals`);
  }
  // whether the K-curves' expected MAE applies to this billet (task 19-C)
  if (r.guard) lines.push('', `${r.guard.applies ? 'expected MAE' : 'EXPECTED MAE DOES NOT APPLY'}: ${r.guard.english}`);
  // the billet's own leave-one-out check, beside the expected MAE (task 20-C)
  if (r.ownCheck) lines.push(`own check (leave-one-out): ${r.ownCheck.english}`);
  if (r.map) {
    lines.push(`predicted map ${r.map.predictionId} (${r.map.field} field, ${r.map.cells} cells, stride ${r.map.strideMm} mm) corrected and stored with the map (layers corrected, corrected-uncertainty): mean ${f4(r.map.meanWtPct)} wt.% (was ${f4(r.map.uncorrectedMeanWtPct)}), range ${f4(r.map.minWtPct)}–${f4(r.map.maxWtPct)}, mean interval ± ${f4(r.map.meanHalfWidth)}`);
  } else {
    lines.push('no predicted map of this billet by this model to correct (maps.predict / ferrolab map --model first)');
  }
  return lines.join('\n');
}

export function curveTable(r: KCurveResult): string {
  const lines = [
    `expected MAE against K: model ${r.modelId ?? '(deleted)'} “${r.modelName}” on billet ${r.billetId} (${sampleWords(r.sample)}; ${r.points} measured points; ${r.selection === 'proposed' ? 'points as the workflow proposes them' : 'random points'}; ${r.draws} draws per K, seed ${r.seed}; correction ${r.method === 'residual-kriging' ? 'level/slope + residual kriging' : 'level/slope'})`,
    `MAE is over the points NOT analysed in each draw (held out from the correction), against their readings, wt.%${r.sample === 'out-of-sample' ? '' : r.sample === 'in-sample' ? '; the model trained on this billet, so to the model itself they are IN-SAMPLE: not what a new billet will show' : '; the model trained on this billet’s image, not on these points: held-out to the model, not out-of-sample'}`,
    'baselines on the same points: the model uncorrected, and no model — the mean of the K readings taken everywhere',
    ...(r.choice ? ['each draw’s correction chosen on its own K readings as the workflow does (the simplest candidate within 2 SE of the best by leave-one-out MAE): the figures are those of the whole procedure'] : []),
    `   K   MAE corrected (mean ± sd, min–max)      MAE uncorrected   MAE mean of K readings   coverage of ${pct(r.level)} intervals   slope used   own check (LOO of the K readings, mean ± sd)`,
  ];
  for (const row of r.rows) {
    const loo = row.looMae !== undefined ? `${f4(row.looMae)} ± ${f4(row.looMaeSd ?? 0)}` : '–';
    const chosen = row.chosen ? `   chosen: ${Object.entries(row.chosen).sort((a, b) => b[1] - a[1]).map(([n, v]) => `${n} ${(v * 100).toFixed(0)} %`).join(', ')}` : '';
    const meanOnly = row.readingsMeanMae !== undefined ? f4(row.readingsMeanMae) : '  –   ';
    lines.push(`${String(row.k).padStart(4)}   ${f4(row.mae)} ± ${f4(row.maeSd)} (${f4(row.maeMin)}–${f4(row.maeMax)})      ${f4(row.uncorrectedMae)}            ${meanOnly}                   ${(row.coverage * 100).toFixed(0).padStart(3)} %                      ${`${(row.slopeShare * 100).toFixed(0)} %`.padEnd(13)}${loo}${chosen}`);
  }
  if (r.range?.outside) lines.unshift(`NOT THE EXPECTED MAE OF BILLETS THE MODEL KNOWS: ${r.range.english}`);
  if (r.floor) lines.push(english(phrase('fewer18.floor', { points: r.floor.points, level: fixed(r.floor.level, 4), levelSlope: fixed(r.floor.levelSlope, 4) })));
  return lines.join('\n');
}

export const fewerPointsCommands: CliCommand[] = [
  {
    path: ['segregation', 'propose-points'],
    usage: 'ferrolab segregation propose-points --model ID --billet BILLET --k K [--seed S] [--width-weight W] [--json]',
    summary: 'Propose K points of a billet to analyse (one per region of the section and of the range of predictions, seeded); stored with its seed',
    options: { model: { type: 'string' }, billet: { type: 'string' }, k: { type: 'string' }, seed: { type: 'string' }, 'width-weight': { type: 'string' } },
    async run({ ctx, values, io }) {
      const { modelId, billetId } = ids(ctx!, values);
      const k = intOption(values, 'k');
      if (k === undefined) throw new UsageError('--k is required (how many points to analyse)');
      const job = await localClient(ctx!)['fewerPoints.propose']({ modelId, billetId, k, seed: intOption(values, 'seed'), widthWeight: numberOption(values, 'width-weight') });
      const end = await followJob(ctx!, io, job);
      io.result(end.result as PointPlan, planReport);
    },
  },
  {
    path: ['segregation', 'correct'],
    usage: 'ferrolab segregation correct --model ID --billet BILLET [--plan ID] [--level 0.9] [--method residual-kriging|level-slope] [--json]',
    summary: 'Correct the model on a billet with the readings present at its proposed points (none, level, or level and slope, each ± residual kriging by default, chosen on the readings’ own leave-one-out errors): every point and the predicted map with intervals, the corrected map stored with it',
    options: { model: { type: 'string' }, billet: { type: 'string' }, plan: { type: 'string' }, level: { type: 'string' }, method: { type: 'string' } },
    async run({ ctx, values, io }) {
      const { modelId, billetId } = ids(ctx!, values);
      const r = await localClient(ctx!)['fewerPoints.correct']({ modelId, billetId, planId: intOption(values, 'plan'), level: numberOption(values, 'level'), method: methodOption(values) });
      io.result(r, correctionReport);
    },
  },
  {
    path: ['segregation', 'k-curve'],
    usage: 'ferrolab segregation k-curve --model ID --billet BILLET [--ks 0,2,4,6,8,12,16] [--draws 20] [--seed S] [--selection proposed|random] [--method residual-kriging|level-slope] [--json]',
    summary: 'Held-out experiment on a fully measured billet: expected MAE of the corrected model on the points not analysed, per K (choose K from it); stored',
    options: { model: { type: 'string' }, billet: { type: 'string' }, ks: { type: 'string' }, draws: { type: 'string' }, seed: { type: 'string' }, selection: { type: 'string' }, method: { type: 'string' } },
    async run({ ctx, values, io }) {
      const { modelId, billetId } = ids(ctx!, values);
      const ks = typeof values.ks === 'string' ? values.ks.split(',').map((s) => strictInteger(s.trim(), '--ks')) : undefined;
      const selection = values.selection as string | undefined;
      if (selection !== undefined && selection !== 'proposed' && selection !== 'random') throw new UsageError(`--selection must be proposed or random, got "${selection}"`);
      const job = await localClient(ctx!)['fewerPoints.curve']({ modelId, billetId, ks, draws: intOption(values, 'draws'), seed: intOption(values, 'seed'), selection, method: methodOption(values) });
      const end = await followJob(ctx!, io, job);
      io.result(end.result as KCurveResult, curveTable);
    },
  },
];
