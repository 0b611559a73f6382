import { describe, expect, it } from 'vitest';
import { generateSynthetic } from '../../../core/jominy/synth.js';
import { trainPredictor } from '../../../core/jominy/predictor.js';
import { a255CoversAll, gradeHoldout, skillReport, strongestAt, strongestBaseline, withStrongest, NO_SKILL_THRESHOLD } from '../../../core/jominy/baselines.js';
import { createRng, permutation } from '../../../core/runtime/random.js';
import type { JominySample } from '../../../core/jominy/dataset.js';
import { smallPredictor } from './fixture.js';
import { gradeMeanPlusNoise } from './noise-data.js';

describe('baselines and skill (pure)', () => {
  // Two points; grade C has no training heats (falls back to the mean of the other grades, A and B).
  const r = skillReport({
    split: 'random',
    distancesMm: [1.5, 3],
    train: [
      { grade: 'A', hardness: [50, 40] },
      { grade: 'A', hardness: [52, 44] },
      { grade: 'B', hardness: [30, 20] },
    ],
    test: [
      { grade: 'A', hardness: [51, 43] },
      { grade: 'B', hardness: [33, 21] },
      { grade: 'C', hardness: [40, 30] },
    ],
    model: [[50, 42], [31, 22], [41, 29]],
    a255: [[55, 45], null, [40, 35]],
  });

  it('matches the errors worked by hand', () => {
    const [p0, p1] = r.points;
    // Point 0: training mean 44; grade means A 51, B 30, other grades (51 + 30) / 2 = 40.5.
    expect(p0.model.mae).toBeCloseTo(4 / 3, 9);
    expect(p0.model.rmse).toBeCloseTo(Math.sqrt(2), 9);
    expect(p0.trainMean.mae).toBeCloseTo(22 / 3, 9);
    expect(p0.trainMean.rmse).toBeCloseTo(Math.sqrt(62), 9);
    expect(p0.gradeMean!.mae).toBeCloseTo(3.5 / 3, 9);
    expect(p0.gradeMean!.rmse).toBeCloseTo(Math.sqrt(9.25 / 3), 9);
    expect(p0.a255).toMatchObject({ n: 2 });
    expect(p0.a255!.mae).toBeCloseTo(2, 9);
    expect(p0.a255!.rmse).toBeCloseTo(Math.sqrt(8), 9);
    expect(p0.a255!.modelMae).toBeCloseTo(1, 9);
    expect(p0.skill.vsTrainMean).toBeCloseTo(1 - 4 / 22, 9);
    expect(p0.skill.vsGradeMean).toBeCloseTo(1 - 4 / 3.5, 9);
    expect(p0.skill.vsA255).toBeCloseTo(0.5, 9);
    expect(p0.skill.vsStrongest).toBe(p0.skill.vsGradeMean);
    // Point 1: training mean 104/3; grade means A 42, B 20, other grades 31.
    expect(p1.model.mae).toBeCloseTo(1, 9);
    expect(p1.trainMean.mae).toBeCloseTo(80 / 9, 9);
    expect(p1.gradeMean!.mae).toBeCloseTo(1, 9);
    expect(p1.a255!.mae).toBeCloseTo(3.5, 9);
    expect(p1.skill.vsGradeMean).toBeCloseTo(0, 9);
  });

  it('scores overall from the mean per-point MAE, names the strongest baseline, counts fallbacks and warns', () => {
    expect(r.overall.model.mae).toBeCloseTo(7 / 6, 9);
    expect(r.overall.gradeMean!.mae).toBeCloseTo(6.5 / 6, 9);
    expect(r.overall.trainMean.mae).toBeCloseTo((22 / 3 + 80 / 9) / 2, 9);
    expect(r.overall.skill.vsGradeMean).toBeCloseTo(1 - 7 / 6.5, 9);
    expect(r.overall.skill.vsStrongest).toBeCloseTo(1 - 7 / 6.5, 9);
    expect(r.overall.skill.vsA255).toBeCloseTo(1 - 1 / 2.75, 9);
    expect(r).toMatchObject({ strongest: 'grade-mean', fallbackHeats: 1, testHeats: 3, threshold: NO_SKILL_THRESHOLD });
    expect(r.gradeMeanNote).toContain('1 test heat with no training heats of their grade');
    expect(r.warning).toMatch(/^No skill over the grade mean \(skill -0\.08 ≤ 0\.05\): within a grade, chemistry explains almost nothing/);
  });

  it('without grades the training mean is the strongest baseline; missing cells are left out', () => {
    const g = skillReport({
      split: 'random',
      distancesMm: [1.5, 3],
      train: [{ grade: null, hardness: [50, 40] }, { grade: null, hardness: [40, null] }],
      test: [{ grade: null, hardness: [44, null] }, { grade: null, hardness: [46, 38] }],
      model: [[45, 0], [46, 39]],
      a255: [null, null],
    });
    expect(g.strongest).toBe('training-mean');
    expect(g.points[0].trainMean.mae).toBeCloseTo(1, 9); // mean 45: |45−44|, |45−46|
    expect(g.points[0].model.mae).toBeCloseTo(0.5, 9);
    expect(g.points[1]).toMatchObject({ n: 1 }); // the heat without J3 is not scored there
    expect(g.points[1].trainMean.mae).toBeCloseTo(2, 9); // mean of the one measured training value, 40
    expect(g.overall.skill.vsStrongest).toBeCloseTo(1 - 0.75 / 1.5, 9);
    expect(g.overall.gradeMean).toBeNull();
    expect(g.warning).toBeNull();
  });
});

