import type { AdamConfig, AdamFactors } from './flat-adam.js';
import { adamIntoFast } from './adam-simd.js';
import { canReduceAdamInPlace, reduceAdamInPlace, type WebAssemblyMemory } from './adam-shared.js';
import { arenaTransposer } from './filter-transpose-simd.js';

/**
 * The optimizer half of a data-parallel step, run by the gradient workers themselves (reduce-scatter): once every
 * shard's gradient is in its slot of the shared buffer (a barrier), each worker sums the slots of ITS contiguous
 * slice of the parameters in the fixed shard order, divides by the batch size and applies Adam to that slice of
 * the shared weights and moments. The coordinating thread only hands out shards, so the reduction and Adam,
 * which used to run there while every worker waited, are split N ways and off the critical path.
 * Exact: the sum order per element is the shard order whoever computes it, and Adam is elementwise.
 * On wasm each worker also writes the transposes of the large filters in its slice (the forward kernel streams them):
 * in place, in segments of whole filter rows, each transposed in SIMD tiles (filter-transpose-simd.ts) right after
 * its Adam update while the rows are in cache — about 19 ms per worker per paper@64 step for reduce, Adam and
 * transposes together, where Adam alone and then JavaScript transposes took about 40 (bench/reduce-adam-phase.ts).
 */

/** sync[ARRIVED]: workers past their gradients this step; sync[FAILED]: 1 when one of them failed. */
const ARRIVED = 0;
const FAILED = 1;
export const SYNC_INTS = 2;

/** Clears the barrier for the next step (the coordinator, while no worker is inside a step). */
export function resetBarrier(sync: Int32Array): void {
  Atomics.store(sync, ARRIVED, 0);
  Atomics.store(sync, FAILED, 0);
}

/**
 * Marks this worker's gradients as written (or failed), then blocks until all `parties` workers of the step
 * have done the same (Atomics.wait: no polling). Returns false when any of them failed: then nobody applies the
 * step, so the weights stay those of the previous step. A worker blocked here when training is cancelled is
 * ended by Worker.terminate(), which interrupts Atomics.wait.
 */
export function arriveAndWait(sync: Int32Array, parties: number, failed: boolean): boolean {
  if (failed) Atomics.store(sync, FAILED, 1);
  Atomics.add(sync, ARRIVED, 1);
  // Every arrival wakes the waiters (they re-check the count and wait again): parties are few, and a watcher of
  // the count (a test) sees each arrival without polling.
  Atomics.notify(sync, ARRIVED);
  for (;;) {
    const n = Atomics.load(sync, ARRIVED);
    if (n >= parties) break;
    Atomics.wait(sync, ARRIVED, n);
  }
  return Atomics.load(sync, FAILED) === 0;
}

/** [from, to) of part `k` of `parts` contiguous, even slices of `total` parameters. */
export function sliceBounds(total: number, parts: number, k: number): [number, number] {
  return [Math.floor((k * total) / parts), Math.floor(((k + 1) * total) / parts)];
}

/**
 * Mean-loss gradient over [from, to) from the per-shard summed-loss slots: slot shards[0], then + each next slot
 * in the order given (float32 after every add), then × 1/count. Written to out[0 … to − from).
 * In ONE pass per element (the sum kept in a local, rounded to float32 after each add, exactly as the stored
 * float32 of the three-pass copy/add/scale it replaces): a third of the memory passes, ~30 ms of a paper@64 step
 * per worker. The 2-shard loop (2 workers) is written out: it is the common case.
 */
export function reduceShards<T extends Float32Array>(grads: Float32Array, shards: readonly number[], total: number, count: number, out: T, from = 0, to = total): T {
  const len = to - from;
  const inv = 1 / count;
  const b0 = shards[0] * total + from;
  if (shards.length === 1) {
    for (let i = 0; i < len; i++) out[i] = grads[b0 + i] * inv;
  } else if (shards.length === 2) {
    const b1 = shards[1] * total + from;
    for (let i = 0; i < len; i++) out[i] = Math.fround(grads[b0 + i] + grads[b1 + i]) * inv;
  } else {
    const bases = shards.map((s) => s * total + from);
    for (let i = 0; i < len; i++) {
      let s = grads[b0 + i];
      for (let k = 1; k < bases.length; k++) s = Math.fround(s + grads[bases[k] + i]);
      out[i] = s * inv;
    }
  }
  return out;
}

/** Chunk of the fused reduce + Adam: its reduced gradient stays in cache for Adam. */
const CHUNK = 16384;

