import { describe, expect, it } from 'vitest';
import { plainIssues } from '../../helpers/csv-issues.js';
import { JominyCsvError, parseJominyCsv, writeJominyCsv } from '../../../core/jominy/csv.js';
import { previewJominyCsv } from '../../../core/jominy/csv-preview.js';
import { describeInputHeats, elementCoverage, planInputHeats } from '../../../core/jominy/element-gaps.js';
import { trainPredictor } from '../../../core/jominy/predictor.js';
import { datasetCoverage } from '../../../core/jominy/dataset-stats.js';
import { PLANT_ELEMENTS, plantLikeJominyCsv } from '../../helpers/plant-jominy-csv.js';
import { RefusedError } from '../../../core/runtime/refused.js';

/** Issue 12: heats that did not analyse an element the dataset has — missing, never 0; the rule a model follows. */

const head = 'heat,C,Mn,Mo,B,J1.5,J5';
const issues = (text: string, opts = {}) => {
  try {
    parseJominyCsv(text, opts);
    return [];
  } catch (e) {
    return plainIssues((e as JominyCsvError).issues);
  }
};

describe('importing element gaps', () => {
  it('reads an empty cell or the declared marker as missing (absent, not 0) and refuses anything else by line, column and value', () => {
    const p = parseJominyCsv(`# missing: NA, -\n${head}\nH1,0.40,0.8,,0.002,55,40\nH2,0.41,0.8,NA,-,56,41\nH3,0.39,0.8,0.2,0.0021,54,39\n`);
    expect(p.layout.elements).toEqual(['C', 'Mn', 'Mo', 'B']);
    expect(p.samples[0].chemistry).toEqual({ C: 0.4, Mn: 0.8, B: 0.002 });
    expect(p.samples[1].chemistry).toEqual({ C: 0.41, Mn: 0.8 });
    expect('Mo' in p.samples[1].chemistry).toBe(false);
    // the written CSV keeps the gap an empty cell, and reads back the same
    const again = parseJominyCsv(writeJominyCsv(p.samples, {}, p.layout));
    expect(again.samples.map((s) => s.chemistry)).toEqual(p.samples.map((s) => s.chemistry));
    // an undeclared marker, a detection limit and a word are refused, naming the line, column and value
    expect(issues(`${head}\nH1,0.40,0.8,NA,0.002,55,40\n`)).toEqual([
      { line: 2, column: 'Mo', message: 'Mo value "NA" is not a plain decimal number (an empty cell is a missing value; a token for one must be declared: # missing: NA)' },
    ]);
    expect(issues(`# missing: NA\n${head}\nH1,0.40,0.8,0.2,<0.0005,55,40\n`)).toEqual([
      { line: 3, column: 'B', message: 'B value "<0.0005" is a detection limit, not a value (write the analysed value, or leave the cell empty if it was not analysed)' },
    ]);
    expect(issues(`${head}\nH1,0.40,0.8,0.2,0.002,55,40\nH2,0.40,0.8,trace,0.002,55,40\n`)[0]).toMatchObject({ line: 3, column: 'Mo', message: expect.stringContaining('"trace"') });
  });

  it('counts the gaps per element in the preview, with the threshold and which elements a model would take', () => {
    const plant = plantLikeJominyCsv({ n: 120, seed: 5, elementGaps: { Mo: 0.1, B: 0.4 }, missingToken: 'n.a.' });
    expect(plant.gaps.Mo).toBeGreaterThan(5);
    expect(plant.gaps.B).toBeGreaterThan(30);
    const pre = previewJominyCsv(plant.text);
    expect(pre.ok).toBe(true);
    const byEl = Object.fromEntries(pre.elementGaps!.elements.map((e) => [e.element, e]));
    expect(pre.elementGaps!.minShare).toBe(0.8);
    expect(byEl.Mo).toMatchObject({ measured: 120 - plant.gaps.Mo, missing: plant.gaps.Mo, input: true });
    expect(byEl.B).toMatchObject({ measured: 120 - plant.gaps.B, missing: plant.gaps.B, input: false });
    expect(byEl.C).toMatchObject({ measured: 120, missing: 0, share: 1, input: true });
    // the threshold is the preview's setting
    expect(previewJominyCsv(plant.text, {}, 'HRC', 0.5).elementGaps!.elements.find((e) => e.element === 'B')!.input).toBe(true);
    // the same file without its "# missing: n.a." line is refused at the first gap
    const undeclared = previewJominyCsv(plant.text.replace('# missing: n.a.\n', ''));
    expect(undeclared.ok).toBe(false);
    expect(undeclared.errors[0].message).toMatch(/value "n\.a\." is not a plain decimal number/);
    // grade statistics and coverage count only the heats that analysed each element
    const parsed = parseJominyCsv(plant.text);
    const cov = datasetCoverage(parsed.samples, parsed.layout);
    expect(cov.elementGaps.elements.find((e) => e.element === 'B')!.measured).toBe(120 - plant.gaps.B);
    expect(cov.cells[0][9]).toBe(120 - plant.gaps.B); // J1 × B (ELEMENTS index 9)
  });
});

