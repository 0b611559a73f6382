import { describe, expect, it } from 'vitest';
import { blendedTestPoints, darkFractionFeatures, fitDarkFractionModel, fitTextureBlend, predictDarkFraction } from '../../../core/segregation/cnn/texture-blend.js';
import { createForkingRng } from '../../../core/runtime/random.js';

/** A 16 × 16 patch whose share `dark` of pixels is dark (grey 40) among light ones (grey 200), with seeded jitter. */
function patch(dark: number, seed: number): Uint8Array {
  const rng = createForkingRng(seed);
  const n = 256;
  const out = new Uint8Array(n);
  const k = Math.round(dark * n);
  for (let i = 0; i < n; i++) out[i] = (i < k ? 40 : 200) + Math.round(rng.uniform(-8, 8));
  return out;
}

describe('texture blend: dark-phase fractions and the CNN weight chosen on held-out points', () => {
  it('reads the dark share of a two-phase patch at every cut', () => {
    expect(darkFractionFeatures(patch(0.3, 1))).toHaveLength(1);
    const f = darkFractionFeatures(patch(0.3, 1), [0.3, 0.4, 0.5, 0.6]);
    expect(f).toHaveLength(4);
    for (const v of f) expect(v).toBeCloseTo(0.3, 2);
  });

  it('a linear model on the fractions recovers carbon that is linear in the dark share, and extrapolates it', () => {
    const rng = createForkingRng(5);
    const dark = Array.from({ length: 60 }, () => rng.uniform(0.3, 0.6));
    const m = fitDarkFractionModel(dark.map((d, i) => patch(d, 100 + i)), dark.map((d) => 0.3 + 0.2 * d));
    // 0.2 lies below every training share: the linear model carries on where it was trained
    for (const d of [0.2, 0.45, 0.7]) expect(predictDarkFraction(m, patch(d, 999))).toBeCloseTo(0.3 + 0.2 * d, 3);
  });

  it('chooses about half-and-half when the CNN and the texture model err alike and independently, the CNN alone when the texture says nothing', () => {
    const rng = createForkingRng(9);
    const n = 200;
    const dark = Array.from({ length: n }, () => rng.uniform(0.3, 0.6));
    const truth = dark.map((d) => 0.3 + 0.2 * d);
    const noisyPatches = dark.map((d, i) => patch(Math.min(1, Math.max(0, d + 0.05 * rng.normal())), 300 + i));
    const cnn = truth.map((t) => t + 0.01 * rng.normal());
    const idx = [...Array(n).keys()];
    const splits = [0, 1].map((s) => ({ train: idx.filter((i) => i % 2 !== s), test: idx.filter((i) => i % 2 === s).map((i) => ({ index: i, cnn: cnn[i], actual: truth[i] })) }));
    const b = fitTextureBlend(noisyPatches, truth, splits, idx)!;
    expect(b.cnnWeight).toBeGreaterThanOrEqual(0.3);
    expect(b.cnnWeight).toBeLessThanOrEqual(0.7);
    expect(b.heldOut.points).toBe(n);
    expect(b.heldOut.blendMae).toBeLessThan(0.9 * Math.min(b.heldOut.cnnMae, b.heldOut.textureMae));
    expect(b.splitTexture.map((s) => s.length)).toEqual([100, 100]);
    // the held-out points as the model predicts them: the blend at the chosen weight
    const tp = splits.map((s) => ({ testPoints: s.test.map((t) => ({ mean: t.cnn, actual: t.actual })) }));
    const blended = blendedTestPoints(tp, b);
    expect(blended[0][0].mean).toBeCloseTo(b.cnnWeight * tp[0].testPoints[0].mean + (1 - b.cnnWeight) * b.splitTexture[0][0], 12);
    expect(blendedTestPoints(tp, null)[0][0].mean).toBe(tp[0].testPoints[0].mean);

    // patches that carry no carbon (dark share unrelated to it): the CNN keeps most of the weight (the rest only shrinks towards the mean)
    const blind = idx.map((i) => patch(rng.uniform(0.3, 0.6), 700 + i));
    const c = fitTextureBlend(blind, truth, splits, idx)!;
    expect(c.cnnWeight).toBeGreaterThanOrEqual(0.7);
    expect(c.heldOut.blendMae).toBeLessThanOrEqual(c.heldOut.cnnMae);
  });

  it('has nothing to choose with when no point is held out', () => {
    const idx = [...Array(20).keys()];
    expect(fitTextureBlend(idx.map((i) => patch(0.4, i)), idx.map(() => 0.4), [{ train: idx, test: [] }], idx)).toBeNull();
  });
});
