/**
 * WebGPU figures for the CNN bench (task 14-B's bench/cnn.ts can import `benchWebGpu` for its webgpu row):
 * forward and train-step ms per image of a preset on the running webgpu device, with its adapter. Reads back
 * asynchronously (webgpu has no synchronous readback in Node) and cuts the batch to what the device binds.
 */
import * as tf from '@tensorflow/tfjs';
import { buildModel, presetArchitecture, type PresetName } from '../core/ml/architecture.js';
import { activeAdapter, readBack, startWebGpu } from '../core/ml/webgpu-backend.js';
import { inferenceBatch } from '../core/ml/webgpu-limits.js';
import { adapterWords } from '../core/ml/webgpu-adapter.js';

export interface WebGpuRow {
  backend: 'webgpu';
  adapter: string;
  preset: PresetName;
  /** The batch asked for, cut to the device's binding limit. */
  batch: number;
  forwardMsPerImg: number;
  trainMsPerImg: number;
}

/** Opens the webgpu device (any adapter: a bench asks by name) and makes it current. */
export async function useWebGpu(): Promise<string> {
  if (tf.getBackend() !== 'webgpu') {
    await startWebGpu(true);
    if (!(await tf.setBackend('webgpu'))) throw new Error('webgpu did not start');
    await tf.ready();
  }
  return adapterWords(activeAdapter()!);
}

async function timeMs(fn: () => Promise<void>, reps: number): Promise<number> {
  await fn(); // warm-up: shader compilation, buffer pools
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) await fn();
  return (performance.now() - t0) / reps;
}

export async function benchWebGpu(preset: PresetName, batch: number, reps: number): Promise<WebGpuRow> {
  const adapter = await useWebGpu();
  const a = presetArchitecture(preset);
  const model = buildModel(a, 1);
  const b = inferenceBatch(model, batch);
  model.compile({ optimizer: tf.train.adam(1e-4), loss: 'meanAbsoluteError' });
  const x = tf.randomUniform([b, a.inputSize, a.inputSize, a.channels], 0, 1, 'float32', 1);
  const y = tf.randomNormal([b, 1], 0, 1, 'float32', 2);
  try {
    const forwardMs = await timeMs(async () => {
      const p = model.predict(x) as tf.Tensor;
      await readBack(p);
      p.dispose();
    }, reps);
    const trainMs = await timeMs(async () => {
      await model.trainOnBatch(x, y);
    }, reps);
    return { backend: 'webgpu', adapter, preset, batch: b, forwardMsPerImg: forwardMs / b, trainMsPerImg: trainMs / b };
  } finally {
    tf.dispose([x, y]);
    model.dispose();
  }
}
