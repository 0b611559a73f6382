import * as tf from '@tensorflow/tfjs';
import type { ConvGeometry } from './conv-geometry.js';
import { dropView, gatherColumns, gatherRows, heapView, insideShare, productInto, tapRange, type WasmStore } from './tap-products.js';
import { exactTapFilterGrad } from './tap-products-simd.js';
import { sharedTapFilterGrad } from './shared-tap-products.js';

/**
 * dW of a convolution with many channels on few pixels (the paper model's blocks 4-6: 28×28 … 7×7 at 224 px,
 * 8×8 … 2×2 at 64 px) as ONE matrix product on XNNPACK's fully-connected path:
 *
 *   dW (fh·fw·Cin × Cout) = colsᵀ (fh·fw·Cin × M) · dy (M × Cout),   M = batch · oh · ow
 *
 * colsᵀ is the transposed im2col of x (exactly the M output positions: no padded grid, unlike
 * filter-grad-taps.ts, whose zero rows and columns cost 31 % more product on a 7×7 image), and dy, NHWC, already
 * is the right operand as it lies on the heap. Why: the conv trick (conv2d-backprop-filter.ts) gives each of its
 * oh·ow filter taps only the batch's few channels, a poor shape for XNNPACK's conv microkernels; here the product
 * has Cout columns and M-deep sums, and XNNPACK packs only dy (M·Cout floats, small on few pixels).
 * Measured (bench/conv-grad-layers.ts --routes, ms/img thread CPU, batch 8, loaded machine), trick / tap-wise /
 * columns: 224 px 28²×128→256 25.0 / 21.6 / 20.3, 14²×256→512 23.8 / 21.3 / 17.5, 14²×512→512 46.5 / 44.7 / 34.9,
 * 7²×512→1024 24.4 / 30.7 / 16.8, 7²×1024→1024 48.6 / 59.6 / 34.8; 64 px 8²×256→256 3.9 / 4.8 / 3.5,
 * 4²×512→512 4.6 / 7.8 / 3.6, 2²×1024→1024 8.3 / 25.4 / 5.5. So it is taken first wherever it applies.
 * Where most of colsᵀ would be padding (≤ 3/4 of the (position, tap) pairs inside the image: 4×4 and smaller images
 * under a 3×3 same conv, never the 224 px layers) the product is cut per tap instead (filterGradTapwise below).
 */
interface WasmHeap {
  makeOutput(shape: number[], dtype: 'float32'): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array;
}

/** Channel products from which the route is taken (the taps' "wide" criterion; never the compact preset, ≤ 64·64). */
export const COLUMNS_MIN_CHANNELS = 128 * 128;
/** colsᵀ (fh·fw·Cin·M floats) at most 8 M floats (32 MB of heap); beyond, the other routes. */
const COLS_FLOATS = 8 << 20;

/**
 * Whether the column product applies: on wasm, with dilation 1 (tfjs has no gradient for dilated convs), many
 * channels (≥ 128²: the float path of the small test nets stays the conv trick's), and a colsᵀ that fits.
 */
export function columnsApply(g: ConvGeometry): boolean {
  return tf.getBackend() === 'wasm' && g.inC * g.outC >= COLUMNS_MIN_CHANNELS && g.fh * g.fw * g.inC * g.batch * g.outH * g.outW <= COLS_FLOATS;
}

/** Above this share of (position, tap) pairs inside the image, one product; at or below, one per tap. */
export const TAPWISE_MAX_SHARE = 0.75;

