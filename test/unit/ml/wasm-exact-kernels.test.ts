import { describe, it, expect, vi } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { backendsForFile } from './setup-backends.js';
import { bits } from '../../helpers/float-bits.js';
import { createRng } from '../../../core/runtime/random.js';
import { buildModel, presetArchitecture } from '../../../core/ml/architecture.js';
import { maxPoolGrad2x2 } from '../../../core/ml/kernels/max-pool-grad.js';
import { columnSum } from '../../../core/ml/kernels/column-sum.js';
import { maxPoolGrad2x2InHeap } from '../../../core/ml/kernels/max-pool-grad-simd.js';
import { columnSumInHeap } from '../../../core/ml/kernels/column-sum-simd.js';

/**
 * Ferrolab's one-pass MaxPoolGrad and bias-gradient Sum on wasm must give the stock tfjs-backend-wasm kernels'
 * results BIT FOR BIT (not merely within tolerance): a seeded training then follows the same float path with or
 * without them. A first version (first maximum on ties, Float64 sums) matched cpu to 1e-6 and still moved two
 * seeded suite tests over their limits.
 */
vi.mock('../../../core/ml/kernels/max-pool-grad.js', async (load) => {
  const real = await load<typeof import('../../../core/ml/kernels/max-pool-grad.js')>();
  return { ...real, maxPoolGrad2x2: vi.fn(real.maxPoolGrad2x2) };
});
vi.mock('../../../core/ml/kernels/max-pool-grad-simd.js', async (load) => {
  const real = await load<typeof import('../../../core/ml/kernels/max-pool-grad-simd.js')>();
  return { ...real, maxPoolGrad2x2InHeap: vi.fn(real.maxPoolGrad2x2InHeap) };
});
vi.mock('../../../core/ml/kernels/column-sum-simd.js', async (load) => {
  const real = await load<typeof import('../../../core/ml/kernels/column-sum-simd.js')>();
  return { ...real, columnSumInHeap: vi.fn(real.columnSumInHeap) };
});
vi.mock('../../../core/ml/kernels/column-sum.js', async (load) => {
  const real = await load<typeof import('../../../core/ml/kernels/column-sum.js')>();
  return { ...real, columnSum: vi.fn(real.columnSum) };
});

// The stock kernels, taken before Ferrolab registers its own (in beforeAll).
const stockPoolGrad = tf.getKernel('MaxPoolGrad', 'wasm')!;
const stockSum = tf.getKernel('Sum', 'wasm')!;

backendsForFile('wasm');

/** Runs a kernel config's function directly on the wasm backend (not through the registry). */
function runStock(config: tf.KernelConfig, inputs: Record<string, tf.Tensor>, attrs: Record<string, unknown>): Float32Array {
  const info = config.kernelFunc({ inputs, attrs: attrs as tf.NamedAttrMap, backend: tf.backend() }) as tf.TensorInfo;
  const t = tf.engine().makeTensorFromTensorInfo(info);
  const v = t.dataSync() as Float32Array;
  t.dispose();
  return v;
}

function runOurs(name: string, inputs: Record<string, tf.Tensor>, attrs: Record<string, unknown>): Float32Array {
  const t = tf.engine().runKernel(name, inputs as tf.NamedTensorMap, attrs as tf.NamedAttrMap) as tf.Tensor;
  const v = t.dataSync() as Float32Array;
  t.dispose();
  return v;
}

/** Swaps the registered MaxPoolGrad and Sum on wasm; returns the ones it took out. */
function swapIn(pool: tf.KernelConfig, sum: tf.KernelConfig): [tf.KernelConfig, tf.KernelConfig] {
  const out: [tf.KernelConfig, tf.KernelConfig] = [tf.getKernel('MaxPoolGrad', 'wasm')!, tf.getKernel('Sum', 'wasm')!];
  tf.unregisterKernel('MaxPoolGrad', 'wasm');
  tf.unregisterKernel('Sum', 'wasm');
  tf.registerKernel(pool);
  tf.registerKernel(sum);
  return out;
}

