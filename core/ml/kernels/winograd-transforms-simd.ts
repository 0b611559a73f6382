import { I, heapModule, moduleBytes, moduleKeys } from './wasm-simd.js';

/**
 * The input and output transforms of Winograd F(2×2, 3×3) (conv2d-winograd.ts), in four float32 lanes over
 * channels, in tfjs's wasm heap. Why wasm: the transforms are adds and subtracts over 4× the layer's input and
 * output (memory-bound); one float at a time in JavaScript they would cost more than the GEMMs save.
 * A module is made per channel count (the pixel stride is then a constant load/store offset) and, for the output,
 * per bias / ReLU variant; the modules are small and kept per heap.
 *
 * Input, one row of tiles: for tile t (its 4×4 window of the padded input starts at src + 2·t pixels) and each
 * 4-channel group, d = the window, V_ξ[o] = (Bᵀ d B)_ξ (ξ = 4·row + col) with
 *   Bᵀ = [1 0 −1 0; 0 1 1 0; 0 −1 1 0; 0 1 0 −1].
 * Output, one row of tiles: y = Aᵀ M A (+ bias, ReLU) with Aᵀ = [1 1 1 0; 0 1 −1 −1], M_ξ read at the same offsets.
 * V_ξ and M_ξ are [tiles, channels] row-major, so offset o runs over (tile, channel) in steps of 16 bytes.
 */

// Parameters of the input function: src, rs (row stride, bytes), tx (tiles in the row), o (first byte offset into
// every V_ξ), v0…v15 (V_ξ base addresses); then i32 locals, then v128 locals.
const IN = { src: 0, rs: 1, tx: 2, o: 3, v: 4, t: 20, c: 21, p0: 22, d: 26, T: 30 };
// Output: dst, rs, tx, o, bias, m0…m15; locals.
const OUT = { dst: 0, rs: 1, tx: 2, o: 3, bias: 4, m: 5, t: 21, c: 22, q1: 23, S: 24, y: 32 };

/** for (local = 0; local < limit; local += step) body, limit an i32 local or a constant. */
function forLoop(local: number, limit: number[], step: number, body: number[]): number[] {
  return [...I.i32(0), ...I.set(local), ...I.loopWhile([...I.get(local), ...limit, ...I.i32ltu], [...body, ...I.get(local), ...I.i32(step), ...I.i32add, ...I.set(local)])];
}

const sub = (a: number, b: number) => [...I.get(a), ...I.get(b), ...I.f32sub];
const add = (a: number, b: number) => [...I.get(a), ...I.get(b), ...I.f32add];

function inputBytes(channels: number): Uint8Array {
  const cb = channels * 4;
  const { src, rs, tx, o, v, t, c, p0, d, T } = IN;
  const Tij = (i: number, j: number) => T + 4 * i + j;
  const perGroup: number[] = [];
  // p0 = src + c: the window's top-left pixel at this channel group; rows i at p0 + i·rs, columns j at + j·cb.
  perGroup.push(...I.get(src), ...I.get(c), ...I.i32add, ...I.set(p0));
  for (let j = 0; j < 4; j++) {
    for (let i = 0; i < 4; i++) {
      perGroup.push(...I.get(p0));
      for (let r = 0; r < i; r++) perGroup.push(...I.get(rs), ...I.i32add);
      perGroup.push(...I.load(j * cb), ...I.set(d + i));
    }
    // Bᵀ d, column j
    perGroup.push(...sub(d, d + 2), ...I.set(Tij(0, j)));
    perGroup.push(...add(d + 1, d + 2), ...I.set(Tij(1, j)));
    perGroup.push(...sub(d + 2, d + 1), ...I.set(Tij(2, j)));
    perGroup.push(...sub(d + 1, d + 3), ...I.set(Tij(3, j)));
  }
  // (Bᵀ d) B, row r, stored to V_{4r+k} at o
  const store = (k: number, value: number[]) => [...I.get(v + k), ...I.get(o), ...I.i32add, ...value, ...I.store()];
  for (let r = 0; r < 4; r++) {
    perGroup.push(...store(4 * r, sub(Tij(r, 0), Tij(r, 2))));
    perGroup.push(...store(4 * r + 1, add(Tij(r, 1), Tij(r, 2))));
    perGroup.push(...store(4 * r + 2, sub(Tij(r, 2), Tij(r, 1))));
    perGroup.push(...store(4 * r + 3, sub(Tij(r, 1), Tij(r, 3))));
  }
  perGroup.push(...I.get(o), ...I.i32(16), ...I.i32add, ...I.set(o));
  const body = forLoop(t, I.get(tx), 1, [...forLoop(c, I.i32(cb), 16, perGroup), ...I.get(src), ...I.i32(2 * cb), ...I.i32add, ...I.set(src)]);
  return moduleBytes([{ name: 'input', params: Array(20).fill('i32'), i32Locals: 6, v128Locals: 20, body }]);
}

