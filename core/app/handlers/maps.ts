import type { SyntheticVariant } from '../../synth/index.js';
import { existsSync, mkdirSync, readFileSync, writeFileSync, renameSync, readdirSync, statSync, rmSync } from 'node:fs';
import { join, dirname } from 'node:path';
import type { AppContext } from '../context.js';
import type { Handlers } from '../handler-types.js';
import { mapMethods, type MapSettings, type MapView } from '../../api/methods/maps.js';
import type { Billet } from '../../api/methods/billets.js';
import { ApiError } from '../../api/errors.js';
import {
  measuredMap,
  segregationIndices,
  renderMapPng,
  autoRange,
  defaultLevels,
  comparePoints,
  summariseComparison,
  type MapPoint,
  differenceGrid,
  uncertaintyGrid,
  predictedMap,
  defaultStrideMm,
  gridToJson,
  gridToCsv,
  errorAgainstTruth,
  MEASURED_MAP_METHOD,
  type FieldGrid,
  type MapLayer,
  type MeasuredPoint,
  type PointComparison,
  type SegregationIndices,
  type MapMarker,
  type MapQuantity,
  type RenderedMap,
  type PatchPrediction,
  type RenderOptions,
} from '../../maps/index.js';
import { buildMapReportInWorker, dataFingerprint, type ModelCard, type ReportMapSpec } from '../../report/index.js';
import { createPointsRepo } from '../../store/repos/points-repo.js';
import { createReportsRepo } from '../../store/repos/reports-repo.js';
import { createPredictedMapsRepo, type StoredPrediction } from '../../store/repos/predicted-maps-repo.js';
import { log } from '../../runtime/log.js';
import { loadPatchPredictor } from '../../maps/predictor-source.js';

const PREDICTED_METHOD =
  'CNN evaluated on a square lattice of patch centres (stride given); each value is the mean over the test-time-augmented views (rotations/mirrors) and the uncertainty layer their standard deviation. Cells refused by the quality gate (porosity, low etch contrast, patch off the section) are masked, never interpolated.';

// ── data loading ───────────────────────────────────────────────────────────────────────────────────

/** Every sampling point of the billet with its mean reading, or null where it has none yet. */
function mapPoints(ctx: AppContext, billetId: number): MapPoint[] {
  return createPointsRepo(ctx.db)
    .list(billetId)
    .map((p) => ({ label: p.label, xMm: p.xMm, yMm: p.yMm, carbonWtPct: p.meanWtPct, replicates: p.n }));
}

function withReadings(all: readonly MapPoint[]): MeasuredPoint[] {
  return all.filter((p): p is MeasuredPoint => p.carbonWtPct !== null);
}

function requireMeasured(b: Billet, all: readonly MapPoint[]): MeasuredPoint[] {
  const pts = withReadings(all);
  if (pts.length < 3) {
    throw new ApiError('failed_precondition', `Billet "${b.name}" has readings at ${pts.length} point(s); a measured map needs 3 or more (enter readings in the Annotate view or import a CSV)`);
  }
  return pts;
}

