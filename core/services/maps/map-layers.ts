/**
 * The layers of a billet's segregation map (measured, predicted, difference, uncertainty) from its points,
 * readings and stored predictions, and what the renderer needs to draw one.
 */
import { allScaleWarnings } from '../../api/scale-check-words.js';
import type { SyntheticVariant } from '../../synth/index.js';
import { readdirSync, statSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { ServiceContext } from '../context.js';
import type { MapSettings } from '../../api/methods/maps.js';
import type { Billet } from '../../api/methods/billets.js';
import { ApiError } from '../../api/errors.js';
import { measuredMap, segregationIndices, c0SourcePhrase, renderMapPng, autoRange, symmetricIfSigned, defaultLevels, comparePoints, type MapPoint, differenceGrid, uncertaintyGrid, MEASURED_MAP_METHOD, smoothGrid, distinguishableLevels, type SmoothedField, type MapLayer, type PointComparison, type MapMarker, type RenderedMap, type PatchPrediction, type RenderOptions, type C0Source, mapWords, type MapLanguage, type MapWords } from '../../maps/index.js';
import { createPointsRepo } from '../../store/repos/points-repo.js';
import { createPredictedMapsRepo, type StoredPrediction } from '../../store/repos/predicted-maps-repo.js';
import { log } from '../../runtime/log.js';
import type { UnderlaySource } from '../shared/underlay.js';
import { requireMeasured, withReadings, type Layer } from '../shared/map-layer.js';
import { predictionCalibration } from '../shared/prediction-calibration.js';
import { mapSample } from '../shared/comparison-fit.js';
import { intervalFor, type IntervalCalibration } from '../../ml/conformal.js';
import { correctedMethod, correctedUncertaintyMethod, requireCorrected } from './corrected-layers.js';
import { fixed, phrase, type Phrase } from '../../api/phrase.js';
import { MEASURED_MAP_METHOD_PHRASE, hullCoveredFraction } from '../../maps/index.js';
import { contourPhrase, differenceNote, noteEnglish, rawNote, smoothedNote, uncertaintyNote, type Note } from '../shared/map-notes.js';

/**
 * The stored smoothing of a predicted map; a map predicted before smoothed maps existed is fitted here once
 * (seconds, on this thread) and stored. Null when the lattice has too few accepted patches to fit one.
 */
function smoothedOf(ctx: ServiceContext, pred: StoredPrediction): SmoothedField | null {
  if (pred.smoothed) return pred.smoothed;
  const sm = smoothGrid(pred.grid);
  if (sm) {
    createPredictedMapsRepo(ctx.db).setSmoothed(pred.info.id, sm);
    pred.smoothed = sm;
  }
  return sm;
}

// ── data loading ───────────────────────────────────────────────────────────────────────────────────

/** Every sampling point of the billet with its mean reading, or null where it has none yet. */
export function mapPoints(ctx: ServiceContext, billetId: number): MapPoint[] {
  return createPointsRepo(ctx.db)
    .list(billetId)
    .map((p) => ({ label: p.label, xMm: p.xMm, yMm: p.yMm, carbonWtPct: p.meanWtPct, replicates: p.n, replicateSdWtPct: p.sdWtPct }));
}

export function loadPrediction(ctx: ServiceContext, billetId: number, predictionId: number | undefined): StoredPrediction {
  const repo = createPredictedMapsRepo(ctx.db);
  const id = predictionId ?? repo.latest(billetId)?.id;
  if (id === undefined) throw ApiError.said('failed_precondition', phrase('errors.maps.noPrediction'), { field: 'predictionId' });
  return repo.load(id, billetId);
}

/** Re-pairs stored point predictions with today's readings (readings may have been corrected since). */
function pointRows(points: MapPoint[], pred: StoredPrediction | null): PointComparison[] {
  if (!pred) return comparePoints(points, points.map(() => null)).map((r) => ({ ...r, masked: null }));
  const byLabel = new Map(pred.points.map((p) => [p.label, p]));
  const preds: (PatchPrediction | null)[] = points.map((p) => {
    const q = byLabel.get(p.label);
    if (!q) return null;
    if (q.predictedWtPct === null) return { mean: Number.NaN, sd: Number.NaN, masked: (q.masked as PatchPrediction['masked']) ?? 'quality' };
    return { mean: q.predictedWtPct, sd: q.predictedSdWtPct ?? 0 };
  });
  return comparePoints(points, preds);
}

/** True carbon field of a synthetic billet, rebuilt from its stored seed (null for real billets). */
export async function syntheticTruth(ctx: ServiceContext, b: Billet): Promise<((x: number, y: number) => number) | null> {
  if (!b.synthetic) return null;
  const info = ctx.repos.billets.syntheticInfo(b.id) as { seed?: number; variant?: string } | null;
  if (!info || typeof info.seed !== 'number') return null;
  try {
    const synth = await import('../../synth/index.js');
    return synth.syntheticTrueField({ seed: info.seed, variant: (info.variant ?? 'base') as SyntheticVariant, diameterMm: b.nominalDiameterMm });
  } catch (err) {
    log.error('maps', 'could not rebuild the true field of a synthetic billet; the map is drawn without it', { billetId: b.id, seed: info.seed, err });
    return null;
  }
}

// ── layers ─────────────────────────────────────────────────────────────────────────────────────────

function indexOptions(b: Billet, s: MapSettings, c0: ReferenceC0 | null) {
  return { bulkCarbonWtPct: b.bulkCarbonWtPct, c0, thresholdsAbove: s.thresholdsAbove, thresholdsBelow: s.thresholdsBelow, centralRadiusFrac: s.centralRadiusFrac };
}

/** A C0 given from outside the layer (a report's one reference C0), with where it comes from. */
export type ReferenceC0 = { wtPct: number; source: C0Source };

/**
 * One layer of a billet's map. The measured and difference layers need readings at 3+ points; the
 * predicted and uncertainty layers need only a stored predicted map, so a billet assessed by the model
 * alone (no or few readings) still gets its map.
 */
export function buildLayer(ctx: ServiceContext, b: Billet, layer: MapLayer, predictionId: number | undefined, s: MapSettings, c0: ReferenceC0 | null = null): Layer {
  const all = mapPoints(ctx, b.id);
  if (layer === 'measured' || layer === 'difference') requireMeasured(b, all);
  const measured = withReadings(all);
  const R = b.nominalDiameterMm / 2;
  // a spline needs points off one line: readings on a diameter traverse give no measured map beside a predicted one
  // (which still draws); asked for the measured or difference map itself, the spline refuses them with its own words
  const needsMeasured = layer === 'measured' || layer === 'difference';
  const mm = measured.length >= 3 && (needsMeasured || hullCoveredFraction(measured, R) > 0) ? measuredMap(measured, R, { cellsAcross: s.cellsAcross }) : null;
  // the measured map's indices stop at the outermost points: beyond them the spline is extrapolated
  const mIdx = mm ? segregationIndices(mm.grid, { ...indexOptions(b, s, c0), coveredBy: measured }) : null;
  const pred = layer === 'measured' ? (predictionId !== undefined ? loadPrediction(ctx, b.id, predictionId) : null) : loadPrediction(ctx, b.id, predictionId);
  const pIdx = pred ? segregationIndices(pred.grid, indexOptions(b, s, c0)) : null;
  const ref = (mIdx ?? pIdx)!; // C0 of the non-carbon layers: the measured map's, else the predicted map's
  const calibration = pred ? predictionCalibration(ctx, pred) : null;
  // a model's layers say what the map is to the model (the picture's subtitle prints it); the measured layer is the readings'
  const sample = pred && layer !== 'measured' ? mapSample(ctx, pred.info.modelId, b.id) : null;
  const base = { prediction: pred, points: pointRows(all, pred), calibration, sample };
  switch (layer) {
    case 'measured':
      return { ...base, layer, grid: mm!.grid, quantity: 'carbon', indices: mIdx, c0: mIdx!.c0WtPct, c0Source: mIdx!.c0Source, method: MEASURED_MAP_METHOD, methodPhrases: [MEASURED_MAP_METHOD_PHRASE], coveredBy: measured };
    case 'predicted': {
      const sm = s.predictedField === 'raw' ? null : smoothedOf(ctx, pred!);
      if (!sm) {
        const note = rawNote(pred!.info.strideMm, pred!.info.patchCount, s.predictedField !== 'raw');
        return { ...base, layer, grid: pred!.grid, quantity: 'carbon', indices: pIdx, c0: pIdx!.c0WtPct, c0Source: pIdx!.c0Source, ...described(note), smoothing: null, smoothedSd: null };
      }
      const sIdx = segregationIndices(sm.grid, indexOptions(b, s, c0));
      return { ...base, layer, grid: sm.grid, quantity: 'carbon', indices: sIdx, c0: sIdx.c0WtPct, c0Source: sIdx.c0Source, ...described(smoothedNote(sm.fit, pred!.info.strideMm)), smoothing: sm.fit, smoothedSd: sm.smoothedSd };
    }
    case 'difference':
      return {
        ...base,
        layer,
        grid: differenceGrid(pred!.grid, (x, y) => mm!.spline.evaluate(x, y)),
        quantity: 'difference',
        indices: null,
        c0: ref.c0WtPct,
        c0Source: ref.c0Source,
        ...described(differenceNote()),
      };
    case 'uncertainty': {
      const cal = requireCalibration(pred!, calibration);
      return { ...base, layer, grid: uncertaintyGrid(pred!.grid, (m, sd) => intervalFor(m, cal, sd).halfWidth), quantity: 'uncertainty', indices: null, c0: ref.c0WtPct, c0Source: ref.c0Source, ...described(uncertaintyNote(cal)) };
    }
    case 'corrected': {
      const c = requireCorrected(pred!);
      const cIdx = segregationIndices(c.grid, indexOptions(b, s, c0));
      return { ...base, layer, grid: c.grid, quantity: 'carbon', indices: cIdx, c0: cIdx.c0WtPct, c0Source: cIdx.c0Source, ...correctedMethod(c.label, pred!.info.strideMm), corrected: c.label };
    }
    case 'corrected-uncertainty': {
      const c = requireCorrected(pred!);
      return { ...base, layer, grid: { ...c.grid, values: c.halfWidth, sd: null }, quantity: 'uncertainty', indices: null, c0: ref.c0WtPct, c0Source: ref.c0Source, ...correctedUncertaintyMethod(c.label), corrected: c.label };
    }
  }
}

/** The uncertainty layer shows calibrated intervals only: a map whose model has none gets no layer, not the TTA sd. */
function requireCalibration(pred: { info: { modelId: number | null; modelName: string | null } }, c: IntervalCalibration | null): IntervalCalibration {
  if (c) return c;
  throw ApiError.said('failed_precondition', phrase('errors.maps.noCalibration', { model: pred.info.modelName ?? `id ${pred.info.modelId}` }), { field: 'layer' });
}

/** A layer's note as codes and its English words (the API's `method`, the CLI). */
function described(note: Note): { method: string; methodPhrases: Note } {
  return { method: noteEnglish(note), methodPhrases: note };
}

/** The points drawn on a layer, their values written with the picture's decimal mark. */
function markersFor(l: Layer, w: MapWords): MapMarker[] {
  return l.points.map((p) => {
    switch (l.layer) {
      case 'measured':
        return { label: p.label, xMm: p.xMm, yMm: p.yMm, text: p.measuredWtPct === null ? '—' : w.num(p.measuredWtPct, 3), value: p.measuredWtPct ?? undefined };
      case 'predicted':
        return { label: p.label, xMm: p.xMm, yMm: p.yMm, text: p.predictedWtPct === null ? '—' : w.num(p.predictedWtPct, 3), value: p.predictedWtPct ?? undefined };
      case 'corrected':
      case 'corrected-uncertainty': {
        // the analysed points carry their readings (what corrected the map); the others are plain markers
        const analysed = l.corrected?.labels.includes(p.label) === true;
        return { label: p.label, xMm: p.xMm, yMm: p.yMm, text: analysed && p.measuredWtPct !== null ? w.num(p.measuredWtPct, 3) : undefined, value: analysed ? (p.measuredWtPct ?? undefined) : undefined };
      }
      case 'difference':
        return { label: p.label, xMm: p.xMm, yMm: p.yMm, text: p.relativeError === null ? '—' : `${p.relativeError >= 0 ? '+' : ''}${w.num(p.relativeError * 100, 1)}%`, value: p.errorWtPct ?? undefined };
      case 'uncertainty': {
        const c = l.calibration;
        const hw = p.predictedWtPct === null || !c || (c.method !== 'split-conformal-absolute' && p.predictedSdWtPct === null) ? null : intervalFor(p.predictedWtPct, c, p.predictedSdWtPct).halfWidth;
        return { label: p.label, xMm: p.xMm, yMm: p.yMm, text: hw === null ? undefined : `±${w.num(hw, 3)}`, value: hw ?? undefined };
      }
    }
  });
}

function levelsFor(l: Layer, s: MapSettings, range: [number, number]): number[] {
  const given = s.levels?.map((v) => (s.levelsUnit === 'ratio' && l.quantity !== 'uncertainty' ? v * l.c0 : v));
  // the smoothed predicted field: only levels its interval can tell apart (spacing ≥ the typical 90 % width)
  if (l.smoothing) return distinguishableLevels(range, l.c0, l.smoothing.typicalInterval90WtPct, given).levels;
  if (given) return given;
  return defaultLevels(range, l.c0, l.quantity);
}

export async function renderLayer(underlay: UnderlaySource, b: Billet, l: Layer, s: MapSettings, widthPx: number, language: MapLanguage = 'en'): Promise<RenderedMap> {
  return renderMapPng(l.grid, await renderOptions(underlay, b, l, s, widthPx, undefined, language));
}

/** The layer's title in the picture's language: what it shows, and how a corrected map was corrected. */
function layerTitle(w: MapWords, l: Layer): string {
  const what = (): Phrase => {
    switch (l.layer) {
      case 'measured':
        return phrase('mapPng.layer.measured');
      case 'predicted':
        return l.smoothing ? phrase('mapPng.layer.predictedSmoothed') : phrase('mapPng.layer.predictedRaw');
      case 'difference':
        return phrase('mapPng.layer.difference');
      case 'uncertainty':
        return phrase('mapPng.layer.uncertainty');
      case 'corrected':
        return phrase('mapPng.layer.corrected');
      case 'corrected-uncertainty':
        return phrase('mapPng.layer.correctedUncertainty');
    }
  };
  const c = l.corrected;
  if (!c) return w.say(what());
  const how = c.method === 'residual-kriging' ? phrase('mapPng.correction.kriging', { k: c.k }) : phrase('mapPng.correction.levelSlope', { k: c.k });
  return w.say(phrase('mapPng.withCorrection', { layer: w.say(what()), correction: w.say(how) }));
}

/**
 * Everything the renderer needs for a layer (also what the report worker gets), its words in `language`: the
 * title (unless given), the subtitle, the points' values and the legend.
 */
export async function renderOptions(underlay: UnderlaySource, b: Billet, l: Layer, s: MapSettings, widthPx: number, title?: string, language: MapLanguage = 'en'): Promise<RenderOptions> {
  const w = mapWords(language);
  const background = s.overlay ? await underlay(b.id) : null;
  if (s.overlay && !background) throw ApiError.said('failed_precondition', phrase('errors.maps.noOverlay', { name: b.name }), { field: 'settings.overlay' });
  const colourMarkers = l.layer === 'measured' || l.layer === 'predicted' || l.layer === 'corrected';
  const markers = markersFor(l, w).map((m) => (colourMarkers ? m : { ...m, value: undefined }));
  // the automatic range first, so the default contour levels sit inside it
  const range = symmetricIfSigned(s.range ?? autoRange(l.grid, l.quantity, markers), l.quantity);
  return {
    quantity: l.quantity,
    widthPx,
    colormap: s.colormap,
    range,
    c0WtPct: l.c0,
    c0Source: l.c0Source,
    levels: levelsFor(l, s, range),
    markers,
    background,
    opacity: s.opacity,
    title: title ?? w.say(phrase('mapPng.title', { name: b.name, layer: layerTitle(w, l) })) + (b.synthetic ? ` — ${w.say(phrase('mapPng.synthetic'))}` : ''),
    // the billet's own fields (name, grade, heat) as typed, never reworded
    subtitle: [
      `Ø ${w.num(b.nominalDiameterMm)} mm`,
      b.steelGrade,
      b.heat ? w.say(phrase('mapPng.heat', { heat: b.heat })) : null,
      l.sample === 'in-sample' ? w.say(phrase('mapPng.sample.inSample')) : l.sample === 'out-of-sample' ? w.say(phrase('mapPng.sample.outOfSample')) : null,
      `${w.say(phrase('mapPng.c0', { value: fixed(l.c0, 3) }))} ${w.say(c0SourcePhrase(l.c0Source))}`,
      l.smoothing ? w.say(contourPhrase(l.smoothing, l.calibration)) : null,
      // a map cut from a section whose scale its resolution tag contradicts, or made by a model trained on one (its
      // base's included), says so on the picture itself (stored with the map)
      ...(l.layer !== 'measured' ? (l.prediction?.info.scaleCheck?.warnings ?? []).map((x) => w.say(phrase('mapPng.scaleOffTag', { ratio: fixed(x.ratio, 2) }))) : []),
      ...(l.layer !== 'measured' ? allScaleWarnings(l.prediction?.info.scaleCheck?.from?.check ?? null).map((x) => w.say(phrase('mapPng.modelScaleOffTag', { name: x.billetName, ratio: fixed(x.ratio, 2) }))) : []),
    ]
      .filter((v): v is string => !!v)
      .join(' · '),
    language,
  };
}

/** Preview PNGs are a cache (same inputs → same file name); keep the newest few per billet. */
const PREVIEWS_KEPT = 40;
export function prunePreviews(dir: string): void {
  try {
    const files = readdirSync(dir)
      .filter((f) => f.endsWith('.png'))
      .map((f) => ({ f, t: statSync(join(dir, f)).mtimeMs }))
      .sort((a, b) => b.t - a.t);
    for (const { f } of files.slice(PREVIEWS_KEPT)) rmSync(join(dir, f), { force: true });
  } catch (err) {
    // a cache that cannot be pruned now is pruned next time
    log.warn('maps', 'could not prune map previews', { dir, err });
  }
}


/** The layer builder bound to a context: what the reports service receives (from the composition root) to draw its maps. */
export function createMapLayers(ctx: ServiceContext, underlay: UnderlaySource) {
  return {
    points: (billetId: number) => mapPoints(ctx, billetId),
    /** `c0`: every index and the colour scale's C/C0 taken with this C0 (a report's reference C0); null: the layer's own. */
    build: (b: Billet, layer: MapLayer, predictionId: number | undefined, s: MapSettings, c0: ReferenceC0 | null = null) => buildLayer(ctx, b, layer, predictionId, s, c0),
    renderOptions: (b: Billet, l: Layer, s: MapSettings, widthPx: number, title?: string, language?: MapLanguage) => renderOptions(underlay, b, l, s, widthPx, title, language),
    syntheticTruth: (b: Billet) => syntheticTruth(ctx, b),
  };
}
