import { describe, it, expect } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { backendsForFile } from './setup-backends.js';
import { createRng } from '../../../core/runtime/random.js';
import { convGeometry } from '../../../core/ml/kernels/conv-geometry.js';
import { conv2dBackpropInputGemm, gemmPaysOff } from '../../../core/ml/kernels/conv2d-backprop-input-gemm.js';
import { forwardGemmPaysOff } from '../../../core/ml/kernels/conv2d-forward-gemm.js';
import { tapRange } from '../../../core/ml/kernels/tap-products.js';
import { conv2dForwardGemm } from '../../../core/ml/kernels/conv2d-forward-gemm.js';
import { exactTapRuns, useExactTapProducts } from '../../../core/ml/kernels/tap-products-simd.js';
import { filterGradTapwise } from '../../../core/ml/kernels/filter-grad-columns.js';
import { relErr } from '../../helpers/rel-err.js';

const be = backendsForFile();

type Shape4 = [number, number, number, number];


/** dx of Σ(conv(x, w))² on the cpu backend (the reference), and dy = 2·conv(x, w) for the kernel under test. */
async function reference(xShape: Shape4, wShape: Shape4, strides: [number, number], pad: 'same' | 'valid', seed: number) {
  const rng = createRng(seed);
  const xs = Float32Array.from({ length: xShape.reduce((a, b) => a * b) }, () => rng.next() * 2 - 1);
  const ws = Float32Array.from({ length: wShape.reduce((a, b) => a * b) }, () => rng.next() * 2 - 1);
  await be.use('cpu');
  return tf.tidy(() => {
    const x = tf.tensor4d(xs, xShape);
    const w = tf.tensor4d(ws, wShape);
    const dx = tf.grad((a: tf.Tensor) => tf.sum(tf.square(tf.conv2d(a as tf.Tensor4D, w, strides, pad))))(x);
    const dy = tf.mul(tf.conv2d(x, w, strides, pad), 2);
    return { xs, ws, dx: dx.dataSync() as Float32Array, dy: dy.dataSync() as Float32Array, dyShape: dy.shape as Shape4 };
  });
}

describe('wasm dx as a matrix product (filters large next to their activations)', () => {
  // Small shapes (the function called directly) and filters of ≥ 2^20 weights on few pixels (the route the registered
  // kernel takes): strides, paddings, a non-square filter.
  const cases: Array<{ x: Shape4; w: Shape4; s: [number, number]; pad: 'same' | 'valid'; routed: boolean }> = [
    { x: [2, 2, 2, 5], w: [3, 3, 5, 16], s: [1, 1], pad: 'same', routed: false },
    { x: [2, 5, 5, 4], w: [3, 3, 4, 40], s: [2, 2], pad: 'same', routed: false },
    { x: [1, 5, 5, 3], w: [3, 3, 3, 64], s: [2, 2], pad: 'valid', routed: false },
    { x: [2, 2, 2, 32], w: [3, 3, 32, 4096], s: [1, 1], pad: 'same', routed: true },
    { x: [1, 4, 5, 32], w: [3, 2, 32, 6144], s: [1, 2], pad: 'valid', routed: true },
    // 1×1 pixels, same padding: only the centre tap reads the image (the other 8 products are skipped).
    { x: [2, 1, 1, 128], w: [3, 3, 128, 1024], s: [1, 1], pad: 'same', routed: true },
  ];

  it('equals the cpu backend’s input gradient within float tolerance, wherever it is taken', async () => {
    for (const [n, c] of cases.entries()) {
      const ref = await reference(c.x, c.w, c.s, c.pad, 11 + n);
      await be.use('wasm');
      const g = convGeometry(c.x, c.w, c.s, c.pad, undefined, undefined);
      expect(gemmPaysOff(g)).toBe(c.routed);
      const got = tf.tidy(() => conv2dBackpropInputGemm(tf.tensor4d(ref.dy, ref.dyShape), tf.tensor4d(ref.ws, c.w), g).dataSync() as Float32Array);
      expect(got.length).toBe(ref.dx.length);
      expect(relErr(ref.dx, got)).toBeLessThan(1e-5);
      // …and tf.grad on wasm (the registered kernel routes here) gives the same numbers, leaving nothing on the heap
      // (the per-tap products, their operands and the filter views are all released).
      const stored = () => (tf.backend() as unknown as { dataIdMap: { numDataIds(): number } }).dataIdMap.numDataIds();
      const before = stored();
      const viaKernel = tf.tidy(() => {
        const w = tf.tensor4d(ref.ws, c.w);
        return (tf.grad((a: tf.Tensor) => tf.sum(tf.square(tf.conv2d(a as tf.Tensor4D, w, c.s, c.pad))))(tf.tensor4d(ref.xs, c.x)) as tf.Tensor).dataSync() as Float32Array;
      });
      expect(relErr(ref.dx, viaKernel)).toBeLessThan(1e-5);
      expect(stored()).toBe(before);
      expect(Math.max(...Array.from(ref.dx, Math.abs))).toBeGreaterThan(0.1); // a real gradient
    }
  });

  it('is chosen only where the filter outweighs the product’s rows: the paper model’s deep blocks at 64 px, not compact', async () => {
    await be.use('wasm');
    const geo = (x: Shape4, cin: number, cout: number) => convGeometry(x, [3, 3, cin, cout], 1, 'same', undefined, undefined);
    expect(gemmPaysOff(geo([8, 2, 2, 1024], 1024, 1024))).toBe(true); // paper block 6 at 64 px, shard of 8
    expect(gemmPaysOff(geo([8, 4, 4, 256], 256, 512))).toBe(true); // paper block 5
    expect(gemmPaysOff(geo([8, 8, 8, 128], 128, 256))).toBe(false); // paper block 4: the convolution route
    expect(gemmPaysOff(geo([1, 2, 2, 32], 32, 64))).toBe(false); // compact's deepest block, even one image at 2×2
    await be.use('cpu');
    expect(gemmPaysOff(geo([8, 2, 2, 1024], 1024, 1024))).toBe(false); // wasm only (it writes the wasm heap)
  });
});

