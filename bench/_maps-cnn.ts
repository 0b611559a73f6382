/**
 * CNN part of bench/maps.ts: a dense predicted map of a 600 mm section per ML backend and model preset.
 *
 * A synthetic demo billet is made and a compact model is trained for one epoch; the paper-preset model
 * is stored untrained with the same record (weights do not change the inference cost, and training the
 * 224 px network takes far longer than the map). `maps.predict` — the same job the app runs, with its
 * worker pool — is then timed per backend.
 * The paper preset (224 px, 6 blocks) costs ~2.5 GMAC per view × 8 TTA views per patch: on CPU-only
 * machines it is timed on a sparse lattice and scaled to the dense patch count (marked "scaled").
 *
 * Flags: --presets=compact,paper   --backends=wasm,tensorflow,tensorflow-gpu[,cpu]   --paper-patches=N
 *
 * Measured on the 2-core shared dev machine (no GPU, tfjs-node not installed), 997 patches (stride 16.8 mm):
 *   compact: wasm 29.8 s, cpu 414 s;  paper: wasm ≈ 25 500 s (timed on 13 patches, scaled).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAppContext, type AppContext } from '../core/app/context.js';
import { localClient } from '../core/app/dispatch.js';
import { patchLattice } from '../core/maps/index.js';
import type { BackendPreference } from '../core/api/methods/system.js';
import { buildModel, presetArchitecture } from '../core/ml/architecture.js';
import { modelToArtifacts, writeModelDir } from '../core/ml/model-io.js';
import { createModelsRepo } from '../core/store/repos/models-repo.js';
import { inTransaction } from '../core/store/index.js';

/** A stored, untrained model of `preset` with the record of a trained one (for timing inference only). */
async function untrainedLike(ctx: AppContext, trainedId: number, preset: 'compact' | 'paper'): Promise<number> {
  await ctx.backend();
  const repo = createModelsRepo(ctx.db);
  const t = repo.get(trainedId);
  const arch = presetArchitecture(preset);
  const artifacts = await modelToArtifacts(buildModel(arch, 1));
  const hyper = { ...(t.hyper as Record<string, unknown>), preset };
  const rec = inTransaction(ctx.db, () =>
    repo.insert(
      { kind: t.kind, name: `bench ${preset} (untrained)`, parentModelId: null, architecture: arch, hyper, seed: 1, datasetFingerprint: t.datasetFingerprint, dataset: t.dataset, backend: t.backend, history: null, metrics: null, synthetic: true },
      (rel) => writeModelDir(join(ctx.paths.root, rel), artifacts, { ferrolab: { kind: t.kind, targetScaling: (t.hyper as { targetScaling: unknown }).targetScaling, architecture: arch, seed: 1 } }),
    ),
  );
  return rec.id;
}

export interface CnnBenchRow {
  what: string;
  backend: string;
  patches: number;
  ms: number;
}

function flag(name: string, fallback: string): string {
  const a = process.argv.find((x) => x.startsWith(`--${name}=`));
  return a ? a.slice(name.length + 3) : fallback;
}

/** Stride giving about `n` patch centres on the section. */
function strideFor(radiusMm: number, n: number): number {
  let s = radiusMm * Math.sqrt(Math.PI / n);
  while (patchLattice(radiusMm, s).centres.length > n) s *= 1.05;
  return Math.round(s * 10) / 10;
}

async function waitJob(ctx: AppContext, id: string) {
  const end = await ctx.jobs.wait(id);
  if (end.state !== 'done') throw new Error(end.error?.message ?? end.state);
  return end;
}

export async function cnnBench(opts: { radiusMm: number; strideMm: number }): Promise<CnnBenchRow[]> {
  const presets = flag('presets', 'compact,paper').split(',') as ('compact' | 'paper')[];
  // the plain-JS cpu backend is a last resort (≈ 14× slower than wasm on the compact net): only on request
  const backends = flag('backends', 'wasm,tensorflow,tensorflow-gpu').split(',') as BackendPreference[];
  const paperPatches = Number(flag('paper-patches', '12'));
  const dense = patchLattice(opts.radiusMm, opts.strideMm).centres.length;
  const dir = mkdtempSync(join(tmpdir(), 'ferrolab-bench-maps-'));
  const rows: CnnBenchRow[] = [];
  const trainer = createAppContext({ dataDir: dir, shell: 'cli', backend: 'wasm' });
  try {
    const api = localClient(trainer);
    const demo = await waitJob(trainer, (await api['billets.loadDemo']({ seed: 1, variant: 'base', sizePx: 3000 })).id);
    const billetId = (demo.result as { billetId: number }).billetId;
    const t0 = performance.now();
    await waitJob(trainer, (await api['cnn.train']({ billetIds: [billetId], preset: 'compact', hyper: { epochs: 1, batchSize: 16 }, splits: 1, refit: false, seed: 1, name: 'bench compact' })).id);
    const compactId = (await api['cnn.models.list']({}))[0].id;
    console.log(`(trained a compact model for 1 epoch in ${((performance.now() - t0) / 1000).toFixed(0)} s)`);
    for (const preset of presets) {
      const modelId = preset === 'compact' ? compactId : await untrainedLike(trainer, compactId, preset);
      for (const backend of backends) {
        const ctx = createAppContext({ dataDir: dir, shell: 'cli', backend });
        try {
          const info = await ctx.backend().catch((e: unknown) => {
            throw new Error(`backend ${backend} unavailable: ${e instanceof Error ? e.message : String(e)}`);
          });
          if (info.name !== backend) throw new Error(`backend ${backend} unavailable (got ${info.name})`);
          const scaled = preset === 'paper' && !info.gpu;
          const stride = scaled ? strideFor(opts.radiusMm, paperPatches) : opts.strideMm;
          const n = patchLattice(opts.radiusMm, stride).centres.length;
          const t = performance.now();
          await waitJob(ctx, (await localClient(ctx)['maps.predict']({ billetId, modelId, strideMm: stride })).id);
          const ms = performance.now() - t;
          rows.push({
            what: scaled ? `predicted map, CNN ${preset} (timed on ${n} patches, scaled to ${dense})` : `predicted map, CNN ${preset}, stride ${stride} mm`,
            backend: `${info.name} / ${preset}`,
            patches: dense,
            ms: scaled ? (ms * dense) / n : ms,
          });
        } catch (err) {
          console.log(`(${preset} on ${backend}: skipped — ${err instanceof Error ? err.message : String(err)})`);
        } finally {
          await ctx.close();
        }
      }
    }
  } finally {
    await trainer.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}
