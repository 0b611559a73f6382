/**
 * Adam's elementwise update in WebAssembly SIMD (four float32 lanes), for the single-threaded wasm step
 * (heap-adam.ts) and the data-parallel workers' slices (reduce-scatter.ts). Why: the same update in JavaScript
 * (flat-adam.ts's adamInto) costs ~11 ns per parameter — slower than tfjs's own dozen XNNPACK passes (~7 ns) —
 * and on the paper model (21 M parameters) that was ~230 ms of every data-parallel step. Here: ~2 ns.
 *
 * BIT FOR BIT the float32 evaluation of tfjs's formula, in its order: f32x4 add, mul, div and sqrt are IEEE
 * float32 operations rounded to nearest, exactly what tfjs-backend-wasm's kernels compute per element (tested
 * against tf.train.adam and the scalar adamInto). The module is a few hundred bytes assembled below (no build
 * step, no dependency); it has its own 256 KB memory holding one chunk of w, m, v and the gradient, copied in and
 * out (memcpy speed, in cache). Where WebAssembly SIMD is missing the scalar JavaScript update runs instead.
 */
import { adamInto, type AdamArrays, type AdamConfig, type AdamFactors } from './flat-adam.js';

/** Floats per array in the module's memory: 4 arrays × 16384 × 4 bytes = 4 pages of 64 KB. */
const CHUNK = 16384;
const BYTES = CHUNK * 4;
const [W, M, V, G] = [0, 1, 2, 3].map((k) => k * BYTES);

const uleb = (n: number): number[] => {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
};
const section = (id: number, body: number[]) => [id, ...uleb(body.length), ...body];
const str = (s: string) => [...uleb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];

/** adam(n4, β1, β2, 1−β1, 1−β2, 1−β1^t, 1−β2^t, ε, −lr) over the first n4 (a multiple of 4) floats of each array. */
function moduleBytes(): Uint8Array {
  const simd = (op: number) => [0xfd, ...uleb(op)];
  const load = (off: number) => [...simd(0x00), 4, ...uleb(off)];
  const store = (off: number) => [...simd(0x0b), 4, ...uleb(off)];
  const [splat, sqrt, add, mul, div] = [0x13, 0xe3, 0xe4, 0xe6, 0xe7].map(simd);
  const get = (l: number) => [0x20, l];
  const set = (l: number) => [0x21, l];
  const tee = (l: number) => [0x22, l];
  // Locals: params n 0, β1 1, β2 2, c1 3, c2 4, oma1 5, oma2 6, ε 7, −lr 8; i32 i 9, end 10; v128 splats 11…18, g 19, m 20, v 21.
  const [I, END, VG, VM, VV] = [9, 10, 19, 20, 21];
  const splats = [1, 2, 3, 4, 5, 6, 7, 8].flatMap((p) => [...get(p), ...splat, ...set(p + 10)]);
  const body = [
    ...splats,
    0x02, 0x40, // block
    ...get(0), 0x45, 0x0d, 0x00, // n == 0: out
    ...get(0), 0x41, 2, 0x74, ...set(END), // end = 4n bytes
    0x03, 0x40, // loop
    ...get(I), ...load(G), ...set(VG),
    ...get(I), ...get(I), ...load(M), ...get(11), ...mul, ...get(VG), ...get(13), ...mul, ...add, ...tee(VM), ...store(M),
    ...get(I), ...get(I), ...load(V), ...get(12), ...mul, ...get(VG), ...get(VG), ...mul, ...get(14), ...mul, ...add, ...tee(VV), ...store(V),
    ...get(I),
    ...get(VM), ...get(15), ...div, ...get(VV), ...get(16), ...div, ...sqrt, ...get(17), ...add, ...div, ...get(18), ...mul,
    ...get(I), ...load(W), ...add, ...store(W),
    ...get(I), 0x41, 16, 0x6a, ...tee(I), ...get(END), 0x49, 0x0d, 0x00, // i += 16; i < end: again
    0x0b, // loop
    0x0b, // block
    0x0b, // function
  ];
  const code = [...uleb(2), 2, 0x7f, 11, 0x7b, ...body];
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [1, 0x60, 9, 0x7f, ...Array(8).fill(0x7d), 0]),
    ...section(3, [1, 0]),
    ...section(5, [1, 0x00, 4]),
    ...section(7, [2, ...str('adam'), 0x00, 0, ...str('mem'), 0x02, 0]),
    ...section(10, [1, ...uleb(code.length), ...code]),
  ]);
}

/** The WebAssembly API Node provides (the project's TypeScript libs do not describe it). */
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: Record<string, unknown> };
}

type AdamFn = (n4: number, b1: number, b2: number, c1: number, c2: number, oma1: number, oma2: number, eps: number, negLr: number) => void;
let compiled: { adam: AdamFn; mem: Float32Array } | null | undefined;

/** The SIMD module of this thread (each worker compiles its own), or null where WebAssembly SIMD is missing. */
function simdModule(): { adam: AdamFn; mem: Float32Array } | null {
  if (compiled !== undefined) return compiled;
  try {
    const bytes = moduleBytes();
    const wasm = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;
    if (!wasm || !wasm.validate(bytes)) throw new Error('no WebAssembly SIMD');
    const inst = new wasm.Instance(new wasm.Module(bytes));
    const ex = inst.exports as { adam: AdamFn; mem: { buffer: ArrayBuffer } };
    compiled = { adam: ex.adam, mem: new Float32Array(ex.mem.buffer) };
  } catch {
    compiled = null;
  }
  return compiled;
}

export function adamSimdAvailable(): boolean {
  return simdModule() !== null;
}

/** adamInto (same arguments, same result bit for bit) through the SIMD module, chunk by chunk. */
export function adamIntoFast(config: AdamConfig, k: AdamFactors, src: AdamArrays, grad: Float32Array, gradOffset: number, dst: AdamArrays, from: number, to: number): void {
  const mod = simdModule();
  if (!mod) {
    adamInto(config, k, src, grad, gradOffset, dst, from, to);
    return;
  }
  const f = Math.fround;
  const mem = mod.mem;
  const [w, m, v, g] = [W, M, V, G].map((b) => b / 4);
  for (let a = from; a < to; a += CHUNK) {
    const b = Math.min(to, a + CHUNK);
    const n = b - a;
    mem.set(src.w.subarray(a, b), w);
    mem.set(src.m.subarray(a, b), m);
    mem.set(src.v.subarray(a, b), v);
    mem.set(grad.subarray(a - gradOffset, b - gradOffset), g);
    // Lanes past n (up to a multiple of 4) compute on stale floats and are not copied out.
    mod.adam((n + 3) & ~3, f(config.beta1), f(config.beta2), f(1 - config.beta1), f(1 - config.beta2), k.oma1, k.oma2, f(config.epsilon), f(-config.learningRate));
    dst.w.set(mem.subarray(w, w + n), a);
    dst.m.set(mem.subarray(m, m + n), a);
    dst.v.set(mem.subarray(v, v + n), a);
  }
}
