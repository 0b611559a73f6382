import type * as tf from '@tensorflow/tfjs';
import type { ConvGeometry } from './conv-geometry.js';
import { inputRowTransform } from './winograd-transforms-simd.js';
import { winogradApplies } from './conv2d-winograd.js';
import type { WasmStore } from './winograd-filters.js';
import { dwERow, dwGemm, dwMisc } from './winograd-filter-grad-simd.js';
import { dw4ERow, dw4Input, dw4Output } from './winograd-filter-grad-f4-simd.js';

/**
 * dW of a 3×3 / stride-1 convolution by Winograd F(3×3, 2×2) or F(3×3, 4×4), training only (issue 14: dW was the
 * largest part of a paper-model train step on wasm, ≈ 400 of 645 ms/img at 224 px).
 * This file holds the route's rule and its frame (blocking, chunks, sums), one for both tile sizes; the transforms are
 * winograd-filter-grad-simd.ts (2×2, and the shared product, sums and copy) and winograd-filter-grad-f4-simd.ts (4×4).
 *
 * The forward F(2×2, 3×3) is y = Aᵀ[(G g Gᵀ) ⊙ (Bᵀ d B)]A; as a bilinear form in g and d, its transpose in g gives the
 * weight gradient of one 2×2 output tile e (dy) over its 4×4 input window d:
 *   dW_tile = Gᵀ [ (A e Aᵀ) ⊙ (Bᵀ d B) ] G      (4×4 products, 3×3 result)
 * with the forward's own matrices: Bᵀ = [1 0 −1 0; 0 1 1 0; 0 −1 1 0; 0 1 0 −1], Aᵀ = [1 1 1 0; 0 1 −1 −1],
 * G = [1 0 0; ½ ½ ½; ½ −½ ½; 0 0 1]. Summed over tiles and images, the 16 products are GEMMs over channels:
 *   M_ξ [Cin × Cout] = Σ_chunks V_ξᵀ [Cin × K] · E_ξ [K × Cout],   dW = Gᵀ M G per (Cin, Cout)
 * 16 multiplies per tile and channel pair instead of 36 (2.25× fewer). Every step runs in wasm SIMD in tfjs's heap
 * (winograd-filter-grad-simd.ts): x copied into 8-channel blocks ([Cin/8][B][rows][cols][8], zero-padded), so that the
 * forward's SIMD input transform for 8 channels (winograd-transforms-simd.ts) writes V_ξ in panels of 8 channels
 * ([Cin/8][K][8]); the dy transform writes E_ξ likewise ([Cout/8][K][8]); the exact product (a separate IEEE multiply
 * and add: the same bits on every CPU, never FMA) makes M_ξ = V_ξᵀ·E_ξ [Cin × Cout], the layout of one tap of dW.
 * The chunks' products add up in Float64 sums, chunk after chunk in a fixed order (images, then tile rows, then
 * tiles): the same bits for a given batch; a data-parallel shard's dW is NOT independent of how the batch was cut (its
 * chunks differ) — the reduce over shards is the trainer's, in a fixed order. With one chunk (the layers from 14×14 px
 * down at batch 8) the products are the sums and no Float64 copy is made. K is the same for every chunk of a layer
 * (the last chunk padded with zero tiles), so one GEMM module serves the layer. Odd sides: the last tile row /
 * column's dy is zero beyond the output, and its input window reads zeros beyond the padded input.
 * Needs Cin and Cout multiples of 8 (the panels).
 * F(3×3, 4×4) is the same frame with 4×4 tiles of dy, 6×6 windows and 36 products (2.25 per dy pixel instead of 4):
 * the products were ~90 % of the F(3×3, 2×2) route, so 44 % fewer of them is what it gains; its larger transform
 * constants cost precision (~4× the rounding error of 2×2 tiles: 3e-6 … 1.2e-5 of the largest dW against the stock
 * route, against 0.5e-6 … 6e-6). It is taken from 4 tiles of 4×4 per image on (largeTilesPay).
 */

/**
 * Where the route pays (thread CPU per layer, batch 8, 2-core machine under load 8–9, bench/winograd-filter-grad.ts,
 * ms/img stock / 2×2 tiles / 4×4 tiles): 224²×32→32 50 / 18 / 12.5, 28²×256→256 36 / 14 / 6.5, 14²×512→512 32 / 11 / 9,
 * on wide layers (Cin·Cout ≥ 128·128) down to 4 tiles of 2×2 per image: 7²×1024→1024 31 / 15 / 13, 7²×512→1024 16 / 8 /
 * 6; at 64 px 4²×512→512 2.1 / 1.0 / 1.9 (one 4×4 tile per image: the 36 sums' output transform outweighs the
 * products), 2×2 px 1.4 / 4.0 (one tile: the stock route). Until the dy transform, the sums and the output transform
 * ran in wasm SIMD the 7×7 px layers lost (34 → 43). Few channels (the compact preset's ≤ 64) keep the stock route
 * below 32 tiles of 2×2 per image, and with it their float path (the seeded suite's 32 px compact nets: 8×8 px of 32
 * channels). Per image and per layer, not per batch.
 */
