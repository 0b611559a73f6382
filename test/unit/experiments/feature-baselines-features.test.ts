import { describe, expect, it } from 'vitest';
import { glcmContrast } from '../../../core/imaging/quality.js';
import { TEXTURE_FEATURE_KEYS, textureFeatureVector, textureFeatures } from '../../../core/imaging/texture-features.js';

const side = 8;

describe('texture features of known images', () => {
  it('a flat image has no spread, no entropy and no GLCM contrast', () => {
    const f = textureFeatures(new Uint8Array(side * side).fill(128), side, side);
    expect(f.rmsContrast).toBe(0);
    expect(f.entropyBits).toBe(0);
    expect(f.glcmContrast).toBe(0);
    expect(f.glcmDissimilarity).toBe(0);
    expect(f.skewness).toBe(0);
    expect(f.kurtosis).toBe(0);
    expect(f.glcmHomogeneity).toBe(1);
    expect(f.glcmAsm).toBe(1);
    expect(f.glcmEnergy).toBe(1);
    expect(f.glcmCorrelation).toBe(1);
    expect(f.mean).toBeCloseTo(128 / 255, 12);
    expect(f.p10).toBe(f.p90);
  });

  it('a one-pixel 0/255 checkerboard: GLCM contrast (31² at 0° and 90°, 0 on the diagonals) averages 480.5', () => {
    const img = new Uint8Array(side * side);
    for (let y = 0; y < side; y++) for (let x = 0; x < side; x++) img[y * side + x] = (x + y) % 2 ? 255 : 0;
    const f = textureFeatures(img, side, side);
    // 32 levels: 0 → 0, 255 → 31. Horizontal and vertical neighbours always differ by 31, diagonal ones never.
    expect(f.glcmContrast).toBeCloseTo((31 * 31 * 2) / 4, 10);
    expect(f.glcmContrast).toBeCloseTo(glcmContrast(img, side, side), 12);
    expect(f.glcmDissimilarity).toBeCloseTo((31 * 2) / 4, 10);
    expect(f.glcmHomogeneity).toBeCloseTo((2 / (1 + 961) + 2) / 4, 10);
    // 0°/90°: two cells of ½ (ASM ½). Diagonals: 49 pairs, 25 of one colour and 24 of the other.
    const diagAsm = (25 / 49) ** 2 + (24 / 49) ** 2;
    expect(f.glcmAsm).toBeCloseTo((0.5 * 2 + diagAsm * 2) / 4, 12);
    expect(f.glcmEnergy).toBeCloseTo((Math.SQRT1_2 * 2 + Math.sqrt(diagAsm) * 2) / 4, 12);
    // Perfect anti-correlation at 0°/90°, perfect correlation on the diagonals.
    expect(f.glcmCorrelation).toBeCloseTo(0, 10);
    expect(f.entropyBits).toBeCloseTo(1, 12);
    expect(f.mean).toBeCloseTo(0.5, 12);
    expect(f.rmsContrast).toBeCloseTo(0.5, 12);
    expect(f.skewness).toBeCloseTo(0, 12);
    expect(f.kurtosis).toBeCloseTo(-2, 12);
  });

  it('percentiles and skewness of a ramp with one bright outlier', () => {
    const img = new Uint8Array(100);
    for (let i = 0; i < 100; i++) img[i] = i;
    img[99] = 255;
    const f = textureFeatures(img, 10, 10);
    expect(f.p10).toBeCloseTo(9 / 255, 12);
    expect(f.p50).toBeCloseTo(49 / 255, 12);
    expect(f.p90).toBeCloseTo(89 / 255, 12);
    expect(f.skewness).toBeGreaterThan(0.3);
  });

  it('the vector follows TEXTURE_FEATURE_KEYS and refuses a wrong size', () => {
    const f = textureFeatures(new Uint8Array(16).fill(3), 4, 4);
    const v = textureFeatureVector(f);
    expect(v).toHaveLength(TEXTURE_FEATURE_KEYS.length);
    expect(v[TEXTURE_FEATURE_KEYS.indexOf('glcmHomogeneity')]).toBe(1);
    expect(() => textureFeatures(new Uint8Array(15), 4, 4)).toThrow(/15 pixels for 4×4/);
  });
});
