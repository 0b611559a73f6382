import type { AcceptanceClass } from '../api/acceptance.js';
import { reportTranslator, type ReportTranslate } from './report-i18n.js';

/**
 * The acceptance class of a section from its max C/C0: the first class (limits increasing) whose limit
 * the max does not exceed. Above the last limit the section is in no class: "not accepted". The rule is
 * returned as text so the report prints exactly what was applied.
 *
 * A predicted map's max is a point estimate of a model that compresses carbon on billets unlike its training
 * ones, so two more figures take part when they exist: the measured map's max (the billet's own readings) and
 * the largest upper end of the cells' calibrated intervals. The class is the worse of the map's and the measured
 * map's (a reading above a limit is not overruled by a model); when the interval's upper end falls in a worse
 * class still, the class holds "at the point estimate only" and the report says so.
 */
export interface AcceptanceResult {
  className: string | null;
  /** The map's own max C/C0 (the indices' map). */
  maxRatio: number;
  /** Which figure gave the class: the map's max, or the measured map's when that one is in a worse class. */
  decidedBy: 'map' | 'measured';
  /** Max C/C0 of the measured map over the area its points cover, for a predicted map of a billet with readings; else null. */
  measuredRatio: number | null;
  measuredClassName: string | null;
  /** Largest upper end of the calibrated interval over the map's cells, as C/C0 (null: no calibrated interval). */
  upperRatio: number | null;
  upperClassName: string | null;
  /** The class would be worse at the interval's upper end: it holds at the point estimate only. */
  pointEstimateOnly: boolean;
  rule: string;
  /** The map's own figure, e.g. "max C/C0 1.123 ≤ 1.200 → class B". */
  mapFigure: string;
  /** The measured map's and the interval's figures (or why there is no interval), each a line. */
  otherFigures: string[];
  /** All figures in one line (the header's field). */
  verdict: string;
}

/** What else the class is decided with, beside the map's max (all C/C0 with the map's C0). */
export interface AcceptanceEvidence {
  /** The measured map's max C/C0 (a predicted map's report on a billet with readings). */
  measuredRatio?: number | null;
  /** The largest upper end of the cells' intervals, and their nominal coverage (0.9 for 90 %). */
  upper?: { ratio: number; nominal: number } | null;
  /** The map is a model's prediction without a calibrated interval: its class is a point estimate with no bound. */
  predictedWithoutInterval?: boolean;
}

/** `tr`: the report's language (the rule and verdict are printed as they are returned). */
export function acceptanceOf(maxRatio: number, classes: readonly AcceptanceClass[], tr: ReportTranslate = reportTranslator('en'), evidence: AcceptanceEvidence = {}): AcceptanceResult {
  if (!classes.length) throw new RangeError('no acceptance class given');
  for (let i = 1; i < classes.length; i++) if (!(classes[i].maxRatio > classes[i - 1].maxRatio)) throw new RangeError('acceptance limits must increase from the first class to the last');
  const last = classes[classes.length - 1].maxRatio.toFixed(3);
  /** The index of the class a ratio falls in; classes.length: none (not accepted). */
  const rank = (r: number) => {
    const i = classes.findIndex((c) => r <= c.maxRatio);
    return i < 0 ? classes.length : i;
  };
  const nameOf = (k: number) => (k < classes.length ? classes[k].name : null);
  const figure = (r: number) => {
    const k = rank(r);
    const max = r.toFixed(4);
    return k < classes.length ? tr('acceptance.verdictClass', { max, limit: classes[k].maxRatio.toFixed(3), name: classes[k].name }) : tr('acceptance.verdictNone', { max, limit: last });
  };
  const list = classes.map((c) => tr('acceptance.item', { name: c.name, limit: c.maxRatio.toFixed(3) })).join('; ');
  const rule = tr('acceptance.ruleText', { list, limit: last });

  const mapRank = rank(maxRatio);
  const measured = evidence.measuredRatio ?? null;
  const measuredRank = measured === null ? null : rank(measured);
  const decidedBy = measuredRank !== null && measuredRank > mapRank ? 'measured' : 'map';
  const decided = Math.max(mapRank, measuredRank ?? 0);
  const upper = evidence.upper ?? null;
  const upperRank = upper === null ? null : rank(upper.ratio);
  const pointEstimateOnly = upperRank !== null && upperRank > decided;

  const mapFigure = figure(maxRatio);
  const otherFigures: string[] = [];
  if (measured !== null) otherFigures.push(tr('acceptance.measuredFigure', { figure: figure(measured) }));
  if (upper !== null) otherFigures.push(tr('acceptance.upperFigure', { nominal: Math.round(upper.nominal * 100), figure: figure(upper.ratio) }));
  else if (evidence.predictedWithoutInterval) otherFigures.push(tr('acceptance.noInterval'));
  const verdict = [mapFigure, ...otherFigures].join(tr('acceptance.separator'));
  return {
    className: nameOf(decided),
    maxRatio,
    decidedBy,
    measuredRatio: measured,
    measuredClassName: measuredRank === null ? null : nameOf(measuredRank),
    upperRatio: upper ? upper.ratio : null,
    upperClassName: upperRank === null ? null : nameOf(upperRank),
    pointEstimateOnly,
    rule,
    mapFigure,
    otherFigures,
    verdict,
  };
}

/** The bold line of the acceptance section (and the header's class): the class, and how far it holds. */
export function acceptanceHeadline(a: AcceptanceResult, tr: ReportTranslate): string {
  const base = a.className ? tr('acceptance.class', { name: a.className }) : tr('acceptance.none');
  const qualifiers = [a.decidedBy === 'measured' ? tr('acceptance.fromMeasured') : null, a.pointEstimateOnly ? tr('acceptance.pointEstimateOnly', { upper: a.upperClassName ? tr('acceptance.class', { name: a.upperClassName }) : tr('acceptance.none') }) : null].filter((q): q is string => q !== null);
  return qualifiers.length ? `${base} ${qualifiers.join(' ')}` : base;
}
