import type { AcceptanceClass } from '../api/acceptance.js';
import type { SampleLabel } from '../api/methods/cnn.js';
import { reportTranslator, type ReportTranslate } from './report-i18n.js';
import { REPEATABILITY_MIN_DF } from '../segregation/repeatability.js';
import { repeatabilityArithmetic, sdDigits } from './repeatability-arithmetic.js';

/**
 * The acceptance class of a section from its max C/C0: the first class (limits increasing) whose limit
 * the max does not exceed. Above the last limit the section is in no class: "not accepted". The rule is
 * returned as text so the report prints exactly what was applied.
 *
 * Every figure is a C/C0 with one reference C0 (the report states it once): the ladle/bulk carbon, else the measured
 * map's area mean when that map decides, else the predicted area mean of the model's raw lattice (never the plain mean
 * of the readings: points bunched on a diameter or at the centre would bias it). A predicted map's max is a point
 * estimate of a model that compresses carbon on billets unlike its training ones, so more figures take part when they
 * exist: the measured map's max (the billet's own readings; it decides only from at least MEASURED_MIN_POINTS points
 * whose convex hull covers at least MEASURED_MIN_COVERED of the section, else it is printed as indicative), a map
 * corrected with K analysed readings (its max and its interval's upper end), the largest of the cells' upper ends of
 * the model's per-cell 90 % intervals (not a bound on the section's maximum), and the highest single reading: a point
 * reading is a measurement, so the class is never better than that reading's. The class is the worst of the deciding
 * point figures. Only a deciding measured map (or a reading that sets the class) backs a class with readings; a
 * corrected map's class is "an estimate from the model corrected with K readings", any other model's class "an
 * estimate from the model only", with the reasons; when such an estimate's upper-end check did not run (no finite
 * interval), its intervals are too narrow, or the upper end falls in a worse class, it holds "at the point estimate only".
 * Where readings take part, the class is also checked at the upper end of the analyser's repeatability when the
 * billet's replicates give one (core/segregation/repeatability.ts, df ≥ REPEATABILITY_MIN_DF): the readings' upper end
 * is the largest over the points of meanᵢ + t(0.90, df)·s/√nᵢ (each point with its own n, the point named), a measured
 * map's (a deciding one, or the report's own) the larger of that and its max + t·s/√n_k (n_k at the point nearest the
 * max). A class that fails at either holds "at the point estimate only" too, and says so — a class a reading set
 * included. Without replicates the page says it has no interval because no replicate readings were read. These ends
 * cover the repeatability of the point means only: not the analyser's bias, its between-day reproducibility, the
 * sampling of the section or the spline's interpolation between points, and the page says so.
 */
export const MEASURED_MIN_POINTS = 10;
export const MEASURED_MIN_COVERED = 0.5;

import type { C0Source } from '../maps/index.js';
export type { C0Source };

/** Why a model's class stands on the model alone (codes; the report prints their words). */
export type ModelOnlyReason = 'no-readings' | 'readings-too-few' | 'readings-cover-too-little' | 'out-of-sample' | 'in-sample' | 'sample-unknown' | 'no-interval' | 'interval-unknown' | 'interval-too-narrow';

