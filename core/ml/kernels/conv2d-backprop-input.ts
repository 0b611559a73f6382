import * as tf from '@tensorflow/tfjs';
import { convGeometry, dilateSpatial, padOrCrop, type Pad } from './conv-geometry.js';
import { conv2dBackpropInputGemm, gemmPaysOff } from './conv2d-backprop-input-gemm.js';
import { trainingProduct, winogradApplies } from './conv2d-winograd.js';
import { rotateTransposeInto } from './rotated-filter-simd.js';
import { ensureFilterOnHeap } from './shared-tap-products.js';
import type { WasmStore } from './tap-products.js';

export interface BackpropInputAttrs {
  strides: number | [number, number];
  pad: Pad;
  dataFormat?: string;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  inputShape: [number, number, number, number];
}

/**
 * dx as a forward convolution, which the wasm backend runs through XNNPACK (about 8× faster than its
 * own Conv2DBackpropInput loop): dy, dilated by the stride and padded by (f-1-pad), convolved
 * ('valid', stride 1) with the filter rotated by 180° and with in/out channels swapped.
 */
interface WasmHeapAccess {
  makeOutput(shape: number[], dtype: 'float32'): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array;
}

/**
 * The filter rotated by 180° with in/out channels swapped: [fh,fw,Cin,Cout] → [fh,fw,Cout,Cin].
 * Rotation only reverses the order of the fh·fw contiguous tap blocks, so on wasm it is one SIMD pass of 4×4
 * transposed blocks in the heap (rotated-filter-simd.ts; channels not in multiples of 4: a transpose then block
 * copies — tfjs-backend-wasm's Reverse kernel is element-wise and ~5× slower than the transpose); other backends
 * use tf.reverse.
 */
export function rotatedTransposedFilter(filter: tf.Tensor4D): tf.Tensor4D {
  const [fh, fw, ci, co] = filter.shape;
  const taps = fh * fw;
  const backend = tf.backend() as unknown as Partial<WasmHeapAccess>;
  if (tf.getBackend() !== 'wasm' || !backend.makeOutput || !backend.typedArrayFromHeap) {
    return tf.transpose(tf.reverse(filter, [0, 1]), [0, 1, 3, 2]);
  }
  const out = backend.makeOutput([fh, fw, co, ci], 'float32');
  // In wasm SIMD, one pass (rotated-filter-simd.ts); addresses taken after the allocation (a grown heap moves views).
  if (rotateTransposeInto(backend.typedArrayFromHeap(filter).byteOffset, backend.typedArrayFromHeap(out).byteOffset, taps, ci, co)) {
    return tf.engine().makeTensorFromTensorInfo(out) as tf.Tensor4D;
  }
  const t = tf.transpose(tf.reshape(filter, [taps, ci, co]), [0, 2, 1]);
  const block = ci * co;
  const src = backend.typedArrayFromHeap(t);
  const dst = backend.typedArrayFromHeap(out);
  for (let k = 0; k < taps; k++) dst.set(src.subarray((taps - 1 - k) * block, (taps - k) * block), k * block);
  t.dispose();
  return tf.engine().makeTensorFromTensorInfo(out) as tf.Tensor4D;
}

/**
 * Whether the dx convolution (dy with the rotated filter, stride 1) takes the Winograd route in a training run: then it
 * beats the tap products even on the paper model's 7 px layers (1024 channels: 28.3 → ~18 ms/img at 224 px, batch 8).
 */
function dxByWinograd(g: ReturnType<typeof convGeometry>): boolean {
  if (g.sh !== 1 || g.sw !== 1 || !trainingProduct()) return false;
  const dx = { ...g, inH: g.outH, inW: g.outW, inC: g.outC, outH: g.inH, outW: g.inW, outC: g.inC, top: g.fh - 1 - g.top, left: g.fw - 1 - g.left };
  return winogradApplies(dx, [1, 1]);
}

export function conv2dBackpropInput(dy: tf.Tensor4D, filter: tf.Tensor4D, attrs: BackpropInputAttrs): tf.Tensor4D {
  const g = convGeometry(attrs.inputShape, filter.shape, attrs.strides, attrs.pad, attrs.dimRoundingMode, attrs.dataFormat);
  if (dy.shape[1] !== g.outH || dy.shape[2] !== g.outW || dy.shape[3] !== g.outC) {
    throw new Error(`Conv2DBackpropInput: dy shape ${dy.shape.join('×')} does not match the convolution output ${g.batch}×${g.outH}×${g.outW}×${g.outC}`);
  }
  // Large filter, few pixels: the tap products (no filter packing), unless the dx convolution below runs by Winograd.
  if (gemmPaysOff(g) && !dxByWinograd(g)) return conv2dBackpropInputGemm(dy, filter, g);
  // The convolution route reads the filter on the heap (a data-parallel worker may have deferred its load).
  if (tf.getBackend() === 'wasm') ensureFilterOnHeap(tf.backend() as unknown as WasmStore, filter);
  return tf.tidy(() => {
    const wT = rotatedTransposedFilter(filter);
    const dyd = dilateSpatial(dy, g.sh, g.sw);
    const t = g.fh - 1 - g.top;
    const l = g.fw - 1 - g.left;
    // Rows needed so that a valid conv yields exactly inH rows: inH + fh - 1.
    const b = g.inH + g.fh - 1 - t - dyd.shape[1];
    const r = g.inW + g.fw - 1 - l - dyd.shape[2];
    if (t >= 0 && b >= 0 && l >= 0 && r >= 0) {
      // Explicit padding inside the conv avoids materialising the padded dy.
      return tf.conv2d(dyd, wT, 1, [[0, 0], [t, b], [l, r], [0, 0]]);
    }
    return tf.conv2d(padOrCrop(dyd, t, b, l, r), wT, 1, 'valid');
  });
}
