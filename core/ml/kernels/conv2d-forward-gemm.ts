import * as tf from '@tensorflow/tfjs';
import type { ConvGeometry } from './conv-geometry.js';
import { dropView, gatherColumns, heapView, product, scatterAddColumns, tapRange, type WasmStore } from './tap-products.js';
import { exactTapProduct } from './tap-products-simd.js';
import { ensureFilterOnHeap, noteForwardInput, sharedTapProducts } from './shared-tap-products.js';

/**
 * The forward convolution of a large filter on few pixels (the paper model's blocks 5-6 at 64 px) as matrix
 * products with the filter streamed, one per tap (tap-products.ts: only the positions whose input lies inside the
 * image, no product of the zero padding): outᵀ_t[Cout, M_t] = Wᵀ_t[Cout, Cin] · x_tᵀ[Cin, M_t], added into out.
 * Wᵀ is kept tap-major, [fh·fw][Cout][Cin], so that each tap's Wᵀ_t is one contiguous block.
 * Why: the stock wasm Conv2D transposes and XNNPACK-packs the whole filter whenever it meets a new one — at every
 * training step, in every data-parallel replica, whatever its share of the batch (~200 ms of a paper@64 step).
 * Here the transpose is done once per filter (kept beside its data, released with it) and the product packs only
 * colsᵀ (small). A filter seen again (inference with fixed weights) reuses its Wᵀ, as XNNPACK reuses its packing.
 */

/** Wᵀ of each filter by its data (a WeakMap: the copy goes when the filter's data does). */
const transposedFilters = new WeakMap<object, Float32Array>();

/** A filter (HWIO shape) this route may meet: small taps, ≥ 2^20 weights. */
export function isLargeFilter(shape: readonly number[]): boolean {
  return shape.length === 4 && shape[0] * shape[1] <= 25 && shape[0] * shape[1] * shape[2] * shape[3] >= 1 << 20;
}

/**
 * Hands the kernel a filter's Wᵀ (tap-major [fh·fw][Cout][Cin], see transposeFilter) made elsewhere: data-parallel training's workers
 * write it beside the new weights in shared memory (reduce-scatter.ts), once per step for all replicas, instead of
 * each replica transposing the filter itself. The caller guarantees it matches the filter's data.
 */
export function provideTransposedFilter(dataId: object, wt: Float32Array): void {
  transposedFilters.set(dataId, wt);
}

/** Same criterion as the dx route: wasm, a large filter outweighing the product's rows. */
export function forwardGemmPaysOff(g: ConvGeometry, dilations: [number, number]): boolean {
  return (
    tf.getBackend() === 'wasm' &&
    dilations[0] === 1 &&
    dilations[1] === 1 &&
    isLargeFilter([g.fh, g.fw, g.inC, g.outC]) &&
    2 * g.batch * g.outH * g.outW <= g.outC
  );
}

/**
 * Tap-major Wᵀ of an HWIO filter seen as W[K, Cout] (K = taps·Cin): for each tap its block W_t[Cin, Cout]
 * transposed, [taps][Cout][Cin], in cache-sized tiles (into `t` when given). taps = 1: the plain transpose [Cout, K].
 */
export function transposeFilter(w: Float32Array, k: number, n: number, t = new Float32Array(k * n), taps = 1): Float32Array {
  const T = 64;
  const cin = k / taps;
  for (let tap = 0, base = 0; tap < taps; tap++, base += cin * n) {
    for (let r0 = 0; r0 < cin; r0 += T) {
      const r1 = Math.min(cin, r0 + T);
      for (let c0 = 0; c0 < n; c0 += T) {
        const c1 = Math.min(n, c0 + T);
        for (let r = r0; r < r1; r++) {
          const src = base + r * n;
          for (let c = c0; c < c1; c++) t[base + c * cin + r] = w[src + c];
        }
      }
    }
  }
  return t;
}

export function conv2dForwardGemm(x: tf.Tensor4D, filter: tf.Tensor4D, g: ConvGeometry): tf.Tensor4D {
  const store = tf.backend() as unknown as WasmStore;
  const { batch, inH, inW, inC, outH, outW, outC, fh, fw, sh, sw, top, left } = g;
  const taps = fh * fw;
  const block = outC * inC;
  // The output, zero: every tap adds its part.
  const out = store.makeOutput([batch, outH, outW, outC], 'float32');
  store.typedArrayFromHeap(out).fill(0);
  // A data-parallel worker's bound filter (shared-tap-products.ts): Wᵀ read where the workers wrote it, no heap copy.
  noteForwardInput(filter.dataId, x);
  const xSide = (i: number, j: number) => ({ of: x, h: inH, w: inW, c: inC, sy: sh, dy: i - top, sx: sw, dx: j - left });
  if (sharedTapProducts(store, g, filter.dataId, true, outC, inC, xSide, () => ({ of: out, h: outH, w: outW, c: outC, sy: 1, dy: 0, sx: 1, dx: 0 }))) {
    return tf.engine().makeTensorFromTensorInfo(out) as tf.Tensor4D;
  }
  let wt = transposedFilters.get(filter.dataId);
  if (!wt) {
    ensureFilterOnHeap(store, filter);
    wt = transposeFilter(store.typedArrayFromHeap(filter), taps * inC, outC, undefined, taps);
    transposedFilters.set(filter.dataId, wt);
  }
  // Wᵀ onto the heap (the products read it there).
  const wtInfo = store.makeOutput([taps * block], 'float32');
  store.typedArrayFromHeap(wtInfo).set(wt);
  for (let i = 0; i < fh; i++) {
    for (let j = 0; j < fw; j++) {
      const r = tapRange(g, i, j);
      if (!r.count) continue;
      // The SIMD microkernel where it runs (tap-products-simd.ts: the same bits as XNNPACK's product below).
      const from = { of: x, h: inH, w: inW, c: inC, sy: sh, dy: i - top, sx: sw, dx: j - left };
      if (exactTapProduct(store, g, i, j, wtInfo, (i * fw + j) * block, outC, inC, from, { of: out, h: outH, w: outW, c: outC, sy: 1, dy: 0, sx: 1, dx: 0 })) continue;
      const cols = store.makeOutput([inC, r.count], 'float32');
      // Views after the last allocation: a heap growth detaches earlier ones.
      gatherColumns(store.typedArrayFromHeap(x), store.typedArrayFromHeap(cols), batch, r, inH, inW, inC, sh, i - top, sw, j - left);
      const a = heapView(store, wtInfo, (i * fw + j) * block, outC, inC);
      const p = product(store, a, cols); // [Cout, M_t]
      dropView(store, a);
      store.disposeData(cols.dataId);
      scatterAddColumns(store.typedArrayFromHeap(p), store.typedArrayFromHeap(out), batch, r, outH, outW, outC, 1, 0, 1, 0);
      store.disposeData(p.dataId);
    }
  }
  store.disposeData(wtInfo.dataId);
  return tf.engine().makeTensorFromTensorInfo(out) as tf.Tensor4D;
}
