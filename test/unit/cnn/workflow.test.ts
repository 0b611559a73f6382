import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { trainedCnnFixture, CNN_FIXTURE_TIMEOUT_MS, type CnnFixture } from '../../helpers/cnn-fixture.js';
import type { AppContext } from '../../../core/app/context.js';
import type { localClient } from '../../../core/app/dispatch.js';
import type { JobInfo } from '../../../core/api/events.js';
import type { BilletPrediction } from '../../../core/api/methods/cnn.js';
import type { TrainJobResult, TrainProgressDetail } from '../../../core/services/cnn/index.js';
import { createModelsRepo } from '../../../core/store/repos/models-repo.js';
import { predictTtaInWorkers } from '../../../core/ml/parallel-inference.js';
import { setWorkerCap } from '../../../core/runtime/worker.js';
import { normalisePatch } from '../../../core/ml/input-norm.js';
import { regionWilcoxon } from '../../../core/ml/region-analysis.js';
import { WASM_TRAINING_KERNELS } from '../../../core/ml/training-kernels.js';

// Every test starts from its own copy of the shared trained fixture (test/helpers/cnn-fixture.ts): the
// demo billet (seed 7, 1500 px) and the model trained on it. Tests that train do so on top of that copy.
let fixture: CnnFixture;
let ctx: AppContext;
let api: ReturnType<typeof localClient>;
let billetId: number;
let trained: TrainJobResult;

// Small and fast: a 1500 px synthetic section, 32 px native patches, 3 conv blocks (the fixture's architecture).
const SMALL = { inputSize: 32, blocks: 3, baseFilters: 8, dense: [32, 16], dropout: 0.1 };

async function finish(job: JobInfo): Promise<JobInfo> {
  const end = await ctx.jobs.wait(job.id);
  if (end.state === 'failed') throw new Error(`job failed: ${end.error?.message}`);
  return end;
}

beforeAll(async () => {
  fixture = await trainedCnnFixture();
  ({ ctx, api, billetId, trained } = fixture);
}, CNN_FIXTURE_TIMEOUT_MS);

afterAll(async () => {
  await fixture?.dispose();
});

