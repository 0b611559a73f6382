import { join } from 'node:path';
import type { ServiceContext } from '../context.js';
import type { ParsedInput } from '../../api/contract.js';
import type { MapSettings } from '../../api/methods/maps.js';
import type { ModelDetail } from '../../api/methods/cnn.js';
import type { ReportAcceptance, ReportInfo } from '../../api/methods/maps.js';
import { summariseComparison, errorAgainstTruth, hullCoveredFraction, largestUpperEnd, segregationIndices, uncertaintyGrid, type MapPoint, type SegregationIndices } from '../../maps/index.js';
import { intervalFor, refitCoverageShort } from '../../ml/conformal.js';
import { contourPhrase, truthErrorPhrase } from '../shared/map-notes.js';
import { english } from '../../runtime/english.js';
import { acceptanceOf, MEASURED_MIN_COVERED, MEASURED_MIN_POINTS, type AcceptanceEvidence, type AcceptanceResult, type C0Source, buildMapReportInWorker, dataFingerprint, reportTranslator, reportPhraser, type ReportPhrase, type ModelCard, type ReportLanguage, type ReportMapSpec, type ReportTranslate } from '../../report/index.js';
import { createReportsRepo } from '../../store/repos/reports-repo.js';
import { createModelsRepo } from '../../store/repos/models-repo.js';
import { log } from '../../runtime/log.js';
import { comparisonFit, mapSample } from '../shared/comparison-fit.js';
import { poresLine, poresOfPrediction, poresOfSummary } from '../shared/map-pores.js';
import type { PoreSummary } from '../../api/methods/images.js';
import { modelCardOf, trainingScaleRow } from './model-card.js';
import { scaleCheckPhrases } from '../../api/scale-check-words.js';
import { readScaleWarnings } from '../../store/repos/stored-scale-warnings.js';

import { fingerprintInputs, nanToNull, requireMeasured, slug, withReadings, type Layer, type MapLayers } from '../shared/map-layer.js';
import { writeFileWhole } from '../../runtime/write-whole.js';
import { measuredMapUpperEnd, pooledRepeatability, readingsUpperEnd, type PointMean, type Repeatability } from '../../segregation/repeatability.js';

/** The CNN service's description of a model, handed over by the composition root (no dispatch back into the API). */
export type DescribeModel = (id: number) => ModelDetail | Promise<ModelDetail>;

/** The model card of the report, from the CNN service's own description of the model (what cnn.models.get answers). */
async function modelCard(ctx: ServiceContext, describeModel: DescribeModel, modelId: number | null, backend: string | null, tr: ReportTranslate, say: ReportPhrase): Promise<ModelCard | null> {
  if (modelId === null) return null;
  try {
    return modelCardOf(await describeModel(modelId), backend, tr, say);
  } catch (err) {
    log.warn('maps', 'model store could not describe the model; the card is built from its row', { modelId, err });
    return modelCardFromRow(ctx, modelId, backend, tr, say);
  }
}

/** Fallback when the CNN domain cannot describe the model (older or foreign record): the raw row. */
function modelCardFromRow(ctx: ServiceContext, modelId: number, backend: string | null, tr: ReportTranslate, say: ReportPhrase): ModelCard | null {
  const r = createModelsRepo(ctx.db).getRaw(modelId);
  if (!r) return null;
  const parse = (s: string | null): Record<string, unknown> => {
    try {
      const v: unknown = s ? JSON.parse(s) : {};
      return v && typeof v === 'object' ? (v as Record<string, unknown>) : {};
    } catch (err) {
      log.warn('maps', 'a models row holds unreadable JSON; the card shows what it can', { modelId, err });
      return {};
    }
  };
  const hyper = parse(r.hyper_json);
  const ds = parse(r.dataset_json);
  const be = parse(r.backend_json);
  const metrics: { name: string; value: string }[] = [];
  const walk = (o: Record<string, unknown>, prefix: string, depth: number) => {
    for (const [k, v] of Object.entries(o)) {
      if (metrics.length >= 14) return;
      if (typeof v === 'number' && Number.isFinite(v)) metrics.push({ name: `${prefix}${k}`, value: Math.abs(v) < 10 ? v.toFixed(4) : v.toFixed(1) });
      else if (v && typeof v === 'object' && !Array.isArray(v) && depth < 2) walk(v as Record<string, unknown>, `${prefix}${k} `, depth + 1);
    }
  };
  walk(parse(r.metrics_json), '', 0);
  // the column as stored (NULL or unreadable: not recorded), never left out
  metrics.push(trainingScaleRow(scaleCheckPhrases(readScaleWarnings(r.scale_warnings_json)), tr, say));
  const str = (v: unknown) => (typeof v === 'string' ? v : null);
  return {
    id: r.id,
    name: r.name,
    preset: str(hyper.preset) ?? null,
    trainingData: tr('modelCard.fromRow', { summary: str(ds.summary) ?? tr('modelCard.seeRecord'), seed: r.seed }),
    backend: backend ?? str(be.name) ?? tr('modelCard.unknown'),
    metrics,
    createdAt: r.created_at,
    synthetic: r.synthetic === 1,
  };
}

