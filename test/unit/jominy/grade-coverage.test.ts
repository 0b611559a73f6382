import { describe, expect, it } from 'vitest';
import { generateSynthetic } from '../../../core/jominy/synth.js';
import { trainPredictor } from '../../../core/jominy/predictor.js';
import { trainEnsemble } from '../../../core/jominy/ensemble.js';
import { gradeCoverage, LOGO_MEMBERS, MIN_GRADE_HEATS } from '../../../core/jominy/grade-coverage.js';
import { heatKeys } from '../../../core/jominy/heat-split.js';
import { JominyPredictor } from '../../../core/jominy/predictor.js';
import { chemToArray } from '../../../core/jominy/elements.js';
import { coverageCount } from '../../../core/cli/commands/jominy-uncertainty.js';

describe('coverage of the stored interval on a grade left out of training', () => {
  const samples = generateSynthetic({ n: 360, seed: 11 });
  const model = trainPredictor(samples, { seed: 3, maxHidden: 3, epochs: 40 });
  const keys = heatKeys(samples);
  const cols = model.nets.map((_, p) => p);
  const ens = trainEnsemble(samples, model, { size: 3, heatKeys: keys });
  const cal = ens.calibration;

  it('counts, per grade, the readings inside ŷ ± z·k·√(sd² + τ²) with refits that never saw the grade', () => {
    // refits that return the predictor's own networks: ŷ is its curve, the members agree (sd 0), so σ = τ and the
    // count can be done here independently; the rows each refit is given must hold none of the grade left out
    const seen: string[][] = [];
    const own = model.nets.map((n) => ({ weights: n.weights, xMin: n.xMin, xMax: n.xMax, yMin: n.yMin, yMax: n.yMax, gamma: n.gamma }));
    const g = gradeCoverage({ samples, model, calibration: cal, keys, cols, fit: (rows) => (seen.push(rows.map((i) => samples[i].grade!)), own) })!;
    const counts = new Map<string, number>();
    samples.forEach((s) => counts.set(s.grade!, (counts.get(s.grade!) ?? 0) + 1));
    const eligible = [...counts.entries()].filter(([, n]) => n >= MIN_GRADE_HEATS).map(([gr]) => gr).sort();
    expect(g.grades.map((r) => r.grade)).toEqual(eligible);
    expect(seen.length).toBe(eligible.length * (1 + LOGO_MEMBERS));
    eligible.forEach((gr, gi) => seen.slice(gi * (1 + LOGO_MEMBERS), (gi + 1) * (1 + LOGO_MEMBERS)).forEach((rows) => expect(rows).not.toContain(gr)));
    const pred = new JominyPredictor(model);
    for (const r of g.grades) {
      let readings = 0;
      let covered = 0;
      for (const s of samples.filter((x) => x.grade === r.grade)) {
        const y = pred.predictPoints(chemToArray(s.chemistry));
        y.forEach((v, p) => {
          readings++;
          if (Math.abs(s.hardness[p] - v) <= cal.z90 * cal.kPoints![p] * cal.tauPoints![p]) covered++;
        });
      }
      expect(r.readings).toBe(readings);
      expect(r.covered).toBe(covered);
    }
  });

  it('is stored with the ensemble and lower than the random split states', () => {
    const g = ens.gradeCoverage!;
    expect(g.grades.length).toBeGreaterThanOrEqual(2);
    expect(g.readings).toBe(g.grades.reduce((a, r) => a + r.readings, 0));
    const logo = g.covered / g.readings;
    // a grade the networks never saw is met less often than random held-out heats of known grades
    expect(logo).toBeLessThan(cal.coverage!);
    expect(g.seconds).toBeGreaterThan(0);
    console.log(`coverage of the 90 % interval: random split ${cal.coverage!.toFixed(3)} (held-out, ${cal.coverageReadings} readings) vs leave-one-grade-out ${logo.toFixed(3)} (${g.readings} readings, ${g.grades.map((r) => `${r.grade} ${(r.covered / r.readings).toFixed(3)}`).join(', ')}); refits ${g.seconds.toFixed(1)} s of ${ens.trainSeconds.toFixed(1)} s`);
  });

  it('words a coverage with its count and Wilson 90 % interval', () => {
    // Wilson score interval computed here from its formula, z = 1.6449
    const z = 1.6448536269514722;
    const p = 0.888;
    const n = 412;
    const centre = (p + (z * z) / (2 * n)) / (1 + (z * z) / n);
    const half = (z / (1 + (z * z) / n)) * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n));
    expect(coverageCount(p, n)).toBe(`88.8 % of 412 held-out readings, Wilson 90 % ${(100 * (centre - half)).toFixed(1)}–${(100 * (centre + half)).toFixed(1)} %`);
    expect(coverageCount(p, n)).toBe('88.8 % of 412 held-out readings, Wilson 90 % 86.0–91.1 %');
  });
});