export interface AcceptanceResult {
  className: string | null;
  /** The reference C0 every figure is taken with, and where it comes from. */
  c0WtPct: number | null;
  c0Source: C0Source | null;
  /** The map's own max C/C0 (the indices' map). */
  maxRatio: number;
  /** Which figure gave the class: the map's max, or the measured or corrected map's or the highest reading's when that one is in a worse class. */
  decidedBy: 'map' | 'measured' | 'corrected' | 'reading';
  /** The highest single reading (its point's label) and its C/C0; null: no readings. */
  readingMaxLabel: string | null;
  readingMaxRatio: number | null;
  /** Max C/C0 of the measured map over the area its points cover (a predicted map's report on a billet with readings; a measured map's report: its own); else null. */
  measuredRatio: number | null;
  measuredClassName: string | null;
  /** How many points with readings the measured map is made from, and the share of the section it covers (null: no measured map). */
  measuredPoints: number | null;
  measuredCoveredFraction: number | null;
  /** Whether the measured map may decide the class (≥ MEASURED_MIN_POINTS points covering ≥ MEASURED_MIN_COVERED); false: indicative only. */
  measuredDecides: boolean;
  /** Largest of the cells' upper ends of the model's per-cell intervals, as C/C0 (null: the check did not run). */
  upperRatio: number | null;
  upperClassName: string | null;
  /** A predicted map corrected with K analysed readings: its max C/C0 and the largest of its cells' upper ends (null: none). */
  correctedRatio: number | null;
  correctedClassName: string | null;
  correctedUpperRatio: number | null;
  /** The class at the worst upper end (the predicted and the corrected map's); null: no upper end, or not accepted there. */
  worstUpperClassName: string | null;
  /** A model's map whose class no readings back (no deciding measured map, no reading setting it, no correction): an estimate from the model only. */
  modelOnly: boolean;
  /** A model's map corrected with K readings whose class no readings back: an estimate from the corrected model (not model only, not plain). */
  correctedEstimate: boolean;
  /** Why the class is such an estimate (empty unless modelOnly or correctedEstimate). */
  modelOnlyReasons: ModelOnlyReason[];
  /** The analyser's repeatability pooled from the billet's replicates (null: none read, or not stated). */
  repeatability: { sdWtPct: number; df: number; points: number } | null;
  /**
   * The measured map at the one-sided upper end of the analyser's repeatability, as C/C0 (the larger of its max + t·s/√n_k
   * and the readings' upper end), its class, the half-width added to its max (wt.%), and which of the two gave it; null:
   * no such upper end.
   */
  measuredUpperRatio: number | null;
  measuredUpperClassName: string | null;
  measuredUpperHalfWidthWtPct: number | null;
  measuredUpperBy: 'map-max' | 'reading' | null;
  /** The readings' upper end for that repeatability (the largest of meanᵢ + t·s/√nᵢ) as C/C0, its class, the point that gives it and its half-width (wt.%); null: none. */
  readingsUpperRatio: number | null;
  readingsUpperClassName: string | null;
  readingsUpperLabel: string | null;
  readingsUpperHalfWidthWtPct: number | null;
  /** Such an estimate that the upper-end check did not confirm (not run, intervals too narrow, or a worse class there), or a class that the readings' or a measured map's repeatability upper end puts in a worse class. */
  pointEstimateOnly: boolean;
  /** The headline as printed (the class and how far it holds), in the report's language. */
  headline: string;
  rule: string;
  /** The map's own figure, e.g. "max C/C0 1.123 ≤ 1.200 → class B". */
  mapFigure: string;
  /** The measured map's, the corrected map's and the upper ends' figures (or why there are none), each a line. */
  otherFigures: string[];
  /** The sentence on how the figures were combined; null when only the map's own figure took part. */
  basis: string | null;
  /** All figures in one line (the header's field, the CLI, the JSON). */
  verdict: string;
}

/** What else the class is decided with, beside the map's max (all C/C0 with the reference C0). */
export interface AcceptanceEvidence {
  /** The reference C0 the ratios were taken with (absent: not stated, as in a caller's own ratios). */
  c0?: { wtPct: number; source: C0Source };
  /** How many points of the billet have readings (a model's map: none means "no readings", a few "too few"). */
  readings?: number;
  /** The highest single reading: its point's label and its C/C0 (the class is never better than its). */
  readingMax?: { label: string; ratio: number } | null;
  /** The measured map beside a model's map: its max C/C0, its points with readings and the share of the section it covers. */
  measured?: { ratio: number; points: number; coveredFraction: number } | null;
  /** The report's own map is the measured map: its points and covered share (its class is indicative below the rule). */
  self?: { points: number; coveredFraction: number } | null;
  /** The map is a model's: what it is to the model and what its interval is. Absent: not a model's map. */
  model?: { sample: SampleLabel | null; interval: 'calibrated' | 'none' | 'unknown' | 'too-narrow' } | null;
  /** The largest of the cells' upper ends of the model's intervals (raw lattice), and their nominal coverage (0.9). */
  upper?: { ratio: number; nominal: number } | null;
  /** The same map corrected with K analysed readings: its max C/C0 and the largest of its cells' upper ends. */
  corrected?: { k: number; ratio: number; upper: { ratio: number; nominal: number } | null } | null;
  /**
   * The analyser's repeatability pooled from the billet's points read at least twice; null: no point was read twice
   * (the measured figure says "no interval: no replicate readings"); absent: not stated (the readings' plain "no
   * interval" line).
   */
  repeatability?: { sdWtPct: number; df: number; points: number } | null;
  /**
   * The readings at the one-sided upper end of that repeatability: the largest over the points of meanᵢ + t·s/√nᵢ, as
   * C/C0, the point that gives it (label, mean wt.%, n) and its half-width; null or absent: none (no readings, no
   * replicates, or fewer than REPEATABILITY_MIN_DF degrees of freedom).
   */
  readingsUpper?: { ratio: number; nominal: number; halfWidthWtPct: number; t: number; n: number; label: string; meanWtPct: number } | null;
  /**
   * The measured map's (measured or self) upper end for that repeatability, as C/C0: the larger of max + t·s/√n_k (the
   * max in wt.%, n_k and label: the point with readings nearest it) and the readings' upper end (`by` says which);
   * null or absent: none.
   */
  measuredUpper?: { ratio: number; nominal: number; halfWidthWtPct: number; t: number; n: number; label: string; maxWtPct: number; by: 'map-max' | 'reading' } | null;
}

