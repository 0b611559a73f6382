import { english } from '../../runtime/english.js';
import { readFileSync } from 'node:fs';
import { writeFileWhole } from '../../runtime/write-whole.js';
import type { AppContext } from '../../app/context.js';
import { localClient } from '../../app/dispatch.js';
import type { DesignSettings, JominyEvaluation, JominyModelDetail, TargetInput } from '../../api/methods/jominy.js';
import { UsageError, intOption, numberOption, requireInt, requireString, strictInteger, strictNumber, type CliCommand } from '../command.js';
import { parseChemistryRanges, parseChemistryText, parseElementNumbers, type ChemistryParse } from '../../api/jominy-chemistry.js';
import { COST_PRESET, DISTANCES_MM, ELEMENTS, SIXTEENTH_MM, wholeNumbersCouldBeSixteenths, SYNTH_DESCRIPTION, SYNTH_MODEL_ID, WEIGHT_PRESETS, generateSynthetic, writeJominyCsv } from '../../jominy/index.js';
import { followJob } from '../run-job.js';
import { findGrade } from './jominy-grade-lookup.js';
import { IMPORT_OPTIONS, importFlags, importJominyCsv, heatsText } from './jominy-datasets.js';
import { coverageText, intervalCoverageText, modelListLine, parseTolerances, uncertaintyLines } from './jominy-uncertainty.js';
import { elementGapsText, inputHeatsText } from './jominy-gaps-text.js';
import { cappedNote, sessionListLine, sessionText } from './jominy-session-text.js';
import { decodeCsvBytes } from '../../runtime/csv-bytes.js';

/** `ferrolab jominy synth|train|predict|design|sessions|evaluate`: thin verbs over the jominy.* contract. */
// Length (~305 lines): every jominy verb in one table; the ensemble's report lines live in jominy-uncertainty.ts.


function importCsv(ctx: AppContext, file: string, values: Record<string, unknown> = {}) {
  return importJominyCsv(ctx, file, importFlags(values));
}

/** A flag read by one of the shared chemistry readers (core/api/jominy-chemistry.ts, the UI uses the same); its errors are usage errors. */
function chemistryFlag<T>(parsed: ChemistryParse<T>, what: string): T {
  if (!parsed.ok) throw new UsageError(`${what}: ${parsed.errors.join('; ')}`);
  return parsed.value;
}

/**
 * `--target`: 15 values, one per standard distance; an empty entry or `-` leaves that distance unconstrained (null), as
 * the design page's empty cell does: how a CLI user leaves out the distances a predictor does not reach.
 */
export function parseTarget15(text: string): (number | null)[] {
  const parts = text.split(',');
  if (parts.length !== 15) throw new UsageError(`--target: give 15 comma-separated values (one per distance ${DISTANCES_MM.join(', ')} mm; - or nothing for a distance not constrained)`);
  return parts.map((s, i) => (s.trim() === '' || s.trim() === '-' ? null : strictNumber(s, `--target at ${DISTANCES_MM[i]} mm`)));
}

/** The --target a user gave with the distances a refusal named left empty (-): what to type instead. */
export function targetWithout(hardness: readonly (number | null)[], distancesMm: readonly number[]): string {
  return hardness.map((v, i) => (v === null || distancesMm.includes(DISTANCES_MM[i]) ? '-' : String(v))).join(',');
}

function parse15(text: string, what: string): number[] {
  const parts = text.split(',');
  const v = parts.map((s, i) => strictNumber(s, `${what} at ${DISTANCES_MM[i] ?? '?'} mm`));
  if (v.length !== 15) throw new UsageError(`${what}: give 15 comma-separated numbers (one per distance ${DISTANCES_MM.join(', ')} mm)`);
  return v;
}

/**
 * Band file: lines `distance_mm,min,max` (min or max may be empty); a header line is allowed. Distances are mm: a file of
 * whole numbers only (5, 9, 15) could be an H-band's sixteenths (SAE J1268: J5 = 7.94 mm) and is refused until the
 * header says mm or a line `# distance-unit: mm` declares it — the rule of the dataset importer
 * (core/jominy/csv-columns.ts wholeNumbersCouldBeSixteenths); another declared unit is refused, as band files are mm.
 * A distance given on two lines is refused naming both: the last had silently won (1.5,52,59 then 1.5,50,57 designed
 * with 50–57).
 */
