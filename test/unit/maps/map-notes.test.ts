import { describe, expect, it } from 'vitest';
import { contourPhrase, correctedNote, correctedUncertaintyNote, correctionWords, noteEnglish, rawNote, smoothedNote, uncertaintyNote } from '../../../core/services/shared/map-notes.js';
import { correctedMethod } from '../../../core/services/maps/corrected-layers.js';
import { smoothingWarning, type SmoothingFit } from '../../../core/maps/index.js';
import type { CorrectedMapLabel } from '../../../core/api/methods/maps.js';
import type { IntervalCalibration } from '../../../core/ml/conformal.js';
import { reportPhraser } from '../../../core/report/report-i18n.js';
import { english } from '../../../core/runtime/english.js';

/**
 * Map layers' method notes as phrase codes (issue 15): their English — what the API's `method`, the CLI and the
 * report print — is the text the notes had before they were codes, and the same note reads in Chinese and Italian.
 */

/** The notes' English before they were codes (captured from the builders they replace), for the fixtures below. */
const BEFORE = {
  raw: "Raw patch mosaic: CNN evaluated on a square lattice of patch centres (stride given); each value is the mean over the test-time-augmented views (rotations/mirrors); the uncertainty layer is the half-width of its calibrated interval. Cells whose patch has more than 1 % of its pixels on pores detected on the section (dark compact voids) are masked as porosity, as are patches refused by the quality gate (low etch contrast, patch off the section); masked cells are never interpolated. Stride 12.5 mm, 812 patches.",
  rawWhy: "Raw patch mosaic: CNN evaluated on a square lattice of patch centres (stride given); each value is the mean over the test-time-augmented views (rotations/mirrors); the uncertainty layer is the half-width of its calibrated interval. Cells whose patch has more than 1 % of its pixels on pores detected on the section (dark compact voids) are masked as porosity, as are patches refused by the quality gate (low etch contrast, patch off the section); masked cells are never interpolated. Stride 12.5 mm, 812 patches. Shown raw: too few accepted patches to fit a smoothed field.",
  smoothed: "Smoothed CNN prediction: a Gaussian-process (kriging) fit to the 812 patch predictions (lattice stride 12.5 mm, each the mean over the test-time-augmented views), Matérn 5/2 covariance with a nugget for each patch's own noise. Length scale 42.3 mm and nugget chosen by leave-one-out cross-validation over 300 patches (not by eye): patch noise sd 0.0062 wt.%, field sd 0.0123 wt.%, CV error of a held-out patch 0.0079 wt.% RMS. Typical 90 % interval of the smoothed field ±0.0098 wt.% (width 0.0196); contour levels are at least one interval width apart, so each line separates values the interval can tell apart. The interval is that of the smoothing of the model's predictions, not of the model's own error. Cells refused by the quality gate stay masked. The raw patch mosaic is the optional \"raw\" view. Warning: the cross-validation chose the longest length scale it tried (42 mm): at this lattice the patch predictions show no spatial structure the smoothing can keep, so the smoothed field is nearly flat at their mean (0.4321 wt.%). Look at the raw patch mosaic, or predict the map with a finer stride.",
  smoothedPlain: "Smoothed CNN prediction: a Gaussian-process (kriging) fit to the 812 patch predictions (lattice stride 12.5 mm, each the mean over the test-time-augmented views), Matérn 5/2 covariance with a nugget for each patch's own noise. Length scale 42.3 mm and nugget chosen by leave-one-out cross-validation over 300 patches (not by eye): patch noise sd 0.0062 wt.%, field sd 0.0123 wt.%, CV error of a held-out patch 0.0079 wt.% RMS. Typical 90 % interval of the smoothed field ±0.0098 wt.% (width 0.0196); contour levels are at least one interval width apart, so each line separates values the interval can tell apart. The interval is that of the smoothing of the model's predictions, not of the model's own error. Cells refused by the quality gate stay masked. The raw patch mosaic is the optional \"raw\" view.",
  uncAbs: "Half-width (wt.%) of the calibrated 90 % prediction interval of each patch: split-conformal on 85 held-out points of the model's k-split evaluation (finite-sample quantile ⌈(n+1)(1−α)⌉/n), the same half-width everywhere, 0.0251 wt.%. 90 % interval, measured coverage 0.89 on 85 held-out points. The coverage holds for sections like the training ones; on a new billet it is not guaranteed. The spread of the augmented views alone is not an uncertainty (±2 sd covered about a quarter of the errors).",
  uncScaled: "Half-width (wt.%) of the calibrated 90 % prediction interval of each patch: split-conformal on 40 held-out residuals of the model's k-split evaluation (finite-sample quantile ⌈(n+1)(1−α)⌉/n), a half-width that scales with each patch's difficulty: 1.73 × (0.0041 wt.% + the spread of its test-time-augmented views). 90 % interval, coverage not measured (too few held-out points). The coverage holds for sections like the training ones; on a new billet it is not guaranteed. The spread of the augmented views alone is not an uncertainty (±2 sd covered about a quarter of the errors).",
  wordsLS: "Trend only: level (mean offset of the readings over the predictions, shrunk when small against its own noise) and, from 8 points and when significant, a slope; interval for a reading: t(df) · √(nugget + kriging variance + SE²), SE the trend’s own uncertainty s·√(1/K + (p − p̄)²/Sxx) (slope term only when a slope is used), s the residual sd of the analysed readings about the trend pooled with the model’s held-out RMSE (2 df), with no kriging (nugget = s²).",
  correctedRaw1: "Predicted map corrected with the readings of K = 1 analysed point (P01; point plan 3, corrected 2026-11-30T02:00:00.000Z). The raw patch mosaic of the map (stride 12.5 mm) is corrected cell by cell: Trend only: level (mean offset of the readings over the predictions, shrunk when small against its own noise) and, from 8 points and when significant, a slope; interval for a reading: t(df) · √(nugget + kriging variance + SE²), SE the trend’s own uncertainty s·√(1/K + (p − p̄)²/Sxx) (slope term only when a slope is used), s the residual sd of the analysed readings about the trend pooled with the model’s held-out RMSE (2 df), with no kriging (nugget = s²).",
};

