import { describe, expect, it } from 'vitest';
import { biasedHighLine, modelBelowScale } from '../../../core/jominy/below-scale.js';
import { heatKeys } from '../../../core/jominy/heat-split.js';
import { biasedHighNotRecorded, biasedHighOf } from '../../../core/services/jominy/predictors.js';
import { english } from '../../../core/runtime/english.js';
import type { DatasetLayout, JominySample } from '../../../core/jominy/dataset.js';

// Task 27-L (4): whose heats a model's biased-high flag is over, in the cases the 27-C tests left open.

const layout: DatasetLayout = { distancesMm: [1.5, 50], labels: ['J1.5', 'J50'], elements: ['C'] } as DatasetLayout;
/** 100 heats: grade G 60 (heats 0 and 1 read below 20 HRC at J50 and were left out there), grade K 40. */
const rows: JominySample[] = Array.from({ length: 100 }, (_, i) => ({ heatId: `H${i}`, grade: i < 60 ? 'G' : 'K', grainSize: null, chemistry: { C: 0.3 + i / 1000 }, hardness: [55, i < 2 ? NaN : 30] }));
const from = rows.map((_, i) => (i < 2 ? 1 : null));
const ds = { layout, belowScale: { heatsLeftOut: [0, 2], byGrade: { G: [0, 2] } } };
// the model's heats: G's first 40 (the 2 left out among them) and all of K
const mine = rows.filter((_, i) => i < 40 || i >= 60);
const all = { usedHeats: 100, datasetHeats: 100 };
const part = { usedHeats: 80, datasetHeats: 100 };

describe("a model's flags: over its own heats, per grade too; the dataset's, said so, where its own are not recorded", () => {
  it("2 of grade G's 40 heats among the model's (5 %) flag J50 for G, where over the dataset's 60 (3.3 %) nothing is flagged", () => {
    const dataset = modelBelowScale(ds, rows, from, all, rows, heatKeys(rows));
    expect(dataset.points!.map((p) => [p.leftOut, p.tested, p.biasedHigh, p.grades])).toEqual([[2, 100, false, []]]);
    const model = modelBelowScale(ds, rows, from, part, mine, heatKeys(mine));
    expect([model.over, model.points!.map((p) => [p.leftOut, p.tested, p.biasedHigh, p.grades])]).toEqual(['model', [[2, 80, true, [{ grade: 'G', leftOut: 2, tested: 40, share: 0.05 }]]]]);
    expect(english(biasedHighOf({ belowScale: model.points, belowScaleOver: 'model' })[0].phrase)).toContain("over all grades 2 of the 80 heats tested there (2.5 %, over this model's heats)");
  });

  it("a dataset imported before heats were recorded one by one: the dataset's flag, over the dataset's heats, and the model's own not recorded (fails before: no flag)", () => {
    // 4 of the dataset's 100 heats left out at J50 (4 %: flagged), which of them the model takes not recorded
    const rows4 = rows.map((r, i) => (i < 4 ? { ...r, hardness: [55, NaN] } : r));
    const mine4 = rows4.filter((_, i) => i < 40 || i >= 60);
    const flagged = { layout, belowScale: { heatsLeftOut: [0, 4], byGrade: { G: [0, 4] } } };
    const r = modelBelowScale(flagged, rows4, null, part, mine4, heatKeys(mine4));
    expect([r.over, r.notRecorded, r.points!.map((p) => [p.leftOut, p.tested, p.biasedHigh])]).toEqual(['dataset', 'perHeat', [[4, 100, true]]]);
    const stored = { belowScale: r.points, belowScaleNotRecorded: r.notRecorded };
    expect(english(biasedHighOf(stored)[0].phrase)).toContain("4 of the 100 heats tested there (4 %, over the dataset's heats)");
    expect(english(biasedHighNotRecorded(stored)!)).toBe("this model's own heats read below 20 HRC: not recorded (its dataset was imported before they were recorded heat by heat, and the model leaves some of its heats out); any flag shown is over the dataset's heats — re-import the dataset with --below-scale empty to judge the model's own");
  });

  it("a model file stored before task 27-C (no belowScaleOver) reads over the dataset's heats", () => {
    const old = { belowScale: [{ distanceMm: 50, leftOut: 5, tested: 120, share: 5 / 120, biasedHigh: true }] };
    const [p] = biasedHighOf(old);
    expect([p.over, p.phrase.code, english(p.phrase)]).toEqual(['dataset', 'jominy.belowScale.biasedHigh', "at 50 mm the network and its baselines are biased high: 5 of the 120 heats tested there (4.2 %, over the dataset's heats) read below 20 HRC and were left out, and they are the heats that soften most; a predicted hardness near 20 HRC there is higher than such heats give"]);
    expect(biasedHighNotRecorded(old)).toBeNull();
  });
});

describe("a design's line names the dataset's flags beside the model's own not recorded", () => {
  it('biased high at: 50 mm over the dataset\'s heats, and the note (fails before: the note alone)', () => {
    const standard = [1.5, 3, 5, 7, 9, 11, 13, 15, 20, 25, 30, 35, 40, 45, 50].map((d) => d === 50);
    const notRecorded = biasedHighNotRecorded({ belowScale: [], belowScaleNotRecorded: 'perHeat' })!;
    expect(biasedHighLine({ standard, notRecorded })).toBe(`biased high at: 50 mm (heats below 20 HRC left out there, over the dataset's heats); ${english(notRecorded)}`);
    expect(biasedHighLine({ standard: standard.map(() => false), notRecorded })).toBe(`biased high at: ${english(notRecorded)}`);
  });
});