export function parseBandFile(text: string): TargetInput {
  const min: (number | null)[] = DISTANCES_MM.map(() => null);
  const max: (number | null)[] = DISTANCES_MM.map(() => null);
  let saysMm = false;
  const distances: string[] = [];
  // per standard distance: the line that gave it, as numbered and written
  const givenOn: ({ line: number; text: string } | undefined)[] = DISTANCES_MM.map(() => undefined);
  text.split(/\r?\n/).forEach((line, i) => {
    const t = line.trim();
    if (!t) return;
    if (t.startsWith('#')) {
      // the dataset importer's declaration: mm settles whole-number distances; a band in another unit is no band file
      const unit = /^#\s*distance[-_ ]unit\s*:\s*(.*)$/i.exec(t);
      if (unit) {
        if (unit[1].trim().toLowerCase() !== 'mm') throw new UsageError(`band file line ${i + 1}: "${t}": band files are in mm (distance_mm,min,max); write the distances in mm`);
        saysMm = true;
      }
      return;
    }
    if (/^[a-z_ ()[\]]+[,;]/i.test(t)) {
      if (/mm/i.test(t.split(/[,;]/)[0]!)) saysMm = true;
      return;
    }
    const fields = t.split(/[,;]/).map((s) => s.trim());
    // empty fields a spreadsheet leaves at the end are no values; any other beyond the third had been dropped without a
    // word ("3;50;58,5" read as max 58)
    while (fields.length > 3 && fields[fields.length - 1] === '') fields.pop();
    if (fields.length > 3) {
      const extra = fields.slice(3).map((f) => `"${f}"`).join(', ');
      const hint = t.includes(';') && t.includes(',') ? ' — a decimal comma splits a number in two: write decimal points' : '';
      throw new UsageError(`band file line ${i + 1}: "${t}" has ${fields.length} fields where a band line has 3 (distance, min, max): ${extra} ${fields.length === 4 ? 'has' : 'have'} no column${hint}`);
    }
    const [d, lo, hi] = fields;
    distances.push(d ?? '');
    const k = DISTANCES_MM.indexOf(strictNumber(d ?? '', `band file line ${i + 1}, distance`) as (typeof DISTANCES_MM)[number]);
    if (k < 0) throw new UsageError(`band file line ${i + 1}: ${d} mm is not a standard Jominy distance`);
    const first = givenOn[k];
    if (first) throw new UsageError(`band file lines ${first.line} and ${i + 1} both give ${DISTANCES_MM[k]} mm ("${first.text}" and "${t}"): a distance has one band line; delete the one that is wrong`);
    givenOn[k] = { line: i + 1, text: t };
    const num = (s: string | undefined, col: string) => (s === undefined || s === '' ? null : strictNumber(s, `band file line ${i + 1}, ${col}`));
    min[k] = num(lo, 'min');
    max[k] = num(hi, 'max');
  });
  if (!saysMm && wholeNumbersCouldBeSixteenths(distances.map(Number))) {
    const n = Number(distances[0]);
    throw new UsageError(`band file: the distances ${distances.join(', ')} are whole numbers and no header line says mm: they could be sixteenths of an inch (an H-band's J${n} is ${(n * SIXTEENTH_MM).toFixed(2)} mm) or mm; band files are in mm — start the file with the line "distance_mm,min,max" (or "# distance-unit: mm")`);
  }
  return { kind: 'band', min, max };
}

/** --search: the design search (default: GA then CMA-ES refinement; paper-ga: the paper's GA alone). */
function searchOption(values: Record<string, unknown>): 'default' | 'paper-ga' | undefined {
  const v = values.search;
  if (v === undefined) return undefined;
  if (v !== 'default' && v !== 'paper-ga') throw new UsageError(`--search must be default or paper-ga (got "${String(v)}")`);
  return v;
}

/** --ranges (evaluate): the training data's min–max (the paper's protocol) or its 1st–99th percentiles (a design's default box). */
function rangesOption(values: Record<string, unknown>): 'domain' | 'p1-p99' | undefined {
  const v = values.ranges;
  if (v === undefined) return undefined;
  if (v !== 'domain' && v !== 'p1-p99') throw new UsageError('--ranges must be domain or p1-p99');
  return v;
}

/** Which heats an evaluation's designs aimed at, and whether the predictor learnt from them (in-sample) or not. */
export function evaluationTargetsLine(e: JominyEvaluation): string {
  const p = e.params as { targetSource?: string; learntTargets?: number | null; targetHeats?: number };
  const n = e.runs[0].targets;
  // targets are curves (rows): a retest is a second target of its heat; one stored before targetHeats says curves only
  const h = p.targetHeats;
  const test = h === n ? `${n} of the predictor's held-out test heats` : h === undefined ? `${n} curves of the predictor's held-out test heats` : `${n} curves of ${h} of the predictor's held-out test heats`;
  if (p.targetSource === 'model test heats') return `targets: ${test} (never learnt from: out-of-sample)`;
  const of = `targets: ${h === n ? `${n} heats` : h === undefined ? `${n} curves` : `${n} curves (${h} heats)`} of dataset ${e.datasetId}`;
  if (p.learntTargets === undefined) return `${of} (whether the predictor learnt from them was not recorded)`;
  if (p.learntTargets === null) return `${of} (the predictor's training dataset is deleted: whether it learnt from them cannot be told)`;
  if (p.learntTargets === 0) return `${of}, none of them learnt by the predictor (out-of-sample)`;
  return `${of}; the predictor learnt from ${p.learntTargets} of them (${p.learntTargets < n ? 'partly ' : ''}in-sample): ε there says how it fits heats it saw, not how it designs for new ones`;
}

/** What the evaluation's figures are, and their units. */
const evaluationLegend = (truth: boolean) =>
  `ε, E, S: mean, max and sd over the targets of |designed curve − target|, HRC, the designed curve as this predictor predicts it (not measured)${truth ? '; ε(truth): the same against the synthetic generator\'s curve of each design' : ''}; θ: that deviation relative to the target, %; ε[El]: |designed − target heat's| wt.%, ρ[El] = ε[El] / the training maximum`;