describe('carbon CNN on a synthetic billet', () => {
  // Held out BY POINT over 3 random splits (17 test points each), the default seed 42 (not a picked one).
  // What made this robust is the per-patch 2–98 % percentile stretch after CLAHE (core/ml/input-norm.ts):
  // without it, 3 splits of this billet gave mean R² 0.36 (0.10 / 0.21 / 0.77, split 1's MAE no better than
  // the training mean). With it, measured through this same API call (15 epochs, patience 8, ≈ 45 s on one
  // core): seed 42 → 0.604 / 0.868 / 0.914, mean 0.795, test MAE 0.0112 / 0.0086 / 0.0062 wt.% against the
  // training-mean baseline's 0.0200 / 0.0191 / 0.0216; seeds 1, 2, 3 → mean 0.869, 0.856, 0.825, every
  // split's MAE below its baseline.
  // The training is the shared fixture's (CNN_FIXTURE_SETTINGS.train, through cnn.train); this test checks its result.
  it('mean held-out R² over 3 random point splits ≥ 0.6, each split’s MAE below predicting the training mean; progress per epoch; model stored', () => {
    const details = fixture.progress;
    expect(trained.metrics.splits).toHaveLength(3);
    // The test sets of the 3 splits differ (not one lucky subset scored three times).
    expect(new Set(trained.metrics.splits.map((s) => s.testPoints.map((p) => p.label).sort().join())).size).toBe(3);
    for (const s of trained.metrics.splits) {
      expect(s.test!.n).toBe(17);
      expect(s.test!.mae).toBeLessThan(s.testMaeOfTrainMean!);
    }
    const meanR2 = trained.metrics.splits.reduce((a, s) => a + s.test!.r2, 0) / 3;
    expect(trained.metrics.summary!.test.r2.mean).toBeCloseTo(meanR2, 12);
    expect(meanR2).toBeGreaterThanOrEqual(0.6);
    expect((createModelsRepo(ctx.db).get(trained.modelId).hyper as { inputNorm: string }).inputNorm).toBe('percentile');
    const s = trained.metrics.splits[0];
    // Per-point relative errors are stored for the section map.
    expect(s.testPoints.every((p) => Math.abs(p.relError - (p.mean - p.actual) / p.actual) < 1e-12)).toBe(true);
    expect(details.length).toBeGreaterThan(0);
    expect(details.some((d) => d.epoch >= 2 && d.etaS >= 0 && d.valMae !== null)).toBe(true);
    // An epoch event carries that epoch only: its size does not grow with the epoch number (it used to carry
    // the whole curve, so the traffic grew with epochs²).
    const first = details.filter((d) => d.runIndex === 0);
    expect(first.at(-1)!.epoch).toBeGreaterThanOrEqual(5);
    expect(JSON.stringify(first.at(-1)).length).toBeLessThan(JSON.stringify(first[0]).length + 60);
    // The stored run history, appended epoch by epoch, is exactly the epochs each split trained.
    const run = createModelsRepo(ctx.db).getRun(details[0].runId);
    expect(run.history).toEqual(Object.fromEntries(trained.metrics.splits.map((sp) => [sp.name, sp.history])));
    for (const d of details) expect((run.history as Record<string, unknown[]>)[d.runName][d.log.epoch - 1]).toEqual(d.log);
    // each split's name is stored, and sent with each epoch, as a phrase too (the Train page says it in the interface's language)
    expect(trained.metrics.splits.map((sp) => sp.namePhrase)).toEqual([1, 2, 3].map((n) => ({ code: 'cnnSplit.random', params: { n, k: 3 } })));
    for (const d of details) expect(d.runNamePhrase).toEqual(trained.metrics.splits[d.runIndex]?.namePhrase ?? trained.metrics.final.namePhrase);
    const rec = createModelsRepo(ctx.db).get(trained.modelId);
    expect(rec.path).toBe(`models/${trained.modelId}`);
    expect(readdirSync(join(ctx.paths.root, rec.path)).sort()).toEqual(['model.json', 'weights.bin']);
    expect(rec.seed).toBe(42);
    expect(rec.datasetFingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect((rec.backend as { name: string }).name).toBe('wasm');
    // which code made it (a seed gives another model after the training kernels change): app version + kernels
    expect((rec.backend as { trainedBy?: string }).trainedBy).toBe(`Ferrolab ${ctx.version}, ${WASM_TRAINING_KERNELS}`);
    expect(trained.backend.trainedBy).toBe((rec.backend as { trainedBy?: string }).trainedBy);
    expect(rec.synthetic).toBe(true);
    expect((rec.architecture as { inputSize: number }).inputSize).toBe(32);
  });

  it('predicts the billet with the TTA mean and a calibrated 90 % interval per point, flags, and (in-sample) metrics', async () => {
    const end = await finish(await api['cnn.predict']({ modelId: trained.modelId, billetId }));
    const p = end.result as BilletPrediction;
    expect(p.points).toHaveLength(85);
    expect(p.points.every((x) => x.sd > 0 && x.actual !== null)).toBe(true);
    // The model's calibration (stored at training from its 3 splits' 51 held-out residuals) on every point.
    const c = trained.metrics.calibration!;
    expect(c).toMatchObject({ method: 'split-conformal-absolute', alpha: 0.1, n: 51, coverageN: 51, coverageProtocol: 'leave-one-split-out' });
    expect(p.calibration).toEqual(c);
    // the 51 residuals are of fewer distinct points (random splits draw their test points independently)
    const distinct = new Set(trained.metrics.splits.flatMap((s) => s.testPoints.map((q) => `${q.billetId}/${q.label}`))).size;
    expect(c.points).toBe(distinct);
    expect(distinct).toBeLessThan(51);
    expect(p.intervalWords).toBe(`90 % interval, measured coverage ${c.measuredCoverage!.toFixed(2)} on 51 held-out residuals of ${distinct} points (random splits hold some points out more than once; each residual counts)`);
    for (const x of p.points) {
      expect(x.interval!.lo).toBeCloseTo(x.mean - c.quantile, 12);
      expect(x.interval!.hi).toBeCloseTo(x.mean + c.quantile, 12);
    }
    // The quantile is the 47th smallest of the 51 held-out |errors| (⌈52 · 0.9⌉ = 47).
    const errs = trained.metrics.splits.flatMap((s) => s.testPoints.map((t) => Math.abs(t.actual - t.mean))).sort((a, b) => a - b);
    expect(c.quantile).toBeCloseTo(errs[46], 12);
    expect(p.billetInTraining).toBe(true);
    expect(p.metrics!.n).toBe(85);
    // The 17 test points' TTA means equal those computed at the end of training (same model, same patches).
    const test = trained.metrics.splits[0].testPoints;
    for (const t of test.slice(0, 5)) expect(p.points.find((x) => x.label === t.label)!.mean).toBeCloseTo(t.mean, 5);
    expect(p.metrics!.maxDeviation).toBeCloseTo(Math.max(...p.points.map((x) => Math.abs(x.error!))), 12);
  });

  it('inference split over 2 worker threads gives the same TTA predictions as one; the map predictor masks off-section patches', async () => {
    const rec = createModelsRepo(ctx.db).get(trained.modelId);
    const { points } = await ctx.services.cnn.loadBilletPoints(billetId, { inputSize: 32, requireReadings: false });
    const scaling = (rec.hyper as { targetScaling: { mean: number; scale: number } }).targetScaling;
    // The model's input: CLAHE'd patches with the per-patch percentile stretch it was trained with.
    const patches = points.slice(0, 24).map((p) => normalisePatch(p.patch, 'percentile'));
    setWorkerCap(2); // two threads even on a 2-core machine (the app-wide default is cores − 1)
    const one = await predictTtaInWorkers(join(ctx.paths.root, rec.path), patches, 32, 1, scaling, { backend: 'wasm', workers: 1 });
    const two = await predictTtaInWorkers(join(ctx.paths.root, rec.path), patches, 32, 1, scaling, { backend: 'wasm', workers: 2, minPatchesPerWorker: 8 });
    expect(two.workers).toBe(2);
    expect(two.mean).toEqual(one.mean);
    expect(two.sd).toEqual(one.sd);
    const src = await ctx.services.cnn.mapPredictor({ modelId: trained.modelId, billetId });
    try {
      const out = await src.predictor([{ xMm: points[0].xMm, yMm: points[0].yMm }, { xMm: 0, yMm: 310 }], new AbortController().signal);
      expect(out[0].masked).toBeNull();
      expect(out[0].mean).toBeCloseTo(one.mean[0], 5);
      expect(out[1].masked).toBe('outside');
    } finally {
      await src.dispose?.();
    }
  });

  it('Grad-CAM writes one overlay per conv layer for a point', async () => {
    const r = await api['cnn.gradcam']({ modelId: trained.modelId, billetId, label: trained.metrics.splits[0].testPoints[0].label, layers: 'all' });
    expect(r.convLayers).toBe(6);
    expect(r.layers.map((l) => l.convLayer)).toEqual([1, 2, 3, 4, 5, 6]);
    const meta = await sharp(join(ctx.paths.root, r.layers[5].overlayRel)).metadata();
    expect([meta.width, meta.height]).toEqual([32, 32]);
    // Region analysis over 8 patches: dark (interdendritic) vs light pixels, paired one-sided Wilcoxon.
    const labels = trained.metrics.splits[0].testPoints.slice(0, 8).map((p) => p.label);
    const t = await api['cnn.gradcamRegions']({ modelId: trained.modelId, billetId, layer: 2, labels });
    expect(t.n).toBe(t.labels.length);
    expect(t.n).toBeGreaterThanOrEqual(6);
    // The same test recomputed from the per-point region means cnn.gradcam reports for those patches:
    // the service uses the patches, masks and layer the gallery shows. (Known-answer cases of the test
    // itself are in ml/gradcam.test.ts.)
    const per = [];
    for (const label of t.labels) per.push((await api['cnn.gradcam']({ modelId: trained.modelId, billetId, label, layers: [2] })).layers[0].regions!);
    const again = regionWilcoxon(per);
    expect(t.statistic).toBe(again.statistic);
    expect(t.pValue).toBeCloseTo(again.pValue, 12);
    expect(t.inside.mean).toBeCloseTo(again.inside.mean, 12);
    expect(t.outside.mean).toBeCloseTo(again.outside.mean, 12);
    expect(t.pValue).toBeGreaterThan(0);
    expect(t.pValue).toBeLessThan(1);
    await expect(api['cnn.gradcamRegions']({ modelId: trained.modelId, billetId, layer: 7 })).rejects.toThrow(/conv layer must be 1..6/);
  });

  it('the same seed gives the same model metrics', async () => {
    const args = { billetIds: [billetId], preset: 'compact' as const, architecture: SMALL, hyper: { epochs: 1, patience: 10 }, splits: 1, refit: false, seed: 11 };
    const a = (await finish(await api['cnn.train'](args))).result as TrainJobResult;
    const b = (await finish(await api['cnn.train'](args))).result as TrainJobResult;
    expect(b.metrics.summary).toEqual(a.metrics.summary);
    expect(b.metrics.splits.map((s) => s.history.map((h) => h.loss))).toEqual(a.metrics.splits.map((s) => s.history.map((h) => h.loss)));
    const c = (await finish(await api['cnn.train']({ ...args, seed: 12 }))).result as TrainJobResult;
    expect(c.metrics.summary).not.toEqual(a.metrics.summary);
  });

  it('refuses a bad architecture at once, naming the problem', async () => {
    await expect(api['cnn.train']({ billetIds: [billetId], preset: 'compact', architecture: { inputSize: 16, blocks: 6 } })).rejects.toThrow(/at least 64 px or fewer blocks/);
    await expect(api['cnn.train']({ billetIds: [billetId], preset: 'compact', hyper: { batchSize: 20 } })).rejects.toThrow(/batch size must be 16, 32 or 64/);
  });

  it('a cancelled training leaves no model record and no model folder; the run keeps its history', async () => {
    const before = createModelsRepo(ctx.db).list().length;
    const dirsBefore = readdirSync(ctx.paths.models).sort();
    const job = await api['cnn.train']({ billetIds: [billetId], preset: 'compact', architecture: SMALL, hyper: { epochs: 200, patience: 200 }, splits: 1, seed: 5 });
    await new Promise<void>((resolve) => {
      const off = ctx.bus.subscribe((ev) => {
        if (ev.type === 'job' && ev.job.id === job.id && (ev.job.detail as TrainProgressDetail | undefined)?.epoch === 2) {
          off();
          void api['jobs.cancel']({ jobId: job.id });
          resolve();
        }
      });
    });
    const end = await ctx.jobs.wait(job.id);
    expect(end.state).toBe('cancelled');
    expect(createModelsRepo(ctx.db).list()).toHaveLength(before);
    expect(readdirSync(ctx.paths.models).sort()).toEqual(dirsBefore);
    const run = createModelsRepo(ctx.db).listRuns('carbon-cnn')[0];
    expect(run.state).toBe('cancelled');
    expect(run.modelId).toBeNull();
    expect(Object.values(run.history as Record<string, unknown[]>)[0].length).toBeGreaterThanOrEqual(2);
  });

  it('models can be listed, renamed, exported, imported, fine-tuned with lineage, and deleted', async () => {
    const list = await api['cnn.models.list']({});
    expect(list.map((m) => m.id)).toContain(trained.modelId);
    expect((await api['cnn.models.rename']({ id: trained.modelId, name: 'demo compact' })).name).toBe('demo compact');
    const ex = await api['cnn.models.export']({ id: trained.modelId });
    const bytes = readFileSync(join(ctx.paths.root, ex.rel));
    const uploadId = ctx.uploads.saveBytes(bytes);
    const imported = await api['cnn.models.import']({ upload: { uploadId, name: 'm.json' }, name: 'copy' });
    expect(imported.name).toBe('copy');
    expect(imported.datasetFingerprint).toBe(createModelsRepo(ctx.db).get(trained.modelId).datasetFingerprint);
    const p1 = (await finish(await api['cnn.predict']({ modelId: imported.id, billetId }))).result as BilletPrediction;
    const p0 = (await finish(await api['cnn.predict']({ modelId: trained.modelId, billetId }))).result as BilletPrediction;
    expect(p1.points.map((p) => p.mean)).toEqual(p0.points.map((p) => p.mean));
    // A damaged file is refused with a clear message.
    const bad = ctx.uploads.saveBytes(Buffer.from('{"format":"something else"}'));
    await expect(api['cnn.models.import']({ upload: { uploadId: bad, name: 'x.json' } })).rejects.toThrow(/not a Ferrolab model file/);
    // Fine-tune: starts from the base weights, records the parent.
    const ft = (await finish(await api['cnn.train']({ billetIds: [billetId], preset: 'compact', baseModelId: trained.modelId, hyper: { epochs: 1 }, splits: 1, refit: false, seed: 1 }))).result as TrainJobResult;
    const detail = await api['cnn.models.get']({ id: ft.modelId });
    expect(detail.parentModelId).toBe(trained.modelId);
    expect(detail.lineage.map((l) => l.id)).toEqual([trained.modelId]);
    expect(detail.architecture.inputSize).toBe(32);
    // task 27-G: the fine-tune stores what its parent trained on, and its split's test points the parent trained on
    // (every one not held out from the parent's stored model: same billet) are held-out from the fine-tune only
    const parentFinal = trained.metrics.final;
    const lineage = (createModelsRepo(ctx.db).get(ft.modelId).dataset as { lineage: { complete: boolean; ancestors: { id: number; trainPoints: unknown[] }[] } }).lineage;
    expect(lineage.complete).toBe(true);
    expect(lineage.ancestors.map((a) => [a.id, a.trainPoints.length])).toEqual([[trained.modelId, parentFinal.trainPoints.length]]);
    const parentTest = new Set(parentFinal.testPoints.map((p) => p.label));
    const ftTest = ft.metrics.splits[0].testPoints;
    const inParent = ftTest.filter((p) => !parentTest.has(p.label)).length;
    expect(inParent).toBeGreaterThan(0);
    expect(ft.ancestorOverlap).toMatchObject({ n: ftTest.length, inAncestors: inParent, unknown: 0 });
    expect(detail.ancestorOverlap).toMatchObject({ n: ftTest.length, inAncestors: inParent });
    await api['cnn.models.delete']({ id: imported.id });
    expect(existsSync(join(ctx.paths.root, `models/${imported.id}`))).toBe(false);
    await expect(api['cnn.models.get']({ id: imported.id })).rejects.toThrow(/does not exist/);
  });
});