function loadPrediction(ctx: AppContext, billetId: number, predictionId: number | undefined): StoredPrediction {
  const repo = createPredictedMapsRepo(ctx.db);
  const id = predictionId ?? repo.latest(billetId)?.id;
  if (id === undefined) throw new ApiError('failed_precondition', 'This billet has no predicted map yet: run "Predict map" with a trained model first', { field: 'predictionId' });
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

interface EtchedImage {
  file: string;
  /** Rim circle in full-resolution pixels, and the full-resolution width (the file may be a thumbnail). */
  circle: { cx: number; cy: number; r: number };
  fullWidth: number;
}

/** The billet's latest calibrated section image, as its thumbnail (enough for an underlay). */
function etchedImage(ctx: AppContext, billetId: number): EtchedImage | null {
  const row = ctx.db
    .prepare('SELECT content_hash, width, circle_cx_px, circle_cy_px, circle_r_px FROM images WHERE billet_id = ? AND circle_r_px IS NOT NULL ORDER BY id DESC LIMIT 1')
    .get(billetId) as { content_hash: string; width: number; circle_cx_px: number; circle_cy_px: number; circle_r_px: number } | undefined;
  if (!row) return null;
  const dir = join(ctx.paths.images, row.content_hash);
  for (const name of ['thumb.png', 'thumb.jpg', 'thumb.webp']) {
    const file = join(dir, name);
    if (existsSync(file)) {
      return { file, circle: { cx: row.circle_cx_px, cy: row.circle_cy_px, r: row.circle_r_px }, fullWidth: row.width };
    }
  }
  return null;
}

/** True carbon field of a synthetic billet, rebuilt from its stored seed (null for real billets). */
async function syntheticTruth(ctx: AppContext, b: Billet): Promise<((x: number, y: number) => number) | null> {
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

interface Layer {
  layer: MapLayer;
  grid: FieldGrid;
  quantity: MapQuantity;
  indices: SegregationIndices | null;
  /** C0 for the colour scale: from the carbon layer's indices. */
  c0: number;
  c0Source: 'bulk' | 'section-mean';
  method: string;
  points: PointComparison[];
  prediction: StoredPrediction | null;
}

function indexOptions(b: Billet, s: MapSettings) {
  return { bulkCarbonWtPct: b.bulkCarbonWtPct, thresholdsAbove: s.thresholdsAbove, thresholdsBelow: s.thresholdsBelow, centralRadiusFrac: s.centralRadiusFrac };
}

/**
 * One layer of a billet's map. The measured and difference layers need readings at 3+ points; the
 * predicted and uncertainty layers need only a stored predicted map, so a billet assessed by the model
 * alone (no or few readings) still gets its map.
 */
function buildLayer(ctx: AppContext, b: Billet, layer: MapLayer, predictionId: number | undefined, s: MapSettings): Layer {
  const all = mapPoints(ctx, b.id);
  if (layer === 'measured' || layer === 'difference') requireMeasured(b, all);
  const measured = withReadings(all);
  const R = b.nominalDiameterMm / 2;
  const mm = measured.length >= 3 ? measuredMap(measured, R, { cellsAcross: s.cellsAcross }) : null;
  const mIdx = mm ? segregationIndices(mm.grid, indexOptions(b, s)) : null;
  const pred = layer === 'measured' ? (predictionId !== undefined ? loadPrediction(ctx, b.id, predictionId) : null) : loadPrediction(ctx, b.id, predictionId);
  const pIdx = pred ? segregationIndices(pred.grid, indexOptions(b, s)) : null;
  const ref = (mIdx ?? pIdx)!; // C0 of the non-carbon layers: the measured map's, else the predicted map's
  const base = { prediction: pred, points: pointRows(all, pred) };
  switch (layer) {
    case 'measured':
      return { ...base, layer, grid: mm!.grid, quantity: 'carbon', indices: mIdx, c0: mIdx!.c0WtPct, c0Source: mIdx!.c0Source, method: MEASURED_MAP_METHOD };
    case 'predicted':
      return { ...base, layer, grid: pred!.grid, quantity: 'carbon', indices: pIdx, c0: pIdx!.c0WtPct, c0Source: pIdx!.c0Source, method: `${PREDICTED_METHOD} Stride ${pred!.info.strideMm} mm, ${pred!.info.patchCount} patches.` };
    case 'difference':
      return {
        ...base,
        layer,
        grid: differenceGrid(pred!.grid, (x, y) => mm!.spline.evaluate(x, y)),
        quantity: 'difference',
        indices: null,
        c0: ref.c0WtPct,
        c0Source: ref.c0Source,
        method: 'Predicted minus measured: the predicted lattice value minus the thin-plate-spline measured map at the same place; points show the relative error (predicted − measured)/measured of the model at each sampling point.',
      };
    case 'uncertainty':
      return { ...base, layer, grid: uncertaintyGrid(pred!.grid), quantity: 'uncertainty', indices: null, c0: ref.c0WtPct, c0Source: ref.c0Source, method: 'Standard deviation of the CNN prediction over the test-time-augmented views of each patch (wt.%).' };
  }
}

function markersFor(l: Layer): MapMarker[] {
  return l.points.map((p) => {
    switch (l.layer) {
      case 'measured':
        return { label: p.label, xMm: p.xMm, yMm: p.yMm, text: p.measuredWtPct === null ? '—' : p.measuredWtPct.toFixed(3), value: p.measuredWtPct ?? undefined };
      case 'predicted':
        return { label: p.label, xMm: p.xMm, yMm: p.yMm, text: p.predictedWtPct === null ? '—' : p.predictedWtPct.toFixed(3), value: p.predictedWtPct ?? undefined };
      case 'difference':
        return { label: p.label, xMm: p.xMm, yMm: p.yMm, text: p.relativeError === null ? '—' : `${p.relativeError >= 0 ? '+' : ''}${(p.relativeError * 100).toFixed(1)}%`, value: p.errorWtPct ?? undefined };
      case 'uncertainty':
        return { label: p.label, xMm: p.xMm, yMm: p.yMm, text: p.predictedSdWtPct === null ? undefined : `±${p.predictedSdWtPct.toFixed(3)}`, value: p.predictedSdWtPct ?? undefined };
    }
  });
}

function levelsFor(l: Layer, s: MapSettings, range: [number, number]): number[] {
  if (s.levels) return s.levels.map((v) => (s.levelsUnit === 'ratio' && l.quantity !== 'uncertainty' ? v * l.c0 : v));
  return defaultLevels(range, l.c0, l.quantity);
}

const LAYER_TITLE: Record<MapLayer, string> = {
  measured: 'Measured carbon map',
  predicted: 'Predicted carbon map (CNN)',
  difference: 'Difference: predicted − measured',
  uncertainty: 'Prediction uncertainty (TTA sd)',
};

async function renderLayer(ctx: AppContext, b: Billet, l: Layer, s: MapSettings, widthPx: number, title?: string): Promise<RenderedMap> {
  return renderMapPng(l.grid, await renderOptions(ctx, b, l, s, widthPx, title));
}

/** Everything the renderer needs for a layer (also what the report worker gets). */
async function renderOptions(ctx: AppContext, b: Billet, l: Layer, s: MapSettings, widthPx: number, title?: string): Promise<RenderOptions> {
  const overlay = s.overlay ? etchedImage(ctx, b.id) : null;
  if (s.overlay && !overlay) throw new ApiError('failed_precondition', `Billet "${b.name}" has no calibrated section image to draw the map over`, { field: 'settings.overlay' });
  let background: { image: Buffer; circle: { cx: number; cy: number; r: number } } | null = null;
  if (overlay) {
    const full = overlay.fullWidth;
    const image = readFileSync(overlay.file);
    const sharp = (await import('sharp')).default;
    const meta = await sharp(image).metadata();
    const k = (meta.width ?? full) / full; // thumbnail px per full-resolution px
    background = { image, circle: { cx: overlay.circle.cx * k, cy: overlay.circle.cy * k, r: overlay.circle.r * k } };
  }
  const colourMarkers = l.layer === 'measured' || l.layer === 'predicted';
  const markers = markersFor(l).map((m) => (colourMarkers ? m : { ...m, value: undefined }));
  // the automatic range first, so the default contour levels sit inside it
  const range = s.range ?? autoRange(l.grid, l.quantity, markers);
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
    title: title ?? `${b.name} — ${LAYER_TITLE[l.layer]}${b.synthetic ? ' — SYNTHETIC DATA' : ''}`,
    subtitle: `Ø ${b.nominalDiameterMm} mm${b.steelGrade ? ` · ${b.steelGrade}` : ''}${b.heat ? ` · heat ${b.heat}` : ''} · C0 = ${l.c0.toFixed(3)} wt.% (${l.c0Source === 'bulk' ? 'ladle/bulk' : 'section mean'})`,
  };
}

function fingerprintInputs(b: Billet, points: MapPoint[], pred: StoredPrediction | null, extra: unknown) {
  return {
    billet: { id: b.id, name: b.name, grade: b.steelGrade, heat: b.heat, d: b.nominalDiameterMm, c0: b.bulkCarbonWtPct, synthetic: b.synthetic, notes: b.castingNotes },
    points: points.map((p) => [p.label, p.xMm, p.yMm, p.carbonWtPct]),
    prediction: pred ? { id: pred.info.id, model: pred.info.modelId, at: pred.info.createdAt } : null,
    extra,
  };
}

function slug(s: string): string {
  return s.normalize('NFKD').replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'billet';
}

function writeAtomic(file: string, data: Buffer | string): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, data);
  renameSync(tmp, file);
}

