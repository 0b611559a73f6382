import * as tf from '@tensorflow/tfjs';
import { convGeometry, padOrCrop, type ConvGeometry, type Pad } from './conv-geometry.js';
import { filterGradByTaps, tapsApply } from './filter-grad-taps.js';
import { columnsApply, filterGradByColumns } from './filter-grad-columns.js';
import { filterGradOneChannel, oneChannelApplies } from './filter-grad-one-channel.js';
import type { WasmStore } from './tap-products.js';

export interface BackpropFilterAttrs {
  strides: number | [number, number];
  pad: Pad;
  dataFormat?: string;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: [number, number, number, number];
}

/**
 * dW[i,j,ci,co] = Σ_{b,y,x} xPad[b, y·sh+i, x·sw+j, ci] · dy[b,y,x,co].
 *
 * That sum is itself a forward convolution once the roles of the axes are swapped: input channels
 * become the batch, the image batch becomes the channels, and dy (dilated by the stride) becomes
 * the filter: conv2d(xPad as [Cin, H, W, B], dy as [oh, ow, B, Cout], dilation = stride) has shape
 * [Cin, fh, fw, Cout]. The wasm backend runs forward convolutions through XNNPACK, so this costs
 * about two forward passes instead of the ~13 of a per-tap matmul (measured on 224×224×32→32). Stride-1
 * convolutions (all the presets have) take faster matrix products: many channels whose im2col fits in 32 MB the
 * one product of filter-grad-columns.ts, many pixels the tap-wise GEMMs of filter-grad-taps.ts (a single input channel:
 * filter-grad-one-channel.ts). In a training run,
 * 3×3 stride-1 layers where the Winograd route applies never reach this function: register-wasm.ts sends them to
 * winograd-filter-grad.ts first.
 */
export function conv2dBackpropFilter(x: tf.Tensor4D, dy: tf.Tensor4D, attrs: BackpropFilterAttrs): tf.Tensor4D {
  const g = convGeometry(x.shape, attrs.filterShape, attrs.strides, attrs.pad, attrs.dimRoundingMode, attrs.dataFormat);
  if (dy.shape[1] !== g.outH || dy.shape[2] !== g.outW || dy.shape[3] !== g.outC) {
    throw new Error(`Conv2DBackpropFilter: dy shape ${dy.shape.join('×')} does not match the convolution output ${g.batch}×${g.outH}×${g.outW}×${g.outC}`);
  }
  if (columnsApply(g)) return tf.tidy(() => filterGradByColumns(x, dy, g));
  if (oneChannelApplies(g)) {
    const w = filterGradOneChannel(tf.backend() as unknown as WasmStore, x, dy, g);
    if (w) return tf.engine().makeTensorFromTensorInfo(w) as tf.Tensor4D;
  }
  if (tapsApply(g)) return tf.tidy(() => filterGradByTaps(x, dy, g));
  return filterGradByConvTrick(x, dy, g);
}

/** The conv trick above, for any stride (and the bench's comparison of the routes). */
export function filterGradByConvTrick(x: tf.Tensor4D, dy: tf.Tensor4D, g: ConvGeometry): tf.Tensor4D {
  return tf.tidy(() => {
    const needH = (g.outH - 1) * g.sh + g.fh;
    const needW = (g.outW - 1) * g.sw + g.fw;
    const xp = padOrCrop(x, g.top, needH - g.top - g.inH, g.left, needW - g.left - g.inW);
    const xt = tf.transpose(xp, [3, 1, 2, 0]) as tf.Tensor4D; // [Cin, H, W, B]
    const f = tf.transpose(dy, [1, 2, 0, 3]) as tf.Tensor4D; // [oh, ow, B, Cout]
    const dilations: [number, number] = [g.sh, g.sw];
    const w = tf.conv2d(xt, f, 1, 'valid', 'NHWC', dilations); // [Cin, fh, fw, Cout]
    return tf.transpose(w, [1, 2, 0, 3]) as tf.Tensor4D;
  });
}
