import { describe, expect, it } from 'vitest';
import { circleFromThreePoints, fitCircleKasa, fitCircleRansac, refineCircleGeometric, detectCircle, calibrate, mmToPx, pxToMm } from '../../../core/imaging/index.js';
import { generateSyntheticBillet, createRng } from '../../../core/synth/index.js';

describe('circle fitting', () => {
  it('three points give the exact circle; collinear points give null', () => {
    const c = circleFromThreePoints({ x: 110, y: 50 }, { x: 50, y: 110 }, { x: -10, y: 50 })!;
    expect(c.cx).toBeCloseTo(50, 10);
    expect(c.cy).toBeCloseTo(50, 10);
    expect(c.r).toBeCloseTo(60, 10);
    expect(circleFromThreePoints({ x: 0, y: 0 }, { x: 1, y: 1 }, { x: 2, y: 2 })).toBeNull();
  });

  it('Kåsa is exact on noiseless points of a 90° arc', () => {
    const pts = Array.from({ length: 30 }, (_, i) => {
      const a = (i / 29) * (Math.PI / 2);
      return { x: 400 + 250 * Math.cos(a), y: -30 + 250 * Math.sin(a) };
    });
    const c = fitCircleKasa(pts)!;
    expect(c.cx).toBeCloseTo(400, 6);
    expect(c.cy).toBeCloseTo(-30, 6);
    expect(c.r).toBeCloseTo(250, 6);
  });

  it('RANSAC + refinement recovers centre and radius within 1 % with noise and 30 % outliers', () => {
    const rng = createRng(11);
    const truth = { cx: 1520.3, cy: 1488.9, r: 1371.4 };
    const pts = [];
    for (let i = 0; i < 700; i++) {
      const a = rng.uniform(0, 2 * Math.PI);
      const r = truth.r + 3 * rng.normal(); // σ = 3 px rim noise
      pts.push({ x: truth.cx + r * Math.cos(a), y: truth.cy + r * Math.sin(a) });
    }
    for (let i = 0; i < 300; i++) pts.push({ x: rng.uniform(0, 3000), y: rng.uniform(0, 3000) }); // clutter
    const fit = fitCircleRansac(pts, { inlierTolerance: 8, seed: 3 })!;
    expect(Math.hypot(fit.circle.cx - truth.cx, fit.circle.cy - truth.cy) / truth.r).toBeLessThan(0.01);
    expect(Math.abs(fit.circle.r - truth.r) / truth.r).toBeLessThan(0.01);
    // In practice it is far better than 1 %: within 1 px here.
    expect(Math.abs(fit.circle.r - truth.r)).toBeLessThan(1);
    expect(fit.inliers).toBeGreaterThan(650);
    expect(fit.rmsResidual).toBeLessThan(3.5);
  });

  it('geometric refinement converges from a rough start', () => {
    const pts = Array.from({ length: 50 }, (_, i) => ({ x: 10 + 5 * Math.cos(i / 8), y: 20 + 5 * Math.sin(i / 8) }));
    const c = refineCircleGeometric(pts, { cx: 11, cy: 19, r: 4 });
    expect(c.r).toBeCloseTo(5, 8);
    expect(c.cx).toBeCloseTo(10, 8);
  });
});

describe('automatic rim detection on a synthetic section', () => {
  it.each([
    [5, 'base'],
    [6, 'stirring'],
  ] as const)('seed %i (%s): centre and radius within 1 percent of the truth, with pixel noise added', (seed, variant) => {
    const b = generateSyntheticBillet({ seed, variant, sizePx: 640 });
    const rng = createRng(seed + 100);
    const noisy = Uint8Array.from(b.data, (v) => Math.max(0, Math.min(255, Math.round(v + 12 * rng.normal()))));
    const det = detectCircle({ width: b.width, height: b.height, data: noisy })!;
    expect(det).not.toBeNull();
    expect(Math.hypot(det.circle.cx - b.circle.cx, det.circle.cy - b.circle.cy) / b.circle.r).toBeLessThan(0.01);
    expect(Math.abs(det.circle.r - b.circle.r) / b.circle.r).toBeLessThan(0.01);
    const cal = calibrate(det.circle, 600);
    expect(Math.abs(cal.mmPerPx - b.mmPerPx) / b.mmPerPx).toBeLessThan(0.01);
  });

  it('finds a section darker than its background (light scanner lid) and one cut by the image border', () => {
    const b = generateSyntheticBillet({ seed: 7, sizePx: 500 });
    const inverted = Uint8Array.from(b.data, (v) => 255 - v);
    const det = detectCircle({ width: b.width, height: b.height, data: inverted })!;
    expect(det.sectionDarker).toBe(true);
    expect(Math.abs(det.circle.r - b.circle.r) / b.circle.r).toBeLessThan(0.01);
    // Crop so the rim leaves the frame on the left: only ~80 % of the rim is visible.
    const x0 = 60, w = b.width - x0;
    const crop = new Uint8Array(w * b.height);
    for (let y = 0; y < b.height; y++) crop.set(b.data.subarray(y * b.width + x0, (y + 1) * b.width), y * w);
    const det2 = detectCircle({ width: w, height: b.height, data: crop })!;
    expect(Math.hypot(det2.circle.cx - (b.circle.cx - x0), det2.circle.cy - b.circle.cy) / b.circle.r).toBeLessThan(0.01);
    expect(Math.abs(det2.circle.r - b.circle.r) / b.circle.r).toBeLessThan(0.01);
  });

  it('returns null on an image without a section', () => {
    const rng = createRng(1);
    const data = Uint8Array.from({ length: 200 * 200 }, () => rng.int(256));
    expect(detectCircle({ width: 200, height: 200, data })).toBeNull();
  });
});

describe('calibration', () => {
  it('maps mm (x right, y down) to pixels and back', () => {
    const cal = calibrate({ cx: 1000, cy: 900, r: 1250 }, 600);
    expect(cal.mmPerPx).toBeCloseTo(0.24, 12);
    expect(mmToPx(cal, 300, 0)).toEqual({ x: 2250, y: 900 });
    expect(mmToPx(cal, 0, -300).y).toBeCloseTo(-350, 9);
    const back = pxToMm(cal, 1234, 567);
    const again = mmToPx(cal, back.xMm, back.yMm);
    expect(again.x).toBeCloseTo(1234, 9);
    expect(again.y).toBeCloseTo(567, 9);
    expect(() => calibrate({ cx: 0, cy: 0, r: 0 }, 600)).toThrow(/radius/);
  });
});
