import { tf } from './backend.js';
import { buildModel, type ArchitectureSpec } from './architecture.js';
import { throwIfGpuFailed } from './webgpu-backend.js';
import { assertTrainingBatchFits } from './webgpu-limits.js';
import { adam } from './heap-adam.js';
import { beginTrainingRun } from './kernels/conv2d-winograd.js';

/**
 * Seconds of one training step (forward + backward + Adam update on one full batch) of an architecture on
 * the backend already active in this thread: the basis of the time estimate a training run states before
 * it starts. One untimed step first (kernel set-up, weight allocation), then the median of `steps` timed
 * ones on a random batch: the numbers do not matter, only the work.
 */
export async function measureTrainStep(spec: ArchitectureSpec, batchSize: number, steps = 3): Promise<number> {
  const model = buildModel(spec, 1);
  const xs = tf.randomUniform([batchSize, spec.inputSize, spec.inputSize, spec.channels]);
  const ys = tf.randomNormal([batchSize, 1]);
  // On the training kernels (the exact Winograd product, core/ml/kernels/conv2d-winograd.ts), as the run it estimates.
  const endTrainingRun = beginTrainingRun();
  try {
    assertTrainingBatchFits(model, batchSize);
    model.compile({ optimizer: adam(1e-3), loss: 'meanAbsoluteError' });
    await model.trainOnBatch(xs, ys);
    throwIfGpuFailed();
    const times: number[] = [];
    for (let i = 0; i < steps; i++) {
      const t = performance.now();
      await model.trainOnBatch(xs, ys);
      times.push((performance.now() - t) / 1000);
    }
    times.sort((a, b) => a - b);
    return times[Math.floor(times.length / 2)];
  } finally {
    endTrainingRun();
    xs.dispose();
    ys.dispose();
    model.dispose();
  }
}