/** What the design is compared with (core/jominy/evaluate.ts: the nearest learnt heat's chemistry), and how it fares on the first run. */
function baselineLines(run: JominyEvaluation['runs'][number]): string[] {
  const b = run.nearestHeat;
  if (b === undefined) return ['baseline: none (this evaluation was stored before baselines were recorded)'];
  if (b === null) return ['baseline: none (the predictor\'s training dataset is deleted: no learnt heats to draw the obvious choice from)'];
  const verdict = (design: number, base: number) => (base < design ? 'the design does NOT beat it' : base > design ? 'the design beats it' : 'a tie');
  return [
    `baseline (the obvious choice): per target, the chemistry of the learnt heat whose measured curve is nearest the target's, scored like the design (this predictor's curve of it${b.truth ? '; ε(truth): the generator\'s' : ''})`,
    `  ε ${run.profile.eps.toFixed(3)} HRC designed vs ${b.profile.eps.toFixed(3)} HRC baseline (r ${run.r}, α ${run.alpha}), as this predictor sees them: ${verdict(run.profile.eps, b.profile.eps)}; the design is nearer the target on ${b.designNearer} of ${run.targets} targets, the baseline on ${b.baselineNearer}`,
    // the predictor's view flatters its own optimum: where the true curves are known, say what they say too
    ...(b.truth && run.truth ? [`  ε(truth) ${run.truth.eps.toFixed(3)} HRC designed vs ${b.truth.eps.toFixed(3)} HRC baseline, on the generator's true curves: ${verdict(run.truth.eps, b.truth.eps)}`] : []),
  ];
}

const pct0 = (v: number) => `${+(100 * v).toFixed(1)} %`;

const f1 = (v: number | null | undefined) => (v === null || v === undefined ? '   –' : v.toFixed(1).padStart(5));

const f2 = (v: number | null | undefined) => (v === null || v === undefined ? '–' : v.toFixed(2));
const skillText = (v: number | null | undefined) => (v === null || v === undefined ? '–' : (v >= 0 ? '+' : '') + v.toFixed(2));
/** A baseline's name in the skill table's column (the grade column's own name: grade mean, or other grades in a by-grade split). */
const baselineShort = (name: 'grade-mean' | 'training-mean' | 'a255', gradeCol: string) => (name === 'grade-mean' ? gradeCol : name === 'a255' ? 'A255' : 'train mean');

/**
 * The split's sizes, heats counted as heats (rows sharing a heat id are one), with the rows beside them where a heat
 * has several; a predictor trained before heats were counted gives its rows, labelled so.
 */
export function splitCounts(r: Pick<JominyModelDetail, 'split' | 'splitHeats'>): string {
  const h = r.splitHeats, s = r.split;
  if (!h) return `${s.train} train / ${s.validation} validation / ${s.test} test rows`;
  const rows = h.train !== s.train || h.validation !== s.validation || h.test !== s.test ? ` (${s.train} / ${s.validation} / ${s.test} rows)` : '';
  return `${h.train} train / ${h.validation} validation / ${h.test} test heats${rows}`;
}

/** A skipped distance's heats per split (train/validation/test), with their rows where they differ; rows only for a predictor stored before heats were counted there. */
function skippedText(x: NonNullable<JominyModelDetail['pointsLayout']>['skipped'][number]): string {
  const c = (n: { train: number; validation: number; test: number }) => `${n.train}/${n.validation}/${n.test}`;
  if (x.heats === null) return `${x.label} (${c(x.rows)} rows)`;
  return c(x.heats) === c(x.rows) ? `${x.label} (${c(x.heats)})` : `${x.label} (${c(x.heats)} heats, ${c(x.rows)} rows)`;
}

/**
 * The shares of the heats a by-grade split drew (task 27-L): whole grades reach the test fraction only as near as their
 * sizes allow — with two grades one is held out whatever its share (3 of 36 heats is 8.3 % where 30 % was asked).
 */
function byGradeShares(r: Pick<JominyModelDetail, 'splitHeats' | 'training'>): string {
  const h = r.splitHeats;
  if (!h) return '';
  const n = h.train + h.validation + h.test;
  const p = (k: number) => `${((100 * k) / n).toFixed(1)} %`;
  return `: test ${p(h.test)} of the heats where ${+(100 * r.training.testFraction).toFixed(1)} % was asked, validation ${p(h.validation)}, training ${p(h.train)}`;
}

