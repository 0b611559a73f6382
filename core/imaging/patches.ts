import sharp from 'sharp';
import type { Calibration, GreyImage, Patch, PatchSettings } from './types.js';
import { DEFAULT_PATCH_SETTINGS } from './types.js';
import { mmToPx } from './calibration.js';

export interface PatchPointPx {
  label: string;
  xPx: number;
  yPx: number;
}

export interface PatchPointMm {
  label: string;
  xMm: number;
  yMm: number;
}

/** Side (px, on the full-resolution section) of the window to cut for the given settings. */
export function patchSourceSizePx(settings: PatchSettings, cal: Calibration | null): number {
  if (settings.sizeMm === null) return Math.max(2, Math.round(settings.nativeSizePx));
  if (!cal) throw new Error('a patch size in mm needs a calibrated section (circle + nominal diameter)');
  return Math.max(2, Math.round(settings.sizeMm / cal.mmPerPx));
}

export function pointsMmToPx(cal: Calibration, points: readonly PatchPointMm[]): PatchPointPx[] {
  return points.map((p) => {
    const q = mmToPx(cal, p.xMm, p.yMm);
    return { label: p.label, xPx: q.x, yPx: q.y };
  });
}

/**
 * Copies a `side × side` window centred on (cx, cy) out of the decoded section. Pixels outside the image are
 * filled by replicating the nearest edge pixel, and the outside fraction is reported so callers can warn.
 */
export function cutWindow(img: GreyImage, cx: number, cy: number, side: number): { data: Uint8Array; outsideFraction: number } {
  const x0 = Math.round(cx - side / 2);
  const y0 = Math.round(cy - side / 2);
  const out = new Uint8Array(side * side);
  let outside = 0;
  for (let y = 0; y < side; y++) {
    const sy = y0 + y;
    const yIn = sy >= 0 && sy < img.height;
    const cyc = sy < 0 ? 0 : sy >= img.height ? img.height - 1 : sy;
    const rowSrc = cyc * img.width;
    const rowDst = y * side;
    const xa = Math.max(0, -x0), xb = Math.min(side, img.width - x0);
    if (xa < xb) out.set(img.data.subarray(rowSrc + x0 + xa, rowSrc + x0 + xb), rowDst + xa);
    if (xa > 0) out.fill(img.data[rowSrc], rowDst, rowDst + Math.min(xa, side));
    if (xb < side) out.fill(img.data[rowSrc + img.width - 1], rowDst + Math.max(0, xb), rowDst + side);
    outside += yIn ? Math.max(0, Math.min(xa, side)) + Math.max(0, side - Math.max(0, xb)) : side;
  }
  return { data: out, outsideFraction: outside / (side * side) };
}

/** Resamples a square grey array to `outSize` (Lanczos-3 when shrinking, bicubic when enlarging). */
export async function resampleSquare(data: Uint8Array, size: number, outSize: number): Promise<Uint8Array> {
  if (size === outSize) return data;
  const buf = await sharp(data, { raw: { width: size, height: size, channels: 1 } })
    .resize({ width: outSize, height: outSize, fit: 'fill', kernel: outSize < size ? 'lanczos3' : 'cubic' })
    .toColourspace('b-w')
    .raw({ depth: 'uchar' })
    .toBuffer();
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.length);
}

/**
 * Cuts every point's patch from ONE decoded section held in memory (the section is never re-decoded per patch)
 * and resamples each to the model input size.
 */
export async function extractPatches(
  section: GreyImage,
  points: readonly PatchPointPx[],
  opts: { sourceSizePx: number; outputSizePx?: number; signal?: AbortSignal; onProgress?: (done: number, total: number) => void },
): Promise<Patch[]> {
  const outSize = opts.outputSizePx ?? DEFAULT_PATCH_SETTINGS.outputSizePx;
  const side = Math.max(2, Math.round(opts.sourceSizePx));
  const patches: Patch[] = [];
  for (let i = 0; i < points.length; i++) {
    opts.signal?.throwIfAborted();
    const p = points[i];
    const win = cutWindow(section, p.xPx, p.yPx, side);
    const data = await resampleSquare(win.data, side, outSize);
    patches.push({ label: p.label, size: outSize, data, centerPx: { x: p.xPx, y: p.yPx }, sourceSizePx: side, outsideFraction: win.outsideFraction });
    opts.onProgress?.(i + 1, points.length);
  }
  return patches;
}

/** Patch as a Float32Array in [0, 1] — the model's input format. */
export function toFloat01(data: Uint8Array): Float32Array {
  const out = new Float32Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = data[i] / 255;
  return out;
}