/** Preview PNGs are a cache (same inputs → same file name); keep the newest few per billet. */
const PREVIEWS_KEPT = 40;
function prunePreviews(dir: string): void {
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

function nanToNull<T>(v: T): T {
  return JSON.parse(JSON.stringify(v, (_k, x: unknown) => (typeof x === 'number' && !Number.isFinite(x) ? null : x))) as T;
}

/** The model card of the report, from the CNN domain's own description of the model (cnn.models.get). */
async function modelCard(ctx: AppContext, modelId: number | null, backend: string | null): Promise<ModelCard | null> {
  if (modelId === null) return null;
  const ms = (m: { mean: number; sd: number } | null | undefined, d = 4) => (m ? `${m.mean.toFixed(d)} ± ${m.sd.toFixed(d)}` : '—');
  try {
    // loaded at call time: handlers/index → maps → dispatch → handlers/index would be a cycle at start-up
    const { dispatch } = await import('../dispatch.js');
    const m = (await dispatch(ctx, 'cnn.models.get', { id: modelId })) as {
      id: number; name: string; preset: string | null; seed: number; createdAt: string; synthetic: boolean; backend: string | null;
      datasetFingerprint: string; pointCount: number; billets: { name: string }[];
      metrics: { splitMode: string; splits: unknown[]; summary: { test: Record<string, { mean: number; sd: number }>; train: Record<string, { mean: number; sd: number }> } | null } | null;
    };
    const t = m.metrics?.summary?.test;
    const tr = m.metrics?.summary?.train;
    const metrics = t
      ? [
          { name: `test R² (${m.metrics!.splits.length} ${m.metrics!.splitMode} splits)`, value: ms(t.r2, 3) },
          { name: 'test MAE, wt.%', value: ms(t.mae) },
          { name: 'test RMSE, wt.%', value: ms(t.rmse) },
          { name: 'test max |error|, wt.%', value: ms(t.maxAbsError) },
          ...(tr ? [{ name: 'train MAE, wt.%', value: ms(tr.mae) }] : []),
        ]
      : [{ name: 'split metrics', value: 'none stored (model trained without a test split)' }];
    return {
      id: m.id,
      name: m.name,
      preset: m.preset,
      trainingData: `${m.pointCount} points of ${m.billets.map((b) => b.name).join(', ') || '—'} · dataset ${m.datasetFingerprint.slice(0, 12)} · seed ${m.seed}`,
      backend: `${backend ?? '?'} (this map)${m.backend ? `; trained on ${m.backend}` : ''}`,
      metrics,
      createdAt: m.createdAt,
      synthetic: m.synthetic,
    };
  } catch (err) {
    log.warn('maps', 'model store could not describe the model; the card is built from its row', { modelId, err });
    return modelCardFromRow(ctx, modelId, backend);
  }
}

/** Fallback when the CNN domain cannot describe the model (older or foreign record): the raw row. */
function modelCardFromRow(ctx: AppContext, modelId: number, backend: string | null): ModelCard | null {
  const r = ctx.db.prepare('SELECT * FROM models WHERE id = ?').get(modelId) as
    | { id: number; name: string; hyper_json: string; dataset_json: string; backend_json: string; metrics_json: string | null; synthetic: number; created_at: string; seed: number }
    | undefined;
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
  const str = (v: unknown) => (typeof v === 'string' ? v : null);
  return {
    id: r.id,
    name: r.name,
    preset: str(hyper.preset) ?? null,
    trainingData: `${str(ds.summary) ?? 'see the model record'} · seed ${r.seed}`,
    backend: backend ?? str(be.name) ?? 'unknown',
    metrics,
    createdAt: r.created_at,
    synthetic: r.synthetic === 1,
  };
}

// ── handlers ───────────────────────────────────────────────────────────────────────────────────────

export const mapHandlers: Handlers<keyof typeof mapMethods> = {
  'maps.render': async ({ billetId, layer, predictionId, settings }, ctx): Promise<MapView> => {
    const b = ctx.repos.billets.get(billetId);
    const l = buildLayer(ctx, b, layer, predictionId, settings);
    const fp = dataFingerprint(fingerprintInputs(b, mapPoints(ctx, b.id), l.prediction, { layer, settings }));
    const rendered = await renderLayer(ctx, b, l, settings, settings.widthPx ?? 1000);
    const rel = `reports/previews/${b.id}/${layer}-${fp.slice(0, 20)}.png`;
    writeAtomic(join(ctx.paths.root, rel), rendered.png);
    prunePreviews(dirname(join(ctx.paths.root, rel)));
    const truth = layer === 'predicted' ? await syntheticTruth(ctx, b) : null;
    return nanToNull({
      billetId: b.id,
      layer,
      predictionId: l.prediction?.info.id ?? null,
      pngPath: rel,
      width: rendered.width,
      height: rendered.height,
      mapBox: rendered.mapBox,
      legendBox: rendered.legendBox,
      range: rendered.range,
      levels: rendered.levels,
      unit: l.quantity === 'carbon' ? 'wt.% C' : l.quantity === 'difference' ? 'wt.% C (predicted − measured)' : 'wt.% C (sd)',
      c0WtPct: l.c0,
      c0Source: l.c0Source,
      method: l.method,
      grid: gridToJson(l.grid, 5),
      indices: l.indices,
      points: l.points,
      comparison: summariseComparison(l.points),
      truthError: truth ? errorAgainstTruth(l.grid, truth) : null,
      overlay: settings.overlay,
      synthetic: b.synthetic,
      fingerprint: fp,
    });
  },

  'maps.predict': async ({ billetId, modelId, strideMm }, ctx) => {
    const b = ctx.repos.billets.get(billetId);
    const pts = mapPoints(ctx, b.id); // readings are not needed: the model also maps billets not yet measured
    const R = b.nominalDiameterMm / 2;
    const stride = strideMm ?? defaultStrideMm(b.nominalDiameterMm);
    // fail fast (before the job) when no model/image can serve
    const source = await loadPatchPredictor(ctx, { modelId, billetId });
    return ctx.jobs.start('map', `Predicted map of ${b.name} (model ${modelId}, stride ${stride} mm)`, async (ctl) => {
      try {
        ctl.progress(0, 'predicting patches');
        const pm = await predictedMap(source.predictor, {
          radiusMm: R,
          strideMm: stride,
          rimMarginMm: source.rimMarginMm ?? 0,
          concurrency: source.concurrency ?? 1,
          batchSize: source.batchSize,
          signal: ctl.signal,
          onProgress: ({ done, total }) => ctl.progress(0.95 * (done / Math.max(1, total)), `${done} / ${total} patches`, { done, total }),
        });
        ctl.throwIfCancelled();
        ctl.progress(0.96, 'predicting at the sampling points');
        const atPoints = pts.length ? await source.predictor(pts.map((p) => ({ xMm: p.xMm, yMm: p.yMm })), ctl.signal) : [];
        ctl.throwIfCancelled();
        const rows = comparePoints(pts, atPoints);
        const masked = Object.values(pm.maskedCounts).reduce((a, c) => a + c, 0);
        const info = createPredictedMapsRepo(ctx.db).create({
          billetId,
          modelId,
          modelName: source.modelName,
          strideMm: stride,
          patchCount: pm.patchCount,
          maskedCount: masked,
          grid: pm.grid,
          points: nanToNull(rows),
          backend: source.backend,
          params: { maskedCounts: pm.maskedCounts, rimMarginMm: source.rimMarginMm ?? 0 },
        });
        ctx.bus.emit({ type: 'data-changed', entity: 'predicted-map', id: billetId });
        const comparison = summariseComparison(rows);
        return { predictionId: info.id, patchCount: pm.patchCount, maskedCount: masked, strideMm: stride, backend: source.backend, comparison: comparison ? nanToNull(comparison) : null };
      } finally {
        await source.dispose?.();
      }
    });
  },

  'maps.predictions': ({ billetId }, ctx) => {
    ctx.repos.billets.get(billetId);
    return createPredictedMapsRepo(ctx.db).list(billetId);
  },

  'maps.exportCsv': ({ billetId, layer, predictionId, settings }, ctx) => {
    const b = ctx.repos.billets.get(billetId);
    const l = buildLayer(ctx, b, layer, predictionId, settings);
    const csv = gridToCsv(l.grid, { c0WtPct: l.quantity === 'carbon' ? l.c0 : undefined, valueName: l.quantity === 'carbon' ? 'carbon_wt_pct' : l.quantity === 'difference' ? 'pred_minus_meas_wt_pct' : 'sd_wt_pct' });
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const rel = `reports/${b.id}/${stamp}-${slug(b.name)}-${layer}-grid.csv`;
    writeAtomic(join(ctx.paths.root, rel), (b.synthetic ? '# SYNTHETIC DATA\n' : '') + csv);
    return { path: rel, rows: csv.trim().split('\n').length - 1 };
  },

  'maps.report': async ({ billetId, predictionId, paper, lab, operator, settings }, ctx) => {
    const b = ctx.repos.billets.get(billetId);
    const pts = mapPoints(ctx, b.id);
    const hasPred = predictionId !== undefined;
    if (!hasPred) requireMeasured(b, pts);
    const labName = lab ?? ctx.repos.settings.get<string>('report.lab') ?? null;
    const opName = operator ?? ctx.repos.settings.get<string>('report.operator') ?? null;
    if (lab !== undefined) ctx.repos.settings.set('report.lab', lab);
    if (operator !== undefined) ctx.repos.settings.set('report.operator', operator);
    const main = buildLayer(ctx, b, hasPred ? 'predicted' : 'measured', predictionId, settings);
    const maps: ReportMapSpec[] = [];
    const W = 1400;
    const spec = async (l: Layer, s: MapSettings): Promise<ReportMapSpec> => ({ title: LAYER_TITLE[l.layer], caption: l.method, grid: l.grid, render: await renderOptions(ctx, b, l, s, W, b.name) });
    maps.push(await spec(main, settings));
    let extraProfile: { name: string; bins: SegregationIndices['radialProfile'] } | null = null;
    if (hasPred) {
      const pid = main.prediction!.info.id;
      const canMeasure = withReadings(pts).length >= 3;
      const meas = canMeasure ? buildLayer(ctx, b, 'measured', pid, settings) : null;
      const layers = [meas, buildLayer(ctx, b, 'uncertainty', pid, settings), canMeasure ? buildLayer(ctx, b, 'difference', pid, settings) : null];
      for (const l of layers) if (l) maps.push(await spec(l, { ...settings, levels: l.quantity === 'carbon' ? settings.levels : [] }));
      if (meas) extraProfile = { name: 'measured map (thin-plate spline)', bins: meas.indices!.radialProfile };
    }
    const truth = hasPred ? await syntheticTruth(ctx, b) : null;
    const tErr = truth ? errorAgainstTruth(main.grid, truth) : null;
    const fp = dataFingerprint(fingerprintInputs(b, pts, main.prediction, { paper, lab: labName, operator: opName, settings }));
    const now = new Date().toISOString();
    const pdf = await buildMapReportInWorker({
      maps,
      report: {
        paper,
        header: { lab: labName, billetName: b.name, grade: b.steelGrade, diameterMm: b.nominalDiameterMm, heat: b.heat, castingNotes: b.castingNotes, date: now, operator: opName },
        synthetic: b.synthetic,
        indicesSource: hasPred ? `predicted map (CNN, model #${main.prediction!.info.modelId ?? '?'}, stride ${main.prediction!.info.strideMm} mm)` : 'measured map (thin-plate spline)',
        indices: main.indices!,
        extraProfile,
        methodNote:
          main.method +
          (tErr ? ` Against the generator's true field (synthetic billet) the predicted map has MAE ${tErr.maeWtPct.toFixed(4)} wt.%, RMSE ${tErr.rmseWtPct.toFixed(4)} wt.%, max |error| ${tErr.maxAbsWtPct.toFixed(4)} wt.% over ${tErr.cells} cells.` : ''),
        points: main.points,
        comparison: hasPred ? summariseComparison(main.points) : null,
        model: hasPred ? await modelCard(ctx, main.prediction!.info.modelId, main.prediction!.info.backend) : null,
        version: ctx.version,
        fingerprint: fp,
      },
    });
    const stamp = now.replace(/[:.]/g, '-');
    const rel = `reports/${b.id}/${stamp}-${slug(b.name)}-${hasPred ? 'predicted' : 'measured'}-${paper}.pdf`;
    writeAtomic(join(ctx.paths.root, rel), pdf);
    const info = createReportsRepo(ctx.db, ctx.paths.root).create({
      billetId: b.id,
      kind: hasPred ? 'segregation-map-predicted' : 'segregation-map-measured',
      title: `${b.name} — ${hasPred ? 'predicted' : 'measured'} segregation map (${paper})`,
      path: rel,
      fingerprint: fp,
      params: { paper, predictionId: main.prediction?.info.id ?? null, lab: labName, operator: opName, settings, indices: nanToNull({ ...main.indices!, radialProfile: undefined }), truthError: tErr },
    });
    ctx.bus.emit({ type: 'data-changed', entity: 'report', id: b.id });
    return info;
  },

  'reports.list': ({ billetId }, ctx) => createReportsRepo(ctx.db, ctx.paths.root).list(billetId),
  'reports.get': ({ id }, ctx) => createReportsRepo(ctx.db, ctx.paths.root).get(id),
};
