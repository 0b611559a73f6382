import type * as tf from '@tensorflow/tfjs';
import { applyDihedral, DIHEDRAL, type DihedralIndex } from '../imaging/dihedral.js';
import { predictAll, type SampleSet } from './tensors.js';

/** Standardisation of the regression target (stored with the model to undo it). */
export interface TargetScaling {
  mean: number;
  scale: number;
}

/**
 * NHWC float samples (0..1) of grey patches under the given dihedral transforms, patch-major:
 * sample k·T + t is patch k under transform t. Grey is repeated into 3 channels for RGB models.
 * Targets: (value − mean)/scale, 0 where the value is null.
 */
export function dihedralSamples(
  patches: readonly Uint8Array[],
  values: readonly (number | null)[],
  size: number,
  channels: 1 | 3,
  scaling: TargetScaling,
  transforms: readonly DihedralIndex[] = DIHEDRAL,
): SampleSet {
  const per = size * size * channels;
  const count = patches.length * transforms.length;
  const x = new Float32Array(count * per);
  const y = new Float32Array(count);
  let k = 0;
  patches.forEach((p, i) => {
    if (p.length !== size * size) throw new Error(`patch ${i} has ${p.length} pixels, expected ${size}×${size}`);
    for (const t of transforms) {
      const d = t === 0 ? p : applyDihedral(p, size, t);
      const off = k * per;
      if (channels === 1) for (let j = 0; j < d.length; j++) x[off + j] = d[j] / 255;
      else for (let j = 0; j < d.length; j++) x[off + 3 * j] = x[off + 3 * j + 1] = x[off + 3 * j + 2] = d[j] / 255;
      const v = values[i];
      y[k] = v === null ? 0 : (v - scaling.mean) / scaling.scale;
      k++;
    }
  });
  return { x, y, count, shape: [size, size, channels] };
}

/** Test-time augmentation: mean and sample sd of the prediction over the 8 dihedral transforms, per patch. */
export async function predictTta(
  model: tf.LayersModel,
  patches: readonly Uint8Array[],
  size: number,
  channels: 1 | 3,
  scaling: TargetScaling,
): Promise<{ mean: number[]; sd: number[] }> {
  const mean: number[] = [];
  const sd: number[] = [];
  // 64 patches at a time keeps memory flat for the 224 px paper model (64·8 samples ≈ 100 MB).
  for (let start = 0; start < patches.length; start += 64) {
    const chunk = patches.slice(start, start + 64);
    const set = dihedralSamples(chunk, chunk.map(() => null), size, channels, scaling);
    const raw = await predictAll(model, set.x, set.count, set.shape, 32);
    for (let i = 0; i < chunk.length; i++) {
      const v = Array.from(raw.subarray(i * 8, i * 8 + 8), (z) => z * scaling.scale + scaling.mean);
      const m = v.reduce((a, b) => a + b, 0) / v.length;
      mean.push(m);
      sd.push(Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / (v.length - 1)));
    }
  }
  return { mean, sd };
}
