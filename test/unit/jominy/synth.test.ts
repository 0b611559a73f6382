import { describe, expect, it } from 'vitest';
import { generateSynthetic, synthTruthProfile, SYNTH_FAMILIES } from '../../../core/jominy/synth.js';
import { a255Profile } from '../../../core/jominy/a255.js';
import { pearson } from '../../../core/jominy/input-selection.js';

describe('synthetic Jominy heats', () => {
  const heats = generateSynthetic({ n: 800, seed: 42 });

  it('is reproducible from its seed and labelled synthetic', () => {
    expect(generateSynthetic({ n: 800, seed: 42 })).toEqual(heats);
    expect(generateSynthetic({ n: 5, seed: 43 })[0]).not.toEqual(heats[0]);
    expect(heats.every((h) => h.grade!.startsWith('synthetic') && h.heatId!.startsWith('SYN-42-'))).toBe(true);
  });

  it('draws all five grade families with correlated alloying', () => {
    const counts = SYNTH_FAMILIES.map((f) => heats.filter((h) => h.grade === f.grade).length);
    counts.forEach((c, i) => expect(c / 800).toBeGreaterThan(SYNTH_FAMILIES[i].weight - 0.05));
    const crmo = heats.filter((h) => h.grade === 'synthetic 42CrMo4-type');
    // Shared "aim" factor: Mn and Cr of one heat move together (ρ = 0.25 by construction, before clipping).
    expect(pearson(crmo.map((h) => h.chemistry.Mn), crmo.map((h) => h.chemistry.Cr))).toBeGreaterThan(0.1);
  });

  it('adds ~1 HRC measurement noise to the generating model', () => {
    let sum = 0;
    let n = 0;
    for (const h of heats) {
      const truth = synthTruthProfile(h.chemistry);
      h.hardness.forEach((v, i) => {
        if (truth[i] > 9) {
          sum += (v - truth[i]) ** 2;
          n++;
        }
      });
    }
    const rms = Math.sqrt(sum / n);
    expect(rms).toBeGreaterThan(0.95);
    expect(rms).toBeLessThan(1.15);
  });

  it('gives boron steels more hardenability than A255 alone (the stated boron assumption)', () => {
    const boron = heats.filter((h) => h.grade === 'synthetic 27MnCrB5-type');
    const gain = boron.map((h) => synthTruthProfile(h.chemistry)[6] - a255Profile(h.chemistry).profile[6]);
    expect(Math.min(...gain)).toBeGreaterThan(2);
  });
});
