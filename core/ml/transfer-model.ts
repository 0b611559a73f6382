import * as tf from '@tensorflow/tfjs';
import { childSeed } from '../runtime/random.js';
import { SeededDropout } from './seeded-dropout.js';
import type { SampleSet } from './tensors.js';

/**
 * Transfer learning as the paper describes it (Fig. 10): a pretrained network's early layers are kept fixed
 * and a new regression head is trained on the carbon readings. The head is global average pooling (when the
 * cut is a feature map) → dense ReLU → dropout → one linear output, initialised from the run's seed.
 */

/** `all` layers with weights up to the cut, the first `half` of them, or the first N. */
export type FreezeRule = 'all' | 'half' | number;

/**
 * How the pretrained network expects its pixels: `unit` [0, 1] (Ferrolab's own networks), `symmetric` [−1, 1]
 * (Keras InceptionV3, MobileNet), `caffe` 0..255 minus the ImageNet channel means (Keras VGG16/VGG19).
 * The grey patch is copied into all three channels, so the BGR order of `caffe` does not matter.
 */
export type InputPreprocess = 'unit' | 'symmetric' | 'caffe';

const CAFFE_MEANS = [103.939, 116.779, 123.68];

export interface TransferOptions {
  /** Layer whose output feeds the new head; default: the last layer that outputs a feature map. */
  cutAfter?: string | null;
  /** Layers with weights frozen from the input on: `all` of them up to the cut, or the first N. */
  freeze: FreezeRule;
  headUnits: number;
  dropout: number;
  seed: number;
}

export interface TransferModel {
  model: tf.LayersModel;
  cutAfter: string;
  frozen: string[];
  trainable: string[];
}

function outputRank(l: tf.layers.Layer): number {
  const out = l.outputShape as number[] | number[][];
  return (Array.isArray(out[0]) ? (out[0] as number[]) : (out as number[])).length;
}

export function defaultCut(base: tf.LayersModel): string {
  const maps = base.layers.filter((l) => outputRank(l) === 4);
  if (!maps.length) throw new Error('transfer learning: the pretrained network has no layer that outputs a feature map');
  return maps[maps.length - 1].name;
}

/** Builds base[..cut] → new head; sets the frozen layers' `trainable` to false (the optimiser then skips them). */
export function buildTransferModel(base: tf.LayersModel, opts: TransferOptions): TransferModel {
  const cutAfter = opts.cutAfter ?? defaultCut(base);
  const cutIndex = base.layers.findIndex((l) => l.name === cutAfter);
  if (cutIndex < 0) throw new Error(`transfer learning: the pretrained network has no layer "${cutAfter}" (layers: ${base.layers.map((l) => l.name).join(', ')})`);
  if (!(opts.dropout >= 0 && opts.dropout < 1)) throw new Error(`transfer learning: dropout must be in [0, 1), got ${opts.dropout}`);
  if (!Number.isInteger(opts.headUnits) || opts.headUnits < 1) throw new Error(`transfer learning: head units must be a positive integer, got ${opts.headUnits}`);
  const kept = base.layers.slice(0, cutIndex + 1);
  const weighted = kept.filter((l) => l.countParams() > 0);
  const nFrozen = opts.freeze === 'all' ? weighted.length : opts.freeze === 'half' ? Math.floor(weighted.length / 2) : opts.freeze;
  if (!Number.isInteger(nFrozen) || nFrozen < 0 || nFrozen > weighted.length) {
    throw new Error(`transfer learning: freeze must be "all", "half" or 0..${weighted.length} (layers with weights up to ${cutAfter}), got ${String(opts.freeze)}`);
  }
  const frozen = new Set(weighted.slice(0, nFrozen).map((l) => l.name));
  for (const l of kept) l.trainable = !frozen.has(l.name);

  let x = base.layers[cutIndex].output as tf.SymbolicTensor;
  if (x.shape.length === 4) x = tf.layers.globalAveragePooling2d({ name: 'tl_pool' }).apply(x) as tf.SymbolicTensor;
  else if (x.shape.length !== 2) x = tf.layers.flatten({ name: 'tl_flatten' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers
    .dense({ name: 'tl_dense', units: opts.headUnits, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: childSeed(opts.seed, 1) }) })
    .apply(x) as tf.SymbolicTensor;
  if (opts.dropout > 0) x = new SeededDropout({ name: 'tl_dropout', rate: opts.dropout, seed: childSeed(opts.seed, 2) }).apply(x) as tf.SymbolicTensor;
  const y = tf.layers.dense({ name: 'tl_carbon', units: 1, activation: 'linear', kernelInitializer: tf.initializers.glorotUniform({ seed: childSeed(opts.seed, 3) }) }).apply(x) as tf.SymbolicTensor;
  const model = tf.model({ inputs: base.inputs, outputs: y, name: 'transfer' });
  const weightedAll = model.layers.filter((l) => l.countParams() > 0);
  return {
    model,
    cutAfter,
    frozen: [...frozen],
    trainable: weightedAll.filter((l) => !frozen.has(l.name)).map((l) => l.name),
  };
}

