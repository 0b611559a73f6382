import { describe, it, expect } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { useWasmWithRouteReset } from '../../helpers/wasm-routes.js';
import { bits, random } from '../../helpers/float-bits.js';
import { createRng } from '../../../core/runtime/random.js';
import { inTrainingRun } from '../../../core/ml/kernels/conv2d-winograd.js';
import { useFmaGemm } from '../../../core/ml/kernels/gemm-fma-simd.js';
import { chunkTiles, useLargeTiles, useWinogradFilterGrad, winogradFilterGradRuns } from '../../../core/ml/kernels/winograd-filter-grad.js';
import { relErr } from '../../helpers/rel-err.js';

/**
 * dW of 3×3 stride-1 convolutions by Winograd F(3×3, 2×2) and F(3×3, 4×4) (core/ml/kernels/winograd-filter-grad.ts),
 * in training runs on wasm: the direct sum within float tolerance, within 1e-4 of the stock route (taps / columns / conv
 * trick) on the paper preset's channel pairs and odd sides, bit for bit again, and the same bits with FMA forced off
 * (the exact product never fuses); and, for 2×2 tiles, the same bits as a JavaScript model of the route's float path
 * (the SIMD transforms, products and sums replaced JavaScript that gave these bits: float32 where one operation is
 * rounded, doubles where JavaScript chained them).
 */

useWasmWithRouteReset({ alsoAfterEach: () => useLargeTiles(null) });

/** The kernel as the tape's backward pass calls it, in a training run (the route is training-only). */
function dW(x: tf.Tensor4D, dy: tf.Tensor4D, filterShape: [number, number, number, number], pad: 'same' | 'valid' = 'same'): Float32Array {
  // The tensor out of the tidy, read outside it: a typed array returned by tf.tidy is walked key by key (seconds on 512² channels).
  const t = inTrainingRun(() => tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides: 1, pad, filterShape }) as tf.Tensor);
  const v = t.dataSync() as Float32Array;
  t.dispose();
  return v;
}

/** Σ_{b,y,x} xPad[b, y+i, x+j, ci] · dy[b, y, x, co] in doubles: the definition. */
function directDW(x: Float32Array, dy: Float32Array, [B, H, W, C]: number[], N: number, top: number, left: number, outH: number, outW: number): Float64Array {
  const w = new Float64Array(9 * C * N);
  for (let b = 0; b < B; b++)
    for (let y = 0; y < outH; y++)
      for (let xx = 0; xx < outW; xx++)
        for (let i = 0; i < 3; i++)
          for (let j = 0; j < 3; j++) {
            const sy = y + i - top;
            const sx = xx + j - left;
            if (sy < 0 || sy >= H || sx < 0 || sx >= W) continue;
            for (let ci = 0; ci < C; ci++)
              for (let co = 0; co < N; co++) w[((3 * i + j) * C + ci) * N + co] += x[((b * H + sy) * W + sx) * C + ci] * dy[((b * outH + y) * outW + xx) * N + co];
          }
  return w;
}

const f = Math.fround;

/**
 * The route's float path one float at a time: V = Bᵀ d B in float32 operations, E = A e Aᵀ with E5, E6, E9, E10 from
 * two double operations rounded once, per chunk of k tiles the products summed over tiles in float32 (each product
 * rounded, then the sum), the chunks' sums added in doubles, dW = Gᵀ S G in doubles rounded once.
 */
