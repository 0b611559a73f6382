import * as tf from '@tensorflow/tfjs';
import { SeededDropout } from './seeded-dropout.js';
import { childSeed } from '../runtime/random.js';
import type { Architecture } from '../api/methods/cnn.js';
import { phrase } from '../api/phrase.js';
import { RefusedError } from '../runtime/refused.js';

/**
 * Everything that defines the network's shape (stored with every model), the contract's shape
 * (core/api/methods/cnn.ts): `inputSize` the side of the square input patch
 * in pixels; `channels` 1 = grey, 3 = RGB; `blocks` conv blocks (each: convsPerBlock 3×3 same-padded ReLU
 * convs, then 2×2 max-pooling; paper: 6); `baseFilters` the filters of the first block, doubled every block
 * (paper: 32 → 1024); `dense` the units of the dense layers after flattening, each followed by dropout
 * (paper: 256…16).
 */
export type ArchitectureSpec = Architecture;

export type PresetName = 'paper' | 'compact';

/** The paper's network (Wei et al. 2025, Fig. 3). */
export const PAPER_ARCHITECTURE: ArchitectureSpec = {
  inputSize: 224,
  channels: 1,
  blocks: 6,
  convsPerBlock: 2,
  baseFilters: 32,
  dense: [256, 128, 64, 32, 16],
  dropout: 0.2,
};

/**
 * Same layer pattern, sized to train on a 2-core CPU in minutes: 64 px input (cut at the section's
 * native scale, so the dendrite morphology that carries carbon is not blurred away), 4 blocks of
 * 8…64 filters, 2 dense layers. About 0.3 % of the paper model's multiply-adds per image.
 */
export const COMPACT_ARCHITECTURE: ArchitectureSpec = {
  inputSize: 64,
  channels: 1,
  blocks: 4,
  convsPerBlock: 2,
  baseFilters: 8,
  dense: [32, 16],
  dropout: 0.1,
};

export const PRESETS: Record<PresetName, ArchitectureSpec> = { paper: PAPER_ARCHITECTURE, compact: COMPACT_ARCHITECTURE };

export function presetArchitecture(name: PresetName, overrides: Partial<ArchitectureSpec> = {}): ArchitectureSpec {
  const base = PRESETS[name];
  if (!base) throw new Error(`unknown preset "${String(name)}" (use paper or compact)`);
  return validateArchitecture({ ...base, ...overrides, dense: overrides.dense ?? base.dense.slice() });
}

/** Checks the ranges the issue allows; returns the spec or throws a sentence naming the field. */
export function validateArchitecture(a: ArchitectureSpec): ArchitectureSpec {
  const int = (v: number, lo: number, hi: number, name: string) => {
    if (!Number.isInteger(v) || v < lo || v > hi) throw new Error(`architecture: ${name} must be an integer in ${lo}..${hi}, got ${v}`);
  };
  int(a.blocks, 2, 7, 'blocks');
  int(a.convsPerBlock, 1, 4, 'convsPerBlock');
  int(a.baseFilters, 1, 256, 'baseFilters');
  int(a.inputSize, 8, 1024, 'inputSize');
  if (a.channels !== 1 && a.channels !== 3) throw new Error(`architecture: channels must be 1 (grey) or 3 (RGB), got ${a.channels}`);
  if (!Array.isArray(a.dense) || a.dense.length < 1 || a.dense.length > 6) throw new Error(`architecture: 1 to 6 dense layers, got ${a.dense?.length}`);
  a.dense.forEach((u, i) => int(u, 1, 8192, `dense[${i}]`));
  if (!(a.dropout >= 0 && a.dropout < 1)) throw new Error(`architecture: dropout must be in [0, 1), got ${a.dropout}`);
  // the combinations the contract's per-field ranges cannot see: the user's to change, said in their language
  if (a.inputSize >> a.blocks < 1)
    throw RefusedError.said('invalid_argument', phrase('workerErrors.architecture.tooManyBlocks', { blocks: a.blocks, px: a.inputSize, minPx: 2 ** a.blocks }), { field: 'architecture.blocks' });
  if (a.baseFilters * 2 ** (a.blocks - 1) > 4096)
    throw RefusedError.said('invalid_argument', phrase('workerErrors.architecture.tooManyFilters', { filters: a.baseFilters * 2 ** (a.blocks - 1) }), { field: 'architecture.baseFilters' });
  return a;
}

export function filtersOfBlock(a: ArchitectureSpec, block: number): number {
  return a.baseFilters * 2 ** block;
}

/** Multiply-adds per image of the conv stack and dense head (for the bench and the UI). */
export function multiplyAdds(a: ArchitectureSpec): number {
  let size = a.inputSize;
  let cin: number = a.channels;
  let total = 0;
  for (let b = 0; b < a.blocks; b++) {
    const f = filtersOfBlock(a, b);
    for (let c = 0; c < a.convsPerBlock; c++) {
      total += size * size * 9 * cin * f;
      cin = f;
    }
    size = Math.floor(size / 2);
  }
  let units = size * size * cin;
  for (const d of a.dense) {
    total += units * d;
    units = d;
  }
  return total + units;
}

/**
 * Builds the sequential regression CNN. All weights come from initialisers seeded from `seed`
 * (one child seed per layer), and dropout masks from per-layer seeds, so a seed replays a run.
 */
export function buildModel(spec: ArchitectureSpec, seed: number): tf.Sequential {
  const a = validateArchitecture(spec);
  const model = tf.sequential({ name: 'carbon_cnn' });
  let layerNo = 0;
  const init = () => tf.initializers.glorotUniform({ seed: childSeed(seed, layerNo++) });
  for (let b = 0; b < a.blocks; b++) {
    const filters = filtersOfBlock(a, b);
    for (let c = 0; c < a.convsPerBlock; c++) {
      model.add(
        tf.layers.conv2d({
          ...(b === 0 && c === 0 ? { inputShape: [a.inputSize, a.inputSize, a.channels] } : {}),
          name: `conv${b + 1}_${c + 1}`,
          filters,
          kernelSize: 3,
          padding: 'same',
          activation: 'relu',
          kernelInitializer: init(),
        }),
      );
    }
    model.add(tf.layers.maxPooling2d({ name: `pool${b + 1}`, poolSize: 2, strides: 2 }));
  }
  model.add(tf.layers.flatten({ name: 'flatten' }));
  a.dense.forEach((units, i) => {
    model.add(tf.layers.dense({ name: `dense${i + 1}`, units, activation: 'relu', kernelInitializer: init() }));
    if (a.dropout > 0) model.add(new SeededDropout({ name: `dropout${i + 1}`, rate: a.dropout, seed: childSeed(seed, 1000 + i) }));
  });
  model.add(tf.layers.dense({ name: 'carbon', units: 1, activation: 'linear', kernelInitializer: init() }));
  return model;
}

/** Indices (into model.layers) of the conv layers, in order: Grad-CAM layer 1…N. */
export function convLayerIndices(model: tf.LayersModel): number[] {
  return model.layers.flatMap((l, i) => (l.getClassName() === 'Conv2D' ? [i] : []));
}

export function resetDropoutSequences(model: tf.LayersModel): void {
  for (const l of model.layers) if (l instanceof SeededDropout) l.resetSequence();
}
