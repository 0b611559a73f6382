import * as tf from '@tensorflow/tfjs';
import type { ConvGeometry } from './conv-geometry.js';

/**
 * dx of a convolution whose filter is large next to its activations — the deep blocks of the paper model at 64 px
 * (2×2 and 4×4 pixels, 512…1024 channels in and out) — as one matrix product with the FILTER as the streamed
 * operand: cols[fh·fw·Cin, M] = W[fh·fw·Cin, Cout] · dyᵀ[Cout, M] (M = batch · oh · ow; W's NHWC layout already is
 * that matrix), then col2im adds each column entry back to the input pixel it came from.
 * Why: the convolution route (conv2d-backprop-input.ts) hands XNNPACK a rotated, transposed copy of the filter,
 * which XNNPACK transposes again and packs — at every call, since every training step has new weights. On these
 * layers that costs ~10× the arithmetic (1024→1024 at 2×2, batch 8: ~200 ms against ~20), and every data-parallel
 * replica repeats it whatever its share of the batch: it was most of the fixed per-shard cost that kept 2 gradient
 * workers far from 2× on the paper preset. The product packs only dyᵀ (small). Same sums, another float order:
 * results agree with the convolution route within float tolerance.
 */

interface WasmHeapAccess {
  makeOutput(shape: number[], dtype: 'float32'): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array;
}

/** Filters below this many weights pack in a few ms: they keep the convolution route (and its float order). */
const LARGE_FILTER = 1 << 20;

/**
 * Whether the product route is taken: on wasm, for a large filter (≥ 2^20 weights: the paper model's blocks 5 and 6;
 * never the compact preset, whose largest filter has 37k) that outweighs the rows of the product (measured
 * crossover ≈ M = Cout).
 */
export function gemmPaysOff(g: ConvGeometry): boolean {
  return tf.getBackend() === 'wasm' && g.fh * g.fw * g.inC * g.outC >= LARGE_FILTER && 2 * g.batch * g.outH * g.outW <= g.outC;
}

export function conv2dBackpropInputGemm(dy: tf.Tensor4D, filter: tf.Tensor4D, g: ConvGeometry): tf.Tensor4D {
  const backend = tf.backend() as unknown as WasmHeapAccess;
  const { batch, inH, inW, inC, outH, outW, outC, fh, fw, sh, sw, top, left } = g;
  const m = batch * outH * outW;
  const cols = tf.tidy(() => tf.matMul(tf.reshape(filter, [fh * fw * inC, outC]) as tf.Tensor2D, tf.transpose(tf.reshape(dy, [m, outC])) as tf.Tensor2D));
  const out = backend.makeOutput([batch, inH, inW, inC], 'float32');
  const c = backend.typedArrayFromHeap(cols);
  const d = backend.typedArrayFromHeap(out);
  d.fill(0);
  // Forward: y[oy] reads x[oy·sh + i − top]; so cols row (i, j, k), column (b, oy, ox) lands on dx[b, oy·sh + i − top, ox·sw + j − left, k].
  for (let i = 0; i < fh; i++) {
    for (let j = 0; j < fw; j++) {
      for (let k = 0; k < inC; k++) {
        const row = ((i * fw + j) * inC + k) * m;
        for (let b = 0; b < batch; b++) {
          for (let oy = 0; oy < outH; oy++) {
            const y = oy * sh + i - top;
            if (y < 0 || y >= inH) continue;
            const src = row + (b * outH + oy) * outW;
            const dst = (b * inH + y) * inW;
            for (let ox = 0; ox < outW; ox++) {
              const x = ox * sw + j - left;
              if (x >= 0 && x < inW) d[(dst + x) * inC + k] += c[src + ox];
            }
          }
        }
      }
    }
  }
  cols.dispose();
  return tf.engine().makeTensorFromTensorInfo(out) as tf.Tensor4D;
}