describe('the strongest baseline is the one the model beats by least', () => {
  // A by-grade split as a plant's data gives it: the held-out grade is far from the mean of the others, while the A255
  // reference (which knows chemistry) is close. The skill over "the strongest baseline" had been the one over the mean
  // of the other grades (+0.72 on a plant-like set where A255 beat the model, −0.47).
  const report = skillReport({
    split: 'by-grade',
    distancesMm: [1.5, 3],
    train: [{ grade: 'A', hardness: [30, 20] }, { grade: 'B', hardness: [40, 30] }],
    test: [{ grade: 'C', hardness: [55, 50] }, { grade: 'C', hardness: [57, 52] }],
    model: [[52, 48], [53, 49]],
    a255: [[56, 51], [56, 50]],
  });

  it('names A255 and gives the skill over it when A255 beats the model', () => {
    // other grades' mean 35 / 25: MAE 21 / 26; model MAE 3.5 / 2.5; A255 MAE 1 / 1.5 → skills 0.855, −2.0
    expect(report.overall.gradeMean!.mae).toBeCloseTo(23.5, 9);
    expect(report.overall.a255!.mae).toBeCloseTo(1.25, 9);
    expect(report.overall.skill.vsGradeMean).toBeCloseTo(1 - 3 / 23.5, 9);
    expect(report.overall.skill.vsA255).toBeCloseTo(1 - 3 / 1.25, 9);
    expect(report.strongest).toBe('a255');
    expect(report.overall.skill.vsStrongest).toBeCloseTo(1 - 3 / 1.25, 9);
    expect(report.points.map((q) => q.skill.vsStrongest)).toEqual(report.points.map((q) => q.skill.vsA255));
  });

  it('names the training mean when it is stronger than the mean of the other grades', () => {
    // grade A has 3 heats at 30, grade B one at 60: training mean 37.5, other grades' mean 45; the held-out grade reads 36
    const r = skillReport({
      split: 'by-grade',
      distancesMm: [5],
      train: [{ grade: 'A', hardness: [30] }, { grade: 'A', hardness: [30] }, { grade: 'A', hardness: [30] }, { grade: 'B', hardness: [60] }],
      test: [{ grade: 'C', hardness: [36] }],
      model: [[34]],
      a255: [null],
    });
    expect(r.overall.trainMean.mae).toBeCloseTo(1.5, 9);
    expect(r.overall.gradeMean!.mae).toBeCloseTo(9, 9);
    expect(r.strongest).toBe('training-mean');
    expect(r.overall.skill.vsStrongest).toBeCloseTo(1 - 2 / 1.5, 9);
  });

  it('a report stored with the grade mean as its strongest is read with the one the model beats by least', () => {
    const stored = { ...report, strongest: 'grade-mean' as const, overall: { ...report.overall, skill: { ...report.overall.skill, vsStrongest: report.overall.skill.vsGradeMean } } };
    const read = withStrongest(stored);
    expect(read.strongest).toBe('a255');
    expect(read.overall.skill.vsStrongest).toBeCloseTo(1 - 3 / 1.25, 9);
    expect(strongestBaseline({ vsTrainMean: 0.8, vsGradeMean: 0.3, vsA255: null }, true)).toBe('grade-mean');
    expect(strongestBaseline({ vsTrainMean: 0.8, vsGradeMean: null, vsA255: 0.9 }, true)).toBe('training-mean');
    expect(strongestBaseline({ vsTrainMean: 0.8, vsGradeMean: 0.3, vsA255: -3 }, false)).toBe('grade-mean');
  });

  it('A255 computable on a subset of the test heats is not the strongest: the headline compares like with like', () => {
    // 20 test heats; A255 computable on 1, where it is near exact and the model 1.2 off (the model is 0.8 off elsewhere).
    // A255 had been the strongest at skill −3.00, from that one heat (review 25d, probe p3).
    const D = [1.5, 9, 20];
    const curve = (k: number) => [55 + (k % 5) - 2, 45 + (k % 7) - 3, 35 + (k % 9) - 4];
    const train = Array.from({ length: 40 }, (_, k) => ({ grade: 'G', hardness: curve(k) }));
    const test = Array.from({ length: 20 }, (_, k) => ({ grade: 'G', hardness: curve(k) }));
    const model = test.map((h, s) => h.hardness.map((v) => v + (s === 0 ? 1.2 : 0.8)));
    const a255 = test.map((h, s) => (s === 0 ? h.hardness.map((v) => v + 0.3) : null));
    const r = skillReport({ split: 'random', distancesMm: D, train, test, model, a255 });
    expect(r.points.map((q) => [q.n, q.a255!.n])).toEqual([[20, 1], [20, 1], [20, 1]]);
    expect(a255CoversAll(r.points)).toBe(false);
    // its skill is still shown, on its one heat: 1 − 1.2 / 0.3 = −3
    expect(r.overall.skill.vsA255).toBeCloseTo(-3, 9);
    expect(r.strongest).toBe('grade-mean');
    expect(r.overall.skill.vsStrongest).toBe(r.overall.skill.vsGradeMean);
    expect(r.overall.skill.vsStrongest!).toBeGreaterThan(0);
    // the same with A255 on every heat: it is the strongest
    const all = skillReport({ split: 'random', distancesMm: D, train, test, model, a255: test.map((h) => h.hardness.map((v) => v + 0.3)) });
    expect(a255CoversAll(all.points)).toBe(true);
    expect(all.strongest).toBe('a255');
    expect(all.overall.skill.vsStrongest).toBeCloseTo(1 - (0.8 * 19 + 1.2) / 20 / 0.3, 9);
  });
});

