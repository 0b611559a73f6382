import { afterAll, describe, expect, it } from 'vitest';
import { tempContext } from '../../helpers/temp.js';
import { localClient } from '../../../core/app/dispatch.js';
import { registerPatchPredictorFactory, type PatchPredictorFactory } from '../../../core/maps/index.js';
import { leaseThreads, setWorkerCap, workerCap, workersInUse } from '../../../core/runtime/worker.js';

/**
 * The map job smooths its lattice in a worker thread. Its predictor (the CNN's inference pool) holds threads
 * of the same app-wide cap; with one thread allowed (a 2-core machine) the smoothing must still run: the
 * predictor gives its threads back first.
 */
describe('predicted-map job with a predictor that holds the only worker thread', () => {
  const ctx = tempContext();
  const api = localClient(ctx);
  const cap = workerCap();
  afterAll(async () => {
    registerPatchPredictorFactory(null);
    setWorkerCap(cap);
    await ctx.dispose();
  });

  it('finishes, stores the smoothed field and leaves no thread leased', async () => {
    setWorkerCap(1);
    const factory: PatchPredictorFactory = async () => {
      const lease = await leaseThreads(1);
      return {
        modelName: 'pool-like test predictor',
        backend: 'cpu',
        predictor: async (centres) => centres.map(({ xMm, yMm }) => ({ mean: 0.4 + 0.02 * Math.cos(xMm / 30) * Math.sin(yMm / 40) + 0.004 * Math.sin(xMm * 7.3 + yMm * 3.1), sd: 0.003 })),
        dispose: () => lease.release(),
      };
    };
    registerPatchPredictorFactory(factory);
    const b = ctx.repos.billets.create({ name: 'one-thread billet', nominalDiameterMm: 240 });
    ctx.db
      .prepare(
        `INSERT INTO models (id, kind, name, path, architecture_json, hyper_json, seed, dataset_fingerprint, dataset_json, backend_json, metrics_json, synthetic, created_at)
         VALUES (1, 'carbon-cnn', 'cnn-test', 'models/1', '{}', '{"preset":"compact"}', 7, 'abc', '{}', '{"name":"cpu"}', '{}', 1, '2026-11-21T00:00:00Z')`,
      )
      .run();
    const job = await api['maps.predict']({ billetId: b.id, modelId: 1 });
    const end = await ctx.jobs.wait(job.id);
    expect(end.error ?? null).toBeNull();
    expect(end.state).toBe('done');
    const r = end.result as { smoothing: { lengthScaleMm: number } | null; patchCount: number };
    expect(r.smoothing).not.toBeNull();
    expect(r.patchCount).toBeGreaterThan(500);
    expect(workersInUse()).toBe(0);
    const v = await api['maps.render']({ billetId: b.id, layer: 'predicted', settings: {} });
    expect(v.smoothing!.lengthScaleMm).toBe(r.smoothing!.lengthScaleMm);
    // a map stored before smoothed maps existed (no smoothed field) is fitted when first drawn, and kept
    ctx.db.prepare('UPDATE predicted_maps SET smoothed_json = NULL').run();
    const again = await api['maps.render']({ billetId: b.id, layer: 'predicted', settings: {} });
    expect(again.smoothing!.lengthScaleMm).toBe(r.smoothing!.lengthScaleMm);
    expect((ctx.db.prepare('SELECT smoothed_json FROM predicted_maps').get() as { smoothed_json: string | null }).smoothed_json).not.toBeNull();
  });
});
