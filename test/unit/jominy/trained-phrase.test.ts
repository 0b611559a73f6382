import { describe, expect, it } from 'vitest';
import { english } from '../../../core/runtime/english.js';
import { reportPhraser } from '../../../core/report/report-i18n.js';
import { trainedPhrase } from '../../../core/services/jominy/training.js';

/**
 * The "trained" message of a JoMiner predictor (job result, `jominy train`, the predictor page's job line): an
 * ensemble whose held-out coverage is null (too few held-out heats to cross-fit, core/jominy/calibration.ts) says
 * "not measured", never the wording of a predictor without an interval.
 */
describe('a trained predictor reports its interval coverage, or that it is not measured', () => {
  const grade = { skill: 0.4213, strongest: 'grade-mean' as const };
  const train = { skill: -0.05, strongest: 'training-mean' as const };

  it('an ensemble with unmeasured coverage says so, in each skill case and language', () => {
    const none = trainedPhrase(1.234, 'random', null, { coverage: null, lowest: null });
    expect(none.code).toBe('jominyJobs.trainedCoverageUnmeasured');
    expect(english(none)).toBe('test MAE 1.23 HRC (random split); nominal 90 % interval: coverage not measured (too few held-out heats)');
    const g = trainedPhrase(1.234, 'random', grade, { coverage: null, lowest: null });
    expect(english(g)).toBe('test MAE 1.23 HRC (random split), skill 0.42 over the grade-mean; nominal 90 % interval: coverage not measured (too few held-out heats)');
    expect(reportPhraser('it')(g)).toBe('MAE di test 1.23 HRC (suddivisione random), skill 0.42 rispetto alla media della qualità; intervallo nominale al 90 %: copertura di verifica non misurata (troppo poche colate di verifica)');
    // a by-grade split's grade baseline is the mean of the other grades, and says so (it had said "the grade-mean")
    const o = trainedPhrase(1.234, 'by-grade', grade, { coverage: null, lowest: null });
    expect(english(o)).toBe('test MAE 1.23 HRC (by-grade split), skill 0.42 over the mean of the other grades; nominal 90 % interval: coverage not measured (too few held-out heats)');
    expect(reportPhraser('zh')(trainedPhrase(1.234, 'by-grade', grade, null))).toBe('测试集 MAE 1.23 HRC（by-grade 划分），相对其他钢种均值的技能分 0.42');
    const t = trainedPhrase(2, 'by-order', train, { coverage: null, lowest: null });
    expect(english(t)).toBe('test MAE 2.00 HRC (by-order split), skill -0.05 over the training-mean; nominal 90 % interval: coverage not measured (too few held-out heats)');
    expect(reportPhraser('zh')(t)).toBe('测试集 MAE 2.00 HRC（by-order 划分），相对训练集均值的技能分 -0.05；名义 90 % 区间：留出覆盖率未测定（留出炉次太少）');
  });

  it('a measured coverage is given in per cent; no ensemble gives no interval sentence at all', () => {
    // the pooled coverage comes with its lowest distance (a pooled 90.8 % had hidden 56 % at 1.5 mm)
    const low = { coverage: 0.5625, distanceMm: 1.5 };
    expect(english(trainedPhrase(1.234, 'random', grade, { coverage: 0.8967, lowest: low }))).toBe('test MAE 1.23 HRC (random split), skill 0.42 over the grade-mean; nominal 90 % interval covers 89.7 % of held-out cells (lowest distance: 56.3 % at 1.5 mm)');
    expect(english(trainedPhrase(1.234, 'random', null, { coverage: 0.9, lowest: { coverage: 0.875, distanceMm: 20 } }))).toBe('test MAE 1.23 HRC (random split); nominal 90 % interval covers 90.0 % of held-out cells (lowest distance: 87.5 % at 20 mm)');
    expect(reportPhraser('it')(trainedPhrase(1.234, 'random', null, { coverage: 0.9, lowest: low }))).toBe("MAE di test 1.23 HRC (suddivisione random); l'intervallo nominale al 90 % copre il 90.0 % delle celle di verifica (distanza più bassa: 56.3 % a 1.5 mm)");
    const plain = trainedPhrase(1.234, 'random', train, null);
    expect(plain.code).toBe('jominyJobs.trainedSkillTraining');
    expect(english(plain)).toBe('test MAE 1.23 HRC (random split), skill -0.05 over the training-mean');
  });

  it('a measured coverage with its readings count states the count and its Wilson 90 % interval, in each language', () => {
    // Wilson 90 % of 89.67 % over 675 readings: 87.58–91.44 % (z = 1.6449; worked by hand in Python for this test)
    const low = { coverage: 0.5625, distanceMm: 1.5 };
    const g = trainedPhrase(1.234, 'random', grade, { coverage: 0.8967, lowest: low, readings: 675 });
    expect(g.code).toBe('jominyJobs.trainedSkillGradeCoverageCounted');
    expect(english(g)).toBe('test MAE 1.23 HRC (random split), skill 0.42 over the grade-mean; nominal 90 % interval covers 89.7 % of 675 held-out readings, Wilson 90 % 87.6–91.4 % (lowest distance: 56.3 % at 1.5 mm)');
    expect(reportPhraser('it')(g)).toBe("MAE di test 1.23 HRC (suddivisione random), skill 0.42 rispetto alla media della qualità; l'intervallo nominale al 90 % copre l'89.7 % di 675 letture di verifica, Wilson 90 % 87.6–91.4 % (distanza più bassa: 56.3 % a 1.5 mm)");
    expect(reportPhraser('zh')(g)).toBe('测试集 MAE 1.23 HRC（random 划分），相对钢种均值的技能分 0.42；名义 90 % 区间覆盖了 675 个留出读数中的 89.7 %，Wilson 90 % 区间 87.6–91.4 %（最低的距离：1.5 mm 处 56.3 %）');
    // 90.0 % of only 60 readings: 81.8–94.7 % — the count is what makes the figure readable
    const plain = trainedPhrase(2, 'random', null, { coverage: 0.9, lowest: { coverage: 0.8, distanceMm: 20 }, readings: 60 });
    expect(plain.code).toBe('jominyJobs.trainedCoverageCounted');
    expect(english(plain)).toBe('test MAE 2.00 HRC (random split); nominal 90 % interval covers 90.0 % of 60 held-out readings, Wilson 90 % 81.8–94.7 % (lowest distance: 80.0 % at 20 mm)');
    const codes = [
      trainedPhrase(2, 'by-grade', grade, { coverage: 0.9, lowest: low, readings: 60 }),
      trainedPhrase(2, 'random', train, { coverage: 0.9, lowest: low, readings: 60 }),
      trainedPhrase(2, 'random', { skill: 0.1, strongest: 'a255' }, { coverage: 0.9, lowest: low, readings: 60 }),
    ].map((p) => [p.code, english(p).includes('of 60 held-out readings, Wilson 90 % 81.8–94.7 %')]);
    expect(codes).toEqual([
      ['jominyJobs.trainedSkillOtherGradesCoverageCounted', true],
      ['jominyJobs.trainedSkillTrainingCoverageCounted', true],
      ['jominyJobs.trainedSkillA255CoverageCounted', true],
    ]);
    // an unmeasured coverage has no count to state, whatever readings the calibration held
    expect(trainedPhrase(2, 'random', null, { coverage: null, lowest: null, readings: 60 }).code).toBe('jominyJobs.trainedCoverageUnmeasured');
  });

  it('a skill over the A255 reference (the strongest baseline) names it, in each language', () => {
    const a255 = { skill: -0.47, strongest: 'a255' as const };
    const p = trainedPhrase(3.37, 'by-grade', a255, { coverage: 0.893, lowest: { coverage: 0.8, distanceMm: 3 } });
    expect(p.code).toBe('jominyJobs.trainedSkillA255Coverage');
    expect(english(p)).toBe('test MAE 3.37 HRC (by-grade split), skill -0.47 over the A255 reference (the strongest baseline); nominal 90 % interval covers 89.3 % of held-out cells (lowest distance: 80.0 % at 3 mm)');
    expect(reportPhraser('it')(trainedPhrase(3.37, 'by-grade', a255, null))).toBe('MAE di test 3.37 HRC (suddivisione by-grade), skill -0.47 rispetto al riferimento A255 (il riferimento più forte)');
    expect(reportPhraser('zh')(trainedPhrase(3.37, 'by-grade', a255, { coverage: null, lowest: null }))).toBe('测试集 MAE 3.37 HRC（by-grade 划分），相对 A255 参考（最强基线）的技能分 -0.47；名义 90 % 区间：留出覆盖率未测定（留出炉次太少）');
  });
});
