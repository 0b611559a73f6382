import type * as tf from '@tensorflow/tfjs';
import { maxBindingBytes } from './webgpu-backend.js';
import { phrase } from '../api/phrase.js';
import { FailedError } from '../runtime/failure.js';

/**
 * Why a 224 px paper-model prediction "silently produced nothing" on WebGPU: predictions ran in batches of
 * 32, and the first conv block's output is 32 × 224 × 224 × 32 float32 = 205 520 896 bytes, more than the
 * largest buffer one shader may bind (maxStorageBufferBindingSize: 134 217 728 on lavapipe, and WebGPU's
 * default on many GPUs). Dawn rejects the bind group with a validation error that nobody listens to, the
 * command buffer is dropped, and tfjs reads back zeros. So every batch on webgpu is cut to what the device
 * can bind, and a training batch that cannot be cut is refused before it starts.
 */

/** Bytes of the largest tensor one sample makes flow through the model (inputs and every layer's output). */
export function largestTensorBytesPerSample(model: tf.LayersModel): number {
  const shapes: (number | null)[][] = model.inputs.map((i) => i.shape);
  for (const layer of model.layers) {
    const out = layer.outputShape as (number | null)[] | (number | null)[][];
    if (Array.isArray(out[0])) shapes.push(...(out as (number | null)[][]));
    else shapes.push(out as (number | null)[]);
  }
  return Math.max(...shapes.map((s) => s.slice(1).reduce<number>((a, d) => a * (d ?? 1), 1) * 4));
}

/** Bytes of the model's largest weight (a weight cannot be cut into batches). */
export function largestWeightBytes(model: tf.LayersModel): number {
  return Math.max(0, ...model.weights.map((w) => w.shape.reduce<number>((a, d) => a * (d ?? 1), 1) * 4));
}

/** Whole MiB, as the sentences say them ("… a 196 MiB GPU buffer …"). */
function mib(b: number): number {
  return Math.round(b / 2 ** 20);
}

function assertWeightsFit(model: tf.LayersModel, limit: number): void {
  const w = largestWeightBytes(model);
  if (w > limit) throw FailedError.said('unavailable', phrase('workerErrors.gpu.weightTooLarge', { weight: mib(w), limit: mib(limit) }));
}

/** The largest batch whose biggest tensor the device can bind in one shader (at least 1). */
export function maxBatchFor(perSampleBytes: number, bindingBytes: number): number {
  if (!Number.isFinite(bindingBytes)) return Number.POSITIVE_INFINITY;
  return Math.max(1, Math.floor(bindingBytes / perSampleBytes));
}

/** The batch to run inference with on the active backend: the requested one, cut to the device's limit. */
export function inferenceBatch(model: tf.LayersModel, requested: number): number {
  const limit = maxBindingBytes();
  if (!Number.isFinite(limit)) return requested;
  assertWeightsFit(model, limit);
  const per = largestTensorBytesPerSample(model);
  if (per > limit) {
    throw FailedError.said('unavailable', phrase('workerErrors.gpu.sampleTooLarge', { need: mib(per), limit: mib(limit) }));
  }
  return Math.min(requested, maxBatchFor(per, limit));
}

/**
 * Refuses a training batch the device cannot bind (a training step cannot be cut into smaller ones without
 * changing what is computed). The sentence says the batch that fits and the fallback.
 */
export function assertTrainingBatchFits(model: tf.LayersModel, batchSize: number): void {
  const limit = maxBindingBytes();
  if (!Number.isFinite(limit)) return;
  assertWeightsFit(model, limit);
  const per = largestTensorBytesPerSample(model);
  const fits = maxBatchFor(per, limit);
  if (batchSize > fits) {
    throw FailedError.said('unavailable', phrase('workerErrors.gpu.batchTooLarge', { batch: batchSize, need: mib(per * batchSize), limit: mib(limit), fits }));
  }
}
