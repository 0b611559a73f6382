import type * as tf from '@tensorflow/tfjs';
import { exactGemm } from './gemm-fma-simd.js';
import { pixelOffsets, tapRange, type WasmStore } from './tap-products.js';
import type { ConvGeometry } from './conv-geometry.js';

/**
 * One tap's product of the large-filter convolutions on few pixels (forward: conv2d-forward-gemm.ts; dx:
 * conv2d-backprop-input-gemm.ts) on the SIMD microkernel of the Winograd route (gemm-fma-simd.ts, exactGemm: a
 * separate multiply and add) instead of XNNPACK's fully-connected product: out[pixel] += A[rows × k] · column[k] for
 * each output position of the tap, A a block of the filter streamed in place on the heap, the columns gathered
 * straight into the microkernel's 8-column panels.
 * Why: in a data-parallel step every replica streams these filters whatever its shard (the paper model's blocks 5-6 at
 * 64 px: 19 M weights), so their products are most of a worker's fixed cost per step; XNNPACK builds an operator, packs
 * the few columns and runs ~30 GFLOP/s here, the exact microkernel ~39 (bench/cnn-profile.ts header, 2026-11-30).
 * Bits: the same as XNNPACK's. Both sum each output over k in order from zero, a product rounded then a sum rounded
 * (wasm SIMD has no fused multiply-add; XNNPACK's wasm GEMMs add mul(a, b) to one accumulator per output), and the
 * columns a panel pads to 8 are zeros whose results are never read; the taps are then added into the output in the
 * same order as before. test/unit/ml/wasm-large-filter.test.ts compares the two routes bit for bit.
 */

let enabled = true;
let runs = 0;

/** Taps this route has computed since the process started (tests: was it taken). */
export function exactTapRuns(): number {
  return runs;
}

/** The bench's before/after and the tests' reference: off = XNNPACK's product for every tap. */
export function useExactTapProducts(on: boolean): void {
  enabled = on;
}

/** Where one tap reads its columns and adds its products: a tensor and the pixel walk of tapRange over it. */
export interface TapSide {
  of: tf.TensorInfo;
  h: number;
  w: number;
  /** Channels of that tensor: k on the gathered side, rows on the scattered side. */
  c: number;
  sy: number;
  dy: number;
  sx: number;
  dx: number;
}

/**
 * out += A · gathered columns for one tap; false (nothing done) where the microkernel cannot run (no wasm SIMD, rows
 * not a multiple of 4, turned off): the caller then uses XNNPACK's product. A: `rows` × `k` floats row-major at float
 * `aOffset` of tensor `a` (a block of the filter).
 */
export function exactTapProduct(store: WasmStore, g: ConvGeometry, i: number, j: number, a: tf.TensorInfo, aOffset: number, rows: number, k: number, from: TapSide, to: TapSide): boolean {
  if (!enabled || rows % 4 !== 0) return false;
  const r = tapRange(g, i, j);
  const m = r.count;
  if (!m) return true;
  const mp = 8 * Math.ceil(m / 8);
  const gemm = exactGemm(k, mp);
  if (!gemm) return false;
  const packed = store.makeOutput([k * mp], 'float32');
  const c = store.makeOutput([rows * mp], 'float32');
  // Views and addresses after the last allocation: a heap growth detaches earlier views.
  const pv = store.typedArrayFromHeap(packed);
  if (mp > m) pv.fill(0, (mp / 8 - 1) * k * 8); // the last panel's padding columns: zeros, never read back
  const src = store.typedArrayFromHeap(from.of);
  const at = pixelOffsets(g.batch, r, from.h, from.w, from.c, from.sy, from.dy, from.sx, from.dx);
  for (let col = 0; col < m; col++) {
    const base = at[col];
    // panel col >> 3, lane col & 7: element kk at 8·kk of the panel
    for (let kk = 0, d = (col >> 3) * k * 8 + (col & 7); kk < k; kk++, d += 8) pv[d] = src[base + kk];
  }
  const aAddr = store.typedArrayFromHeap(a).byteOffset + 4 * aOffset;
  gemm(aAddr, pv.byteOffset, store.typedArrayFromHeap(c).byteOffset, rows / 4, mp / 8);
  const cv = store.typedArrayFromHeap(c);
  const dst = store.typedArrayFromHeap(to.of);
  const put = pixelOffsets(g.batch, r, to.h, to.w, to.c, to.sy, to.dy, to.sx, to.dx);
  for (let col = 0; col < m; col++) {
    const base = put[col];
    for (let q = 0, s = col; q < rows; q++, s += mp) dst[base + q] += cv[s];
  }
  store.disposeData(packed.dataId);
  store.disposeData(c.dataId);
  runs++;
  return true;
}

/**
 * dW of one tap (filter-grad-columns.ts, filterGradTapwise) on the same microkernel: dW_t[Cin, Cout] = x_tᵀ[Cin, M_t] ·
 * dy_t[M_t, Cout], x_tᵀ gathered row-major (A), dy_t gathered straight into 8-column panels (B), the product written in
 * place into the tap's block of `out` at float `outOffset`. The sums run over the M_t positions in order from zero, as
 * XNNPACK's do (the same bits; test/unit/ml/wasm-large-filter.test.ts). False (nothing done) where the microkernel
 * cannot run (Cin not a multiple of 4, Cout not a multiple of 8, no wasm SIMD, turned off): XNNPACK's product then.
 */
export function exactTapFilterGrad(store: WasmStore, g: ConvGeometry, i: number, j: number, x: tf.TensorInfo, dy: tf.TensorInfo, out: tf.TensorInfo, outOffset: number): boolean {
  const { batch, inH, inW, inC, outH, outW, outC, sh, sw, top, left } = g;
  if (!enabled || inC % 4 !== 0) return false;
  const r = tapRange(g, i, j);
  const m = r.count;
  if (!m) return false;
  const gemm = exactGemm(m, outC);
  if (!gemm) return false;
  const a = store.makeOutput([inC * m], 'float32');
  const b = store.makeOutput([m * outC], 'float32');
  const av = store.typedArrayFromHeap(a);
  const xs = store.typedArrayFromHeap(x);
  const xAt = pixelOffsets(batch, r, inH, inW, inC, sh, i - top, sw, j - left);
  for (let col = 0; col < m; col++) {
    const base = xAt[col];
    for (let k = 0, d = col; k < inC; k++, d += m) av[d] = xs[base + k];
  }
  const bv = store.typedArrayFromHeap(b);
  const ds = store.typedArrayFromHeap(dy);
  const dyAt = pixelOffsets(batch, r, outH, outW, outC, 1, 0, 1, 0);
  for (let row = 0; row < m; row++) {
    const base = dyAt[row];
    // channel co: panel co >> 3 (m·8 floats each), row `row`, lane co & 7
    for (let co = 0; co < outC; co += 8) {
      const d = (co >> 3) * m * 8 + row * 8;
      for (let l = 0; l < 8; l++) bv[d + l] = ds[base + co + l];
    }
  }
  gemm(av.byteOffset, bv.byteOffset, store.typedArrayFromHeap(out).byteOffset + 4 * outOffset, inC / 4, outC / 8);
  store.disposeData(a.dataId);
  store.disposeData(b.dataId);
  runs++;
  return true;
}
