import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileWhole } from '../../runtime/write-whole.js';
import { localClient } from '../../app/dispatch.js';
import { MapSettings, type ComparisonDto as ComparisonSchema, type PlantFields, type ReportAcceptance } from '../../api/methods/maps.js';
import type { z } from 'zod';
import { fitWords, sampleWords } from '../../ml/fit-words.js';
import type { UiLanguage } from '../../api/methods/system.js';
import { AcceptanceClassesSchema, parseAcceptanceClass } from '../../api/acceptance.js';
import { UsageError, intOption, numberOption, type CliCommand } from '../command.js';
import { resolveBillet } from './segregation.js';
import { followJob } from '../run-job.js';
import { counted } from '../counted.js';
import { scaleWarningLines } from '../scale-warning-lines.js';

/** Copies a stored file to where the user asked, whole or not at all (runtime/write-whole.ts). */
function copyOut(ctxRoot: string, rel: string, target: string): string {
  return writeFileWhole(target, readFileSync(join(ctxRoot, rel)));
}

/** Writes `data` to the file the user named (whole or not at all), and nowhere else. */
const writeOut = (target: string, data: Buffer | string): string => writeFileWhole(target, data);

/**
 * The model-vs-readings line of a predicted map: over which points and whether the model trained on them (in-sample,
 * held-out, out-of-sample), both R² and the bias beside the MAE, and the training-mean baseline's MAE on the same
 * readings — as the Maps view and the PDF say it.
 */
export function comparisonLine(c: z.infer<typeof ComparisonSchema>): string {
  // no fit: fewer than 2 readings compared (nothing is computed on one, as the Maps view and the PDF say), else no model
  const tooFew = !c.fit && c.n < 2;
  const sample = c.fit ? (c.fit.sample ? sampleWords(c.fit.sample) : 'sample unknown (the model is deleted or its record unreadable)') : tooFew ? 'sample label not computed' : 'sample unknown (no model recorded with this map)';
  // beside the MAE, the baseline that knows no image on the same readings (as `segregation predict` prints it)
  const f = c.fit;
  const base = !f ? (tooFew ? `; fit, sample label and baseline (the model's training mean) not computed: ${counted(c.n, 'reading')} compared, at least 2 needed` : '') : f.trainingMean === null || f.trainingMean === undefined || f.baselineMae === null || f.baselineMae === undefined ? "; baseline (the model's training mean) not known: the model is gone or recorded no training points" : `; baseline (the model's training mean ${f.trainingMean.toFixed(4)} wt.% at every point, no image) MAE ${f.baselineMae.toFixed(4)} wt.%`;
  return `model vs readings over ${counted(c.n, 'point')}, ${sample}: MAE ${c.maeWtPct.toFixed(4)} wt.%, ${(c.within5Pct * 100).toFixed(0)} % of points within ±5 %${f ? `; ${fitWords(f)}` : ''}${base}`;
}

/** The plant-report flags as the contract's `plant` object, or undefined when none is given. */
function plantFields(values: Record<string, unknown>): PlantFields | undefined {
  const text = (k: string) => (typeof values[k] === 'string' ? (values[k] as string) : undefined);
  const accept = values.accept as string[] | undefined;
  let acceptance: PlantFields['acceptance'];
  if (accept?.length) {
    try {
      acceptance = accept.map(parseAcceptanceClass);
    } catch (err) {
      throw new UsageError(`--accept: ${(err as Error).message}`);
    }
    const ok = AcceptanceClassesSchema.safeParse(acceptance);
    if (!ok.success) throw new UsageError(`--accept: ${ok.error.issues[0].message}`);
  }
  const p: PlantFields = { heat: text('heat'), grade: text('grade'), etchant: text('etchant'), analyserMethod: text('analyser-method'), signedOffBy: text('signed-off-by'), acceptance };
  return Object.values(p).some((v) => v !== undefined) ? p : undefined;
}

