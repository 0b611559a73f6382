import sharp from 'sharp';
import { DEFAULT_CLAHE, type ClaheSettings } from './types.js';

/**
 * Contrast-limited adaptive histogram equalisation through sharp (libvips `hist_local`: a sliding window with
 * mirrored edges — not OpenCV's tiled CLAHE, so parameters are not interchangeable with a Python pipeline).
 * The window is clamped to the image so small patches still work.
 */
export async function applyClahe(data: Uint8Array, width: number, height: number, settings: ClaheSettings = DEFAULT_CLAHE): Promise<Uint8Array> {
  if (data.length !== width * height) throw new Error(`applyClahe: expected ${width}×${height} grey values, got ${data.length}`);
  const w = Math.max(1, Math.min(width, Math.round(settings.width)));
  const h = Math.max(1, Math.min(height, Math.round(settings.height)));
  const maxSlope = Math.max(0, Math.min(100, Math.round(settings.maxSlope)));
  const out = await sharp(data, { raw: { width, height, channels: 1 } })
    .clahe({ width: w, height: h, maxSlope })
    .toColourspace('b-w')
    .raw({ depth: 'uchar' })
    .toBuffer();
  return new Uint8Array(out.buffer, out.byteOffset, out.length);
}