describe('wasm MaxPoolGrad (2×2, stride 2): bit-identical to the stock kernel', () => {
  it('on random inputs full of ties, all-zero and all-negative windows, odd sizes, −0 and NaN gradients', () => {
    const rng = createRng(1117);
    const grid = [-1, -0.5, 0, 0, 0.5, 1, 1, 2 ** -130]; // ties, zeros, negatives and a denormal below FLT_MIN
    let tiesAtTop = 0;
    let deadWindows = 0;
    // Channels a multiple of 4 run in SIMD (max-pool-grad-simd.ts), the others in JavaScript: both against stock.
    let simd = 0;
    for (const [b, h, w, c] of [[2, 6, 8, 3], [1, 7, 5, 4], [3, 4, 4, 1], [2, 9, 11, 5], [1, 2, 2, 1], [2, 6, 10, 8], [1, 2, 2, 4], [3, 5, 9, 12]] as const) {
      const xs = Float32Array.from({ length: b * h * w * c }, () => grid[rng.int(grid.length)]);
      const oh = Math.floor(h / 2), ow = Math.floor(w / 2);
      const dys = Float32Array.from({ length: b * oh * ow * c }, () => (rng.next() < 0.05 ? [-0, NaN][rng.int(2)] : rng.next() * 2 - 1));
      // The window holding x[0] is all ≤ 0 in one case: the stock kernel then routes its gradient to x[0].
      if (h === 2) xs.fill(0);
      for (let i = 0; i < b * oh * ow * c; i++) {
        const bb = Math.floor(i / (oh * ow * c)), yo = Math.floor(i / (ow * c)) % oh, xo = Math.floor(i / c) % ow, k = i % c;
        const at = (dy_: number, dx_: number) => xs[(((bb * h + 2 * yo + dy_) * w + 2 * xo + dx_) * c) + k];
        const win = [at(0, 0), at(0, 1), at(1, 0), at(1, 1)];
        const top = Math.max(...win);
        if (top > 0 && win.filter((v) => v === top).length > 1) tiesAtTop++;
        if (top < 2 ** -126) deadWindows++;
      }
      const inputs = { dy: tf.tensor4d(dys, [b, oh, ow, c]), input: tf.tensor4d(xs, [b, h, w, c]) };
      const attrs = { filterSize: 2, strides: 2, pad: 'valid' };
      vi.mocked(maxPoolGrad2x2).mockClear();
      vi.mocked(maxPoolGrad2x2InHeap).mockClear();
      const ours = runOurs('MaxPoolGrad', inputs, attrs);
      expect(vi.mocked(maxPoolGrad2x2)).toHaveBeenCalledTimes(1);
      expect(vi.mocked(maxPoolGrad2x2InHeap).mock.results[0]?.value, `SIMD for ${c} channels`).toBe(c % 4 === 0);
      if (c % 4 === 0) simd++;
      const stock = runStock(stockPoolGrad, inputs, attrs);
      expect(bits(ours), `${b}×${h}×${w}×${c}`).toEqual(bits(stock));
      expect(stock.some((v) => v !== 0)).toBe(true);
      tf.dispose(Object.values(inputs));
    }
    // The data did exercise the rules that matter: ties at the maximum (last one wins) and windows with no value ≥ FLT_MIN.
    expect(tiesAtTop).toBeGreaterThan(20);
    expect(deadWindows).toBeGreaterThan(20);
    expect(simd).toBe(4);
  });

  it('a tie passes the gradient to the LAST maximum, and an all-zero window other than x[0]’s passes none (the stock rules)', () => {
    const x = tf.tensor4d([1, 1, 0, 1, 0, 0, 0, 0], [1, 2, 4, 1]);
    const dy = tf.tensor4d([5, 7], [1, 1, 2, 1]);
    const ours = runOurs('MaxPoolGrad', { dy, input: x }, { filterSize: 2, strides: 2, pad: 'valid' });
    // Row 0: 1 1 | 0 1 ; row 1: 0 0 | 0 0. Window 0 ties at (0,0),(0,1): the second takes 5. Window 1: 7 at (0,3).
    expect(Array.from(ours)).toEqual([0, 5, 0, 7, 0, 0, 0, 0]);
    const zero = runOurs('MaxPoolGrad', { dy, input: tf.zeros([1, 2, 4, 1]) }, { filterSize: 2, strides: 2, pad: 'valid' });
    expect(Array.from(zero)).toEqual([5, 0, 0, 0, 0, 0, 0, 0]);
    tf.dispose([x, dy]);
  });

  it('other poolings (3×3 stride 2, same padding) go to the stock kernel', () => {
    const rng = createRng(12);
    const x = tf.tensor4d(Array.from({ length: 2 * 7 * 7 * 2 }, () => rng.next()), [2, 7, 7, 2]);
    vi.mocked(maxPoolGrad2x2).mockClear();
    const g = tf.tidy(() => tf.grad((a: tf.Tensor) => tf.sum(tf.square(tf.maxPool(a as tf.Tensor4D, 3, 2, 'same'))))(x).dataSync());
    expect(vi.mocked(maxPoolGrad2x2)).not.toHaveBeenCalled();
    expect(g.some((v) => v !== 0)).toBe(true);
    x.dispose();
  });
});

