import type { AdamConfig, AdamFactors } from './flat-adam.js';
import { I, instantiate, moduleBytes } from './kernels/wasm-simd.js';

/**
 * The data-parallel step's reduce + Adam IN PLACE in shared memory, in WebAssembly SIMD: the weights, moments and
 * per-shard gradient slots live in one shared WebAssembly.Memory (the arena, data-parallel.ts), which this module
 * imports, so each worker's slice is summed over its slots, scaled by 1/count and updated without a copy.
 * Why: adam-simd.ts works on its own memory, so every chunk of w, m, v and the reduced gradient was copied in and
 * w, m, v back out (seven passes over ~38 MB per worker per paper@64 step), after a JavaScript reduce pass.
 * BIT FOR BIT reduce-scatter.ts's reduceShards followed by flat-adam's update, for any number of slots and any
 * count: the sum g0 + g1 + … is float32 adds in slot order (f32x4.add, rounded after each as Math.fround there);
 * × 1/count is done as JavaScript does it — the float32 sum promoted to double (exact), times the double 1/count,
 * rounded once to float32 (f64x2.mul, f32x4.demote) — so counts whose 1/count is not a float32 (10, 12, …) give
 * the same bits too; a power-of-two count takes one float32 product, exact as well. The Adam lines are adam-simd.ts's, in its order. The slots must be evenly spaced in the arena
 * (shards in order, as data-parallel.ts makes them); others are left to the copying path (canReduceAdamInPlace).
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

// Params: w 0, m 1, v 2, g 3 (byte addresses; g: the first slot), stride 4 (bytes from one slot to the next, may be
// negative), slots 5, n4 6 (floats, a multiple of 4), inv 7 (f64), β1 8, β2 9, c1 10, c2 11, oma1 12, oma2 13, ε 14,
// −lr 15. Locals: i32 at 16, end 17, j 18, p 19; v128 splats of 8…15 at 20…27, of inv (f64x2) 28; g 29, m 30, v 31.
function bytes(pages: number): Uint8Array {
  const [AT, END, J, P, INV, VG, VM, VV] = [16, 17, 18, 19, 28, 29, 30, 31];
  const { get, set, tee, load, store, f32splat, f32add, f32mul, f32div, f32sqrt, shuffle32 } = I;
  const at = (ptr: number) => [...get(ptr), ...get(AT), ...I.i32add];
  /** Two lanes of g as doubles × inv, rounded to float32 (in lanes 0, 1). */
  const scaled = (lanes: number[]) => [...lanes, ...I.f64promoteLow, ...get(INV), ...I.f64mul, ...I.f32demoteZero];
  const nextSlot = [...get(P), ...get(4), ...I.i32add, ...tee(P), ...load()];
  // g = ((g0 + g1) + g2) + … in slot order, float32 after each add: any number of slots, or exactly 2 written out
  // (the common case, 2 workers: no inner loop).
  const sum = {
    any: [
      ...at(3), ...tee(P), ...load(), ...set(VG),
      ...I.i32(1), ...set(J),
      ...I.loopWhile([...get(J), ...get(5), ...I.i32ltu], [...get(VG), ...nextSlot, ...f32add, ...set(VG), ...get(J), ...I.i32(1), ...I.i32add, ...set(J)]),
    ],
    two: [...at(3), ...tee(P), ...load(), ...nextSlot, ...f32add, ...set(VG)],
  };
  // g = g · inv: in double, rounded to float32; or, where inv is a power of two (then both are exact and round once
  // alike), one f32x4.mul by inv as a float32 (about 2 ms less per paper@64 slice).
  const scale = {
    f64: [...scaled(get(VG)), ...scaled([...get(VG), ...get(VG), ...shuffle32([2, 3, 2, 3])]), ...shuffle32([0, 1, 4, 5]), ...set(VG)],
    f32: [...get(VG), ...get(7), ...I.f32demoteScalar, ...f32splat, ...f32mul, ...set(VG)],
  };
  const body = (sumSlots: number[], scaleG: number[]) => [
    ...[8, 9, 10, 11, 12, 13, 14, 15].flatMap((p) => [...get(p), ...f32splat, ...set(p + 12)]),
    ...get(7), ...I.f64splat, ...set(INV),
    ...get(6), ...I.i32(4), ...I.i32mul, ...set(END),
    ...I.loopWhile([...get(AT), ...get(END), ...I.i32ltu], [
      ...sumSlots,
      ...scaleG,
      // m = m·β1 + g·c1
      ...at(1), ...at(1), ...load(), ...get(20), ...f32mul, ...get(VG), ...get(22), ...f32mul, ...f32add, ...tee(VM), ...store(),
      // v = v·β2 + (g·g)·c2
      ...at(2), ...at(2), ...load(), ...get(21), ...f32mul, ...get(VG), ...get(VG), ...f32mul, ...get(23), ...f32mul, ...f32add, ...tee(VV), ...store(),
      // w = (m/oma1) / (√(v/oma2) + ε) · (−lr) + w
      ...at(0),
      ...get(VM), ...get(24), ...f32div, ...get(VV), ...get(25), ...f32div, ...f32sqrt, ...get(26), ...f32add, ...f32div, ...get(27), ...f32mul,
      ...at(0), ...load(), ...f32add, ...store(),
      ...get(AT), ...I.i32(16), ...I.i32add, ...set(AT),
    ]),
  ];
  const params: Array<'i32' | 'f32' | 'f64'> = ['i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'f64', ...Array<'f32'>(8).fill('f32')];
  return moduleBytes(
    (['any', 'two'] as const).flatMap((n) => (['f64', 'f32'] as const).map((k) => ({ name: `${n}_${k}`, params, i32Locals: 4, v128Locals: 12, body: body(sum[n], scale[k]) }))),
    undefined,
    pages,
  );
}

