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

/** A baseline little-endian TIFF, uncompressed, 16-bit greyscale (BlackIsZero) — written by hand so the test does not depend on an encoder. */
export function tiff16(w: number, h: number, px: Uint16Array): Buffer {
  const entries: Array<[number, number, number, number]> = [
    // tag, type (3 SHORT, 4 LONG), count, value
    [256, 4, 1, w],
    [257, 4, 1, h],
    [258, 3, 1, 16],
    [259, 3, 1, 1],
    [262, 3, 1, 1],
    [273, 4, 1, 0], // strip offset, patched below
    [277, 3, 1, 1],
    [278, 4, 1, h],
    [279, 4, 1, w * h * 2],
  ];
  const ifdSize = 2 + entries.length * 12 + 4;
  const dataOffset = 8 + ifdSize;
  const buf = Buffer.alloc(dataOffset + w * h * 2);
  buf.write('II', 0, 'ascii');
  buf.writeUInt16LE(42, 2);
  buf.writeUInt32LE(8, 4);
  buf.writeUInt16LE(entries.length, 8);
  entries.forEach(([tag, type, count, value], i) => {
    const o = 10 + i * 12;
    buf.writeUInt16LE(tag, o);
    buf.writeUInt16LE(type, o + 2);
    buf.writeUInt32LE(count, o + 4);
    const v = tag === 273 ? dataOffset : value;
    if (type === 3) buf.writeUInt16LE(v, o + 8);
    else buf.writeUInt32LE(v, o + 8);
  });
  buf.writeUInt32LE(0, 10 + entries.length * 12);
  for (let i = 0; i < px.length; i++) buf.writeUInt16LE(px[i], dataOffset + 2 * i);
  return buf;
}
