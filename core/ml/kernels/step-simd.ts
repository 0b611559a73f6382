import * as tf from '@tensorflow/tfjs';
import { I, heapModule, moduleBytes } from './wasm-simd.js';

/**
 * Step (x > 0 ? 1 : alpha; NaN stays NaN) on float32 in four lanes in the heap, bit-identical to
 * tfjs-backend-wasm 4.22's C++ kernel: 1 where x > 0 (denormals included), alpha where not, and the canonical
 * quiet NaN (0x7fc00000) where x is NaN (measured on the stock kernel, and tested). ReLU's gradient calls it once
 * per ReLU layer per step, over the whole activation. Other dtypes: the stock kernel.
 */
// Params: x, out (byte addresses), n4 (bytes, a multiple of 16), alpha; locals: i; v128 one, alpha, nan, v.
const [X, OUT, NB, ALPHA, AT, ONE, VA, NAN, V] = [0, 1, 2, 3, 4, 5, 6, 7, 8];

function bytes(): Uint8Array {
  const body = [
    ...I.f32const(1), ...I.f32splat, ...I.set(ONE),
    ...I.get(ALPHA), ...I.f32splat, ...I.set(VA),
    ...I.f32const(NaN), ...I.f32splat, ...I.set(NAN),
    ...I.loopWhile([...I.get(AT), ...I.get(NB), ...I.i32ltu], [
      ...I.get(OUT), ...I.get(AT), ...I.i32add,
      ...I.get(X), ...I.get(AT), ...I.i32add, ...I.load(), ...I.set(V),
      ...I.get(NAN),
      ...I.get(ONE), ...I.get(VA), ...I.get(V), ...I.f32const(0), ...I.f32splat, ...I.f32gt, ...I.bitselect,
      ...I.get(V), ...I.get(V), ...I.f32ne, ...I.bitselect,
      ...I.store(),
      ...I.get(AT), ...I.i32(16), ...I.i32add, ...I.set(AT),
    ]),
  ];
  return moduleBytes([{ name: 'step', params: ['i32', 'i32', 'i32', 'f32'], i32Locals: 1, v128Locals: 4, body }]);
}

const KEY = {};
type StepFn = (x: number, out: number, nb: number, alpha: number) => void;

interface WasmHeap {
  makeOutput(shape: number[], dtype: 'float32'): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array;
}

export function stepSimdKernel(original: tf.KernelConfig | undefined): tf.KernelConfig['kernelFunc'] {
  return (args) => {
    const x = args.inputs.x as tf.TensorInfo;
    const alpha = Number((args.attrs as unknown as { alpha?: number }).alpha ?? 0);
    const mod = x.dtype === 'float32' ? heapModule(bytes, KEY) : null;
    if (!mod) {
      if (original) return original.kernelFunc(args);
      throw new Error('Step on wasm: the stock kernel is missing');
    }
    const heap = args.backend as unknown as WasmHeap;
    const out = heap.makeOutput(x.shape.slice(), 'float32');
    const xs = heap.typedArrayFromHeap(x);
    const os = heap.typedArrayFromHeap(out);
    const n4 = xs.length & ~3;
    if (n4) (mod.step as StepFn)(xs.byteOffset, os.byteOffset, n4 * 4, alpha);
    const a = Math.fround(alpha);
    for (let i = n4; i < xs.length; i++) os[i] = xs[i] > 0 ? 1 : xs[i] !== xs[i] ? NaN : a;
    return out;
  };
}

/** Whether the SIMD module runs here (on the active wasm backend): tests check the kernel they compare is it. */
export function stepSimdAvailable(): boolean {
  return heapModule(bytes, KEY) !== null;
}
