/**
 * Pore pixels under a patch: the detection's full-resolution mask (core/imaging/pores) read over the square a
 * patch is cut from (side in mm, centred on a billet-centred mm position, same window as `cutWindow`).
 */
export interface PoreMaskSource {
  width: number;
  height: number;
  /** 1 on pore pixels, row-major. */
  mask: Uint8Array;
  /** The rim circle the detection used (px): its centre is the billet centre. */
  circle: { cx: number; cy: number };
  mmPerPx: number;
}

function windowOf(src: PoreMaskSource, xMm: number, yMm: number, sideMm: number) {
  const cx = src.circle.cx + xMm / src.mmPerPx, cy = src.circle.cy + yMm / src.mmPerPx;
  const side = Math.max(1, Math.round(sideMm / src.mmPerPx));
  return { x0: Math.round(cx - side / 2), y0: Math.round(cy - side / 2), side };
}

/** Fraction of the square of side `sideMm` centred on (xMm, yMm) that lies on pore pixels (off the image: no pore). */
export function poreFractionInSquare(src: PoreMaskSource, xMm: number, yMm: number, sideMm: number): number {
  const { x0, y0, side } = windowOf(src, xMm, yMm, sideMm);
  let n = 0;
  for (let y = Math.max(0, y0); y < Math.min(src.height, y0 + side); y++) {
    const row = y * src.width;
    for (let x = Math.max(0, x0); x < Math.min(src.width, x0 + side); x++) n += src.mask[row + x];
  }
  return n / (side * side);
}

/**
 * The pore mask of a patch at the model's input size: an output pixel is a pore pixel when any section pixel under
 * it is one (conservative: a region test must not count a void's edge as texture).
 */
export function poreMaskOfPatch(src: PoreMaskSource, xMm: number, yMm: number, sideMm: number, size: number): Uint8Array {
  const { x0, y0, side } = windowOf(src, xMm, yMm, sideMm);
  const out = new Uint8Array(size * size);
  for (let v = 0; v < size; v++) {
    const ya = y0 + Math.floor((v * side) / size), yb = y0 + Math.max(Math.floor((v * side) / size), Math.ceil(((v + 1) * side) / size) - 1);
    for (let u = 0; u < size; u++) {
      const xa = x0 + Math.floor((u * side) / size), xb = x0 + Math.max(Math.floor((u * side) / size), Math.ceil(((u + 1) * side) / size) - 1);
      let hit = 0;
      for (let y = Math.max(0, ya); y <= Math.min(src.height - 1, yb) && !hit; y++)
        for (let x = Math.max(0, xa); x <= Math.min(src.width - 1, xb); x++)
          if (src.mask[y * src.width + x]) {
            hit = 1;
            break;
          }
      out[v * size + u] = hit;
    }
  }
  return out;
}
