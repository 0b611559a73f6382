import { I, heapModule, moduleBytes, moduleKeys } from './wasm-simd.js';

/**
 * The transforms of the filter gradient by Winograd F(3×3, 4×4) (winograd-filter-grad.ts) in wasm SIMD, in tfjs's heap:
 * per 4×4 tile of dy and its 6×6 input window, dW_tile = Gᵀ [ (A e Aᵀ) ⊙ (Bᵀ d B) ] G with the matrices of the forward
 * F(4×4, 3×3) (Lavin & Gray 2016):
 *   Bᵀ = [4 0 −5 0 1 0; 0 −4 −4 1 1 0; 0 4 −4 −1 1 0; 0 −2 −1 2 1 0; 0 2 −1 −2 1 0; 0 4 0 −5 0 1]
 *   Aᵀ = [1 1 1 1 1 0; 0 1 −1 2 −2 0; 0 1 1 4 4 0; 0 1 −1 8 −8 1]
 *   G  = [¼ 0 0; −⅙ −⅙ −⅙; −⅙ ⅙ −⅙; 1⁄24 1⁄12 ⅙; 1⁄24 −1⁄12 ⅙; 0 0 1]
 * 36 products per tile and channel pair for 16 dy pixels (2.25 per pixel; F(3×3, 2×2): 4, direct: 9). Why: the
 * products are ~90 % of the F(3×3, 2×2) route on the large layers, and the exact product (multiply, round, add) runs
 * near the CPU's separate multiply and add rate already; fewer of them is what is left.
 * Float path: Bᵀ d B and A e Aᵀ in float32 operations in the order written below (each rounded; deterministic, the same
 * on every CPU), the output transform in doubles rounded once. The larger constants make the transformed values
 * larger than the result (cancellation): measured 5e-6 relative to the largest dW against 9e-7 for F(3×3, 2×2)
 * (a float64 direct sum as reference, 28×28 px, 16 channels).
 * Layouts as in winograd-filter-grad-simd.ts: V_ξ and E_ξ in panels of 8 channels [C/8][K][8], M_ξ [Cin × Cout].
 */

type Get = (i: number) => number[];
interface Ops {
  add: number[];
  sub: number[];
  mul: number[];
  /** The local holding a constant splat. */
  k: (v: number) => number[];
}

function forLoop(local: number, limit: number[], step: number, body: number[]): number[] {
  return [...I.i32(0), ...I.set(local), ...I.loopWhile([...I.get(local), ...limit, ...I.i32ltu], [...body, ...I.get(local), ...I.i32(step), ...I.i32add, ...I.set(local)])];
}

/** (Bᵀ d)_k from d0…d5. */
function bt(k: number, d: Get, o: Ops): number[] {
  const { add, sub, mul } = o;
  switch (k) {
    case 0: return [...d(0), ...o.k(4), ...mul, ...d(2), ...o.k(5), ...mul, ...sub, ...d(4), ...add];
    case 1: return [...d(3), ...d(4), ...add, ...d(1), ...d(2), ...add, ...o.k(4), ...mul, ...sub];
    case 2: return [...d(4), ...d(3), ...sub, ...d(1), ...d(2), ...sub, ...o.k(4), ...mul, ...add];
    case 3: return [...d(4), ...d(2), ...sub, ...d(3), ...d(1), ...sub, ...o.k(2), ...mul, ...add];
    case 4: return [...d(4), ...d(2), ...sub, ...d(3), ...d(1), ...sub, ...o.k(2), ...mul, ...sub];
    default: return [...d(1), ...o.k(4), ...mul, ...d(3), ...o.k(5), ...mul, ...sub, ...d(5), ...add];
  }
}

/** (A e)_k from e0…e3 (A = (Aᵀ)ᵀ, 6 × 4). */
function ae(k: number, e: Get, o: Ops): number[] {
  const { add, sub, mul } = o;
  const p = [...e(0), ...e(2), ...add];
  const q = [...e(1), ...e(3), ...add];
  const p4 = [...e(0), ...e(2), ...o.k(4), ...mul, ...add];
  const q4 = [...e(1), ...o.k(2), ...mul, ...e(3), ...o.k(8), ...mul, ...add];
  switch (k) {
    case 0: return e(0);
    case 1: return [...p, ...q, ...add];
    case 2: return [...p, ...q, ...sub];
    case 3: return [...p4, ...q4, ...add];
    case 4: return [...p4, ...q4, ...sub];
    default: return e(3);
  }
}

