import { describe, it, expect, beforeAll, afterEach } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { backends } from './setup-backends.js';
import { createRng } from '../../../core/runtime/random.js';
import { useFmaGemm } from '../../../core/ml/kernels/gemm-fma-simd.js';
import { convGeometry } from '../../../core/ml/kernels/conv-geometry.js';
import { filterGradByTaps } from '../../../core/ml/kernels/filter-grad-taps.js';
import { oneChannelApplies } from '../../../core/ml/kernels/filter-grad-one-channel.js';
import { relErr } from '../../helpers/rel-err.js';

/**
 * dW of the one-channel first layer in wasm SIMD (core/ml/kernels/filter-grad-one-channel.ts): the direct sum within
 * float tolerance ("same" and "valid", odd sides, 36 channels), the tap-wise route it replaces within 1e-5, the same
 * bits run to run and with FMA forced off; the compact preset's 1 → 8 layer and small images keep the other routes.
 */

let be: Awaited<ReturnType<typeof backends>>;
beforeAll(async () => {
  be = await backends();
  await be.use('wasm');
});
afterEach(() => useFmaGemm(null));

const bits = (a: ArrayLike<number>) => Array.from(new Uint32Array(Float32Array.from(a).buffer));

function dW(x: tf.Tensor4D, dy: tf.Tensor4D, n: number, pad: 'same' | 'valid'): Float32Array {
  const t = tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides: 1, pad, filterShape: [3, 3, 1, n] }) as tf.Tensor;
  const v = t.dataSync() as Float32Array;
  t.dispose();
  return v;
}

function direct(x: Float32Array, dy: Float32Array, [B, H, W]: number[], n: number, pad: 'same' | 'valid'): Float64Array {
  const p = pad === 'same' ? 1 : 0;
  const oh = pad === 'same' ? H : H - 2;
  const ow = pad === 'same' ? W : W - 2;
  const w = new Float64Array(9 * n);
  for (let b = 0; b < B; b++)
    for (let y = 0; y < oh; y++)
      for (let xx = 0; xx < ow; xx++)
        for (let t = 0; t < 9; t++) {
          const sy = y + Math.floor(t / 3) - p;
          const sx = xx + (t % 3) - p;
          if (sy < 0 || sy >= H || sx < 0 || sx >= W) continue;
          const v = x[(b * H + sy) * W + sx];
          for (let c = 0; c < n; c++) w[t * n + c] += v * dy[((b * oh + y) * ow + xx) * n + c];
        }
  return w;
}

describe('dW of a one-channel 3×3 layer (wasm SIMD)', () => {
  const cases: Array<[number[], number, 'same' | 'valid']> = [
    [[2, 56, 56, 1], 32, 'same'],
    [[1, 57, 61, 1], 36, 'same'],
    [[2, 60, 58, 1], 32, 'valid'],
  ];
  it('the direct sum within 1e-6, the tap-wise route within 1e-5; the same bits again and with FMA off', () => {
    cases.forEach(([xs, n, pad], k) => {
      const rng = createRng(60 + k);
      const oh = pad === 'same' ? xs[1] : xs[1] - 2;
      const ow = pad === 'same' ? xs[2] : xs[2] - 2;
      const x = tf.tensor4d(Float32Array.from({ length: xs[0] * xs[1] * xs[2] }, () => rng.next() * 2 - 1), xs as [number, number, number, number]);
      const dy = tf.tensor4d(Float32Array.from({ length: xs[0] * oh * ow * n }, () => rng.next() * 2 - 1), [xs[0], oh, ow, n]);
      const g = convGeometry(x.shape, [3, 3, 1, n], 1, pad, undefined, undefined);
      expect(oneChannelApplies(g)).toBe(true);
      const got = dW(x, dy, n, pad);
      const ref = direct(x.dataSync() as Float32Array, dy.dataSync() as Float32Array, xs, n, pad);
      const err = relErr(ref, got);
      expect(err, `${xs.join('×')} → ${n} ${pad}`).toBeLessThan(1e-6);
      const taps = tf.tidy(() => filterGradByTaps(x, dy, g).dataSync());
      const tapErr = relErr(taps, got);
      expect(tapErr).toBeLessThan(1e-5);
      expect(tapErr).toBeGreaterThan(0); // another float path indeed
      expect(bits(dW(x, dy, n, pad))).toEqual(bits(got));
      useFmaGemm(false);
      expect(bits(dW(x, dy, n, pad))).toEqual(bits(got));
      useFmaGemm(null);
      tf.dispose([x, dy]);
    });
  });

  it('not taken: the compact preset\'s 1 → 8, small images, several input channels, 8 ∤ 4', () => {
    const geo = (x: number[], n: number) => convGeometry(x, [3, 3, x[3], n], 1, 'same', undefined, undefined);
    expect(oneChannelApplies(geo([16, 64, 64, 1], 8))).toBe(false);
    expect(oneChannelApplies(geo([16, 32, 32, 1], 32))).toBe(false);
    expect(oneChannelApplies(geo([8, 224, 224, 2], 32))).toBe(false);
    expect(oneChannelApplies(geo([8, 224, 224, 1], 34))).toBe(false);
    expect(oneChannelApplies(geo([8, 224, 224, 1], 32))).toBe(true);
  });
});
