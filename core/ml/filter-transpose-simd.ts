import { I, instantiate, moduleBytes } from './kernels/wasm-simd.js';
import type { WebAssemblyMemory } from './adam-shared.js';

/**
 * The large filters' transposes of data-parallel training (reduce-scatter.ts: after each worker's Adam on its slice,
 * W[Cin, Cout] → Wᵀ[Cout, Cin] per tap block) in WebAssembly SIMD, in the shared arena that holds both the weights and
 * the transposes (data-parallel.ts). Why: in JavaScript each float is its own load and store, at a stride of Cin floats
 * on one side — about 40 ms per worker per paper@64 step, most of what was left of the reduce + Adam phase. Here a
 * 4 × 4 tile is four v128 loads (four rows), eight lane shuffles and four v128 stores (four columns).
 * Bit for bit the JavaScript transpose: loads, shuffles and stores move each float's 32 bits unchanged (NaN payloads
 * included); no arithmetic touches them.
 */

// Params: src 0, dst 1 (byte addresses of the tile's first row / first column), rows 2, cols 3 (multiples of 4),
// srb 4 (bytes from one source row to the next = n·4), drb 5 (bytes from one Wᵀ row to the next = Cin·4).
// i32 locals: r 6, c 7, s 8, d 9, srb2 10, srb3 11, drb2 12, drb3 13, dstep 14. v128: a 15, b 16, c 17, d 18, t0…t3 19…22.
function bytes(pages: number): Uint8Array {
  const [SRC, DST, ROWS, COLS, SRB, DRB, R, C, S, D, SRB2, SRB3, DRB2, DRB3, DSTEP] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14];
  const [VA, VB, VC, VD, T0, T1, T2, T3] = [15, 16, 17, 18, 19, 20, 21, 22];
  const { get, set, load, store, shuffle32 } = I;
  const times = (l: number, k: number, into: number) => [...get(l), ...I.i32(k), ...I.i32mul, ...set(into)];
  const plus = (a: number, b: number) => [...get(a), ...get(b), ...I.i32add];
  const bump = (l: number, by: number[]) => [...get(l), ...by, ...I.i32add, ...set(l)];
  const body = [
    ...times(SRB, 2, SRB2), ...times(SRB, 3, SRB3), ...times(DRB, 2, DRB2), ...times(DRB, 3, DRB3), ...times(DRB, 4, DSTEP),
    ...I.loopWhile([...get(R), ...get(ROWS), ...I.i32ltu], [
      // s = src + r·srb; d = dst + r·4; c = 0
      ...get(SRC), ...get(R), ...get(SRB), ...I.i32mul, ...I.i32add, ...set(S),
      ...get(DST), ...get(R), ...I.i32(4), ...I.i32mul, ...I.i32add, ...set(D),
      ...I.i32(0), ...set(C),
      ...I.loopWhile([...get(C), ...get(COLS), ...I.i32ltu], [
        ...get(S), ...load(), ...set(VA),
        ...plus(S, SRB), ...load(), ...set(VB),
        ...plus(S, SRB2), ...load(), ...set(VC),
        ...plus(S, SRB3), ...load(), ...set(VD),
        // [a0 b0 a1 b1], [a2 b2 a3 b3], [c0 d0 c1 d1], [c2 d2 c3 d3]
        ...get(VA), ...get(VB), ...shuffle32([0, 4, 1, 5]), ...set(T0),
        ...get(VA), ...get(VB), ...shuffle32([2, 6, 3, 7]), ...set(T1),
        ...get(VC), ...get(VD), ...shuffle32([0, 4, 1, 5]), ...set(T2),
        ...get(VC), ...get(VD), ...shuffle32([2, 6, 3, 7]), ...set(T3),
        // column j = [aj bj cj dj] → Wᵀ row c + j
        ...get(D), ...get(T0), ...get(T2), ...shuffle32([0, 1, 4, 5]), ...store(),
        ...plus(D, DRB), ...get(T0), ...get(T2), ...shuffle32([2, 3, 6, 7]), ...store(),
        ...plus(D, DRB2), ...get(T1), ...get(T3), ...shuffle32([0, 1, 4, 5]), ...store(),
        ...plus(D, DRB3), ...get(T1), ...get(T3), ...shuffle32([2, 3, 6, 7]), ...store(),
        ...bump(S, I.i32(16)), ...bump(D, get(DSTEP)), ...bump(C, I.i32(4)),
      ]),
      ...bump(R, I.i32(4)),
    ]),
  ];
  return moduleBytes([{ name: 'transpose4', params: ['i32', 'i32', 'i32', 'i32', 'i32', 'i32'], i32Locals: 9, v128Locals: 8, body }], undefined, pages);
}

type Transpose4 = (src: number, dst: number, rows: number, cols: number, srb: number, drb: number) => void;
const modules = new WeakMap<object, Transpose4 | null>();

/** This thread's module on `arena` (compiled once per arena), or null where it cannot run. */
function moduleOn(arena: WebAssemblyMemory): Transpose4 | null {
  if (!modules.has(arena)) {
    let fn: Transpose4 | null = null;
    try {
      const ex = instantiate(bytes(arena.buffer.byteLength / 65536), arena);
      fn = ex ? (ex.transpose4 as Transpose4) : null;
    } catch {
      fn = null;
    }
    modules.set(arena, fn);
  }
  return modules.get(arena)!;
}

/**
 * Rows × columns of a tile per call: whole 64-byte lines of Wᵀ per column; few columns, because Wᵀ rows (and W rows)
 * lie Cin·4 (n·4) bytes apart, often a multiple of 4 KiB, so many of them fall in one cache set (measured on the
 * paper model: 16 × 256 took 16 ms per slice, 64 × 32 about 9; bench/reduce-adam-phase.ts).
 */
const TILE_ROWS = 64;
const TILE_COLS = 32;

/**
 * A transposer of blocks of `weights` into `filtersT` when both are views of `arena` and the module runs there, else
 * null (the caller transposes in JavaScript). The function moves rows [r0, r0 + rows) × columns [0, cols) of the
 * block W[·, n] starting at weights[offset] to Wᵀ[·, k] at filtersT[tOffset] (rows and cols multiples of 4).
 */
export function arenaTransposer(arena: WebAssemblyMemory | undefined, weights: Float32Array, filtersT: Float32Array): ((offset: number, tOffset: number, k: number, n: number, r0: number, rows: number, cols: number) => void) | null {
  if (!arena || weights.buffer !== arena.buffer || filtersT.buffer !== arena.buffer) return null;
  const fn = moduleOn(arena);
  if (!fn) return null;
  const wBase = weights.byteOffset;
  const tBase = filtersT.byteOffset;
  return (offset, tOffset, k, n, r0, rows, cols) => {
    for (let rb = 0; rb < rows; rb += TILE_ROWS) {
      const rn = Math.min(TILE_ROWS, rows - rb);
      const r = r0 + rb;
      for (let cb = 0; cb < cols; cb += TILE_COLS) {
        const cn = Math.min(TILE_COLS, cols - cb);
        fn(wBase + 4 * (offset + r * n + cb), tBase + 4 * (tOffset + cb * k + r), rn, cn, 4 * n, 4 * k);
      }
    }
  };
}