export const mapCommands: CliCommand[] = [
  {
    path: ['map'],
    usage:
      'ferrolab map BILLET (--measured | --model ID) [--stride MM] [--prediction ID] [--paper A4|Letter] [--lang en|zh|it] [--lab TEXT] [--operator TEXT] [--heat TEXT] [--grade TEXT] [--etchant TEXT] [--analyser-method TEXT] [--signed-off-by NAME] [--accept NAME=MAX_C/C0 ...] [--colormap viridis|cividis] [--cells N] [--overlay] [--raw-mosaic] [--pdf FILE] [--png FILE] [--csv FILE] [--json]',
    summary: 'Segregation map of a billet (measured from readings, or predicted by a CNN model): indices, and PDF/PNG/CSV on request',
    options: {
      measured: { type: 'boolean' },
      model: { type: 'string' },
      prediction: { type: 'string' },
      stride: { type: 'string' },
      paper: { type: 'string' },
      // the language of the PDF and of the PNG's own words (default: the interface language chosen in Settings, else English)
      lang: { type: 'string' },
      lab: { type: 'string' },
      operator: { type: 'string' },
      // plant-report fields of the PDF (printed only when given)
      heat: { type: 'string' },
      grade: { type: 'string' },
      etchant: { type: 'string' },
      'analyser-method': { type: 'string' },
      'signed-off-by': { type: 'string' },
      accept: { type: 'string', multiple: true },
      colormap: { type: 'string' },
      cells: { type: 'string' },
      overlay: { type: 'boolean' },
      // the predicted layer as the raw patch mosaic instead of the smoothed field
      'raw-mosaic': { type: 'boolean' },
      pdf: { type: 'string' },
      png: { type: 'string' },
      csv: { type: 'string' },
    },
    async run({ positionals, values, ctx, io }) {
      const api = localClient(ctx!);
      const billetId = resolveBillet(ctx!, positionals[0]);
      const modelId = intOption(values, 'model');
      const predictionArg = intOption(values, 'prediction');
      if (!values.measured && modelId === undefined && predictionArg === undefined) throw new UsageError('say which map: --measured, or --model ID (or --prediction ID for a stored predicted map)');
      if (values.measured && (modelId !== undefined || predictionArg !== undefined)) throw new UsageError('--measured and --model/--prediction exclude each other');
      const paper = (values.paper as string | undefined) ?? 'A4';
      if (paper !== 'A4' && paper !== 'Letter') throw new UsageError(`--paper must be A4 or Letter (got "${paper}")`);
      const lang = values.lang as string | undefined;
      if (lang !== undefined && lang !== 'en' && lang !== 'zh' && lang !== 'it') throw new UsageError(`--lang must be en, zh or it (got "${lang}")`);
      if (lang !== undefined && !values.pdf && !values.png) throw new UsageError('--lang is the language of the PDF report and of the PNG: add --pdf FILE or --png FILE');
      const colormap = (values.colormap as string | undefined) ?? 'viridis';
      if (colormap !== 'viridis' && colormap !== 'cividis') throw new UsageError(`--colormap must be viridis or cividis (got "${colormap}")`);
      const settings: Partial<MapSettings> = { colormap, cellsAcross: intOption(values, 'cells'), overlay: Boolean(values.overlay), predictedField: values['raw-mosaic'] ? 'raw' : 'smoothed' };
      const plant = plantFields(values);
      if (plant && !values.pdf) throw new UsageError('--heat, --grade, --etchant, --analyser-method, --signed-off-by and --accept go into the PDF: add --pdf FILE');
      const stride = numberOption(values, 'stride');
      if (stride !== undefined && modelId === undefined) throw new UsageError('--stride only applies with --model');

      let predictionId = predictionArg;
      let predictionJob: unknown = null;
      if (modelId !== undefined) {
        const job = await api['maps.predict']({ billetId, modelId, strideMm: stride });
        const end = await followJob(ctx!, io, job);
        predictionJob = end.result;
        predictionId = (end.result as { predictionId: number }).predictionId;
      }
      const layer = predictionId !== undefined ? 'predicted' : 'measured';
      if (values['raw-mosaic'] && layer !== 'predicted') throw new UsageError('--raw-mosaic applies to a predicted map (--model or --prediction)');
      // the view and PNG without the UI's preview cache, so --png writes where asked and nowhere else
      const { view, png } = await ctx!.services.maps.renderPng({ billetId, layer, predictionId, settings: MapSettings.parse(settings), language: lang as UiLanguage | undefined });
      const files: Record<string, string> = {};
      if (values.png) files.png = writeOut(values.png as string, png);
      if (values.csv) {
        const csv = await api['maps.exportCsv']({ billetId, layer, predictionId, settings });
        files.csv = writeOut(values.csv as string, csv.csv);
      }
      let report = null;
      if (values.pdf) {
        report = await api['maps.report']({ billetId, predictionId, paper, language: lang, lab: values.lab as string | undefined, operator: values.operator as string | undefined, plant, settings });
        files.pdf = copyOut(ctx!.paths.root, report.path, values.pdf as string);
      }
      // The physical scale the predicted map's patches were cut at, with its warning (stored with the map).
      const stored = view.predictionId !== null ? ((await api['maps.predictions']({ billetId })).find((p) => p.id === view.predictionId) ?? null) : null;
      const scale = stored?.scale ?? null;
      const result = {
        billetId,
        layer,
        predictionId: view.predictionId,
        scale,
        // its section's scale against its resolution tag and its model's training check, as stored with the map
        // (null: not recorded or no predicted map), and in words
        scaleCheck: stored?.scaleCheck ?? null,
        scaleWords: stored?.scaleWords ?? [],
        prediction: predictionJob,
        c0WtPct: view.c0WtPct,
        c0Source: view.c0Source,
        method: view.method,
        indices: view.indices,
        mapSample: view.mapSample,
        comparison: view.comparison,
        truthError: view.truthError,
        smoothing: view.smoothing,
        pores: view.pores,
        synthetic: view.synthetic,
        fingerprint: view.fingerprint,
        reportId: report?.id ?? null,
        // the class the PDF prints and the figures it was decided with (null without --accept)
        acceptance: report?.acceptance ?? null,
        // with --pdf: the indices as the PDF prints them, with the report's one reference C0 (`indices` above are the
        // layer's own, with its own C0 — the PNG and CSV take those)
        reportIndices: report?.printed?.indices ?? null,
        files,
      };
      io.result(result, (r) => {
        // a PDF's figures are what a customer reads, so the text prints those (and says the PNG's C0 where it differs)
        const ix = r.reportIndices ?? r.indices!;
        const f = (v: number, d = 4) => v.toFixed(d);
        const c0Words = (s: string) => (s === 'bulk' ? 'ladle/bulk' : s === 'measured-area-mean' ? "measured map's area mean" : s === 'lattice-mean' ? "raw lattice's predicted mean" : 'section mean');
        return [
          `${layer} map of billet ${billetId}${r.synthetic ? ' (SYNTHETIC DATA)' : ''}${r.mapSample ? `; indices ${sampleWords(r.mapSample)}` : ''}`,
          ...(r.scale ? [`scale: ${r.scale.label}`, ...(r.scale.warning ? [`WARNING: ${r.scale.warning}`] : [])] : []),
          // the warnings stored with the map (a stored map read back says them as the job that made it did)
          ...(r.predictionId !== null ? scaleWarningLines(r.scaleWords) : []),
          `C0 = ${f(ix.c0WtPct)} wt.% (${c0Words(ix.c0Source)})${r.reportIndices ? ', the PDF report\'s reference C0: the figures below are as the PDF prints them' : ''}`,
          ...(r.reportIndices && r.reportIndices.c0WtPct !== r.c0WtPct && (r.files.png || r.files.csv) ? [`the PNG/CSV take the map's own C0 = ${f(r.c0WtPct)} wt.% (${c0Words(r.c0Source)})`] : []),
          `centre C/C0 ${ix.centre ? f(ix.centre.ratio, 3) : '—'} (r ≤ ${ix.centralRadiusMm.toFixed(0)} mm)   max ${f(ix.max.ratio, 3)} at (${ix.max.xMm.toFixed(0)}, ${ix.max.yMm.toFixed(0)}) mm   min ${f(ix.min.ratio, 3)} at (${ix.min.xMm.toFixed(0)}, ${ix.min.yMm.toFixed(0)}) mm`,
          `section sd ${f(ix.sdWtPct)} wt.%   range ${f(ix.rangeWtPct)} wt.%   covered ${(ix.coveredFraction * 100).toFixed(1)} %`,
          // a smoothed field's max, sd, range and area fractions are smaller than the patches': say which the figures took
          ...(layer === 'predicted' ? [r.smoothing ? 'max, min, sd, range and area fractions are taken over the smoothed field, which shrinks the extremes (--raw-mosaic for the patch mosaic)' : 'max, min, sd, range and area fractions are taken over the patch mosaic (the raw patch predictions, not smoothed)'] : []),
          ...(ix.coverageRule ? [`extrapolated ${(ix.extrapolatedFraction * 100).toFixed(1)} % of the section, left out: ${ix.coverageRule}`] : []),
          ...ix.areaAbove.map((a) => `area C/C0 ≥ ${a.threshold.toFixed(2)}: ${(a.fraction * 100).toFixed(1)} %`),
          ...ix.areaBelow.map((a) => `area C/C0 ≤ ${a.threshold.toFixed(2)}: ${(a.fraction * 100).toFixed(1)} %`),
          `white band: ${ix.whiteBand ? `r/R ${ix.whiteBand.rOverR.toFixed(2)} (C/C0 ${ix.whiteBand.ratio.toFixed(3)})` : 'not detected'}   CET ring: ${ix.cetRing ? `r/R ${ix.cetRing.rOverR.toFixed(2)} (C/C0 ${ix.cetRing.ratio.toFixed(3)})` : 'not detected'}`,
          ...(r.comparison ? [comparisonLine(r.comparison)] : []),
          ...(r.smoothing ? [`smoothed field: Gaussian process, length scale ${r.smoothing.lengthScaleMm.toFixed(1)} mm, patch noise sd ${f(r.smoothing.nuggetSdWtPct)} wt.% (leave-one-out CV); contours ≥ ${f(r.smoothing.typicalInterval90WtPct)} wt.% apart (90 % interval width); --raw-mosaic for the patches`] : []),
          ...(r.truthError ? [`vs the synthetic true field: MAE ${f(r.truthError.maeWtPct)} wt.%, RMSE ${f(r.truthError.rmseWtPct)} wt.%, max ${f(r.truthError.maxAbsWtPct)} wt.%`] : []),
          ...(r.acceptance ? [acceptanceLine(r.acceptance)] : []),
          `pores detected: ${r.pores ? `${r.pores.count} (≥ ${r.pores.minDiameterMm.toFixed(1)} mm)${r.pores.maskedCells === null ? '' : `, ${counted(r.pores.maskedCells, 'cell')} masked as porosity`}` : 'not searched'}`,
          ...Object.entries(r.files).map(([k, v]) => `${k.toUpperCase()}: ${v}`),
        ].join('\n');
      });
    },
  },
  {
    path: ['report', 'list'],
    usage: 'ferrolab report list [BILLET] [--json]',
    summary: 'Stored segregation-map reports (PDF files under the data folder)',
    async run({ positionals, ctx, io }) {
      const billetId = positionals[0] ? resolveBillet(ctx!, positionals[0]) : undefined;
      const list = await localClient(ctx!)['reports.list']({ billetId });
      io.result(list, (l) => (l.length ? l.map((r) => `${String(r.id).padStart(4)}  ${r.createdAt}  ${r.title}\n      ${join(ctx!.paths.root, r.path)}`).join('\n') : 'no reports yet'));
    },
  },
];

/**
 * The acceptance class as the PDF prints it, in the report's language: its headline (the class, whether readings
 * decided it, whether it is the model's estimate only and why, whether it holds at the point estimate only) and its figures.
 */
function acceptanceLine(a: ReportAcceptance): string {
  // the C0 behind every figure of the class — the indices above print with it too when a PDF is made: ladle, measured map or lattice
  const c0 = a.c0WtPct === null ? '' : ` (C0 = ${a.c0WtPct.toFixed(4)} wt.%, ${C0_WORDS[a.c0Source ?? 'lattice-mean']})`;
  return `acceptance${c0}: ${a.headline} — ${a.verdict}`;
}

const C0_WORDS: Record<NonNullable<ReportAcceptance['c0Source']>, string> = {
  bulk: 'ladle/bulk carbon',
  'measured-area-mean': 'area mean of the measured map over the area its points cover',
  'lattice-mean': "predicted area mean of the model's raw lattice",
  'section-mean': 'section mean of the map',
};
