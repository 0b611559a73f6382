import { I, heapModule, moduleBytes } from './wasm-simd.js';

/**
 * U_ξ = (G g Gᵀ)_ξ of a whole HWIO 3×3 filter in wasm SIMD, written straight into the layout the GEMMs read (8-column
 * panels for the SIMD products, row-major for XNNPACK's): the Winograd route's filter side (winograd-filters.ts).
 * Why: training has new weights at every step, so every step transforms every filter again (for the forward and for
 * dx). In JavaScript (transformFilter, then packB, on a copy of the filter) that cost 181 ms for the paper model's 11
 * filters (113 of them on 3×3×1024×1024), 23 ms/img of a 500 ms/img step at 224 px, batch 8; here one pass reads the
 * filter in place and writes each U_ξ once: 43 ms (24 on 3×3×1024×1024; thread CPU, 2026-11-30, load 5–9, 2nd/3rd
 * run of 3; 16 columns per call instead of 8: 35, the same 24 on 3×3×1024×1024). The largest filter runs ~2× slower
 * per weight than 3×3×512×512 (its 4 KiB rows: cache and TLB).
 * Bits: the same as transformFilter's, which sums in doubles and rounds once to float32: the sums run in f64x2 lanes
 * (float32 → double is exact), in the same order, ×0.5 for /2 (the same IEEE result), then f32x4.demote rounds to
 * nearest as Math.fround does; the four corner taps (U = g) are copied. test/unit/ml/wasm-winograd.test.ts compares
 * the two bit for bit, extreme magnitudes included.
 * One call per group of 4 output channels; the loop inside runs over the input channels. A module is made per
 * (Cin, Cout, layout): the tap and row strides are then constant load offsets.
 */

/** Parameters: src (the group's first weight), o (byte offset into every U_ξ), u0…u15; then locals. */
const P = { src: 0, o: 1, u: 2, ci: 18, F: 19, G: 28, B: 37, C: 40, L: 43, H: 59 };


function bytes(cin: number, cout: number, packed: boolean, width: number): Uint8Array {
  const { src, o, ci, H } = P;
  const tapBytes = cin * cout * 4;
  const dstStride = packed ? 32 : cout * 4;
  const promote = [...I.f64promoteLow];
  const body: number[] = [...I.f32const(0.5), ...I.f32splat, ...promote, ...I.set(H)];
  const perCi: number[] = [];
  // Group `sub` of 4 columns: read 16·sub bytes on; stored in panel sub>>1 (cin·32 bytes on), half sub&1, if packed.
  for (let sub = 0; sub < width / 4; sub++) perCi.push(...fourColumns(tapBytes, 16 * sub, packed ? (sub >> 1) * cin * 32 + (sub & 1) * 16 : 16 * sub));
  const inc = (l: number, by: number) => [...I.get(l), ...I.i32(by), ...I.i32add, ...I.set(l)];
  perCi.push(...inc(src, cout * 4), ...inc(o, dstStride), ...inc(ci, 1));
  body.push(...I.i32(0), ...I.set(ci), ...I.loopWhile([...I.get(ci), ...I.i32(cin), ...I.i32ltu], perCi));
  return moduleBytes([{ name: 'transform', params: Array(18).fill('i32'), i32Locals: 1, v128Locals: 41, body }]);
}

