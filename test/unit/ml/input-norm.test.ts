import { describe, it, expect } from 'vitest';
import { normalisePatch, modelInputNorm } from '../../../core/ml/input-norm.js';

describe('per-patch input normalisation', () => {
  it('undoes an affine etch/illumination change: the same structure under two exposures gives the same input', () => {
    // 100 pixels: 30 dark (interdendritic) at 60, 70 light at 180; the same patch under lower gain and an offset.
    const a = Uint8Array.from({ length: 100 }, (_, i) => (i % 10 < 3 ? 60 : 180));
    const b = Uint8Array.from(a, (v) => Math.round(0.5 * v + 40));
    const na = normalisePatch(a, 'percentile');
    const nb = normalisePatch(b, 'percentile');
    expect(Array.from(na)).toEqual(Array.from(nb));
    // Dark maps to 0 and light to 255, so the mean input is the light-phase fraction.
    expect(na.filter((v) => v === 0).length).toBe(30);
    expect(na.filter((v) => v === 255).length).toBe(70);
  });

  it('clips the 2 % tails, leaves flat patches flat, and old models use none', () => {
    const p = Uint8Array.from({ length: 100 }, (_, i) => i + 50); // 50..149
    const n = normalisePatch(p, 'percentile');
    // rank floor(0.02·99) = 1 → 51, rank floor(0.98·99) = 97 → 147
    expect(n[1]).toBe(0);
    expect(n[0]).toBe(0);
    expect(n[97]).toBe(255);
    expect(n[99]).toBe(255);
    expect(n[49]).toBe(Math.round(((99 - 51) * 255) / 96));
    const flat = normalisePatch(new Uint8Array(64).fill(120), 'percentile');
    expect(new Set(flat).size).toBe(1);
    expect(normalisePatch(p, 'none')).toBe(p);
    expect(modelInputNorm({ clahe: true })).toBe('none');
    expect(modelInputNorm({ inputNorm: 'percentile' })).toBe('percentile');
    expect(() => normalisePatch(p, 'zscore' as never)).toThrow(/unknown input normalisation/);
  });
});