describe('the taps of a convolution on few pixels (tap-products.ts)', () => {
  it('each tap takes only the output positions whose input lies inside the image: 16 of 36 pairs at 2×2, 100 of 144 at 4×4', () => {
    const pairs = (x: Shape4, w: Shape4, s: number, pad: 'same' | 'valid') => {
      const g = convGeometry(x, w, s, pad, undefined, undefined);
      let n = 0;
      for (let i = 0; i < g.fh; i++) for (let j = 0; j < g.fw; j++) n += tapRange(g, i, j).count;
      return n;
    };
    expect(pairs([1, 2, 2, 1], [3, 3, 1, 1], 1, 'same')).toBe(16);
    expect(pairs([8, 2, 2, 1], [3, 3, 1, 1], 1, 'same')).toBe(8 * 16);
    expect(pairs([1, 4, 4, 1], [3, 3, 1, 1], 1, 'same')).toBe(100);
    expect(pairs([1, 1, 1, 1], [3, 3, 1, 1], 1, 'same')).toBe(1);
    expect(pairs([1, 5, 5, 1], [3, 3, 1, 1], 1, 'valid')).toBe(9 * 9); // no padding: every pair reads a pixel
    // stride 2 on 5×5, same: outputs 0,1,2 read rows 2·oy + i − 1; count by brute force
    let brute = 0;
    for (let i = 0; i < 3; i++) for (let oy = 0; oy < 3; oy++) if (2 * oy + i - 1 >= 0 && 2 * oy + i - 1 < 5) brute++;
    expect(pairs([1, 5, 5, 1], [3, 3, 1, 1], 2, 'same')).toBe(brute * brute);
  });
});

describe('wasm forward convolution as a matrix product (filters large next to their activations)', () => {
  const cases: Array<{ x: Shape4; w: Shape4; s: [number, number]; pad: 'same' | 'valid' }> = [
    { x: [2, 2, 2, 32], w: [3, 3, 32, 4096], s: [1, 1], pad: 'same' },
    { x: [1, 4, 5, 32], w: [3, 2, 32, 6144], s: [1, 2], pad: 'valid' },
    { x: [1, 3, 3, 16], w: [3, 3, 16, 8192], s: [2, 2], pad: 'same' },
    { x: [2, 1, 1, 128], w: [3, 3, 128, 1024], s: [1, 1], pad: 'same' },
  ];

  it('tf.conv2d on wasm takes it and equals the cpu backend within float tolerance; a filter met again gives the same numbers', async () => {
    for (const [n, c] of cases.entries()) {
      const rng = createRng(31 + n);
      const xs = Float32Array.from({ length: c.x.reduce((a, b) => a * b) }, () => rng.next() * 2 - 1);
      const ws = Float32Array.from({ length: c.w.reduce((a, b) => a * b) }, () => rng.next() * 2 - 1);
      await be.use('cpu');
      const ref = tf.tidy(() => tf.conv2d(tf.tensor4d(xs, c.x), tf.tensor4d(ws, c.w), c.s, c.pad).dataSync() as Float32Array);
      await be.use('wasm');
      expect(forwardGemmPaysOff(convGeometry(c.x, c.w, c.s, c.pad, undefined, undefined), [1, 1])).toBe(true);
      const w = tf.tensor4d(ws, c.w);
      const run = () => tf.tidy(() => tf.conv2d(tf.tensor4d(xs, c.x), w, c.s, c.pad).dataSync() as Float32Array);
      const first = run();
      expect(first.length).toBe(ref.length);
      expect(relErr(ref, first)).toBeLessThan(1e-5);
      expect(run()).toEqual(first); // the filter's kept transpose
      w.dispose();
    }
  });

  it('is not taken for dilated convolutions, wide taps (the dW kernel’s dy-as-filter) or small filters', async () => {
    await be.use('wasm');
    const geo = (x: Shape4, w: Shape4) => convGeometry(x, w, 1, 'same', undefined, undefined);
    expect(forwardGemmPaysOff(geo([8, 2, 2, 1024], [3, 3, 1024, 1024]), [1, 1])).toBe(true);
    expect(forwardGemmPaysOff(geo([8, 2, 2, 1024], [3, 3, 1024, 1024]), [2, 2])).toBe(false);
    expect(forwardGemmPaysOff(geo([1, 230, 230, 8], [224, 224, 8, 32]), [1, 1])).toBe(false);
    expect(forwardGemmPaysOff(geo([1, 2, 2, 32], [3, 3, 32, 64]), [1, 1])).toBe(false);
  });
});

