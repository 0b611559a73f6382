import * as tf from '@tensorflow/tfjs';
import type { ConvGeometry } from './conv-geometry.js';

/**
 * The pieces of a convolution computed TAP BY TAP as matrix products on XNNPACK's fully-connected path, for a large
 * filter on few pixels (the paper model's blocks 5-6 at 64 px: 4×4 and 2×2 images, 3×3 same-padded taps).
 * Why: one product over all fh·fw taps (an im2col) also multiplies the zero padding, and on such images most of
 * it is padding: at 2×2 only 16 of the 36 (position, tap) pairs read a pixel (44 %), at 4×4 100 of 144 (69 %).
 * Per tap only the output positions whose input lies inside the image take part, so the products do the useful
 * multiply-adds only (measured: the per-tap products run ~10 % below one long product per multiply-add, so the
 * 2×2 and 4×4 layers still gain ~45 % and ~20 %). The filter stays the streamed operand: a tap's block of the
 * filter is handed to the product in place on the heap (a view, no copy), and XNNPACK packs only the few pixels.
 */

/** The wasm backend's heap and storage (tfjs-backend-wasm's BackendWasm; not in its public typings). */
export interface WasmStore {
  makeOutput(shape: number[], dtype: 'float32', memoryOffset?: number): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array;
  disposeData(dataId: object, force?: boolean): boolean;
  dataIdMap: { get(dataId: object): { id: number; memoryOffset: number } | undefined; delete(dataId: object): boolean };
  wasm: { tfjs: { disposeData(id: number): void }; cwrap(name: string, ret: null, args: string[]): (...args: unknown[]) => void };
}

/** Output rows [y0, y1) and columns [x0, x1) whose input pixel under tap (i, j) lies inside the image. */
export interface TapRange {
  y0: number;
  y1: number;
  x0: number;
  x1: number;
  /** Positions over the batch: batch · (y1 − y0) · (x1 − x0). */
  count: number;
}

export function tapRange(g: ConvGeometry, i: number, j: number): TapRange {
  // Output oy reads row oy·sh + i − top: inside when 0 ≤ that < inH.
  const y0 = Math.max(0, Math.ceil((g.top - i) / g.sh));
  const y1 = Math.min(g.outH, Math.floor((g.inH - 1 + g.top - i) / g.sh) + 1);
  const x0 = Math.max(0, Math.ceil((g.left - j) / g.sw));
  const x1 = Math.min(g.outW, Math.floor((g.inW - 1 + g.left - j) / g.sw) + 1);
  const count = y1 > y0 && x1 > x0 ? g.batch * (y1 - y0) * (x1 - x0) : 0;
  return { y0, y1, x0, x1, count };
}

/**
 * A [rows, cols] view of `floats` floats of a heap tensor from float `offset` on, for a kernel called directly.
 * Its storage is the tensor's: it must be released with dropView (never disposeData, which would free memory the
 * view does not own), and the tensor must outlive it.
 */
export function heapView(store: WasmStore, of: tf.TensorInfo, offset: number, rows: number, cols: number): tf.TensorInfo {
  const base = store.dataIdMap.get(of.dataId);
  if (!base) throw new Error('heapView: the tensor is not on the wasm heap');
  return store.makeOutput([rows, cols], 'float32', base.memoryOffset + 4 * offset);
}

export function dropView(store: WasmStore, view: tf.TensorInfo): void {
  const d = store.dataIdMap.get(view.dataId);
  if (!d) return;
  store.wasm.tfjs.disposeData(d.id); // the C++ side forgets the id (and any operator cached for it); nothing is freed
  store.dataIdMap.delete(view.dataId);
}

/**
 * a[m, k] · b[k, n] = [m, n] with the stock wasm BatchMatMul (XNNPACK streams a, packs b), engine-free. b as
 * [k, n]: with transposeB the wasm kernel leaves XNNPACK for a plain loop (~10× slower, measured).
 */
export function product(store: WasmStore, a: tf.TensorInfo, b: tf.TensorInfo): tf.TensorInfo {
  const mm = tf.getKernel('BatchMatMul', 'wasm');
  if (!mm) throw new Error('BatchMatMul is not registered on wasm');
  return mm.kernelFunc({ inputs: { a, b }, attrs: { transposeA: false, transposeB: false }, backend: store as unknown as tf.KernelBackend }) as tf.TensorInfo;
}

type RawMatMul = (aId: number, aShape: Uint8Array, aRank: number, bId: number, bShape: Uint8Array, bRank: number, transposeA: boolean, transposeB: boolean, outId: number) => void;
const rawMatMuls = new WeakMap<object, RawMatMul>();

