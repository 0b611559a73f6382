import v8 from 'node:v8';
import { I, heapModule, instantiate, moduleBytes, uleb } from './wasm-simd.js';

/**
 * A matrix product C[M×N] = A[M×K] · B[K×N] in wasm SIMD, in tfjs's wasm heap: the GEMMs of the Winograd route
 * (conv2d-winograd.ts), in two float paths from one microkernel generator:
 * - `fmaGemm` (inference): relaxed-SIMD fused multiply-add (f32x4.relaxed_madd). Why: plain wasm SIMD has no FMA, so
 *   XNNPACK's matrix product issues a multiply and an add per 4 lanes and reaches ~26–29 GFLOP/s per core here; with
 *   FMA (x86 FMA3, Arm NEON) the same 128-bit lanes do both in one instruction. relaxed_madd may round once (fused) or
 *   twice depending on the CPU — deterministic on a machine, not across machines.
 * - `exactGemm` (training): the same microkernel with f32x4.mul then f32x4.add. Plain wasm SIMD arithmetic is IEEE
 *   float32, rounded after each operation, the same on every CPU, so a seeded training gives the same model on any PC
 *   (with or without FMA, relaxed SIMD or not). Slower than the fused one, faster than XNNPACK's product (the B panel
 *   layout and constant offsets; bench/cnn-winograd.ts --gemm measures the three on the Winograd product shapes).
 * Microkernel: 4 rows × 8 columns of C in 8 accumulators (V8 gives wasm 15 xmm registers: 8 + 2 of B + 1 broadcast
 * of A (+ 1 product in the exact path) stay in registers); B is packed once per filter into panels of 8 columns
 * ([panel][k][8], packB), so the inner loop reads B sequentially; A's rows are read with constant offsets (the module
 * is made per K and N). The sums run over k in order, each row of C on its own (a row's result does not depend on
 * the other rows). Where relaxed SIMD is missing (V8 without the feature, Node < 20 with no flag) fmaGemm is null and
 * the inference caller keeps XNNPACK's matrix product; exactGemm needs only wasm SIMD.
 */

const SIMD = (o: number) => [0xfd, ...uleb(o)];
/** f32x4.relaxed_madd(a, b, c) = a·b + c (opcode 0x105). */
const MADD = SIMD(0x105);
/** acc + a·b as one relaxed_madd (fused: rounded once or twice, by CPU) or f32x4.mul then f32x4.add (IEEE, any CPU). */
const multiplyAdd = (fused: boolean, a: number, b: number, acc: number): number[] =>
  fused ? [...I.get(a), ...I.get(b), ...I.get(acc), ...MADD] : [...I.get(acc), ...I.get(a), ...I.get(b), ...I.f32mul, ...I.f32add];
/** v128.load32_splat with a constant byte offset (alignment hint 4 bytes). */
const splat32 = (off: number) => [...SIMD(0x09), 2, ...uleb(off)];

let available: boolean | null = null;

/** Whether this V8 validates relaxed SIMD; in Node 20 the feature sits behind a flag, turned on here before the test. */
export function relaxedSimdAvailable(): boolean {
  if (available !== null) return available;
  const tiny = moduleBytes([{ name: 'f', params: ['i32'], i32Locals: 0, v128Locals: 1, body: [...I.get(1), ...I.get(1), ...I.get(1), ...MADD, ...I.set(1)] }], 1);
  const wasm = (globalThis as unknown as { WebAssembly?: { validate(b: Uint8Array): boolean } }).WebAssembly;
  if (!wasm) return (available = false);
  // Only in V8 11.x (Node 20): earlier V8s had an unfinished prototype of the feature; 11.4 onwards ships it on.
  if (!wasm.validate(tiny) && /^11\./.test(process.versions?.v8 ?? '')) {
    try {
      // Node 20 / V8 11.3: behind a flag (on by default from V8 11.4: Node ≥ 22, Electron ≥ 25). Wasm features are read
      // when a module is compiled, so turning it on now affects only modules compiled from now on.
      v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
    } catch {
      return (available = false);
    }
  }
  return (available = wasm.validate(tiny));
}

let forced: boolean | null = null;

/** Tests and the bench: force the route off (false) or back to detection (null). */
export function useFmaGemm(on: boolean | null): void {
  forced = on === false ? false : null;
}

const P = { a: 0, bp: 1, c: 2, rows4: 3, panels: 4, p: 5, i: 6, ap: 7, bq: 8, kEnd: 9, cr: 10, ar: 11, bpan: 12, acc: 13, b0: 21, b1: 22, s: 23 };