function outputBytes(channels: number, bias: boolean, relu: boolean): Uint8Array {
  const cb = channels * 4;
  const { dst, rs, tx, o, m, t, c, q1, S, y } = OUT;
  const perGroup: number[] = [];
  const M = (i: number, j: number) => [...I.get(m + 4 * i + j), ...I.get(o), ...I.i32add, ...I.load()];
  for (let j = 0; j < 4; j++) {
    // Aᵀ M, column j: S0j = M0j + M1j + M2j, S1j = M1j − M2j − M3j
    perGroup.push(...M(0, j), ...M(1, j), ...I.f32add, ...M(2, j), ...I.f32add, ...I.set(S + j));
    perGroup.push(...M(1, j), ...M(2, j), ...I.f32sub, ...M(3, j), ...I.f32sub, ...I.set(S + 4 + j));
  }
  const finish = (value: number[]) => {
    const out = [...value];
    if (bias) out.push(...I.get(OUT.bias), ...I.get(c), ...I.i32add, ...I.load(), ...I.f32add);
    if (relu) out.push(...I.f32const(0), ...I.f32splat, ...I.f32pmax);
    return out;
  };
  for (let r = 0; r < 2; r++) {
    const s = S + 4 * r;
    // (Aᵀ M) A, row r: y_r0 = S_r0 + S_r1 + S_r2, y_r1 = S_r1 − S_r2 − S_r3
    perGroup.push(...finish([...add(s, s + 1), ...I.get(s + 2), ...I.f32add]), ...I.set(y + 2 * r));
    perGroup.push(...finish([...sub(s + 1, s + 2), ...I.get(s + 3), ...I.f32sub]), ...I.set(y + 2 * r + 1));
  }
  // Row 0 at dst + c, row 1 at dst + c + rs; the second column one pixel (cb bytes) on.
  perGroup.push(...I.get(dst), ...I.get(c), ...I.i32add, ...I.tee(q1), ...I.get(y), ...I.store());
  perGroup.push(...I.get(q1), ...I.get(y + 1), ...I.store(cb));
  perGroup.push(...I.get(q1), ...I.get(rs), ...I.i32add, ...I.tee(q1), ...I.get(y + 2), ...I.store());
  perGroup.push(...I.get(q1), ...I.get(y + 3), ...I.store(cb));
  perGroup.push(...I.get(o), ...I.i32(16), ...I.i32add, ...I.set(o));
  const body = forLoop(t, I.get(tx), 1, [...forLoop(c, I.i32(cb), 16, perGroup), ...I.get(dst), ...I.i32(2 * cb), ...I.i32add, ...I.set(dst)]);
  return moduleBytes([{ name: 'output', params: Array(21).fill('i32'), i32Locals: 3, v128Locals: 12, body }]);
}

export type InputRow = (src: number, rs: number, tx: number, o: number, ...v: number[]) => void;
export type OutputRow = (dst: number, rs: number, tx: number, o: number, bias: number, ...m: number[]) => void;

const keyOf = moduleKeys();

/** The input transform of one row of tiles for `channels` (a multiple of 4); null off wasm or without SIMD. */
export function inputRowTransform(channels: number): InputRow | null {
  const mod = heapModule(() => inputBytes(channels), keyOf(`in:${channels}`));
  return mod ? (mod.input as InputRow) : null;
}

/** The output transform of one row of tiles (+ bias, ReLU as asked); null off wasm or without SIMD. */
export function outputRowTransform(channels: number, bias: boolean, relu: boolean): OutputRow | null {
  const mod = heapModule(() => outputBytes(channels, bias, relu), keyOf(`out:${channels}:${bias}:${relu}`));
  return mod ? (mod.output as OutputRow) : null;
}
