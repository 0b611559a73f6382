import { describe, it, expect } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { backendsForFile } from './setup-backends.js';
import { bits } from '../../helpers/float-bits.js';
import { createRng } from '../../../core/runtime/random.js';
import { buildModel, presetArchitecture } from '../../../core/ml/architecture.js';
import { stepSimdAvailable } from '../../../core/ml/kernels/step-simd.js';

// The stock kernels, taken before Ferrolab registers its own (in beforeAll).
const stockIdentity = tf.getKernel('Identity', 'wasm')!;
const stockCast = tf.getKernel('Cast', 'wasm')!;
const stockStep = tf.getKernel('Step', 'wasm')!;

backendsForFile('wasm');

function swap(config: tf.KernelConfig): tf.KernelConfig {
  const mine = tf.getKernel(config.kernelName, 'wasm')!;
  tf.unregisterKernel(config.kernelName, 'wasm');
  tf.registerKernel(config);
  return mine;
}

/** Runs a kernel config's function directly on the wasm backend (not through the registry). */
function runStock(config: tf.KernelConfig, inputs: Record<string, tf.Tensor>, attrs: Record<string, unknown>): Float32Array {
  const t = tf.engine().makeTensorFromTensorInfo(config.kernelFunc({ inputs, attrs: attrs as tf.NamedAttrMap, backend: tf.backend() }) as tf.TensorInfo);
  const v = t.dataSync() as Float32Array;
  t.dispose();
  return v;
}

/**
 * wasm Identity (tf.clone, and the engine's copies of the tensors a gradient needs) and same-dtype Cast share the
 * input's data, as on cpu and webgl, instead of copying it; Step runs in SIMD, bit for bit the stock kernel.
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

  it('same-dtype Cast shares the data; other casts convert as the stock kernel does', () => {
    const x = tf.tensor1d([1.5, -2.25, 3]);
    const same = tf.cast(x, 'float32');
    expect(same.dataId).toBe(x.dataId);
    const i = tf.cast(x, 'int32');
    expect(i.dtype).toBe('int32');
    expect(Array.from(i.dataSync())).toEqual([1, -2, 3]);
    const back = tf.cast(tf.tensor1d([7, -8], 'int32'), 'float32');
    expect(back.dtype).toBe('float32');
    expect(Array.from(back.dataSync())).toEqual([7, -8]);
    tf.dispose([x, same, i, back]);
  });

  it('Step gives the stock kernel’s bits: NaN → canonical NaN, ±0 and negatives → alpha, denormals > 0 → 1, any length', () => {
    expect(stepSimdAvailable()).toBe(true); // else the kernel below is the stock one
    const rng = createRng(80);
    const special = [NaN, -0, 0, 1e-45, -1e-45, 2 ** -130, Infinity, -Infinity, 1, -1];
    for (const n of [1, 3, 4, 10, 37, 4096 + 2]) {
      const xs = Float32Array.from({ length: n }, (_, k) => (k < special.length ? special[k] : rng.next() < 0.1 ? special[rng.int(special.length)] : rng.next() * 2 - 1));
      const x = tf.tensor1d(xs);
      for (const alpha of [0, 0.3]) {
        const ours = tf.engine().runKernel('Step', { x }, { alpha }) as tf.Tensor;
        expect(bits(ours.dataSync()), `n ${n} alpha ${alpha}`).toEqual(bits(runStock(stockStep, { x }, { alpha })));
        ours.dispose();
      }
      x.dispose();
    }
  });

  it('a seeded training ends with bit-identical weights with the shared Identity and Cast and with the copying ones (nothing writes a shared buffer), with the SIMD Step and with the stock one', async () => {
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
    // Ferrolab's kernels, counted: the recorded step clones the tensors its gradients need, and every ReLU's
    // gradient is dy · cast(step(x)).
    const mine = ['Identity', 'Cast', 'Step'].map((k) => tf.getKernel(k, 'wasm')!);
    const calls = new Map<string, number>();
    for (const k of mine) swap({ ...k, kernelFunc: (args) => (calls.set(k.kernelName, (calls.get(k.kernelName) ?? 0) + 1), k.kernelFunc(args)) });
    const withOurs = await train();
    expect(calls.get('Identity')).toBeGreaterThan(6 * 10);
    expect(calls.get('Step')).toBeGreaterThanOrEqual(6 * 4);
    expect(calls.get('Cast')).toBeGreaterThanOrEqual(6 * 4);
    for (const k of [stockIdentity, stockCast, stockStep]) swap(k);
    try {
      const withStock = await train();
      expect(withOurs).toEqual(withStock);
    } finally {
      for (const k of mine) swap(k);
    }
  });
});
