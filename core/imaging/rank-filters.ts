/**
 * Square min / max filters (grey erosion / dilation) on 8-bit images, separable, with the van Herk / Gil–Werman
 * scheme: three comparisons per pixel and pass whatever the radius. sharp has no rank filter other than the
 * median, and the pore detector needs the local floor of the etch texture over a few mm.
 */

function pass1d(src: Uint8Array, width: number, height: number, radius: number, horizontal: boolean, isMin: boolean): Uint8Array {
  const out = new Uint8Array(src.length);
  const n = horizontal ? width : height;
  const lines = horizontal ? height : width;
  const step = horizontal ? 1 : width;
  const w = 2 * radius + 1;
  // the line padded by `radius` on both sides with the neutral value, so windows clip at the border
  const len = n + 2 * radius;
  const padded = Math.ceil(len / w) * w;
  const line = new Uint8Array(padded), g = new Uint8Array(padded), h = new Uint8Array(padded);
  const neutral = isMin ? 255 : 0;
  for (let l = 0; l < lines; l++) {
    const base = horizontal ? l * width : l;
    line.fill(neutral);
    for (let i = 0; i < n; i++) line[radius + i] = src[base + i * step];
    for (let b = 0; b < padded; b += w) {
      g[b] = line[b];
      for (let i = b + 1; i < b + w; i++) g[i] = isMin ? (line[i] < g[i - 1] ? line[i] : g[i - 1]) : line[i] > g[i - 1] ? line[i] : g[i - 1];
      h[b + w - 1] = line[b + w - 1];
      for (let i = b + w - 2; i >= b; i--) h[i] = isMin ? (line[i] < h[i + 1] ? line[i] : h[i + 1]) : line[i] > h[i + 1] ? line[i] : h[i + 1];
    }
    // the window of output i is padded[i .. i + 2r]: min(h[i], g[i + 2r])
    for (let i = 0; i < n; i++) {
      const a = h[i], c = g[i + 2 * radius];
      out[base + i * step] = isMin ? (a < c ? a : c) : a > c ? a : c;
    }
  }
  return out;
}

/** Minimum over the (2r+1)² square around each pixel (the window is clipped at the image border). */
export function squareMin(data: Uint8Array, width: number, height: number, radius: number): Uint8Array {
  if (radius < 1) return data.slice();
  return pass1d(pass1d(data, width, height, radius, true, true), width, height, radius, false, true);
}

/** Maximum over the (2r+1)² square around each pixel (the window is clipped at the image border). */
export function squareMax(data: Uint8Array, width: number, height: number, radius: number): Uint8Array {
  if (radius < 1) return data.slice();
  return pass1d(pass1d(data, width, height, radius, true, false), width, height, radius, false, false);
}
