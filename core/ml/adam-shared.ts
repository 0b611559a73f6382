import type { AdamConfig, AdamFactors } from './flat-adam.js';
import { I, instantiate, moduleBytes } from './kernels/wasm-simd.js';

/**
 * The data-parallel step's reduce + Adam IN PLACE in shared memory, in WebAssembly SIMD: the weights, moments and
 * per-shard gradient slots live in one shared WebAssembly.Memory (the arena, data-parallel.ts), which this module
 * imports, so each worker's slice is summed over its 2 slots, scaled by 1/count and updated without a copy.
 * Why: adam-simd.ts works on its own memory, so every chunk of w, m, v and the reduced gradient was copied in and
 * w, m, v back out (seven passes over ~38 MB per worker per paper@64 step), after a JavaScript reduce pass.
 * BIT FOR BIT reduce-scatter.ts's reduceShards followed by flat-adam's update: the sum g0 + g1 is one float32 add
 * (f32x4.add) as there; × 1/count is exact in float32 only when count is a power of two (then the double product of
 * the JavaScript reduce is exact too and both round once) — other counts, and 1 or more than 2 slots, are left to
 * the copying path (canReduceAdamInPlace). The Adam lines are adam-simd.ts's, in its order.
 */

/** Byte size of the arena for `floats` floats, in whole 64 KiB pages. */
export function arenaPages(floats: number): number {
  return Math.ceil((floats * 4) / 65536);
}

/** A shared WebAssembly.Memory of `pages` pages, or null where shared WebAssembly memory is missing. */
export function sharedArena(pages: number): WebAssemblyMemory | null {
  const wasm = (globalThis as unknown as { WebAssembly?: { Memory: new (d: { initial: number; maximum: number; shared: boolean }) => WebAssemblyMemory } }).WebAssembly;
  try {
    const mem = wasm ? new wasm.Memory({ initial: pages, maximum: pages, shared: true }) : null;
    return mem && typeof SharedArrayBuffer !== 'undefined' && mem.buffer instanceof SharedArrayBuffer ? mem : null;
  } catch {
    return null;
  }
}

/** The WebAssembly.Memory API the project's TypeScript libs do not describe. */
export interface WebAssemblyMemory {
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
}

// Params: w 0, m 1, v 2, g0 3, g1 4 (byte addresses), n4 5 (floats, a multiple of 4), inv 6, β1 7, β2 8, c1 9, c2 10,
// oma1 11, oma2 12, ε 13, −lr 14. Locals: i32 at 15, end 16; v128 splats of 6…14 at 17…25; g 26, m 27, v 28.
function bytes(pages: number): Uint8Array {
  const [AT, END, VG, VM, VV] = [15, 16, 26, 27, 28];
  const { get, set, tee, load, store, f32splat, f32add, f32mul, f32div, f32sqrt } = I;
  const at = (ptr: number) => [...get(ptr), ...get(AT), ...I.i32add];
  const body = [
    ...[6, 7, 8, 9, 10, 11, 12, 13, 14].flatMap((p) => [...get(p), ...f32splat, ...set(p + 11)]),
    ...get(5), ...I.i32(4), ...I.i32mul, ...set(END),
    ...I.loopWhile([...get(AT), ...get(END), ...I.i32ltu], [
      // g = (g0 + g1) · inv
      ...at(3), ...load(), ...at(4), ...load(), ...f32add, ...get(17), ...f32mul, ...set(VG),
      // m = m·β1 + g·c1
      ...at(1), ...at(1), ...load(), ...get(18), ...f32mul, ...get(VG), ...get(20), ...f32mul, ...f32add, ...tee(VM), ...store(),
      // v = v·β2 + (g·g)·c2
      ...at(2), ...at(2), ...load(), ...get(19), ...f32mul, ...get(VG), ...get(VG), ...f32mul, ...get(21), ...f32mul, ...f32add, ...tee(VV), ...store(),
      // w = (m/oma1) / (√(v/oma2) + ε) · (−lr) + w
      ...at(0),
      ...get(VM), ...get(22), ...f32div, ...get(VV), ...get(23), ...f32div, ...f32sqrt, ...get(24), ...f32add, ...f32div, ...get(25), ...f32mul,
      ...at(0), ...load(), ...f32add, ...store(),
      ...get(AT), ...I.i32(16), ...I.i32add, ...set(AT),
    ]),
  ];
  const params: Array<'i32' | 'f32'> = ['i32', 'i32', 'i32', 'i32', 'i32', 'i32', ...Array<'f32'>(9).fill('f32')];
  return moduleBytes([{ name: 'reduceAdam2', params, i32Locals: 2, v128Locals: 12, body }], undefined, pages);
}

type ReduceAdam2 = (w: number, m: number, v: number, g0: number, g1: number, n4: number, inv: number, b1: number, b2: number, c1: number, c2: number, oma1: number, oma2: number, eps: number, negLr: number) => void;
const modules = new WeakMap<object, ReduceAdam2 | null>();

/** This thread's module on `arena` (compiled once per arena), or null where it cannot run. */
function moduleOn(arena: WebAssemblyMemory): ReduceAdam2 | null {
  if (!modules.has(arena)) {
    let fn: ReduceAdam2 | null = null;
    try {
      const ex = instantiate(bytes(arena.buffer.byteLength / 65536), arena);
      fn = ex ? (ex.reduceAdam2 as ReduceAdam2) : null;
    } catch {
      fn = null;
    }
    modules.set(arena, fn);
  }
  return modules.get(arena)!;
}

/** Whether reduceAdamInPlace gives reduceShards + Adam's result here: 2 slots, a power-of-two count, the module. */
export function canReduceAdamInPlace(arena: WebAssemblyMemory | undefined, shards: readonly number[], count: number): arena is WebAssemblyMemory {
  return arena !== undefined && shards.length === 2 && Number.isInteger(count) && count > 0 && (count & (count - 1)) === 0 && moduleOn(arena) !== null;
}

/**
 * w, m, v over [from, to) updated in place from the gradient slots g0 and g1 (all views of `arena`); the floats
 * past the last multiple of 4 are left to the caller (`returns` the first one it did not do): another worker's slice
 * starts right after, and a 4-lane store would write into it.
 */
export function reduceAdamInPlace(arena: WebAssemblyMemory, c: AdamConfig, k: AdamFactors, w: Float32Array, m: Float32Array, v: Float32Array, g0: Float32Array, g1: Float32Array, count: number, from: number, to: number): number {
  const fn = moduleOn(arena)!;
  const n4 = (to - from) & ~3;
  if (n4 > 0) {
    const f = Math.fround;
    const addr = (a: Float32Array) => a.byteOffset + 4 * from;
    fn(addr(w), addr(m), addr(v), addr(g0), addr(g1), n4, 1 / count, f(c.beta1), f(c.beta2), f(1 - c.beta1), f(1 - c.beta2), k.oma1, k.oma2, f(c.epsilon), f(-c.learningRate));
  }
  return from + n4;
}
