import sharp from 'sharp';

/** Deterministic grey noise with a smooth gradient (so CLAHE has structure to work on): w·h bytes, row by row. */
export function greyPixels(w: number, h: number, seed: number): Uint8Array {
  let s = seed >>> 0;
  const out = new Uint8Array(w * h);
  for (let i = 0; i < out.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = Math.min(255, Math.floor((i % w) * 0.5 + (s >>> 24) * 0.6));
  }
  return out;
}

/** One-channel 8-bit pixels (w·h bytes) as a PNG file's bytes. */
export const greyPngOf = (pixels: Uint8Array, w: number, h: number) => sharp(pixels, { raw: { width: w, height: h, channels: 1 } }).png().toBuffer();

/** greyPixels(w, h, seed) as a PNG file's bytes. */
export const greyPng = (w: number, h: number, seed: number) => greyPngOf(greyPixels(w, h, seed), w, h);