/** A map's title in the report's language (the page's heading; the picture's own title is the billet's name). */
function layerTitle(tr: ReportTranslate, layer: Layer['layer']): string {
  switch (layer) {
    case 'measured':
      return tr('layer.measured');
    case 'predicted':
      return tr('layer.predicted');
    case 'difference':
      return tr('layer.difference');
    case 'uncertainty':
      return tr('layer.uncertainty');
    case 'corrected':
      return tr('layer.corrected');
    case 'corrected-uncertainty':
      return tr('layer.correctedUncertainty');
  }
}

/** The report's language: the one asked for, else the interface language chosen in Settings, else English. */
function reportLanguage(ctx: ServiceContext, asked: ReportLanguage | undefined): ReportLanguage {
  const ui = ctx.repos.settings.get<string>('ui.language');
  return asked ?? (ui === 'zh' || ui === 'it' || ui === 'en' ? ui : 'en');
}

/** The readings' share of the section for the acceptance rule: their convex hull's exact area over the section's (not a count of grid cells, which moves with the grid). */
function readingsCover(pts: readonly MapPoint[], main: Layer): { points: number; coveredFraction: number } {
  const r = withReadings(pts);
  return { points: r.length, coveredFraction: hullCoveredFraction(r, main.grid.radiusMm) };
}

/**
 * The one C0 every acceptance figure of a report is taken with: the ladle/bulk carbon if given; else the measured
 * map's area mean over the area its points cover when that map decides (≥ MEASURED_MIN_POINTS covering ≥
 * MEASURED_MIN_COVERED); else the predicted area mean of the model's raw patch lattice (not of the layer drawn, so a
 * display choice cannot move it). Never the plain mean of the readings: points bunched on a diameter or at the centre
 * would bias it. A measured map's own report without a prediction has no lattice: its map's area mean stands (its
 * class is then indicative, and says so).
 */
function referenceC0(b: { bulkCarbonWtPct: number | null }, main: Layer, meas: Layer | null, cover: { points: number; coveredFraction: number }): { wtPct: number; source: C0Source } {
  if (b.bulkCarbonWtPct !== null && b.bulkCarbonWtPct > 0) return { wtPct: b.bulkCarbonWtPct, source: 'bulk' };
  const m = main.layer === 'measured' ? main : meas;
  const decides = cover.points >= MEASURED_MIN_POINTS && cover.coveredFraction >= MEASURED_MIN_COVERED;
  if (m && (decides || !main.prediction)) return { wtPct: m.indices!.sectionMeanWtPct, source: 'measured-area-mean' };
  const grid = main.prediction?.grid ?? main.grid;
  return { wtPct: segregationIndices(grid).sectionMeanWtPct, source: 'lattice-mean' };
}

/**
 * What a model's map interval is for its acceptance check: calibrated; none (a model without one); unknown (no
 * calibration stored with the map and its model deleted); too narrow (its refit misses it on its own training points).
 */
function intervalState(ctx: ServiceContext, main: Layer): NonNullable<AcceptanceEvidence['model']>['interval'] {
  const pred = main.prediction!;
  const cal = main.calibration;
    // no calibration stored with the map and no model to ask (deleted, or no model id recorded): unknown, not "none"
  if (!cal) return !('calibration' in pred.params) && (pred.info.modelId === null || !createModelsRepo(ctx.db).getRaw(pred.info.modelId)) ? 'unknown' : 'none';
  if (!pred.grid.sd && cal.method !== 'split-conformal-absolute') return 'none';
  return refitCoverageShort(cal) ? 'too-narrow' : 'calibrated';
}

/**
 * What a map's acceptance class is decided with beside its max, every ratio with the reference C0: a model's map adds
 * the measured map (its readings, points and covered share), the corrected map, and the largest of the cells' upper
 * ends of the model's intervals — always from the raw patch lattice (each cell's raw prediction plus its half-width),
 * whichever layer is drawn: a smoothed value plus a raw patch's half-width is no patch's interval. A measured map's
 * own report adds its points and covered share.
 */
