import { describe, expect, it } from 'vitest';
import { generateSynthetic, SYNTH_MODEL_ID } from '../../../core/jominy/synth.js';
import { trainPredictor } from '../../../core/jominy/predictor.js';
import { heatKeys } from '../../../core/jominy/heat-split.js';
import { STANDARD_LAYOUT, type JominySample } from '../../../core/jominy/dataset.js';
import { memoryContext } from '../../../core/experiments/types.js';
import { runJominyReproduction } from '../../../core/experiments/jominy/index.js';
import { predictorCounts, predictorNote, predictorProgress } from '../../../core/experiments/jominy/predictor-note.js';
import { jominyDataSummary } from '../../../core/services/experiments/reproduction-job.js';
import { english } from '../../../core/runtime/english.js';

/**
 * The reproduction counts heats as heats and its targets as curves (review 26b: the report said "74 heats" of 37 heats'
 * 74 rows, and "22 held-out heats" of 11 heats' 22 curves).
 */
const bar = (s: JominySample, dh: number): JominySample => ({ ...s, hardness: s.hardness.map((h) => +(h + dh).toFixed(1)) });
const twoBars = generateSynthetic({ n: 37, seed: 3 }).flatMap((s, i) => {
  const h = { ...s, heatId: `H${i + 1}` };
  return [h, bar(h, 0.4)];
});

describe('the reproduction’s counts', () => {
  const model = trainPredictor(twoBars, { seed: 2, maxHidden: 1, epochs: 3 });
  const keys = heatKeys(twoBars);

  it('the predictor note and progress say heats, their rows, and target curves of heats (fails before: rows called heats)', () => {
    const c = predictorCounts(keys, model.split.testIndices);
    expect(c).toEqual({ heats: 37, rows: 74, targets: 22, targetHeats: 11 });
    expect(english(predictorProgress(c, 9))).toBe('training the predictor on 37 heats in 74 rows (seed 9)');
    expect(english(predictorNote(c, 9, null))).toBe(
      "The predictor was trained here on 37 heats in 74 rows (a retest or second bar is a row of its heat; seed 9); its 22 held-out curves, of 11 heats, are the targets (the paper's protocol).",
    );
    expect(english(predictorNote(c, 9, { hidden: 3, epochs: 40 }))).toMatch(/^The predictor was trained here on 37 heats in 74 rows .*quick budget: at most 3 hidden units, 40 epochs\); its 22 held-out curves, of 11 heats, are the targets/);
    // one row a heat: the words it always had
    const once = twoBars.filter((_, i) => i % 2 === 0);
    const single = predictorCounts(heatKeys(once), [0, 1, 2]);
    expect(english(predictorNote(single, 9, null))).toBe("The predictor was trained here on 37 heats (seed 9); its 3 held-out heats are the targets (the paper's protocol).");
    expect(english(predictorProgress(single, 9))).toBe('training the predictor on 37 heats (seed 9)');
  });

  it("the report's data line counts heats, rows beside them where they differ (fails before: '74 heats')", () => {
    expect(jominyDataSummary({ samples: twoBars, layout: STANDARD_LAYOUT })).toMatch(/^37 heats \(74 rows\); 15 distances \(mm\); 15 elements \(C, /);
    expect(jominyDataSummary({ samples: twoBars.filter((_, i) => i % 2 === 0), layout: STANDARD_LAYOUT })).toMatch(/^37 heats; 15 distances/);
  });

  it('the settings give the target curves and their heats, and the predictor split in heats with its rows (fails before: targetHeats counted curves)', async () => {
    const targets = model.split.testIndices.slice(0, 4).map((i) => twoBars[i]);
    const ctx = memoryContext({ seed: 5 });
    const results = await runJominyReproduction(
      { model, targets, targetHeatKeys: model.split.testIndices.slice(0, 4).map((i) => keys[i]), generator: SYNTH_MODEL_ID, threads: 1, overrides: { r: [1], alpha: [5], population: 4, generations: 2 } },
      ctx,
    );
    const s = results[0].settings as Record<string, unknown>;
    const heatsOf4 = new Set(model.split.testIndices.slice(0, 4).map((i) => keys[i])).size;
    expect(heatsOf4).toBe(2); // a test heat's rows are together: the first 4 curves are of 2 heats
    expect(s).toMatchObject({ targetCurves: 4, targetHeats: heatsOf4, targetsAvailable: 4, targetHeatsAvailable: heatsOf4 });
    expect(s.predictor).toMatchObject({ heats: { train: 21, validation: 5, test: 11 }, rows: { train: 42, validation: 10, test: 22 } });
  });
});