export function filterGradByColumns(x: tf.Tensor4D, dy: tf.Tensor4D, g: ConvGeometry): tf.Tensor4D {
  if (insideShare(g) <= TAPWISE_MAX_SHARE) return filterGradTapwise(x, dy, g);
  const heap = tf.backend() as unknown as WasmHeap;
  const { batch: B, inH: H, inW: W, inC: C, outH, outW, outC: N, fh, fw, sh, sw, top, left } = g;
  const m = B * outH * outW;
  const colsInfo = heap.makeOutput([fh * fw * C, m], 'float32');
  const cols = heap.typedArrayFromHeap(colsInfo);
  const xs = heap.typedArrayFromHeap(x);
  // x channel-planar first ([c][b][y][x], one pass): each row of colsᵀ then reads short contiguous runs.
  const plane = H * W;
  const xp = new Float32Array(C * B * plane);
  for (let p = 0, s = 0; p < B * plane; p++) for (let c = 0; c < C; c++, s++) xp[c * B * plane + p] = xs[s];
  cols.fill(0);
  // The output columns whose input column ox·sw + j − left lies inside the image, per filter column j.
  const oxFrom = (j: number) => Math.max(0, Math.ceil((left - j) / sw));
  const oxTo = (j: number) => Math.min(outW, Math.floor((W - 1 + left - j) / sw) + 1);
  let row = 0;
  for (let i = 0; i < fh; i++) {
    for (let j = 0; j < fw; j++) {
      const ox0 = oxFrom(j);
      const ox1 = oxTo(j);
      for (let c = 0; c < C; c++, row++) {
        const r = row * m;
        for (let b = 0; b < B; b++) {
          const src = (c * B + b) * plane;
          for (let oy = 0; oy < outH; oy++) {
            const y = oy * sh + i - top;
            if (y < 0 || y >= H) continue;
            const d = r + (b * outH + oy) * outW;
            const s = src + y * W + j - left;
            for (let ox = ox0; ox < ox1; ox++) cols[d + ox] = xp[s + ox * sw];
          }
        }
      }
    }
  }
  return tf.tidy(() => {
    const a = tf.engine().makeTensorFromTensorInfo(colsInfo) as tf.Tensor2D;
    return tf.reshape(tf.matMul(a, tf.reshape(dy, [m, N]) as tf.Tensor2D), [fh, fw, C, N]) as tf.Tensor4D;
  });
}

/**
 * dW tap by tap (tap-products.ts): dW_t[Cin, Cout] = x_tᵀ[Cin, M_t] · dy_t[M_t, Cout] over only the M_t output
 * positions whose input under tap t lies inside the image, each product written straight into its tap's block of dW
 * (a tap that reads nothing leaves zeros). On a 2×2 image 16 of the 36 pairs of colsᵀ are inside: the products do
 * ~45 % of the multiply-adds.
 */
export function filterGradTapwise(x: tf.Tensor4D, dy: tf.Tensor4D, g: ConvGeometry): tf.Tensor4D {
  const store = tf.backend() as unknown as WasmStore;
  const { batch, inH, inW, inC, outH, outW, outC, fh, fw, sh, sw, top, left } = g;
  const block = inC * outC;
  const out = store.makeOutput([fh, fw, inC, outC], 'float32');
  // A data-parallel worker's bound filter (shared-tap-products.ts): dW written straight into the shard's gradient slot,
  // and this tensor left unwritten (the worker does not copy it; nothing else reads it).
  if (sharedTapFilterGrad(store, g, x, dy)) return tf.engine().makeTensorFromTensorInfo(out) as tf.Tensor4D;
  for (let i = 0; i < fh; i++) {
    for (let j = 0; j < fw; j++) {
      const t = i * fw + j;
      const r = tapRange(g, i, j);
      if (!r.count) {
        store.typedArrayFromHeap(out).fill(0, t * block, (t + 1) * block);
        continue;
      }
      // The SIMD microkernel where it runs (tap-products-simd.ts: the same bits as XNNPACK's product below).
      if (exactTapFilterGrad(store, g, i, j, x, dy, out, t * block)) continue;
      const a = store.makeOutput([inC, r.count], 'float32');
      const b = store.makeOutput([r.count, outC], 'float32');
      // Views after the last allocation: a heap growth detaches earlier ones.
      gatherColumns(store.typedArrayFromHeap(x), store.typedArrayFromHeap(a), batch, r, inH, inW, inC, sh, i - top, sw, j - left);
      gatherRows(store.typedArrayFromHeap(dy), store.typedArrayFromHeap(b), batch, r, outH, outW, outC, 1, 0, 1, 0);
      const dst = heapView(store, out, t * block, inC, outC);
      productInto(store, a, b, dst); // [Cin, Cout], written in its tap's block of dW
      dropView(store, dst);
      store.disposeData(a.dataId);
      store.disposeData(b.dataId);
    }
  }
  return tf.engine().makeTensorFromTensorInfo(out) as tf.Tensor4D;
}
