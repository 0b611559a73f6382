import { describe, expect, it } from 'vitest';
import { patchLattice } from '../../../core/maps/predicted-map.js';
import { smoothGrid, smoothingWarning } from '../../../core/maps/smooth-field.js';
import { cholesky, matern52 } from '../../../core/maps/kriging.js';
import { errorAgainstTruth } from '../../../core/maps/truth.js';
import { MASK } from '../../../core/maps/types.js';
import { createRng } from '../../../core/runtime/random.js';

/** A field drawn from the smoother's own model (Matérn 5/2, ℓ known) on a lattice, plus independent patch noise. */
function gpLattice(seed: number, opts: { ell: number; signalSd: number; noiseSd: number; radiusMm: number; strideMm: number }) {
  const { grid, centres, cells } = patchLattice(opts.radiusMm, opts.strideMm);
  const n = centres.length;
  const K = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) {
    const c = (i === j ? 1 + 1e-8 : matern52(Math.hypot(centres[i].xMm - centres[j].xMm, centres[i].yMm - centres[j].yMm), opts.ell)) * opts.signalSd ** 2;
    K[i * n + j] = c;
    K[j * n + i] = c;
  }
  cholesky(K, n);
  const rng = createRng(seed);
  const z = Array.from({ length: n }, () => rng.normal());
  const truth = new Map<string, number>();
  centres.forEach((c, i) => {
    let f = 0.4;
    for (let k = 0; k <= i; k++) f += K[i * n + k] * z[k];
    truth.set(`${c.xMm},${c.yMm}`, f);
    grid.values[cells[i]] = f + opts.noiseSd * rng.normal();
  });
  return { grid, truthAt: (x: number, y: number) => truth.get(`${x},${y}`)! };
}

describe('smoothed predicted map (Gaussian-process smoother, CV-chosen)', () => {
  for (const seed of [11, 12]) {
    it(`recovers the length scale and nugget of a known field and beats the raw lattice (seed ${seed})`, () => {
      const { grid, truthAt } = gpLattice(seed, { ell: 30, signalSd: 0.02, noiseSd: 0.008, radiusMm: 150, strideMm: 10 });
      const s = smoothGrid(grid)!;
      expect(s.fit.selection).toBe('leave-one-out cross-validation');
      // the CV grid around 30 mm is …, 26.9, 41.2, …: a neighbour of the true one, not an end of the grid
      expect(s.fit.lengthScaleMm).toBeGreaterThan(20);
      expect(s.fit.lengthScaleMm).toBeLessThan(45);
      expect(s.fit.nuggetSdWtPct).toBeGreaterThan(0.008 * 0.75);
      expect(s.fit.nuggetSdWtPct).toBeLessThan(0.008 * 1.3);
      const raw = errorAgainstTruth(grid, truthAt)!.rmseWtPct;
      const smooth = errorAgainstTruth(s.grid, truthAt)!.rmseWtPct;
      expect(smooth).toBeLessThan(0.7 * raw);
      expect(smoothingWarning(s.fit)).toBeNull();
      // the smoothed field's 90 % interval covers the true field about 90 % of the time
      let inside = 0;
      let cells = 0;
      for (let k = 0; k < grid.values.length; k++) {
        if (grid.mask[k] !== MASK.valid) continue;
        const i = k % grid.nx;
        const t = truthAt(grid.x0Mm + i * grid.stepMm, grid.y0Mm + ((k - i) / grid.nx) * grid.stepMm);
        cells++;
        if (Math.abs(s.grid.values[k] - t) <= 1.645 * s.smoothedSd[k]) inside++;
      }
      expect(inside / cells).toBeGreaterThan(0.8);
      expect(inside / cells).toBeLessThan(0.97);
    });
  }

  it('warns when the patches show no structure it can keep (the CV chose the smooth end of its grid: a flat field)', () => {
    const { grid, centres, cells } = patchLattice(150, 10);
    const rng = createRng(21);
    centres.forEach((_, i) => (grid.values[cells[i]] = 0.4 + 0.01 * rng.normal()));
    const s = smoothGrid(grid)!;
    expect(s.fit.noiseRatio).toBeCloseTo(100, 6); // all nugget
    expect(smoothingWarning(s.fit)).toMatch(/largest nugget it tried .*nearly flat/);
    // a long, weak trend with no fine structure: the CV goes to its longest length scale
    centres.forEach((c, i) => (grid.values[cells[i]] = 0.4 + 0.00002 * c.xMm + 0.01 * rng.normal()));
    const t = smoothGrid(grid, { noiseRatios: [0.1, 1, 10] })!;
    expect(t.fit.lengthScaleMm).toBe(Math.max(...t.fit.cvByLengthScale.map((c) => c.lengthScaleMm)));
    expect(t.fit.noiseRatio).toBeLessThan(100);
    expect(smoothingWarning(t.fit)).toMatch(/longest length scale it tried \(150 mm\).*nearly flat/);
  });

  it('keeps masked cells masked and refuses to fit too few patches', () => {
    const { grid } = gpLattice(3, { ell: 30, signalSd: 0.02, noiseSd: 0.005, radiusMm: 60, strideMm: 10 });
    const valid = [...grid.mask.keys()].filter((k) => grid.mask[k] === MASK.valid);
    grid.mask[valid[5]] = MASK.porosity;
    grid.values[valid[5]] = Number.NaN;
    const s = smoothGrid(grid)!;
    expect(s.grid.mask[valid[5]]).toBe(MASK.porosity);
    expect(Number.isNaN(s.grid.values[valid[5]])).toBe(true);
    expect(valid.filter((k) => k !== valid[5]).every((k) => Number.isFinite(s.grid.values[k]) && s.smoothedSd[k] > 0)).toBe(true);
    const few = patchLattice(15, 10);
    few.cells.forEach((k) => (few.grid.values[k] = 0.4));
    expect(smoothGrid(few.grid)).toBeNull();
  });
});
