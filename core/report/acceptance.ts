import type { AcceptanceClass } from '../api/acceptance.js';
import { reportTranslator, type ReportTranslate } from './report-i18n.js';

/**
 * The acceptance class of a section from its max C/C0: the first class (limits increasing) whose limit
 * the max does not exceed. Above the last limit the section is in no class: "not accepted". The rule is
 * returned as text so the report prints exactly what was applied.
 *
 * A predicted map's max is a point estimate of a model that compresses carbon on billets unlike its training
 * ones, so two more figures take part when they exist: the measured map's max (the billet's own readings) and
 * the largest upper end of the cells' calibrated intervals; a map corrected with K analysed readings adds its max
 * and its interval's upper end. The class is the worst of the point figures (the map's, the measured map's, the
 * corrected map's: a reading above a limit is not overruled by a model); when an interval's upper end falls in a
 * worse class still, the class holds "at the point estimate only" and the report says so.
 */
export interface AcceptanceResult {
  className: string | null;
  /** The map's own max C/C0 (the indices' map). */
  maxRatio: number;
  /** Which figure gave the class: the map's max, or the measured or corrected map's when that one is in a worse class. */
  decidedBy: 'map' | 'measured' | 'corrected';
  /** Max C/C0 of the measured map over the area its points cover, for a predicted map of a billet with readings; else null. */
  measuredRatio: number | null;
  measuredClassName: string | null;
  /** Largest upper end of the calibrated interval over the map's cells, as C/C0 (null: no calibrated interval). */
  upperRatio: number | null;
  upperClassName: string | null;
  /** A predicted map corrected with K analysed readings: its max C/C0 and the largest upper end of its interval (null: none). */
  correctedRatio: number | null;
  correctedClassName: string | null;
  correctedUpperRatio: number | null;
  /** The class at the worst upper end of the intervals (the predicted and the corrected map's); null: no interval or not accepted there. */
  worstUpperClassName: string | null;
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
  /** The measured map's max C/C0 and its own C0 (a predicted map's report on a billet with readings). */
  measured?: { ratio: number; c0WtPct: number } | null;
  /** The largest upper end of the cells' intervals, and their nominal coverage (0.9 for 90 %). */
  upper?: { ratio: number; nominal: number } | null;
  /** The map is a model's prediction without a calibrated interval: its class is a point estimate with no bound. */
  predictedWithoutInterval?: boolean;
  /** The same map corrected with K analysed readings: its max C/C0 (its own C0) and the largest upper end of its interval. */
  corrected?: { k: number; ratio: number; c0WtPct: number; upper: { ratio: number; nominal: number } | null } | null;
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
  const measured = evidence.measured ?? null;
  const measuredRank = measured === null ? null : rank(measured.ratio);
  const corrected = evidence.corrected ?? null;
  const correctedRank = corrected === null ? null : rank(corrected.ratio);
  // the worst of the point figures decides; on a tie the map's own figure is named
  let decided = mapRank;
  let decidedBy: AcceptanceResult['decidedBy'] = 'map';
  if (measuredRank !== null && measuredRank > decided) [decided, decidedBy] = [measuredRank, 'measured'];
  if (correctedRank !== null && correctedRank > decided) [decided, decidedBy] = [correctedRank, 'corrected'];
  const upper = evidence.upper ?? null;
  const upperRank = upper === null ? null : rank(upper.ratio);
  const correctedUpperRank = corrected?.upper ? rank(corrected.upper.ratio) : null;
  const worstUpper = Math.max(upperRank ?? -1, correctedUpperRank ?? -1);
  const pointEstimateOnly = worstUpper > decided;

  const mapFigure = figure(maxRatio);
  const otherFigures: string[] = [];
  // each map's figure with its own C0 (without a ladle carbon, each map's section mean)
  if (measured !== null) otherFigures.push(tr('acceptance.measuredFigure', { c0: measured.c0WtPct.toFixed(4), figure: figure(measured.ratio) }));
  if (upper !== null) otherFigures.push(tr('acceptance.upperFigure', { nominal: Math.round(upper.nominal * 100), figure: figure(upper.ratio) }));
  else if (evidence.predictedWithoutInterval) otherFigures.push(tr('acceptance.noInterval'));
  if (corrected !== null) {
    otherFigures.push(tr('acceptance.correctedFigure', { k: corrected.k, c0: corrected.c0WtPct.toFixed(4), figure: figure(corrected.ratio) }));
    if (corrected.upper) otherFigures.push(tr('acceptance.correctedUpperFigure', { nominal: Math.round(corrected.upper.nominal * 100), figure: figure(corrected.upper.ratio) }));
  }
  const verdict = [mapFigure, ...otherFigures].join(tr('acceptance.separator'));
  return {
    className: nameOf(decided),
    maxRatio,
    decidedBy,
    measuredRatio: measured ? measured.ratio : null,
    measuredClassName: measuredRank === null ? null : nameOf(measuredRank),
    upperRatio: upper ? upper.ratio : null,
    upperClassName: upperRank === null ? null : nameOf(upperRank),
    correctedRatio: corrected ? corrected.ratio : null,
    correctedClassName: correctedRank === null ? null : nameOf(correctedRank),
    correctedUpperRatio: corrected?.upper ? corrected.upper.ratio : null,
    worstUpperClassName: worstUpper < 0 ? null : nameOf(worstUpper),
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
  const from = a.decidedBy === 'measured' ? tr('acceptance.fromMeasured') : a.decidedBy === 'corrected' ? tr('acceptance.fromCorrected') : null;
  const qualifiers = [from, a.pointEstimateOnly ? tr('acceptance.pointEstimateOnly', { upper: a.worstUpperClassName ? tr('acceptance.class', { name: a.worstUpperClassName }) : tr('acceptance.none') }) : null].filter((q): q is string => q !== null);
  return qualifiers.length ? tr('acceptance.headline', { cls: base, how: qualifiers.join(tr('acceptance.qualifierJoin')) }) : base;
}