function modelDW(x: Float32Array, dy: Float32Array, [B, H, W, C]: number[], N: number, k: number): Float32Array {
  const ty = Math.ceil(H / 2), tx = Math.ceil(W / 2); // 'same': outH = H, top = left = 1
  const X = (b: number, y: number, xx: number, c: number) => (y < 0 || y >= H || xx < 0 || xx >= W ? 0 : x[((b * H + y) * W + xx) * C + c]);
  const D = (b: number, y: number, xx: number, c: number) => (y >= H || xx >= W ? 0 : dy[((b * H + y) * W + xx) * N + c]);
  const tiles = B * ty * tx;
  const S = Array.from({ length: 16 }, () => new Float64Array(C * N));
  const V = Array.from({ length: 16 }, () => new Float32Array(k * C));
  const E = Array.from({ length: 16 }, () => new Float32Array(k * N));
  for (let t0 = 0; t0 < tiles; t0 += k) {
    for (const a of [...V, ...E]) a.fill(0);
    for (let t = t0; t < Math.min(tiles, t0 + k); t++) {
      const b = Math.floor(t / (ty * tx)), ry = Math.floor((t % (ty * tx)) / tx), rx = t % tx, kk = t - t0;
      for (let c = 0; c < C; c++) {
        const d = (i: number, j: number) => X(b, 2 * ry + i - 1, 2 * rx + j - 1, c);
        const T = [0, 1, 2, 3].map((j) => [f(d(0, j) - d(2, j)), f(d(1, j) + d(2, j)), f(d(2, j) - d(1, j)), f(d(1, j) - d(3, j))]);
        for (let r = 0; r < 4; r++) {
          const row = [f(T[0][r] - T[2][r]), f(T[1][r] + T[2][r]), f(T[2][r] - T[1][r]), f(T[1][r] - T[3][r])];
          row.forEach((v, j) => (V[4 * r + j][kk * C + c] = v));
        }
      }
      for (let c = 0; c < N; c++) {
        const [e00, e01, e10, e11] = [D(b, 2 * ry, 2 * rx, c), D(b, 2 * ry, 2 * rx + 1, c), D(b, 2 * ry + 1, 2 * rx, c), D(b, 2 * ry + 1, 2 * rx + 1, c)];
        const r10 = e00 + e10, r11 = e01 + e11, r20 = e00 - e10, r21 = e01 - e11;
        const e = [e00, e00 + e01, e00 - e01, -e01, r10, r10 + r11, r10 - r11, -r11, r20, r20 + r21, r20 - r21, -r21, -e10, -e10 - e11, e11 - e10, e11];
        e.forEach((v, q) => (E[q][kk * N + c] = f(v)));
      }
    }
    for (let q = 0; q < 16; q++)
      for (let ci = 0; ci < C; ci++)
        for (let co = 0; co < N; co++) {
          let acc = 0;
          for (let kk = 0; kk < k; kk++) acc = f(acc + f(V[q][kk * C + ci] * E[q][kk * N + co]));
          S[q][ci * N + co] += acc;
        }
  }
  const w = new Float32Array(9 * C * N);
  const n = C * N;
  for (let e = 0; e < n; e++) {
    const s = S.map((a) => a[e]);
    const rows = [0, 1, 2].map((r) => [0, 1, 2, 3].map((j) => (r === 0 ? s[j] + (s[4 + j] + s[8 + j]) / 2 : r === 1 ? (s[4 + j] - s[8 + j]) / 2 : (s[4 + j] + s[8 + j]) / 2 + s[12 + j])));
    rows.forEach(([a0, a1, a2, a3], r) => {
      w[(3 * r) * n + e] = a0 + (a1 + a2) / 2;
      w[(3 * r + 1) * n + e] = (a1 - a2) / 2;
      w[(3 * r + 2) * n + e] = (a1 + a2) / 2 + a3;
    });
  }
  return w;
}

function layer(seed: number, [B, H, W, C]: number[], N: number, pad: 'same' | 'valid' = 'same') {
  const rng = createRng(seed);
  const oh = pad === 'same' ? H : H - 2;
  const ow = pad === 'same' ? W : W - 2;
  const x = tf.tensor4d(random(B * H * W * C, rng), [B, H, W, C]);
  const dy = tf.tensor4d(random(B * oh * ow * N, rng), [B, oh, ow, N]);
  return { x, dy, shape: [3, 3, C, N] as [number, number, number, number], oh, ow };
}

