import { serveTasks } from '../runtime/worker-pool.js';
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

/** One request: patches of size×size bytes, back to back. */
export interface InferenceTask {
  patchBuffer: Uint8Array;
}

/** A long-lived inference thread of an InferencePool: loads the model once, then answers TTA requests. */
serveTasks<InferenceTask, { mean: number[]; sd: number[] }>(async (data) => {
  const input = data as InferenceWorkerInput;
  const backend = await ensureBackend(input.backend);
  const model = await modelFromArtifacts(readModelDir(input.modelDir));
  const per = input.size * input.size;
  return {
    info: backend,
    run: async ({ patchBuffer }) => {
      const patches = Array.from({ length: patchBuffer.length / per }, (_, i) => patchBuffer.subarray(i * per, (i + 1) * per));
      const r = await predictTta(model, patches, input.size, input.channels, input.scaling);
      return { mean: r.mean, sd: r.sd };
    },
  };
});
