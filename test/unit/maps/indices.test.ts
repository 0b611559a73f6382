import { describe, expect, it } from 'vitest';
import { fillGrid, sectionGrid, segregationIndices, MASK, patchLattice } from '../../../core/maps/index.js';

/**
 * A 4×4 grid on a section of radius 2 mm (cell centres at ±0.5, ±1.5 mm): the four corner cells lie
 * outside the circle, leaving 12 cells whose values are set by hand (rows top → bottom, y down).
 */
function handGrid() {
  const g = sectionGrid(2, 4);
  const rows: (number | null)[][] = [
    [null, 0.4, 0.42, null],
    [0.38, 0.46, 0.44, 0.4],
    [0.4, 0.44, 0.42, 0.38],
    [null, 0.42, 0.4, null],
  ];
  rows.forEach((row, j) => row.forEach((v, i) => {
    if (v === null) expect(g.mask[j * 4 + i]).toBe(MASK.outside);
    else g.values[j * 4 + i] = v;
  }));
  return g;
}

describe('segregation indices', () => {
  it('takes every ratio with a C0 given from outside (a report\'s reference C0) and says where it comes from, over the ladle carbon', () => {
    const ix = segregationIndices(handGrid(), { bulkCarbonWtPct: 0.4, c0: { wtPct: 0.41, source: 'measured-area-mean' }, thresholdsAbove: [1.1], thresholdsBelow: [0.95] });
    expect(ix.c0Source).toBe('measured-area-mean');
    expect(ix.c0WtPct).toBe(0.41);
    expect(ix.max.ratio).toBeCloseTo(0.46 / 0.41, 12);
    expect(ix.min.ratio).toBeCloseTo(0.38 / 0.41, 12);
    // C/C0 ≥ 1.1 ⇔ C ≥ 0.451: the one 0.46 cell of 12; C/C0 ≤ 0.95 ⇔ C ≤ 0.3895: the two 0.38 cells
    expect(ix.areaAbove[0].fraction).toBeCloseTo(1 / 12, 12);
    expect(ix.areaBelow[0].fraction).toBeCloseTo(2 / 12, 12);
    expect(() => segregationIndices(handGrid(), { c0: { wtPct: 0, source: 'bulk' } })).toThrow(/positive/);
  });

  it('equal hand-computed values on a constructed 12-cell field (C0 = ladle 0.40 wt.%)', () => {
    const ix = segregationIndices(handGrid(), { bulkCarbonWtPct: 0.4, centralRadiusFrac: 0.4, thresholdsAbove: [1.05, 1.1], thresholdsBelow: [0.95, 1.0], profileBins: 2 });
    expect(ix.c0Source).toBe('bulk');
    expect(ix.c0WtPct).toBe(0.4);
    // sum = 4.96 over 12 cells
    expect(ix.sectionMeanWtPct).toBeCloseTo(4.96 / 12, 12);
    // Σ(v − mean)² = 0.0066667 → sd = √(0.0066667/12) = 0.0235702
    expect(ix.sdWtPct).toBeCloseTo(0.0235702, 6);
    expect(ix.rangeWtPct).toBeCloseTo(0.08, 12);
    expect(ix.max).toMatchObject({ wtPct: 0.46, xMm: -0.5, yMm: -0.5 });
    expect(ix.max.ratio).toBeCloseTo(1.15, 12);
    // the first of the two 0.38 cells in reading order
    expect(ix.min).toMatchObject({ wtPct: 0.38, xMm: -1.5, yMm: -0.5 });
    expect(ix.min.ratio).toBeCloseTo(0.95, 12);
    expect(ix.min.rOverR).toBeCloseTo(Math.sqrt(2.5) / 2, 12);
    // centre disc r ≤ 0.8 mm holds the four inner cells 0.46, 0.44, 0.44, 0.42
    expect(ix.centre!.wtPct).toBe(0.46);
    expect(ix.centre!.ratio).toBeCloseTo(1.15, 12);
    expect(ix.centralRadiusMm).toBeCloseTo(0.8, 12);
    // ≥ 0.42 wt.%: 6 of 12; ≥ 0.44: 3 of 12; ≤ 0.38: 2 of 12; ≤ 0.40: 6 of 12
    expect(ix.areaAbove).toEqual([{ threshold: 1.05, fraction: 0.5 }, { threshold: 1.1, fraction: 0.25 }]);
    expect(ix.areaBelow).toEqual([{ threshold: 0.95, fraction: 2 / 12 }, { threshold: 1.0, fraction: 0.5 }]);
    // rings r/R < 0.5: the inner 4 cells, mean 0.44 → 1.10; outer ring: 8 cells, mean 0.40 → 1.00
    expect(ix.radialProfile.map((b) => b.n)).toEqual([4, 8]);
    expect(ix.radialProfile[0].mean).toBeCloseTo(1.1, 12);
    expect(ix.radialProfile[1].mean).toBeCloseTo(1.0, 12);
    expect(ix.radialProfile[0].max).toBeCloseTo(1.15, 12);
    expect(ix.coveredFraction).toBe(1);
    expect(ix.cellCount).toBe(12);
  });

  it('uses the section mean as C0 when no ladle carbon is given, and says so', () => {
    const ix = segregationIndices(handGrid(), {});
    expect(ix.c0Source).toBe('section-mean');
    expect(ix.c0WtPct).toBeCloseTo(4.96 / 12, 12);
    expect(ix.max.ratio).toBeCloseTo(0.46 / (4.96 / 12), 12);
  });

  it('leaves masked cells out and reports the covered fraction', () => {
    const g = handGrid();
    g.mask[1 * 4 + 1] = MASK.porosity; // the 0.46 cell
    g.values[1 * 4 + 1] = Number.NaN;
    const ix = segregationIndices(g, { bulkCarbonWtPct: 0.4 });
    expect(ix.max.wtPct).toBe(0.44);
    expect(ix.cellCount).toBe(11);
    expect(ix.coveredFraction).toBeCloseTo(11 / 12, 12);
    expect(ix.sectionMeanWtPct).toBeCloseTo(4.5 / 11, 12);
  });

  it("counts a predicted map's rim band beyond the patch lattice as uncovered section area, as the definition says", () => {
    // a 600 mm section, 30 mm lattice, patches kept half a 13.6 mm patch inside the rim (the seed-7 demo's map: 293 of the 317
    // lattice points on the section; the report had printed "Covered 99.7 %" for 292 cells, one masked as porosity)
    const lat = patchLattice(300, 30, 6.8);
    const g = lat.grid;
    for (const k of lat.cells) g.values[k] = 0.42;
    const onSection = (() => {
      let n = 0;
      for (let k = 0; k < g.values.length; k++) {
        const i = k % g.nx;
        if (Math.hypot(g.x0Mm + i * g.stepMm, g.y0Mm + ((k - i) / g.nx) * g.stepMm) <= 300) n++;
      }
      return n;
    })();
    expect(onSection).toBe(317);
    expect(lat.cells).toHaveLength(293);
    g.mask[lat.cells[100]] = MASK.porosity;
    g.values[lat.cells[100]] = Number.NaN;
    const ix = segregationIndices(g, { bulkCarbonWtPct: 0.42 });
    expect(ix.cellCount).toBe(292);
    expect(ix.coveredFraction).toBeCloseTo(292 / 317, 12); // 92.1 % of the section, not 292 / 293
    // by area: 292 cells of 900 mm² over π·300² mm² = 0.9296 — the lattice count stands for it within a cell's share
    expect(Math.abs(ix.coveredFraction - (292 * 900) / (Math.PI * 300 ** 2))).toBeLessThan(0.01);
  });

  it('leaves out the area beyond the sampling points (extrapolated) and reports its fraction', () => {
    const R = 300;
    const g = fillGrid(sectionGrid(R, 301), (x, y) => 0.4 * (1 + 0.1 * (1 - (x * x + y * y) / (R * R))));
    // four points at the corners of a 300 mm square: its area is 1/π of the section's
    const square = [-150, 150].flatMap((x) => [-150, 150].map((y) => ({ xMm: x, yMm: y })));
    const ix = segregationIndices(g, { bulkCarbonWtPct: 0.4, thresholdsAbove: [1.08], coveredBy: square });
    const near = (v: number, want: number, tol: number) => expect(Math.abs(v - want)).toBeLessThan(tol);
    near(ix.extrapolatedFraction, 1 - 1 / Math.PI, 0.01); // 0.682
    near(ix.coveredFraction, 1 / Math.PI, 0.01);
    expect(ix.coverageRule).toMatch(/convex hull/);
    // the minimum is at the square's corners (ρ² = ½ → C/C0 1.05), not at the rim (1.00, extrapolated there)
    near(ix.min.ratio, 1.05, 0.002);
    expect(Math.hypot(ix.min.xMm, ix.min.yMm)).toBeLessThan(150 * Math.SQRT2 + 2);
    near(ix.max.ratio, 1.1, 1e-6);
    // mean of ρ² over the square = (2·150²/3)/300² = 1/6 → C = 0.4·(1 + 0.1·5/6)
    near(ix.sectionMeanWtPct, 0.4 * (1 + 0.1 * (5 / 6)), 0.0003);
    // C/C0 ≥ 1.08 ⇔ r ≤ 134.2 mm: a disc of π·18000 mm² inside the 90000 mm² square
    near(ix.areaAbove[0].fraction, (Math.PI * 18000) / 90000, 0.01);
    // without the points, the whole disc (rim included) counts and nothing is said to be extrapolated
    const all = segregationIndices(g, { bulkCarbonWtPct: 0.4 });
    expect(all.extrapolatedFraction).toBe(0);
    expect(all.coverageRule).toBeNull();
    near(all.min.ratio, 1.0, 0.002);
    // points on one diameter (a traverse) have no hull: the disc out to the farthest point (240 mm) is used
    const line = [-240, -120, 0, 120, 240].map((x) => ({ xMm: x, yMm: 0 }));
    const tr = segregationIndices(g, { bulkCarbonWtPct: 0.4, coveredBy: line });
    near(tr.extrapolatedFraction, 1 - 0.64, 0.01);
    expect(tr.coverageRule).toMatch(/farthest sampling point/);
  });

  it('matches the analytic values of C = C0·(1 + 0.1(1 − ρ²)) on a fine grid', () => {
    const R = 300;
    const g = fillGrid(sectionGrid(R, 301), (x, y) => 0.4 * (1 + 0.1 * (1 - (x * x + y * y) / (R * R))));
    const ix = segregationIndices(g, { bulkCarbonWtPct: 0.4, thresholdsAbove: [1.05], thresholdsBelow: [1.02] });
    expect(ix.sectionMeanWtPct).toBeCloseTo(0.42, 4); // mean of 1 − ρ² over the disc is ½
    expect(ix.sdWtPct).toBeCloseTo(0.04 / Math.sqrt(12), 4); // ρ² is uniform on [0, 1] by area
    expect(ix.areaAbove[0].fraction).toBeCloseTo(0.5, 2); // ρ² ≤ ½
    expect(ix.areaBelow[0].fraction).toBeCloseTo(0.2, 2); // ρ² ≥ 0.8
    expect(ix.centre!.ratio).toBeCloseTo(1.1, 6);
    expect(ix.max.rOverR).toBe(0);
    expect(ix.rangeWtPct).toBeCloseTo(0.04, 3);
    expect(ix.whiteBand).toBeNull();
    expect(ix.cetRing).toBeNull();
  });

  it('finds the white band and the CET ring on the radial profile', () => {
    const R = 300;
    const s = (rho: number) => 1 + 0.08 * Math.exp(-((rho / 0.08) ** 2)) + 0.03 * Math.exp(-(((rho - 0.4) / 0.05) ** 2)) - 0.04 * Math.exp(-(((rho - 0.75) / 0.03) ** 2));
    const g = fillGrid(sectionGrid(R, 301), (x, y) => 0.42 * s(Math.hypot(x, y) / R));
    const ix = segregationIndices(g, { bulkCarbonWtPct: 0.42, profileBins: 40 });
    expect(ix.whiteBand).not.toBeNull();
    expect(Math.abs(ix.whiteBand!.rOverR - 0.75)).toBeLessThanOrEqual(0.0125 + 1e-9);
    expect(ix.whiteBand!.ratio).toBeLessThan(0.985);
    expect(ix.cetRing).not.toBeNull();
    expect(Math.abs(ix.cetRing!.rOverR - 0.4)).toBeLessThanOrEqual(0.0125 + 1e-9);
    expect(ix.cetRing!.rMm).toBeCloseTo(ix.cetRing!.rOverR * R, 9);
    expect(ix.cetRing!.prominence).toBeGreaterThan(0.02);
  });
});
