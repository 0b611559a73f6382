import { describe, expect, it } from 'vitest';
import { a255Profile, dividingFactors, idealDiameterMm, initialHardness, A255RangeError } from '../../../core/jominy/a255.js';
import { arrayToChem, chemToArray, DISTANCES_MM } from '../../../core/jominy/elements.js';

const chem = (o: Record<string, number>) => arrayToChem(chemToArray(o));
const at = (profile: number[], d: number) => profile[DISTANCES_MM.indexOf(d as never)];

describe('ASTM A255 reference model', () => {
  it('meets the worked DI example (SAE 4118 mod.) and a hand computation for 1045', () => {
    // Notes §1.2: factors 0.119·3.667·1.126·1.036·1.929·1.75·1.04·1.09 → 1.932 in with the unrounded equations.
    const c4118 = chem({ C: 0.22, Mn: 0.8, Si: 0.18, Ni: 0.1, Cr: 0.43, Mo: 0.25, Cu: 0.1, V: 0.05 });
    expect(idealDiameterMm(c4118) / 25.4).toBeCloseTo(1.932, 3);
    // 1045 by hand: fC = 0.171 + 0.00045 + 0.265·0.2025 = 0.225113; fMn = 3.3333·0.75 + 1 = 3.499975;
    // fSi = 0.7·0.22 + 1 = 1.154 → DI = 0.225113·3.499975·1.154 = 0.909223 in = 23.0943 mm.
    expect(idealDiameterMm(chem({ C: 0.45, Mn: 0.75, Si: 0.22 }))).toBeCloseTo(23.0943, 3);
    // IH(0.40) = 33.087 + 20.2892 + 5.38592 − 0.173107 − 2.739712 + 0.445676 = 56.2950
    expect(initialHardness(0.4)).toBeCloseTo(56.2950, 3);
  });

  it('reproduces the §1.5 regression fixtures within 0.1 HRC where the polynomials are well-behaved', () => {
    const cases: [Record<string, number>, Record<number, number>][] = [
      [{ C: 0.22, Mn: 0.8, Si: 0.18, Ni: 0.1, Cr: 0.43, Mo: 0.25, Cu: 0.1, V: 0.05 }, { 1.5: 45.6, 3: 44.9, 5: 39.9, 7: 33.9, 9: 26.5, 11: 24.0, 13: 22.6, 15: 21.5, 20: 18.8, 25: 17.5, 30: 16.6, 40: 14.9, 50: 13.7 }],
      [{ C: 0.45, Mn: 0.75, Si: 0.22 }, { 1.5: 58.9, 3: 51.3, 5: 34.9, 7: 26.6, 9: 21.6, 11: 20.2, 13: 19.2, 15: 18.1, 20: 16.2, 25: 15.0, 30: 13.7, 40: 11.7, 50: 11.5 }],
      [{ C: 0.2, Mn: 0.8, Si: 0.25, Ni: 0.55, Cr: 0.5, Mo: 0.2 }, { 1.5: 44.4, 3: 43.6, 5: 38.2, 7: 32.2, 9: 25.1, 11: 22.7, 13: 21.4, 15: 20.3, 20: 17.8, 25: 16.6, 30: 15.7, 40: 14.1, 50: 13.0 }],
    ];
    for (const [c, expected] of cases) {
      const r = a255Profile(chem(c));
      expect(r.valid).toBe(true);
      for (const [d, hrc] of Object.entries(expected)) expect(Math.abs(at(r.profile, Number(d)) - hrc)).toBeLessThanOrEqual(0.1);
    }
  });

  it('stays well-behaved over the whole DI range: df ≥ 1, rising with distance, falling with DI', () => {
    let prev: number[] | null = null;
    for (let di = 2; di <= 260; di += 1) {
      const df = dividingFactors(di);
      expect(df[0]).toBe(1);
      for (let k = 0; k < df.length; k++) {
        expect(df[k]).toBeGreaterThanOrEqual(1);
        if (k > 0) expect(df[k]).toBeGreaterThanOrEqual(df[k - 1]);
        if (prev) expect(df[k]).toBeLessThanOrEqual(prev[k] + 1e-9);
      }
      prev = df;
    }
    // A 4140 (DI ≈ 129 mm) would get 0.4 HRC at 3 mm from the raw polynomial; here it stays martensitic.
    const r4140 = a255Profile(chem({ C: 0.4, Mn: 0.9, Si: 0.25, Cr: 1.0, Mo: 0.2 }));
    expect(r4140.diMm).toBeGreaterThan(120);
    expect(at(r4140.profile, 3)).toBeGreaterThan(55);
    expect(at(r4140.profile, 50)).toBeGreaterThan(30);
  });

  it('enforces its validity range and leaves boron out', () => {
    const hiCr = a255Profile(chem({ C: 0.4, Mn: 0.8, Si: 0.25, Cr: 1.8 }));
    expect(hiCr.valid).toBe(false);
    expect(hiCr.violations.join()).toMatch(/Cr 1.8 above/);
    expect(() => a255Profile(chem({ C: 0.4, Mn: 0.8, Si: 0.25, Cr: 3.0 }))).toThrow(A255RangeError);
    expect(() => a255Profile(chem({ C: 0.4, Mn: 0.8, Si: 0.25, Cr: 1.0 }), { strict: true })).not.toThrow();
    expect(() => a255Profile(chem({ C: 0.05, Mn: 0.8, Si: 0.25 }), { strict: true })).toThrow(/C 0.05 below/);
    const base = { C: 0.25, Mn: 1.1, Si: 0.25, Cr: 0.4 };
    const b = a255Profile(chem({ ...base, B: 0.003, Ti: 0.03 }));
    expect(b.profile).toEqual(a255Profile(chem(base)).profile);
    expect(b.ignored).toEqual(['B', 'Ti']);
  });
});
