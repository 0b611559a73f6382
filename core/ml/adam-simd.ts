/**
 * Adam's elementwise update in WebAssembly SIMD (four float32 lanes), for the single-threaded wasm step
 * (heap-adam.ts) and the data-parallel workers' slices (reduce-scatter.ts). Why: the same update in JavaScript
 * (flat-adam.ts's adamInto) costs ~11 ns per parameter — slower than tfjs's own dozen XNNPACK passes (~7 ns) —
 * and on the paper model (21 M parameters) that was ~230 ms of every data-parallel step. Here: ~2 ns.
 *
 * BIT FOR BIT the float32 evaluation of tfjs's formula, in its order: f32x4 add, mul, div and sqrt are IEEE
 * float32 operations rounded to nearest, exactly what tfjs-backend-wasm's kernels compute per element (tested
 * against tf.train.adam and the scalar adamInto). The module is a few hundred bytes assembled below with
 * kernels/wasm-simd.ts (no build step, no dependency); it has its own 256 KB memory holding one chunk of w, m, v and the gradient, copied in and
 * out (memcpy speed, in cache). Where WebAssembly SIMD is missing the scalar JavaScript update runs instead.
 */
import { adamInto, type AdamArrays, type AdamConfig, type AdamFactors } from './flat-adam.js';
import { I, instantiate, moduleBytes } from './kernels/wasm-simd.js';

/** Floats per array in the module's memory: 4 arrays × 16384 × 4 bytes = 4 pages of 64 KB. */
const CHUNK = 16384;
const BYTES = CHUNK * 4;
const [W, M, V, G] = [0, 1, 2, 3].map((k) => k * BYTES);

/** adam(n4, β1, β2, 1−β1, 1−β2, 1−β1^t, 1−β2^t, ε, −lr) over the first n4 (a multiple of 4) floats of each array. */
function bytes(): Uint8Array {
  // Locals: params n 0, β1 1, β2 2, c1 3, c2 4, oma1 5, oma2 6, ε 7, −lr 8; i32 i 9, end 10; v128 splats 11…18, g 19, m 20, v 21.
  const [N, AT, END, VG, VM, VV] = [0, 9, 10, 19, 20, 21];
  const { get, set, tee, load, store, f32splat, f32add, f32mul, f32div, f32sqrt } = I;
  const body = [
    ...[1, 2, 3, 4, 5, 6, 7, 8].flatMap((p) => [...get(p), ...f32splat, ...set(p + 10)]),
    ...get(N), ...I.i32(4), ...I.i32mul, ...set(END), // end = 4n bytes
    ...I.loopWhile([...get(AT), ...get(END), ...I.i32ltu], [
      ...get(AT), ...load(G), ...set(VG),
      // m = m·β1 + g·c1
      ...get(AT), ...get(AT), ...load(M), ...get(11), ...f32mul, ...get(VG), ...get(13), ...f32mul, ...f32add, ...tee(VM), ...store(M),
      // v = v·β2 + (g·g)·c2
      ...get(AT), ...get(AT), ...load(V), ...get(12), ...f32mul, ...get(VG), ...get(VG), ...f32mul, ...get(14), ...f32mul, ...f32add, ...tee(VV), ...store(V),
      // w = (m/oma1) / (√(v/oma2) + ε) · (−lr) + w
      ...get(AT),
      ...get(VM), ...get(15), ...f32div, ...get(VV), ...get(16), ...f32div, ...f32sqrt, ...get(17), ...f32add, ...f32div, ...get(18), ...f32mul,
      ...get(AT), ...load(W), ...f32add, ...store(W),
      ...get(AT), ...I.i32(16), ...I.i32add, ...set(AT),
    ]),
  ];
  return moduleBytes([{ name: 'adam', params: ['i32', 'f32', 'f32', 'f32', 'f32', 'f32', 'f32', 'f32', 'f32'], i32Locals: 2, v128Locals: 11, body }], 4);
}

type AdamFn = (n4: number, b1: number, b2: number, c1: number, c2: number, oma1: number, oma2: number, eps: number, negLr: number) => void;
let compiled: { adam: AdamFn; mem: Float32Array } | null | undefined;

/** The SIMD module of this thread (each worker compiles its own), or null where WebAssembly SIMD is missing. */
function simdModule(): { adam: AdamFn; mem: Float32Array } | null {
  if (compiled !== undefined) return compiled;
  try {
    const ex = instantiate(bytes()) as { adam: AdamFn; mem: { buffer: ArrayBuffer } } | null;
    compiled = ex ? { adam: ex.adam, mem: new Float32Array(ex.mem.buffer) } : null;
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
