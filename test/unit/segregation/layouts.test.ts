import { describe, expect, it } from 'vitest';
import { layoutPoints, pointLabel, type LayoutPattern } from '../../../core/segregation/index.js';

const q = (v: number) => (Math.round(v * 1e6) / 1e6 + 0).toFixed(6);
const key = (x: number, y: number) => `${q(x)},${q(y)}`;
const keys = (pts: { xMm: number; yMm: number }[]) => new Set(pts.map((p) => key(p.xMm + 0, p.yMm + 0)));
const mirror = (pts: { xMm: number; yMm: number }[], f: (x: number, y: number) => [number, number]) =>
  new Set(pts.map((p) => { const [x, y] = f(p.xMm, p.yMm); return key(x + 0, y + 0); }));

describe('hex85 layout', () => {
  const pts = layoutPoints({ diameterMm: 600, marginMm: 30 });

  it('has exactly 85 points labelled P01…P85 in order', () => {
    expect(pts).toHaveLength(85);
    expect(pts.map((p) => p.label)).toEqual(Array.from({ length: 85 }, (_, i) => `P${String(i + 1).padStart(2, '0')}`));
  });

  it('keeps every point inside the section with the margin, the outermost ones exactly on it', () => {
    const r = pts.map((p) => Math.hypot(p.xMm, p.yMm));
    expect(Math.max(...r)).toBeCloseTo(270, 6);
    for (const v of r) expect(v).toBeLessThanOrEqual(270 + 1e-6);
    // 12 lattice nodes sit at √21 spacings (the outer ring), one at the centre
    expect(r.filter((v) => Math.abs(v - 270) < 1e-6)).toHaveLength(12);
    expect(r.filter((v) => v < 1e-9)).toHaveLength(1);
  });

  it('is evenly spaced: every nearest-neighbour distance is the lattice spacing 270/√21', () => {
    const s = 270 / Math.sqrt(21);
    for (const p of pts) {
      const d = Math.min(...pts.filter((q) => q !== p).map((q) => Math.hypot(q.xMm - p.xMm, q.yMm - p.yMm)));
      expect(d).toBeCloseTo(s, 6);
    }
  });

  it('is symmetric under x and y mirrors and 60° rotation', () => {
    const all = keys(pts);
    expect(mirror(pts, (x, y) => [-x, y])).toEqual(all);
    expect(mirror(pts, (x, y) => [x, -y])).toEqual(all);
    const c = Math.cos(Math.PI / 3), s = Math.sin(Math.PI / 3);
    expect(mirror(pts, (x, y) => [x * c - y * s, x * s + y * c])).toEqual(all);
  });

  it('labels are stable: reading order (top row first, left to right) and identical on every call', () => {
    expect(layoutPoints({ diameterMm: 600, marginMm: 30 })).toEqual(pts);
    for (let i = 1; i < pts.length; i++) {
      const a = pts[i - 1], b = pts[i];
      expect(b.yMm > a.yMm + 1e-9 || (Math.abs(b.yMm - a.yMm) < 1e-9 && b.xMm > a.xMm)).toBe(true);
    }
    // top row b = −5: a ∈ 1…4 (a² − 5a + 25 ≤ 21), 4 nodes at y = −5·(√3/2)·s; the centre is P43
    expect(pts.filter((p) => Math.abs(p.yMm - pts[0].yMm) < 1e-9)).toHaveLength(4);
    expect(pts[42]).toEqual({ label: 'P43', xMm: 0, yMm: 0 });
  });

  it('scales with diameter and margin', () => {
    const small = layoutPoints({ diameterMm: 200, marginMm: 10 });
    expect(small).toHaveLength(85);
    expect(Math.max(...small.map((p) => Math.hypot(p.xMm, p.yMm)))).toBeCloseTo(90, 6);
    // default margin is 5 % of the diameter
    expect(Math.max(...layoutPoints({ diameterMm: 600 }).map((p) => Math.hypot(p.xMm, p.yMm)))).toBeCloseTo(270, 6);
  });

  it('refuses impossible geometry', () => {
    expect(() => layoutPoints({ diameterMm: 100, marginMm: 50 })).toThrow(/no room/);
    expect(() => layoutPoints({ diameterMm: -1 })).toThrow(/positive/);
    expect(() => layoutPoints({ diameterMm: 600, pattern: 'grid', count: 0 })).toThrow(/count/);
  });
});

describe('other layouts', () => {
  const inside = (pts: { xMm: number; yMm: number }[], r: number) => pts.every((p) => Math.hypot(p.xMm, p.yMm) <= r + 1e-6);

  it.each<[LayoutPattern, number, number]>([
    ['rings', 85, 85],
    ['rings', 37, 37],
    ['rings', 2, 2],
    ['diameters', 41, 41],
    ['diameters', 21, 21],
    ['diameters', 40, 41],
  ])('%s with count %i gives %i points inside the margin, symmetric', (pattern, count, expected) => {
    const pts = layoutPoints({ diameterMm: 600, marginMm: 30, pattern, count });
    expect(pts).toHaveLength(expected);
    expect(inside(pts, 270)).toBe(true);
    expect(new Set(pts.map((p) => p.label)).size).toBe(expected);
    if (pattern === 'diameters' || count === 85 || count === 37) {
      expect(mirror(pts, (x, y) => [x, -y])).toEqual(keys(pts));
    }
  });

  it('rings place the centre and equally spaced rings; the outer ring is on the margin', () => {
    const pts = layoutPoints({ diameterMm: 600, marginMm: 30, pattern: 'rings', count: 85 });
    const radii = [...new Set(pts.map((p) => Math.round(Math.hypot(p.xMm, p.yMm) * 1e6) / 1e6))].sort((a, b) => a - b);
    expect(radii).toEqual([0, 54, 108, 162, 216, 270]);
  });

  it('grid is a square lattice clipped to the disc, as close to the count as the lattice allows', () => {
    const pts = layoutPoints({ diameterMm: 600, marginMm: 30, pattern: 'grid', count: 85 });
    expect(Math.abs(pts.length - 85)).toBeLessThanOrEqual(5);
    expect(inside(pts, 270)).toBe(true);
    expect(mirror(pts, (x, y) => [-x, y])).toEqual(keys(pts));
    expect(mirror(pts, (x, y) => [y, x])).toEqual(keys(pts));
    const xs = [...new Set(pts.map((p) => p.xMm))].sort((a, b) => a - b);
    const steps = xs.slice(1).map((x, i) => x - xs[i]);
    for (const s of steps) expect(s).toBeCloseTo(steps[0], 6);
    const one = layoutPoints({ diameterMm: 600, pattern: 'grid', count: 1 });
    expect(one).toEqual([{ label: 'P01', xMm: 0, yMm: 0 }]);
  });

  it('pads labels to the layout size', () => {
    expect(pointLabel(7, 85)).toBe('P07');
    expect(pointLabel(7, 120)).toBe('P007');
    expect(layoutPoints({ diameterMm: 600, pattern: 'rings', count: 150 })[0].label).toBe('P001');
  });
});
