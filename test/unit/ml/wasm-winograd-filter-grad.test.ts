import { describe, it, expect } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { useWasmWithRouteReset } from '../../helpers/wasm-routes.js';
import { bits, random } from '../../helpers/float-bits.js';
import { createRng } from '../../../core/runtime/random.js';
import { inTrainingRun } from '../../../core/ml/kernels/conv2d-winograd.js';
import { useFmaGemm } from '../../../core/ml/kernels/gemm-fma-simd.js';
import { chunkTiles, useWinogradFilterGrad, winogradFilterGradRuns } from '../../../core/ml/kernels/winograd-filter-grad.js';
import { relErr } from '../../helpers/rel-err.js';

/**
 * dW of 3×3 stride-1 convolutions by Winograd F(3×3, 2×2) (core/ml/kernels/winograd-filter-grad.ts), in training runs
 * on wasm: within 1e-4 of the stock route (taps / columns / conv trick) on the paper preset's channel pairs and odd
 * sides, bit for bit again, and the same bits with FMA forced off (the exact product never fuses).
 */

useWasmWithRouteReset();

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

function layer(seed: number, [B, H, W, C]: number[], N: number, pad: 'same' | 'valid' = 'same') {
  const rng = createRng(seed);
  const oh = pad === 'same' ? H : H - 2;
  const ow = pad === 'same' ? W : W - 2;
  const x = tf.tensor4d(random(B * H * W * C, rng), [B, H, W, C]);
  const dy = tf.tensor4d(random(B * oh * ow * N, rng), [B, oh, ow, N]);
  return { x, dy, shape: [3, 3, C, N] as [number, number, number, number], oh, ow };
}

describe('dW by Winograd F(3×3, 2×2) (wasm, training runs)', () => {
  it('the math: a small odd case (2 images, 15×13 px, 32 → 32, "same" and "valid") equals the direct sum within 1e-6', () => {
    for (const pad of ['same', 'valid'] as const) {
      const { x, dy, shape, oh, ow } = layer(3, [2, 15, 13, 32], 32, pad);
      const before = winogradFilterGradRuns();
      const got = dW(x, dy, shape, pad);
      expect(winogradFilterGradRuns()).toBe(before + 1);
      const ref = directDW(x.dataSync() as Float32Array, dy.dataSync() as Float32Array, x.shape, 32, pad === 'same' ? 1 : 0, pad === 'same' ? 1 : 0, oh, ow);
      expect(relErr(ref, got)).toBeLessThan(1e-6);
      tf.dispose([x, dy]);
    }
  });

  // The paper preset's channel pairs on small sides (odd ones too; from 32 tiles per image on: 11 px and more).
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
  ];
  it('the paper preset\'s layer shapes (small sides, odd ones too): within 1e-4 relative of the stock route', () => {
    shapes.forEach(([xs, n], k) => {
      const { x, dy, shape } = layer(10 + k, xs, n);
      const before = winogradFilterGradRuns();
      const got = dW(x, dy, shape);
      expect(winogradFilterGradRuns()).toBe(before + 1);
      useWinogradFilterGrad(false);
      const ref = dW(x, dy, shape);
      useWinogradFilterGrad(true);
      const err = relErr(ref, got);
      expect(err, `${xs.join('×')} → ${n}`).toBeLessThan(1e-4);
      expect(err).toBeGreaterThan(0); // another float path indeed
      tf.dispose([x, dy]);
    });
  });

  it('several chunks (the last padded with zero tiles): bit for bit run to run, the same bits with FMA forced off', () => {
    // 4 images of 24×24 at 128 → 128: 576 tiles, a chunk of 512 and one of 64 (+ 448 zero tiles).
    const { x, dy, shape } = layer(40, [4, 24, 24, 128], 128);
    expect(chunkTiles(576, 128, 128)).toBe(512);
    const a = dW(x, dy, shape);
    expect(bits(dW(x, dy, shape))).toEqual(bits(a));
    useFmaGemm(false);
    expect(bits(dW(x, dy, shape))).toEqual(bits(a));
    useFmaGemm(null);
    useWinogradFilterGrad(false);
    expect(relErr(dW(x, dy, shape), a)).toBeLessThan(1e-4);
    tf.dispose([x, dy]);
  });

  it('outside a training run, with 8 ∤ Cin, few channels, 7×7 px (16 tiles per image) or a stride of 2: the stock route', () => {
    const before = winogradFilterGradRuns();
    const { x, dy, shape } = layer(50, [2, 12, 12, 32], 32);
    tf.tidy(() => tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides: 1, pad: 'same', filterShape: shape }));
    expect(winogradFilterGradRuns()).toBe(before);
    const cases = [layer(51, [2, 12, 12, 36], 40), layer(52, [2, 12, 12, 16], 16), layer(53, [2, 7, 7, 64], 64)];
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