const fit: SmoothingFit = {
  kernel: 'matern52', selection: 'leave-one-out cross-validation', lengthScaleMm: 42.345, noiseRatio: 0.25, signalSdWtPct: 0.01234, nuggetSdWtPct: 0.00617, meanWtPct: 0.4321,
  cvRmseWtPct: 0.00789, fitPoints: 300, patches: 812, neighbours: 40, typicalInterval90WtPct: 0.0196,
  cvByLengthScale: [{ lengthScaleMm: 20, cvRmseWtPct: 0.009, noiseRatio: 0.25 }, { lengthScaleMm: 42.345, cvRmseWtPct: 0.00789, noiseRatio: 0.25 }], elapsedMs: 1,
};
const notAtEdge: SmoothingFit = { ...fit, cvByLengthScale: [...fit.cvByLengthScale, { lengthScaleMm: 100, cvRmseWtPct: 0.01, noiseRatio: 0.25 }] };
const absolute: IntervalCalibration = { method: 'split-conformal-absolute', alpha: 0.1, quantile: 0.02512, scale: null, n: 85, points: 85, measuredCoverage: 0.894, coverageN: 85, coveragePoints: 85, coverageProtocol: 'leave-one-split-out', meanHalfWidth: 0.02512 };
const scaled = { ...absolute, method: 'split-conformal-normalised', quantile: 1.734, scale: 0.00412, n: 40, points: undefined, measuredCoverage: null, coverageN: 0, coveragePoints: undefined, meanHalfWidth: 0.02 } as unknown as IntervalCalibration;
const label = (over: Partial<CorrectedMapLabel>): CorrectedMapLabel => ({ planId: 3, k: 1, labels: ['P01'], method: 'level-slope', trend: 'level', field: 'raw', level: 0.9, words: BEFORE.wordsLS, correctedAt: '2026-11-30T02:00:00.000Z', ...over });