type ReduceAdam = (w: number, m: number, v: number, g: number, stride: number, slots: number, n4: number, inv: number, b1: number, b2: number, c1: number, c2: number, oma1: number, oma2: number, eps: number, negLr: number) => void;
/** The module's four functions by name: `${'any' | 'two'}_${'f64' | 'f32'}` (slots summed in a loop or 2 written out; the scaling). */
type ReduceAdams = Record<string, ReduceAdam>;
const modules = new WeakMap<object, ReduceAdams | null>();

/** This thread's module on `arena` (compiled once per arena), or null where it cannot run. */
function moduleOn(arena: WebAssemblyMemory): ReduceAdams | null {
  if (!modules.has(arena)) {
    let fns: ReduceAdams | null = null;
    try {
      const ex = instantiate(bytes(arena.buffer.byteLength / 65536), arena);
      fns = ex ? (ex as ReduceAdams) : null;
    } catch {
      fns = null;
    }
    modules.set(arena, fns);
  }
  return modules.get(arena)!;
}

/** Whether the shards' slots are evenly spaced (so the module steps from one to the next by a constant stride). */
function evenlySpaced(shards: readonly number[]): boolean {
  return shards.length > 0 && shards.every((s, j) => j === 0 || s - shards[j - 1] === shards[1] - shards[0]);
}

/** Whether reduceAdamInPlace gives reduceShards + Adam's result here: evenly spaced slots, a positive count, the module. */
export function canReduceAdamInPlace(arena: WebAssemblyMemory | undefined, shards: readonly number[], count: number): arena is WebAssemblyMemory {
  return arena !== undefined && evenlySpaced(shards) && Number.isInteger(count) && count > 0 && moduleOn(arena) !== null;
}

/**
 * w, m, v over [from, to) updated in place from the gradient slots of `shards` in `grads` (slot s at s·total; all
 * views of `arena`); the floats past the last multiple of 4 are left to the caller (`returns` the first one it did
 * not do): another worker's slice starts right after, and a 4-lane store would write into it.
 */
export function reduceAdamInPlace(arena: WebAssemblyMemory, c: AdamConfig, k: AdamFactors, w: Float32Array, m: Float32Array, v: Float32Array, grads: Float32Array, total: number, shards: readonly number[], count: number, from: number, to: number): number {
  const fns = moduleOn(arena)!;
  const powerOfTwo = (count & (count - 1)) === 0;
  const fn = fns[`${shards.length === 2 ? 'two' : 'any'}_${powerOfTwo ? 'f32' : 'f64'}`];
  const n4 = (to - from) & ~3;
  if (n4 > 0) {
    const f = Math.fround;
    const addr = (a: Float32Array) => a.byteOffset + 4 * from;
    const g = grads.byteOffset + 4 * (shards[0] * total + from);
    const stride = shards.length > 1 ? 4 * total * (shards[1] - shards[0]) : 0;
    fn(addr(w), addr(m), addr(v), g, stride, shards.length, n4, 1 / count, f(c.beta1), f(c.beta2), f(1 - c.beta1), f(1 - c.beta2), k.oma1, k.oma2, f(c.epsilon), f(-c.learningRate));
  }
  return from + n4;
}
