import * as tf from '@tensorflow/tfjs';
import { childSeed, createRng } from '../runtime/random.js';
import { dihedralSamples, type TargetScaling } from './tta.js';
import { trainRegressor } from './trainer.js';
import type { EpochLog } from '../api/methods/cnn.js';
import type { DihedralIndex } from '../imaging/dihedral.js';

/**
 * A pretrained network Ferrolab can make itself (ImageNet weights cannot be downloaded here): a small conv net
 * trained on a pretext task — the correlation length of seeded random textures (noise smoothed by a box blur of
 * radius 1…4 px, random brightness and contrast). Texture scale is what etched dendrite patterns vary in, so the
 * features are plausible for transfer, and the task uses no carbon reading (nothing leaks into a later test).
 * Only standard Keras layers are used, so the exported folder is an ordinary TF.js layers model.
 */

export interface PretextOptions {
  size: number;
  count: number;
  epochs: number;
  seed: number;
  signal?: AbortSignal;
  onEpoch?: (log: EpochLog) => void;
}

export interface PretextResult {
  model: tf.LayersModel;
  history: EpochLog[];
  /** Held-out MAE of the pretext target (blur radius, px) and of predicting its mean: the net learned something. */
  valMae: number;
  valMaeOfMean: number;
}

function boxBlur(src: Float32Array, size: number, r: number): Float32Array {
  const tmp = new Float32Array(src.length);
  const out = new Float32Array(src.length);
  const wrap = (i: number) => ((i % size) + size) % size;
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) {
      let s = 0;
      for (let d = -r; d <= r; d++) s += src[y * size + wrap(x + d)];
      tmp[y * size + x] = s / (2 * r + 1);
    }
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) {
      let s = 0;
      for (let d = -r; d <= r; d++) s += tmp[wrap(y + d) * size + x];
      out[y * size + x] = s / (2 * r + 1);
    }
  return out;
}

/** `count` textures of side `size` and their blur radius (the pretext target), from `seed`. */
export function pretextTextures(count: number, size: number, seed: number): { patches: Uint8Array[]; radius: number[] } {
  const rng = createRng(seed);
  const patches: Uint8Array[] = [];
  const radius: number[] = [];
  for (let k = 0; k < count; k++) {
    const r = 1 + Math.floor(rng.next() * 4);
    const noise = Float32Array.from({ length: size * size }, () => rng.next());
    const f = boxBlur(boxBlur(noise, size, r), size, r);
    let m = 0;
    for (const v of f) m += v;
    m /= f.length;
    let sd = 0;
    for (const v of f) sd += (v - m) ** 2;
    sd = Math.sqrt(sd / f.length) || 1;
    const mean = 80 + rng.next() * 100;
    const contrast = 20 + rng.next() * 30;
    patches.push(Uint8Array.from(f, (v) => Math.max(0, Math.min(255, Math.round(mean + ((v - m) / sd) * contrast)))));
    radius.push(r);
  }
  return { patches, radius };
}

/** Filters of the texture network's conv layers (3 × 3, same padding, each followed by a 2 × 2 max pool). */
const PRETEXT_FILTERS = [8, 16, 32];
const PRETEXT_DENSE = 16;

/**
 * What the texture network costs a step at side `size` (the time estimate's step model, core/experiments/segregation/
 * cnn-protocol.ts): weighted layers and multiply-adds per sample, whole (the pretext training) or up to its pooled
 * conv features (`features`: what the transfer head reads, `width` values per sample).
 */
export function pretextNetworkCost(size: number, part: 'whole' | 'features' = 'whole'): { layers: number; multiplyAdds: number; width: number } {
  let side = size;
  let cin = 1;
  let macs = 0;
  for (const f of PRETEXT_FILTERS) {
    macs += side * side * 9 * cin * f;
    cin = f;
    side = Math.floor(side / 2);
  }
  if (part === 'features') return { layers: PRETEXT_FILTERS.length, multiplyAdds: macs, width: cin };
  return { layers: PRETEXT_FILTERS.length + 2, multiplyAdds: macs + cin * PRETEXT_DENSE + PRETEXT_DENSE, width: cin };
}

export function pretextNetwork(size: number, seed: number): tf.Sequential {
  let n = 0;
  const init = () => tf.initializers.glorotUniform({ seed: childSeed(seed, n++) });
  const m = tf.sequential({ name: 'ferrolab_texture_net' });
  const filters = PRETEXT_FILTERS;
  filters.forEach((f, i) => {
    m.add(tf.layers.conv2d({ ...(i === 0 ? { inputShape: [size, size, 1] } : {}), name: `pt_conv${i + 1}`, filters: f, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: init() }));
    m.add(tf.layers.maxPooling2d({ name: `pt_pool${i + 1}`, poolSize: 2, strides: 2 }));
  });
  m.add(tf.layers.globalAveragePooling2d({ name: 'pt_gap' }));
  m.add(tf.layers.dense({ name: 'pt_dense', units: PRETEXT_DENSE, activation: 'relu', kernelInitializer: init() }));
  m.add(tf.layers.dense({ name: 'pt_radius', units: 1, kernelInitializer: init() }));
  return m;
}

/** Textures held out for the pretext's validation (the rest train, on 3 dihedral views each: PRETEXT_VIEWS). */
export const pretextValidation = (count: number): number => Math.max(4, Math.round(count * 0.2));
export const PRETEXT_VIEWS: readonly DihedralIndex[] = [0, 1, 4];

export async function pretrainTextureNet(opts: PretextOptions): Promise<PretextResult> {
  if (!Number.isInteger(opts.size) || opts.size < 8) throw new Error(`pretext network: size must be an integer ≥ 8, got ${opts.size}`);
  if (!Number.isInteger(opts.count) || opts.count < 20) throw new Error(`pretext network: at least 20 textures, got ${opts.count}`);
  const { patches, radius } = pretextTextures(opts.count, opts.size, childSeed(opts.seed, 11));
  const nVal = pretextValidation(opts.count);
  const mean = radius.slice(nVal).reduce((a, b) => a + b, 0) / (opts.count - nVal);
  const scaling: TargetScaling = { mean, scale: 1 };
  const train = dihedralSamples(patches.slice(nVal), radius.slice(nVal), opts.size, 1, scaling, PRETEXT_VIEWS);
  const val = dihedralSamples(patches.slice(0, nVal), radius.slice(0, nVal), opts.size, 1, scaling, [0]);
  const model = pretextNetwork(opts.size, childSeed(opts.seed, 12));
  const r = await trainRegressor(model, train, val, {
    epochs: opts.epochs,
    batchSize: 16,
    learningRate: 3e-3,
    patience: Math.max(3, Math.ceil(opts.epochs / 3)),
    seed: childSeed(opts.seed, 13),
    signal: opts.signal,
    onEpoch: opts.onEpoch,
  });
  const valMaeOfMean = radius.slice(0, nVal).reduce((a, v) => a + Math.abs(v - mean), 0) / nVal;
  return { model, history: r.history, valMae: r.bestValMae ?? Number.NaN, valMaeOfMean };
}
