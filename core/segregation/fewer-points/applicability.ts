/**
 * Does the expected MAE of a model's K-curves apply to this billet? (issue 11 §6, task 19-C)
 *
 * A K-curve is measured on billets the model knows. On a billet whose carbon lies outside the range the model was
 * trained on, the same K readings leave a much larger error (bench/fewer-points-seeds.ts: a base-trained model at
 * K = 8 gives 0.0095–0.0160 wt.% on low-carbon billets against 0.0071–0.0089 on stirring and base billets), so
 * showing the curve's figure there would be a confident wrong number. Two signs, read from the K readings only:
 *  - outside the range: more than MAX_OUTSIDE_SHARE of the K readings (and at least MIN_OUTSIDE_COUNT) lie outside
 *    the model's training carbon range. Measured on the synthetic billets with a base-trained model (training range
 *    0.388–0.492 wt.%): 49–79 % of a low-carbon billet's readings lie outside, 5–13 % of a stirring or base billet's;
 *  - a level shift: the K readings' mean offset from the predictions exceeds what the K-curves' billets needed (the
 *    largest |mean offset| over those billets) by more than LEVEL_SHIFT_Z standard errors of a K-point mean
 *    (residual sd / √K). Measured: offsets −0.009 to −0.021 wt.% on low-carbon billets, −0.002 to +0.000 on the others.
 * Either sign says the expected MAE does not apply. bench/fewer-points-guard.ts measures how often (two base-trained
 * models, 20 proposals per K): at K = 8 on 80–100 % of the proposals on low-carbon billets, on 0–5 % on stirring and
 * base billets (with z = 1.645 the level-shift test alone flagged 10–15 % of the stirring ones, hence 2.326).
 */

/** Share of the K readings outside the training range above which the billet is taken as outside it. */
export const MAX_OUTSIDE_SHARE = 0.25;
/** With fewer readings outside than this, no share counts (one reading outside of two is not a billet outside). */
export const MIN_OUTSIDE_COUNT = 2;
/** One-sided normal quantile (99 %) of the level-shift test. */
export const LEVEL_SHIFT_Z = 2.326;

export interface CarbonRange {
  min: number;
  max: number;
}

export interface ApplicabilityInput {
  /** The analysed points' readings (wt.%). */
  readings: readonly number[];
  /** Every point's corrected prediction (wt.%): the share of them outside the range is reported, not tested. */
  corrected: readonly number[];
  /** The carbon range of the readings the model was trained on; null: not recorded (no range test). */
  trainingRange: CarbonRange | null;
  /** Mean reading − mean prediction over the analysed points, and the residual sd of the correction (wt.%). */
  offset: number;
  residualSd: number;
  /** |mean offset| each reference billet (a K-curve's billet inside the range) needed, wt.%; empty: none stored. */
  referenceShifts: readonly number[];
}

export interface Applicability {
  applies: boolean;
  outsideRange: boolean;
  levelShift: boolean;
  trainingRange: CarbonRange | null;
  analysed: number;
  analysedOutside: number;
  outsideShare: number;
  correctedOutsideShare: number;
  offset: number;
  /** The largest |offset| the reference billets needed (0 when there are none) and the limit it was tested against. */
  referenceShift: number;
  referenceBillets: number;
  offsetLimit: number;
}

const outsideOf = (range: CarbonRange | null, v: number) => range !== null && (v < range.min || v > range.max);

export function curveApplicability(input: ApplicabilityInput): Applicability {
  const k = input.readings.length;
  if (k < 1) throw new RangeError('no analysed reading to judge the billet by');
  const range = input.trainingRange;
  const analysedOutside = input.readings.filter((v) => outsideOf(range, v)).length;
  const outsideShare = analysedOutside / k;
  const correctedOutsideShare = input.corrected.length ? input.corrected.filter((v) => outsideOf(range, v)).length / input.corrected.length : 0;
  const outsideRange = range !== null && analysedOutside >= MIN_OUTSIDE_COUNT && outsideShare > MAX_OUTSIDE_SHARE;
  const referenceShift = input.referenceShifts.length ? Math.max(...input.referenceShifts.map(Math.abs)) : 0;
  const offsetLimit = referenceShift + (LEVEL_SHIFT_Z * input.residualSd) / Math.sqrt(k);
  const levelShift = Math.abs(input.offset) > offsetLimit;
  return {
    applies: !outsideRange && !levelShift,
    outsideRange,
    levelShift,
    trainingRange: range,
    analysed: k,
    analysedOutside,
    outsideShare,
    correctedOutsideShare,
    offset: input.offset,
    referenceShift,
    referenceBillets: input.referenceShifts.length,
    offsetLimit,
  };
}

/** The share of a fully measured billet's readings outside the range (for a K-curve's own billet), and whether it is outside. */
export function billetOutsideRange(readings: readonly number[], range: CarbonRange | null): { outsideShare: number; outside: boolean } {
  if (range === null || !readings.length) return { outsideShare: 0, outside: false };
  const n = readings.filter((v) => outsideOf(range, v)).length;
  return { outsideShare: n / readings.length, outside: n >= MIN_OUTSIDE_COUNT && n / readings.length > MAX_OUTSIDE_SHARE };
}
