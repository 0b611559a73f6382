import { generateSynthetic } from '../../../core/jominy/synth.js';
import { createRng } from '../../../core/runtime/random.js';
import type { JominySample } from '../../../core/jominy/dataset.js';

/**
 * Heats whose hardness is their grade's mean curve plus pure noise: chemistry (from the synthetic grade
 * families) tells the grades apart but carries no signal within a grade — the situation of real plant data.
 */
export function gradeMeanPlusNoise(n: number, seed: number, noiseHrc = 1.5): JominySample[] {
  const base = generateSynthetic({ n, seed });
  const means = new Map<string, number[]>();
  for (const g of new Set(base.map((s) => s.grade!))) {
    const of = base.filter((s) => s.grade === g);
    means.set(g, of[0].hardness.map((_, p) => of.reduce((a, s) => a + s.hardness[p], 0) / of.length));
  }
  const rng = createRng(seed + 1000);
  return base.map((s) => ({ ...s, hardness: means.get(s.grade!)!.map((h) => Math.round((h + noiseHrc * rng.normal()) * 10) / 10) }));
}
