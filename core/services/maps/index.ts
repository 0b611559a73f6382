import { join, dirname } from 'node:path';
import type { ServiceContext } from '../context.js';
import type { ParsedInput } from '../../api/contract.js';
import type { MapView } from '../../api/methods/maps.js';
import type { ScaleCheck } from '../../api/methods/cnn.js';
import { scaleCheckPhrases } from '../../api/scale-check-words.js';
import { createModelsRepo } from '../../store/repos/models-repo.js';
import { poresOfPrediction, poresOfSummary } from '../shared/map-pores.js';
import type { PoreSummary } from '../../api/methods/images.js';
import { comparePoints, summariseComparison, predictedMap, defaultStrideMm, gridToJson, gridToCsv, uncertaintyGrid, type GridCsvOptions, errorAgainstTruth, effectivePredictorFactory, smoothGridInWorker, porosityPremask, PORE_MASK_FRACTION, type PatchPredictorFactory, type PatchPredictorSource, type PatchPrediction, type PoreMaskSource, type MapLanguage } from '../../maps/index.js';
import { contourPhrase } from '../shared/map-notes.js';
import { dataFingerprint } from '../../report/index.js';
import { createPredictedMapsRepo } from '../../store/repos/predicted-maps-repo.js';
import { buildLayer, createMapLayers, mapPoints, prunePreviews, renderLayer, syntheticTruth } from './map-layers.js';
import type { UnderlaySource } from '../shared/underlay.js';
import { fingerprintInputs, nanToNull, slug, type Layer } from '../shared/map-layer.js';
import { writeFileWhole } from '../../runtime/write-whole.js';
import { comparisonFit } from '../shared/comparison-fit.js';
import { coverageWords, coveragePhrase, intervalFor } from '../../ml/conformal.js';
import { phrase, plain, type Phrase } from '../../api/phrase.js';

/** The comparison with its fit and sample label (both R², bias, in-sample / held-out / out-of-sample). */
function withFit<T extends object>(c: T | null, fit: ReturnType<typeof comparisonFit>): (T & { fit: ReturnType<typeof comparisonFit> }) | null {
  return c ? { ...c, fit } : null;
}

type Input<M extends 'maps.render' | 'maps.predict' | 'maps.exportCsv'> = ParsedInput<M>;

export interface MapsDeps {
  /** The CNN service's predicted-map source, handed over by the composition root. */
  predictor: PatchPredictorFactory;
  /** The sections service's underlay (the etched section under a map). */
  underlay: UnderlaySource;
  /** The sections service's stored pore summary of a billet (never computes). */
  poreSummary: (billetId: number) => PoreSummary;
  /** The sections service's pores of a billet's section with their mask (detected when needed); null without a calibrated section. */
  pores: (billetId: number, ctl: { signal?: AbortSignal; progress?: (fraction: number | null, message: string | Phrase) => void }) => Promise<(PoreMaskSource & { minDiameterMm: number; pores: readonly unknown[] }) | null>;
  /** The sections service's check of sections against their files' resolution tags (counts and named contradictions). */
  scaleCheck: (billetIds: readonly number[]) => Promise<ScaleCheck>;
}

/** Predictions at the sampling points; a point whose patch is over the pore fraction is masked 'porosity' like a map cell. */
async function predictOutsidePores(
  predictor: (c: readonly { xMm: number; yMm: number }[], s: AbortSignal) => Promise<PatchPrediction[]>,
  pts: readonly { xMm: number; yMm: number }[],
  premask: ((c: { xMm: number; yMm: number }) => 'porosity' | null) | undefined,
  signal: AbortSignal,
): Promise<PatchPrediction[]> {
  const why = pts.map((p) => premask?.(p) ?? null);
  const todo = pts.filter((_, i) => !why[i]);
  const got = todo.length ? await predictor(todo.map((p) => ({ xMm: p.xMm, yMm: p.yMm })), signal) : [];
  let k = 0;
  return why.map((w) => (w ? { mean: Number.NaN, sd: Number.NaN, masked: w } : got[k++]));
}

