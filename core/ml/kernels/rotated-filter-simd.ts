import { I, heapModule, moduleBytes } from './wasm-simd.js';

/**
 * dx's filter (conv2d-backprop-input.ts): the filter rotated by 180° with its channels swapped, [taps, Cin, Cout] →
 * [taps, Cout, Cin] with the taps in reverse order, in wasm SIMD on tfjs's heap, in 4×4 blocks transposed in registers.
 * Why: every training step has new weights, so dx makes this copy at every step; tfjs-backend-wasm's Transpose took
 * 71 ms per step for the paper model's 3×3×1024×1024 filter at 224 px (8.9 ms/img of the step), this 8 (all 11 of
 * the model's filters: 12; thread CPU at 4 ms resolution, 2026-11-30, load 5–9). A copy: the bits are the filter's.
 */

// Parameters: src (one tap's [Cin, Cout] from a first output channel on), dst (its [Cout, Cin] from that channel's row),
// n (groups of 4 output channels); locals: i, o (block counters), s, d (the block's source and destination).
const P = { src: 0, dst: 1, n: 2, i: 3, o: 4, s: 5, d: 6, r: 7, t: 11, c: 15 };

function bytes(cin: number, cout: number): Uint8Array {
  const { src, dst, n, i, o, s, d, r, t, c } = P;
  const rowIn = cout * 4;
  const rowOut = cin * 4;
  const block: number[] = [];
  // The 4 rows (input channels i…i+3) of 4 output channels at s: rows k at k·rowIn.
  for (let k = 0; k < 4; k++) block.push(...I.get(s), ...I.load(k * rowIn), ...I.set(r + k));
  // (r0, r1) → t0 = (r0[0], r1[0], r0[1], r1[1]), t1 = (r0[2], r1[2], r0[3], r1[3]); (r2, r3) → t2, t3
  for (const [a, b, x] of [[r, r + 1, t], [r + 2, r + 3, t + 2]]) {
    block.push(...I.get(a), ...I.get(b), ...I.shuffle32([0, 4, 1, 5]), ...I.set(x));
    block.push(...I.get(a), ...I.get(b), ...I.shuffle32([2, 6, 3, 7]), ...I.set(x + 1));
  }
  // column j of the block = (r0[j], r1[j], r2[j], r3[j]), stored as output row (output channel) j at d + j·rowOut
  block.push(...I.get(t), ...I.get(t + 2), ...I.shuffle32([0, 1, 4, 5]), ...I.set(c));
  block.push(...I.get(t), ...I.get(t + 2), ...I.shuffle32([2, 3, 6, 7]), ...I.set(c + 1));
  block.push(...I.get(t + 1), ...I.get(t + 3), ...I.shuffle32([0, 1, 4, 5]), ...I.set(c + 2));
  block.push(...I.get(t + 1), ...I.get(t + 3), ...I.shuffle32([2, 3, 6, 7]), ...I.set(c + 3));
  for (let j = 0; j < 4; j++) block.push(...I.get(d), ...I.get(c + j), ...I.store(j * rowOut));
  const inc = (l: number, by: number) => [...I.get(l), ...I.i32(by), ...I.i32add, ...I.set(l)];
  block.push(...inc(s, 16), ...inc(d, 4 * rowOut), ...inc(o, 1));
  // for each block row i (4 input channels): s = src + i·rowIn·4… , d = dst + i·16, then along the output channels
  const row: number[] = [
    ...I.get(src), ...I.get(i), ...I.i32(4 * rowIn), ...I.i32mul, ...I.i32add, ...I.set(s),
    ...I.get(dst), ...I.get(i), ...I.i32(16), ...I.i32mul, ...I.i32add, ...I.set(d),
    ...I.i32(0), ...I.set(o),
    ...I.loopWhile([...I.get(o), ...I.get(n), ...I.i32ltu], block),
    ...inc(i, 1),
  ];
  const body = [...I.i32(0), ...I.set(i), ...I.loopWhile([...I.get(i), ...I.i32(cin / 4), ...I.i32ltu], row)];
  return moduleBytes([{ name: 'rotate', params: ['i32', 'i32', 'i32'], i32Locals: 4, v128Locals: 12, body }]);
}

const keys = new Map<string, object>();
const OUT_CHUNK = 32;

/**
 * dst[k][o][i] = src[taps − 1 − k][i][o] for heap addresses src ([taps, cin, cout] float32) and dst ([taps, cout, cin]);
 * false where it cannot run (channels not multiples of 4, off wasm, no SIMD): the caller then copies another way.
 */
export function rotateTransposeInto(src: number, dst: number, taps: number, cin: number, cout: number): boolean {
  if (cin % 4 !== 0 || cout % 4 !== 0) return false;
  const id = `${cin}:${cout}`;
  let key = keys.get(id);
  if (!key) keys.set(id, (key = {}));
  const mod = heapModule(() => bytes(cin, cout), key);
  if (!mod) return false;
  const rotate = mod.rotate as (src: number, dst: number, n: number) => void;
  const block = cin * cout * 4;
  // OUT_CHUNK output channels at a time: their rows of dst (stride cin·4 bytes, 4 KiB at 1024 channels, so they share
  // cache sets) stay in cache while the input channels run by; whole output rows at once: 3×3×1024×1024 took 20 ms, now 8.
  for (let k = 0; k < taps; k++) {
    for (let oc = 0; oc < cout; oc += OUT_CHUNK) {
      rotate(src + (taps - 1 - k) * block + 4 * oc, dst + k * block + oc * cin * 4, Math.min(OUT_CHUNK, cout - oc) / 4);
    }
  }
  return true;
}
