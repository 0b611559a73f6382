import * as tf from '@tensorflow/tfjs';
import { serveTasks } from '../runtime/worker-pool.js';
import { ensureBackend } from './backend.js';
import { modelFromArtifacts } from './model-io.js';
import { SeededDropout } from './seeded-dropout.js';
import { loadFlatWeights, shardGradientSum, type GradTask, type GradWorkerInput } from './data-parallel.js';

/**
 * A replica of data-parallel training: holds the model, and per task reads the current weights from shared
 * memory (when their version changed), computes the summed-loss gradient of its shard of the batch and
 * writes it to its own slot of the shared gradient buffer. The coordinator reduces and applies Adam.
 */
serveTasks<GradTask, { lossSum: number }>(async (data) => {
  const input = data as GradWorkerInput;
  const backend = await ensureBackend(input.backend);
  const model = await modelFromArtifacts(input.model);
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const dropouts = model.layers.filter((l): l is SeededDropout => l instanceof SeededDropout);
  const weights = new Float32Array(input.weights);
  const grads = new Float32Array(input.grads);
  let version = -1;
  return {
    info: backend,
    run: (task) => {
      if (task.version !== version) {
        loadFlatWeights(vars, input.layout, weights, input.backend === 'wasm');
        version = task.version;
      }
      for (const d of dropouts) d.setStep(task.step, task.shard);
      return shardGradientSum(model, vars, task, grads, input.layout);
    },
  };
});