describe('map method notes as codes', () => {
  it('words the raw, smoothed and uncertainty notes in English exactly as before', () => {
    expect(noteEnglish(rawNote(12.5, 812, false))).toBe(BEFORE.raw);
    expect(noteEnglish(rawNote(12.5, 812, true))).toBe(BEFORE.rawWhy);
    expect(noteEnglish(smoothedNote(notAtEdge, 12.5))).toBe(BEFORE.smoothedPlain);
    // at the edge of the CV grid the note carries core/maps' warning, word for word
    expect(noteEnglish(smoothedNote(fit, 12.5))).toBe(BEFORE.smoothed);
    expect(noteEnglish(smoothedNote(fit, 12.5))).toBe(`${BEFORE.smoothedPlain} ${smoothingWarning(fit)}`);
    const nugget = { ...notAtEdge, noiseRatio: 100 };
    expect(noteEnglish(smoothedNote(nugget, 12.5))).toBe(`${BEFORE.smoothedPlain} ${smoothingWarning(nugget)}`);
    expect(noteEnglish(uncertaintyNote(absolute))).toBe(BEFORE.uncAbs);
    expect(noteEnglish(uncertaintyNote(scaled))).toBe(BEFORE.uncScaled);
  });

  it('words a correction as before for the trend-only method, and shows the stored English of a correction stored before codes', () => {
    expect(noteEnglish(correctionWords('level-slope', { structuredShare: 0, lengthScaleMm: 0, source: 'level/slope only' }))).toBe(BEFORE.wordsLS);
    const coded = label({ wordsPhrases: correctionWords('level-slope', { structuredShare: 0, lengthScaleMm: 0, source: 'x' }) });
    expect(noteEnglish(correctedNote(coded, 12.5)!)).toBe(BEFORE.correctedRaw1);
    // stored before the words were codes: no codes, and its own English words
    const old = label({});
    expect(correctedNote(old, 12.5)).toBeNull();
    expect(correctedMethod(old, 12.5)).toEqual({ method: BEFORE.correctedRaw1, methodPhrases: null });
  });

  it('says the regression-kriging correction one fact a sentence: source, shape with its figures, interval', () => {
    const words = correctionWords('residual-kriging', { structuredShare: 0.634, lengthScaleMm: 61.7, source: 'ignored', sourcePhrase: { code: 'mapNotes.correction.sourceOne', params: { model: 7, n: 85 } } });
    const en = noteEnglish(words);
    expect(en).toContain('Regression-kriging: the trend');
    expect(en).toContain('held-out residuals of model 7 on its training billet (85 points)');
    expect(en).toContain('Shape: Matérn 5/2, length scale 62 mm, 63 % of the residual variance spatially correlated.');
    // random splits hold a point out more than once: the source counts residuals and distinct points apart (27-N)
    const residuals = noteEnglish(correctionWords('residual-kriging', { structuredShare: 0.634, lengthScaleMm: 61.7, source: 'ignored', sourcePhrase: { code: 'mapNotes.correction.sourceOneResiduals', params: { model: 7, n: 51, points: 34 } } }));
    expect(residuals).toContain('held-out residuals of model 7 on its training billet (51 residuals at 34 distinct points)');
    expect(en).not.toContain('stopped at');
    // a length scale at the largest lag fitted says so (task 18-D: a longer trend is left to the level)
    const capped = noteEnglish(correctionWords('residual-kriging', { structuredShare: 0.14, lengthScaleMm: 262, maxLagMm: 262, source: 's' }));
    expect(capped).toContain('The length scale is stopped at 262 mm, the largest lag the variogram was fitted on');
    expect(noteEnglish(correctionWords('residual-kriging', { structuredShare: 0.14, lengthScaleMm: 200, maxLagMm: 262, source: 's' }))).not.toContain('stopped at');
    const flat = noteEnglish(correctionWords('residual-kriging', { structuredShare: 0, lengthScaleMm: 61.7, source: 'a stored source' }));
    expect(flat).toContain('fitted once to: a stored source;');
    expect(flat).toContain('Shape: no spatial structure (pure nugget): the trend alone.');
    const unc = correctedUncertaintyNote(label({ k: 8, labels: ['P01', 'P02'], method: 'residual-kriging', wordsPhrases: words }))!;
    expect(noteEnglish(unc)).toBe(`Half-width (wt.%) of the 90 % interval of the map corrected with K = 8 readings, cell by cell: ${en} Its coverage is checked on the billet's points that were not analysed (fewerPoints.correct reports it).`);
  });

  it('reads the same notes in Chinese and Italian, numbers kept', () => {
    const zh = reportPhraser('zh');
    const it_ = reportPhraser('it');
    const note = smoothedNote(notAtEdge, 12.5);
    expect(zh(note[0])).toContain('平滑后的 CNN 预测');
    expect(zh(note[0])).toContain('±0.0098 wt.%');
    expect(it_(note[0])).toContain('Previsione CNN smussata');
    expect(it_(uncertaintyNote(absolute)[1])).toBe('Intervallo al 90 %, copertura misurata 0.89 su 85 punti di verifica. La copertura vale per sezioni simili a quelle di addestramento; su una billetta nuova non è garantita. La sola dispersione delle viste aumentate non è un\'incertezza (±2 ds copriva circa un quarto degli errori).');
  });

  it('puts the contours’ spacing beside the model’s own, wider interval', () => {
    expect(english(contourPhrase(notAtEdge, absolute))).toBe("contours ≥ 0.0196 wt.% apart (the width of the smoothing's 90 % interval, ±0.0098); the model's own calibrated 90 % interval is ±0.025 wt.%");
    expect(english(contourPhrase(notAtEdge, null))).toBe("contours ≥ 0.0196 wt.% apart (the width of the smoothing's 90 % interval, ±0.0098); the model has no calibrated interval");
    expect(reportPhraser('zh')(contourPhrase(notAtEdge, absolute))).toBe('等值线间距 ≥ 0.0196 wt.%（平滑的 90 % 区间宽度，±0.0098）；模型自身校准的 90 % 区间为 ±0.025 wt.%');
  });
});