describe('the taps’ products on the SIMD microkernel (tap-products-simd.ts)', () => {
  // Rows (forward: Cout; dx: Cin) in multiples of 4, position counts that are and are not multiples of 8 (padded panels),
  // strides and a non-square filter; values over several magnitudes so that rounding differences would show.
  const cases: Array<{ x: Shape4; w: Shape4; s: [number, number]; pad: 'same' | 'valid' }> = [
    { x: [3, 2, 2, 64], w: [3, 3, 64, 128], s: [1, 1], pad: 'same' },
    { x: [5, 4, 4, 36], w: [3, 3, 36, 24], s: [1, 1], pad: 'same' },
    { x: [2, 4, 5, 32], w: [3, 2, 32, 40], s: [1, 2], pad: 'valid' },
    { x: [1, 3, 3, 16], w: [3, 3, 16, 64], s: [2, 2], pad: 'same' },
  ];
  const bits = (a: Float32Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));

  it('gives XNNPACK’s product bit for bit, forward, dx and dW, and is taken', async () => {
    await be.use('wasm');
    for (const [n, c] of cases.entries()) {
      const rng = createRng(71 + n);
      const scale = (k: number) => (rng.next() * 2 - 1) * 10 ** (Math.floor(rng.next() * 7) - 3) * (k % 5 === 0 ? -1 : 1);
      const xs = Float32Array.from({ length: c.x.reduce((a, b) => a * b) }, (_, k) => scale(k));
      const ws = Float32Array.from({ length: c.w.reduce((a, b) => a * b) }, (_, k) => scale(k));
      const g = convGeometry(c.x, c.w, c.s, c.pad, undefined, undefined);
      const dys = Float32Array.from({ length: g.batch * g.outH * g.outW * g.outC }, (_, k) => scale(k));
      const run = (on: boolean) => {
        useExactTapProducts(on);
        try {
          return tf.tidy(() => {
            const w = tf.tensor4d(ws, c.w);
            const fwd = conv2dForwardGemm(tf.tensor4d(xs, c.x), w, g).dataSync() as Float32Array;
            const dy = tf.tensor4d(dys, [g.batch, g.outH, g.outW, g.outC]);
            const dx = conv2dBackpropInputGemm(dy, w, g).dataSync() as Float32Array;
            const dw = filterGradTapwise(tf.tensor4d(xs, c.x), dy, g).dataSync() as Float32Array;
            return { fwd, dx, dw };
          });
        } finally {
          useExactTapProducts(true);
        }
      };
      const before = exactTapRuns();
      const simd = run(true);
      expect(exactTapRuns()).toBeGreaterThan(before); // the microkernel ran (not XNNPACK's product behind it)
      const runsAfter = exactTapRuns();
      const stock = run(false);
      expect(exactTapRuns()).toBe(runsAfter);
      expect(bits(simd.fwd)).toEqual(bits(stock.fwd));
      expect(bits(simd.dx)).toEqual(bits(stock.dx));
      expect(bits(simd.dw)).toEqual(bits(stock.dw));
      expect(Math.max(...Array.from(stock.dw, Math.abs))).toBeGreaterThan(0.01);
      expect(Math.max(...Array.from(stock.fwd, Math.abs))).toBeGreaterThan(0.01); // real outputs
    }
  });
});