describe('the model rule for element gaps', () => {
  const plant = plantLikeJominyCsv({ n: 200, seed: 11, elementGaps: { Mo: 0.08, Ni: 0.05, B: 0.45 } });
  const parsed = parseJominyCsv(plant.text);
  const { plan, samples } = planInputHeats(parsed.samples, parsed.layout.elements);

  it('drops an element analysed on too few heats and keeps only the heats that analysed every other input', () => {
    expect(plan.inputElements).toEqual(['C', 'Mn', 'Si', 'Cr', 'Ni', 'Mo', 'Ti']);
    expect(plan.dropped).toEqual([{ element: 'B', measured: 200 - plant.gaps.B, share: (200 - plant.gaps.B) / 200 }]);
    const complete = parsed.samples.filter((s) => s.chemistry.Mo !== undefined && s.chemistry.Ni !== undefined).length;
    expect(plan.usedHeats).toBe(complete);
    expect(plan.leftOut).toBe(200 - complete);
    expect(plan.leftOutBy).toEqual([{ element: 'Ni', heats: plant.gaps.Ni }, { element: 'Mo', heats: plant.gaps.Mo }]);
    expect(samples).toHaveLength(complete);
    // B is absent from every heat the model sees, as an element the dataset never analysed
    expect(samples.every((s) => !('B' in s.chemistry) && Object.values(s.chemistry).every((v) => Number.isFinite(v)))).toBe(true);
    expect(describeInputHeats(plan)).toEqual([
      `B is not an input: analysed on ${200 - plant.gaps.B} of 200 heats (${+(100 * plan.dropped[0].share).toFixed(1)} %, below the 80 % threshold)`,
      `${200 - complete} of 200 heats left out: they lack an input element (Ni: ${plant.gaps.Ni}, Mo: ${plant.gaps.Mo}); the model learnt and was scored on the other ${complete}`,
    ]);
  });

  it('keeps C as an input whatever its share, and refuses a threshold outside 0–1', () => {
    const few = [{ C: 0.4, Mn: 0.8 }, { Mn: 0.7 }, { Mn: 0.9 }].map((chemistry) => ({ heatId: null, grade: null, grainSize: null, chemistry, hardness: [50, 40] }));
    const cov = elementCoverage(few, ['C', 'Mn']);
    expect(cov.elements.map((e) => [e.element, e.measured, e.input])).toEqual([['C', 1, true], ['Mn', 3, true]]);
    expect(planInputHeats(few, ['C', 'Mn']).plan.usedHeats).toBe(1);
    expect(() => planInputHeats(few, ['C', 'Mn'], 1.5)).toThrow(RefusedError);
    expect(() => planInputHeats(few, ['C', 'Mn'], 1.5)).toThrow('the minimum share of heats that analysed an element is 1.5; give 0–1');
  });

  it('trains on the used heats only: the split counts add up to them, the dropped element is no input', () => {
    const model = trainPredictor(samples, { seed: 3, maxHidden: 2, epochs: 15, layout: { ...parsed.layout, elements: plan.inputElements } });
    expect(model.split.train + model.split.validation + model.split.test).toBe(plan.usedHeats);
    expect(model.elements).toEqual(plan.inputElements);
    expect(model.nets.every((n) => !n.elements.includes('B'))).toBe(true);
    // each point network learnt from heats of the used set only
    for (const n of model.nets) expect(n.heats!.train + n.heats!.validation + n.heats!.test).toBeLessThanOrEqual(plan.usedHeats);
    expect(PLANT_ELEMENTS).toContain('B');
  });
});
