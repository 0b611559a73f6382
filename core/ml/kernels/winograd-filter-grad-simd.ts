import { I, heapModule, moduleBytes, uleb, moduleKeys } from './wasm-simd.js';

/**
 * The WebAssembly SIMD pieces of the Winograd filter gradient (winograd-filter-grad.ts), in tfjs's wasm heap: x copied
 * into 8-channel blocks, the dy transform E_ξ = (A e Aᵀ)_ξ, the 16 exact products M_ξ = V_ξᵀ·E_ξ, their Float64 sum over
 * chunks and the output transform dW = Gᵀ M G. Why: in JavaScript, one float at a time, the dy transform, the blocking
 * copy, the sum and the output transform took ~60 of the route's ~150 ms/img (paper model, 224 px, batch 8), as much as
 * 2/3 of its products.
 * Every piece gives the bits the JavaScript it replaced gave (a seeded training is unchanged): float32 lanes where
 * JavaScript rounded one double operation of two floats to float32 (the same result: a double holds such a sum
 * exactly or rounds it so that the float rounding is still correct), float64 lanes (f64x2) where JavaScript chained
 * double operations before rounding (four of E's sixteen values, the sum over chunks, the whole output transform).
 * Layouts (all row-major, byte addresses in the heap):
 * - V_ξ, E_ξ: panels of 8 channels, [C/8][K][8] (K tiles of a chunk): V_ξ as the input transform (8 channels per call)
 *   writes it, E_ξ as eRow below writes it.
 * - M_ξ: [Cin × Cout], the layout of one tap of dW, so that the output transform runs over the same index everywhere.
 */

const simd = (o: number) => [0xfd, ...uleb(o)];
/** for (local = 0; local < limit; local += step) body. */
function forLoop(local: number, limit: number[], step: number, body: number[]): number[] {
  return [...I.i32(0), ...I.set(local), ...I.loopWhile([...I.get(local), ...limit, ...I.i32ltu], [...body, ...I.get(local), ...I.i32(step), ...I.i32add, ...I.set(local)])];
}
const f32op = (op: number[], a: number, b: number) => [...I.get(a), ...I.get(b), ...op];
const f64op = f32op;

/**
 * The dy transform of one run of tiles in a tile row, for `channels` output channels (a multiple of 8): tile t's 2×2
 * block of dy starts at src + 2·t pixels (rows rs bytes apart); with A e Aᵀ's columns (e0, e0 + e1, e0 − e1, −e1) per
 * row and the rows likewise, E_ξ of the tile goes to e_ξ + o + (c / 8)·ps + (c mod 8)·4 for channel c (o the tile's
 * byte offset in a panel, ps the bytes of a panel). Params: src, rs, n, o, ps, e0…e15.
 */
