import type * as tf from '@tensorflow/tfjs';
import type { ConvGeometry } from './conv-geometry.js';
import { exactGemm } from './gemm-fma-simd.js';
import type { WasmStore } from './winograd-filters.js';

/**
 * dW of a 3×3 / stride-1 convolution by Winograd F(3×3, 2×2), training only (issue 14: dW was the largest part of a
 * paper-model train step on wasm, ≈ 400 of 645 ms/img at 224 px).
 *
 * The forward F(2×2, 3×3) is y = Aᵀ[(G g Gᵀ) ⊙ (Bᵀ d B)]A; as a bilinear form in g and d, its transpose in g gives the
 * weight gradient of one 2×2 output tile e (dy) over its 4×4 input window d:
 *   dW_tile = Gᵀ [ (A e Aᵀ) ⊙ (Bᵀ d B) ] G      (4×4 products, 3×3 result)
 * with the forward's own matrices: Bᵀ = [1 0 −1 0; 0 1 1 0; 0 −1 1 0; 0 1 0 −1], Aᵀ = [1 1 1 0; 0 1 −1 −1],
 * G = [1 0 0; ½ ½ ½; ½ −½ ½; 0 0 1]. Summed over tiles and images, the 16 products are GEMMs over channels:
 *   M_ξ [Cin × Cout] = Σ_chunks V_ξᵀ [Cin × K] · E_ξ [K × Cout],   dW = Gᵀ M G per (Cin, Cout)
 * 16 multiplies per tile and channel pair instead of 36 (2.25× fewer). The GEMMs are exactGemm (a separate IEEE
 * multiply and add: the same bits on every CPU, never FMA): V_ξᵀ is written transposed (one row per input channel,
 * K tiles long), E_ξ straight into exactGemm's 8-column panels. The chunks' products add up in a Float64 accumulator,
 * chunk after chunk in a fixed order (images, then tile rows, then tiles): the same bits for a given batch; a
 * data-parallel shard's dW is NOT independent of how the batch was cut (its chunks differ) — the reduce over shards
 * is the trainer's, in a fixed order. K is the same for every chunk of a layer (the last chunk padded with zero
 * tiles), so one GEMM module serves the layer. Odd sides: the last tile row / column's dy is zero beyond the output,
 * and its input window reads zeros beyond the padded input.
 * The transforms run in JavaScript (prototype; the forward's are wasm SIMD, winograd-transforms-simd.ts).
 */

/** Bytes of V_ξ and E_ξ (all 16) per chunk of tiles: long GEMMs, still in cache. */
const CHUNK_BYTES = 8 << 20;

/** Tiles per chunk for these channel counts (a multiple of 4; the whole batch if it is smaller). */
export function chunkTiles(tiles: number, cin: number, cout: number): number {
  const most = Math.max(4, Math.floor(CHUNK_BYTES / (16 * 4 * (cin + cout)) / 4) * 4);
  return Math.min(most, 4 * Math.ceil(tiles / 4));
}

const addr = (store: WasmStore, info: tf.TensorInfo) => store.typedArrayFromHeap(info).byteOffset;

let runs = 0;
let enabled = true;

/** Turns this route off and on (the bench's before/after, the tests' stock reference); useWinograd(false) also turns it off. */
export function useWinogradFilterGrad(on: boolean): void {
  enabled = on;
}

/** Whether the route is on (winogradApplies and a training run are the caller's checks). */
export function winogradFilterGradOn(): boolean {
  return enabled;
}

/** dW computations this route has made since the process started (tests and the bench: was the route taken). */
export function winogradFilterGradRuns(): number {
  return runs;
}

/**
 * dW [3, 3, Cin, Cout] of the convolution of x [B, H, W, Cin] whose output gradient is dy [B, outH, outW, Cout], as a
 * heap tensor; null where the exact GEMM cannot run (Cout not a multiple of 8, no wasm SIMD). The caller checked the
 * geometry (3×3, stride 1, no dilation, Cin a multiple of 4).
 */
