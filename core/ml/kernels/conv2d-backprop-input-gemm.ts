import * as tf from '@tensorflow/tfjs';
import type { ConvGeometry } from './conv-geometry.js';
import { dropView, gatherColumns, heapView, product, scatterAddColumns, tapRange, type WasmStore } from './tap-products.js';
import { exactTapProduct } from './tap-products-simd.js';
import { ensureFilterOnHeap, sharedTapProducts } from './shared-tap-products.js';

/**
 * dx of a convolution whose filter is large next to its activations — the deep blocks of the paper model at 64 px
 * (2×2 and 4×4 pixels, 512…1024 channels in and out) — as one matrix product with the FILTER as the streamed
 * operand: cols[fh·fw·Cin, M] = W[fh·fw·Cin, Cout] · dyᵀ[Cout, M] (M = batch · oh · ow; W's NHWC layout already is
 * that matrix), then col2im adds each column entry back to the input pixel it came from. Computed tap by tap
 * (tap-products.ts): cols_t[Cin, M_t] = W_t[Cin, Cout] · dy_tᵀ[Cout, M_t] over only the output positions whose input
 * pixel under tap t lies inside the image (on 2×2 and 4×4 images most (position, tap) pairs fall on the padding),
 * W_t being the tap's contiguous block of the filter, read in place.
 * Why: the convolution route (conv2d-backprop-input.ts) hands XNNPACK a rotated, transposed copy of the filter,
 * which XNNPACK transposes again and packs — at every call, since every training step has new weights. On these
 * layers that costs ~10× the arithmetic (1024→1024 at 2×2, batch 8: ~200 ms against ~20), and every data-parallel
 * replica repeats it whatever its share of the batch: it was most of the fixed per-shard cost that kept 2 gradient
 * workers far from 2× on the paper preset. The product packs only dyᵀ (small). Same sums, another float order:
 * results agree with the convolution route within float tolerance.
 * Where the dx convolution runs by Winograd in a training run (outputs ≥ 7 px: the paper model's 1024-channel blocks at
 * 224 px) that route is taken instead (conv2d-backprop-input.ts): 44 → 27 ms/img for the two 7 px layers, batch 8.
 */

/** Filters below this many weights pack in a few ms: they keep the convolution route (and its float order). */
const LARGE_FILTER = 1 << 20;

/**
 * Whether the product route is taken: on wasm, for a large filter (≥ 2^20 weights: the paper model's blocks 5 and 6;
 * never the compact preset, whose largest filter has 37k) that outweighs the rows of the product (measured
 * crossover ≈ M = Cout).
 */
export function gemmPaysOff(g: ConvGeometry): boolean {
  return tf.getBackend() === 'wasm' && g.fh * g.fw * g.inC * g.outC >= LARGE_FILTER && 2 * g.batch * g.outH * g.outW <= g.outC;
}

export function conv2dBackpropInputGemm(dy: tf.Tensor4D, filter: tf.Tensor4D, g: ConvGeometry): tf.Tensor4D {
  const store = tf.backend() as unknown as WasmStore;
  const { batch, inH, inW, inC, outH, outW, outC, fh, fw, sh, sw, top, left } = g;
  const block = inC * outC;
  const out = store.makeOutput([batch, inH, inW, inC], 'float32');
  store.typedArrayFromHeap(out).fill(0);
  // A data-parallel worker's bound filter (shared-tap-products.ts): W read where the workers' Adam left it.
  const dySide = () => ({ of: dy, h: outH, w: outW, c: outC, sy: 1, dy: 0, sx: 1, dx: 0 });
  const outSide = (i: number, j: number) => ({ of: out, h: inH, w: inW, c: inC, sy: sh, dy: i - top, sx: sw, dx: j - left });
  if (sharedTapProducts(store, g, filter.dataId, false, inC, outC, dySide, outSide)) return tf.engine().makeTensorFromTensorInfo(out) as tf.Tensor4D;
  ensureFilterOnHeap(store, filter);
  for (let i = 0; i < fh; i++) {
    for (let j = 0; j < fw; j++) {
      const r = tapRange(g, i, j);
      if (!r.count) continue;
      // The SIMD microkernel where it runs (tap-products-simd.ts: the same bits as XNNPACK's product below).
      const to = { of: out, h: inH, w: inW, c: inC, sy: sh, dy: i - top, sx: sw, dx: j - left };
      if (exactTapProduct(store, g, i, j, filter, (i * fw + j) * block, inC, outC, { of: dy, h: outH, w: outW, c: outC, sy: 1, dy: 0, sx: 1, dx: 0 }, to)) continue;
      const cols = store.makeOutput([outC, r.count], 'float32');
      gatherColumns(store.typedArrayFromHeap(dy), store.typedArrayFromHeap(cols), batch, r, outH, outW, outC, 1, 0, 1, 0);
      const a = heapView(store, filter, (i * fw + j) * block, inC, outC);
      const p = product(store, a, cols); // [Cin, M_t]
      dropView(store, a);
      store.disposeData(cols.dataId);
      // Output oy under tap (i, j) read input row oy·sh + i − top: its gradient goes back there.
      scatterAddColumns(store.typedArrayFromHeap(p), store.typedArrayFromHeap(out), batch, r, inH, inW, inC, sh, i - top, sw, j - left);
      store.disposeData(p.dataId);
    }
  }
  return tf.engine().makeTensorFromTensorInfo(out) as tf.Tensor4D;
}