function eRowBytes(channels: number): Uint8Array {
  const cb = channels * 4;
  const P = { src: 0, rs: 1, n: 2, o: 3, ps: 4, e: 5, t: 21, c: 22, p0: 23, p1: 24, d: 25 };
  // v128 locals: e00, e01, e10, e11 (f32), s = scratch results; h = f64 halves.
  const V = { e00: 26, e01: 27, e10: 28, e11: 29, r10: 30, r11: 31, r20: 32, r21: 33, x0: 34, x1: 35, x2: 36, x3: 37, lo0: 38 };
  const { src, rs, n, o, ps, e, t, c, p0, p1, d } = P;
  const g: number[] = [];
  // p0 = src + c (row 0 of the block), p1 = p0 + rs (row 1); d = o + (c >> 5)·ps + (c & 16): where this group's 4 lanes go.
  g.push(...I.get(src), ...I.get(c), ...I.i32add, ...I.tee(p0), ...I.get(rs), ...I.i32add, ...I.set(p1));
  g.push(...I.get(o), ...I.get(c), ...I.i32(5), ...I.i32shru, ...I.get(ps), ...I.i32mul, ...I.i32add, ...I.get(c), ...I.i32(16), ...I.i32and, ...I.i32add, ...I.set(d));
  g.push(...I.get(p0), ...I.load(0), ...I.set(V.e00), ...I.get(p0), ...I.load(cb), ...I.set(V.e01));
  g.push(...I.get(p1), ...I.load(0), ...I.set(V.e10), ...I.get(p1), ...I.load(cb), ...I.set(V.e11));
  const put = (xi: number, value: number[]) => g.push(...I.get(e + xi), ...I.get(d), ...I.i32add, ...value, ...I.store());
  // The single-operation values in float32 lanes (the float rounding of the double result JavaScript computed).
  put(0, I.get(V.e00));
  put(1, f32op(I.f32add, V.e00, V.e01));
  put(2, f32op(I.f32sub, V.e00, V.e01));
  put(3, [...I.get(V.e01), ...I.f32neg]);
  put(4, f32op(I.f32add, V.e00, V.e10));
  put(7, [...f32op(I.f32add, V.e01, V.e11), ...I.f32neg]);
  put(8, f32op(I.f32sub, V.e00, V.e10));
  put(11, [...f32op(I.f32sub, V.e01, V.e11), ...I.f32neg]);
  put(12, [...I.get(V.e10), ...I.f32neg]);
  put(13, [...I.get(V.e10), ...I.f32neg, ...I.get(V.e11), ...I.f32sub]);
  put(14, f32op(I.f32sub, V.e11, V.e10));
  put(15, I.get(V.e11));
  // E5 = (e00 + e10) + (e01 + e11), E6 = (e00 + e10) − (e01 + e11), E9 = (e00 − e10) + (e01 − e11), E10 = (e00 − e10) −
  // (e01 − e11): two double operations before the rounding, so in f64x2, lanes 0-1 then 2-3, merged.
  for (const h of [0, 1]) {
    const f64 = (ptr: number, off: number, into: number) => [...I.get(ptr), ...I.load64zero(off + 8 * h), ...I.f64promoteLow, ...I.set(into)];
    const a = [...f64(p0, 0, V.x0), ...f64(p0, cb, V.x1), ...f64(p1, 0, V.x2), ...f64(p1, cb, V.x3)];
    a.push(...f64op(I.f64add, V.x0, V.x2), ...I.set(V.r10), ...f64op(I.f64add, V.x1, V.x3), ...I.set(V.r11));
    a.push(...f64op(I.f64sub, V.x0, V.x2), ...I.set(V.r20), ...f64op(I.f64sub, V.x1, V.x3), ...I.set(V.r21));
    g.push(...a);
    const pairs: Array<[number[], number]> = [[I.f64add, V.r10], [I.f64sub, V.r10], [I.f64add, V.r20], [I.f64sub, V.r20]];
    pairs.forEach(([op, left], k) => {
      // The demoted pair of lanes, kept in lo0 + k (h = 0) or merged with it (h = 1) into the stored value.
      const value = [...I.get(left), ...I.get(left === V.r10 ? V.r11 : V.r21), ...op, ...I.f32demoteZero];
      if (h === 0) g.push(...value, ...I.set(V.lo0 + k));
      else put([5, 6, 9, 10][k], [...I.get(V.lo0 + k), ...value, ...I.shuffle32([0, 1, 4, 5])]);
    });
  }
  const body = forLoop(t, I.get(n), 1, [
    ...forLoop(c, I.i32(cb), 16, g),
    ...I.get(src), ...I.i32(2 * cb), ...I.i32add, ...I.set(src),
    ...I.get(o), ...I.i32(32), ...I.i32add, ...I.set(o),
  ]);
  return moduleBytes([{ name: 'eRow', params: Array(21).fill('i32'), i32Locals: 5, v128Locals: 16, body }]);
}

/**
 * M [Cin × Cout] = Vᵀ·E over K tiles, V [Cin/8][K][8] and E [Cout/8][K][8]: the exact product (f32x4.mul then
 * f32x4.add, never fused) of gemm-fma-simd.ts's 4 × 8 microkernel, with 4 input channels (rows of M, broadcast from V)
 * by 8 output channels (a panel of E) in 8 accumulators, the sum over k in tile order: each element gets the bits
 * exactGemm gave for the same sum with the operands swapped (a product of two floats does not depend on their order).
 * Params: v, e, m, panels of Cin, panels of Cout.
 */