describe('wasm Sum over the leading axes (bias gradients): bit-identical to the stock kernel', () => {
  it('on values whose float32 sum depends on the order, for 4-D and 2-D tensors, with and without keepDims', () => {
    const rng = createRng(13);
    let differsFrom64 = 0;
    for (const shape of [[3, 5, 4, 6], [8, 28, 28, 16], [2, 3], [97, 1], [16, 32], [50, 1027]]) {
      // A wide range of magnitudes: float32 and Float64 accumulations differ in the last bits.
      const xs = Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => (rng.next() * 2 - 1) * 10 ** (rng.int(9) - 4));
      const cols = shape[shape.length - 1];
      const axis = shape.slice(0, -1).map((_, i) => i);
      for (const keepDims of [false, true]) {
        const x = tf.tensor(xs, shape);
        vi.mocked(columnSum).mockClear();
        vi.mocked(columnSumInHeap).mockClear();
        const ours = runOurs('Sum', { x }, { axis, keepDims });
        expect(vi.mocked(columnSum)).toHaveBeenCalledTimes(1);
        expect(vi.mocked(columnSumInHeap).mock.results[0]?.value).toBe(true); // SIMD columns, then a scalar tail of cols mod 4
        const stock = runStock(stockSum, { x }, { axis, keepDims });
        expect(bits(ours), `${shape.join('×')} keepDims ${keepDims}`).toEqual(bits(stock));
        x.dispose();
      }
      const f64 = new Float64Array(cols);
      for (let i = 0; i < xs.length; i++) f64[i % cols] += xs[i];
      const ours = new Float32Array(cols);
      columnSum(xs, xs.length / cols, cols, ours);
      differsFrom64 += bits(Float32Array.from(f64)).filter((v, i) => v !== bits(ours)[i]).length;
    }
    // A Float64 accumulator (the first version) would not have passed: the order and width of the sum matter.
    expect(differsFrom64).toBeGreaterThan(5);
  });

  it('leading axes in ascending order (negative ones too) take the one-pass kernel; [2, 0, 1] and other reductions the stock one', () => {
    const rng = createRng(14);
    const xs = Array.from({ length: 3 * 5 * 4 * 6 }, () => rng.next() * 2 - 1);
    const x = tf.tensor4d(xs, [3, 5, 4, 6]);
    for (const [axis, leading] of [[[0, 1, 2], true], [[0, 1, -2], true], [[-4, -3, -2], true], [[2, 0, 1], false], [[-2, 0, 1], false], [[1, 2], false], [[3], false], [[0], false], [[0, 1, 2, 3], false]] as const) {
      vi.mocked(columnSum).mockClear();
      const ours = runOurs('Sum', { x }, { axis: [...axis], keepDims: false });
      expect(vi.mocked(columnSum), JSON.stringify(axis)).toHaveBeenCalledTimes(leading ? 1 : 0);
      expect(bits(ours), JSON.stringify(axis)).toEqual(bits(runStock(stockSum, { x }, { axis: [...axis], keepDims: false })));
    }
    x.dispose();
  });
});

describe('a seeded training on wasm', () => {
  it('ends with bit-identical weights with Ferrolab’s MaxPoolGrad and Sum and with the stock ones', async () => {
    const a = presetArchitecture('compact', { inputSize: 16, blocks: 2, baseFilters: 4, dense: [8], dropout: 0.1 });
    const rng = createRng(77);
    // Coarse pixel values, and the top half of each patch flat (a polished, unetched area): equal conv outputs
    // there tie inside the pooling windows, where the tie rule decides which input gets the gradient.
    const row = (i: number) => Math.floor(i / (16 * a.channels)) % 16;
    const xs = Array.from({ length: 8 * 16 * 16 * a.channels }, (_, i) => (row(i) < 8 ? 0.5 : Math.round(rng.next() * 4) / 4));
    const ys = Array.from({ length: 8 }, () => rng.next());
    const train = async () => {
      const model = buildModel(a, 5);
      model.compile({ optimizer: tf.train.adam(0.01), loss: 'meanAbsoluteError' });
      const x = tf.tensor4d(xs, [8, 16, 16, a.channels]);
      const y = tf.tensor2d(ys, [8, 1]);
      for (let i = 0; i < 6; i++) await model.trainOnBatch(x, y);
      const w = model.getWeights().map((t) => bits(t.dataSync() as Float32Array));
      tf.dispose([x, y]);
      model.dispose();
      return w;
    };
    vi.mocked(maxPoolGrad2x2).mockClear();
    vi.mocked(columnSum).mockClear();
    const ours = await train();
    expect(vi.mocked(maxPoolGrad2x2).mock.calls.length).toBeGreaterThanOrEqual(12);
    expect(vi.mocked(columnSum).mock.calls.length).toBeGreaterThanOrEqual(12);
    const mine = swapIn(stockPoolGrad, stockSum);
    try {
      vi.mocked(maxPoolGrad2x2).mockClear();
      const stock = await train();
      expect(vi.mocked(maxPoolGrad2x2)).not.toHaveBeenCalled();
      expect(stock.length).toBe(ours.length);
      stock.forEach((w, i) => expect(ours[i], `weight tensor ${i}`).toEqual(w));
    } finally {
      swapIn(...mine);
    }
  });
});