/** Segregation maps: render a layer (PNG preview + indices), the predicted-map job, stored predictions, grid CSV. */
export function createMapsService(ctx: ServiceContext, deps: MapsDeps) {
  /** The picture's language: the one asked for, else the interface language chosen in Settings, else English (as the report's). */
  const pictureLanguage = (asked: MapLanguage | undefined): MapLanguage => {
    const ui = ctx.repos.settings.get<string>('ui.language');
    return asked ?? (ui === 'zh' || ui === 'it' || ui === 'en' ? ui : 'en');
  };
  /** The view and its PNG, nothing written (the CLI writes the PNG where it was asked, and only there). */
  const renderPng = async ({ billetId, layer, predictionId, settings, language: asked }: Input<'maps.render'>): Promise<{ view: MapView; png: Buffer }> => {
    const b = ctx.repos.billets.get(billetId);
    const l = buildLayer(ctx, b, layer, predictionId, settings);
    // the fingerprint is the data's, whatever language the picture is worded in
    const fp = dataFingerprint(fingerprintInputs(b, mapPoints(ctx, b.id), l.prediction, { layer, settings }));
    const language = pictureLanguage(asked);
    const rendered = await renderLayer(deps.underlay, b, l, settings, settings.widthPx ?? 1000, language);
    const truth = layer === 'predicted' || layer === 'corrected' ? await syntheticTruth(ctx, b) : null;
    const view = nanToNull({
      billetId: b.id,
      layer,
      predictionId: l.prediction?.info.id ?? null,
      pngPath: '',
      language,
      width: rendered.width,
      height: rendered.height,
      mapBox: rendered.mapBox,
      legendBox: rendered.legendBox,
      range: rendered.range,
      levels: rendered.levels,
      unit: l.quantity === 'carbon' ? 'wt.% C' : l.quantity === 'difference' ? 'wt.% C (predicted − measured)' : `wt.% C (± half-width of the ${l.corrected ? Math.round(l.corrected.level * 100) : l.calibration ? Math.round((1 - l.calibration.alpha) * 100) : 90} % interval${l.corrected ? ' of the corrected map' : ''})`,
      c0WtPct: l.c0,
      c0Source: l.c0Source,
      method: l.method,
      methodPhrases: l.methodPhrases,
      contourPhrase: l.smoothing ? contourPhrase(l.smoothing, l.calibration) : null,
      grid: gridToJson(l.grid, 5),
      indices: l.indices,
      // a measured layer is the readings' map even when a prediction was named: it is nothing to a model (contract: null)
      mapSample: l.sample ?? null,
      points: l.points,
      comparison: withFit(summariseComparison(l.points), l.prediction ? comparisonFit(ctx, l.prediction.info.modelId, b.id, l.points) : null),
      intervalWords: l.prediction ? coverageWords(l.calibration) : null,
      intervalPhrase: l.prediction ? coveragePhrase(l.calibration) : null,
      truthError: truth ? errorAgainstTruth(l.grid, truth) : null,
      overlay: settings.overlay,
      synthetic: b.synthetic,
      fingerprint: fp,
      smoothing: l.smoothing ?? null,
      pores: l.prediction ? poresOfPrediction(l.prediction.params) : poresOfSummary(deps.poreSummary(b.id)),
    });
    return { view, png: rendered.png };
  };

  return {
    /** The layer builder the reports service draws with (handed over by the composition root). */
    layers: createMapLayers(ctx, deps.underlay),
    renderPng,
    /** The view with its PNG as a preview under reports/previews (a cache the UI shows by file URL). */
    render: async (input: Input<'maps.render'>): Promise<MapView> => {
      const { view, png } = await renderPng(input);
      // the same data worded in another language is another picture: the language is part of the cached name
      const rel = `reports/previews/${view.billetId}/${view.layer}-${view.language}-${view.fingerprint.slice(0, 20)}.png`;
      writeFileWhole(join(ctx.paths.root, rel), png);
      prunePreviews(dirname(join(ctx.paths.root, rel)));
      return { ...view, pngPath: rel };
    },

    predict: async ({ billetId, modelId, strideMm }: Input<'maps.predict'>) => {
      const b = ctx.repos.billets.get(billetId);
      const pts = mapPoints(ctx, b.id); // readings are not needed: the model also maps billets not yet measured
      const R = b.nominalDiameterMm / 2;
      const stride = strideMm ?? defaultStrideMm(b.nominalDiameterMm);
      // fail fast (before the job) when no model/image can serve
      const factory = effectivePredictorFactory(deps.predictor);
      let source: PatchPredictorSource | null = await factory({ modelId, billetId });
      // Right after the factory opened the section (a pending one read for its tag then), and again whenever the job
      // opens it anew: a scale its tag contradicts misplaces every patch of the map, so the map stores the check of
      // the image record its patches are cut from (a rim re-set in between is not mixed in), with the model's own
      // training check frozen in as it is now (a deleted model's map still says it).
      const checkNow = async (): Promise<ScaleCheck> => ({ ...(await deps.scaleCheck([billetId])), from: { role: 'model', modelId, modelName: source?.modelName ?? null, check: modelScaleCheck(ctx, modelId) } });
      let scaleCheck = await checkNow();
      // A section not yet searched for pores is searched in a worker thread from the same app-wide cap the
      // predictor's inference pool holds: that pool is let go first and made again after (only the first map of
      // a section pays this), or the search would wait for threads the job itself keeps.
      const mustDetect = deps.poreSummary(billetId).status === 'not-run';
      if (mustDetect) {
        await source.dispose?.();
        source = null;
      }
      // the source's threads go back to the shared cap once (before smoothing, and at the end whatever happens)
      let disposed = false;
      const dispose = async () => {
        if (disposed || !source) return;
        disposed = true;
        await source.dispose?.();
      };
      return ctx.jobs.start('map', phrase('jobs.maps.label', { name: b.name, model: modelId, stride: plain(stride) }), async (ctl) => {
        try {
          // Pores first (read back, or detected once per section): patches over the stated pore fraction are masked.
          ctl.progress(0, mustDetect ? phrase('jobs.maps.findingPores') : phrase('jobs.maps.readingPores'));
          const pores = await deps.pores(billetId, { signal: ctl.signal });
          ctl.throwIfCancelled();
          if (!source) {
            source = await factory({ modelId, billetId });
            scaleCheck = await checkNow();
          }
          const patchMm = source.patchMm ?? (2 * (source.rimMarginMm ?? 0) || stride);
          const premask = pores ? porosityPremask(pores, patchMm) : undefined;
          ctl.progress(0.02, phrase('jobs.maps.predictingPatches'));
          const pm = await predictedMap(source.predictor, {
            premask,
            radiusMm: R,
            strideMm: stride,
            rimMarginMm: source.rimMarginMm ?? 0,
            concurrency: source.concurrency ?? 1,
            batchSize: source.batchSize,
            signal: ctl.signal,
            onProgress: ({ done, total }) => ctl.progress(0.02 + 0.9 * (done / Math.max(1, total)), phrase('jobs.maps.patches', { done, total }), { done, total }),
          });
          ctl.throwIfCancelled();
          ctl.progress(0.93, phrase('jobs.maps.atPoints'));
          const atPoints = pts.length ? await predictOutsidePores(source.predictor, pts, premask, ctl.signal) : [];
          ctl.throwIfCancelled();
          // the predictor's threads go back to the shared cap first: the smoothing worker needs one of them
          // (with one thread allowed, as on a 2-core machine, it would otherwise wait for ever)
          await dispose();
          ctl.progress(0.95, phrase('jobs.maps.smoothing'));
          const smoothed = await smoothGridInWorker(pm.grid, ctl.signal);
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
            params: {
              maskedCounts: pm.maskedCounts,
              rimMarginMm: source.rimMarginMm ?? 0,
              // the intervals the map was made with (its uncertainty layer), even if the model is deleted later
              calibration: source.calibration ?? null,
              // what the porosity mask was made from (null: no calibrated section, so nothing could be masked)
              pores: pores ? { count: pores.pores.length, minDiameterMm: pores.minDiameterMm, patchMm, maskFraction: PORE_MASK_FRACTION } : null,
              // how the patches were cut (the model's physical scale on this section) and any enlargement warning
              ...(source.scale ? { scale: source.scale } : {}),
            },
            smoothed,
            // in the map's own row (one INSERT): its view, PNG, PDF and `ferrolab map` say it whenever it is read
            scaleCheck,
          });
          ctx.bus.emit({ type: 'data-changed', entity: 'predicted-map', id: billetId });
          const comparison = withFit(summariseComparison(rows), comparisonFit(ctx, modelId, billetId, rows));
          return { predictionId: info.id, smoothing: smoothed ? { lengthScaleMm: smoothed.fit.lengthScaleMm, nuggetSdWtPct: smoothed.fit.nuggetSdWtPct, typicalInterval90WtPct: smoothed.fit.typicalInterval90WtPct, elapsedMs: smoothed.fit.elapsedMs } : null, patchCount: pm.patchCount, maskedCount: masked, strideMm: stride, backend: source.backend, comparison: comparison ? nanToNull(comparison) : null, scale: source.scale ?? null, scaleWords: scaleCheckPhrases(scaleCheck) };
        } finally {
          await dispose();
        }
      });
    },

    predictions: (billetId: number) => {
      ctx.repos.billets.get(billetId);
      return createPredictedMapsRepo(ctx.db).list(billetId);
    },

    /**
     * The grid of a layer as CSV text with a suggested file name. Nothing is written here: the caller puts
     * the file where the user asked (the CLI's FILE, the browser's download), so an export leaves no copy
     * behind in the data folder.
     */
    exportCsv: ({ billetId, layer, predictionId, settings }: Input<'maps.exportCsv'>) => {
      const b = ctx.repos.billets.get(billetId);
      const l = buildLayer(ctx, b, layer, predictionId, settings);
      const csv = gridToCsv(l.grid, gridCsvOptions(l));
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      const field = layer === 'predicted' ? (l.smoothing ? '-smoothed' : '-raw') : layer === 'corrected' || layer === 'corrected-uncertainty' ? `-k${l.corrected!.k}` : '';
      return { csv: (b.synthetic ? '# SYNTHETIC DATA\n' : '') + csv, fileName: `${stamp}-${slug(b.name)}-${layer}${field}-grid.csv`, rows: csv.trim().split('\n').length - 1 };
    },
  };
}
export type MapsService = ReturnType<typeof createMapsService>;