/** (Gᵀ s)_k from s0…s5, in doubles: u0 = (¼s0 − ⅙(s1 + s2)) + (s3 + s4)/24, u1 = ⅙(s2 − s1) + (s3 − s4)/12, u2 = ⅙((s3 + s4) − (s1 + s2)) + s5. */
function gt(k: number, s: Get, o: Ops): number[] {
  const { add, sub, mul } = o;
  const s12 = [...s(1), ...s(2), ...add];
  const s34 = [...s(3), ...s(4), ...add];
  switch (k) {
    case 0: return [...s(0), ...o.k(0.25), ...mul, ...s12, ...o.k(1 / 6), ...mul, ...sub, ...s34, ...o.k(1 / 24), ...mul, ...add];
    case 1: return [...s(2), ...s(1), ...sub, ...o.k(1 / 6), ...mul, ...s(3), ...s(4), ...sub, ...o.k(1 / 12), ...mul, ...add];
    default: return [...s34, ...s12, ...sub, ...o.k(1 / 6), ...mul, ...s(5), ...add];
  }
}

/** Constant splats held in v128 locals from `first` on: the code that sets them and the Ops that read them. */
function constants(values: number[], first: number, f64: boolean): { init: number[]; ops: Ops } {
  const init: number[] = [];
  values.forEach((v, i) => {
    if (f64) init.push(0x44, ...Array.from(new Uint8Array(Float64Array.of(v).buffer)), ...I.f64splat, ...I.set(first + i));
    else init.push(...I.f32const(v), ...I.f32splat, ...I.set(first + i));
  });
  const ops: Ops = f64
    ? { add: I.f64add, sub: I.f64sub, mul: I.f64mul, k: (v) => I.get(first + values.indexOf(v)) }
    : { add: I.f32add, sub: I.f32sub, mul: I.f32mul, k: (v) => I.get(first + values.indexOf(v)) };
  return { init, ops };
}

/**
 * Input, one run of tiles (8 channels, the blocked copy: a pixel is 32 bytes): tile t's window starts at src + 4·t
 * pixels, rows rs bytes apart; V_ξ at v_ξ + o, o 32 bytes on per tile. Params: src, rs, n, o, v0…v35.
 */
function inputBytes(): Uint8Array {
  const src = 0, rs = 1, n = 2, o = 3, v = 4, t = 40, c = 41, p = 42;
  const D = 43, T = D + 6, K = T + 36; // v128 locals: a column of d, Bᵀ d (6 × 6), constants
  const { init, ops } = constants([2, 4, 5], K, false);
  const g: number[] = [];
  for (let j = 0; j < 6; j++) {
    // column j of the window: d_i at src + c + i·rs + j·32
    g.push(...I.get(src), ...I.get(c), ...I.i32add, ...I.set(p));
    for (let i = 0; i < 6; i++) {
      g.push(...I.get(p), ...I.load(32 * j), ...I.set(D + i));
      if (i < 5) g.push(...I.get(p), ...I.get(rs), ...I.i32add, ...I.set(p));
    }
    for (let i = 0; i < 6; i++) g.push(...bt(i, (x) => I.get(D + x), ops), ...I.set(T + 6 * i + j));
  }
  for (let i = 0; i < 6; i++) {
    for (let j = 0; j < 6; j++) g.push(...I.get(v + 6 * i + j), ...I.get(o), ...I.i32add, ...I.get(c), ...I.i32add, ...bt(j, (x) => I.get(T + 6 * i + x), ops), ...I.store());
  }
  const body = [
    ...init,
    ...forLoop(t, I.get(n), 1, [...forLoop(c, I.i32(32), 16, g), ...I.get(src), ...I.i32(128), ...I.i32add, ...I.set(src), ...I.get(o), ...I.i32(32), ...I.i32add, ...I.set(o)]),
  ];
  return moduleBytes([{ name: 'input', params: Array(40).fill('i32'), i32Locals: 3, v128Locals: 6 + 36 + 3, body }]);
}

/**
 * dy, one run of tiles, `channels` output channels (a multiple of 8): tile t's 4×4 block starts at src + 4·t pixels,
 * rows rs bytes apart; E_ξ of channel c at e_ξ + o + (c / 8)·ps + (c mod 8)·4, o 32 bytes on per tile. Params: src, rs,
 * n, o, ps, e0…e35.
 */
