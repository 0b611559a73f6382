import { describe, expect, it } from 'vitest';
import { layoutPoints } from '../../../core/segregation/index.js';
import { fitThinPlateSpline, measuredMap, MASK, sampleGrid } from '../../../core/maps/index.js';

const R = 300;
/** A smooth section field: centre-positive bump, a gentle tilt and a two-fold term (wt.%). */
function field(x: number, y: number): number {
  const rho = Math.hypot(x, y) / R;
  const th = Math.atan2(y, x);
  return 0.42 + 0.03 * Math.exp(-((rho / 0.4) ** 2)) + 0.005 * (x / R) - 0.004 * rho * rho * Math.cos(2 * th);
}

describe('measured map (thin-plate spline)', () => {
  const pts = layoutPoints({ diameterMm: 2 * R }).map((p) => ({ ...p, carbonWtPct: field(p.xMm, p.yMm) }));

  it('uses the 85-point layout', () => {
    expect(pts).toHaveLength(85);
  });

  it('is exact at every sampling point (|error| < 1e-9 wt.%)', () => {
    const m = measuredMap(pts, R);
    for (const p of pts) expect(Math.abs(m.spline.evaluate(p.xMm, p.yMm) - p.carbonWtPct)).toBeLessThan(1e-9);
  });

  it('reproduces a known smooth field from 85 samples: RMS < 1e-4 wt.%, max < 5e-4 wt.% within r ≤ 0.9R', () => {
    const m = measuredMap(pts, R, { cellsAcross: 121 });
    let ss = 0;
    let n = 0;
    let max = 0;
    const g = m.grid;
    for (let j = 0; j < g.ny; j++) {
      for (let i = 0; i < g.nx; i++) {
        const k = j * g.nx + i;
        if (g.mask[k] !== MASK.valid) continue;
        const x = g.x0Mm + i * g.stepMm;
        const y = g.y0Mm + j * g.stepMm;
        if (Math.hypot(x, y) > 0.9 * R) continue;
        const e = g.values[k] - field(x, y);
        ss += e * e;
        n++;
        max = Math.max(max, Math.abs(e));
      }
    }
    const rms = Math.sqrt(ss / n);
    expect(n).toBeGreaterThan(8000);
    expect(rms).toBeLessThan(1e-4);
    expect(max).toBeLessThan(5e-4);
  });

  it('is clipped to the circle: cells outside the rim carry no value', () => {
    const m = measuredMap(pts, R, { cellsAcross: 61 });
    const g = m.grid;
    for (let k = 0; k < g.values.length; k++) {
      const i = k % g.nx;
      const j = (k - i) / g.nx;
      const r = Math.hypot(g.x0Mm + i * g.stepMm, g.y0Mm + j * g.stepMm);
      if (r > R) {
        expect(g.mask[k]).toBe(MASK.outside);
        expect(Number.isNaN(g.values[k])).toBe(true);
      }
    }
    expect(Number.isNaN(sampleGrid(g, R * 0.8, R * 0.8))).toBe(true);
  });

  it('never leaves the range of the readings (rim extrapolation is limited), unless asked to', () => {
    // a steep rim trend makes the unclamped spline overshoot beyond the outermost ring of points
    const steep = pts.map((p) => ({ ...p, carbonWtPct: 0.42 + 0.05 * (Math.hypot(p.xMm, p.yMm) / R) ** 4 }));
    const lo = Math.min(...steep.map((p) => p.carbonWtPct));
    const hi = Math.max(...steep.map((p) => p.carbonWtPct));
    const vals = (g: ReturnType<typeof measuredMap>['grid']) => Array.from(g.values).filter(Number.isFinite);
    const clamped = vals(measuredMap(steep, R, { cellsAcross: 61 }).grid);
    expect(Math.min(...clamped)).toBeGreaterThanOrEqual(lo);
    expect(Math.max(...clamped)).toBeLessThanOrEqual(hi);
    expect(Math.max(...clamped)).toBe(hi);
    const free = vals(measuredMap(steep, R, { cellsAcross: 61, clampToReadings: false }).grid);
    expect(Math.max(...free)).toBeGreaterThan(hi + 0.005);
  });

  it('reproduces a plane exactly (TPS has a linear trend term)', () => {
    const plane = pts.map((p) => ({ x: p.xMm, y: p.yMm, value: 0.4 + 1e-4 * p.xMm - 2e-4 * p.yMm }));
    const s = fitThinPlateSpline(plane, { scale: R });
    expect(s.evaluate(123, -45)).toBeCloseTo(0.4 + 0.0123 + 0.009, 10);
  });

  it('rejects too few, collinear, coincident and off-section points with clear messages', () => {
    expect(() => measuredMap(pts.slice(0, 2), R)).toThrow(/3 or more sampling points/);
    const line = [0, 1, 2, 3].map((i) => ({ label: `L${i}`, xMm: i * 10, yMm: 0, carbonWtPct: 0.4 }));
    expect(() => measuredMap(line, R)).toThrow(/on one line/);
    expect(() => measuredMap([...pts, { label: 'X', xMm: 400, yMm: 0, carbonWtPct: 0.4 }], R)).toThrow(/outside the 600 mm section/);
    const dup = measuredMap([...pts, { ...pts[0], label: 'dup', carbonWtPct: pts[0].carbonWtPct + 0.02 }], R, { cellsAcross: 31 });
    expect(dup.points).toHaveLength(85);
    expect(dup.spline.evaluate(pts[0].xMm, pts[0].yMm)).toBeCloseTo(pts[0].carbonWtPct + 0.01, 9);
  });
});