function bytes(k: number, n: number, fused: boolean, sharedPages?: number): Uint8Array {
  const { a, bp, c, rows4, panels, p, i, ap, bq, kEnd, cr, ar, bpan, acc, b0, b1, s } = P;
  const inc = (l: number, by: number) => [...I.get(l), ...I.i32(by), ...I.i32add, ...I.set(l)];
  const inner: number[] = [...I.get(bq), ...I.load(0), ...I.set(b0), ...I.get(bq), ...I.load(16), ...I.set(b1)];
  for (let r = 0; r < 4; r++) {
    inner.push(...I.get(ap), ...splat32(r * k * 4), ...I.set(s));
    inner.push(...multiplyAdd(fused, s, b0, acc + 2 * r), ...I.set(acc + 2 * r));
    inner.push(...multiplyAdd(fused, s, b1, acc + 2 * r + 1), ...I.set(acc + 2 * r + 1));
  }
  inner.push(...inc(ap, 4), ...inc(bq, 32));
  const block: number[] = [];
  for (let j = 0; j < 8; j++) block.push(...I.f32const(0), ...I.f32splat, ...I.set(acc + j));
  block.push(...I.get(ar), ...I.tee(ap), ...I.i32(k * 4), ...I.i32add, ...I.set(kEnd), ...I.get(bpan), ...I.set(bq));
  block.push(...I.loopWhile([...I.get(ap), ...I.get(kEnd), ...I.i32ltu], inner));
  for (let r = 0; r < 4; r++) {
    block.push(...I.get(cr), ...I.get(acc + 2 * r), ...I.store(r * n * 4));
    block.push(...I.get(cr), ...I.get(acc + 2 * r + 1), ...I.store(r * n * 4 + 16));
  }
  block.push(...inc(ar, 16 * k), ...inc(cr, 16 * n), ...inc(i, 1));
  const panel: number[] = [
    ...I.get(a), ...I.set(ar),
    ...I.get(c), ...I.get(p), ...I.i32(32), ...I.i32mul, ...I.i32add, ...I.set(cr),
    ...I.get(bp), ...I.get(p), ...I.i32(32 * k), ...I.i32mul, ...I.i32add, ...I.set(bpan),
    ...I.i32(0), ...I.set(i),
    ...I.loopWhile([...I.get(i), ...I.get(rows4), ...I.i32ltu], block),
    ...inc(p, 1),
  ];
  const body = [...I.i32(0), ...I.set(p), ...I.loopWhile([...I.get(p), ...I.get(panels), ...I.i32ltu], panel)];
  return moduleBytes([{ name: 'gemm', params: ['i32', 'i32', 'i32', 'i32', 'i32'], i32Locals: 8, v128Locals: 11, body }], undefined, sharedPages);
}

export type FmaGemm = (a: number, bp: number, c: number, rows4: number, panels: number) => void;
/** The same call as FmaGemm (exactGemm's product). */
export type SimdGemm = FmaGemm;

const keys = new Map<string, object>();

function gemmModule(k: number, n: number, fused: boolean): SimdGemm | null {
  const id = `${fused ? 'fma' : 'exact'}:${k}:${n}`;
  let key = keys.get(id);
  if (!key) keys.set(id, (key = {}));
  const mod = heapModule(() => bytes(k, n, fused), key);
  return mod ? (mod.gemm as SimdGemm) : null;
}

/**
 * C = A·B for A [4·rows4 × k] and C [4·rows4 × n] row-major, B packed by packB, all heap addresses, with relaxed-SIMD
 * fused multiply-adds (inference); null where relaxed SIMD is missing or forced off, n is not a multiple of 8, or off wasm.
 */
export function fmaGemm(k: number, n: number): FmaGemm | null {
  if (forced === false || n % 8 !== 0 || !relaxedSimdAvailable()) return null;
  return gemmModule(k, n, true);
}

/**
 * The same product with a separate multiply and add (training): IEEE float32 after every operation, the same bits
 * on every CPU; null where n is not a multiple of 8 or off wasm / without wasm SIMD. useFmaGemm does not touch it.
 */
export function exactGemm(k: number, n: number): SimdGemm | null {
  if (n % 8 !== 0) return null;
  return gemmModule(k, n, false);
}

/** exactGemm's products instantiated on a shared arena, per arena and shape. */
const onArena = new WeakMap<object, Map<string, SimdGemm | null>>();

/**
 * exactGemm's product (the same module, the same bits) on a shared WebAssembly.Memory instead of tfjs's heap: all three
 * operands are addresses in `arena` (data-parallel training's weights, gradient slots and scratch, kernels/shared-tap-products.ts).
 * Null where n is not a multiple of 8 or the module cannot run there.
 */
export function exactGemmOn(arena: { buffer: ArrayBuffer | SharedArrayBuffer }, k: number, n: number): SimdGemm | null {
  if (n % 8 !== 0) return null;
  let mods = onArena.get(arena);
  if (!mods) onArena.set(arena, (mods = new Map()));
  const id = `${k}:${n}`;
  if (!mods.has(id)) {
    let fn: SimdGemm | null = null;
    try {
      const ex = instantiate(bytes(k, n, false, arena.buffer.byteLength / 65536), arena);
      fn = ex ? (ex.gemm as SimdGemm) : null;
    } catch {
      fn = null;
    }
    mods.set(id, fn);
  }
  return mods.get(id)!;
}

/**
 * B [k × n] row-major into panels of 8 columns: out[p][kk][j] = b[kk][8p + j] (n a multiple of 8). Element by element:
 * a subarray per 8 floats cost ~6× more (training packs every filter at every step: ~320 → ~50 ms per paper model).
 */
export function packB(b: Float32Array, k: number, n: number, out: Float32Array): void {
  let o = 0;
  for (let p = 0; p < n; p += 8) {
    for (let src = p; src < k * n + p; src += n) {
      out[o] = b[src];
      out[o + 1] = b[src + 1];
      out[o + 2] = b[src + 2];
      out[o + 3] = b[src + 3];
      out[o + 4] = b[src + 4];
      out[o + 5] = b[src + 5];
      out[o + 6] = b[src + 6];
      out[o + 7] = b[src + 7];
      o += 8;
    }
  }
}
