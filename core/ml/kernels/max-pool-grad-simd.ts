import { I, allInHeap, heapModule, moduleBytes } from './wasm-simd.js';

/**
 * maxPoolGrad2x2 (max-pool-grad.ts: the stock wasm kernel's rules, bit for bit) on four channels at a time, in
 * the heap. Per window and channel the stock search runs from FLT_MIN with `>=` in scan order, so the LAST value
 * ≥ the running maximum takes the gradient: here each lane keeps the running maximum (bit select on f32 `>=`) and
 * the winner is the last position whose test held; every dx is 0 + dy·(1 or 0) in float32, as there. The one
 * case the lanes cannot see — a window with nothing ≥ FLT_MIN sends its gradient to x[0] when it holds x[0] —
 * is patched afterwards for the first window's first channel. Channels a multiple of 4; else the scalar kernel.
 * ~7 ns per input element in JavaScript (22 ms per image of a paper-model step at 224 px), ~1 here.
 */
/** An NHWC pooling input and its 2×2/stride-2 output, as max-pool-grad.ts takes them. */
export interface Pool2x2Shape {
  batch: number;
  inH: number;
  inW: number;
  channels: number;
  outH: number;
  outW: number;
}

// Params: x row pair, dy row, dx row pair (byte addresses), outW, channel bytes, row stride bytes.
const [X0, DY0, DX0, OUTW, CB, RS] = [0, 1, 2, 3, 4, 5];
// i32 locals, then v128 locals.
const [XO, K, P, Q, D, A, E] = [6, 7, 8, 9, 10, 11, 12];
const [M, S00, S01, S10, S11, G, ONE, ZERO, FMIN, V] = [13, 14, 15, 16, 17, 18, 19, 20, 21, 22];
const FLT_MIN = 2 ** -126;

function bytes(): Uint8Array {
  const splat = (v: number, l: number) => [...I.f32const(v), ...I.f32splat, ...I.set(l)];
  // v = load(addr); s = v >= m; then (unless last) m = v where s.
  const step = (addr: number[], s: number, last: boolean) => [
    ...addr, ...I.load(), ...I.set(V),
    ...I.get(V), ...I.get(M), ...I.f32ge, ...I.set(s),
    ...(last ? [] : [...I.get(V), ...I.get(M), ...I.get(s), ...I.bitselect, ...I.set(M)]),
  ];
  const out = (addr: number[], winner: number[]) => [...addr, ...I.get(ZERO), ...I.get(G), ...I.get(ONE), ...I.get(ZERO), ...winner, ...I.bitselect, ...I.f32mul, ...I.f32add, ...I.store()];
  const plus = (a: number, b: number) => [...I.get(a), ...I.get(b), ...I.i32add];
  const plus3 = (a: number, b: number, c: number) => [...plus(a, b), ...I.get(c), ...I.i32add];
  const inner = [
    ...plus(P, K), ...I.set(A),
    ...plus(D, K), ...I.set(E),
    ...I.get(FMIN), ...I.set(M),
    ...step(I.get(A), S00, false),
    ...step(plus(A, CB), S01, false),
    ...step(plus(A, RS), S10, false),
    ...step(plus3(A, RS, CB), S11, true),
    ...plus(Q, K), ...I.load(), ...I.set(G),
    ...out(I.get(E), [...I.get(S00), ...I.get(S01), ...I.andnot, ...I.get(S10), ...I.andnot, ...I.get(S11), ...I.andnot]),
    ...out(plus(E, CB), [...I.get(S01), ...I.get(S10), ...I.andnot, ...I.get(S11), ...I.andnot]),
    ...out(plus(E, RS), [...I.get(S10), ...I.get(S11), ...I.andnot]),
    ...out(plus3(E, RS, CB), I.get(S11)),
    ...I.get(K), ...I.i32(16), ...I.i32add, ...I.set(K),
  ];
  const body = [
    ...splat(1, ONE), ...splat(0, ZERO), ...splat(FLT_MIN, FMIN),
    ...I.get(X0), ...I.set(P), ...I.get(DY0), ...I.set(Q), ...I.get(DX0), ...I.set(D),
    ...I.i32(0), ...I.set(XO),
    ...I.loopWhile([...I.get(XO), ...I.get(OUTW), ...I.i32ltu], [
      ...I.i32(0), ...I.set(K),
      ...I.loopWhile([...I.get(K), ...I.get(CB), ...I.i32ltu], inner),
      ...plus(P, CB), ...I.get(CB), ...I.i32add, ...I.set(P),
      ...plus(D, CB), ...I.get(CB), ...I.i32add, ...I.set(D),
      ...plus(Q, CB), ...I.set(Q),
      ...I.get(XO), ...I.i32(1), ...I.i32add, ...I.set(XO),
    ]),
  ];
  return moduleBytes([{ name: 'rows', params: ['i32', 'i32', 'i32', 'i32', 'i32', 'i32'], i32Locals: 7, v128Locals: 10, body }]);
}

const KEY = {};
type Rows = (x0: number, dy0: number, dx0: number, outW: number, cb: number, rs: number) => void;

/** maxPoolGrad2x2 on heap views; false (nothing done) where it does not apply (channels, no SIMD), and the caller runs the scalar kernel. */
export function maxPoolGrad2x2InHeap(x: Float32Array, dy: Float32Array, dx: Float32Array, s: Pool2x2Shape): boolean {
  const { batch, inH, inW, channels: c, outH, outW } = s;
  if (c % 4 !== 0 || !allInHeap(x, dy, dx)) return false;
  const mod = heapModule(bytes, KEY);
  if (!mod) return false;
  const rows = mod.rows as Rows;
  const rowStride = inW * c;
  for (let b = 0; b < batch; b++) {
    const img = b * inH * rowStride;
    for (let yo = 0; yo < outH; yo++) {
      const r0 = img + 2 * yo * rowStride;
      if (outW > 0) rows(x.byteOffset + r0 * 4, dy.byteOffset + (b * outH + yo) * outW * c * 4, dx.byteOffset + r0 * 4, outW, c * 4, rowStride * 4);
      if (inW > 2 * outW) {
        dx.fill(0, r0 + 2 * outW * c, r0 + rowStride);
        dx.fill(0, r0 + rowStride + 2 * outW * c, r0 + 2 * rowStride);
      }
    }
    for (let y = 2 * outH; y < inH; y++) dx.fill(0, img + y * rowStride, img + (y + 1) * rowStride);
  }
  // The stock search starts at flat offset 0 of x: a window with nothing ≥ FLT_MIN sends its gradient there, which
  // only the first window's channel 0 holds.
  if (batch > 0 && outH > 0 && outW > 0 && !(x[0] >= FLT_MIN || x[c] >= FLT_MIN || x[rowStride] >= FLT_MIN || x[rowStride + c] >= FLT_MIN)) dx[0] = 0 + dy[0];
  return true;
}
