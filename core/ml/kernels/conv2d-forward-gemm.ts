import * as tf from '@tensorflow/tfjs';
import type { ConvGeometry } from './conv-geometry.js';

/**
 * The forward convolution of a large filter on few pixels (the paper model's blocks 5-6 at 64 px) as one matrix
 * product with the filter streamed: outᵀ[Cout, M] = Wᵀ[Cout, K] · colsᵀ[K, M] (K = fh·fw·Cin, M = batch·oh·ow).
 * Why: the stock wasm Conv2D transposes and XNNPACK-packs the whole filter whenever it meets a new one — at every
 * training step, in every data-parallel replica, whatever its share of the batch (~200 ms of a paper@64 step).
 * Here the transpose is done once per filter (kept beside its data, released with it) and the product packs only
 * colsᵀ (small). A filter seen again (inference with fixed weights) reuses its Wᵀ, as XNNPACK reuses its packing.
 */

interface WasmHeapAccess {
  makeOutput(shape: number[], dtype: 'float32'): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array;
}

/** Wᵀ of each filter by its data (a WeakMap: the copy goes when the filter's data does). */
const transposedFilters = new WeakMap<object, Float32Array>();

/** A filter (HWIO shape) this route may meet: small taps, ≥ 2^20 weights. */
export function isLargeFilter(shape: readonly number[]): boolean {
  return shape.length === 4 && shape[0] * shape[1] <= 25 && shape[0] * shape[1] * shape[2] * shape[3] >= 1 << 20;
}

/**
 * Hands the kernel a filter's Wᵀ ([Cout, fh·fw·Cin], row-major) made elsewhere: data-parallel training's workers
 * write it beside the new weights in shared memory (reduce-scatter.ts), once per step for all replicas, instead of
 * each replica transposing the filter itself. The caller guarantees it matches the filter's data.
 */
export function provideTransposedFilter(dataId: object, wt: Float32Array): void {
  transposedFilters.set(dataId, wt);
}

/** Same criterion as the dx route: wasm, a large filter outweighing the product's rows. */
export function forwardGemmPaysOff(g: ConvGeometry, dilations: [number, number]): boolean {
  return (
    tf.getBackend() === 'wasm' &&
    dilations[0] === 1 &&
    dilations[1] === 1 &&
    isLargeFilter([g.fh, g.fw, g.inC, g.outC]) &&
    2 * g.batch * g.outH * g.outW <= g.outC
  );
}

/** Wᵀ[Cout, K] of an HWIO filter seen as W[K, Cout], in cache-sized tiles (into `t` when given). */
export function transposeFilter(w: Float32Array, k: number, n: number, t = new Float32Array(k * n)): Float32Array {
  const T = 64;
  for (let r0 = 0; r0 < k; r0 += T) {
    const r1 = Math.min(k, r0 + T);
    for (let c0 = 0; c0 < n; c0 += T) {
      const c1 = Math.min(n, c0 + T);
      for (let r = r0; r < r1; r++) {
        const src = r * n;
        for (let c = c0; c < c1; c++) t[c * k + r] = w[src + c];
      }
    }
  }
  return t;
}

export function conv2dForwardGemm(x: tf.Tensor4D, filter: tf.Tensor4D, g: ConvGeometry): tf.Tensor4D {
  const backend = tf.backend() as unknown as WasmHeapAccess;
  const { batch, inH, inW, inC, outH, outW, outC, fh, fw, sh, sw, top, left } = g;
  const k = fh * fw * inC;
  const m = batch * outH * outW;
  let wt = transposedFilters.get(filter.dataId);
  if (!wt) {
    wt = transposeFilter(backend.typedArrayFromHeap(filter), k, outC);
    transposedFilters.set(filter.dataId, wt);
  }
  // colsᵀ[(i, j, c), (b, oy, ox)] = x[b, oy·sh + i − top, ox·sw + j − left, c], 0 outside the image.
  const colsInfo = backend.makeOutput([k, m], 'float32');
  const cols = backend.typedArrayFromHeap(colsInfo);
  const xs = backend.typedArrayFromHeap(x);
  cols.fill(0);
  for (let i = 0; i < fh; i++) {
    for (let j = 0; j < fw; j++) {
      for (let b = 0; b < batch; b++) {
        for (let oy = 0; oy < outH; oy++) {
          const y = oy * sh + i - top;
          if (y < 0 || y >= inH) continue;
          for (let ox = 0; ox < outW; ox++) {
            const xx = ox * sw + j - left;
            if (xx < 0 || xx >= inW) continue;
            const src = ((b * inH + y) * inW + xx) * inC;
            const col = (b * outH + oy) * outW + ox;
            const row0 = (i * fw + j) * inC;
            for (let c = 0; c < inC; c++) cols[(row0 + c) * m + col] = xs[src + c];
          }
        }
      }
    }
  }
  return tf.tidy(() => {
    const colsT = tf.engine().makeTensorFromTensorInfo(colsInfo) as tf.Tensor2D;
    const outT = tf.matMul(tf.tensor2d(wt!, [outC, k]), colsT); // [Cout, M]
    return tf.reshape(tf.transpose(outT), [batch, outH, outW, outC]) as tf.Tensor4D;
  });
}