/** One input channel's 4 columns at byte `at` from src: its 16 transformed values stored at byte `to` from o. */
function fourColumns(tapBytes: number, at: number, to: number): number[] {
  const { src, o, u, F, G, B, C, L, H } = P;
  const promote = [...I.f64promoteLow];
  const perCi: number[] = [];
  for (let k = 0; k < 9; k++) perCi.push(...I.get(src), ...I.load(k * tapBytes + at), ...I.set(F + k));
  // ((a ± b) + c) · ½ in doubles: transformFilter's (a ± b + c) / 2.
  const sum3 = (a: number, b: number, c: number, minus: boolean) => [...I.get(a), ...I.get(b), ...(minus ? I.f64sub : I.f64add), ...I.get(c), ...I.f64add, ...I.get(H), ...I.f64mul];
  const storeU = (x: number, value: number[]) => [...I.get(u + x), ...I.get(o), ...I.i32add, ...value, ...I.store(to)];
  for (let half = 0; half < 2; half++) {
    for (let k = 0; k < 9; k++) {
      perCi.push(...I.get(F + k));
      if (half) perCi.push(...I.get(F + k), ...I.shuffle32([2, 3, 2, 3]));
      perCi.push(...promote, ...I.set(G + k));
    }
    for (let c = 0; c < 3; c++) {
      perCi.push(...sum3(G + c, G + 3 + c, G + 6 + c, false), ...I.set(B + c));
      perCi.push(...sum3(G + c, G + 3 + c, G + 6 + c, true), ...I.set(C + c));
    }
    // ξ = 4·row + col: rows of G g are (g row 0, B, C, g row 2); each row (x, y, z) → (x, (x+y+z)/2, (x−y+z)/2, z).
    const values: Array<[number, number[]]> = [
      [1, sum3(G, G + 1, G + 2, false)],
      [2, sum3(G, G + 1, G + 2, true)],
      [4, I.get(B)],
      [5, sum3(B, B + 1, B + 2, false)],
      [6, sum3(B, B + 1, B + 2, true)],
      [7, I.get(B + 2)],
      [8, I.get(C)],
      [9, sum3(C, C + 1, C + 2, false)],
      [10, sum3(C, C + 1, C + 2, true)],
      [11, I.get(C + 2)],
      [13, sum3(G + 6, G + 7, G + 8, false)],
      [14, sum3(G + 6, G + 7, G + 8, true)],
    ];
    for (const [x, v] of values) {
      if (!half) perCi.push(...v, ...I.f32demoteZero, ...I.set(L + x));
      else perCi.push(...storeU(x, [...I.get(L + x), ...v, ...I.f32demoteZero, ...I.shuffle32([0, 1, 4, 5])]));
    }
  }
  // The corners are taps as they are (u0 = g0, u3 = g2, u12 = g6, u15 = g8).
  perCi.push(...storeU(0, I.get(F)), ...storeU(3, I.get(F + 2)), ...storeU(12, I.get(F + 6)), ...storeU(15, I.get(F + 8)));
  return perCi;
}

type TransformGroup = (src: number, o: number, ...u: number[]) => void;

const keys = new Map<string, object>();

/**
 * Writes U_ξ of the filter at heap address `filter` ([3, 3, cin, cout] float32) to the 16 heap arrays at `us`: in
 * 8-column panels (packB's layout; cout a multiple of 8) or row-major [cin, cout] (cout a multiple of 4). False where
 * the module cannot run (off wasm, no SIMD): the caller then transforms in JavaScript.
 */
export function transformFilterInto(filter: number, cin: number, cout: number, us: number[], packed: boolean): boolean {
  if (cout % (packed ? 8 : 4) !== 0 || us.length !== 16) return false;
  // 16 columns per call where they fit (two packed panels, or four row-major groups): each 64-byte line of the filter is
  // read whole in one call (8 left the other half to the next call, by then evicted on 4 KiB rows: 1024 channels) and
  // each line of U_ξ written whole.
  const width = cout % 16 === 0 ? 16 : cout % 8 === 0 ? 8 : 4;
  const id = `${cin}:${cout}:${packed}:${width}`;
  let key = keys.get(id);
  if (!key) keys.set(id, (key = {}));
  const mod = heapModule(() => bytes(cin, cout, packed, width), key);
  if (!mod) return false;
  const transform = mod.transform as TransformGroup;
  for (let g = 0; g < cout / width; g++) {
    // Packed: this call's first panel starts at (g·width/8)·cin·32 bytes; row-major: column g·width.
    transform(filter + 4 * width * g, packed ? ((g * width) / 8) * cin * 32 : 4 * width * g, ...us);
  }
  return true;
}
