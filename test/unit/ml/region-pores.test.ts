import { describe, expect, it } from 'vitest';
import { generateSyntheticBillet } from '../../../core/synth/index.js';
import { detectPores, poreMaskOfPatch, cutWindow, resampleSquare } from '../../../core/imaging/index.js';
import { darkRegionMask, regionMeans } from '../../../core/ml/region-analysis.js';

/**
 * The Grad-CAM region test leaves pore pixels out of both regions: a void is the blackest thing in a patch, so a
 * dark-pixel mask would take it as "interdendritic", and a model that lights up on it would win the test.
 */
describe('region test masks exclude pore pixels', () => {
  it('a patch over a detected pore: the pore pixels are in neither region, and a CAM lit only on the pore no longer tips the means', async () => {
    const b = generateSyntheticBillet({ seed: 3, sizePx: 800 });
    const d = await detectPores({ image: { width: b.width, height: b.height, data: b.data }, mmPerPx: b.mmPerPx, circle: b.circle });
    const src = { width: d.width, height: d.height, mask: d.mask, circle: b.circle, mmPerPx: b.mmPerPx };
    const pore = d.pores[0];
    const size = 32, side = 40; // a 40 px window (≈ 30 mm) resampled to the model's 32 px, as patches are cut
    const win = cutWindow({ width: b.width, height: b.height, data: b.data }, b.circle.cx + pore.xMm / b.mmPerPx, b.circle.cy + pore.yMm / b.mmPerPx, side);
    const patch = await resampleSquare(win.data, side, size);
    const poreMask = poreMaskOfPatch(src, pore.xMm, pore.yMm, side * b.mmPerPx, size);
    const n = poreMask.reduce((a, v) => a + v, 0);
    // the pore's area at the patch scale, give or take its edge pixels (the mask is conservative)
    expect(n).toBeGreaterThanOrEqual(Math.floor(pore.areaPx * (size / side) ** 2 * 0.8));
    expect(n).toBeLessThan(size * size / 2);
    // pore pixels are the darkest of the patch: without exclusion they are "dark"; with it, none is
    const plain = darkRegionMask(patch);
    const dark = darkRegionMask(patch, undefined, poreMask);
    let plainOnPores = 0, darkOnPores = 0;
    for (let i = 0; i < poreMask.length; i++) if (poreMask[i]) (plainOnPores += plain[i], (darkOnPores += dark[i]));
    expect(plainOnPores).toBeGreaterThanOrEqual(0.9 * n); // all but a few edge pixels of the (conservative) pore mask
    expect(darkOnPores).toBe(0);
    // a CAM lit only on the pore: without exclusion "inside" wins; with it both regions see the same activation
    const cam = Float32Array.from(poreMask, (v) => (v ? 1 : 0.2));
    const biased = regionMeans(cam, plain);
    expect(biased.inside).toBeGreaterThan(biased.outside + 0.05);
    const fair = regionMeans(cam, dark, poreMask);
    expect(fair.inside).toBeCloseTo(0.2, 6);
    expect(fair.outside).toBeCloseTo(0.2, 6);
  });
});