export const MIN_TILES_PER_IMAGE = 32;
export const MIN_CHANNEL_PAIRS = 32 * 32;
export const MIN_TILES_WIDE = 4;
export const WIDE_CHANNEL_PAIRS = 128 * 128;

/** Whether dW of a layer of this geometry goes by Winograd (the caller checked winogradApplies and a training run). */
export function filterGradWinogradPays(g: ConvGeometry): boolean {
  const tiles = Math.ceil(g.outH / 2) * Math.ceil(g.outW / 2);
  const pairs = g.inC * g.outC;
  return (tiles >= MIN_TILES_PER_IMAGE && pairs >= MIN_CHANNEL_PAIRS) || (tiles >= MIN_TILES_WIDE && pairs >= WIDE_CHANNEL_PAIRS);
}

/**
 * Whether dW of this geometry takes the route (the caller checks a training run and the shapes): the forward route's
 * conditions (on, wasm, 3×3, stride 1; winogradApplies) except its floor of 16 tiles per image, which is the forward's
 * (the transformed filter's cost) — dW's floor is filterGradWinogradPays's.
 */
export function filterGradWinogradApplies(g: ConvGeometry): boolean {
  return winogradApplies({ ...g, outH: Math.max(g.outH, 8), outW: Math.max(g.outW, 8) }, [1, 1]) && filterGradWinogradPays(g);
}

let largeTiles: boolean | null = null;

/** Tests and the bench: F(3×3, 4×4) on every layer the route takes (true), never (false), or where it pays (null). */
export function useLargeTiles(on: boolean | null): void {
  largeTiles = on;
}

/** Whether F(3×3, 4×4) replaces F(3×3, 2×2) on this layer: from 4 tiles of 4×4 per image (7×7 px) on (figures above filterGradWinogradPays). */
export function largeTilesPay(g: ConvGeometry): boolean {
  if (largeTiles !== null) return largeTiles;
  return Math.ceil(g.outH / 4) * Math.ceil(g.outW / 4) >= MIN_LARGE_TILES;
}
export const MIN_LARGE_TILES = 4;

/** Bytes of V_ξ and E_ξ (all 16) per chunk of tiles: long GEMMs, still in cache. */
const CHUNK_BYTES = 8 << 20;

