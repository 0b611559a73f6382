import { join, dirname } from 'node:path';
import type { ServiceContext } from '../context.js';
import type { ParsedInput } from '../../api/contract.js';
import type { MapView } from '../../api/methods/maps.js';
import { comparePoints, summariseComparison, predictedMap, defaultStrideMm, gridToJson, gridToCsv, errorAgainstTruth, effectivePredictorFactory, type PatchPredictorFactory } from '../../maps/index.js';
import { dataFingerprint } from '../../report/index.js';
import { createPredictedMapsRepo } from '../../store/repos/predicted-maps-repo.js';
import { buildLayer, createMapLayers, mapPoints, prunePreviews, renderLayer, syntheticTruth } from './map-layers.js';
import type { UnderlaySource } from '../shared/underlay.js';
import { fingerprintInputs, nanToNull, slug, writeAtomic } from '../shared/map-layer.js';
import { comparisonFit } from '../shared/comparison-fit.js';

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
}

/** Segregation maps: render a layer (PNG preview + indices), the predicted-map job, stored predictions, grid CSV. */
export function createMapsService(ctx: ServiceContext, deps: MapsDeps) {
  return {
    /** The layer builder the reports service draws with (handed over by the composition root). */
    layers: createMapLayers(ctx, deps.underlay),
    render: async ({ billetId, layer, predictionId, settings }: Input<'maps.render'>): Promise<MapView> => {
      const b = ctx.repos.billets.get(billetId);
      const l = buildLayer(ctx, b, layer, predictionId, settings);
      const fp = dataFingerprint(fingerprintInputs(b, mapPoints(ctx, b.id), l.prediction, { layer, settings }));
      const rendered = await renderLayer(deps.underlay, b, l, settings, settings.widthPx ?? 1000);
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
        comparison: withFit(summariseComparison(l.points), l.prediction ? comparisonFit(ctx, l.prediction.info.modelId, b.id, l.points) : null),
        truthError: truth ? errorAgainstTruth(l.grid, truth) : null,
        overlay: settings.overlay,
        synthetic: b.synthetic,
        fingerprint: fp,
      });
    },

    predict: async ({ billetId, modelId, strideMm }: Input<'maps.predict'>) => {
      const b = ctx.repos.billets.get(billetId);
      const pts = mapPoints(ctx, b.id); // readings are not needed: the model also maps billets not yet measured
      const R = b.nominalDiameterMm / 2;
      const stride = strideMm ?? defaultStrideMm(b.nominalDiameterMm);
      // fail fast (before the job) when no model/image can serve
      const source = await effectivePredictorFactory(deps.predictor)({ modelId, billetId });
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
            params: { maskedCounts: pm.maskedCounts, rimMarginMm: source.rimMarginMm ?? 0, ...(source.scale ? { scale: source.scale } : {}) },
          });
          ctx.bus.emit({ type: 'data-changed', entity: 'predicted-map', id: billetId });
          const comparison = withFit(summariseComparison(rows), comparisonFit(ctx, modelId, billetId, rows));
          return { predictionId: info.id, patchCount: pm.patchCount, maskedCount: masked, strideMm: stride, backend: source.backend, comparison: comparison ? nanToNull(comparison) : null, scale: source.scale ?? null };
        } finally {
          await source.dispose?.();
        }
      });
    },

    predictions: (billetId: number) => {
      ctx.repos.billets.get(billetId);
      return createPredictedMapsRepo(ctx.db).list(billetId);
    },

    exportCsv: ({ billetId, layer, predictionId, settings }: Input<'maps.exportCsv'>) => {
      const b = ctx.repos.billets.get(billetId);
      const l = buildLayer(ctx, b, layer, predictionId, settings);
      const csv = gridToCsv(l.grid, { c0WtPct: l.quantity === 'carbon' ? l.c0 : undefined, valueName: l.quantity === 'carbon' ? 'carbon_wt_pct' : l.quantity === 'difference' ? 'pred_minus_meas_wt_pct' : 'sd_wt_pct' });
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      const rel = `reports/${b.id}/${stamp}-${slug(b.name)}-${layer}-grid.csv`;
      writeAtomic(join(ctx.paths.root, rel), (b.synthetic ? '# SYNTHETIC DATA\n' : '') + csv);
      return { path: rel, rows: csv.trim().split('\n').length - 1 };
    },
  };
}
export type MapsService = ReturnType<typeof createMapsService>;