describe('dW by Winograd F(3×3, 2×2) and F(3×3, 4×4) (wasm, training runs)', () => {
  it('the math: a small odd case (2 images, 15×13 px, 32 → 32, "same" and "valid") equals the direct sum, within 1e-6 (2×2 tiles) and 2e-5 (4×4)', () => {
    for (const large of [false, true]) {
      useLargeTiles(large);
      for (const pad of ['same', 'valid'] as const) {
        const { x, dy, shape, oh, ow } = layer(3, [2, 15, 13, 32], 32, pad);
        const before = winogradFilterGradRuns();
        const got = dW(x, dy, shape, pad);
        expect(winogradFilterGradRuns()).toBe(before + 1);
        const ref = directDW(x.dataSync() as Float32Array, dy.dataSync() as Float32Array, x.shape, 32, pad === 'same' ? 1 : 0, pad === 'same' ? 1 : 0, oh, ow);
        const err = relErr(ref, got);
        expect(err, `${large ? '4×4' : '2×2'} tiles, ${pad}`).toBeLessThan(large ? 2e-5 : 1e-6);
        expect(err).toBeGreaterThan(0);
        tf.dispose([x, dy]);
      }
    }
  });

  it('2×2 tiles: the same bits as the float path modelled in JavaScript, one chunk (odd sides) and two chunks of 2048 tiles (the last padded)', () => {
    useLargeTiles(false);
    for (const [xs, n] of [[[2, 15, 13, 32], 40], [[3, 64, 62, 32], 32]] as [number[], number][]) {
      const { x, dy, shape } = layer(20, xs, n);
      const tiles = xs[0] * Math.ceil(xs[1] / 2) * Math.ceil(xs[2] / 2);
      const k = chunkTiles(tiles, xs[3], n);
      expect(Math.ceil(tiles / k)).toBe(xs[0] === 2 ? 1 : 2);
      const got = dW(x, dy, shape);
      expect(bits(got)).toEqual(bits(modelDW(x.dataSync() as Float32Array, dy.dataSync() as Float32Array, xs, n, k)));
      tf.dispose([x, dy]);
    }
  });

  // The paper preset's channel pairs on small sides (odd ones too; from 32 tiles per image on: 11 px and more; wide
  // layers from 4 tiles per image on: 7×7, 4×4 and 3×3 px), by the rule (4×4 tiles from 8×8 px on) and with 2×2 tiles.
  const shapes: [number[], number][] = [
    [[2, 14, 14, 32], 32],
    [[2, 13, 13, 32], 64],
    [[2, 12, 12, 64], 64],
    [[2, 12, 12, 64], 128],
    [[2, 12, 12, 128], 128],
    [[2, 11, 11, 128], 256],
    [[2, 11, 11, 256], 256],
    [[1, 11, 11, 256], 512],
    [[1, 11, 11, 512], 512],
    [[1, 12, 12, 512], 1024],
    [[1, 11, 11, 1024], 1024],
    [[2, 7, 7, 128], 128],
    [[3, 7, 7, 128], 256],
    [[2, 4, 4, 256], 128],
    [[2, 3, 3, 128], 128],
  ];
  it('the paper preset\'s layer shapes (small sides, odd ones too): within 1e-4 relative of the stock route', () => {
    shapes.forEach(([xs, n], k) => {
      const { x, dy, shape } = layer(10 + k, xs, n);
      const before = winogradFilterGradRuns();
      const got = dW(x, dy, shape);
      useLargeTiles(false);
      const small = dW(x, dy, shape);
      useLargeTiles(null);
      expect(winogradFilterGradRuns()).toBe(before + 2);
      useWinogradFilterGrad(false);
      const ref = dW(x, dy, shape);
      useWinogradFilterGrad(true);
      for (const v of [got, small]) {
        const err = relErr(ref, v);
        expect(err, `${xs.join('×')} → ${n}`).toBeLessThan(1e-4);
        expect(err).toBeGreaterThan(0); // another float path indeed
      }
      tf.dispose([x, dy]);
    });
  });

  it('several chunks (the last padded with zero tiles): bit for bit run to run, the same bits with FMA forced off', () => {
    // 4 images of 48×48 at 128 → 128: 576 tiles of 4×4, a chunk of 512 and one of 64 (+ 448 zero tiles); 2304 of 2×2,
    // five chunks of 512.
    const { x, dy, shape } = layer(40, [4, 48, 48, 128], 128);
    expect(chunkTiles(576, 128, 128, 36)).toBe(512);
    expect(chunkTiles(2304, 128, 128)).toBe(512);
    useWinogradFilterGrad(false);
    const ref = dW(x, dy, shape);
    useWinogradFilterGrad(true);
    for (const large of [true, false]) {
      useLargeTiles(large);
      const a = dW(x, dy, shape);
      expect(bits(dW(x, dy, shape))).toEqual(bits(a));
      useFmaGemm(false);
      expect(bits(dW(x, dy, shape))).toEqual(bits(a));
      useFmaGemm(null);
      expect(relErr(ref, a)).toBeLessThan(1e-4);
    }
    tf.dispose([x, dy]);
  });

  it('outside a training run, with 8 ∤ Cin or 8 ∤ Cout, few channels, 7×7 px on ≤ 64 channels (16 tiles per image), 2×2 px (1 tile) or a stride of 2: the stock route', () => {
    const before = winogradFilterGradRuns();
    const { x, dy, shape } = layer(50, [2, 12, 12, 32], 32);
    tf.tidy(() => tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides: 1, pad: 'same', filterShape: shape }));
    expect(winogradFilterGradRuns()).toBe(before);
    const cases = [layer(51, [2, 12, 12, 36], 40), layer(55, [2, 12, 12, 32], 36), layer(52, [2, 12, 12, 16], 16), layer(53, [2, 7, 7, 64], 64), layer(56, [2, 2, 2, 128], 128)];
    for (const c of cases) {
      const ref = (useWinogradFilterGrad(false), dW(c.x, c.dy, c.shape));
      useWinogradFilterGrad(true);
      expect(bits(dW(c.x, c.dy, c.shape))).toEqual(bits(ref));
    }
    expect(winogradFilterGradRuns()).toBe(before);
    const s2 = layer(54, [2, 12, 12, 32], 32);
    const dy2 = tf.slice(s2.dy, [0, 0, 0, 0], [2, 6, 6, 32]);
    inTrainingRun(() => tf.tidy(() => tf.engine().runKernel('Conv2DBackpropFilter', { x: s2.x, dy: dy2 }, { strides: 2, pad: 'same', filterShape: s2.shape })));
    expect(winogradFilterGradRuns()).toBe(before);
    tf.dispose([x, dy, ...cases.flatMap((c) => [c.x, c.dy]), s2.x, s2.dy, dy2]);
  });
});
