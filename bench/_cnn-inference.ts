/**
 * Inference throughput of `npm run bench cnn`: a 97-patch map and an 85-point TTA prediction (8 dihedral
 * transforms per patch) through the app's inference worker pool on one backend, warm (the pool's start-up,
 * which loads tfjs and the model in every thread, is reported apart).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildModel, presetArchitecture, type PresetName } from '../core/ml/architecture.js';
import { modelToArtifacts, writeModelDir } from '../core/ml/model-io.js';
import { InferencePool } from '../core/ml/parallel-inference.js';
import { setWorkerCap, workerCap } from '../core/runtime/worker.js';
import { createRng } from '../core/runtime/random.js';
import type { BackendPreference } from '../core/api/methods/system.js';
import { benchOptions as o } from './_cnn-options.js';

export interface InferenceRow {
  backend: string;
  preset: PresetName;
  workers: number;
  startS: number;
  mapImgS: number;
  ttaImgS: number;
  /** Patches per CPU-second of the process (its worker threads; the waiting main thread adds little): per-core speed, not the machine's load. */
  mapPerCpuS: number;
  ttaPerCpuS: number;
}

/** CPU seconds of this process, all threads (getrusage). */
function cpuS(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

function patches(n: number, size: number, seed: number): Uint8Array[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => Uint8Array.from({ length: size * size }, () => rng.int(256)));
}

/** Patches per second (each is 8 forward passes) for the map and the prediction, split evenly over the pool. */
export async function inferenceRow(backend: BackendPreference, preset: PresetName): Promise<InferenceRow> {
  const a = presetArchitecture(preset);
  const dir = mkdtempSync(join(tmpdir(), 'ferrolab-bench-infer-'));
  const cap = workerCap();
  setWorkerCap(o.maxWorkers);
  const model = buildModel(a, 1);
  writeModelDir(join(dir, 'm'), await modelToArtifacts(model));
  model.dispose();
  const t0 = performance.now();
  const pool = new InferencePool(join(dir, 'm'), a.inputSize, a.channels, { mean: 0, scale: 1 }, { backend, workers: o.maxWorkers });
  try {
    const threads = await pool.threads();
    const info = await pool.backend();
    // One patch per thread: every worker has loaded the model and set up its kernels.
    await Promise.all(Array.from({ length: threads }, (_, i) => pool.predict(patches(1, a.inputSize, 100 + i))));
    const startS = (performance.now() - t0) / 1000;
    const rate = async (n: number, seed: number) => {
      const all = patches(n, a.inputSize, seed);
      const per = Math.ceil(n / threads);
      const t = performance.now();
      const c = cpuS();
      await Promise.all(Array.from({ length: threads }, (_, k) => all.slice(k * per, (k + 1) * per)).filter((c) => c.length).map((c) => pool.predict(c)));
      return { wall: n / ((performance.now() - t) / 1000), cpu: n / (cpuS() - c) };
    };
    const map = await rate(o.mapPatches, 1);
    const tta = await rate(o.ttaPoints, 2);
    return { backend: info.name, preset, workers: threads, startS, mapImgS: map.wall, ttaImgS: tta.wall, mapPerCpuS: map.cpu, ttaPerCpuS: tta.cpu };
  } finally {
    await pool.close();
    setWorkerCap(cap);
    rmSync(dir, { recursive: true, force: true });
  }
}

export function inferenceTable(rows: InferenceRow[]): string[] {
  return [
    `Inference through the worker pool, warm: a ${o.mapPatches}-patch map and an ${o.ttaPoints}-point prediction, each patch 8 TTA forwards (patches/s; ×8 for forward passes/s)`,
    `(per CPU-s: patches per CPU-second of the process's threads — the per-core speed, whatever else loads the machine; load average now ${loadavg().map((v) => v.toFixed(1)).join(' ')})`,
    '| backend | preset | workers | pool start s | map patches/s | TTA prediction patches/s | map per CPU-s | TTA per CPU-s |',
    '|---|---|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.backend} | ${r.preset} | ${r.workers} | ${r.startS.toFixed(1)} | ${r.mapImgS.toFixed(2)} | ${r.ttaImgS.toFixed(2)} | ${r.mapPerCpuS.toFixed(2)} | ${r.ttaPerCpuS.toFixed(2)} |`),
  ];
}
