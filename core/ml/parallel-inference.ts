import { availableParallelism } from 'node:os';
import type { BackendInfo, BackendPreference } from '../api/methods/system.js';
import { WorkerPool } from '../runtime/worker-pool.js';
import { CancelledError } from '../runtime/cancelled.js';
import type { InferenceTask, InferenceWorkerInput } from './inference.worker.js';
import type { TargetScaling } from './tta.js';

/**
 * Worker threads that each hold the model and answer test-time-augmented predictions. tfjs-backend-wasm
 * is single-threaded in Node, so inference over many patches only uses more than one core this way.
 * The threads come from the app-wide worker cap (core/runtime/worker.ts).
 */
/**
 * Threads for inference on a backend: on webgpu one (the GPU is the parallelism, and every thread would open
 * its own device and split the GPU's memory); otherwise the request, default cores − 1. With `auto` the
 * backend is only known inside the worker, so a hardware GPU chosen automatically gets one device per thread.
 */
export function inferenceThreads(backend: BackendPreference, requested?: number): number {
  if (backend === 'webgpu') return 1;
  return Math.max(1, requested ?? Math.max(1, availableParallelism() - 1));
}

export class InferencePool {
  private readonly pool: WorkerPool<InferenceTask, { mean: number[]; sd: number[] }, never, BackendInfo>;
  /** Threads asked for (the worker cap may grant fewer; requests then queue). */
  readonly size: number;

  constructor(
    modelDir: string,
    private readonly patchSize: number,
    channels: 1 | 3,
    scaling: TargetScaling,
    opts: { backend: BackendPreference; workers?: number },
  ) {
    this.size = inferenceThreads(opts.backend, opts.workers);
    const input: InferenceWorkerInput = { backend: opts.backend, modelDir, size: patchSize, channels, scaling };
    this.pool = new WorkerPool(new URL('./inference.worker.js', import.meta.url), { size: this.size, workerData: input, what: 'inference' });
  }

  /** The backend the workers run on (resolves once the first has loaded the model). */
  backend(): Promise<BackendInfo> {
    return this.pool.ready();
  }

  /** Threads the pool got from the worker cap. */
  threads(): Promise<number> {
    return this.pool.threads();
  }

  /** TTA mean/sd for the patches, on the first free worker. Aborting closes the pool. */
  async predict(patches: readonly Uint8Array[], signal?: AbortSignal): Promise<{ mean: number[]; sd: number[] }> {
    if (signal?.aborted) throw new CancelledError('cancelled');
    if (!patches.length) return { mean: [], sd: [] };
    const per = this.patchSize * this.patchSize;
    const buf = new Uint8Array(patches.length * per);
    patches.forEach((p, i) => buf.set(p, i * per));
    const onAbort = () => void this.close();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      return await this.pool.run({ patchBuffer: buf }, { transfer: [buf.buffer as ArrayBuffer] });
    } catch (err) {
      throw signal?.aborted ? new CancelledError('cancelled') : err;
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

/**
 * Multiply-adds a thread's start-up is worth (loading tfjs, wasm and the model: ~1 s, in which one wasm thread does
 * ~1.5·10¹⁰ multiply-adds of convolution at ~30 GFLOP/s — bench/cnn-forward-profile.ts).
 */
const STARTUP_MULTIPLY_ADDS = 1.5e10;

/**
 * Patches per thread below which another thread is not worth its start-up, for a model of `multiplyAddsPerImage`
 * (each patch is 8 TTA forwards): at most 48 (a small model: compact, 0.01 G per image, stays one thread for an
 * 85-point prediction), down to 1 for the paper model at 224 px (4 G per image: ~2 s per patch, so every core helps).
 */
export function patchesWorthAThread(multiplyAddsPerImage: number): number {
  return Math.max(1, Math.min(48, Math.ceil(STARTUP_MULTIPLY_ADDS / (8 * Math.max(1, multiplyAddsPerImage)))));
}

export interface ParallelInferenceOptions {
  backend: BackendPreference;
  /** Upper bound on worker threads (default: cores − 1, at least 1). */
  workers?: number;
  /** Fewer patches than this per worker are not worth a thread's start-up (~1 s for tfjs + wasm; see patchesWorthAThread). */
  minPatchesPerWorker?: number;
  signal?: AbortSignal;
}

/** One-off TTA predictions for many patches, split into contiguous chunks over a temporary pool. */
export async function predictTtaInWorkers(
  modelDir: string,
  patches: readonly Uint8Array[],
  size: number,
  channels: 1 | 3,
  scaling: TargetScaling,
  opts: ParallelInferenceOptions,
): Promise<{ mean: number[]; sd: number[]; workers: number; backend: BackendInfo | null }> {
  if (!patches.length) return { mean: [], sd: [], workers: 0, backend: null };
  const maxWorkers = inferenceThreads(opts.backend, opts.workers);
  const n = Math.max(1, Math.min(maxWorkers, Math.floor(patches.length / (opts.minPatchesPerWorker ?? 48))));
  const pool = new InferencePool(modelDir, size, channels, scaling, { backend: opts.backend, workers: n });
  try {
    const per = Math.ceil(patches.length / n);
    const chunks = Array.from({ length: n }, (_, k) => patches.slice(k * per, (k + 1) * per)).filter((c) => c.length);
    const results = await Promise.all(chunks.map((c) => pool.predict(c, opts.signal)));
    return { mean: results.flatMap((r) => r.mean), sd: results.flatMap((r) => r.sd), workers: Math.min(chunks.length, await pool.threads()), backend: await pool.backend() };
  } finally {
    await pool.close();
  }
}