/** A predictor's summary: metrics, then the held-out comparison with the baselines and its skill, then the inputs table. */
export function modelReport(r: JominyModelDetail): string {
  const b = r.baselines;
  const split = r.splitMode === 'by-grade' ? 'by-grade split' : r.splitMode === 'by-order' ? 'by-order split' : 'random split';
  const gradeCol = r.splitMode === 'by-grade' ? 'other grades' : 'grade mean';
  const lines = [
    `model ${r.id}: ${r.name}${r.synthetic ? ' (trained on SYNTHETIC data)' : ''}; seed ${r.seed}; ${r.splitMode === 'by-grade' ? `by-grade split (whole grades held out${byGradeShares(r)})` : r.splitMode === 'by-order' ? 'by-order split (the latest heats held out)' : split}; ${splitCounts(r)}`,
    `held-out (test heats, ${split}): MAE ${r.mae.toFixed(2)} HRC, R² ${r.r2.toFixed(3)}; A255 reference MAE ${r.refMae?.toFixed(2) ?? '–'} HRC on ${r.refHeats === null ? `${r.refRows} test rows` : `${r.refHeats} heats${r.refRows !== r.refHeats ? ` (${r.refRows} rows)` : ''}`}`,
    ...inputHeatsText(r.inputHeats),
  ];
  if (b) {
    const o = b.overall;
    lines.push(
      `held-out (test heats, ${split}): MAE model ${f2(o.model.mae)}, training mean ${f2(o.trainMean.mae)}${o.gradeMean ? `, ${b.split === 'by-grade' ? 'other-grades mean' : 'grade mean'} ${f2(o.gradeMean.mae)}` : ''}${o.a255 ? `, A255 ${f2(o.a255.mae)} (model ${f2(o.a255.modelMae)} on its heats)` : ''} HRC`,
      `skill (1 − MAE model / MAE baseline): ${skillText(o.skill.vsStrongest)} over the ${b.strongest === 'grade-mean' ? (b.split === 'by-grade' ? 'mean of the other grades' : 'grade mean') : b.strongest === 'a255' ? 'A255 reference (computable on every test heat)' : 'training mean'} (strongest baseline: the one the model beats by least); ${skillText(o.skill.vsTrainMean)} over the training mean${o.skill.vsA255 !== null ? `; ${skillText(o.skill.vsA255)} over A255` : ''}`,
      ...(b.gradeMeanNote ? [`grade baseline: ${b.gradeMeanNote}`] : []),
      ...(b.warning ? [`WARNING: ${b.warning}`] : []),
      // a point network no better than the mean curve at its distance (core/jominy/weak-points.ts)
      ...r.weakPoints.map((w) => `WARNING: ${english(w.phrase)}`),
      // heats read below 20 HRC left out there on import (core/jominy/below-scale.ts)
      ...r.biasedHigh.map((p) => `WARNING: ${english(p.phrase)}`),
      ...(r.biasedHighNotRecorded ? [`note: ${english(r.biasedHighNotRecorded)}`] : []),
      ...(o.skill.vsA255 !== null && o.skill.vsA255 < 0 ? [`note: the A255 reference does better than the model on the test heats it can compute (MAE ${f2(o.a255!.mae)} vs ${f2(o.a255!.modelMae)} HRC)`] : []),
      // per distance the skill is over the strongest baseline THERE, named on its row: the overall strongest's skill had
      // read +0.70 at 1.5 mm where A255 (MAE 0.62) beat the model (0.70)
      `per distance: skill over the strongest baseline at that distance (the lowest MAE there among the baselines scored on the same heats; A255 only where computable on every test heat there), named under "strongest here"`,
      ['mm'.padStart(4), 'MAE model'.padStart(10), 'train mean'.padStart(11), (o.gradeMean ? gradeCol : '').padStart(12), 'A255'.padStart(6), 'RMSE model'.padStart(12), 'strongest here'.padStart(14), 'skill(strongest here)'.padStart(22), 'skill(train mean)'.padStart(18)].join(' '),
      ...b.points.map((p) => `${String(+p.distanceMm.toFixed(2)).padStart(4)} ${f2(p.model.mae).padStart(10)} ${f2(p.trainMean.mae).padStart(11)} ${(p.gradeMean ? f2(p.gradeMean.mae) : '').padStart(12)} ${f2(p.a255?.mae).padStart(6)} ${f2(p.model.rmse).padStart(12)} ${baselineShort(p.strongest, gradeCol).padStart(14)} ${skillText(p.skill.vsStrongest).padStart(22)} ${skillText(p.skill.vsTrainMean).padStart(18)}`),
    );
  } else lines.push('baselines: not stored for this predictor (trained before they were measured); retrain it to see its skill');
  const pl = r.pointsLayout;
  if (pl) {
    lines.push(`points: ${pl.labels.map((l, i) => (l === `J${pl.distancesMm[i]}` ? l : `${l} (${+pl.distancesMm[i].toFixed(2)} mm)`)).join(', ')}${pl.elements ? `; dataset elements ${pl.elements.join(' ')}` : ''}`);
    if (pl.skipped.length)
      lines.push(`skipped (too few heats measured them${pl.minPointHeats ? `; a point needs ${pl.minPointHeats.train} training, ${pl.minPointHeats.validation} validation and ${pl.minPointHeats.test} test heats` : ''}): ${pl.skipped.map(skippedText).join(', ')}`);
  }
  const labelOf = new Map(pl ? pl.distancesMm.map((d, i) => [d, pl.labels[i]]) : []);
  if (r.domain.threshold !== undefined)
    lines.push(`domain: nearest-training-heat distance limit ${r.domain.threshold.toFixed(3)} sd (99th percentile among the training heats, in-sample) over the ${r.usedElements.length} elements the networks use (${r.usedElements.join(' ')})${r.domain.thresholdStored != null ? `; recomputed at load — the file stored ${r.domain.thresholdStored.toFixed(3)} over all 15 elements` : ''}`);
  lines.push(...uncertaintyLines(r));
  lines.push(
    '  mm    MAE   max    R²   A255 MAE   Nh  Nw    γ   inputs',
    ...r.points.map((p, i) => {
      const inp = r.inputs[i];
      return `${String(+p.distanceMm.toFixed(2)).padStart(4)} ${p.mae.toFixed(2).padStart(6)} ${p.maxError.toFixed(1).padStart(5)} ${p.r2.toFixed(3).padStart(6)} ${f1(p.refMae).padStart(9)}  ${String(inp.nh).padStart(3)} ${String(inp.nw).padStart(3)} ${inp.gamma.toFixed(1).padStart(5)}   ${inp.elements.join(' ')}${inp.points.length ? ' | ' + inp.points.map((d) => labelOf.get(d) ?? `J${d}`).join(' ') : ''}`;
    }),
  );
  return lines.join('\n');
}

