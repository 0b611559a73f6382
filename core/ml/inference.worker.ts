import { parentPort, workerData } from 'node:worker_threads';
import { ensureBackend } from './backend.js';
import { modelFromArtifacts, readModelDir } from './model-io.js';
import { predictTta, type TargetScaling } from './tta.js';
import type { BackendPreference } from '../api/methods/system.js';

export interface InferenceWorkerInput {
  backend: BackendPreference;
  modelDir: string;
  size: number;
  channels: 1 | 3;
  scaling: TargetScaling;
}

export type InferenceRequest = { type: 'predict'; id: number; patchBuffer: Uint8Array } | { type: 'close' };

/** A long-lived inference thread: loads the model once, then answers TTA requests until closed. */
async function main(): Promise<void> {
  const input = workerData as InferenceWorkerInput;
  const backend = await ensureBackend(input.backend);
  const model = await modelFromArtifacts(readModelDir(input.modelDir));
  parentPort!.postMessage({ type: 'ready', backend });
  const per = input.size * input.size;
  // Requests are handled one after another: tfjs holds one engine per thread.
  let queue = Promise.resolve();
  parentPort!.on('message', (m: InferenceRequest) => {
    if (m.type === 'close') {
      queue = queue.then(() => {
        model.dispose();
        parentPort!.close();
      });
      return;
    }
    queue = queue.then(async () => {
      try {
        const patches = Array.from({ length: m.patchBuffer.length / per }, (_, i) => m.patchBuffer.subarray(i * per, (i + 1) * per));
        const r = await predictTta(model, patches, input.size, input.channels, input.scaling);
        parentPort!.postMessage({ type: 'result', id: m.id, mean: r.mean, sd: r.sd });
      } catch (err) {
        parentPort!.postMessage({ type: 'error', id: m.id, message: err instanceof Error ? err.message : String(err) });
      }
    });
  });
}

main().catch((err: unknown) => parentPort!.postMessage({ type: 'fatal', message: err instanceof Error ? err.message : String(err) }));
