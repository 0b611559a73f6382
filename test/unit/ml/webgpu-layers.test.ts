import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { relDiff, webGpuForTests } from '../../helpers/webgpu.js';
import { buildModel, presetArchitecture, resetDropoutSequences } from '../../../core/ml/architecture.js';
import { trainRegressor } from '../../../core/ml/trainer.js';
import type { SampleSet } from '../../../core/ml/tensors.js';
import { createRng } from '../../../core/runtime/random.js';

/**
 * Every layer type the presets use (conv2d 3×3 same + ReLU, conv after conv, 2×2 max-pooling, flatten,
 * dense + ReLU, seeded dropout at inference and in training, the linear output dense) gives on webgpu the
 * forward values and the gradients (input and weights) of the cpu backend, the reference implementation.
 * Tolerance: 1e-4 of the reference's largest magnitude (float32 sums in another order).
 */
const TOL = 1e-4;
const TINY = presetArchitecture('compact', { inputSize: 16, blocks: 2, convsPerBlock: 2, baseFilters: 4, dense: [16], dropout: 0.2 });
const BATCH = 2;

let env: Awaited<ReturnType<typeof webGpuForTests>>;
beforeAll(async () => {
  env = await webGpuForTests();
});

function uniform(n: number, seed: number, lo = -1, hi = 1): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: n }, () => lo + (hi - lo) * rng.next());
}

const size = (s: number[]) => s.reduce((a, b) => a * b, 1);

interface LayerRun {
  name: string;
  kind: string;
  forward: Float32Array;
  /** d sum(output · R) / d input, then per trainable weight. */
  grads: Float32Array[];
}

/** Each layer alone on the same inputs: its output and its gradients, read back asynchronously. */
async function perLayer(backend: 'cpu' | 'webgpu', weights: Float32Array[], training: boolean): Promise<LayerRun[]> {
  await env.use(backend);
  expect(tf.getBackend()).toBe(backend);
  const model = buildModel(TINY, 11);
  model.setWeights(model.getWeights().map((w, i) => tf.tensor(weights[i], w.shape)));
  resetDropoutSequences(model);
  const runs: LayerRun[] = [];
  for (let li = 0; li < model.layers.length; li++) {
    const layer = model.layers[li];
    const inShape = [BATCH, ...(li === 0 ? [TINY.inputSize, TINY.inputSize, 1] : (model.layers[li - 1].outputShape as number[]).slice(1))];
    const outShape = [BATCH, ...(layer.outputShape as number[]).slice(1)];
    const x = tf.variable(tf.tensor(uniform(size(inShape), 100 + li, 0, 1), inShape), true, `x_${backend}_${li}_${training}`);
    const r = tf.tensor(uniform(size(outShape), 200 + li), outShape);
    const vars = [x, ...layer.trainableWeights.map((w) => w.read() as tf.Variable)];
    // SeededDropout draws mask k on call k: the gradient pass must draw the forward's mask again.
    const seeded = layer as unknown as { calls?: number };
    const calls = seeded.calls;
    const y = layer.apply(x, { training }) as tf.Tensor;
    if (calls !== undefined) seeded.calls = calls;
    const { grads } = tf.variableGrads(() => tf.sum(tf.mul(layer.apply(x, { training }) as tf.Tensor, r)) as tf.Scalar, vars);
    const forward = (await y.data()) as Float32Array;
    const g: Float32Array[] = [];
    for (const v of vars) g.push((await grads[v.name].data()) as Float32Array);
    runs.push({ name: layer.name, kind: layer.getClassName(), forward, grads: g });
    tf.dispose([x, r, y, ...Object.values(grads)]);
  }
  model.dispose();
  return runs;
}

async function referenceWeights(): Promise<Float32Array[]> {
  await env.use('cpu');
  const m = buildModel(TINY, 11);
  const w = await Promise.all(m.getWeights().map(async (t) => (await t.data()) as Float32Array));
  m.dispose();
  return w;
}

/** Images whose target is their mean brightness (a learnable relation). */
function brightnessSet(n: number, seed: number): SampleSet {
  const per = TINY.inputSize * TINY.inputSize;
  const rng = createRng(seed);
  const x = new Float32Array(n * per);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const level = rng.next();
    let s = 0;
    for (let k = 0; k < per; k++) {
      const v = Math.min(1, Math.max(0, level + (rng.next() - 0.5) * 0.3));
      x[i * per + k] = v;
      s += v;
    }
    y[i] = (s / per - 0.5) / 0.3;
  }
  return { x, y, count: n, shape: [TINY.inputSize, TINY.inputSize, 1] };
}

describe('webgpu layers match the cpu backend', () => {
  it(`forward and gradients of every preset layer type, inference and training mode (tolerance ${TOL})`, async () => {
    const w = await referenceWeights();
    for (const training of [false, true]) {
      const ref = await perLayer('cpu', w, training);
      const gpu = await perLayer('webgpu', w, training);
      const kinds = new Set(ref.map((r) => r.kind));
      expect([...kinds].sort()).toEqual(['Conv2D', 'Dense', 'FerrolabSeededDropout', 'Flatten', 'MaxPooling2D']);
      ref.forEach((r, i) => {
        const where = `${r.name} (${r.kind}, training ${training})`;
        expect(relDiff(gpu[i].forward, r.forward), `${where} forward`).toBeLessThan(TOL);
        expect(gpu[i].grads.length, where).toBe(r.grads.length);
        r.grads.forEach((g, k) => expect(relDiff(gpu[i].grads[k], g), `${where} gradient ${k}`).toBeLessThan(TOL));
        // Not trivially equal: every layer moves its input and has a gradient.
        expect(r.grads[0].some((v) => v !== 0), `${where} has a non-zero input gradient`).toBe(true);
      });
      if (training) {
        const drop = ref.find((r) => r.kind === 'FerrolabSeededDropout')!;
        expect(drop.forward.some((v) => v === 0), 'training-mode dropout zeroes some units').toBe(true);
      }
    }
  });

  it('a tiny model trains 3 epochs to the same losses and predictions as on cpu (relative 1e-3)', async () => {
    const train = brightnessSet(24, 3);
    const val = brightnessSet(8, 4);
    const run = async (backend: 'cpu' | 'webgpu') => {
      await env.use(backend);
      const model = buildModel(TINY, 21);
      const r = await trainRegressor(model, train, val, { epochs: 3, batchSize: 8, learningRate: 0.003, patience: 10, seed: 9 });
      const p = model.predict(tf.tensor4d(val.x, [val.count, ...val.shape])) as tf.Tensor;
      const pred = (await p.data()) as Float32Array;
      tf.dispose(p);
      model.dispose();
      return { losses: r.history.map((h) => h.loss), vals: r.history.map((h) => h.valMae!), pred };
    };
    const cpu = await run('cpu');
    const gpu = await run('webgpu');
    expect(cpu.losses[2]).toBeLessThan(cpu.losses[0]); // it learns, so equal losses mean equal updates
    expect(relDiff(gpu.losses, cpu.losses)).toBeLessThan(1e-3);
    expect(relDiff(gpu.vals, cpu.vals)).toBeLessThan(1e-3);
    expect(relDiff(gpu.pred, cpu.pred)).toBeLessThan(1e-3);
  });
});