/**
 * a[m, k] · b[k, n] written straight into `out` (m·n floats, e.g. a heapView of a bigger tensor): the C++ function
 * behind the stock BatchMatMul (same XNNPACK product, same numbers), called with our output instead of a new one,
 * which would then have to be copied where it belongs.
 */
export function productInto(store: WasmStore, a: tf.TensorInfo, b: tf.TensorInfo, out: tf.TensorInfo): void {
  let mm = rawMatMuls.get(store.wasm);
  if (!mm) {
    mm = store.wasm.cwrap('BatchMatMul', null, ['number', 'array', 'number', 'number', 'array', 'number', 'number', 'number', 'number']) as RawMatMul;
    rawMatMuls.set(store.wasm, mm);
  }
  const [m, k] = a.shape;
  const n = b.shape[1];
  if (b.shape[0] !== k || tf.util.sizeFromShape(out.shape) !== m * n) throw new Error(`productInto: [${a.shape}]·[${b.shape}] does not fit [${out.shape}]`);
  const id = (t: tf.TensorInfo) => store.dataIdMap.get(t.dataId)!.id;
  const shape = (s: number[]) => new Uint8Array(new Int32Array(s).buffer);
  mm(id(a), shape([1, m, k]), 3, id(b), shape([1, k, n]), 3, false, false, id(out));
}

/**
 * Where each output position of `r` reads in `img` ([batch, h, w, c], NHWC): the float offset of its pixel at row
 * oy·sy + dy and column ox·sx + dx, in the order (b, oy, ox). The one walk over a tap's positions that the gathers
 * and the scatter below share.
 */
export function pixelOffsets(batch: number, r: TapRange, h: number, w: number, c: number, sy: number, dy: number, sx: number, dx: number): Int32Array {
  const at = new Int32Array(r.count);
  let col = 0;
  for (let b = 0; b < batch; b++) {
    for (let oy = r.y0; oy < r.y1; oy++) {
      const row = (b * h + oy * sy + dy) * w;
      for (let ox = r.x0; ox < r.x1; ox++, col++) at[col] = (row + ox * sx + dx) * c;
    }
  }
  return at;
}

/**
 * Copies the pixels (c floats each) of `src` ([batch, h, w, c], NHWC) at row oy·sy + dy and column ox·sx + dx for
 * the output positions of `r`, in the order (b, oy, ox), as the COLUMNS of `dst` [c, r.count].
 */
export function gatherColumns(src: Float32Array, dst: Float32Array, batch: number, r: TapRange, h: number, w: number, c: number, sy: number, dy: number, sx: number, dx: number): void {
  const m = r.count;
  const at = pixelOffsets(batch, r, h, w, c, sy, dy, sx, dx);
  for (let col = 0; col < m; col++) {
    const base = at[col];
    for (let k = 0, d = col; k < c; k++, d += m) dst[d] = src[base + k];
  }
}

/** As gatherColumns, but each pixel as a ROW of `dst` [r.count, c] (contiguous copies). */
export function gatherRows(src: Float32Array, dst: Float32Array, batch: number, r: TapRange, h: number, w: number, c: number, sy: number, dy: number, sx: number, dx: number): void {
  const at = pixelOffsets(batch, r, h, w, c, sy, dy, sx, dx);
  for (let i = 0, d = 0; i < at.length; i++, d += c) dst.set(src.subarray(at[i], at[i] + c), d);
}

/** Share of the (output position, tap) pairs whose input lies inside the image: the useful part of an im2col product. */
export function insideShare(g: ConvGeometry): number {
  let n = 0;
  for (let i = 0; i < g.fh; i++) for (let j = 0; j < g.fw; j++) n += tapRange(g, i, j).count;
  return n / (g.fh * g.fw * g.batch * g.outH * g.outW);
}

/**
 * Adds a product p[c, r.count] (one column per output position of `r`, in the order (b, oy, ox)) to the pixels of
 * `dst` ([batch, h, w, c], NHWC) at row oy·sy + dy and column ox·sx + dx.
 */
export function scatterAddColumns(p: Float32Array, dst: Float32Array, batch: number, r: TapRange, h: number, w: number, c: number, sy: number, dy: number, sx: number, dx: number): void {
  const m = r.count;
  const at = pixelOffsets(batch, r, h, w, c, sy, dy, sx, dx);
  for (let col = 0; col < m; col++) {
    const base = at[col];
    for (let k = 0, s = col; k < c; k++, s += m) dst[base + k] += p[s];
  }
}