/** Tiles per chunk for these channel counts (a multiple of 4, at least 512: fewer chunks to add up on wide layers; the whole batch if it is smaller). */
export function chunkTiles(tiles: number, cin: number, cout: number, products = 16): number {
  const most = Math.max(512, Math.floor(CHUNK_BYTES / (products * 4 * (cin + cout)) / 4) * 4);
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
 * heap tensor; null where it cannot run here (Cin not a multiple of 8, Cout not of 8, no wasm SIMD). The caller checked
 * the geometry (3×3, stride 1, no dilation).
 */
export function filterGradWinograd(store: WasmStore, x: tf.TensorInfo, dy: tf.TensorInfo, g: ConvGeometry): tf.TensorInfo | null {
  const { batch, inH, inW, inC, outH, outW, outC, top, left } = g;
  if (inC % 8 !== 0 || outC % 8 !== 0) return null;
  const f = variant(largeTilesPay(g) ? 4 : 2, outC);
  if (!f) return null;
  const { m, input, eRow, output, outputF32 } = f;
  const a2 = (m + 2) * (m + 2); // products per tile
  const ty = Math.ceil(outH / m);
  const tx = Math.ceil(outW / m);
  const tiles = batch * ty * tx;
  const k = chunkTiles(tiles, inC, outC, a2);
  const gemm = dwGemm(k, outC);
  const misc = dwMisc();
  if (!gemm || !misc) return null;
  runs++;
  const panels = inC / 8;
  const chunks = Math.ceil(tiles / k);
  // x in 8-channel blocks, padded so that every tile's window lies inside (rows/columns m·t … m·t + m + 1).
  const hp = m * ty + 2;
  const wp = m * tx + 2;
  const blocked = store.makeOutput([panels, batch, hp, wp, 8], 'float32');
  // dy padded to sides that are multiples of m where they are not (the last tiles' missing rows / columns are zero).
  const even = m * ty === outH && m * tx === outW;
  const dyPad = even ? null : store.makeOutput([batch, m * ty, m * tx, outC], 'float32');
  const n = inC * outC;
  const vs = Array.from({ length: a2 }, () => store.makeOutput([k, inC], 'float32'));
  const es = Array.from({ length: a2 }, () => store.makeOutput([k, outC], 'float32'));
  // One chunk: the products are the sums (read as float32 by the output transform). Several: one product buffer,
  // added into the Float64 sums (2 floats of heap each) after each product.
  const ms = Array.from({ length: chunks === 1 ? a2 : 1 }, () => store.makeOutput([n], 'float32'));
  const sums = chunks === 1 ? [] : Array.from({ length: a2 }, () => store.makeOutput([2 * n], 'float32'));
  const out = store.makeOutput([3, 3, inC, outC], 'float32');
  // Views after the last allocation: a grown heap detaches older ones.
  store.typedArrayFromHeap(blocked).fill(0);
  const xbAddr = addr(store, blocked);
  const plane = batch * hp * wp * 32; // bytes of one 8-channel block of the whole batch
  {
    const xAddr = addr(store, x);
    const w = Math.min(inW, wp - left);
    for (let b = 0; b < batch; b++) {
      for (let y = 0; y < inH && y + top < hp; y++) {
        misc.block(xAddr + (b * inH + y) * inW * inC * 4, xbAddr + ((b * hp + y + top) * wp + left) * 32, w, panels, plane);
      }
    }
  }
  if (dyPad) {
    const ds = store.typedArrayFromHeap(dy);
    const dp = store.typedArrayFromHeap(dyPad);
    dp.fill(0);
    for (let b = 0; b < batch; b++) {
      for (let y = 0; y < outH; y++) {
        const src = (b * outH + y) * outW * outC;
        dp.set(ds.subarray(src, src + outW * outC), (b * m * ty + y) * m * tx * outC);
      }
    }
  }
  const dyAddr = addr(store, dyPad ?? dy);
  const V = vs.map((v) => store.typedArrayFromHeap(v));
  const E = es.map((e) => store.typedArrayFromHeap(e));
  const vAddr = vs.map((v) => addr(store, v));
  const eAddr = es.map((e) => addr(store, e));
  const mAddr = ms.map((mm) => addr(store, mm));
  const sAddr = sums.map((s) => addr(store, s));
  const rowBytes = wp * 32;
  const dyRow = m * tx * outC * 4; // bytes of a dy row
  for (let t0 = 0, chunk = 0; t0 < tiles; t0 += k, chunk++) {
    const t1 = Math.min(tiles, t0 + k);
    if (t1 - t0 < k) {
      // The last chunk: zero tiles after its end (rows of V_ξ and E_ξ in every panel) add nothing.
      for (const v of V) v.fill(0);
      for (const e of E) e.fill(0);
    }
    // V_ξ = Bᵀ d B and E_ξ = A e Aᵀ by the SIMD transforms, run by run of tiles within a tile row.
    for (let t = t0; t < t1; ) {
      const b = Math.floor(t / (ty * tx));
      const r = t - b * ty * tx;
      const ry = Math.floor(r / tx);
      const rx = r - ry * tx;
      const len = Math.min(tx - rx, t1 - t);
      for (let p = 0; p < panels; p++) {
        const src = xbAddr + (((p * batch + b) * hp + m * ry) * wp + m * rx) * 32;
        input(src, rowBytes, len, (p * k + (t - t0)) * 32, ...vAddr);
      }
      eRow(dyAddr + (b * m * ty + m * ry) * dyRow + m * rx * outC * 4, dyRow, len, (t - t0) * 32, k * 32, ...eAddr);
      t += len;
    }
    for (let q = 0; q < a2; q++) {
      if (chunks === 1) gemm(vAddr[q], eAddr[q], mAddr[q], panels, outC / 8);
      else {
        gemm(vAddr[q], eAddr[q], mAddr[0], panels, outC / 8);
        misc.accumulate(mAddr[0], sAddr[q], 4 * n, chunk === 0 ? 1 : 0);
      }
    }
  }
  // dW = Gᵀ M G per (ci, co), in doubles, rounded once; M_ξ [Cin × Cout] is laid out as one tap of dW.
  const o = addr(store, out);
  const taps = Array.from({ length: 9 }, (_, t) => o + t * n * 4);
  if (chunks === 1) outputF32(4 * n, ...mAddr, ...taps);
  else output(4 * n, ...sAddr, ...taps);
  for (const info of [blocked, ...(dyPad ? [dyPad] : []), ...vs, ...es, ...ms, ...sums]) store.disposeData(info.dataId, true);
  return out;
}

type Call = (...args: number[]) => void;
interface Variant {
  m: 2 | 4;
  input: Call;
  eRow: Call;
  output: Call;
  outputF32: Call;
}

/** The transforms of F(3×3, m×m); null where a module cannot run here. */
function variant(m: 2 | 4, outC: number): Variant | null {
  if (m === 2) {
    const input = inputRowTransform(8);
    const eRow = dwERow(outC);
    const misc = dwMisc();
    if (!input || !eRow || !misc) return null;
    return { m, input, eRow, output: misc.output, outputF32: misc.outputF32 };
  }
  const input = dw4Input();
  const eRow = dw4ERow(outC);
  const out = dw4Output();
  if (!input || !eRow || !out) return null;
  return { m, input, eRow, output: out.output, outputF32: out.outputF32 };
}