/**
 * A large filter whose transpose is kept in shared memory next to the weights (kernels/conv2d-forward-gemm.ts), tap
 * by tap: W (k = taps·Cin rows, n = Cout columns) holds one [Cin, n] block per tap, and Wᵀ the transposed blocks
 * [taps][n][Cin] (each tap's product reads one contiguous block). Written by the workers with their slices, read by
 * every replica.
 */
export interface TransposedFilter {
  /** Index of the variable in the layout. */
  index: number;
  /** Float offset of the filter in the weights, and of its transpose in the transposes' buffer. */
  offset: number;
  tOffset: number;
  k: number;
  n: number;
  /** Taps (fh·fw) the k rows split into; absent: 1 (one plain transpose [n, k]). */
  taps?: number;
}

export interface SliceState {
  weights: Float32Array;
  m: Float32Array;
  v: Float32Array;
  grads: Float32Array;
  total: number;
  /** Large filters whose transposes follow the weights (empty off wasm), and the buffer holding them (in the arena: by SIMD). */
  transposed: readonly TransposedFilter[];
  filtersT: Float32Array;
  /** The shared WebAssembly.Memory that weights, m, v and grads are views of (adam-shared.ts: in place); absent: copies. */
  arena?: WebAssemblyMemory;
}

/** Moves rows [r0, r0 + rows) × columns [0, cols) of the block at `offset` to Wᵀ at `tOffset` (rows, cols multiples of 4). */
export type BlockTransposer = (offset: number, tOffset: number, k: number, n: number, r0: number, rows: number, cols: number) => void;

/**
 * Writes Wᵀ entries for the weights [a, b) of every transposed filter they touch, tap block by tap block (each a
 * plain [Cin, n] → [n, Cin] transpose). The full rows of a block in the range go by `simd` (filter-transpose-simd.ts:
 * 4 × 4 tiles in the shared arena) where given, in groups of 4 from a row ≡ 0 mod 4, else in 64 × 64 tiles in
 * JavaScript, column by column inside a tile, so that each write run is contiguous in Wᵀ (its rows are W's columns):
 * in W's order every write would land Cin floats from the last, a cache miss each (~17 M of them per paper-model
 * step). Partial rows at the ends, and what the 4-groups leave, go in JavaScript. Called once per slice, after its
 * Adam update (whole slices give the tiles many rows).
 */
export function transposeRange(weights: Float32Array, transposed: readonly TransposedFilter[], filtersT: Float32Array, a: number, b: number, simd: BlockTransposer | null = null): void {
  for (const f of transposed) {
    const taps = f.taps ?? 1;
    const k = f.k / taps;
    for (let tap = 0; tap < taps; tap++) transposeBlock(weights, f.offset + tap * k * f.n, f.tOffset + tap * k * f.n, k, f.n, filtersT, a, b, simd);
  }
}

/** One block W[k, n] at `offset` → Wᵀ[n, k] at `tOffset`, for the weights in [a, b). */
function transposeBlock(weights: Float32Array, offset: number, tOffset: number, k: number, n: number, filtersT: Float32Array, a: number, b: number, simd: BlockTransposer | null): void {
  const lo = Math.max(a, offset);
  const hi = Math.min(b, offset + k * n);
  if (lo >= hi) return;
  const one = (i: number) => {
    const r = Math.floor((i - offset) / n);
    filtersT[tOffset + (i - offset - r * n) * k + r] = weights[i];
  };
  // Rows [r0, r1) lie whole in [lo, hi).
  const r0 = Math.ceil((lo - offset) / n);
  const r1 = Math.floor((hi - offset) / n);
  if (r1 <= r0) {
    for (let i = lo; i < hi; i++) one(i);
    return;
  }
  for (let i = lo; i < offset + r0 * n; i++) one(i);
  if (simd && n >= 4) {
    // Rows from a multiple of 4 (16-byte aligned stores into Wᵀ where k and tOffset are multiples of 4), in groups of 4.
    const s0 = Math.min(r1, (r0 + 3) & ~3);
    const rows = (r1 - s0) & ~3;
    const cols = n & ~3;
    tileRows(weights, offset, tOffset, k, n, filtersT, r0, s0, 0, n);
    if (rows > 0) simd(offset, tOffset, k, n, s0, rows, cols);
    tileRows(weights, offset, tOffset, k, n, filtersT, s0, s0 + rows, cols, n);
    tileRows(weights, offset, tOffset, k, n, filtersT, s0 + rows, r1, 0, n);
  } else {
    tileRows(weights, offset, tOffset, k, n, filtersT, r0, r1, 0, n);
  }
  for (let i = offset + r1 * n; i < hi; i++) one(i);
}

