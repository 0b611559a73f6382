import { maxPoolGrad2x2InHeap, type Pool2x2Shape } from './max-pool-grad-simd.js';

export type { Pool2x2Shape } from './max-pool-grad-simd.js';

/** std::numeric_limits<float>::min(), the stock kernel's start value. */
const FLT_MIN = 2 ** -126;

/**
 * The gradient of 2×2, stride-2, unpadded max-pooling (the only pooling the presets use) on NHWC float32, in one
 * pass, giving BIT FOR BIT what tfjs-backend-wasm 4.22's MaxPoolGrad gives (its C++ MaxPoolGrad.cc), so that
 * training on wasm follows the same float path with or without this kernel:
 * - each window's maximum is searched from a start of FLT_MIN (the smallest positive normal float, 2^-126 — not
 *   −∞) with `>=`, in scan order (row, then column): among equal maxima the LAST one takes the gradient;
 * - a window with no value ≥ FLT_MIN (all ≤ 0, e.g. after ReLU) keeps the start position, flat offset 0 of the
 *   input: its gradient goes to x[0] if the window holds x[0] (the first window of batch 0, channel 0) and is
 *   dropped otherwise;
 * - dx = 0 + dy·mask in float32 (mask 1 or 0): so dy = −0 gives +0, and a NaN/∞ dy spreads NaN to the window.
 * The windows do not overlap, so each input element gets at most one dy; rows/columns no window covers (odd
 * sizes) get +0. About 5× faster than the stock kernel, which scans every dx position against every window
 * and allocates a position array per call. On views of the wasm heap with channels a multiple of 4, the same rules
 * run four channels at a time in SIMD (max-pool-grad-simd.ts).
 */

export function maxPoolGrad2x2(x: Float32Array, dy: Float32Array, dx: Float32Array, s: Pool2x2Shape): void {
  if (maxPoolGrad2x2InHeap(x, dy, dx, s)) return;
  const { batch, inH, inW, channels: c, outH, outW } = s;
  const rowStride = inW * c;
  for (let b = 0; b < batch; b++) {
    const img = b * inH * rowStride;
    for (let yo = 0; yo < outH; yo++) {
      const r0 = img + 2 * yo * rowStride;
      const r1 = r0 + rowStride;
      let q = (b * outH + yo) * outW * c;
      for (let xo = 0; xo < outW; xo++) {
        const p00 = r0 + 2 * xo * c;
        const p01 = p00 + c;
        const p10 = r1 + 2 * xo * c;
        const p11 = p10 + c;
        for (let k = 0; k < c; k++, q++) {
          let m = FLT_MIN;
          let at = 0; // a flat offset into x, as the stock kernel keeps it
          let v = x[p00 + k];
          if (v >= m) {
            m = v;
            at = p00 + k;
          }
          v = x[p01 + k];
          if (v >= m) {
            m = v;
            at = p01 + k;
          }
          v = x[p10 + k];
          if (v >= m) {
            m = v;
            at = p10 + k;
          }
          v = x[p11 + k];
          if (v >= m) at = p11 + k;
          const g = dy[q];
          // 0 + g·1 or 0 + g·0, as float32 arithmetic in the stock kernel (exact in doubles, rounded on store).
          dx[p00 + k] = 0 + g * (at === p00 + k ? 1 : 0);
          dx[p01 + k] = 0 + g * (at === p01 + k ? 1 : 0);
          dx[p10 + k] = 0 + g * (at === p10 + k ? 1 : 0);
          dx[p11 + k] = 0 + g * (at === p11 + k ? 1 : 0);
        }
      }
      if (inW > 2 * outW) {
        dx.fill(0, r0 + 2 * outW * c, r0 + rowStride);
        dx.fill(0, r1 + 2 * outW * c, r1 + rowStride);
      }
    }
    for (let y = 2 * outH; y < inH; y++) dx.fill(0, img + y * rowStride, img + (y + 1) * rowStride);
  }
}
