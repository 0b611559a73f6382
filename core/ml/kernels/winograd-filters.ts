import type * as tf from '@tensorflow/tfjs';
import { packB } from './gemm-fma-simd.js';
import { transformFilterInto } from './winograd-filter-transform-simd.js';

/**
 * The Winograd route's filter side (conv2d-winograd.ts): U = G g Gᵀ per filter, held on the wasm heap while the
 * filter's data lives and freed with it. Why a file of its own: the transform is pure arithmetic on a filter, and what
 * is held, by which key and until when is a memory contract of its own (tests: heldWinogradFilters).
 */

/** The wasm backend's heap and storage (tfjs-backend-wasm's BackendWasm; not in its public typings). */
export interface WasmStore {
  makeOutput(shape: number[], dtype: 'float32'): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array;
  disposeData(dataId: object, force?: boolean): boolean;
  dataIdMap: { has(dataId: object): boolean };
}

/**
 * U_ξ = (G g Gᵀ)_ξ as 16 row-major [Cin, Cout] arrays, G = [1 0 0; ½ ½ ½; ½ −½ ½; 0 0 1]. In doubles, rounded once to
 * float32; written out in locals (no scratch arrays). The reference of the SIMD transform that the route runs
 * (winograd-filter-transform-simd.ts, the same bits), and its fallback where that module cannot be made.
 */
export function transformFilter(w: Float32Array, cin: number, cout: number): Float32Array[] {
  const n = cin * cout;
  const u = Array.from({ length: 16 }, () => new Float32Array(n));
  const [u0, u1, u2, u3, u4, u5, u6, u7, u8, u9, u10, u11, u12, u13, u14, u15] = u;
  for (let e = 0; e < n; e++) {
    // HWIO: tap k = 3·row + col
    const g0 = w[e];
    const g1 = w[n + e];
    const g2 = w[2 * n + e];
    const g3 = w[3 * n + e];
    const g4 = w[4 * n + e];
    const g5 = w[5 * n + e];
    const g6 = w[6 * n + e];
    const g7 = w[7 * n + e];
    const g8 = w[8 * n + e];
    // G g: 4 × 3, row by row (columns c = 0, 1, 2)
    const b0 = (g0 + g3 + g6) / 2;
    const b1 = (g1 + g4 + g7) / 2;
    const b2 = (g2 + g5 + g8) / 2;
    const c0 = (g0 - g3 + g6) / 2;
    const c1 = (g1 - g4 + g7) / 2;
    const c2 = (g2 - g5 + g8) / 2;
    // (G g) Gᵀ: each row (x, y, z) → (x, (x + y + z)/2, (x − y + z)/2, z)
    u0[e] = g0;
    u1[e] = (g0 + g1 + g2) / 2;
    u2[e] = (g0 - g1 + g2) / 2;
    u3[e] = g2;
    u4[e] = b0;
    u5[e] = (b0 + b1 + b2) / 2;
    u6[e] = (b0 - b1 + b2) / 2;
    u7[e] = b2;
    u8[e] = c0;
    u9[e] = (c0 + c1 + c2) / 2;
    u10[e] = (c0 - c1 + c2) / 2;
    u11[e] = c2;
    u12[e] = g6;
    u13[e] = (g6 + g7 + g8) / 2;
    u14[e] = (g6 - g7 + g8) / 2;
    u15[e] = g8;
  }
  return u;
}

/**
 * U_ξ of each filter by its data id, on the heap (a Map: heap data is freed by hand): row-major for XNNPACK's matrix
 * product, in 8-column panels for the SIMD kernels, FMA or exact (each made when first needed).
 */
const transformed = new Map<object, { plain?: tf.TensorInfo[]; packed?: tf.TensorInfo[] }>();

function freeAll(store: WasmStore, e: { plain?: tf.TensorInfo[]; packed?: tf.TensorInfo[] }): void {
  for (const u of [...(e.plain ?? []), ...(e.packed ?? [])]) store.disposeData(u.dataId, true);
}

const hooked = new WeakSet<object>();

/**
 * Frees a filter's transforms as soon as its data goes (the model or its weights disposed; a training step's old weights
 * and rotated dx filters), not at the next call of the route: the backend's disposeData is wrapped once per backend.
 */
function freeWithFilters(store: WasmStore): void {
  if (hooked.has(store)) return;
  hooked.add(store);
  const dispose = store.disposeData.bind(store);
  store.disposeData = (dataId: object, force?: boolean): boolean => {
    const done = dispose(dataId, force);
    const e = transformed.get(dataId);
    if (e && !store.dataIdMap.has(dataId)) {
      transformed.delete(dataId);
      freeAll(store, e);
    }
    return done;
  };
}

/** A safety net: transforms whose filter went by another way than disposeData. */
export function sweep(store: WasmStore): void {
  for (const [id, e] of transformed) {
    if (store.dataIdMap.has(id)) continue;
    freeAll(store, e);
    transformed.delete(id);
  }
}

/** The filter's U_ξ on the heap (packed in 8-column panels for the SIMD GEMMs, else row-major), made when first asked. */
export function filterTransformFor(store: WasmStore, filter: tf.TensorInfo, packed: boolean): tf.TensorInfo[] {
  freeWithFilters(store);
  let e = transformed.get(filter.dataId);
  if (!e) transformed.set(filter.dataId, (e = {}));
  const held = packed ? e.packed : e.plain;
  if (held) return held;
  const [, , cin, cout] = filter.shape;
  const us = Array.from({ length: 16 }, () => store.makeOutput([cin, cout], 'float32'));
  // In wasm SIMD, in place, straight into the GEMMs' layout (winograd-filter-transform-simd.ts: the same bits as below).
  const heapAddr = (info: tf.TensorInfo) => store.typedArrayFromHeap(info).byteOffset; // after the allocations
  if (!transformFilterInto(heapAddr(filter), cin, cout, us.map(heapAddr), packed)) {
    const host = transformFilter(store.typedArrayFromHeap(filter).slice(), cin, cout);
    host.forEach((u, k) => {
      const heap = store.typedArrayFromHeap(us[k]); // after the allocations: a grown heap detaches older views
      if (packed) packB(u, cin, cout, heap);
      else heap.set(u);
    });
  }
  if (packed) e.packed = us;
  else e.plain = us;
  return us;
}

/** Filters whose transform is held now (tests: they must go with their filters). */
export function heldWinogradFilters(): number {
  return transformed.size;
}