describe('per distance the skill is over the strongest baseline at that distance, named', () => {
  // The audit's case (base.csv, seed 1): the grade mean is the strongest overall, but at 1.5 mm A255 (MAE 0.62) beats
  // the model (0.70); the row had shown +0.70, its skill over the grade mean, as "skill(strongest)". Here: two grades,
  // four test heats with A255 computable on every one; at 1.5 mm A255 is 0.5 off, the model 1 off, the grade mean 3 off.
  const train = [{ grade: 'A', hardness: [50, 40] }, { grade: 'A', hardness: [52, 42] }, { grade: 'B', hardness: [40, 30] }, { grade: 'B', hardness: [42, 32] }];
  const test = [{ grade: 'A', hardness: [54, 45] }, { grade: 'A', hardness: [48, 37] }, { grade: 'B', hardness: [44, 35] }, { grade: 'B', hardness: [38, 27] }];
  const model = test.map((h, s) => [h.hardness[0] + (s % 2 ? -1 : 1), h.hardness[1] + (s % 2 ? -1 : 1)]);
  const a255 = test.map((h, s) => [h.hardness[0] + (s % 2 ? 0.5 : -0.5), h.hardness[1] + (s % 2 ? 8 : -8)]);
  const r = skillReport({ split: 'random', distancesMm: [1.5, 20], train, test, model, a255 });

  it('names A255 where it has the lowest MAE on the same heats, and gives the (negative) skill over it there', () => {
    // grade means: A 51 / 41, B 41 / 31 → every test heat 3 off at 1.5 mm and 4 off at 20 mm; training mean 46 / 36 → 5
    const [p15, p20] = r.points;
    expect([p15.model.mae, p15.gradeMean!.mae, p15.trainMean.mae, p15.a255!.mae]).toEqual([1, 3, 5, 0.5]);
    expect([p20.model.mae, p20.gradeMean!.mae, p20.trainMean.mae, p20.a255!.mae]).toEqual([1, 4, 5, 8]);
    // overall the grade mean is the one the model beats by least (A255 averages 4.25 over the two points, the grade mean 3.5)
    expect(r.strongest).toBe('grade-mean');
    expect(r.overall.skill.vsStrongest).toBeCloseTo(1 - 1 / 3.5, 9);
    // at 1.5 mm: A255, 1 − 1 / 0.5 = −1 (it beats the model there), not +0.67 over the grade mean
    expect(p15.strongest).toBe('a255');
    expect(p15.skill.vsStrongest).toBeCloseTo(-1, 9);
    expect(p15.skill.vsGradeMean).toBeCloseTo(1 - 1 / 3, 9);
    // at 20 mm: the grade mean, 1 − 1 / 4
    expect(p20.strongest).toBe('grade-mean');
    expect(p20.skill.vsStrongest).toBeCloseTo(0.75, 9);
  });

  it('A255 on a subset of a distance\'s heats is not its strongest; without grades the training mean is', () => {
    const subset = skillReport({ split: 'random', distancesMm: [1.5, 20], train, test, model, a255: a255.map((c, s) => (s === 0 ? null : c)) });
    expect(subset.points[0].a255).toMatchObject({ n: 3 });
    expect(subset.points[0].a255!.mae).toBeCloseTo(0.5, 9);
    expect(subset.points[0].strongest).toBe('grade-mean');
    expect(subset.points[0].skill.vsStrongest).toBeCloseTo(1 - 1 / 3, 9);
    const noGrades = skillReport({ split: 'random', distancesMm: [1.5, 20], train: train.map((h) => ({ ...h, grade: null })), test: test.map((h) => ({ ...h, grade: null })), model, a255 });
    expect(noGrades.points.map((q) => q.strongest)).toEqual(['a255', 'training-mean']);
    expect(noGrades.points[1].skill.vsStrongest).toBeCloseTo(1 - 1 / 5, 9);
    // ties keep the grade mean, then the training mean
    expect(strongestAt({ n: 2, trainMean: { mae: 2 }, gradeMean: { mae: 2 }, a255: { n: 2, mae: 2 } })).toBe('grade-mean');
    expect(strongestAt({ n: 2, trainMean: { mae: 2 }, gradeMean: null, a255: { n: 2, mae: 2 } })).toBe('training-mean');
  });

  it('a report stored before points named theirs is read per distance', () => {
    // stored: every point's vsStrongest the overall strongest's (the grade mean's), no point naming its baseline
    const stored = { ...r, points: r.points.map(({ strongest: _named, ...q }) => ({ ...q, skill: { ...q.skill, vsStrongest: q.skill.vsGradeMean } })) };
    expect(stored.points[0].skill.vsStrongest).toBeCloseTo(1 - 1 / 3, 9);
    const read = withStrongest(stored);
    expect(read.points.map((q) => [q.strongest, q.skill.vsStrongest])).toEqual(r.points.map((q) => [q.strongest, q.skill.vsStrongest]));
    expect(read.points[0]).toMatchObject({ strongest: 'a255' });
  });
});