function acceptanceEvidence(ctx: ServiceContext, b: { id: number }, main: Layer, meas: Layer | null, corrected: Layer | null, pts: readonly MapPoint[], cover: { points: number; coveredFraction: number }, c0: { wtPct: number; source: C0Source }): AcceptanceEvidence {
  const pred = main.prediction;
  // the highest single reading: a measurement, the class is never better than its
  const readingMax = withReadings(pts).reduce<{ label: string; ratio: number } | null>((top, p) => (top === null || p.carbonWtPct / c0.wtPct > top.ratio ? { label: p.label, ratio: p.carbonWtPct / c0.wtPct } : top), null);
  // wherever readings take part (a diameter traverse with no measured map included) the class is also checked at their
  // upper end for the analyser's repeatability from the billet's own replicates, and a measured map's at its own
  const repeatability = billetRepeatability(pts);
  const readingsPart = readingMax === null ? {} : { repeatability, readingsUpper: readingsUpperOf(pts, repeatability, c0) };
  if (main.layer === 'measured') return { c0, readingMax, self: cover, ...readingsPart, measuredUpper: measuredUpperOf(pts, repeatability, main, c0) };
  if (main.layer !== 'predicted' || !pred) return { c0, readingMax, ...readingsPart };
  const readings = cover.points;
  const measured = meas ? { ratio: meas.indices!.max.wtPct / c0.wtPct, ...cover } : null;
  const rep = { ...readingsPart, ...(meas ? { measuredUpper: measuredUpperOf(pts, repeatability, meas, c0) } : {}) };
  const c = corrected && pred.corrected ? { k: pred.corrected.label.k, ratio: corrected.indices!.max.wtPct / c0.wtPct, upper: upperOf(largestUpperEnd(corrected.grid, pred.corrected.halfWidth, c0.wtPct), pred.corrected.label.level) } : null;
  const interval = intervalState(ctx, main);
  const model = { sample: mapSample(ctx, pred.info.modelId, b.id), interval };
  const cal = main.calibration;
  if (!cal || interval === 'none' || interval === 'unknown') return { c0, readings, readingMax, measured, corrected: c, model, ...rep };
  const halfWidth = pred.grid.sd ? uncertaintyGrid(pred.grid, (m, sd) => intervalFor(m, cal, sd).halfWidth).values : new Float64Array(pred.grid.values.length).fill(cal.quantile);
  const upper = upperOf(largestUpperEnd(pred.grid, halfWidth, c0.wtPct), 1 - cal.alpha);
  return { c0, readings, readingMax, measured, corrected: c, model, upper, ...rep };
}

const upperOf = (u: { ratio: number } | null, nominal: number) => (u ? { ratio: u.ratio, nominal } : null);

/** The analyser's repeatability pooled from the billet's points read at least twice (null: none was). */
function billetRepeatability(pts: readonly MapPoint[]): Repeatability | null {
  return pooledRepeatability(withReadings(pts).map((p) => ({ n: p.replicates ?? 1, sdWtPct: p.replicateSdWtPct ?? null })));
}

/** The points with readings as the repeatability bounds take them: each point's mean and its own n. */
const pointMeans = (pts: readonly MapPoint[]): PointMean[] => withReadings(pts).map((p) => ({ label: p.label, xMm: p.xMm, yMm: p.yMm, meanWtPct: p.carbonWtPct, n: p.replicates ?? 1 }));

/**
 * The readings at the one-sided 90 % upper end of the analyser's repeatability, as C/C0: the largest over the points of
 * meanᵢ + t·s/√nᵢ, each with its own n (null: no replicates, or too few degrees of freedom).
 */
function readingsUpperOf(pts: readonly MapPoint[], rep: Repeatability | null, c0: { wtPct: number }): AcceptanceEvidence['readingsUpper'] {
  const u = readingsUpperEnd(pointMeans(pts), rep);
  return u ? { ratio: u.wtPct / c0.wtPct, nominal: u.nominal, halfWidthWtPct: u.halfWidthWtPct, t: u.t, n: u.n, label: u.label, meanWtPct: u.valueWtPct } : null;
}

/**
 * The measured map at the one-sided 90 % upper end of the analyser's repeatability, as C/C0: the larger of its max +
 * t·s/√n_k (n_k the readings at the point nearest the max's cell, points at one place counted as the one spline node
 * they are, as measuredMap merges them) and the readings' upper end (null: no replicates, or too few degrees of freedom).
 */
