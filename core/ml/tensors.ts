import * as tf from '@tensorflow/tfjs';
import { beginGpuWork, readBack } from './webgpu-backend.js';
import { inferenceBatch } from './webgpu-limits.js';

/** Images as one flat NHWC Float32Array (values 0..1) and one target per image. */
export interface SampleSet {
  x: Float32Array;
  y: Float32Array;
  count: number;
  /** [height, width, channels] of one sample. */
  shape: [number, number, number];
}

export function sampleSize(s: Pick<SampleSet, 'shape'>): number {
  return s.shape[0] * s.shape[1] * s.shape[2];
}

/** A batch tensor of the given sample indices (copied, so indices need not be contiguous). */
export function batchTensor(set: SampleSet, indices: readonly number[]): tf.Tensor4D {
  const size = sampleSize(set);
  const buf = new Float32Array(indices.length * size);
  indices.forEach((idx, k) => buf.set(set.x.subarray(idx * size, (idx + 1) * size), k * size));
  return tf.tensor4d(buf, [indices.length, ...set.shape]);
}

export function subset(set: SampleSet, indices: readonly number[]): SampleSet {
  const size = sampleSize(set);
  const x = new Float32Array(indices.length * size);
  const y = new Float32Array(indices.length);
  indices.forEach((idx, k) => {
    x.set(set.x.subarray(idx * size, (idx + 1) * size), k * size);
    y[k] = set.y[idx];
  });
  return { x, y, count: indices.length, shape: set.shape };
}

/**
 * Inference in batches (training = false); returns one value per sample. On webgpu the batch is cut to what
 * the device can bind (webgpu-limits.ts), and a GPU failure throws instead of reading back zeros.
 */
export async function predictAll(model: tf.LayersModel, x: Float32Array, count: number, shape: [number, number, number], requestedBatch = 32): Promise<Float32Array> {
  beginGpuWork();
  const batchSize = inferenceBatch(model, requestedBatch);
  const out = new Float32Array(count);
  const size = shape[0] * shape[1] * shape[2];
  for (let start = 0; start < count; start += batchSize) {
    const n = Math.min(batchSize, count - start);
    const pred = tf.tidy(() => {
      const xb = tf.tensor4d(x.subarray(start * size, (start + n) * size), [n, ...shape]);
      return model.predict(xb) as tf.Tensor;
    });
    try {
      out.set(await readBack(pred), start);
    } finally {
      pred.dispose();
    }
  }
  return out;
}