function reasonWords(r: ModelOnlyReason, tr: ReportTranslate, covered: string): string {
  switch (r) {
    case 'no-readings':
      return tr('acceptance.reason.noReadings');
    case 'readings-too-few':
      return tr('acceptance.reason.readingsTooFew');
    case 'readings-cover-too-little':
      return tr('acceptance.reason.readingsCoverTooLittle', { covered, needed: (MEASURED_MIN_COVERED * 100).toFixed(0) });
    case 'out-of-sample':
      return tr('acceptance.reason.outOfSample');
    case 'in-sample':
      return tr('acceptance.reason.inSample');
    case 'sample-unknown':
      return tr('acceptance.reason.sampleUnknown');
    case 'no-interval':
      return tr('acceptance.reason.noInterval');
    case 'interval-unknown':
      return tr('acceptance.reason.intervalUnknown');
    case 'interval-too-narrow':
      return tr('acceptance.reason.intervalTooNarrow');
  }
}

const measuredDecides = (m: { points: number; coveredFraction: number }) => m.points >= MEASURED_MIN_POINTS && m.coveredFraction >= MEASURED_MIN_COVERED;

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
  const className = (k: number) => (k < classes.length ? tr('acceptance.class', { name: classes[k].name }) : tr('acceptance.none'));
  const figure = (r: number) => {
    const k = rank(r);
    const max = r.toFixed(4);
    return k < classes.length ? tr('acceptance.verdictClass', { max, limit: classes[k].maxRatio.toFixed(3), name: classes[k].name }) : tr('acceptance.verdictNone', { max, limit: last });
  };
  const list = classes.map((c) => tr('acceptance.item', { name: c.name, limit: c.maxRatio.toFixed(3) })).join('; ');
  const rule = tr('acceptance.ruleText', { list, limit: last });
  const pct = (f: number) => (f * 100).toFixed(0);
  // the share to one decimal as the indices table prints it, but never rounded up to the limit it misses (49.96 % is
  // "49.9 %", not "50.0 %")
  const coverWords = (f: number) => (f < MEASURED_MIN_COVERED && Number((f * 100).toFixed(1)) >= MEASURED_MIN_COVERED * 100 ? Math.floor(f * 1000) / 10 : f * 100).toFixed(1);
  const measuredRule = tr('acceptance.measuredRule', { n: MEASURED_MIN_POINTS, covered: pct(MEASURED_MIN_COVERED) });

  const mapRank = rank(maxRatio);
  const measured = evidence.measured ?? null;
  const mDecides = measured !== null && measuredDecides(measured);
  const measuredRank = measured === null ? null : rank(measured.ratio);
  const corrected = evidence.corrected ?? null;
  const correctedRank = corrected === null ? null : rank(corrected.ratio);
  const readingMax = evidence.readingMax ?? null;
  const readingRank = readingMax === null ? null : rank(readingMax.ratio);
  // the worst of the deciding point figures decides; on a tie the map's own figure is named. A single reading is a
  // measurement: it sets a floor under the class whether or not the measured map may decide
  let decided = mapRank;
  let decidedBy: AcceptanceResult['decidedBy'] = 'map';
  if (mDecides && measuredRank! > decided) [decided, decidedBy] = [measuredRank!, 'measured'];
  if (correctedRank !== null && correctedRank > decided) [decided, decidedBy] = [correctedRank, 'corrected'];
  if (readingRank !== null && readingRank > decided) [decided, decidedBy] = [readingRank, 'reading'];
  const model = evidence.model ?? null;
  // the upper-end check ran only with a calibrated interval (one flagged too narrow ran, but does not confirm)
  const upper = model && (model.interval === 'calibrated' || model.interval === 'too-narrow') ? (evidence.upper ?? null) : null;
  const upperRank = upper === null ? null : rank(upper.ratio);
  const correctedUpperRank = corrected?.upper ? rank(corrected.upper.ratio) : null;
  const worstUpper = Math.max(upperRank ?? -1, correctedUpperRank ?? -1);
  const upperWorse = worstUpper > decided;

  // only measurements back a class: a deciding measured map, or a reading that set the class; a correction from a few
  // readings is still the model's estimate (corrected)
  const backedByReadings = mDecides || decidedBy === 'reading';
  const estimate = model !== null && !backedByReadings;
  const modelOnly = estimate && corrected === null;
  const correctedEstimate = estimate && corrected !== null;
  const reasons: ModelOnlyReason[] = [];
  if (estimate) {
    const n = evidence.readings ?? measured?.points ?? 0;
    // enough readings that do not cover the section (a traverse on one line covers 0 %) is a share, not a count, short
    reasons.push(!(n > 0) && measured === null ? 'no-readings' : n >= MEASURED_MIN_POINTS ? 'readings-cover-too-little' : 'readings-too-few');
    reasons.push(model.sample === 'in-sample' ? 'in-sample' : model.sample === 'out-of-sample' ? 'out-of-sample' : 'sample-unknown');
    if (model.interval === 'none') reasons.push('no-interval');
    else if (model.interval === 'unknown') reasons.push('interval-unknown');
    else if (model.interval === 'too-narrow') reasons.push('interval-too-narrow');
  }
  // the upper-end check ran when there is a finite upper end (the model's, or the corrected map's own interval); a
  // model's intervals flagged too narrow do not confirm unless the corrected map's interval also took part
  const checkRan = upper !== null || !!corrected?.upper;
  const narrowOnly = model?.interval === 'too-narrow' && !corrected?.upper;
  // a measured map's own report: below the rule its class is indicative
  const self = evidence.self ?? null;
  const selfIndicative = self !== null && !measuredDecides(self);
  // the readings and the measured map at the upper end of the analyser's repeatability, used as a model's upper end
  // is: the readings floor the class wherever they exist (a class one of them set included), so their upper end does
  // too; a measured map's counts where it takes part in the class (it decides, or it is the report's own map). A class
  // in a better class than either end holds at the point estimate only. They bound the repeatability of the point
  // means, not the analyser's bias, the sampling or the spline
  const rep = evidence.repeatability;
  const rUpper = readingMax !== null ? (evidence.readingsUpper ?? null) : null;
  const rUpperRank = rUpper === null ? null : rank(rUpper.ratio);
  const readingsWorse = rUpperRank !== null && rUpperRank > decided;
  const mUpper = measured !== null || self !== null ? (evidence.measuredUpper ?? null) : null;
  const mUpperRank = mUpper === null ? null : rank(mUpper.ratio);
  const repeatabilityWorse = (mDecides || self !== null) && mUpperRank !== null && mUpperRank > decided;
  // the measured map's own end is named where its max (not a reading's end) gave it; a reading's end names the reading
  const mapMaxWorse = repeatabilityWorse && (rUpper === null || mUpper!.by === 'map-max');
  const modelPointEstimateOnly = estimate && (!checkRan || narrowOnly || upperWorse);
  const pointEstimateOnly = modelPointEstimateOnly || repeatabilityWorse || readingsWorse;

  const mapFigure = self ? tr('acceptance.withPoints', { figure: figure(maxRatio), n: self.points, covered: coverWords(self.coveredFraction) }) : figure(maxRatio);
  const otherFigures: string[] = [];
  if (measured !== null) {
    const f = tr('acceptance.withPoints', { figure: figure(measured.ratio), n: measured.points, covered: coverWords(measured.coveredFraction) });
    otherFigures.push(mDecides ? tr('acceptance.measuredFigure', { figure: f }) : tr('acceptance.measuredIndicative', { figure: f, rule: measuredRule }));
  }
  if (readingMax !== null) otherFigures.push(tr('acceptance.readingFigure', { label: readingMax.label, figure: figure(readingMax.ratio) }));
  if (upper !== null) otherFigures.push(tr('acceptance.upperFigure', { nominal: Math.round(upper.nominal * 100), figure: figure(upper.ratio) }));
  else if (model?.interval === 'none') otherFigures.push(tr('acceptance.noInterval'));
  else if (model?.interval === 'unknown') otherFigures.push(tr('acceptance.intervalUnknown'));
  if (corrected !== null) {
    otherFigures.push(tr('acceptance.correctedFigure', { count: corrected.k, figure: figure(corrected.ratio) }));
    if (corrected.upper) otherFigures.push(tr('acceptance.correctedUpperFigure', { nominal: Math.round(corrected.upper.nominal * 100), figure: figure(corrected.upper.ratio) }));
  }
  // wherever readings or a measured map's figure are printed: their upper ends for the analyser's repeatability, or why
  // there are none. Each "t × s/√n = hw" is printed with the digits that make it add up (repeatability-arithmetic.ts)
  if (measured !== null || self !== null || readingMax !== null) {
    if (rep === undefined) otherFigures.push(tr('acceptance.readingsNoInterval'));
    else if (rep === null) otherFigures.push(tr('acceptance.noReplicates'));
    else if (rep.df < REPEATABILITY_MIN_DF) otherFigures.push(tr('acceptance.replicatesTooFew', { sd: sdDigits(rep.sdWtPct), df: rep.df, min: REPEATABILITY_MIN_DF }));
    else {
      if (rUpper !== null) {
        const a = repeatabilityArithmetic(rUpper.t, rep.sdWtPct, rUpper.n, rUpper.halfWidthWtPct);
        otherFigures.push(tr('acceptance.readingsUpperFigure', { nominal: Math.round(rUpper.nominal * 100), label: rUpper.label, mean: rUpper.meanWtPct.toFixed(4), t: a.t, sd: a.sd, n: rUpper.n, hw: a.hw, df: rep.df, points: rep.points, figure: figure(rUpper.ratio) }));
      }
      if (mUpper !== null) {
        const a = repeatabilityArithmetic(mUpper.t, rep.sdWtPct, mUpper.n, mUpper.halfWidthWtPct);
        const larger = mUpper.by === 'reading' && rUpper !== null ? tr('acceptance.upperFromReading', { figure: figure(mUpper.ratio), label: rUpper.label }) : figure(mUpper.ratio);
        const f = tr('acceptance.measuredUpperFigure', { nominal: Math.round(mUpper.nominal * 100), max: mUpper.maxWtPct.toFixed(4), t: a.t, sd: a.sd, n: mUpper.n, hw: a.hw, label: mUpper.label, df: rep.df, points: rep.points, figure: larger });
        // beside a model's map, an indicative measured map's upper end does not decide either: said on its line
        otherFigures.push(measured !== null && !mDecides ? tr('acceptance.measuredUpperIndicative', { figure: f }) : f);
      }
    }
  }
  const verdict = [mapFigure, ...otherFigures].join(tr('acceptance.separator'));

  // the headline: the class, who decided it, and how far it holds — a class the readings decided is "at the point estimate only" only by the repeatability upper ends of its readings or measured map, never by a model's
  const qualifiers: string[] = [];
  if (decidedBy === 'measured') qualifiers.push(tr('acceptance.fromMeasured'));
  if (decidedBy === 'corrected') qualifiers.push(tr('acceptance.fromCorrected'));
  if (decidedBy === 'reading') qualifiers.push(tr('acceptance.fromReading', { label: readingMax!.label, ratio: readingMax!.ratio.toFixed(2) }));
  if (selfIndicative) qualifiers.push(tr('acceptance.indicative', { n: self.points, covered: coverWords(self.coveredFraction), rule: measuredRule }));
  if (backedByReadings && upperWorse) {
    // "decided by readings" only when they decided; a deciding measured map in the map's own class agrees with it
    const readings = decidedBy === 'reading' ? tr('acceptance.readingSet') : decidedBy === 'measured' ? tr('acceptance.readingsDecided') : measuredRank === decided ? tr('acceptance.readingsAgree') : tr('acceptance.readingsBetter', { cls: className(measuredRank!) });
    qualifiers.push(tr('acceptance.upperReaches', { readings, upper: className(worstUpper) }));
  }
  if (mapMaxWorse) qualifiers.push(tr('acceptance.pointEstimateOnlyRepeatability', { upper: className(mUpperRank!) }));
  else if (readingsWorse || repeatabilityWorse) qualifiers.push(tr('acceptance.pointEstimateOnlyReadings', { upper: className(Math.max(rUpperRank ?? -1, repeatabilityWorse ? mUpperRank! : -1)), label: rUpper!.label }));
  // the model's own reason is a second, independent one: a readings' upper end in a worse class does not say that the
  // model's interval reaches a worse class too (or could not be checked), so both are said
  if (modelPointEstimateOnly) qualifiers.push(upperWorse ? tr('acceptance.pointEstimateOnly', { upper: className(worstUpper) }) : !checkRan ? tr('acceptance.pointEstimateOnlyUnchecked') : tr('acceptance.pointEstimateOnlyNarrow'));
  const reasonText = reasons.map((r) => reasonWords(r, tr, measured ? coverWords(measured.coveredFraction) : '0')).join(tr('acceptance.reasonJoin'));
  if (modelOnly) qualifiers.push(tr('acceptance.modelOnly', { reasons: reasonText }));
  if (correctedEstimate) qualifiers.push(tr('acceptance.correctedEstimate', { count: corrected.k, reasons: reasonText }));
  const base = className(decided);
  // each qualifier is run on with the language's own headline template (Chinese without a space, the others with one)
  const headline = qualifiers.reduce((acc, how) => tr('acceptance.headline', { cls: acc, how }), base);
  // the basis sentence: how the figures were combined, the upper-end part only where that check ran
  const worstPart = measured !== null || corrected !== null || readingMax !== null ? tr('acceptance.basisWorst', { rule: measuredRule }) : null;
  const upperPart = upper !== null || corrected?.upper ? tr('acceptance.basisUpper') : null;
  const modelBasis = worstPart && upperPart ? tr('acceptance.basisBoth', { worst: worstPart, upper: upperPart }) : (worstPart ?? upperPart);
  const repeatabilityPart = rUpper !== null || (mUpper !== null && (mDecides || self !== null)) ? tr('acceptance.basisRepeatability', { nominal: Math.round((rUpper ?? mUpper)!.nominal * 100) }) : null;
  const basis = modelBasis && repeatabilityPart ? tr('acceptance.basisBoth', { worst: modelBasis, upper: repeatabilityPart }) : (modelBasis ?? repeatabilityPart);
  return {
    className: nameOf(decided),
    c0WtPct: evidence.c0?.wtPct ?? null,
    c0Source: evidence.c0?.source ?? null,
    maxRatio,
    decidedBy,
    readingMaxLabel: readingMax?.label ?? null,
    readingMaxRatio: readingMax?.ratio ?? null,
    measuredRatio: measured ? measured.ratio : null,
    measuredClassName: measuredRank === null ? null : nameOf(measuredRank),
    measuredPoints: measured?.points ?? self?.points ?? null,
    measuredCoveredFraction: measured?.coveredFraction ?? self?.coveredFraction ?? null,
    measuredDecides: measured ? mDecides : self ? !selfIndicative : false,
    upperRatio: upper ? upper.ratio : null,
    upperClassName: upperRank === null ? null : nameOf(upperRank),
    correctedRatio: corrected ? corrected.ratio : null,
    correctedClassName: correctedRank === null ? null : nameOf(correctedRank),
    correctedUpperRatio: corrected?.upper ? corrected.upper.ratio : null,
    worstUpperClassName: worstUpper < 0 ? null : nameOf(worstUpper),
    modelOnly,
    correctedEstimate,
    modelOnlyReasons: reasons,
    repeatability: rep ?? null,
    measuredUpperRatio: mUpper?.ratio ?? null,
    measuredUpperClassName: mUpperRank === null ? null : nameOf(mUpperRank),
    measuredUpperHalfWidthWtPct: mUpper?.halfWidthWtPct ?? null,
    measuredUpperBy: mUpper?.by ?? null,
    readingsUpperRatio: rUpper?.ratio ?? null,
    readingsUpperClassName: rUpperRank === null ? null : nameOf(rUpperRank),
    readingsUpperLabel: rUpper?.label ?? null,
    readingsUpperHalfWidthWtPct: rUpper?.halfWidthWtPct ?? null,
    pointEstimateOnly,
    headline,
    rule,
    mapFigure,
    otherFigures,
    basis,
    verdict,
  };
}
