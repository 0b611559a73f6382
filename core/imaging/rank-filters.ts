/**
 * Square min / max filters (grey erosion / dilation) on 8-bit images, separable: a (2r+1)² window costs two
 * 1-D passes. sharp has no rank filter other than the median, and the pore detector needs the local floor
 * and ceiling of the etch texture.
 */

function pass1d(src: Uint8Array, width: number, height: number, radius: number, horizontal: boolean, pick: (a: number, b: number) => number): Uint8Array {
  const out = new Uint8Array(src.length);
  const n = horizontal ? width : height;
  const lines = horizontal ? height : width;
  const step = horizontal ? 1 : width;
  for (let l = 0; l < lines; l++) {
    const base = horizontal ? l * width : l;
    for (let i = 0; i < n; i++) {
      const a = Math.max(0, i - radius), b = Math.min(n - 1, i + radius);
      let v = src[base + a * step];
      for (let k = a + 1; k <= b; k++) v = pick(v, src[base + k * step]);
      out[base + i * step] = v;
    }
  }
  return out;
}

/** Minimum over the (2r+1)² square around each pixel (the window is clipped at the image border). */
export function squareMin(data: Uint8Array, width: number, height: number, radius: number): Uint8Array {
  if (radius < 1) return data.slice();
  return pass1d(pass1d(data, width, height, radius, true, Math.min), width, height, radius, false, Math.min);
}

/** Maximum over the (2r+1)² square around each pixel (the window is clipped at the image border). */
export function squareMax(data: Uint8Array, width: number, height: number, radius: number): Uint8Array {
  if (radius < 1) return data.slice();
  return pass1d(pass1d(data, width, height, radius, true, Math.max), width, height, radius, false, Math.max);
}