describe('test heats are counted as heats', () => {
  it('a retest is one heat: N heats of M rows, the fallback heats too', () => {
    const r = skillReport({
      split: 'random',
      distancesMm: [5],
      train: [{ grade: 'A', hardness: [40] }],
      test: [{ grade: 'A', hardness: [41] }, { grade: 'A', hardness: [42] }, { grade: 'B', hardness: [43] }, { grade: 'B', hardness: [44] }, { grade: 'A', hardness: [39] }],
      model: [[40], [40], [40], [40], [40]],
      a255: [null, null, null, null, null],
      testHeatKeys: ['id:1', 'id:1', 'id:2', 'id:2', 'id:3'],
    });
    expect(r).toMatchObject({ testHeats: 3, testRows: 5, fallbackHeats: 1 });
    // without keys every row is a heat
    const rows = skillReport({ split: 'random', distancesMm: [5], train: [{ grade: 'A', hardness: [40] }], test: [{ grade: 'B', hardness: [41] }, { grade: 'B', hardness: [42] }], model: [[40], [40]], a255: [null, null] });
    expect(rows).toMatchObject({ testHeats: 2, testRows: 2, fallbackHeats: 2 });
  });
});

describe('by-grade split', () => {
  it('never puts heats of one grade on both sides', () => {
    const samples = generateSynthetic({ n: 200, seed: 4 });
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const test = new Set(gradeHoldout(samples.map((s) => s.grade), 0.3, (n) => permutation(n, createRng(seed))));
      const testGrades = new Set(samples.filter((_, i) => test.has(i)).map((s) => s.grade));
      const trainGrades = new Set(samples.filter((_, i) => !test.has(i)).map((s) => s.grade));
      expect(testGrades.size).toBeGreaterThan(0);
      expect(trainGrades.size).toBeGreaterThan(0);
      expect([...testGrades].filter((g) => trainGrades.has(g))).toEqual([]);
    }
    expect(() => gradeHoldout(['A', null], 0.3, (n) => [...Array(n).keys()])).toThrow(/grade for every heat/);
    expect(() => gradeHoldout(['A', 'A'], 0.3, (n) => [...Array(n).keys()])).toThrow(/at least two grades/);
  });

  it('trains with whole grades held out and scores against the mean of the other grades', () => {
    const samples = generateSynthetic({ n: 200, seed: 4 });
    const model = trainPredictor(samples, { seed: 2, maxHidden: 2, epochs: 20, split: 'by-grade' });
    const test = new Set(model.split.testIndices);
    const testGrades = new Set(samples.filter((_, i) => test.has(i)).map((s) => s.grade));
    expect([...testGrades].filter((g) => samples.some((s, i) => !test.has(i) && s.grade === g))).toEqual([]);
    const skill = model.metrics.skill!;
    expect(model.split.mode).toBe('by-grade');
    // a grade it has not seen is far from the other grades' mean; A255, which knows chemistry, is the strongest baseline
    expect(skill).toMatchObject({ split: 'by-grade', strongest: 'a255', fallbackHeats: model.split.heats!.test, testHeats: model.split.heats!.test, testRows: model.split.test });
    expect(skill.overall.skill.vsStrongest).toBe(skill.overall.skill.vsA255);
    expect(skill.overall.skill.vsA255!).toBeLessThan(skill.overall.skill.vsGradeMean!);
    expect(skill.gradeMeanNote).toMatch(/mean of the other grades/);
  });
});

