import { describe, expect, it } from 'vitest';
import { squareMax, squareMin } from '../../../core/imaging/rank-filters.js';
import { labelComponents, insideDistance } from '../../../core/imaging/connected-components.js';
import { decodeMaskRle, encodeMaskRle } from '../../../core/imaging/mask-rle.js';
import { createRng } from '../../../core/synth/index.js';

describe('pore detector building blocks', () => {
  it('square min/max equal the brute-force window (clipped at the border) for several radii', () => {
    const w = 37, h = 23;
    const rng = createRng(3);
    const img = Uint8Array.from({ length: w * h }, () => rng.int(256));
    for (const r of [1, 2, 5, 11]) {
      const mn = squareMin(img, w, h, r), mx = squareMax(img, w, h, r);
      for (let y = 0; y < h; y++)
        for (let x = 0; x < w; x++) {
          let a = 255, b = 0;
          for (let yy = Math.max(0, y - r); yy <= Math.min(h - 1, y + r); yy++)
            for (let xx = Math.max(0, x - r); xx <= Math.min(w - 1, x + r); xx++) (a = Math.min(a, img[yy * w + xx])), (b = Math.max(b, img[yy * w + xx]));
          expect([mn[y * w + x], mx[y * w + x]]).toEqual([a, b]);
        }
    }
  });

  it('labels 8-connected blobs with area, centroid and inscribed radius; the mask survives run-length coding', () => {
    const w = 20, h = 10;
    const m = new Uint8Array(w * h);
    for (let y = 2; y <= 6; y++) for (let x = 2; x <= 6; x++) m[y * w + x] = 1; // 5×5 square, centre (4, 4)
    m[8 * w + 15] = 1;
    m[9 * w + 16] = 1; // diagonal pair: one component under 8-connectivity
    const { components, labels } = labelComponents(m, w, h);
    expect(components.map((c) => c.areaPx)).toEqual([25, 2]);
    expect([components[0].cxPx, components[0].cyPx]).toEqual([4, 4]);
    expect(labels[9 * w + 16]).toBe(labels[8 * w + 15]);
    const d = insideDistance(m, w, h);
    expect(d[4 * w + 4]).toBe(3); // the square's centre is 3 px from the background
    expect(decodeMaskRle(encodeMaskRle(m), m.length)).toEqual(m);
    expect(() => decodeMaskRle(encodeMaskRle(m), m.length + 1)).toThrow(/cover/);
  });
});
