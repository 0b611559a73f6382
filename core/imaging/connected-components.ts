/**
 * 8-connected component labelling of a binary mask, with per-component moments (area, centroid, extent),
 * iterative (an explicit stack: a 12000 px section's blob would overflow a recursive fill).
 */

export interface Component {
  /** Label in `labels` (1-based). */
  label: number;
  areaPx: number;
  /** Centroid, full-resolution pixels (a pixel's centre at its integer index, as calibration's pxToMm reads it). */
  cxPx: number;
  cyPx: number;
  /** Largest distance from the centroid to a pixel centre, px. */
  maxRadiusPx: number;
  /** Bounding box, inclusive. */
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export interface Labelled {
  /** 0 = background, else the component's label. */
  labels: Int32Array;
  components: Component[];
}

/** Labels the non-zero pixels of `mask` (8-connectivity). */
export function labelComponents(mask: Uint8Array, width: number, height: number): Labelled {
  if (mask.length !== width * height) throw new RangeError(`mask has ${mask.length} pixels, expected ${width}×${height}`);
  const labels = new Int32Array(mask.length);
  const components: Component[] = [];
  const stack: number[] = [];
  const members: number[] = [];
  for (let start = 0; start < mask.length; start++) {
    if (!mask[start] || labels[start]) continue;
    const label = components.length + 1;
    labels[start] = label;
    stack.push(start);
    members.length = 0;
    let sx = 0, sy = 0, x0 = width, y0 = height, x1 = -1, y1 = -1;
    while (stack.length) {
      const k = stack.pop()!;
      members.push(k);
      const x = k % width, y = (k - x) / width;
      sx += x;
      sy += y;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
      for (let dy = -1; dy <= 1; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= height) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          if (xx < 0 || xx >= width || (dx === 0 && dy === 0)) continue;
          const q = yy * width + xx;
          if (mask[q] && !labels[q]) {
            labels[q] = label;
            stack.push(q);
          }
        }
      }
    }
    const n = members.length;
    const cx = sx / n, cy = sy / n;
    let r2 = 0;
    for (const k of members) {
      const x = k % width, y = (k - x) / width;
      r2 = Math.max(r2, (x - cx) ** 2 + (y - cy) ** 2);
    }
    components.push({ label, areaPx: n, cxPx: cx, cyPx: cy, maxRadiusPx: Math.sqrt(r2), x0, y0, x1, y1 });
  }
  return { labels, components };
}

/**
 * Chamfer (3-4) distance of every mask pixel to the nearest background pixel, in px (≈ Euclidean within 8 %):
 * the largest value inside a component is the radius of the biggest disc it holds (how "thick" it is).
 */
export function insideDistance(mask: Uint8Array, width: number, height: number): Float32Array {
  const INF = 1e9;
  const d = new Float32Array(mask.length);
  for (let k = 0; k < mask.length; k++) d[k] = mask[k] ? INF : 0;
  const at = (x: number, y: number) => (x < 0 || y < 0 || x >= width || y >= height ? 0 : d[y * width + x]);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const k = y * width + x;
      if (!d[k]) continue;
      d[k] = Math.min(d[k], at(x - 1, y) + 3, at(x, y - 1) + 3, at(x - 1, y - 1) + 4, at(x + 1, y - 1) + 4);
    }
  for (let y = height - 1; y >= 0; y--)
    for (let x = width - 1; x >= 0; x--) {
      const k = y * width + x;
      if (!d[k]) continue;
      d[k] = Math.min(d[k], at(x + 1, y) + 3, at(x, y + 1) + 3, at(x + 1, y + 1) + 4, at(x - 1, y + 1) + 4);
    }
  for (let k = 0; k < d.length; k++) d[k] /= 3;
  return d;
}
