import type * as tf from '@tensorflow/tfjs';
import type { ConvGeometry } from './conv-geometry.js';
import { exactGemm } from './gemm-fma-simd.js';
import { inputRowTransform } from './winograd-transforms-simd.js';
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
 *   M_ξᵀ [Cout × Cin] = Σ_chunks E_ξᵀ [Cout × K] · V_ξ [K × Cin],   dW = Gᵀ M G per (Cin, Cout)
 * 16 multiplies per tile and channel pair instead of 36 (2.25× fewer). The GEMMs are exactGemm (a separate IEEE
 * multiply and add: the same bits on every CPU, never FMA), whose B operand is packed in panels of 8 columns
 * ([Cin/8][K][8]): x is copied once into 8-channel blocks ([Cin/8][B][rows][cols][8], zero-padded), so that the
 * forward's SIMD input transform for 8 channels (winograd-transforms-simd.ts) writes V_ξ straight in that layout.
 * E_ξᵀ (one row per output channel, K tiles long) is made in JavaScript (dy is 4× smaller than V: 2×2 per tile).
 * The chunks' products add up in a Float64 accumulator,
 * chunk after chunk in a fixed order (images, then tile rows, then tiles): the same bits for a given batch; a
 * data-parallel shard's dW is NOT independent of how the batch was cut (its chunks differ) — the reduce over shards
 * is the trainer's, in a fixed order. K is the same for every chunk of a layer (the last chunk padded with zero
 * tiles), so one GEMM module serves the layer. Odd sides: the last tile row / column's dy is zero beyond the output,
 * and its input window reads zeros beyond the padded input.
 * Needs Cin a multiple of 8 (the panels) and Cout of 4 (the GEMM's rows, four at a time).
 */

/**
 * Where the route pays (thread CPU per layer, paper model at 224 px, batch 8, bench/winograd-filter-grad.ts): from
 * 14×14 px on it takes half the stock time (e.g. 224²×32→32 60 → 31 ms/img, 14²×512→512 32 → 17); at 7×7 px (16 tiles
 * per image) it loses (7²×1024→1024 34 → 43: each (Cin, Cout) pair's 16 sums are only 16 tiles per image long, and
 * writing, adding and transforming M costs more than the multiplies saved). Few channels (compact's ≤ 16) gain
 * nothing either, and keep their float path (the seeded suite's 32 px compact nets). Per image and per layer, not
 * per batch.
 */
export const MIN_TILES_PER_IMAGE = 32;
export const MIN_CHANNEL_PAIRS = 32 * 32;

/** Whether dW of a layer of this geometry goes by Winograd (the caller checked winogradApplies and a training run). */
export function filterGradWinogradPays(g: ConvGeometry): boolean {
  return Math.ceil(g.outH / 2) * Math.ceil(g.outW / 2) >= MIN_TILES_PER_IMAGE && g.inC * g.outC >= MIN_CHANNEL_PAIRS;
}

/** Bytes of V_ξ and E_ξ (all 16) per chunk of tiles: long GEMMs, still in cache. */
const CHUNK_BYTES = 8 << 20;

/** Tiles per chunk for these channel counts (a multiple of 4, at least 512: fewer chunks to add up on wide layers; the whole batch if it is smaller). */
export function chunkTiles(tiles: number, cin: number, cout: number): number {
  const most = Math.max(512, Math.floor(CHUNK_BYTES / (16 * 4 * (cin + cout)) / 4) * 4);
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
 * heap tensor; null where it cannot run here (Cin not a multiple of 8, Cout not of 4, no wasm SIMD). The caller checked
 * the geometry (3×3, stride 1, no dilation).
 */
export function filterGradWinograd(store: WasmStore, x: tf.TensorInfo, dy: tf.TensorInfo, g: ConvGeometry): tf.TensorInfo | null {
  const { batch, inH, inW, inC, outH, outW, outC, top, left } = g;
  if (inC % 8 !== 0 || outC % 4 !== 0) return null;
  const ty = Math.ceil(outH / 2);
  const tx = Math.ceil(outW / 2);
  const tiles = batch * ty * tx;
  const k = chunkTiles(tiles, inC, outC);
  const gemm = exactGemm(k, inC);
  const input = inputRowTransform(8);
  if (!gemm || !input) return null;
  runs++;
  const panels = inC / 8;
  // x in 8-channel blocks, padded so that every tile's 4×4 window lies inside (rows/columns 2·t … 2·t + 3).
  const hp = 2 * ty + 2;
  const wp = 2 * tx + 2;
  const blocked = store.makeOutput([panels, batch, hp, wp, 8], 'float32');
  // dy padded to even sides where a side is odd (the last tile's missing row / column is zero).
  const even = 2 * ty === outH && 2 * tx === outW;
  const dyPad = even ? null : store.makeOutput([batch, 2 * ty, 2 * tx, outC], 'float32');
  const vs = Array.from({ length: 16 }, () => store.makeOutput([k, inC], 'float32'));
  const es = Array.from({ length: 16 }, () => store.makeOutput([outC, k], 'float32'));
  const ms = Array.from({ length: 16 }, () => store.makeOutput([outC, inC], 'float32'));
  const out = store.makeOutput([3, 3, inC, outC], 'float32');
  // Views after the last allocation: a grown heap detaches older ones.
  const xs = store.typedArrayFromHeap(x);
  const xb = store.typedArrayFromHeap(blocked);
  xb.fill(0);
  {
    const plane = batch * hp * wp * 8;
    for (let b = 0; b < batch; b++) {
      for (let y = 0; y < inH; y++) {
        const py = y + top;
        if (py >= hp) break;
        for (let xx = 0; xx < inW; xx++) {
          const px = xx + left;
          if (px >= wp) break;
          let src = ((b * inH + y) * inW + xx) * inC;
          let dst = ((b * hp + py) * wp + px) * 8;
          for (let p = 0; p < panels; p++, src += 8, dst += plane) {
            xb[dst] = xs[src];
            xb[dst + 1] = xs[src + 1];
            xb[dst + 2] = xs[src + 2];
            xb[dst + 3] = xs[src + 3];
            xb[dst + 4] = xs[src + 4];
            xb[dst + 5] = xs[src + 5];
            xb[dst + 6] = xs[src + 6];
            xb[dst + 7] = xs[src + 7];
          }
        }
      }
    }
  }
  let ds = store.typedArrayFromHeap(dy);
  if (dyPad) {
    const dp = store.typedArrayFromHeap(dyPad);
    dp.fill(0);
    for (let b = 0; b < batch; b++) {
      for (let y = 0; y < outH; y++) {
        const src = (b * outH + y) * outW * outC;
        dp.set(ds.subarray(src, src + outW * outC), (b * 2 * ty + y) * 2 * tx * outC);
      }
    }
    ds = dp;
  }
  const V = vs.map((v) => store.typedArrayFromHeap(v));
  const E = es.map((e) => store.typedArrayFromHeap(e));
  // In locals: the transform's inner loop indexes them directly (an array of arrays costs a load per store).
  const [E0, E1, E2, E3, E4, E5, E6, E7, E8, E9, E10, E11, E12, E13, E14, E15] = E;
  const M = ms.map((m) => store.typedArrayFromHeap(m));
  const vAddr = vs.map((v) => addr(store, v));
  const eAddr = es.map((e) => addr(store, e));
  const mAddr = ms.map((m) => addr(store, m));
  const xbAddr = addr(store, blocked);
  // Always in doubles, even for one chunk (the first chunk is copied in): one element type in the output transform.
  const acc = Array.from({ length: 16 }, () => new Float64Array(inC * outC));
  const pix = new Int32Array(k); // dy offset (channel 0) of each tile's top-left pixel in the chunk
  const rowBytes = wp * 8 * 4;
  const dyRow = 2 * tx * outC;
  for (let t0 = 0; t0 < tiles; t0 += k) {
    const t1 = Math.min(tiles, t0 + k);
    const len = t1 - t0;
    if (len < k) {
      // The last chunk: zero tiles after its end (V_ξ's rows, E_ξᵀ's columns) add nothing.
      for (const v of V) v.fill(0);
      for (const e of E) e.fill(0);
    }
    // V_ξ = Bᵀ d B by the SIMD transform, run by run of tiles within a tile row, panel by panel.
    for (let t = t0; t < t1; ) {
      const b = Math.floor(t / (ty * tx));
      const r = t - b * ty * tx;
      const ry = Math.floor(r / tx);
      const rx = r - ry * tx;
      const n = Math.min(tx - rx, t1 - t);
      for (let p = 0; p < panels; p++) {
        const src = xbAddr + (((p * batch + b) * hp + 2 * ry) * wp + 2 * rx) * 32;
        input(src, rowBytes, n, (p * k + (t - t0)) * 32, ...vAddr);
      }
      for (let i = 0; i < n; i++) pix[t - t0 + i] = ((b * 2 * ty + 2 * ry) * 2 * tx + 2 * (rx + i)) * outC;
      t += n;
    }
    // E_ξᵀ = (A e Aᵀ)_ξ, output channel by output channel (A e = (e0, e0 + e1, e0 − e1, −e1) per column).
    for (let co = 0; co < outC; co++) {
      const row = co * k;
      for (let col = 0; col < len; col++) {
        const p00 = pix[col] + co;
        const e00 = ds[p00];
        const e01 = ds[p00 + outC];
        const e10 = ds[p00 + dyRow];
        const e11 = ds[p00 + dyRow + outC];
        const r10 = e00 + e10;
        const r11 = e01 + e11;
        const r20 = e00 - e10;
        const r21 = e01 - e11;
        const o = row + col;
        E0[o] = e00; E1[o] = e00 + e01; E2[o] = e00 - e01; E3[o] = -e01;
        E4[o] = r10; E5[o] = r10 + r11; E6[o] = r10 - r11; E7[o] = -r11;
        E8[o] = r20; E9[o] = r20 + r21; E10[o] = r20 - r21; E11[o] = -r21;
        E12[o] = -e10; E13[o] = -e10 - e11; E14[o] = e11 - e10; E15[o] = e11;
      }
    }
    for (let q = 0; q < 16; q++) {
      gemm(eAddr[q], vAddr[q], mAddr[q], outC / 4, panels);
      const m = M[q];
      const a = acc[q];
      if (t0 === 0) a.set(m);
      else for (let e = 0; e < m.length; e++) a[e] += m[e];
    }
  }
  // dW = Gᵀ M G per (ci, co): Gᵀ rows (1, ½, ½, 0), (0, ½, −½, 0), (0, ½, ½, 1); in doubles, rounded once.
  // M_ξ is [Cout × Cin]: element co·Cin + ci goes to dW's ci·Cout + co (dW written in order, M read across).
  const [s0, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10, s11, s12, s13, s14, s15] = acc;
  const w = store.typedArrayFromHeap(out);
  const n = inC * outC;
  // In 16 × 16 blocks of (co, ci): M is read across its rows and dW across its own, both within cache lines held in L1
  // (row by row, a 1024-channel layer's M would be read at 4 KiB strides).
  for (let co0 = 0; co0 < outC; co0 += 16) {
    const co1 = Math.min(outC, co0 + 16);
    for (let ci0 = 0; ci0 < inC; ci0 += 16) {
      const ci1 = Math.min(inC, ci0 + 16);
      for (let co = co0; co < co1; co++) {
        for (let ci = ci0; ci < ci1; ci++) {
          const e = co * inC + ci;
          const to = ci * outC + co;
          // Gᵀ M: column j of the 3 × 4 product
          const a0 = s0[e] + (s4[e] + s8[e]) / 2, b0 = (s4[e] - s8[e]) / 2, c0 = (s4[e] + s8[e]) / 2 + s12[e];
          const a1 = s1[e] + (s5[e] + s9[e]) / 2, b1 = (s5[e] - s9[e]) / 2, c1 = (s5[e] + s9[e]) / 2 + s13[e];
          const a2 = s2[e] + (s6[e] + s10[e]) / 2, b2 = (s6[e] - s10[e]) / 2, c2 = (s6[e] + s10[e]) / 2 + s14[e];
          const a3 = s3[e] + (s7[e] + s11[e]) / 2, b3 = (s7[e] - s11[e]) / 2, c3 = (s7[e] + s11[e]) / 2 + s15[e];
          // (Gᵀ M) G, row by row
          w[to] = a0 + (a1 + a2) / 2;
          w[n + to] = (a1 - a2) / 2;
          w[2 * n + to] = (a1 + a2) / 2 + a3;
          w[3 * n + to] = b0 + (b1 + b2) / 2;
          w[4 * n + to] = (b1 - b2) / 2;
          w[5 * n + to] = (b1 + b2) / 2 + b3;
          w[6 * n + to] = c0 + (c1 + c2) / 2;
          w[7 * n + to] = (c1 - c2) / 2;
          w[8 * n + to] = (c1 + c2) / 2 + c3;
        }
      }
    }
  }
  for (const info of [blocked, ...(dyPad ? [dyPad] : []), ...vs, ...es, ...ms]) store.disposeData(info.dataId, true);
  return out;
}
