import { describe, expect, it } from 'vitest';
import { coveragePhrase, refitCoverageShort } from '../../../core/ml/conformal.js';
import { english } from '../../../core/runtime/english.js';
import { modelCardOf, type ModelCardSource } from '../../../core/services/reports/model-card.js';
import { reportPhraser, reportTranslator } from '../../../core/report/index.js';
import { trainingPointsPhrase } from '../../../core/segregation/cnn/training-points.js';
import type { CnnMetrics, IntervalCalibration } from '../../../core/api/methods/cnn.js';

/**
 * Task 27-H #4 (audit 27-F #4): the PDF model card says what the CLI, the Train view and the maps say — the
 * training-mean baseline beside the held-out MAE, and a refit whose intervals are too narrow for it. The figures are
 * those of a real run (README's synthetic billets, compact 32 px, 4 epochs, 3 splits, seed 42).
 */
const split = (mae: number, baseline: number) => ({ name: 's', test: { n: 17, mae }, testMaeOfTrainMean: baseline, testPoints: [] });
const metrics = {
  splitMode: 'random',
  splits: [split(0.0185, 0.02), split(0.0202, 0.0191), split(0.016, 0.0216)],
  summary: {
    test: { r2: { mean: 0.611, sd: 0.263 }, r2Determination: { mean: 0.042, sd: 0.317 }, meanBias: { mean: -0.0076, sd: 0.0069 }, mae: { mean: 0.0182, sd: 0.0021 }, rmse: { mean: 0.0229, sd: 0.0028 }, maxAbsError: { mean: 0.0496, sd: 0.0059 }, meanRelError: { mean: 0.04, sd: 0.005 } },
    train: { mae: { mean: 0.0127, sd: 0.0029 } },
  },
} as unknown as CnnMetrics;
const calibration: IntervalCalibration = { method: 'split-conformal-absolute', alpha: 0.1, quantile: 0.0428, scale: null, n: 51, points: 41, measuredCoverage: 0.92, coverageN: 51, coveragePoints: 41, coverageProtocol: 'leave-one-split-out', meanHalfWidth: 0.0428, refitCoverage: { coverage: 0.987, n: 76 } };
const source = (cal: IntervalCalibration): ModelCardSource =>
  ({ id: 1, name: 'M1', preset: 'compact', metrics: { ...metrics, calibration: cal }, calibration: cal, trainingPointsPhrase: trainingPointsPhrase({ points: 85, trained: 76, validation: 9, heldOut: 0 }, 85, 'B7'), datasetFingerprint: 'f'.repeat(16), seed: 42, backend: 'wasm', createdAt: '2026-12-01T06:13:58.653Z', synthetic: true }) as ModelCardSource;
const rows = (cal: IntervalCalibration, lang: 'en' | 'zh' | 'it' = 'en') => modelCardOf(source(cal), 'wasm', reportTranslator(lang), reportPhraser(lang)).metrics.map((m) => `${m.name} = ${m.value}`);

describe('the PDF model card: baseline beside the held-out MAE, and the refit warning', () => {
  it('prints the training mean’s held-out MAE (0.0202 ± 0.0013) under the model’s (0.0182 ± 0.0021)', () => {
    const r = rows(calibration);
    expect(r[3]).toBe('held-out MAE, wt.% = 0.0182 ± 0.0021');
    // had no baseline: 0.0182 read alone, though predicting the training mean everywhere gives 0.0202
    expect(r[4]).toBe('held-out MAE predicting the training mean (baseline, no image), wt.% = 0.0202 ± 0.0013');
    expect(r).toContain('90 % interval (split-conformal-absolute, n = 51) = mean ± 0.0428 wt.%; measured coverage 0.92 on 51 held-out residuals of 41 points (random splits hold some points out more than once; each residual counts)');
    expect(r.join('\n')).not.toMatch(/too narrow/);
    expect(rows(calibration, 'zh')[4]).toBe('以训练均值预测的留出 MAE（基线，不看图像），wt.% = 0.0202 ± 0.0013');
    expect(rows(calibration, 'it')[4]).toBe('MAE sui punti esclusi prevedendo la media di addestramento (riferimento, senza immagine), wt.% = 0.0202 ± 0.0013');
  });

  it('says when the stored refit covers too few of its own training points (0.72 of 76), in the report language', () => {
    const cal: IntervalCalibration = { ...calibration, refitCoverage: { coverage: 0.72, n: 76 } };
    expect(refitCoverageShort(cal)).toBe(true);
    // the refit's row, found by its name (other rows — the training sections' scale — follow it)
    const refit = (lang?: 'it') => rows(cal, lang).find((x) => x.includes('0.72'));
    // had printed "measured coverage 0.92 on 51 held-out points" with no word of the refit's 0.72
    expect(refit()).toBe(`stored (refitted) model on its own training points = ${english(coveragePhrase(cal))}`);
    expect(refit()).toContain('covers only 0.72 of its own 76 training points with it: its intervals are too narrow for it');
    expect(refit('it')).toContain('copre con esso solo 0.72 dei suoi 76 punti di addestramento');
  });

  // Task 27-N #1: a blended model's card gave the CNN's held-out figures as the model's
  it('a blended model: the blend’s pooled held-out MAE (0.0169 over 51 residuals) is the model’s; the split figures say "CNN alone"', () => {
    const blend = { texture: { kind: 'dark-fraction-linear', cuts: [0.5], intercept: 0.7, coef: [0.1] }, cnnWeight: 0.6, heldOut: { points: 51, cnnMae: 0.0185, textureMae: 0.0197, blendMae: 0.0169 }, splitTexture: [] };
    const src = { ...source(calibration), metrics: { ...metrics, blend, calibration } } as ModelCardSource;
    const r = modelCardOf(src, 'wasm', reportTranslator('en'), reportPhraser('en')).metrics.map((m) => `${m.name} = ${m.value}`);
    // stored before the cross-chosen figure: 0.0169 is what the weight was chosen on, and the row says so
    expect(r[0]).toBe('MAE of the model (0.6 × CNN + 0.4 × texture blend) on the 51 residuals its weight was chosen on (not a held-out figure), wt.% = 0.0169');
    expect(r).toContain('CNN alone: held-out MAE, wt.% = 0.0182 ± 0.0021');
    expect(r).toContain('CNN alone: held-out R² (Eq. 2, squared correlation) (3 random splits) = 0.611 ± 0.263');
    expect(r).toContain('held-out MAE predicting the training mean (baseline, no image), wt.% = 0.0202 ± 0.0013');
    expect(modelCardOf(src, 'wasm', reportTranslator('zh'), reportPhraser('zh')).metrics[0].value).toBe('0.0169');
    // with each split's weight chosen on the other splits: that is the model's held-out MAE, not the 0.0169 that chose it
    const crossed = { ...src, metrics: { ...src.metrics, blend: { ...blend, heldOut: { ...blend.heldOut, crossChosenMae: 0.0178 } } } } as ModelCardSource;
    const c = modelCardOf(crossed, 'wasm', reportTranslator('en'), reportPhraser('en')).metrics.map((m) => `${m.name} = ${m.value}`);
    expect(c[0]).toBe('held-out MAE of the model (0.6 × CNN + 0.4 × texture blend; each split at the weight chosen on the other splits), pooled over 51 held-out residuals, wt.% = 0.0178');
    expect(c.join('\n')).not.toContain('0.0169');
  });
});
