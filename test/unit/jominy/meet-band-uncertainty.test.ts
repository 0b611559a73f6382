import { describe, expect, it } from 'vitest';
import { generateSynthetic } from '../../../core/jominy/synth.js';
import { trainPredictor } from '../../../core/jominy/predictor.js';
import { trainEnsemble, JominyEnsemble } from '../../../core/jominy/ensemble.js';
import { DEFAULT_MC_DRAWS, MeetProbability, type MeetStated } from '../../../core/jominy/robust.js';
import { chemToArray } from '../../../core/jominy/elements.js';

/**
 * Guards audit 28-C find 4. A design's P(meet band) had been shown as "96.9 % ± 0.4 %" (DesignResults.svelte, CLI
 * designUncertaintyLines, CSV p_meet_band), where the ± is only the Monte Carlo error of 2000 draws; the probability
 * itself rests on a k fitted on some 90 held-out heats, a normal shape and one pooled ρ. On 600 new heats of the same
 * generator, for a ±3 HRC band at 1.5, 9 and 20 mm around each heat's predicted curve, the mean stated P is 96.9 % and
 * 92.3 % of the heats meet the band: 12 Monte Carlo standard errors off. With another training set the error has the
 * other sign (86.3 % stated, 89.5 % met). So P now states a range (core/jominy/meet-uncertainty.ts): the widest of its
 * Monte Carlo error, its calibration range (k and ρ refitted on bootstrap resamples of the held-out heats) and its
 * held-out check (the band shape around each held-out heat's curve, at the k of the cross-fit half it was not in). This
 * test checks that range against what new heats do, where the Monte Carlo ± alone could not hold it.
 */
describe('P(meet band): the range it states', () => {
  const run = (heatSeed: number, modelSeed: number, freshSeed: number) => {
    const heats = generateSynthetic({ n: 300, seed: heatSeed });
    const model = trainPredictor(heats, { seed: modelSeed, maxHidden: 3, epochs: 40 });
    const e = trainEnsemble(heats, model, { size: 5 });
    const ens = new JominyEnsemble(model, e);
    const fresh = generateSynthetic({ n: 600, seed: freshSeed });
    const idx = [0, 5, 9]; // 1.5, 9 and 20 mm
    let sumP = 0;
    let met = 0;
    let lo = 0;
    let hi = 0;
    let calLo = 0;
    let calHi = 0;
    let first: MeetStated | null = null;
    for (const h of fresh) {
      const chem = chemToArray(h.chemistry);
      const y = ens.predictor.predict(chem);
      const band = { idx, lo: idx.map((p) => y[p] - 3), hi: idx.map((p) => y[p] + 3) };
      // the design's estimator (no melt tolerance: the heat is cast at the aim), fewer draws per heat, averaged over 600
      const st = new MeetProbability(ens, band, chem.map(() => 0), 64, 1).stated(chem);
      first ??= st;
      sumP += st.p;
      lo += st.range[0];
      hi += st.range[1];
      calLo += st.calibrationRange![0];
      calHi += st.calibrationRange![1];
      if (idx.every((p, k) => h.hardness[p] >= band.lo[k] && h.hardness[p] <= band.hi[k])) met++;
    }
    const n = fresh.length;
    const stated = sumP / n;
    const observed = met / n;
    // the Monte Carlo ± a design with that P shows (robust.ts se at DEFAULT_MC_DRAWS), and the observed share's error
    const mcSe = Math.sqrt((stated * (1 - stated)) / DEFAULT_MC_DRAWS);
    const observedSe = Math.sqrt((observed * (1 - observed)) / n);
    return { e, stated, observed, mcSe, observedSe, range: [lo / n, hi / n], calibration: [calLo / n, calHi / n], check: first! };
  };

  it('holds what new heats do (96.9 % stated, 92.3 % met), which the Monte Carlo ± alone (0.4 %) does not', () => {
    const r = run(11, 4, 99);
    expect(r.e.calibration.coverage).toBeCloseTo(0.917, 2); // measured: no † beside P(meet band)
    expect(r.e.calibration.heats).toBe(90);
    expect(r.stated).toBeCloseTo(0.969, 2);
    expect(r.observed).toBeCloseTo(0.923, 2);
    expect(r.mcSe).toBeCloseTo(0.0039, 3);
    // the Monte Carlo error alone is 12 of its own se short of the gap (so it is labelled the Monte Carlo error, no more)
    expect(Math.abs(r.stated - r.observed)).toBeGreaterThan(2 * Math.hypot(r.mcSe, r.observedSe));
    // the calibration range alone: k and ρ refitted on 200 resamples of the 90 held-out heats, 5–95 % of P
    expect(r.check.replicates).toBe(200);
    expect(r.calibration[0]).toBeCloseTo(0.924, 2);
    expect(r.calibration[1]).toBeCloseTo(0.988, 2);
    // the held-out check of the ±3 HRC shape (the same shape around every heat's curve): stated 93.5 % for the 90
    // held-out heats at their other half's k and ρ, met by 93.3 % (Wilson 90 %: 87.6–96.5 %)
    expect(r.check.heldOutWhy).toBe('measured');
    expect(r.check.heldOut!.heats).toBe(90);
    expect(r.check.heldOut!.meanP).toBeCloseTo(0.935, 3);
    expect(r.check.heldOut!.share).toBeCloseTo(84 / 90, 6);
    expect([r.check.heldOut!.lo, r.check.heldOut!.hi].map((v) => +v.toFixed(3))).toEqual([0.876, 0.965]);
    // at the stored k (the k the stated P uses) the same held-out heats were said 96.9 %: the wider gap (3.6 points)
    // sets the range
    expect(r.check.heldOut!.meanPStored).toBeCloseTo(0.969, 3);
    // the range stated (mean over the 600 heats): 87.6–99.9 %, and what the new heats do lies in it
    expect(r.range[0]).toBeCloseTo(0.876, 2);
    expect(r.range[1]).toBeCloseTo(0.999, 2);
    expect(r.observed).toBeGreaterThanOrEqual(r.range[0] - 2 * r.observedSe);
    expect(r.observed).toBeLessThanOrEqual(r.range[1] + 2 * r.observedSe);
  });

  it('holds it where P understates too (86.3 % stated, 89.5 % met): the error has no fixed sign', () => {
    const r = run(14, 7, 96);
    expect(r.stated).toBeCloseTo(0.863, 2);
    expect(r.observed).toBeCloseTo(0.895, 2);
    expect(Math.abs(r.stated - r.observed)).toBeGreaterThan(2 * Math.hypot(r.mcSe, r.observedSe));
    // here the held-out check saw it: P said 76.9 % for the held-out heats and 86.7 % of them met
    expect(r.check.heldOut!.meanP).toBeCloseTo(0.769, 3);
    expect(r.check.heldOut!.share).toBeCloseTo(78 / 90, 6);
    expect(r.range[0]).toBeCloseTo(0.778, 2);
    expect(r.range[1]).toBeCloseTo(0.993, 2);
    expect(r.observed).toBeGreaterThanOrEqual(r.range[0] - 2 * r.observedSe);
    expect(r.observed).toBeLessThanOrEqual(r.range[1] + 2 * r.observedSe);
  });
});