/**
 * What a layer's CSV columns are and say. Its C0 is the layer's own, the one the Maps view, the map's PNG and
 * `ferrolab map` without --pdf print (a PDF may take another reference C0: the file names which it has on every row,
 * `c0_wt_pct`/`c0_source`). Each uncertainty column is named for what it is: a predicted map's sd is the spread over
 * the TTA views (raw lattice) or the smoothing's posterior sd (smoothed field) — both far narrower than the model's
 * calibrated interval, which is written beside them as its own half-width column when the model has one.
 */
export function gridCsvOptions(l: Layer): GridCsvOptions {
  const level = (l.corrected ? l.corrected.level : l.calibration ? 1 - l.calibration.alpha : 0.9) * 100;
  const valueName = l.quantity === 'carbon' ? 'carbon_wt_pct' : l.quantity === 'difference' ? 'pred_minus_meas_wt_pct' : `interval${Math.round(level)}_half_width_wt_pct`;
  const opts: GridCsvOptions = { valueName, coveredBy: l.coveredBy ?? null };
  if (l.quantity === 'carbon') opts.c0 = { wtPct: l.c0, source: l.c0Source };
  if (l.layer === 'predicted' && l.grid.sd) opts.sdName = l.smoothing ? 'smoothing_sd_wt_pct' : 'tta_sd_wt_pct';
  // the model's calibrated interval of each cell's patch prediction (the uncertainty layer's values): the smoothed grid
  // has the raw lattice's geometry and mask, so the raw grid's cells are the same cells
  const raw = l.prediction?.grid;
  if (l.layer === 'predicted' && l.calibration && raw && raw.sd && raw.values.length === l.grid.values.length) {
    const cal = l.calibration;
    opts.interval = { name: `model_interval${Math.round((1 - cal.alpha) * 100)}_half_width_wt_pct`, values: uncertaintyGrid(raw, (m, sd) => intervalFor(m, cal, sd).halfWidth).values };
  }
  return opts;
}

/** The model's stored training-scale check (null: not recorded, or no such model any more). */
function modelScaleCheck(ctx: ServiceContext, modelId: number): ScaleCheck | null {
  const repo = createModelsRepo(ctx.db);
  return repo.exists(modelId) ? repo.get(modelId).scaleCheck : null;
}