function gemmBytes(k: number, cout: number): Uint8Array {
  const P = { v: 0, e: 1, m: 2, pin: 3, pout: 4, pc: 5, h: 6, po: 7, ap: 8, bq: 9, aEnd: 10, cr: 11, acc: 12, b0: 20, b1: 21, s: 22 };
  const { v, e, m, pin, pout, pc, h, po, ap, bq, aEnd, cr, acc, b0, b1, s } = P;
  const panel = 32 * k;
  const inner: number[] = [...I.get(bq), ...I.load(0), ...I.set(b0), ...I.get(bq), ...I.load(16), ...I.set(b1)];
  for (let r = 0; r < 4; r++) {
    inner.push(...I.get(ap), ...[...simd(0x09), 2, ...uleb(4 * r)], ...I.set(s));
    // acc + s·b, as exactGemm's multiplyAdd(false): get acc, get s, get b, mul, add.
    inner.push(...I.get(acc + 2 * r), ...I.get(s), ...I.get(b0), ...I.f32mul, ...I.f32add, ...I.set(acc + 2 * r));
    inner.push(...I.get(acc + 2 * r + 1), ...I.get(s), ...I.get(b1), ...I.f32mul, ...I.f32add, ...I.set(acc + 2 * r + 1));
  }
  inner.push(...I.get(ap), ...I.i32(32), ...I.i32add, ...I.set(ap), ...I.get(bq), ...I.i32(32), ...I.i32add, ...I.set(bq));
  const block: number[] = [];
  for (let j = 0; j < 8; j++) block.push(...I.f32const(0), ...I.f32splat, ...I.set(acc + j));
  // ap = v + pc·panel + h·16 (rows 8pc + 4h …), bq = e + po·panel, cr = m + ((8pc + 4h)·Cout + 8po)·4
  block.push(...I.get(v), ...I.get(pc), ...I.i32(panel), ...I.i32mul, ...I.i32add, ...I.get(h), ...I.i32(16), ...I.i32mul, ...I.i32add, ...I.tee(ap));
  block.push(...I.i32(panel), ...I.i32add, ...I.set(aEnd));
  block.push(...I.get(e), ...I.get(po), ...I.i32(panel), ...I.i32mul, ...I.i32add, ...I.set(bq));
  block.push(...I.loopWhile([...I.get(ap), ...I.get(aEnd), ...I.i32ltu], inner));
  block.push(...I.get(m), ...I.get(pc), ...I.i32(8), ...I.i32mul, ...I.get(h), ...I.i32(4), ...I.i32mul, ...I.i32add, ...I.i32(cout * 4), ...I.i32mul);
  block.push(...I.get(po), ...I.i32(32), ...I.i32mul, ...I.i32add, ...I.i32add, ...I.set(cr));
  for (let r = 0; r < 4; r++) {
    block.push(...I.get(cr), ...I.get(acc + 2 * r), ...I.store(r * cout * 4));
    block.push(...I.get(cr), ...I.get(acc + 2 * r + 1), ...I.store(r * cout * 4 + 16));
  }
  const body = forLoop(pc, I.get(pin), 1, forLoop(h, I.i32(2), 1, forLoop(po, I.get(pout), 1, block)));
  return moduleBytes([{ name: 'gemm', params: ['i32', 'i32', 'i32', 'i32', 'i32'], i32Locals: 7, v128Locals: 11, body }]);
}

/**
 * The blocking copy, the sum over chunks and the output transform (no per-shape constants: one module).
 * - block(src, dst, n, panels, plane): n pixels of `panels`·8 channels from src on, channel block p of each pixel to
 *   dst + p·plane, pixel after pixel 32 bytes on.
 * - accumulate(m, a, bytes, first): a (f64) = m (f32) promoted where first, else a + m, over bytes/4 elements.
 * - output(bytes, s0…s15, w0…w8) / outputF32(…): dW tap t at w_t from the 16 sums s_ξ (f64, or the one chunk's M_ξ as
 *   f32): Gᵀ S G per element with Gᵀ rows (1, ½, ½, 0), (0, ½, −½, 0), (0, ½, ½, 1), in doubles, rounded once.
 */
function miscBytes(): Uint8Array {
  const B = { src: 0, dst: 1, n: 2, panels: 3, plane: 4, i: 5, p: 6, q: 7 };
  const blockBody = forLoop(B.i, I.get(B.n), 1, [
    ...I.get(B.dst), ...I.set(B.q),
    ...forLoop(B.p, I.get(B.panels), 1, [
      ...I.get(B.q), ...I.get(B.src), ...I.load(0), ...I.store(0),
      ...I.get(B.q), ...I.get(B.src), ...I.load(16), ...I.store(16),
      ...I.get(B.src), ...I.i32(32), ...I.i32add, ...I.set(B.src),
      ...I.get(B.q), ...I.get(B.plane), ...I.i32add, ...I.set(B.q),
    ]),
    ...I.get(B.dst), ...I.i32(32), ...I.i32add, ...I.set(B.dst),
  ]);
  const A = { m: 0, a: 1, bytes: 2, first: 3, o: 4, q: 5 };
  const promoted = [...I.get(A.m), ...I.get(A.o), ...I.i32add, ...I.load64zero(), ...I.f64promoteLow];
  const accBody = forLoop(A.o, I.get(A.bytes), 8, [
    ...I.get(A.a), ...I.get(A.o), ...I.i32(1), ...I.i32shl, ...I.i32add, ...I.tee(A.q),
    // if (first) promoted else load(q) + promoted: as a select on the i32 flag
    ...promoted, ...I.get(A.q), ...I.load(), ...promoted, ...I.f64add, ...I.get(A.first), 0x1b,
    ...I.store(),
  ]);
  return moduleBytes([
    { name: 'block', params: Array(5).fill('i32'), i32Locals: 3, v128Locals: 0, body: blockBody },
    { name: 'accumulate', params: Array(4).fill('i32'), i32Locals: 2, v128Locals: 0, body: accBody },
    { name: 'output', params: Array(26).fill('i32'), i32Locals: 2, v128Locals: 30, body: outputBody(true) },
    { name: 'outputF32', params: Array(26).fill('i32'), i32Locals: 2, v128Locals: 30, body: outputBody(false) },
  ]);
}

