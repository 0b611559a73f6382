import { intervalFor } from '../../../core/ml/conformal.js';
import { describe, expect, it } from 'vitest';
import { EventBus, JobManager } from '../../../core/jobs/index.js';
import {
  predictedMap,
  patchLattice,
  defaultStrideMm,
  differenceGrid,
  uncertaintyGrid,
  comparePoints,
  summariseComparison,
  segregationIndices,
  gridToCsv,
  MASK,
  porosityPremask,
  poreFractionInSquare,
  PORE_MASK_FRACTION,
  type PatchPredictor,
} from '../../../core/maps/index.js';
import { generateSyntheticBillet } from '../../../core/synth/index.js';
import { detectPores } from '../../../core/imaging/pores.js';

const R = 300;
const truth = (x: number, y: number) => 0.42 * (1 + 0.08 * Math.exp(-((Math.hypot(x, y) / R / 0.2) ** 2)));

/** Deterministic analytic predictor: truth + a small tilt, sd growing with radius. It masks nothing itself. */
const analytic: PatchPredictor = async (centres) =>
  centres.map(({ xMm, yMm }) => ({ mean: truth(xMm, yMm) + 0.002 * (xMm / R), sd: 0.003 + 0.004 * (Math.hypot(xMm, yMm) / R) }));

/** Pores found by the real detector on synthetic billet seed 3 (its known pores lie near the centre). */
async function detectedPores() {
  const b = generateSyntheticBillet({ seed: 3, sizePx: 800 });
  const d = await detectPores({ image: { width: b.width, height: b.height, data: b.data }, mmPerPx: b.mmPerPx, circle: b.circle });
  return { b, d, src: { width: d.width, height: d.height, mask: d.mask, circle: b.circle, mmPerPx: b.mmPerPx } };
}

describe('predicted map', () => {
  it('default stride puts about a thousand patches on a 600 mm section', () => {
    expect(defaultStrideMm(600)).toBe(16.8);
    const { centres } = patchLattice(R, defaultStrideMm(600));
    expect(centres.length).toBeGreaterThan(900);
    expect(centres.length).toBeLessThan(1100);
    expect(centres.every((c) => Math.hypot(c.xMm, c.yMm) <= R + 1e-9)).toBe(true);
  });

  it('evaluates the predictor on the lattice, masks the cells over detected pores and keeps the sd layer', async () => {
    const progress: number[] = [];
    const { b, d: det, src } = await detectedPores();
    expect(det.pores.length).toBeGreaterThan(3);
    const patchMm = 16;
    const asked: { xMm: number; yMm: number }[] = [];
    const spy: PatchPredictor = async (centres, signal) => (asked.push(...centres), analytic(centres, signal));
    const pm = await predictedMap(spy, { radiusMm: R, strideMm: 20, batchSize: 100, premask: porosityPremask(src, patchMm), onProgress: (p) => progress.push(p.done / p.total) });
    const g = pm.grid;
    expect(pm.patchCount).toBe(patchLattice(R, 20).centres.length);
    expect(pm.maskedCounts.porosity).toBeGreaterThan(0);
    expect(asked).toHaveLength(pm.patchCount - pm.maskedCounts.porosity); // masked patches are never predicted
    expect(progress[0]).toBe(0);
    expect(progress.at(-1)).toBe(1);
    // the cell holding the largest TRUE pore (truth.json) is masked as porosity, NaN, never filled
    const big = [...b.params.field.pores].sort((p, q) => q.radiusMm - p.radiusMm)[0];
    const c = Math.round((big.yMm - g.y0Mm) / g.stepMm) * g.nx + Math.round((big.xMm - g.x0Mm) / g.stepMm);
    expect(g.mask[c]).toBe(MASK.porosity);
    expect(Number.isNaN(g.values[c])).toBe(true);
    // a cell is masked as porosity exactly when its patch is over the stated pore fraction
    for (let k = 0; k < g.values.length; k++) {
      if (g.mask[k] !== MASK.valid && g.mask[k] !== MASK.porosity) continue;
      const i = k % g.nx, j = (k - i) / g.nx;
      const f = poreFractionInSquare(src, g.x0Mm + i * g.stepMm, g.y0Mm + j * g.stepMm, patchMm);
      expect(g.mask[k] === MASK.porosity).toBe(f > PORE_MASK_FRACTION);
    }
    // error against the true field: only the added tilt, ≤ 0.002 wt.%
    let max = 0;
    for (let k = 0; k < g.values.length; k++) {
      if (g.mask[k] !== MASK.valid) continue;
      const i = k % g.nx;
      const j = (k - i) / g.nx;
      max = Math.max(max, Math.abs(g.values[k] - truth(g.x0Mm + i * g.stepMm, g.y0Mm + j * g.stepMm)));
    }
    expect(max).toBeLessThanOrEqual(0.002 + 1e-12);
    // the uncertainty layer is the calibrated half-width (here normalised: 2 · (0.001 + sd), sd in 0.003…0.007)
    const u = uncertaintyGrid(g, (m, sd) => intervalFor(m, { method: 'split-conformal-normalised-tta', quantile: 2, scale: 0.001 }, sd).halfWidth);
    const ui = segregationIndices(u, {});
    expect(ui.max.wtPct).toBeLessThanOrEqual(0.016 + 1e-12);
    expect(ui.min.wtPct).toBeGreaterThanOrEqual(0.008);
    expect(Number.isNaN(u.values[c])).toBe(true);
    // difference layer against the truth is exactly the tilt
    const d = differenceGrid(g, truth);
    const east = d.values[Math.floor(g.ny / 2) * g.nx + (g.nx - 1)];
    expect(east).toBeCloseTo(0.002 * (300 / R), 9);
    // CSV: one row per cell inside the circle with the mask reason
    const csv = gridToCsv(g, { c0: { wtPct: 0.42, source: 'bulk' }, sdName: 'tta_sd_wt_pct' });
    const lines = csv.trim().split('\n');
    expect(lines[0]).toBe('x_mm,y_mm,r_over_R,carbon_wt_pct,c_over_c0,c0_wt_pct,c0_source,tta_sd_wt_pct,masked,extrapolated,in_indices');
    expect(lines.length - 1).toBe(pm.patchCount);
    expect(lines.filter((l) => l.endsWith(',porosity,no,no'))).toHaveLength(pm.maskedCounts.porosity);
  });

  it('compares predictions with the readings point by point (relative error, Fig. 5)', () => {
    const pts = [
      { label: 'P1', xMm: 0, yMm: 0, carbonWtPct: 0.45 },
      { label: 'P2', xMm: 100, yMm: 0, carbonWtPct: 0.4 },
      { label: 'P3', xMm: 0, yMm: 100, carbonWtPct: 0.42 },
    ];
    const rows = comparePoints(pts, [{ mean: 0.459, sd: 0.004 }, { mean: 0.38, sd: 0.005 }, { mean: 0, sd: 0, masked: 'lowContrast' }]);
    expect(rows[0].errorWtPct).toBeCloseTo(0.009, 12);
    expect(rows[0].relativeError).toBeCloseTo(0.02, 12);
    expect(rows[1].relativeError).toBeCloseTo(-0.05, 12);
    expect(rows[2]).toMatchObject({ predictedWtPct: null, errorWtPct: null, masked: 'lowContrast' });
    const s = summariseComparison(rows)!;
    expect(s.n).toBe(2);
    expect(s.maeWtPct).toBeCloseTo(0.0145, 12);
    expect(s.maxAbsErrorWtPct).toBeCloseTo(0.02, 12);
    expect(s.within5Pct).toBe(0.5);
  });

  it('a map job can be cancelled: it stops after the running batch and ends "cancelled"', async () => {
    const jobs = new JobManager(new EventBus(), 0);
    let calls = 0;
    let jobId = '';
    const predictor: PatchPredictor = async (centres, signal) => {
      calls++;
      if (calls === 2) jobs.cancel(jobId); // the user presses Cancel while batch 2 runs
      expect(signal.aborted).toBe(calls >= 2);
      return analytic(centres, signal);
    };
    const info = jobs.start('map', 'predicted map', (ctl) =>
      predictedMap(predictor, { radiusMm: R, strideMm: 16.8, batchSize: 50, signal: ctl.signal, onProgress: (p) => ctl.progress(p.done / p.total, `${p.done}/${p.total} patches`) }),
    );
    jobId = info.id;
    const end = await jobs.wait(info.id);
    expect(end.state).toBe('cancelled');
    expect(calls).toBe(2);
    expect(end.progress).toBeCloseTo(50 / patchLattice(R, 16.8).centres.length, 9);
  });

  it('rejects a predictor that returns the wrong number of results or NaN', async () => {
    await expect(predictedMap(async () => [], { radiusMm: 50, strideMm: 10 })).rejects.toThrow(/returned 0 results for/);
    await expect(predictedMap(async (c) => c.map(() => ({ mean: NaN, sd: 0 })), { radiusMm: 50, strideMm: 10 })).rejects.toThrow(/non-finite/);
    await expect(predictedMap(analytic, { radiusMm: 300, strideMm: 0.1 })).rejects.toThrow(/too fine/);
  });
});

