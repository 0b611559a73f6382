import { describe, it, expect, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { backends } from './setup-backends.js';
import { createRng } from '../../../core/runtime/random.js';
import { buildModel, presetArchitecture } from '../../../core/ml/architecture.js';

// The stock kernel (a copy), taken before Ferrolab registers its own (in beforeAll).
const stockIdentity = tf.getKernel('Identity', 'wasm')!;

let be: Awaited<ReturnType<typeof backends>>;
beforeAll(async () => {
  be = await backends();
  await be.use('wasm');
});

const bits = (a: tf.TypedArray) => Array.from(new Uint32Array(new Float32Array(a).buffer));

function swapIdentity(config: tf.KernelConfig): tf.KernelConfig {
  const mine = tf.getKernel('Identity', 'wasm')!;
  tf.unregisterKernel('Identity', 'wasm');
  tf.registerKernel(config);
  return mine;
}

/**
 * wasm Identity (tf.clone, and the engine's copies of the tensors a gradient needs) shares the input's data, as on
 * cpu and webgl, instead of copying it.
 */
describe('wasm Identity', () => {
  it('shares the data: no new buffer, same values, and each reference lives on without the other', () => {
    const x = tf.tensor2d([1, -2, 3.5, 0], [2, 2]);
    const buffers = tf.memory().numDataBuffers;
    const y = tf.clone(x);
    expect(tf.memory().numDataBuffers).toBe(buffers); // the stock kernel adds one
    expect(y.dataId).toBe(x.dataId);
    x.dispose();
    expect(Array.from(y.dataSync())).toEqual([1, -2, 3.5, 0]);
    const s = tf.clone(tf.tensor1d(['a', 'b'], 'string')); // strings: the stock kernel
    expect(s.dataSync()).toEqual(['a', 'b']);
    tf.dispose([y, s]);
  });

  it('a seeded training ends with bit-identical weights with the shared and the copying Identity (nothing writes a shared buffer)', async () => {
    const a = presetArchitecture('compact', { inputSize: 16, blocks: 2, baseFilters: 4, dense: [8], dropout: 0.1 });
    const rng = createRng(79);
    const xs = Array.from({ length: 8 * 16 * 16 }, () => rng.next());
    const ys = Array.from({ length: 8 }, () => rng.next());
    const train = async () => {
      const model = buildModel(a, 7);
      model.compile({ optimizer: tf.train.adam(0.01), loss: 'meanAbsoluteError' });
      const x = tf.tensor4d(xs, [8, 16, 16, 1]);
      const y = tf.tensor2d(ys, [8, 1]);
      for (let i = 0; i < 6; i++) await model.trainOnBatch(x, y);
      const w = model.getWeights().map((t) => bits(t.dataSync()));
      tf.dispose([x, y]);
      model.dispose();
      return w;
    };
    // The shared kernel, counted: the recorded step clones the tensors its gradients need.
    const shared = tf.getKernel('Identity', 'wasm')!;
    let calls = 0;
    swapIdentity({ ...shared, kernelFunc: (args) => (calls++, shared.kernelFunc(args)) });
    const withShared = await train();
    expect(calls).toBeGreaterThan(6 * 10);
    swapIdentity(stockIdentity);
    try {
      const withCopies = await train();
      expect(withShared).toEqual(withCopies);
    } finally {
      swapIdentity(shared);
    }
  });
});
