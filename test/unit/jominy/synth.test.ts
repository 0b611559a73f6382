import { describe, expect, it } from 'vitest';
import { generateSynthetic, synthTruthProfile, SYNTH_FAMILIES } from '../../../core/jominy/synth.js';
import { DISTANCES_MM, type Chemistry } from '../../../core/jominy/elements.js';
import { MONOTONE_TOLERANCE_HRC } from '../../../core/jominy/csv.js';
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

  it('adds ~1 HRC measurement noise (σ) to the generating model', () => {
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

  // Largest rise of a curve above its running minimum from the quenched end (what the CSV importer warns on).
  const rise = (h: number[]) => Math.max(0, ...h.slice(1).map((v, i) => v - Math.min(...h.slice(0, i + 1))));

  it('draws non-increasing noise-free curves; under 5 % of heats rise by more than σ, none trips the import warning', () => {
    for (const h of heats) {
      const t = synthTruthProfile(h.chemistry);
      for (let i = 1; i < t.length; i++) expect(t[i]).toBeLessThanOrEqual(t[i - 1]);
    }
    const sigma = 1.0;
    expect(heats.filter((h) => rise(h.hardness) > sigma).length / heats.length).toBeLessThan(0.05);
    expect(heats.filter((h) => rise(h.hardness) > MONOTONE_TOLERANCE_HRC).length).toBe(0);
    // Twice the noise: still monotone within noise (the reading part scales with σ).
    const noisy = generateSynthetic({ n: 400, seed: 9, noiseHrc: 2 });
    expect(noisy.filter((h) => rise(h.hardness) > 2).length / noisy.length).toBeLessThan(0.05);
  });

  it('has tails inside the SAE J1268 1045H band for a mid-band 1045, where A255 alone falls below it', () => {
    // 1045H band (research notes §2, J in sixteenths: min–max HRC) and the composition its source used.
    const band: [number, number, number][] = [[6, 25, 32], [8, 24, 30], [12, 21, 28], [16, 20, 26]];
    const c1045: Chemistry = { C: 0.45, Mn: 0.75, Si: 0.22, P: 0.014, S: 0.02, Cu: 0.15, Cr: 0.14, Ni: 0.09, Mo: 0.02, B: 0.0002, Ti: 0.002, Nb: 0.002, Sn: 0.01, Al: 0.026, V: 0.005 };
    const at = (p: number[], mm: number) => {
      const i = DISTANCES_MM.findIndex((d) => d >= mm);
      const [a, b] = [DISTANCES_MM[i - 1], DISTANCES_MM[i]];
      return p[i - 1] + ((p[i] - p[i - 1]) * (mm - a)) / (b - a);
    };
    const truth = synthTruthProfile(c1045);
    const a255 = a255Profile(c1045).profile;
    for (const [j, lo, hi] of band) {
      const v = at(truth, j * 1.5875);
      expect(v).toBeGreaterThanOrEqual(lo);
      expect(v).toBeLessThanOrEqual(hi);
    }
    expect(at(a255, 16 * 1.5875)).toBeLessThan(20); // what the floor corrects
    // Carbon-family heats inside the 1045H chemistry window (C .42–.51, Mn .50–1.00): most tails reach the band.
    const c45 = generateSynthetic({ n: 2000, seed: 5 }).filter((h) => h.grade === 'synthetic C45-type' && h.chemistry.C >= 0.42 && h.chemistry.C <= 0.51 && h.chemistry.Mn >= 0.5);
    expect(c45.length).toBeGreaterThan(100);
    for (const [j, lo] of band) {
      const below = c45.filter((h) => at(synthTruthProfile(h.chemistry), j * 1.5875) < lo).length / c45.length;
      expect(below).toBeLessThan(0.25);
    }
    // At 50 mm the carbon family's median tail is ≥ 16 HRC (fine pearlite), where A255 alone gives < 15.
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const carbon = heats.filter((h) => h.grade === 'synthetic C45-type');
    expect(median(carbon.map((h) => synthTruthProfile(h.chemistry)[14]))).toBeGreaterThanOrEqual(16);
    expect(median(carbon.map((h) => a255Profile(h.chemistry).profile[14]))).toBeLessThan(15);
  });
});