describe('by-order split (the latest heats held out)', () => {
  it('tests on the last heats of the file and shows a drift a random split hides', () => {
    // A process drift: the last quarter of the heats (in production order) reads 4 HRC harder at every distance.
    const base = generateSynthetic({ n: 200, seed: 4 });
    const samples = base.map((s, i) => (i >= 150 ? { ...s, hardness: s.hardness.map((h) => h + 4) } : s));
    const byOrder = trainPredictor(samples, { seed: 2, maxHidden: 2, epochs: 20, split: 'by-order', testFraction: 0.25 });
    expect(byOrder.split.mode).toBe('by-order');
    expect(byOrder.split.testIndices).toEqual(Array.from({ length: 50 }, (_, k) => 150 + k));
    expect(byOrder.metrics.skill!.split).toBe('by-order');
    const random = trainPredictor(samples, { seed: 2, maxHidden: 2, epochs: 20, split: 'random', testFraction: 0.25 });
    // Trained on the earlier heats only, the model misses the drift by about its size; a random split mixes
    // drifted heats into training and reports an error well below what the next heats will show.
    expect(byOrder.metrics.mae).toBeGreaterThan(3);
    expect(byOrder.metrics.mae).toBeGreaterThan(random.metrics.mae + 1);
  });
});

describe('skill of trained predictors (held-out test heats)', () => {
  it('where chemistry drives the curve (the synthetic generator) the model has skill over the training mean', () => {
    const { model } = smallPredictor(300, 1);
    const s = model.metrics.skill!;
    // Measured: skill 0.85 over the training mean, 0.67 over the grade mean (synthetic seed 1, 300 heats, random split).
    expect(s.overall.skill.vsTrainMean!).toBeGreaterThanOrEqual(0.5);
    expect(s.overall.skill.vsGradeMean!).toBeGreaterThan(NO_SKILL_THRESHOLD);
    expect(s.warning).toBeNull();
    expect(s.overall.model.mae).toBeCloseTo(model.metrics.mae, 9);
  });

  it('where hardness is the grade mean plus noise the model has no skill over the grade mean, and says so', () => {
    const samples: JominySample[] = gradeMeanPlusNoise(300, 11);
    const model = trainPredictor(samples, { seed: 3, maxHidden: 3, epochs: 60 });
    const s = model.metrics.skill!;
    expect(s.overall.skill.vsGradeMean!).toBeLessThanOrEqual(0.1);
    // Across grades chemistry still tells the grades apart: skill over the training mean stays high.
    expect(s.overall.skill.vsTrainMean!).toBeGreaterThan(0.5);
    expect(s.warning).toMatch(/no better than predicting the grade mean/);
  });
});
