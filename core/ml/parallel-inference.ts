import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import type { BackendInfo, BackendPreference } from '../api/methods/system.js';
import { startWorker } from '../runtime/worker.js';
import type { InferenceWorkerInput } from './inference.worker.js';
import type { TargetScaling } from './tta.js';

interface Pending {
  resolve: (r: { mean: number[]; sd: number[] }) => void;
  reject: (e: Error) => void;
}

interface PoolWorker {
  worker: Worker;
  ready: Promise<BackendInfo>;
  pending: Map<number, Pending>;
  busy: number;
}

function abortError(): Error {
  const e = new Error('cancelled');
  e.name = 'AbortError';
  return e;
}

/**
 * Worker threads that each hold the model and answer test-time-augmented predictions. tfjs-backend-wasm
 * is single-threaded in Node, so inference over many patches only uses more than one core this way.
 */
export class InferencePool {
  private workers: PoolWorker[] = [];
  private nextId = 1;
  private closed = false;
  readonly size: number;

  constructor(
    modelDir: string,
    private readonly patchSize: number,
    channels: 1 | 3,
    scaling: TargetScaling,
    opts: { backend: BackendPreference; workers?: number },
  ) {
    this.size = Math.max(1, opts.workers ?? Math.max(1, availableParallelism() - 1));
    const input: InferenceWorkerInput = { backend: opts.backend, modelDir, size: patchSize, channels, scaling };
    for (let i = 0; i < this.size; i++) {
      const worker = startWorker(new URL('./inference.worker.js', import.meta.url), { workerData: input });
      const pending = new Map<number, Pending>();
      const pw: PoolWorker = { worker, pending, busy: 0, ready: Promise.resolve(null as unknown as BackendInfo) };
      pw.ready = new Promise<BackendInfo>((resolve, reject) => {
        worker.on('message', (m: { type: string; id?: number; mean?: number[]; sd?: number[]; message?: string; backend?: BackendInfo }) => {
          if (m.type === 'ready') resolve(m.backend!);
          else if (m.type === 'fatal') reject(new Error(`inference worker: ${m.message}`));
          else if (m.type === 'result' || m.type === 'error') {
            const p = pending.get(m.id!);
            pending.delete(m.id!);
            pw.busy--;
            if (m.type === 'result') p?.resolve({ mean: m.mean!, sd: m.sd! });
            else p?.reject(new Error(`inference worker: ${m.message}`));
          }
        });
        const fail = (err: Error) => {
          reject(err);
          for (const p of pending.values()) p.reject(err);
          pending.clear();
        };
        worker.on('error', fail);
        worker.on('exit', (code) => {
          if (!this.closed || pending.size) fail(this.closed ? abortError() : new Error(`inference worker exited with code ${code}`));
        });
      });
      pw.ready.catch(() => undefined); // not lost: `fail` rejects every pending call with this error; this only stops an unhandled rejection
      this.workers.push(pw);
    }
  }

  /** The backend the workers run on (resolves once the first has loaded the model). */
  backend(): Promise<BackendInfo> {
    return this.workers[0].ready;
  }

  /** TTA mean/sd for the patches, on the least busy worker. */
  async predict(patches: readonly Uint8Array[], signal?: AbortSignal): Promise<{ mean: number[]; sd: number[] }> {
    if (this.closed) throw new Error('inference pool is closed');
    if (signal?.aborted) throw abortError();
    if (!patches.length) return { mean: [], sd: [] };
    const pw = this.workers.reduce((a, b) => (b.busy < a.busy ? b : a));
    pw.busy++;
    await pw.ready;
    const per = this.patchSize * this.patchSize;
    const buf = new Uint8Array(patches.length * per);
    patches.forEach((p, i) => buf.set(p, i * per));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        void this.close();
        reject(abortError());
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      pw.pending.set(id, {
        resolve: (r) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(r);
        },
        reject: (e) => {
          signal?.removeEventListener('abort', onAbort);
          reject(e);
        },
      });
      pw.worker.postMessage({ type: 'predict', id, patchBuffer: buf }, [buf.buffer as ArrayBuffer]);
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all(this.workers.map((w) => w.worker.terminate()));
  }
}

export interface ParallelInferenceOptions {
  backend: BackendPreference;
  /** Upper bound on worker threads (default: cores − 1, at least 1). */
  workers?: number;
  /** Fewer patches than this per worker are not worth a thread's start-up (~1 s for tfjs + wasm). */
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
  const maxWorkers = Math.max(1, opts.workers ?? availableParallelism() - 1);
  const n = Math.max(1, Math.min(maxWorkers, Math.floor(patches.length / (opts.minPatchesPerWorker ?? 48))));
  const pool = new InferencePool(modelDir, size, channels, scaling, { backend: opts.backend, workers: n });
  try {
    const per = Math.ceil(patches.length / n);
    const chunks = Array.from({ length: n }, (_, k) => patches.slice(k * per, (k + 1) * per)).filter((c) => c.length);
    const results = await Promise.all(chunks.map((c) => pool.predict(c, opts.signal)));
    return { mean: results.flatMap((r) => r.mean), sd: results.flatMap((r) => r.sd), workers: chunks.length, backend: await pool.backend() };
  } finally {
    await pool.close();
  }
}
