import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateSynthetic } from '../../../core/jominy/synth.js';
import { writeJominyCsv } from '../../../core/jominy/csv.js';
import { elementCoverage, planInputHeats } from '../../../core/jominy/element-gaps.js';
import { ELEMENTS } from '../../../core/jominy/elements.js';
import { cliInTempFolder } from '../../helpers/cli.js';
import type { JominySample } from '../../../core/jominy/dataset.js';

const { dir, cli } = cliInTempFolder('ferrolab-jominy-dataset-heats-');

// 40 heats; B analysed on 32 of them (80 %), and each of the 8 without B has 3 rows (a retest and a second bar,
// same chemistry, readings 0.3 and 0.6 HRC higher): 56 rows, B on 32 of them (57 %). Fails before: the dataset was
// "56 heats", B's share "32 of 56" and B not a model input (rows counted, not heats).
function heats(withIds: boolean): JominySample[] {
  const base = generateSynthetic({ n: 40, seed: 9 }).map((s, i) => ({ ...s, heatId: withIds ? `H${i + 1}` : null, grade: 'G', grainSize: null }));
  const rows: JominySample[] = [];
  base.forEach((s, i) => {
    if (i < 32) return void rows.push(s);
    const chemistry = Object.fromEntries(Object.entries(s.chemistry).filter(([el]) => el !== 'B')) as JominySample['chemistry'];
    for (const dh of [0, 0.3, 0.6]) rows.push({ ...s, chemistry, hardness: s.hardness.map((h) => (h === null ? h : +(h + dh).toFixed(1))) });
  });
  return rows;
}

describe('JoMiner datasets count heats, not rows', () => {
  it('the element rule and the shares are per heat; a heat is its id, or a row without one its grade and chemistry', () => {
    for (const withIds of [true, false]) {
      const rows = heats(withIds);
      expect(rows).toHaveLength(56);
      const cov = elementCoverage(rows, [...ELEMENTS]);
      expect(cov.heats).toBe(40);
      expect(cov.rows).toBe(56);
      const b = cov.elements.find((e) => e.element === 'B')!;
      expect([b.measured, b.missing, b.share, b.input]).toEqual([32, 8, 0.8, true]);
      const { plan, samples } = planInputHeats(rows, [...ELEMENTS]);
      expect(plan.inputElements).toContain('B');
      expect([plan.datasetHeats, plan.usedHeats, plan.leftOut]).toEqual([40, 32, 8]);
      expect(samples).toHaveLength(32);
    }
  });

  it('`datasets import` says "40 heats (56 rows)" and the shares of 40 heats', async () => {
    const file = join(dir, 'retests.csv');
    writeFileSync(file, writeJominyCsv(heats(true), { synthetic: 'retests' }));
    const r = await cli('jominy', 'datasets', 'import', file);
    expect(r.code).toBe(0);
    expect(r.out).toContain(': 40 heats (56 rows);');
    expect(r.out).toContain('heats that analysed each element (of 40 heats, 56 rows;');
    expect(r.out).toContain("\n  B       32 (80 %), 8 missing\n");
    const shown = JSON.parse((await cli('jominy', 'datasets', 'show', '1', '--json')).out);
    expect([shown.dataset.heats, shown.coverage.heats, shown.coverage.rows]).toEqual([40, 40, 56]);
    // heats that measured 1.5 mm, and per grade: 40, not 56
    expect([shown.coverage.perDistance[0], shown.coverage.grades[0].n]).toEqual([40, 40]);
    const listed = JSON.parse((await cli('jominy', 'datasets', 'list', '--json')).out);
    expect([listed[0].heats, listed[0].sampleCount]).toEqual([40, 56]);
  });
});
