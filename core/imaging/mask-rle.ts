/**
 * Run-length coding of a binary mask (row-major, 0/1): alternating run lengths starting with a run of 0s, as
 * little-endian uint32. A pore mask is almost all zeros, so a 2000 px section's mask is a few hundred bytes.
 */
export function encodeMaskRle(mask: Uint8Array): Uint8Array {
  const runs: number[] = [];
  let cur = 0, len = 0;
  for (let k = 0; k < mask.length; k++) {
    const v = mask[k] ? 1 : 0;
    if (v === cur) len++;
    else {
      runs.push(len);
      cur = v;
      len = 1;
    }
  }
  runs.push(len);
  const out = new Uint8Array(4 * runs.length);
  const view = new DataView(out.buffer);
  runs.forEach((r, i) => view.setUint32(4 * i, r, true));
  return out;
}

/** The mask of `length` pixels back from its runs; refuses runs that do not add up to it. */
export function decodeMaskRle(rle: Uint8Array, length: number): Uint8Array {
  if (rle.length % 4) throw new RangeError(`mask runs: ${rle.length} bytes is not a whole number of uint32`);
  const view = new DataView(rle.buffer, rle.byteOffset, rle.byteLength);
  const mask = new Uint8Array(length);
  let at = 0;
  for (let i = 0; i < rle.length / 4; i++) {
    const n = view.getUint32(4 * i, true);
    if (at + n > length) throw new RangeError(`mask runs cover more than ${length} pixels`);
    if (i % 2 === 1) mask.fill(1, at, at + n);
    at += n;
  }
  if (at !== length) throw new RangeError(`mask runs cover ${at} of ${length} pixels`);
  return mask;
}