describe('predicted map with concurrent predictor calls', () => {
  it('keeps up to `concurrency` calls in flight and fills the same grid as one lane', async () => {
    let inFlight = 0;
    let peak = 0;
    const slow: PatchPredictor = async (centres, signal) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await Promise.resolve();
      await Promise.resolve();
      inFlight--;
      return analytic(centres, signal);
    };
    const one = await predictedMap(analytic, { radiusMm: R, strideMm: 25, batchSize: 20 });
    const four = await predictedMap(slow, { radiusMm: R, strideMm: 25, batchSize: 20, concurrency: 4 });
    expect(peak).toBe(4);
    expect(Array.from(four.grid.values)).toEqual(Array.from(one.grid.values));
    expect(Array.from(four.grid.mask)).toEqual(Array.from(one.grid.mask));
  });

  it('stops every lane after an error and reports it', async () => {
    let calls = 0;
    const failing: PatchPredictor = async (centres, signal) => {
      calls++;
      if (calls === 3) throw new Error('model file vanished');
      await Promise.resolve();
      return analytic(centres, signal);
    };
    await expect(predictedMap(failing, { radiusMm: R, strideMm: 10, batchSize: 10, concurrency: 3 })).rejects.toThrow('model file vanished');
    expect(calls).toBeLessThanOrEqual(5);
  });
});

describe('mask reasons from the quality gate', () => {
  it('maps gate findings to mask reasons in priority order', async () => {
    const { maskFromQuality } = await import('../../../core/maps/index.js');
    expect(maskFromQuality({ outsideFraction: 0 })).toBeNull();
    expect(maskFromQuality({ outsideFraction: 0.3, flags: ['low-entropy'] })).toBe('outside');
    expect(maskFromQuality({ porosity: true, flags: ['low-rms-contrast'] })).toBe('porosity');
    expect(maskFromQuality({ flags: ['low-glcm-contrast'] })).toBe('lowContrast');
    expect(maskFromQuality({ flags: ['glare'] })).toBe('quality');
  });
});
