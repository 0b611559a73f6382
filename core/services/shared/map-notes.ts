/**
 * What each map layer says about itself (its method note), as sentences written as phrase codes (issue 15): the
 * Maps view words them in the interface language, the PDF in the report's, and the CLI, the API's `method` and the
 * stored correction words read their English (`noteEnglish`). The English is the text these notes had before they
 * were codes (test/unit/maps/map-notes.test.ts holds it), except the regression-kriging words, now one sentence per
 * fact so that each language can order its own words.
 */
import { fixed, phrase, plain, type Phrase } from '../../api/phrase.js';
import type { CorrectedMapLabel } from '../../api/methods/maps.js';
import { heldOutPhrase, type IntervalCalibration } from '../../ml/conformal.js';
import { smoothingAtEdge, type SmoothingFit } from '../../maps/index.js';
import { english } from '../../runtime/english.js';

/** A note: sentences in order, each one phrase; they are joined by a space. */
export type Note = Phrase[];

export function noteEnglish(note: Note): string {
  return note.map((p) => english(p)).join(' ');
}

/** The raw patch mosaic; `tooFew` when it stands in for a smoothed field that could not be fitted. */
export function rawNote(strideMm: number, patches: number, tooFew: boolean): Note {
  return [phrase('mapNotes.raw', { stride: plain(strideMm), patches }), ...(tooFew ? [phrase('mapNotes.rawTooFew')] : [])];
}

/** The smoothed predicted layer: how it was fitted, what its contours mean, and a warning when the fit is flat. */
export function smoothedNote(f: SmoothingFit, strideMm: number): Note {
  const w = (v: number) => fixed(v, 4);
  const note: Note = [
    phrase('mapNotes.smoothed', {
      patches: f.patches,
      stride: plain(strideMm),
      lengthScale: fixed(f.lengthScaleMm, 1),
      fitPoints: f.fitPoints,
      nuggetSd: w(f.nuggetSdWtPct),
      fieldSd: w(f.signalSdWtPct),
      cvRmse: w(f.cvRmseWtPct),
      halfWidth: w(f.typicalInterval90WtPct / 2),
      width: w(f.typicalInterval90WtPct),
    }),
  ];
  const warning = smoothingWarningPhrase(f);
  return warning ? [...note, warning] : note;
}

/** core/maps smoothingWarning as a code: the CV chose the edge of its grid, so the field is nearly flat. */
export function smoothingWarningPhrase(fit: SmoothingFit): Phrase | null {
  const edge = smoothingAtEdge(fit);
  if (edge === 'longest-length-scale') return phrase('mapNotes.warnLongest', { lengthScale: fixed(fit.lengthScaleMm, 0), mean: fixed(fit.meanWtPct, 4) });
  if (edge === 'largest-nugget') return phrase('mapNotes.warnNugget', { ratio: fixed(Math.sqrt(fit.noiseRatio), 0), mean: fixed(fit.meanWtPct, 4) });
  return null;
}

export function differenceNote(): Note {
  return [phrase('mapNotes.difference')];
}

/** The uncertainty layer: the calibrated interval, how it was calibrated, its measured coverage and its limits. */
export function uncertaintyNote(c: IntervalCalibration): Note {
  const nominal = Math.round((1 - c.alpha) * 100);
  const how =
    c.method === 'split-conformal-absolute'
      ? phrase('mapNotes.uncertainty.absolute', { nominal, heldOut: heldOutPhrase(c.n, c.points), quantile: fixed(c.quantile, 4) })
      : phrase('mapNotes.uncertainty.scaled', { nominal, heldOut: heldOutPhrase(c.n, c.points), quantile: fixed(c.quantile, 2), scale: fixed(c.scale!, 4) });
  const coverage = c.measuredCoverage === null
    ? phrase('mapNotes.uncertainty.notMeasured', { nominal })
    : phrase('mapNotes.uncertainty.measured', { nominal, coverage: fixed(c.measuredCoverage, 2), heldOut: heldOutPhrase(c.coverageN, c.coveragePoints) });
  return [how, coverage];
}

