/**
 * The network side of bench/fewer-points-adapt.ts: the base CNN's features per patch (flattened conv output per
 * dihedral view, penultimate dense output averaged over the views), and variant (b) — fine-tuning from the base
 * weights on the base training points + the K new points (their 8 dihedral views, replicated `repeat` times):
 * the dense head only (on the frozen conv features) or every layer with a small learning rate. A fixed number
 * of epochs (no early stopping on anything scored afterwards).
 */
import * as tf from '@tensorflow/tfjs';
import { SeededDropout } from '../core/ml/seeded-dropout.js';
import { dihedralSamples, type TargetScaling } from '../core/ml/tta.js';
import { predictAll, type SampleSet } from '../core/ml/tensors.js';
import { trainRegressor } from '../core/ml/trainer.js';
import { modelFromArtifacts, modelToArtifacts } from '../core/ml/model-io.js';

export interface PatchFeatures {
  /** flatten output, 8 views × F per patch (patch-major). */
  flat: Float32Array[];
  /** penultimate layer's output, mean over the 8 views. */
  pen: number[][];
}

const VIEWS = 8;

export async function featuresOf(model: tf.LayersModel, patches: readonly Uint8Array[], size: number, scaling: TargetScaling): Promise<PatchFeatures> {
  const names = model.layers.map((l) => l.name);
  const flatten = model.getLayer('flatten');
  const pen = model.layers[names.indexOf('carbon') - 1];
  const sub = tf.model({ inputs: model.inputs, outputs: [flatten.output as tf.SymbolicTensor, pen.output as tf.SymbolicTensor] });
  const out: PatchFeatures = { flat: [], pen: [] };
  for (let s = 0; s < patches.length; s += 32) {
    const chunk = patches.slice(s, s + 32);
    const set = dihedralSamples(chunk, chunk.map(() => null), size, 1, scaling);
    const [f, p] = tf.tidy(() => sub.predict(tf.tensor4d(set.x, [set.count, ...set.shape])) as tf.Tensor[]);
    const fd = (await f.data()) as Float32Array, pd = (await p.data()) as Float32Array;
    f.dispose(); p.dispose();
    const F = fd.length / set.count, P = pd.length / set.count;
    for (let i = 0; i < chunk.length; i++) {
      out.flat.push(fd.slice(i * VIEWS * F, (i + 1) * VIEWS * F));
      const m = new Array<number>(P).fill(0);
      for (let v = 0; v < VIEWS; v++) for (let j = 0; j < P; j++) m[j] += pd[(i * VIEWS + v) * P + j] / VIEWS;
      out.pen.push(m);
    }
  }
  return out;
}

/** The base model's dense head as a model on the flattened conv features (shape [1, 1, F] so the trainer's 4-D batches fit). */
export function headOf(model: tf.LayersModel, seed: number): tf.Sequential {
  const F = (model.getLayer('flatten').outputShape as number[])[1];
  const head = tf.sequential({ name: 'head' });
  head.add(tf.layers.flatten({ inputShape: [1, 1, F], name: 'hflat' }));
  for (const l of model.layers) {
    if (l.getClassName() === 'Dense') {
      const cfg = l.getConfig() as { units: number; activation: string; name: string };
      const d = tf.layers.dense({ units: cfg.units, activation: cfg.activation as 'relu' | 'linear', name: `h_${cfg.name}` });
      head.add(d);
      d.setWeights(l.getWeights().map((w) => w.clone()));
    } else if (l instanceof SeededDropout) {
      head.add(new SeededDropout({ name: `h_${l.name}`, rate: (l.getConfig() as { rate: number }).rate, seed }));
    }
  }
  return head;
}

/** One sample per (point, view), K points' samples repeated. Targets standardised as the model's. */
function flatSet(base: readonly Float32Array[], baseY: readonly number[], kf: readonly Float32Array[], kY: readonly number[], repeat: number, scaling: TargetScaling): SampleSet {
  const F = base[0].length / VIEWS;
  const rows: Array<[Float32Array, number]> = [];
  base.forEach((f, i) => rows.push([f, baseY[i]]));
  for (let r = 0; r < repeat; r++) kf.forEach((f, i) => rows.push([f, kY[i]]));
  const count = rows.length * VIEWS;
  const x = new Float32Array(count * F), y = new Float32Array(count);
  rows.forEach(([f, v], i) => {
    x.set(f, i * VIEWS * F);
    y.fill((v - scaling.mean) / scaling.scale, i * VIEWS, (i + 1) * VIEWS);
  });
  return { x, y, count, shape: [1, 1, F] };
}

/** Mean over the views of a (head or full) model's output, de-standardised, per patch. */
async function viewMeans(m: tf.LayersModel, x: Float32Array, patches: number, shape: [number, number, number], scaling: TargetScaling): Promise<number[]> {
  const raw = await predictAll(m, x, patches * VIEWS, shape, 64);
  return Array.from({ length: patches }, (_, i) => {
    let s = 0;
    for (let v = 0; v < VIEWS; v++) s += raw[i * VIEWS + v];
    return (s / VIEWS) * scaling.scale + scaling.mean;
  });
}

export interface FineTune {
  epochs: number;
  learningRate: number;
  repeat: number;
  seed: number;
}

/** (b1) the dense head fine-tuned on frozen conv features; returns its predictions for `target` patches. */
export async function fineTuneHead(model: tf.LayersModel, scaling: TargetScaling, base: PatchFeatures, baseY: readonly number[], k: PatchFeatures, kY: readonly number[], target: PatchFeatures, o: FineTune): Promise<number[]> {
  const head = headOf(model, o.seed);
  try {
    const set = flatSet(base.flat, baseY, k.flat, kY, o.repeat, scaling);
    await trainRegressor(head, set, null, { epochs: o.epochs, batchSize: 32, learningRate: o.learningRate, patience: o.epochs + 1, seed: o.seed });
    const F = target.flat[0].length / VIEWS;
    const x = new Float32Array(target.flat.length * VIEWS * F);
    target.flat.forEach((f, i) => x.set(f, i * VIEWS * F));
    return await viewMeans(head, x, target.flat.length, [1, 1, F], scaling);
  } finally {
    head.dispose();
  }
}

/** (b2) every layer fine-tuned from the base weights with a small learning rate; predictions for `target` patches. */
export async function fineTuneAll(model: tf.LayersModel, scaling: TargetScaling, size: number, basePatches: readonly Uint8Array[], baseY: readonly number[], kPatches: readonly Uint8Array[], kY: readonly number[], target: readonly Uint8Array[], o: FineTune): Promise<number[]> {
  const copy = await modelFromArtifacts(await modelToArtifacts(model));
  try {
    const patches = [...basePatches], ys = [...baseY];
    for (let r = 0; r < o.repeat; r++) { patches.push(...kPatches); ys.push(...kY); }
    const set = dihedralSamples(patches, ys, size, 1, scaling);
    await trainRegressor(copy, set, null, { epochs: o.epochs, batchSize: 32, learningRate: o.learningRate, patience: o.epochs + 1, seed: o.seed });
    const t = dihedralSamples(target, target.map(() => null), size, 1, scaling);
    return await viewMeans(copy, t.x, target.length, t.shape, scaling);
  } finally {
    copy.dispose();
  }
}
