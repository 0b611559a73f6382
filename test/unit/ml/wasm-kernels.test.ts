import { describe, it, expect, vi } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { backendsForFile } from './setup-backends.js';
import { createRng } from '../../../core/runtime/random.js';
import { conv2dBackpropInput } from '../../../core/ml/kernels/conv2d-backprop-input.js';
import { conv2dBackpropFilter } from '../../../core/ml/kernels/conv2d-backprop-filter.js';
import { relErr } from '../../helpers/rel-err.js';

// Our kernel bodies, wrapped so the test can see that they are the code that runs.
vi.mock('../../../core/ml/kernels/conv2d-backprop-input.js', async (load) => {
  const real = await load<typeof import('../../../core/ml/kernels/conv2d-backprop-input.js')>();
  return { ...real, conv2dBackpropInput: vi.fn(real.conv2dBackpropInput) };
});
vi.mock('../../../core/ml/kernels/conv2d-backprop-filter.js', async (load) => {
  const real = await load<typeof import('../../../core/ml/kernels/conv2d-backprop-filter.js')>();
  return { ...real, conv2dBackpropFilter: vi.fn(real.conv2dBackpropFilter) };
});

// The stock wasm Conv2DBackpropInput, wrapped before Ferrolab registers its own (in beforeAll), so a call to it shows.
const stock = tf.getKernel('Conv2DBackpropInput', 'wasm')!;
const stockCalls = vi.fn(stock.kernelFunc);
tf.unregisterKernel('Conv2DBackpropInput', 'wasm');
tf.registerKernel({ ...stock, kernelFunc: stockCalls as unknown as tf.KernelConfig['kernelFunc'] });

const be = backendsForFile();


async function gradsOn(backend: 'wasm' | 'cpu', xs: number[], xShape: number[], ws: number[], wShape: number[], strides: number | [number, number], pad: 'same' | 'valid') {
  await be.use(backend);
  return tf.tidy(() => {
    const x = tf.tensor4d(xs, xShape as [number, number, number, number]);
    const w = tf.tensor4d(ws, wShape as [number, number, number, number]);
    // A non-uniform upstream gradient (square) exercises every dy position differently.
    const g = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.square(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, strides, pad))));
    const [dx, dw] = g([x, w]);
    return { dx: dx.dataSync() as Float32Array, dw: dw.dataSync() as Float32Array };
  });
}

describe('wasm Conv2D gradient kernels', () => {
  it('registers Conv2DBackpropFilter and replaces Conv2DBackpropInput on wasm: ours run, the stock kernel does not, and dx matches cpu', async () => {
    expect(stock.kernelFunc).toBeTypeOf('function');
    expect(tf.getKernel('Conv2DBackpropInput', 'wasm')!.kernelFunc).not.toBe(stockCalls);
    // 1×5×5×2 input, 3×3×2×3 filter, stride 2, 'same': dx has 50 numbers, each checked against the cpu backend.
    const rng = createRng(5);
    const xs = Array.from({ length: 50 }, () => rng.next() * 2 - 1);
    const ws = Array.from({ length: 54 }, () => rng.next() * 2 - 1);
    const cpu = await gradsOn('cpu', xs, [1, 5, 5, 2], ws, [3, 3, 2, 3], 2, 'same');
    vi.mocked(conv2dBackpropInput).mockClear();
    vi.mocked(conv2dBackpropFilter).mockClear();
    stockCalls.mockClear();
    const wasm = await gradsOn('wasm', xs, [1, 5, 5, 2], ws, [3, 3, 2, 3], 2, 'same');
    expect(vi.mocked(conv2dBackpropInput)).toHaveBeenCalledTimes(1);
    expect(vi.mocked(conv2dBackpropFilter)).toHaveBeenCalledTimes(1);
    expect(stockCalls).not.toHaveBeenCalled();
    expect(wasm.dx).toHaveLength(50);
    expect(cpu.dx.some((v) => Math.abs(v) > 0.1)).toBe(true);
    for (let i = 0; i < 50; i++) expect(wasm.dx[i], `dx[${i}]`).toBeCloseTo(cpu.dx[i], 4);
    for (let i = 0; i < 54; i++) expect(wasm.dw[i], `dw[${i}]`).toBeCloseTo(cpu.dw[i], 4);
  });

  it('gives the cpu backend’s gradients (relative error < 1e-4) on random shapes, strides and paddings', async () => {
    const rng = createRng(20261121);
    const worst: number[] = [];
    for (let trial = 0; trial < 12; trial++) {
      const b = 1 + rng.int(3);
      const h = 4 + rng.int(12);
      const w = 4 + rng.int(12);
      const ci = 1 + rng.int(9);
      const co = 1 + rng.int(9);
      const fh = 1 + rng.int(4);
      const fw = 1 + rng.int(4);
      const strides: number | [number, number] = trial % 3 === 0 ? 1 : [1 + rng.int(3), 1 + rng.int(3)];
      const pad = rng.next() < 0.5 ? 'same' : 'valid';
      if (pad === 'valid' && (fh > h || fw > w)) continue;
      const xs = Array.from({ length: b * h * w * ci }, () => rng.next() * 2 - 1);
      const ws = Array.from({ length: fh * fw * ci * co }, () => rng.next() * 2 - 1);
      const cpu = await gradsOn('cpu', xs, [b, h, w, ci], ws, [fh, fw, ci, co], strides, pad);
      const wasm = await gradsOn('wasm', xs, [b, h, w, ci], ws, [fh, fw, ci, co], strides, pad);
      const e = Math.max(relErr(cpu.dx, wasm.dx), relErr(cpu.dw, wasm.dw));
      worst.push(e);
      expect(e, `trial ${trial}: x ${b}×${h}×${w}×${ci}, f ${fh}×${fw}×${ci}×${co}, s ${JSON.stringify(strides)}, ${pad}`).toBeLessThan(1e-4);
    }
    expect(worst.length).toBeGreaterThanOrEqual(8);
  });

  it('a short training run gives the same loss curve on wasm and cpu', async () => {
    const curve = async (backend: 'wasm' | 'cpu') => {
      await be.use(backend);
      const rng = createRng(7);
      const model = tf.sequential();
      const init = (s: number) => tf.initializers.glorotUniform({ seed: s });
      model.add(tf.layers.conv2d({ inputShape: [12, 12, 1], filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: init(1) }));
      model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
      model.add(tf.layers.conv2d({ filters: 6, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', kernelInitializer: init(2) }));
      model.add(tf.layers.flatten());
      model.add(tf.layers.dense({ units: 1, kernelInitializer: init(3) }));
      model.compile({ optimizer: tf.train.adam(0.01), loss: 'meanAbsoluteError' });
      const xs = Array.from({ length: 16 * 144 }, () => rng.next());
      const ys = Array.from({ length: 16 }, (_, i) => (i % 4) / 4);
      const x = tf.tensor4d(xs, [16, 12, 12, 1]);
      const y = tf.tensor2d(ys, [16, 1]);
      const losses: number[] = [];
      for (let i = 0; i < 5; i++) losses.push((await model.trainOnBatch(x, y)) as number);
      x.dispose();
      y.dispose();
      model.dispose();
      return losses;
    };
    const cpu = await curve('cpu');
    const wasm = await curve('wasm');
    expect(cpu[4]).toBeLessThan(cpu[0]);
    for (let i = 0; i < cpu.length; i++) expect(Math.abs(cpu[i] - wasm[i]) / Math.abs(cpu[i])).toBeLessThan(1e-4);
    await be.use('wasm');
  });
});