export function filterGradWinograd(store: WasmStore, x: tf.TensorInfo, dy: tf.TensorInfo, g: ConvGeometry): tf.TensorInfo | null {
  const { batch, inH, inW, inC, outH, outW, outC, top, left } = g;
  const ty = Math.ceil(outH / 2);
  const tx = Math.ceil(outW / 2);
  const tiles = batch * ty * tx;
  const k = chunkTiles(tiles, inC, outC);
  const gemm = exactGemm(k, outC);
  if (!gemm || inC % 4 !== 0) return null;
  runs++;
  const vs = Array.from({ length: 16 }, () => store.makeOutput([inC, k], 'float32'));
  const es = Array.from({ length: 16 }, () => store.makeOutput([k, outC], 'float32'));
  const ms = Array.from({ length: 16 }, () => store.makeOutput([inC, outC], 'float32'));
  const out = store.makeOutput([3, 3, inC, outC], 'float32');
  // Views after the last allocation: a grown heap detaches older ones.
  const xs = store.typedArrayFromHeap(x);
  const ds = store.typedArrayFromHeap(dy);
  const V = vs.map((v) => store.typedArrayFromHeap(v));
  const E = es.map((e) => store.typedArrayFromHeap(e));
  const M = ms.map((m) => store.typedArrayFromHeap(m));
  const vAddr = vs.map((v) => addr(store, v));
  const eAddr = es.map((e) => addr(store, e));
  const mAddr = ms.map((m) => addr(store, m));
  const acc = Array.from({ length: 16 }, () => new Float64Array(inC * outC));
  // The 4×4 window (one channel) and the 2×2 dy tile (one channel), reused.
  const d = new Float64Array(16);
  const pixel = (b: number, py: number, px: number) => {
    // Padded-input coordinates → x's flat offset of channel 0, or -1 outside the image (zeros).
    const y = py - top;
    const xx = px - left;
    return y < 0 || y >= inH || xx < 0 || xx >= inW ? -1 : ((b * inH + y) * inW + xx) * inC;
  };
  const offs = new Int32Array(16);
  for (let t0 = 0; t0 < tiles; t0 += k) {
    const t1 = Math.min(tiles, t0 + k);
    if (t1 - t0 < k) {
      // The last chunk: zero tiles after its end (V_ξᵀ's columns, E_ξ's rows) add nothing.
      for (const v of V) v.fill(0);
      for (const e of E) e.fill(0);
    }
    for (let t = t0; t < t1; t++) {
      const col = t - t0;
      const b = Math.floor(t / (ty * tx));
      const r = t - b * ty * tx;
      const ry = Math.floor(r / tx);
      const rx = r - ry * tx;
      // V_ξ = Bᵀ d B, one input channel at a time, written to row ci of V_ξᵀ.
      for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) offs[4 * i + j] = pixel(b, 2 * ry + i, 2 * rx + j);
      for (let ci = 0; ci < inC; ci++) {
        for (let q = 0; q < 16; q++) d[q] = offs[q] < 0 ? 0 : xs[offs[q] + ci];
        // Bᵀ d: rows (d0 − d2, d1 + d2, d2 − d1, d1 − d3), column by column
        for (let j = 0; j < 4; j++) {
          const a0 = d[j];
          const a1 = d[4 + j];
          const a2 = d[8 + j];
          const a3 = d[12 + j];
          d[j] = a0 - a2;
          d[4 + j] = a1 + a2;
          d[8 + j] = a2 - a1;
          d[12 + j] = a1 - a3;
        }
        const o = ci * k + col;
        for (let i = 0; i < 4; i++) {
          const c0 = d[4 * i];
          const c1 = d[4 * i + 1];
          const c2 = d[4 * i + 2];
          const c3 = d[4 * i + 3];
          V[4 * i][o] = c0 - c2;
          V[4 * i + 1][o] = c1 + c2;
          V[4 * i + 2][o] = c2 - c1;
          V[4 * i + 3][o] = c1 - c3;
        }
      }
      // E_ξ = A e Aᵀ (A e = (e0, e0 + e1, e0 − e1, −e1) per column), into 8-column panels: [co/8][K][8].
      const y0 = 2 * ry;
      const x0 = 2 * rx;
      const has01 = x0 + 1 < outW;
      const has10 = y0 + 1 < outH;
      const p00 = ((b * outH + y0) * outW + x0) * outC;
      const p01 = p00 + outC;
      const p10 = p00 + outW * outC;
      const p11 = p10 + outC;
      for (let co = 0; co < outC; co++) {
        const e00 = ds[p00 + co];
        const e01 = has01 ? ds[p01 + co] : 0;
        const e10 = has10 ? ds[p10 + co] : 0;
        const e11 = has01 && has10 ? ds[p11 + co] : 0;
        // rows: A e  (4 × 2)
        const r00 = e00, r01 = e01;
        const r10 = e00 + e10, r11 = e01 + e11;
        const r20 = e00 - e10, r21 = e01 - e11;
        const r30 = -e10, r31 = -e11;
        const o = ((co >> 3) * k + col) * 8 + (co & 7);
        E[0][o] = r00; E[1][o] = r00 + r01; E[2][o] = r00 - r01; E[3][o] = -r01;
        E[4][o] = r10; E[5][o] = r10 + r11; E[6][o] = r10 - r11; E[7][o] = -r11;
        E[8][o] = r20; E[9][o] = r20 + r21; E[10][o] = r20 - r21; E[11][o] = -r21;
        E[12][o] = r30; E[13][o] = r30 + r31; E[14][o] = r30 - r31; E[15][o] = -r31;
      }
    }
    for (let q = 0; q < 16; q++) {
      gemm(vAddr[q], eAddr[q], mAddr[q], inC / 4, outC / 8);
      const m = M[q];
      const a = acc[q];
      for (let p = 0; p < m.length; p++) a[p] += m[p];
    }
  }
  // dW = Gᵀ M G per (ci, co): Gᵀ rows (1, ½, ½, 0), (0, ½, −½, 0), (0, ½, ½, 1); in doubles, rounded once.
  const w = store.typedArrayFromHeap(out);
  const n = inC * outC;
  const s = new Float64Array(12);
  for (let e = 0; e < n; e++) {
    for (let j = 0; j < 4; j++) {
      const m0 = acc[j][e];
      const m1 = acc[4 + j][e];
      const m2 = acc[8 + j][e];
      const m3 = acc[12 + j][e];
      s[j] = m0 + (m1 + m2) / 2;
      s[4 + j] = (m1 - m2) / 2;
      s[8 + j] = (m1 + m2) / 2 + m3;
    }
    for (let i = 0; i < 3; i++) {
      const c0 = s[4 * i];
      const c1 = s[4 * i + 1];
      const c2 = s[4 * i + 2];
      const c3 = s[4 * i + 3];
      w[(3 * i) * n + e] = c0 + (c1 + c2) / 2;
      w[(3 * i + 1) * n + e] = (c1 - c2) / 2;
      w[(3 * i + 2) * n + e] = (c1 + c2) / 2 + c3;
    }
  }
  for (const info of [...vs, ...es, ...ms]) store.disposeData(info.dataId, true);
  return out;
}
