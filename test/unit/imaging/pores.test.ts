import { describe, expect, it } from 'vitest';
import { generateSyntheticBillet, truthJson, syntheticReadings } from '../../../core/synth/index.js';
import { detectPores, effectiveMinDiameterMm, type PoreDetection } from '../../../core/imaging/pores.js';
import { createRng } from '../../../core/synth/index.js';

/**
 * The pore detector against the synthetic billets' known pores (truth.json `params.field.pores`).
 * Matching rule: a true pore whose diameter is ≥ the stated minimum is FOUND when the pixel at its centre is in
 * the detection mask (touching voids come out as one blob, which masks them all); a detection is CORRECT when
 * its equivalent disc overlaps a true pore's disc (centre distance ≤ r_true + d_detected / 2).
 */
type TruePore = { xMm: number; yMm: number; radiusMm: number };

function score(d: PoreDetection, truth: readonly TruePore[], circle: { cx: number; cy: number }, mmPerPx: number) {
  const big = truth.filter((p) => 2 * p.radiusMm >= d.minDiameterMm);
  const found = big.filter((p) => d.mask[Math.round(circle.cy + p.yMm / mmPerPx) * d.width + Math.round(circle.cx + p.xMm / mmPerPx)] === 1);
  const correct = d.pores.filter((q) => truth.some((p) => Math.hypot(q.xMm - p.xMm, q.yMm - p.yMm) <= p.radiusMm + q.diameterMm / 2));
  return { recall: found.length / big.length, precision: correct.length / d.pores.length, big: big.length };
}

describe('pore detector', () => {
  for (const seed of [2, 3]) {
    it(`finds the known pores of synthetic billet seed ${seed} (recall and precision ≥ 0.8, truth.json)`, async () => {
      const b = generateSyntheticBillet({ seed, sizePx: 1000 });
      // the truth the test reads is what truth.json carries for this billet
      const truth = (JSON.parse(truthJson(b, syntheticReadings(b, [], 1), 1)) as { params: { field: { pores: TruePore[] } } }).params.field.pores;
      expect(truth.length).toBeGreaterThan(10);
      const d = await detectPores({ image: { width: b.width, height: b.height, data: b.data }, mmPerPx: b.mmPerPx, circle: b.circle });
      expect(d.minDiameterMm).toBeCloseTo(effectiveMinDiameterMm(b.mmPerPx), 12);
      expect(d.minDiameterMm).toBeCloseTo(3 * b.mmPerPx, 12); // 1000 px: the 3 px floor wins over 1 mm
      const s = score(d, truth, b.circle, b.mmPerPx);
      expect(s.big).toBeGreaterThan(5);
      expect(s.recall).toBeGreaterThanOrEqual(0.8);
      expect(s.precision).toBeGreaterThanOrEqual(0.8);
      // every reported pore meets the stated minimum, and the mask holds exactly their pixels
      expect(d.pores.every((p) => p.diameterMm >= d.minDiameterMm)).toBe(true);
      expect(d.mask.reduce((a, v) => a + v, 0)).toBe(d.pores.reduce((a, p) => a + p.areaPx, 0));
      // pores sit in the centre porosity zone, never near the rim
      expect(d.pores.every((p) => Math.hypot(p.xMm, p.yMm) < 100)).toBe(true);
    });
  }

  it('measures a dark disc on a noisy texture: centre and equivalent diameter in mm; refuses thin dark lines', async () => {
    const W = 400, mmPerPx = 0.25;
    const rng = createRng(5);
    const data = new Uint8Array(W * W);
    for (let y = 0; y < W; y++)
      for (let x = 0; x < W; x++) {
        // a two-phase texture (bright bands with dark gaps 3 px wide) plus noise
        const gap = x % 12 < 3 ? 70 : 170;
        let v = gap + 6 * rng.normal();
        if (Math.hypot(x - 250, y - 150) <= 12) v = 12; // a void of radius 12 px = 3 mm, centre (250, 150) px
        if (y >= 300 && y < 303 && x > 50 && x < 350) v = 12; // a thin black scratch: long, 3 px wide
        data[y * W + x] = Math.max(0, Math.min(255, Math.round(v)));
      }
    const circle = { cx: 200, cy: 200, r: 195 };
    const d = await detectPores({ image: { width: W, height: W, data }, mmPerPx, circle });
    expect(d.pores).toHaveLength(1);
    const p = d.pores[0];
    expect(p.xMm).toBeCloseTo((250 - 200) * mmPerPx, 1);
    expect(p.yMm).toBeCloseTo((150 - 200) * mmPerPx, 1);
    expect(Math.abs(p.diameterMm - 6)).toBeLessThan(0.3);
    expect(d.mask[300 * W + 200]).toBe(0); // the scratch is not a pore
  });

  it('cancels when its signal fires', async () => {
    const b = generateSyntheticBillet({ seed: 2, sizePx: 300 });
    const ac = new AbortController();
    ac.abort();
    await expect(detectPores({ image: { width: b.width, height: b.height, data: b.data }, mmPerPx: b.mmPerPx, circle: b.circle, signal: ac.signal })).rejects.toThrow();
  });
});