/** Grey patches resized (bilinear) to the network's input side; identity when the sides agree. */
export function resizePatches(patches: readonly Uint8Array[], from: number, to: number): Uint8Array[] {
  if (from === to) return patches.slice();
  return patches.map((p) => {
    if (p.length !== from * from) throw new Error(`patch has ${p.length} pixels, expected ${from}×${from}`);
    return tf.tidy(() => {
      const t = tf.image.resizeBilinear(tf.tensor4d(Float32Array.from(p), [1, from, from, 1]), [to, to], false, true);
      return Uint8Array.from(t.dataSync(), (v) => Math.max(0, Math.min(255, Math.round(v))));
    });
  });
}

/** Rescales a sample set built in [0, 1] to what the pretrained network expects (in place). */
export function applyPreprocess(set: SampleSet, mode: InputPreprocess): SampleSet {
  if (mode === 'unit') return set;
  const c = set.shape[2];
  for (let i = 0; i < set.x.length; i++) {
    if (mode === 'symmetric') set.x[i] = set.x[i] * 2 - 1;
    else set.x[i] = set.x[i] * 255 - CAFFE_MEANS[c === 3 ? i % 3 : 1];
  }
  return set;
}

/**
 * The pretrained network up to the cut, with global average pooling when the cut is a feature map: with every
 * layer frozen it is a fixed feature extractor, so each (augmented) patch goes through it once and only the head
 * trains — the same model as training the whole stack with frozen layers, at a fraction of the cost (a VGG16
 * forward is ~15 GFLOP per 224 px image).
 */
export function featureExtractor(base: tf.LayersModel, cutAfter: string | null): { model: tf.LayersModel; cutAfter: string; width: number } {
  const cut = cutAfter ?? defaultCut(base);
  const layer = base.layers.find((l) => l.name === cut);
  if (!layer) throw new Error(`transfer learning: the pretrained network has no layer "${cut}"`);
  let x = layer.output as tf.SymbolicTensor;
  if (x.shape.length === 4) x = tf.layers.globalAveragePooling2d({ name: 'tl_pool' }).apply(x) as tf.SymbolicTensor;
  else if (x.shape.length !== 2) x = tf.layers.flatten({ name: 'tl_flatten' }).apply(x) as tf.SymbolicTensor;
  const width = x.shape[1] as number;
  return { model: tf.model({ inputs: base.inputs, outputs: x, name: 'features' }), cutAfter: cut, width };
}

/** Features of every sample (rows of `width` values), in batches. */
export async function extractFeatures(extractor: tf.LayersModel, set: SampleSet, width: number, batchSize = 16): Promise<Float32Array> {
  const per = set.shape[0] * set.shape[1] * set.shape[2];
  const out = new Float32Array(set.count * width);
  for (let start = 0; start < set.count; start += batchSize) {
    const n = Math.min(batchSize, set.count - start);
    const t = tf.tidy(() => extractor.predict(tf.tensor4d(set.x.subarray(start * per, (start + n) * per), [n, ...set.shape])) as tf.Tensor);
    out.set(await t.data(), start * width);
    t.dispose();
  }
  return out;
}

/** The new regression head alone, on a feature vector stored as a 1×1×width sample. */
export function headModel(width: number, units: number, dropout: number, seed: number): tf.LayersModel {
  const m = tf.sequential({ name: 'transfer_head' });
  m.add(tf.layers.flatten({ name: 'tl_flatten', inputShape: [1, 1, width] }));
  m.add(tf.layers.dense({ name: 'tl_dense', units, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: childSeed(seed, 1) }) }));
  if (dropout > 0) m.add(new SeededDropout({ name: 'tl_dropout', rate: dropout, seed: childSeed(seed, 2) }));
  m.add(tf.layers.dense({ name: 'tl_carbon', units: 1, activation: 'linear', kernelInitializer: tf.initializers.glorotUniform({ seed: childSeed(seed, 3) }) }));
  return m;
}