function outputBody(f64: boolean): number[] {
  const bytes = 0, s = 1, w = 17, o = 26, so = 27;
  const S = 28; // v128 locals S..S+15: the 16 sums of two elements in f64x2
  const T = S + 16; // a0…a3, b0…b3, c0…c3, half
  const half = T + 12;
  const g: number[] = [];
  g.push(...I.get(o));
  if (f64) g.push(...I.i32(1), ...I.i32shl);
  g.push(...I.set(so));
  for (let x = 0; x < 16; x++) {
    g.push(...I.get(s + x), ...I.get(so), ...I.i32add);
    g.push(...(f64 ? I.load() : [...I.load64zero(), ...I.f64promoteLow]), ...I.set(S + x));
  }
  const h = [...I.get(half), ...I.f64mul];
  for (let j = 0; j < 4; j++) {
    // a_j = s_j + (s_4+j + s_8+j)/2, b_j = (s_4+j − s_8+j)/2, c_j = (s_4+j + s_8+j)/2 + s_12+j
    g.push(...I.get(S + j), ...f64op(I.f64add, S + 4 + j, S + 8 + j), ...h, ...I.f64add, ...I.set(T + j));
    g.push(...f64op(I.f64sub, S + 4 + j, S + 8 + j), ...h, ...I.set(T + 4 + j));
    g.push(...f64op(I.f64add, S + 4 + j, S + 8 + j), ...h, ...I.get(S + 12 + j), ...I.f64add, ...I.set(T + 8 + j));
  }
  const put = (tap: number, value: number[]) => g.push(...I.get(w + tap), ...I.get(o), ...I.i32add, ...value, ...I.f32demoteZero, ...I.store64low());
  for (let r = 0; r < 3; r++) {
    const x = T + 4 * r; // the row's x0…x3 (a, b or c)
    put(3 * r, [...I.get(x), ...f64op(I.f64add, x + 1, x + 2), ...h, ...I.f64add]);
    put(3 * r + 1, [...f64op(I.f64sub, x + 1, x + 2), ...h]);
    put(3 * r + 2, [...f64op(I.f64add, x + 1, x + 2), ...h, ...I.get(x + 3), ...I.f64add]);
  }
  const halfInit = [...f64Const(0.5), ...I.f64splat, ...I.set(half)];
  return [...halfInit, ...forLoop(o, I.get(bytes), 8, g)];
}

/** f64.const v. */
function f64Const(v: number): number[] {
  return [0x44, ...Array.from(new Uint8Array(Float64Array.of(v).buffer))];
}

export type ERow = (src: number, rs: number, n: number, o: number, ps: number, ...e: number[]) => void;
export type DwGemm = (v: number, e: number, m: number, panelsIn: number, panelsOut: number) => void;
export interface DwMisc {
  block(src: number, dst: number, n: number, panels: number, plane: number): void;
  accumulate(m: number, a: number, bytes: number, first: number): void;
  output(bytes: number, ...sw: number[]): void;
  outputF32(bytes: number, ...sw: number[]): void;
}

const keyOf = moduleKeys();

/** The dy transform for `channels` output channels (a multiple of 8); null off wasm or without SIMD. */
export function dwERow(channels: number): ERow | null {
  const mod = heapModule(() => eRowBytes(channels), keyOf(`e:${channels}`));
  return mod ? (mod.eRow as ERow) : null;
}

/** The product for chunks of k tiles and `cout` output channels (a multiple of 8); null off wasm or without SIMD. */
export function dwGemm(k: number, cout: number): DwGemm | null {
  const mod = heapModule(() => gemmBytes(k, cout), keyOf(`g:${k}:${cout}`));
  return mod ? (mod.gemm as DwGemm) : null;
}

/** The shape-free pieces; null off wasm or without SIMD. */
export function dwMisc(): DwMisc | null {
  const mod = heapModule(miscBytes, keyOf('misc'));
  return mod ? (mod as unknown as DwMisc) : null;
}
