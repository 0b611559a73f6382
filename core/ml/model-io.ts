import * as tf from '@tensorflow/tfjs';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import './seeded-dropout.js';
import { log } from '../runtime/log.js';
import { phrase } from '../api/phrase.js';
import { FailedError } from '../runtime/failure.js';

/** A stored model's files that cannot be read: the user's to replace or delete (said, so a job's error is worded in their language). */
const unreadable = (p: ReturnType<typeof phrase>) => FailedError.said('failed_precondition', p);
const firstLine = (err: unknown) => (err instanceof Error ? err.message : String(err)).split('\n')[0].slice(0, 300);

/** A model in tfjs "layers-model" format, in memory: what a worker posts back and what is written to disk. */
export interface ModelArtifactsPlain {
  modelTopology: object;
  weightSpecs: tf.io.WeightsManifestEntry[];
  weightData: ArrayBuffer;
}

export async function modelToArtifacts(model: tf.LayersModel): Promise<ModelArtifactsPlain> {
  let out: ModelArtifactsPlain | null = null;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      const data = a.weightData;
      const buf = Array.isArray(data) ? tf.io.concatenateArrayBuffers(data) : (data as ArrayBuffer);
      out = { modelTopology: a.modelTopology as object, weightSpecs: a.weightSpecs ?? [], weightData: buf.slice(0) };
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  if (!out) throw new Error('model could not be serialised');
  return out;
}

/** The network of a model's files; tfjs refusing them (an unknown layer, weights that do not fit) is said with its text quoted. */
export async function modelFromArtifacts(a: ModelArtifactsPlain): Promise<tf.LayersModel> {
  try {
    return await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: a.modelTopology, weightSpecs: a.weightSpecs, weightData: a.weightData }));
  } catch (err) {
    throw unreadable(phrase('workerErrors.modelFile.unloadable', { detail: firstLine(err) }));
  }
}

/**
 * A folder already at the target of a new model belongs to no stored model: ids are never reused (schema 008),
 * so it is what a save killed between renaming its folder into place and committing its row (or a deletion
 * killed after its row went) left behind. It is moved aside to `.stray-<name>-<time>` beside it, with a warning,
 * never deleted (it may be someone's only copy) and never fatal. Returns the new path, or null when there was none.
 */
export function moveStrayModelDir(dir: string, now = new Date()): string | null {
  if (!existsSync(dir)) return null;
  const aside = join(dirname(dir), `.stray-${basename(dir)}-${now.toISOString().replace(/[:.]/g, '-')}-${process.pid}`);
  renameSync(dir, aside);
  log.warn('models', 'a folder belonged to no stored model (left by an interrupted save or deletion): moved aside', { from: dir, to: aside });
  return aside;
}

/**
 * Writes model.json + weights.bin (the tfjs file layout, loadable by tf.loadLayersModel over http
 * or file) into `dir`, through a sibling temp folder renamed at the end: a crash or cancel never
 * leaves a half-written model folder. A stray folder already at `dir` is moved aside first.
 */
export function writeModelDir(dir: string, a: ModelArtifactsPlain, metadata: Record<string, unknown> = {}): void {
  const tmp = `${dir}.partial-${process.pid}-${Date.now()}`;
  mkdirSync(tmp, { recursive: true });
  try {
    const modelJson = {
      modelTopology: a.modelTopology,
      format: 'layers-model',
      generatedBy: `TensorFlow.js tfjs-layers v${tf.version_layers}`,
      convertedBy: null,
      weightsManifest: [{ paths: ['weights.bin'], weights: a.weightSpecs }],
      userDefinedMetadata: metadata,
    };
    writeFileSync(join(tmp, 'weights.bin'), Buffer.from(a.weightData));
    writeFileSync(join(tmp, 'model.json'), JSON.stringify(modelJson));
    moveStrayModelDir(dir);
    renameSync(tmp, dir);
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
}

export function readModelDir(dir: string): ModelArtifactsPlain & { metadata: Record<string, unknown> } {
  const jsonPath = join(dir, 'model.json');
  if (!existsSync(jsonPath)) throw unreadable(phrase('workerErrors.modelFile.noJson', { dir }));
  let j: {
    modelTopology?: object;
    weightsManifest?: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
    userDefinedMetadata?: Record<string, unknown>;
  };
  try {
    j = JSON.parse(readFileSync(jsonPath, 'utf8')) as typeof j;
  } catch (err) {
    throw unreadable(phrase('workerErrors.modelFile.notJson', { file: jsonPath, detail: firstLine(err) }));
  }
  if (!j || !j.modelTopology || !Array.isArray(j.weightsManifest)) throw unreadable(phrase('workerErrors.modelFile.notLayers', { file: jsonPath }));
  const specs: tf.io.WeightsManifestEntry[] = [];
  const parts: Buffer[] = [];
  for (const group of j.weightsManifest) {
    specs.push(...group.weights);
    for (const p of group.paths) {
      if (p.includes('/') || p.includes('\\') || p.startsWith('.')) throw unreadable(phrase('workerErrors.modelFile.unsafePath', { path: p }));
      const file = join(dir, p);
      if (!existsSync(file)) throw unreadable(phrase('workerErrors.modelFile.noWeights', { file }));
      parts.push(readFileSync(file));
    }
  }
  const all = Buffer.concat(parts);
  const weightData = all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength) as ArrayBuffer;
  const expected = specs.reduce((s, w) => s + w.shape.reduce((a, b) => a * b, 1) * (w.dtype === 'float32' || w.dtype === 'int32' ? 4 : 1), 0);
  if (expected !== weightData.byteLength) throw unreadable(phrase('workerErrors.modelFile.weightsSize', { dir, bytes: weightData.byteLength, expected }));
  return { modelTopology: j.modelTopology, weightSpecs: specs, weightData, metadata: j.userDefinedMetadata ?? {} };
}
