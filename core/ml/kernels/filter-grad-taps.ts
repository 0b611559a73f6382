import * as tf from '@tensorflow/tfjs';
import type { ConvGeometry } from './conv-geometry.js';

/**
 * dW of a stride-1 convolution on wasm as matrix products that tfjs-backend-wasm hands to XNNPACK's
 * fully-connected GEMM (a plain [M,K]·[K,N] matMul is its one fast path):
 *
 *   dW (fh·fw·Cin × Cout) = Σ over chunks of positions  A (fh·fw·Cin × Kc) · dyP (Kc × Cout)
 *
 * A is the transposed im2col of x, built with memcpy-speed row copies thanks to a layout: x channel-planar,
 * [ci][b][row][col], each image plane followed by Zr zero rows and each row by Zc zero columns (Zr, Zc ≥ the
 * padding). On that grid, moving the window by tap (i,j) moves every position by one flat offset
 * (i−top)·Ws + (j−left): a neighbour's zero column or row plays the padding, so A's row (i,j,ci) over a chunk
 * is ONE contiguous stretch of the planar buffer. dyP is dy on the same grid, zero on the padding positions
 * (they add nothing). The positions are cut in chunks (split-K) so that XNNPACK's packed copy of dyP stays
 * under 8 MB (the GEMM rate measured here falls from ~14.5 to ~9.5 GMAC/s beyond) and the chunk of A under
 * 32 MB of heap, and no smaller, as every chunk writes the whole fh·fw·Cin × Cout product again. The partial
 * products add up in a Float64 accumulator.
 *
 * Why not the conv trick (conv2d-backprop-filter.ts) for stride 1: there each of the oh·ow filter taps holds
 * only the B batch channels (8), a poor shape for XNNPACK's conv microkernels: about 2.2× the forward's time
 * on the 224 px layers (bench/conv-grad-layers.ts gives the figures per layer).
 */
interface WasmHeap {
  makeOutput(shape: number[], dtype: 'float32'): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array;
}

/** Floats of XNNPACK's packed dyP chunk (Kc·Cout) and of the A chunk (fh·fw·Cin·Kc) at most (2 M and 8 M). */
const PACKED_FLOATS = 2 << 20;
const A_FLOATS = 8 << 20;

/**
 * Where the tap-wise GEMMs replace the conv trick. The trick's cost grows with the number of its taps (oh·ow,
 * each only B channels deep), the GEMMs pay off with many positions or many channels. Measured per image at
 * batch 8 on wasm (thread CPU time, quiet machine), trick → tap-wise: 224²×32→32 76 → 48 ms, 112²×64→64
 * 65 → 40, 28²×256→256 45 → 35, 14²×512→512 47 → 40, but 7²×1024→1024 49 → 58; and on few channels no gain
 * (64²×8→8 and 32²×8→8 about even). So: from 56×56 output positions on, and from 14×14 on when Cin·Cout ≥
 * 128·128. The small compact nets (≤ 32 channels below 56 px, as in the 32 px nets of the seeded suite tests)
 * keep the trick and their float path: a dW summed in another order moved a seeded fewer-points threshold
 * (git log of this file says how).
 */
export const TAPS_MIN_POSITIONS = 56 * 56;
export const TAPS_MIN_POSITIONS_WIDE = 14 * 14;
export const TAPS_WIDE_CHANNELS = 128 * 128;

/** Whether the tap-wise kernel applies: stride 1 on the wasm backend (dilated convs have no gradient in tfjs), see above. */
export function tapsApply(g: ConvGeometry): boolean {
  if (g.sh !== 1 || g.sw !== 1 || tf.getBackend() !== 'wasm') return false;
  const positions = g.outH * g.outW;
  return positions >= TAPS_MIN_POSITIONS || (positions >= TAPS_MIN_POSITIONS_WIDE && g.inC * g.outC >= TAPS_WIDE_CHANNELS);
}