/** Rows [r0, r1) × columns [c0, c1) of a block in 64 × 64 tiles: the reads (64 rows) and the writes (64 runs of 64) stay in cache. */
function tileRows(weights: Float32Array, offset: number, tOffset: number, k: number, n: number, filtersT: Float32Array, r0: number, r1: number, c0: number, c1: number): void {
  for (let rb = r0; rb < r1; rb += 64) {
    const re = Math.min(r1, rb + 64);
    for (let cb = c0; cb < c1; cb += 64) {
      const ce = Math.min(c1, cb + 64);
      for (let c = cb; c < ce; c++) {
        const dst = tOffset + c * k;
        let r = rb;
        let src = offset + rb * n + c;
        // Four rows per turn: four independent loads in flight (~20 % faster than one at a time, measured).
        for (; r + 4 <= re; r += 4, src += 4 * n) {
          filtersT[dst + r] = weights[src];
          filtersT[dst + r + 1] = weights[src + n];
          filtersT[dst + r + 2] = weights[src + 2 * n];
          filtersT[dst + r + 3] = weights[src + 3 * n];
        }
        for (; r < re; r++, src += n) filtersT[dst + r] = weights[src];
      }
    }
  }
}

/**
 * Reduce + Adam (+ the transposes of the updated large filters) over [from, to); `scratch` holds at least CHUNK floats.
 * In place in the arena (adam-shared.ts; any worker count and batch): in segments of whole filter rows (segmentCuts), each
 * transposed right after its Adam update, while its rows are still in cache — the transpose then reads W from L2, not
 * from memory. Elsewhere: the copying path over the slice, then its transposes.
 */
export function reduceAdamSlice(s: SliceState, shards: readonly number[], count: number, adam: AdamConfig, k: AdamFactors, from: number, to: number, scratch: Float32Array): void {
  const arena = s.arena;
  if (canReduceAdamInPlace(arena, shards, count) && [s.weights, s.m, s.v, s.grads].every((a) => a.buffer === arena.buffer)) {
    const simd = s.transposed.length ? arenaTransposer(arena, s.weights, s.filtersT) : null;
    let a = from;
    for (const b of segmentCuts(s.transposed, from, to)) {
      // Bit for bit the same whichever path; the last < 4 floats of a segment by the copying path (a 4-lane store
      // past b would write the next segment's floats before their own update read them).
      const done = reduceAdamInPlace(arena, adam, k, s.weights, s.m, s.v, s.grads, s.total, shards, count, a, b);
      reduceAdamCopying(s, shards, count, adam, k, done, b, scratch);
      if (s.transposed.length) transposeRange(s.weights, s.transposed, s.filtersT, a, b, simd);
      a = b;
    }
    return;
  }
  reduceAdamCopying(s, shards, count, adam, k, from, to, scratch);
  if (s.transposed.length) transposeRange(s.weights, s.transposed, s.filtersT, from, to, arenaTransposer(arena, s.weights, s.filtersT));
}

/** Floats of a fused segment: with w, m, v and two gradient slots streaming through, the segment's W stays in L2. */
const SEGMENT = 65536;

/**
 * The ends of the fused segments of [from, to), in order, the last = to: inside a large filter every whole number of
 * rows nearest SEGMENT floats (cuts on row boundaries, so each segment's transposes are whole rows), between filters
 * one segment per gap.
 */
export function segmentCuts(transposed: readonly TransposedFilter[], from: number, to: number): number[] {
  const cuts: number[] = [];
  for (const f of [...transposed].sort((x, y) => x.offset - y.offset)) {
    const step = Math.max(1, Math.round(SEGMENT / f.n)) * f.n;
    const end = f.offset + f.k * f.n;
    for (let c = f.offset; ; c += step) {
      const cut = Math.min(c, end);
      if (cut > from && cut < to) cuts.push(cut);
      if (cut === end) break;
    }
  }
  cuts.push(to);
  return cuts;
}

/** reduceShards + Adam over [a, b) through the scratch chunk (adam-simd.ts: bit for bit flat-adam's update). */
function reduceAdamCopying(s: SliceState, shards: readonly number[], count: number, adam: AdamConfig, k: AdamFactors, from: number, to: number, scratch: Float32Array): void {
  const arrays = { w: s.weights, m: s.m, v: s.v };
  for (let a = from; a < to; a += CHUNK) {
    const b = Math.min(to, a + CHUNK);
    reduceShards(s.grads, shards, s.total, count, scratch.subarray(0, b - a), a, b);
    adamIntoFast(adam, k, arrays, scratch, a, arrays, a, b);
  }
}

export function sliceScratch(): Float32Array {
  return new Float32Array(CHUNK);
}