/** The corrected carbon layer; null for a correction stored before its words were codes (its English is shown). */
export function correctedNote(c: CorrectedMapLabel, strideMm: number): Note | null {
  if (!c.wordsPhrases?.length) return null;
  const labels = c.labels.join(', ');
  return [
    c.k === 1
      ? phrase('mapNotes.corrected.headOne', { k: c.k, labels, plan: c.planId, at: c.correctedAt })
      : phrase('mapNotes.corrected.headMany', { k: c.k, labels, plan: c.planId, at: c.correctedAt }),
    c.field === 'smoothed' ? phrase('mapNotes.corrected.smoothedField', { stride: plain(strideMm) }) : phrase('mapNotes.corrected.rawField', { stride: plain(strideMm) }),
    ...c.wordsPhrases,
  ];
}

export function correctedUncertaintyNote(c: CorrectedMapLabel): Note | null {
  if (!c.wordsPhrases?.length) return null;
  return [phrase('mapNotes.corrected.uncertaintyHead', { level: Math.round(c.level * 100), count: c.k }), ...c.wordsPhrases, phrase('mapNotes.corrected.uncertaintyTail')];
}

/** The residuals' covariance a regression-kriging correction used (what core/segregation/fewer-points fitted). */
export interface CorrectionVariogram {
  structuredShare: number;
  lengthScaleMm: number;
  /** The largest lag it was fitted on; when the length scale sits there, the words say it was stopped there. */
  maxLagMm?: number;
  source: string;
  /** The source as a code (set where the variogram is fitted from a model's held-out residuals); else the English is quoted. */
  sourcePhrase?: Phrase;
}

/**
 * What a correction with K readings and its interval are (stored with the correction and the corrected map).
 * `chosen`: the trend chosen on the readings (task 21-C, core/segregation/fewer-points/choose.ts) — its words say what
 * was applied (no "from 8 points and when significant": a chosen slope has no such rule); absent: the fixed rule.
 */
export function correctionWords(method: CorrectedMapLabel['method'], v: CorrectionVariogram, chosen?: 'none' | 'level' | 'level+slope'): Note {
  if (method === 'level-slope') {
    if (chosen === undefined) return [phrase('mapNotes.correction.trendOnly')];
    if (chosen === 'none') return [phrase('fewerChoice.intervalNone')];
    return [chosen === 'level+slope' ? phrase('fewerChoice.note.slopeTrend') : phrase('fewerChoice.note.levelTrend'), phrase('fewerChoice.note.intervalTrend')];
  }
  return [
    chosen === undefined
      ? phrase('mapNotes.correction.kriging')
      : chosen === 'none' ? phrase('fewerChoice.note.noneKriging') : chosen === 'level+slope' ? phrase('fewerChoice.note.slopeKriging') : phrase('fewerChoice.note.levelKriging'),
    v.sourcePhrase ?? phrase('mapNotes.correction.sourceOther', { source: v.source }),
    v.structuredShare > 0
      ? phrase('mapNotes.correction.shapeMatern', { lengthScale: fixed(v.lengthScaleMm, 0), share: fixed(v.structuredShare * 100, 0) })
      : phrase('mapNotes.correction.shapeFlat'),
    ...(v.structuredShare > 0 && v.maxLagMm !== undefined && v.lengthScaleMm >= v.maxLagMm * (1 - 1e-9) ? [phrase('fewer18.lengthAtCap', { maxLag: fixed(v.maxLagMm, 0) })] : []),
    chosen === 'none' ? phrase('fewerChoice.note.intervalNoneKriging') : phrase('mapNotes.correction.interval'),
  ];
}

/**
 * The predicted map's contours beside the model's own interval: the contours are spaced by the smoothing's 90 %
 * interval (narrow: it is the smoothing's, not the model's), while the model's calibrated interval is wider.
 */
export function contourPhrase(fit: SmoothingFit, c: IntervalCalibration | null): Phrase {
  const width = fixed(fit.typicalInterval90WtPct, 4);
  const halfWidth = fixed(fit.typicalInterval90WtPct / 2, 4);
  return c
    ? phrase('mapNotes.contours', { width, halfWidth, nominal: Math.round((1 - c.alpha) * 100), modelHalfWidth: fixed(c.meanHalfWidth, 3) })
    : phrase('mapNotes.contoursNoModel', { width, halfWidth });
}

/** How far a predicted map of a synthetic billet is from the generator's true field (the report's method note). */
export function truthErrorPhrase(e: { maeWtPct: number; rmseWtPct: number; maxAbsWtPct: number; cells: number }): Phrase {
  return phrase('mapNotes.truthError', { mae: fixed(e.maeWtPct, 4), rmse: fixed(e.rmseWtPct, 4), max: fixed(e.maxAbsWtPct, 4), cells: e.cells });
}