/** `maxChunk` caps the positions per product (tests: several chunks on small tensors). */
export function filterGradByTaps(x: tf.Tensor4D, dy: tf.Tensor4D, g: ConvGeometry, maxChunk = Infinity): tf.Tensor4D {
  const heap = tf.backend() as unknown as WasmHeap;
  const { batch: B, inH: H, inW: W, inC: C, outH, outW, outC: N, fh, fw, top, left } = g;
  // Zero columns after each row and zero rows after each plane: at least the padding on either side, and
  // enough for the output grid to fit on the input grid.
  const zc = Math.max(left, g.right, outW - W, 0);
  const zr = Math.max(top, g.bottom, outH - H, 0);
  const ws = W + zc;
  const hs = H + zr;
  const plane = hs * ws;
  const q = B * plane;
  // Reads before the first plane reach back top·Ws + left; after the last, (fh−1−top)·Ws + fw−1−left.
  const lead = top * ws + left;
  const tail = Math.max(0, (fh - 1 - top) * ws + (fw - 1 - left));
  const rows = fh * fw * C;

  const xbInfo = heap.makeOutput([lead + C * q + tail], 'float32');
  {
    const xb = heap.typedArrayFromHeap(xbInfo);
    const xs = heap.typedArrayFromHeap(x);
    xb.fill(0);
    // One source row (W·C floats) at a time, read C times: it stays in cache; the writes are contiguous runs.
    for (let b = 0; b < B; b++) {
      for (let y = 0; y < H; y++) {
        const src = (b * H + y) * W * C;
        for (let c = 0; c < C; c++) {
          const d = lead + c * q + b * plane + y * ws;
          for (let xx = 0, s = src + c; xx < W; xx++, s += C) xb[d + xx] = xs[s];
        }
      }
    }
  }

  const kc = Math.max(1, Math.min(q, maxChunk, Math.floor(PACKED_FLOATS / N), Math.floor(A_FLOATS / rows)));
  const acc = new Float64Array(rows * N);
  for (let k0 = 0; k0 < q; k0 += kc) {
    const k1 = Math.min(q, k0 + kc);
    const len = k1 - k0;
    // dy on the grid, positions k0…k1: rows of the grid that hold outputs, zero elsewhere.
    const dInfo = heap.makeOutput([len, N], 'float32');
    const aInfo = heap.makeOutput([rows, len], 'float32');
    // Views are taken after the last makeOutput: a heap growth detaches earlier ones.
    const xb = heap.typedArrayFromHeap(xbInfo);
    const dys = heap.typedArrayFromHeap(dy);
    const dp = heap.typedArrayFromHeap(dInfo);
    const a = heap.typedArrayFromHeap(aInfo);
    dp.fill(0);
    for (let r = Math.floor(k0 / ws); r * ws < k1; r++) {
      const b = Math.floor(r / hs);
      const y = r - b * hs;
      if (y >= outH) continue;
      const x0 = Math.max(0, k0 - r * ws);
      const x1 = Math.min(outW, k1 - r * ws);
      if (x1 <= x0) continue;
      const from = ((b * outH + y) * outW + x0) * N;
      dp.set(dys.subarray(from, from + (x1 - x0) * N), (r * ws + x0 - k0) * N);
    }
    let row = 0;
    for (let i = 0; i < fh; i++) {
      for (let j = 0; j < fw; j++) {
        const shift = i * ws + j + k0; // lead + (i − top)·Ws + (j − left) + k0
        for (let c = 0; c < C; c++, row++) {
          const from = shift + c * q;
          a.set(xb.subarray(from, from + len), row * len);
        }
      }
    }
    const at = tf.engine().makeTensorFromTensorInfo(aInfo) as tf.Tensor2D;
    const dt = tf.engine().makeTensorFromTensorInfo(dInfo) as tf.Tensor2D;
    const part = tf.matMul(at, dt);
    const v = part.dataSync();
    for (let p = 0; p < v.length; p++) acc[p] += v[p];
    tf.dispose([at, dt, part]);
  }
  tf.engine().makeTensorFromTensorInfo(xbInfo).dispose();
  return tf.tensor4d(Float32Array.from(acc), [fh, fw, C, N]);
}