function eBytes(channels: number): Uint8Array {
  const cb = channels * 4;
  const src = 0, rs = 1, n = 2, o = 3, ps = 4, e = 5, t = 41, c = 42, p = 43, d = 44, pc = 45, h = 46, st = 47, ot = 48;
  const Ev = 49, T = Ev + 4, K = T + 24; // v128 locals: a column of e, A e (6 × 4), constants
  const { init, ops } = constants([2, 4, 8], K, false);
  const g: number[] = [];
  // c = pc + h: this group's channel bytes in a pixel; d = ot + (pc / 32)·ps + h: where its 4 lanes go.
  g.push(...I.get(pc), ...I.get(h), ...I.i32add, ...I.set(c));
  g.push(...I.get(ot), ...I.get(pc), ...I.i32(5), ...I.i32shru, ...I.get(ps), ...I.i32mul, ...I.i32add, ...I.get(h), ...I.i32add, ...I.set(d));
  for (let j = 0; j < 4; j++) {
    g.push(...I.get(st), ...I.get(c), ...I.i32add, ...I.set(p));
    for (let i = 0; i < 4; i++) {
      g.push(...I.get(p), ...I.load(cb * j), ...I.set(Ev + i));
      if (i < 3) g.push(...I.get(p), ...I.get(rs), ...I.i32add, ...I.set(p));
    }
    for (let i = 0; i < 6; i++) g.push(...ae(i, (x) => I.get(Ev + x), ops), ...I.set(T + 4 * i + j));
  }
  for (let i = 0; i < 6; i++) {
    for (let j = 0; j < 6; j++) g.push(...I.get(e + 6 * i + j), ...I.get(d), ...I.i32add, ...ae(j, (x) => I.get(T + 4 * i + x), ops), ...I.store());
  }
  // Panel by panel (8 channels), tile after tile within it: the 36 E_ξ are written as 36 sequential streams (tile by
  // tile over all channels they would be 36 × the panels, measured ~2× slower on 32 channels).
  const perPanel = [
    ...I.get(src), ...I.set(st), ...I.get(o), ...I.set(ot),
    ...forLoop(t, I.get(n), 1, [...forLoop(h, I.i32(32), 16, g), ...I.get(st), ...I.i32(4 * cb), ...I.i32add, ...I.set(st), ...I.get(ot), ...I.i32(32), ...I.i32add, ...I.set(ot)]),
  ];
  const body = [...init, ...forLoop(pc, I.i32(cb), 32, perPanel)];
  return moduleBytes([{ name: 'eRow', params: Array(41).fill('i32'), i32Locals: 8, v128Locals: 4 + 24 + 3, body }]);
}

/**
 * dW from the 36 sums (f64, or the one chunk's products as f32), two elements per pass: Gᵀ S G in doubles, each of the
 * 9 taps rounded once to float32 at w_t. Params: bytes (4 per element), s0…s35, w0…w8.
 */
function outputBody(f64: boolean): number[] {
  const bytes = 0, s = 1, w = 37, o = 46, so = 47;
  const S = 48, U = S + 6, K = U + 18; // v128 locals: a column of S, Gᵀ S (3 × 6), constants
  const { init, ops } = constants([0.25, 1 / 6, 1 / 12, 1 / 24], K, true);
  const g: number[] = [];
  g.push(...I.get(o));
  if (f64) g.push(...I.i32(1), ...I.i32shl);
  g.push(...I.set(so));
  for (let j = 0; j < 6; j++) {
    for (let i = 0; i < 6; i++) g.push(...I.get(s + 6 * i + j), ...I.get(so), ...I.i32add, ...(f64 ? I.load() : [...I.load64zero(), ...I.f64promoteLow]), ...I.set(S + i));
    for (let i = 0; i < 3; i++) g.push(...gt(i, (x) => I.get(S + x), ops), ...I.set(U + 6 * i + j));
  }
  for (let i = 0; i < 3; i++) {
    for (let l = 0; l < 3; l++) g.push(...I.get(w + 3 * i + l), ...I.get(o), ...I.i32add, ...gt(l, (x) => I.get(U + 6 * i + x), ops), ...I.f32demoteZero, ...I.store64low());
  }
  return [...init, ...forLoop(o, I.get(bytes), 8, g)];
}

function outputBytes(): Uint8Array {
  const locals = { i32Locals: 2, v128Locals: 6 + 18 + 4 };
  return moduleBytes([
    { name: 'output', params: Array(46).fill('i32'), ...locals, body: outputBody(true) },
    { name: 'outputF32', params: Array(46).fill('i32'), ...locals, body: outputBody(false) },
  ]);
}

export type Input4 = (src: number, rs: number, n: number, o: number, ...v: number[]) => void;
export type ERow4 = (src: number, rs: number, n: number, o: number, ps: number, ...e: number[]) => void;
export interface Output4 {
  output(bytes: number, ...sw: number[]): void;
  outputF32(bytes: number, ...sw: number[]): void;
}

const keyOf = moduleKeys();

/** The F(3×3, 4×4) input transform (8 channels, blocked); null off wasm or without SIMD. */
export function dw4Input(): Input4 | null {
  const mod = heapModule(inputBytes, keyOf('in4'));
  return mod ? (mod.input as Input4) : null;
}

/** The F(3×3, 4×4) dy transform for `channels` output channels (a multiple of 8); null off wasm or without SIMD. */
export function dw4ERow(channels: number): ERow4 | null {
  const mod = heapModule(() => eBytes(channels), keyOf(`e4:${channels}`));
  return mod ? (mod.eRow as ERow4) : null;
}

/** The F(3×3, 4×4) output transform; null off wasm or without SIMD. */
export function dw4Output(): Output4 | null {
  const mod = heapModule(outputBytes, keyOf('out4'));
  return mod ? (mod as unknown as Output4) : null;
}