function measuredUpperOf(pts: readonly MapPoint[], rep: Repeatability | null, map: Layer, c0: { wtPct: number }): AcceptanceEvidence['measuredUpper'] {
  const max = map.indices!.max;
  const u = measuredMapUpperEnd(max, pointMeans(pts), rep, 0.9, map.grid.radiusMm * 1e-6);
  return u ? { ratio: u.wtPct / c0.wtPct, nominal: u.map.nominal, halfWidthWtPct: u.map.halfWidthWtPct, t: u.map.t, n: u.map.n, label: u.map.label, maxWtPct: max.wtPct, by: u.by } : null;
}

/** The PDF report of a billet's map (measured, or predicted with its measured/uncertainty/difference pages), stored under reports/. */
export async function mapReport(ctx: ServiceContext, deps: { describeModel: DescribeModel; layers: MapLayers; poreSummary: (billetId: number) => PoreSummary }, { billetId, predictionId, paper, lab, operator, plant, settings, language: asked }: ParsedInput<'maps.report'>): Promise<ReportInfo> {
  const b = ctx.repos.billets.get(billetId);
  const language = reportLanguage(ctx, asked);
  const tr = reportTranslator(language);
  const pts = deps.layers.points(b.id);
  const hasPred = predictionId !== undefined;
  if (!hasPred) requireMeasured(b, pts);
  const labName = lab ?? ctx.repos.settings.get<string>('report.lab') ?? null;
  const opName = operator ?? ctx.repos.settings.get<string>('report.operator') ?? null;
  if (lab !== undefined) ctx.repos.settings.set('report.lab', lab);
  if (operator !== undefined) ctx.repos.settings.set('report.operator', operator);
  // every C/C0 the report prints (header, indices table, profiles, pictures, acceptance) is taken with one reference C0,
  // stated once: the layer is built once with its own C0 to find the raw lattice's mean, then with the reference
  const mainLayer = hasPred ? 'predicted' : 'measured';
  // the reference C0 needs the layers' own means first: the raw lattice's, and the measured map's area mean where its
  // readings decide (their share of the section is their convex hull's exact area, not a count of grid cells)
  const own = deps.layers.build(b, mainLayer, predictionId, settings);
  const cover = readingsCover(pts, own);
  // a spline needs 3 points off one line: a diameter traverse has no measured map (its readings still take part)
  const canMeasure = hasPred && withReadings(pts).length >= 3 && cover.coveredFraction > 0;
  const c0 = referenceC0(b, own, canMeasure ? deps.layers.build(b, 'measured', predictionId, settings) : null, cover);
  const main = deps.layers.build(b, mainLayer, predictionId, settings, c0);
  // the grade and heat typed for this report are the ones the header prints: the maps' subtitles name the same
  const printed = { ...b, steelGrade: plant?.grade ?? b.steelGrade, heat: plant?.heat ?? b.heat };
  const maps: ReportMapSpec[] = [];
  const W = 1400;
  const spec = async (l: Layer, s: MapSettings): Promise<ReportMapSpec> => ({
    title: layerTitle(tr, l.layer),
    caption: l.method,
    captionPhrases: l.methodPhrases,
    notePhrase: l.smoothing ? contourPhrase(l.smoothing, l.calibration) : null,
    grid: l.grid,
    // the map's own words (legend, subtitle, point values) in the report's language, its numbers with the decimal
    // point like every other number the report prints (one notation per page)
    render: { ...(await deps.layers.renderOptions(printed, l, s, W, b.name, language)), decimalMark: '.' },
  });
  maps.push(await spec(main, settings));
  let extraProfile: { name: string; bins: SegregationIndices['radialProfile'] } | null = null;
  let measuredLayer: Layer | null = null;
  let correctedLayer: Layer | null = null;
  if (hasPred) {
    const pid = main.prediction!.info.id;
    const meas = canMeasure ? deps.layers.build(b, 'measured', pid, settings, c0) : null;
    // the uncertainty page is the calibrated interval's half-width; without a calibration there is none to draw
    // a map corrected with K analysed readings adds its corrected field and that field's interval half-width
    const corrected = main.prediction!.corrected ? [deps.layers.build(b, 'corrected', pid, settings, c0), deps.layers.build(b, 'corrected-uncertainty', pid, settings, c0)] : [];
    correctedLayer = corrected[0] ?? null;
    const layers = [meas, main.calibration ? deps.layers.build(b, 'uncertainty', pid, settings, c0) : null, canMeasure ? deps.layers.build(b, 'difference', pid, settings, c0) : null, ...corrected];
    for (const l of layers) if (l) maps.push(await spec(l, { ...settings, levels: l.quantity === 'carbon' ? settings.levels : [] }));
    if (meas) extraProfile = { name: tr('source.measured'), bins: meas.indices!.radialProfile };
    measuredLayer = meas;
  }
  const truth = hasPred ? await deps.layers.syntheticTruth(b) : null;
  const tErr = truth ? errorAgainstTruth(main.grid, truth) : null;
  // plant fields are part of what the report states, so a different sign-off or limit is a different report
  const poreStatus = deps.poreSummary(b.id);
  const poreFacts = main.prediction ? poresOfPrediction(main.prediction.params) : poresOfSummary(poreStatus);
  const pores = poresLine(poreFacts, poreStatus.status, tr);
  // the pore line is part of what the report states as well; it enters the fingerprint in English, so the same
  // data printed in another language keeps its fingerprint
  const fp = dataFingerprint(fingerprintInputs(b, pts, main.prediction, { paper, lab: labName, operator: opName, settings, ...(plant ? { plant } : {}), pores: poresLine(poreFacts, poreStatus.status) }));
  // every figure of the acceptance class is a C/C0 with the report's reference C0, the one the indices table states
  const acceptance = plant?.acceptance ? acceptanceOf(main.indices!.max.wtPct / c0.wtPct, plant.acceptance, tr, acceptanceEvidence(ctx, b, main, measuredLayer, correctedLayer, pts, cover, c0)) : null;
  const acceptanceSummary = acceptance ? acceptanceJson(acceptance) : null;
  const now = new Date().toISOString();
  const pdf = await buildMapReportInWorker({
    maps,
    report: {
      paper,
      language,
      header: { lab: labName, billetName: b.name, grade: plant?.grade ?? b.steelGrade, diameterMm: b.nominalDiameterMm, heat: plant?.heat ?? b.heat, castingNotes: b.castingNotes, date: now, operator: opName },
      synthetic: b.synthetic,
      indicesSource: hasPred ? tr('source.predicted', { model: main.prediction!.info.modelId ?? '?', stride: main.prediction!.info.strideMm }) : tr('source.measured'),
      indices: main.indices!,
      indicesSample: hasPred ? mapSample(ctx, main.prediction!.info.modelId, b.id) : null,
      indicesField: hasPred ? (main.smoothing ? 'smoothed' : 'mosaic') : null,
      plant: plant ? { etchant: plant.etchant, analyserMethod: plant.analyserMethod, signedOffBy: plant.signedOffBy, acceptance } : null,
      pores,
      // the predicted map's section scale against its resolution tag and its model's training check, as stored with the map
      ...(hasPred ? { scaleWords: main.prediction!.info.scaleWords } : {}),
      extraProfile,
      methodNote: main.method + (tErr ? ` ${english(truthErrorPhrase(tErr))}` : ''),
      methodPhrases: main.methodPhrases ? [...main.methodPhrases, ...(tErr ? [truthErrorPhrase(tErr)] : [])] : null,
      points: main.points,
      repeatability: billetRepeatability(pts),
      comparison: hasPred ? summariseComparison(main.points) : null,
      comparisonFit: hasPred ? comparisonFit(ctx, main.prediction!.info.modelId, b.id, main.points) : null,
      calibration: main.calibration,
      model: hasPred ? await modelCard(ctx, deps.describeModel, main.prediction!.info.modelId, main.prediction!.info.backend, tr, reportPhraser(language)) : null,
      version: ctx.version,
      fingerprint: fp,
    },
  });
  const stamp = now.replace(/[:.]/g, '-');
  const rel = `reports/${b.id}/${stamp}-${slug(b.name)}-${hasPred ? 'predicted' : 'measured'}-${paper}.pdf`;
  writeFileWhole(join(ctx.paths.root, rel), pdf);
  const info = createReportsRepo(ctx.db, ctx.paths.root).create({
    billetId: b.id,
    kind: hasPred ? 'segregation-map-predicted' : 'segregation-map-measured',
    title: `${b.name} — ${hasPred ? 'predicted' : 'measured'} segregation map (${paper})`,
    path: rel,
    fingerprint: fp,
    params: { paper, language, predictionId: main.prediction?.info.id ?? null, lab: labName, operator: opName, plant: plant ?? null, acceptance: acceptanceSummary, settings, indices: nanToNull({ ...main.indices!, radialProfile: undefined }), truthError: tErr },
  });
  ctx.bus.emit({ type: 'data-changed', entity: 'report', id: b.id });
  return { ...info, acceptance: acceptanceSummary, printed: { indices: nanToNull(main.indices!) } };
}

/** The acceptance class as the JSON answer carries it: the class, the reference C0, every figure and the qualifiers. */
function acceptanceJson(a: AcceptanceResult): ReportAcceptance {
  const { rule: _rule, mapFigure: _mapFigure, otherFigures: _otherFigures, ...rest } = a;
  return rest;
}
