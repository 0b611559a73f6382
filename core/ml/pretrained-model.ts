import * as tf from '@tensorflow/tfjs';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { RefusedError } from '../runtime/refused.js';
import './seeded-dropout.js';

/**
 * A user-supplied pretrained network in the TF.js layers format (model.json + weight shards), read from a folder
 * on this PC: nothing is fetched. Keras models (VGG16, VGG19, InceptionV3 …) are brought with the tensorflowjs
 * converter (`tensorflowjs_converter --input_format=keras model.h5 DIR`), see README "Transfer learning".
 * Everything that is not exactly such a folder is refused with the file named.
 */

export interface PretrainedModel {
  model: tf.LayersModel;
  dir: string;
  /** Input side (square) and channels the network takes. */
  inputSize: number;
  channels: number;
  /** Layer names in order with their output rank (4 = feature map, 2 = vector): where the network may be cut. */
  layers: { name: string; className: string; outputRank: number; weights: number }[];
  parameters: number;
}

interface ModelJson {
  format?: string;
  modelTopology?: { class_name?: string; model_config?: unknown; node?: unknown } | null;
  weightsManifest?: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
}

const refused = (message: string) => new RefusedError('invalid_argument', message, { field: 'pretrained' });

const BYTES: Record<string, number> = { float32: 4, int32: 4, uint8: 1, uint16: 2, float16: 2, bool: 1 };

export function readPretrainedArtifacts(dir: string): tf.io.ModelArtifacts {
  const jsonPath = join(dir, 'model.json');
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw refused(`pretrained network: "${dir}" is not a folder (expected a folder with model.json and its weight files)`);
  if (!existsSync(jsonPath)) throw refused(`pretrained network: no model.json in "${dir}"`);
  let j: ModelJson;
  try {
    j = JSON.parse(readFileSync(jsonPath, 'utf8')) as ModelJson;
  } catch (e) {
    throw refused(`pretrained network: "${jsonPath}" is not valid JSON (${(e as Error).message})`);
  }
  if (j.format === 'graph-model' || (j.modelTopology && 'node' in j.modelTopology)) {
    throw refused(
      `pretrained network: "${jsonPath}" is a TF.js graph model, which cannot be fine-tuned; convert the Keras model as a layers model: tensorflowjs_converter --input_format=keras --output_format=tfjs_layers_model model.h5 DIR`,
    );
  }
  if (!j.modelTopology || !Array.isArray(j.weightsManifest)) throw refused(`pretrained network: "${jsonPath}" is not a TF.js layers model (no modelTopology or weightsManifest)`);
  const specs: tf.io.WeightsManifestEntry[] = [];
  const parts: Buffer[] = [];
  for (const group of j.weightsManifest) {
    for (const p of group.paths) {
      if (p.includes('/') || p.includes('\\') || p.startsWith('.')) throw refused(`pretrained network: unsafe weights path "${p}" in "${jsonPath}"`);
      const file = join(dir, p);
      if (!existsSync(file)) throw refused(`pretrained network: weights file "${p}" listed in model.json is missing from "${dir}"`);
      parts.push(readFileSync(file));
    }
    specs.push(...group.weights);
  }
  const all = Buffer.concat(parts);
  const expected = specs.reduce((s, w) => {
    const q = (w as { quantization?: { dtype?: string } }).quantization?.dtype;
    return s + w.shape.reduce((a, b) => a * b, 1) * (BYTES[q ?? w.dtype] ?? 4);
  }, 0);
  if (expected !== all.byteLength) throw refused(`pretrained network: the weight files in "${dir}" hold ${all.byteLength} bytes, model.json needs ${expected}`);
  return {
    modelTopology: j.modelTopology as tf.io.ModelArtifacts['modelTopology'],
    weightSpecs: specs,
    weightData: all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength) as ArrayBuffer,
  };
}

export async function describePretrained(model: tf.LayersModel, dir: string): Promise<PretrainedModel> {
  const shape = model.inputs[0]?.shape;
  if (!shape || shape.length !== 4) throw refused(`pretrained network in "${dir}" does not take images (input shape ${JSON.stringify(shape)})`);
  const [, h, w, c] = shape;
  if (h === null || w === null || h !== w) {
    throw refused(`pretrained network in "${dir}" takes ${h}×${w} images; Ferrolab needs a fixed square input (convert the Keras model with input_shape=(224, 224, 3))`);
  }
  if (c !== 1 && c !== 3) throw refused(`pretrained network in "${dir}" takes ${c} channels; only 1 (grey) or 3 (RGB) are supported`);
  const layers = model.layers.map((l) => {
    const out = l.outputShape as number[] | number[][];
    const first = Array.isArray(out[0]) ? (out[0] as number[]) : (out as number[]);
    return { name: l.name, className: l.getClassName(), outputRank: first.length, weights: l.countParams() };
  });
  return { model, dir, inputSize: h, channels: c, layers, parameters: model.countParams() };
}

export async function loadPretrainedDir(dir: string): Promise<PretrainedModel> {
  const artifacts = readPretrainedArtifacts(dir);
  let model: tf.LayersModel;
  try {
    model = await tf.loadLayersModel(tf.io.fromMemory(artifacts));
  } catch (e) {
    throw refused(`pretrained network in "${dir}" could not be built by TF.js: ${(e as Error).message}`);
  }
  return describePretrained(model, dir);
}