export const jominyCommands: CliCommand[] = [
  {
    path: ['jominy', 'synth'],
    usage: 'ferrolab jominy synth --n N --seed S --out FILE.csv [--noise HRC]',
    summary: 'Write a SYNTHETIC Jominy dataset (grade families, A255-based curves, ~1 HRC noise)',
    options: { n: { type: 'string' }, seed: { type: 'string' }, out: { type: 'string' }, noise: { type: 'string' } },
    noContext: true,
    async run({ values, io }) {
      const n = intOption(values, 'n', 800)!;
      const seed = intOption(values, 'seed', 1)!;
      const out = requireString(values, 'out');
      const samples = generateSynthetic({ n, seed, noiseHrc: numberOption(values, 'noise') });
      writeFileWhole(out, writeJominyCsv(samples, { synthetic: SYNTH_DESCRIPTION, generator: SYNTH_MODEL_ID, seed: String(seed) }));
      io.result({ file: out, heats: n, seed, synthetic: true }, (r) => `wrote ${r.heats} SYNTHETIC heats (seed ${r.seed}) to ${r.file}`);
    },
  },
  {
    path: ['jominy', 'train'],
    usage: 'ferrolab jominy train (FILE.csv [--distance-unit mm|sixteenths] [--missing NA] [--decimal-mark .|,] [--below-scale refuse|empty] | --dataset ID) [--seed S] [--split random|by-grade|by-order] [--max-hidden N] [--epochs N] [--ensemble M (default 5, 0 = none)] [--min-element-share 0.8] [--name NAME] [--json]',
    summary: 'Import a Jominy CSV and train the hierarchical predictor; prints held-out metrics beside the baselines and the skill',
    options: { seed: { type: 'string' }, dataset: { type: 'string' }, split: { type: 'string' }, 'max-hidden': { type: 'string' }, epochs: { type: 'string' }, name: { type: 'string' }, ensemble: { type: 'string' }, 'min-element-share': { type: 'string' }, ...IMPORT_OPTIONS },
    async run({ positionals, values, ctx, io }) {
      const api = localClient(ctx!);
      const minElementShare = numberOption(values, 'min-element-share');
      if (minElementShare !== undefined && !(minElementShare >= 0 && minElementShare <= 1)) throw new UsageError('--min-element-share: a share of the heats, 0–1 (e.g. 0.8)');
      const split = (values.split as string | undefined) ?? 'random';
      if (split !== 'random' && split !== 'by-grade' && split !== 'by-order') throw new UsageError('--split must be random, by-grade or by-order');
      let datasetId = intOption(values, 'dataset');
      if (datasetId === undefined) {
        if (!positionals[0]) throw new UsageError('give a CSV file or --dataset ID');
        const ds = await importCsv(ctx!, positionals[0], values);
        datasetId = ds.id;
        io.progress(`imported ${heatsText(ds)} as dataset ${ds.id}${ds.synthetic ? ' (SYNTHETIC)' : ''}${ds.warnings.length ? `; ${ds.warnings.length} warnings` : ''}`);
        for (const w of ds.warnings.slice(0, 10)) io.progress(`  line ${w.line}: ${w.message}`);
        const { elementGaps } = await api['jominy.datasets.coverage']({ id: ds.id });
        if (elementGaps.elements.some((e) => e.missing > 0)) for (const l of elementGapsText(elementGaps)) io.progress(l);
      }
      const job = await api['jominy.models.train']({ datasetId, seed: intOption(values, 'seed', 1)!, maxHidden: intOption(values, 'max-hidden'), epochs: intOption(values, 'epochs'), split, name: values.name as string | undefined, ensemble: intOption(values, 'ensemble'), minElementShare });
      const end = await followJob(ctx!, io, job);
      const { modelId } = end.result as { modelId: number };
      const m = await api['jominy.models.get']({ id: modelId });
      io.result(m, modelReport);
    },
  },
  {
    path: ['jominy', 'models', 'list'],
    usage: 'ferrolab jominy models list [--json]',
    summary: 'Trained predictors: held-out MAE, split, skill, and the 90 % interval coverage or why there is none (coverage90Why)',
    async run({ ctx, io }) {
      const list = await localClient(ctx!)['jominy.models.list']({});
      io.result(list, (l) => (l.length ? l.map(modelListLine).join('\n') : 'no Jominy predictors yet'));
    },
  },
  {
    path: ['jominy', 'models', 'show'],
    usage: 'ferrolab jominy models show ID [--json]',
    summary: 'A trained predictor: held-out metrics beside the baselines (training mean, grade mean, A255), its skill, its inputs',
    async run({ positionals, ctx, io }) {
      if (positionals[0] === undefined) throw new UsageError('give the predictor ID');
      const id = strictInteger(positionals[0], 'ID');
      if (id < 1) throw new UsageError('ID: a positive integer');
      io.result(await localClient(ctx!)['jominy.models.get']({ id }), modelReport);
    },
  },
  {
    path: ['jominy', 'predict'],
    usage: 'ferrolab jominy predict --model ID --chem "C=0.40,Mn=0.85,…" (every element the predictor uses, 0 for none) [--json]',
    summary: 'Predicted Jominy curve of a chemistry, with the A255 reference and the domain flag',
    options: { model: { type: 'string' }, chem: { type: 'string' } },
    async run({ values, ctx, io }) {
      const chemistry = chemistryFlag(parseChemistryText(requireString(values, 'chem')), '--chem');
      const r = await localClient(ctx!)['jominy.predict']({ modelId: intOption(values, 'model')!, chemistry });
      io.result(r, (x) =>
        [
          // The interval beside each value (its calibration's held-out coverage under the table): a curve without it
          // reads as exact, which it is not by the predictor's own test heats.
          `  mm  predicted  ${x.interval ? `${pct0(x.interval.nominal)} interval  ` : ''}A255`,
          ...DISTANCES_MM.map((d, i) => `${String(d).padStart(4)} ${f1(x.profile[i]).padStart(10)}${x.capped[i] ? '*' : x.outside?.[i] ? '~' : ' '}${x.biasedHigh[i] ? '^' : ' '}${x.interval ? (x.capped[i] || x.outside?.[i] ? '–' : `${f1(x.interval.lo[i])} – ${f1(x.interval.hi[i])}`).padStart(15) : ''}${f1(x.reference?.profile[i]).padStart(6)}`),
          x.interval
            ? `interval: ${pct0(x.interval.nominal)} nominal from the predictor's ensemble, split-conformal calibrated; ${x.interval.coverage === null ? `its held-out coverage: ${coverageText(x.interval)}` : `its held-out coverage (the predictor's test heats): ${intervalCoverageText(x.interval)}${x.interval.coverageLowest ? `, lowest per distance ${(100 * x.interval.coverageLowest.coverage).toFixed(1)} % at ${+x.interval.coverageLowest.distanceMm.toFixed(2)} mm` : ''} (jominy models show: per distance)`}${x.interval.perDistance ? '' : '; one pooled k at every distance (calibrated before k per distance)'}`
            : 'interval: none (a predictor trained without an ensemble, --ensemble 0, or before ensembles); its held-out error is in jominy models show',
          // a capped or held value is no prediction: no interval there (as a design's table), where the network's interval
          // ran above what steel of that carbon can reach (57.4* with 54.5 – 60.2)
          ...(x.capped.some(Boolean) ? [`${cappedNote(x.martensiteMaxHrc, chemistry.C)}; no interval there`] : []),
          ...x.biasedHighNotes.map((n) => `^ WARNING: ${english(n)}`),
          ...(x.biasedHighNotRecorded ? [`note: ${english(x.biasedHighNotRecorded)}`] : []),
          ...(x.outside?.some(Boolean) ? ['~ beyond the predictor\'s first or last point (its dataset did not reach there): the end value is held, not predicted; no interval there'] : []),
          ...(x.omitted.length ? [`left out ${x.omitted.join(', ')} (the predictor does not use ${x.omitted.length > 1 ? 'them' : 'it'}; not part of the domain check)`] : []),
          x.reference ? `A255: DI ${x.reference.diMm.toFixed(1)} mm${x.reference.valid ? '' : ` — outside its range: ${x.reference.violations.join('; ')}`}${x.reference.ignored.length ? ` (ignores ${x.reference.ignored.join(', ')})` : ''}` : `A255: ${x.referenceError}`,
          x.domain.inDomain ? 'inside the training domain' : `OUTSIDE the training domain${x.domain.outOfRange.length ? ': ' + x.domain.outOfRange.map((o) => `${o.element} ${o.value} not in ${o.min}–${o.max}`).join(', ') : ''} (distance ${x.domain.distance.toFixed(2)}, limit ${x.domain.threshold.toFixed(2)})${x.domain.uncoveredPairs?.length ? `; element pairs in a combination no training heat has: ${x.domain.uncoveredPairs.map((p) => p.elements.join('–')).join(', ')}` : ''}`,
          // out of range on an element no network takes cannot move the curve: said, not counted against the domain
          ...(x.domain.outOfRangeUnused?.length ? [`note: outside the data for ${x.domain.outOfRangeUnused.map((o) => `${o.element} ${o.value} (data ${o.min}–${o.max})`).join(', ')}, which the predictor does not use (not part of the distance; its combinations with the elements the predictor uses are checked as pairs)`] : []),
        ].join('\n'),
      );
    },
  },
  {
    path: ['jominy', 'design'],
    usage:
      'ferrolab jominy design --model ID (--target "h1,…,h15" (- for a distance left empty) | --band FILE) [--weights equal|central|w1,…] [--cost preset|"Cr=1,…"] [--beta B] [--pop Q] [--gens NG] [--r R] [--alpha A] [--faga] [--top K] [--range "Cr=0.8:1.2,…"] [--fix "C=0.4"] [--constraint "Mn/S>=20"] [--restarts N] [--stall K] [--domain-weight W] [--search default|paper-ga] [--sd-weight W] [--tolerance "C=0.02,…"] [--robust-weight W] [--grade NAME|ID] [--seed S] [--name NAME] [--json]',
    summary: 'Design chemistries for a target Jominy curve or band (GA in worker threads; saved as a session)',
    options: {
      model: { type: 'string' }, target: { type: 'string' }, band: { type: 'string' }, weights: { type: 'string' }, cost: { type: 'string' }, beta: { type: 'string' },
      pop: { type: 'string' }, gens: { type: 'string' }, r: { type: 'string' }, alpha: { type: 'string' }, faga: { type: 'boolean' }, top: { type: 'string' },
      range: { type: 'string' }, fix: { type: 'string' }, constraint: { type: 'string', multiple: true }, restarts: { type: 'string' }, stall: { type: 'string' }, 'domain-weight': { type: 'string' }, search: { type: 'string' },
      seed: { type: 'string' }, name: { type: 'string' }, grade: { type: 'string' }, 'sd-weight': { type: 'string' }, tolerance: { type: 'string' }, 'robust-weight': { type: 'string' },
    },
    async run({ values, ctx, io }) {
      const api = localClient(ctx!);
      const modelId = requireInt(values, 'model');
      let target: TargetInput;
      if (values.target && values.band) throw new UsageError('give --target or --band, not both');
      if (typeof values.target === 'string') target = { kind: 'curve', hardness: parseTarget15(values.target) };
      else if (typeof values.band === 'string') target = parseBandFile(decodeCsvBytes(readFileSync(values.band), values.band));
      else throw new UsageError('--target or --band is required');
      const settings: DesignSettings = { ga: {} };
      const w = values.weights as string | undefined;
      if (w) settings.weights = w === 'equal' || w === 'central' ? WEIGHT_PRESETS[w] : parse15(w, '--weights');
      const cost = values.cost as string | undefined;
      if (cost) {
        if (cost === 'preset') {
          settings.costs = COST_PRESET.costs;
          settings.beta = COST_PRESET.beta;
        } else {
          const c = chemistryFlag(parseElementNumbers(cost), '--cost');
          settings.costs = ELEMENTS.map((el) => c[el] ?? 0);
          settings.beta = 1;
        }
      }
      const beta = numberOption(values, 'beta');
      if (beta !== undefined) settings.beta = beta;
      if (typeof values.grade === 'string') settings.gradeId = (await findGrade(ctx!, values.grade)).id;
      if (values.range) settings.ranges = chemistryFlag(parseChemistryRanges(String(values.range)), '--range');
      if (values.fix) settings.fixed = chemistryFlag(parseChemistryText(String(values.fix)), '--fix');
      if (values.constraint) settings.linear = values.constraint as string[];
      const ga = settings.ga!;
      const map: [string, keyof typeof ga][] = [['pop', 'population'], ['gens', 'generations'], ['r', 'r'], ['top', 'topK'], ['stall', 'stallGenerations']];
      for (const [opt, key] of map) {
        const v = intOption(values, opt);
        if (v !== undefined) (ga as Record<string, number>)[key] = v;
      }
      const alpha = numberOption(values, 'alpha');
      if (alpha !== undefined) ga.alpha = alpha;
      if (values.faga) ga.faga = true;
      const dw = numberOption(values, 'domain-weight');
      if (dw !== undefined) ga.domainWeight = dw;
      const search = searchOption(values);
      if (search) ga.search = search;
      settings.restarts = intOption(values, 'restarts');
      if (typeof values.tolerance === 'string') settings.tolerances = parseTolerances(values.tolerance);
      const sdW = numberOption(values, 'sd-weight');
      const robW = numberOption(values, 'robust-weight');
      if (sdW !== undefined || robW !== undefined) settings.trust = { sdWeight: sdW, robustWeight: robW };
      const job = await api['jominy.design']({ modelId, target, settings, seed: intOption(values, 'seed', 1)!, name: values.name as string | undefined }).catch((err: unknown) => {
        // the refusal says to leave the distances empty: on the command line that is a - in --target, spelt out
        const p = (err as { phrase?: { code: string; params?: { distances?: string } } }).phrase;
        if (target.kind === 'curve' && p?.code === 'jominyErrors.targetBeyondPredictor' && typeof p.params?.distances === 'string') {
          const beyond = p.params.distances.split(',').map((d) => Number(d.trim()));
          io.progress(`to design without them: --target "${targetWithout(target.hardness, beyond)}" (- leaves a distance empty)`);
        }
        throw err;
      });
      const end = await followJob(ctx!, io, job);
      const s = await api['jominy.sessions.get']({ id: (end.result as { sessionId: number }).sessionId });
      io.result(s, sessionText);
    },
  },
  {
    path: ['jominy', 'sessions'],
    usage: 'ferrolab jominy sessions [--json]',
    summary: 'Design sessions, their state (draft, running, done, failed, cancelled, interrupted) and the predictor that made each (deleted: a record)',
    async run({ ctx, io }) {
      const list = await localClient(ctx!)['jominy.sessions.list']({});
      io.result(list, (l) => (l.length ? l.map(sessionListLine).join('\n') : 'no design sessions yet'));
    },
  },
  {
    path: ['jominy', 'sessions', 'show'],
    usage: 'ferrolab jominy sessions show ID [--json]',
    summary: 'One design session: its predictor (or that it was deleted), settings, ranked designs and their figures',
    async run({ positionals, ctx, io }) {
      const id = strictInteger(positionals[0] ?? '', 'session id');
      io.result(await localClient(ctx!)['jominy.sessions.get']({ id }), sessionText);
    },
  },
  {
    path: ['jominy', 'evaluate'],
    usage: 'ferrolab jominy evaluate --model ID [--targets FILE.csv | --dataset ID] [--objective base|weighted|cost] [--sweep] [--pop Q] [--gens NG] [--r R] [--alpha A] [--faga] [--domain-weight W] [--sd-weight W] [--ranges domain|p1-p99] [--search default|paper-ga] [--max-targets N] [--threads N] [--seed S] [--json]',
    summary: 'Design a chemistry for every target heat and score the optimiser (paper Eqs. 4–12, r×α sweep)',
    options: {
      model: { type: 'string' }, targets: { type: 'string' }, dataset: { type: 'string' }, objective: { type: 'string' }, sweep: { type: 'boolean' }, pop: { type: 'string' },
      gens: { type: 'string' }, r: { type: 'string' }, alpha: { type: 'string' }, faga: { type: 'boolean' }, 'domain-weight': { type: 'string' }, 'sd-weight': { type: 'string' }, ranges: { type: 'string' }, search: { type: 'string' }, 'max-targets': { type: 'string' }, threads: { type: 'string' }, seed: { type: 'string' },
    },
    async run({ values, ctx, io }) {
      const api = localClient(ctx!);
      const modelId = requireInt(values, 'model');
      let datasetId = intOption(values, 'dataset');
      if (typeof values.targets === 'string') {
        const ds = await importCsv(ctx!, values.targets);
        datasetId = ds.id;
        io.progress(`imported ${ds.heats} target heats${ds.heats !== ds.sampleCount ? ` (${ds.sampleCount} rows)` : ''} as dataset ${ds.id}${ds.synthetic ? ' (SYNTHETIC)' : ''}`);
      }
      const objective = (values.objective as string | undefined) ?? 'base';
      if (!['base', 'weighted', 'cost'].includes(objective)) throw new UsageError('--objective must be base, weighted or cost');
      const job = await api['jominy.evaluate']({
        modelId, datasetId, objective: objective as 'base', sweep: Boolean(values.sweep), population: intOption(values, 'pop'), generations: intOption(values, 'gens'),
        r: intOption(values, 'r'), alpha: numberOption(values, 'alpha'), faga: values.faga ? true : undefined, search: searchOption(values), domainWeight: numberOption(values, 'domain-weight'), sdWeight: numberOption(values, 'sd-weight'), ranges: rangesOption(values), maxTargets: intOption(values, 'max-targets'), threads: intOption(values, 'threads'), seed: intOption(values, 'seed', 1)!,
      });
      const end = await followJob(ctx!, io, job);
      const ev = await api['jominy.evaluations.get']({ id: (end.result as { evaluationId: number }).evaluationId });
      io.result(ev, (e) => {
        const lines = [`evaluation ${e.id}: ${e.name}${e.synthetic ? ' (SYNTHETIC: its predictor or its target heats were synthetic)' : e.synthetic === null ? ' (synthetic or not: not recorded)' : ''}; ${e.runs[0].targets} targets, seed ${e.seed}, ${e.threads} threads, ${(e.durationMs / 1000).toFixed(1)} s`, evaluationTargetsLine(e), evaluationLegend(Boolean(e.runs[0].truth))];
        const first = e.runs[0];
        const base = first.nearestHeat ?? null;
        lines.push(...baselineLines(first));
        lines.push('   r  alpha      ε      E      S   θ %   ε(truth)  out of domain' + (base ? '  design nearer' : ''));
        for (const r of e.runs) lines.push(`${String(r.r).padStart(4)} ${String(r.alpha).padStart(6)} ${r.profile.eps.toFixed(3).padStart(6)} ${r.profile.E.toFixed(2).padStart(6)} ${r.profile.S.toFixed(3).padStart(6)} ${r.profile.theta.toFixed(2).padStart(5)} ${r.truth ? r.truth.eps.toFixed(3).padStart(10) : '         –'} ${String(r.outOfDomain).padStart(14)}${r.nearestHeat ? `${r.nearestHeat.designNearer} of ${r.targets}`.padStart(15) : ''}`);
        if (base) lines.push(`${'baseline'.padStart(11)} ${base.profile.eps.toFixed(3).padStart(6)} ${base.profile.E.toFixed(2).padStart(6)} ${base.profile.S.toFixed(3).padStart(6)} ${base.profile.theta.toFixed(2).padStart(5)} ${base.truth ? base.truth.eps.toFixed(3).padStart(10) : '         –'}`);
        lines.push('', '  mm     ε_i    E_i    S_i   θ_i %' + (first.truth ? '  ε_i(truth)' : '') + (base ? '  ε_i(baseline)' : ''));
        first.profile.points.forEach((p, i) => lines.push(`${String(p.distanceMm).padStart(4)} ${p.eps.toFixed(3).padStart(7)} ${p.E.toFixed(2).padStart(6)} ${p.S.toFixed(3).padStart(6)} ${p.theta.toFixed(2).padStart(7)}${first.truth ? first.truth.points[i].eps.toFixed(3).padStart(12) : ''}${base ? base.profile.points[i].eps.toFixed(3).padStart(15) : ''}`));
        lines.push('', '  El    ε[El]    ρ[El]   mean designed   mean real   change');
        for (const el of first.elements) lines.push(`${el.element.padStart(4)} ${el.eps.toPrecision(3).padStart(8)} ${el.rho.toFixed(3).padStart(8)} ${el.meanDesigned.toPrecision(3).padStart(15)} ${el.meanReal.toPrecision(3).padStart(11)} ${el.changePct === null ? '      –' : `${el.changePct.toFixed(0).padStart(6)} %`}`);
        return lines.join('\n');
      });
    },
  },
];
