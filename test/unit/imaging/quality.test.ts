import { describe, expect, it } from 'vitest';
import { glcm, glcmContrast, quantise, rmsContrast, shannonEntropy, assessQuality, qualityFigures } from '../../../core/imaging/index.js';

// scikit-image's graycomatrix fixture (test_texture.py); values checked by hand below.
const FIX = [0, 0, 1, 1, 0, 0, 1, 1, 0, 2, 2, 2, 2, 2, 3, 3];

describe('GLCM', () => {
  it('matches the scikit-image fixture counts for offset (dx=1, dy=0), 4 levels', () => {
    const P = glcm(FIX, 4, 4, 4, [1, 0]);
    expect(Array.from(P)).toEqual([2, 2, 1, 0, 0, 2, 0, 0, 0, 0, 3, 1, 0, 0, 0, 1]);
  });

  it('normalised contrast of the fixture is 7/12, unchanged by symmetry', () => {
    // pairs with |i−j| = 1: (0,1)×2, (2,3)×1 → 3·1; |i−j| = 2: (0,2)×1 → 4; total 7 over 12 pairs.
    const levels = 4;
    const contrastOf = (P: Float64Array) => {
      let c = 0;
      for (let i = 0; i < levels; i++) for (let j = 0; j < levels; j++) c += P[i * levels + j] * (i - j) ** 2;
      return c;
    };
    expect(contrastOf(glcm(FIX, 4, 4, 4, [1, 0], { normed: true }))).toBeCloseTo(7 / 12, 12);
    expect(contrastOf(glcm(FIX, 4, 4, 4, [1, 0], { normed: true, symmetric: true }))).toBeCloseTo(7 / 12, 12);
    const sym = glcm(FIX, 4, 4, 4, [1, 0], { symmetric: true });
    expect(sym.reduce((a, b) => a + b, 0)).toBe(24);
    expect(sym[0 * 4 + 1]).toBe(2);
    expect(sym[1 * 4 + 0]).toBe(2);
    expect(sym[0]).toBe(4);
  });

  it('averages contrast over offsets on a vertical-stripe image', () => {
    // columns 0,255,0,255 → quantised (8 levels) 0,7,0,7: horizontal neighbours always differ by 7 (49),
    // vertical neighbours never (0), both diagonals always differ by 7 (49). Mean over 4 offsets = 3·49/4.
    const img = new Uint8Array(16);
    for (let y = 0; y < 4; y++) for (let x = 0; x < 4; x++) img[y * 4 + x] = x % 2 ? 255 : 0;
    expect(Array.from(quantise(img, 8)).slice(0, 4)).toEqual([0, 7, 0, 7]);
    const c = glcmContrast(img, 4, 4, { levels: 8, offsets: [[1, 0], [1, -1], [0, -1], [-1, -1]], symmetric: true, normed: true });
    expect(c).toBeCloseTo((3 * 49) / 4, 12);
  });
});

describe('RMS contrast and entropy', () => {
  it('RMS contrast of the fixture scaled by 3 is 0.34359 (population std)', () => {
    // mean = 20/16 = 1.25; Σv² = 42 → var = 42/16 − 1.25² = 1.0625 → std 1.030776 → /3 = 0.343592
    expect(rmsContrast(FIX, 3)).toBeCloseTo(0.343592, 5);
  });
  it('RMS contrast of a half-black half-white image is 0.5', () => {
    const img = new Uint8Array(100);
    img.fill(255, 50);
    expect(rmsContrast(img)).toBeCloseTo(0.5, 12);
  });
  it('entropy of the fixture histogram (5,4,5,2)/16 is 1.92379 bits', () => {
    const p = [5, 4, 5, 2].map((n) => n / 16);
    const hand = -p.reduce((s, q) => s + q * Math.log2(q), 0);
    expect(hand).toBeCloseTo(1.92379, 5);
    expect(shannonEntropy(FIX)).toBeCloseTo(hand, 12);
  });
  it('entropy of a flat image is 0 and of a uniform 256-level ramp is 8 bits', () => {
    expect(shannonEntropy(new Uint8Array(64).fill(9))).toBe(0);
    expect(shannonEntropy(Uint8Array.from({ length: 256 }, (_, i) => i))).toBeCloseTo(8, 12);
  });
  it('flags a nearly flat patch as low etch contrast and passes a textured one', () => {
    const flat = new Uint8Array(64 * 64).map((_, i) => 120 + (i % 3));
    const q1 = assessQuality(flat, 64, 64);
    expect(q1.lowEtchContrast).toBe(true);
    expect(q1.flags).toContain('low-rms-contrast');
    const tex = new Uint8Array(64 * 64).map((_, i) => ((i * 2654435761) >>> 24) & 255);
    const q2 = assessQuality(tex, 64, 64);
    expect(q2.lowEtchContrast).toBe(false);
    expect(qualityFigures(tex, 64, 64).rmsContrast).toBeGreaterThan(0.25);
  });
});
