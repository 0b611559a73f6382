import * as tf from '@tensorflow/tfjs';
import { convGeometry, padOrCrop, type Pad } from './conv-geometry.js';

export interface BackpropFilterAttrs {
  strides: number | [number, number];
  pad: Pad;
  dataFormat?: string;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: [number, number, number, number];
}

/** Below this many im2col columns one matmul over all taps beats one matmul per tap. */
const SINGLE_MATMUL_MAX_COLS = 96;

/**
 * dW[i,j,ci,co] = Σ_{b,y,x} xPad[b, y·sh+i, x·sw+j, ci] · dy[b,y,x,co], written as matrix products
 * (the wasm backend runs BatchMatMul through XNNPACK, fast and exact in float32):
 * for every filter tap the shifted input window, reshaped to [N, Cin], is multiplied by dy [N, Cout].
 * Small Cin (first layer: grey or RGB) is gathered into one im2col matrix instead.
 */
export function conv2dBackpropFilter(x: tf.Tensor4D, dy: tf.Tensor4D, attrs: BackpropFilterAttrs): tf.Tensor4D {
  const g = convGeometry(x.shape, attrs.filterShape, attrs.strides, attrs.pad, attrs.dimRoundingMode, attrs.dataFormat);
  if (dy.shape[1] !== g.outH || dy.shape[2] !== g.outW || dy.shape[3] !== g.outC) {
    throw new Error(`Conv2DBackpropFilter: dy shape ${dy.shape.join('×')} does not match the convolution output ${g.batch}×${g.outH}×${g.outW}×${g.outC}`);
  }
  return tf.tidy(() => {
    const needH = (g.outH - 1) * g.sh + g.fh;
    const needW = (g.outW - 1) * g.sw + g.fw;
    const xp = padOrCrop(x, g.top, needH - g.top - g.inH, g.left, needW - g.left - g.inW);
    const n = g.batch * g.outH * g.outW;
    const dy2 = tf.reshape(dy, [n, g.outC]) as tf.Tensor2D;
    const spanH = (g.outH - 1) * g.sh + 1;
    const spanW = (g.outW - 1) * g.sw + 1;
    const tap = (i: number, j: number): tf.Tensor4D => {
      if (g.sh === 1 && g.sw === 1) return tf.slice(xp, [0, i, j, 0], [g.batch, spanH, spanW, g.inC]);
      return tf.stridedSlice(xp, [0, i, j, 0], [g.batch, i + spanH, j + spanW, g.inC], [1, g.sh, g.sw, 1]) as tf.Tensor4D;
    };
    const taps: [number, number][] = [];
    for (let i = 0; i < g.fh; i++) for (let j = 0; j < g.fw; j++) taps.push([i, j]);
    if (taps.length * g.inC <= SINGLE_MATMUL_MAX_COLS) {
      const cols = tf.concat(taps.map(([i, j]) => tap(i, j)), 3);
      const dw = tf.matMul(tf.reshape(cols, [n, taps.length * g.inC]) as tf.Tensor2D, dy2, true, false);
      return tf.reshape(dw, [g.fh, g.fw, g.inC, g.outC]) as tf.Tensor4D;
    }
    const parts = taps.map(([i, j]) =>
      tf.tidy(() => tf.matMul(tf.reshape(tap(i, j), [n, g.inC]) as tf.Tensor2D, dy2, true, false)),
    );
    return tf.reshape(tf.stack(parts), [g.fh, g.fw, g.inC, g.outC]) as tf.Tensor4D;
  });
}
