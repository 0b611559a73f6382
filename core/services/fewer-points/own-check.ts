import type { CurveGuard, KCurveResult, OwnCheck } from '../../api/methods/fewer-points.js';
import { choiceLooRatioSpread, looRatioSpread, MIN_LOO_K, MIN_SLOPE_K, type LeaveOneOut } from '../../segregation/fewer-points/index.js';
import { fixed, phrase, type Phrase } from '../../api/phrase.js';
import { english } from '../../runtime/english.js';
import type { SampleLabel } from '../../api/methods/cnn.js';

/** What the analysed readings are to the model, as a clause of the own check's and the choice's sentences. */
export function readingsSamplePhrase(s: SampleLabel): Phrase {
  if (s === 'in-sample') return phrase('fewerSample.inSample');
  if (s === 'held-out') return phrase('fewerSample.heldOut');
  return s === 'out-of-sample' ? phrase('fewerSample.outOfSample') : phrase('fewerSample.unknown');
}

/** The uncorrected model's own error at the readings: not a test of it when it trained on them (or may have). */
function ownNonePhrase(n: number, s: SampleLabel): Phrase {
  if (s === 'in-sample') return phrase('fewerChoice.ownNoneInSample', { n });
  if (s === 'unknown') return phrase('fewerChoice.ownNoneUnknown', { n });
  return phrase('fewerChoice.ownNone', { n, sample: readingsSamplePhrase(s) });
}

/**
 * The billet's own check of a correction (task 20-C): the leave-one-out MAE of its K readings
 * (core/segregation/fewer-points/leave-one-out.ts, computed by the caller: the guard tests it too) with the sentences the view, the CLI and the corrected map's notes
 * (PDF) say — beside it, when the guard hands on the K-curves' expected MAE, that curve's figure at K − 1 (the number
 * of readings each refit used), so the two are figures for the same K.
 */
export function ownCheck(args: {
  /** leaveOneOut over the analysed points (null below MIN_LOO_K), their labels in the same order, and K. */
  loo: LeaveOneOut | null;
  labels: readonly string[];
  level: number;
  guard: CurveGuard;
  curves: readonly KCurveResult[];
  /** The correction's trend with all K readings: a slope it used cannot be fitted by refits below MIN_SLOPE_K readings. */
  trend?: 'none' | 'level' | 'level+slope';
  /**
   * The candidate chosen on the readings (task 21-C): its refits keep it. Uncorrected (none without kriging) nothing is
   * refitted, so the figure is the model's own held-out error; any other chosen candidate's figure is the one it was
   * chosen on — optimistic by selection if anything, measured near 1× the actual (CHOICE_LOO_RATIO_SPREADS). None with
   * kriging is not uncorrected: its refits krig the K − 1 residuals.
   */
  chosen?: { trend: 'none' | 'level' | 'level+slope'; kriging: boolean };
  /**
   * What the K readings are to the model (task 27-G): on a billet it trained on they are in-sample, and its own error
   * there is a training error, not held-out; absent: held-out, as before.
   */
  sample?: SampleLabel;
}): OwnCheck {
  const k = args.labels.length;
  const loo = args.loo;
  if (!loo) {
    const words = [phrase('fewerCheck.tooFew', { k, min: MIN_LOO_K })];
    return { n: k, fitPoints: Math.max(0, k - 1), mae: null, bias: null, coverage: null, level: args.level, points: [], curveAtFitPoints: null, words, english: words.map((w) => english(w)).join(' ') };
  }
  const expected = args.guard.expected;
  const curve = expected ? args.curves.find((c) => c.id === expected.curveId) : undefined;
  // K = 0 is the model uncorrected: not a figure for a correction with K − 1 readings
  const row = curve ? [...curve.rows].filter((r) => r.k >= 1 && r.k <= loo.fitPoints).sort((a, b) => b.k - a.k)[0] : undefined;
  const curveAtFitPoints = curve && row ? { k: row.k, mae: row.mae, curveId: curve.id, billetId: curve.billetId } : null;
  const spread = looRatioSpread(loo.n);
  const chosenSpread = choiceLooRatioSpread(loo.n);
  const words: Phrase[] = [
    phrase('fewerCheck.loo', { mae: fixed(loo.mae, 4), n: loo.n, fitPoints: loo.fitPoints, sample: readingsSamplePhrase(args.sample ?? 'held-out') }),
    phrase('fewerCheck.coverage', { inside: Math.round(loo.coverage * loo.n), n: loo.n, level: Math.round(args.level * 100), bias: fixed(loo.bias, 4) }),
    !args.chosen
      ? phrase('fewerCheck.pessimistic', { fitPoints: loo.fitPoints, n: loo.n, low: fixed(spread.low, 2), high: fixed(spread.high, 2), atK: spread.k })
      : args.chosen.trend === 'none' && !args.chosen.kriging
        ? ownNonePhrase(loo.n, args.sample ?? 'held-out')
        : phrase('fewerChoice.ownChosen', { fitPoints: loo.fitPoints, n: loo.n, atK: chosenSpread.k, meanA: fixed(chosenSpread.meanA, 2), meanB: fixed(chosenSpread.meanB, 2), low: fixed(chosenSpread.low, 2), high: fixed(chosenSpread.high, 2) }),
  ];
  // with K = MIN_SLOPE_K the correction may fit a slope that no refit on K − 1 readings can: then the check is more than slightly pessimistic
  if (args.trend === 'level+slope' && loo.fitPoints < MIN_SLOPE_K) words.push(phrase('fewerCheck.noSlope', { fitPoints: loo.fitPoints, min: MIN_SLOPE_K }));
  if (curveAtFitPoints) words.push(phrase('fewerCheck.beside', { k: curveAtFitPoints.k, mae: fixed(curveAtFitPoints.mae, 4), curve: curveAtFitPoints.curveId, billet: curveAtFitPoints.billetId }));
  return {
    n: loo.n,
    fitPoints: loo.fitPoints,
    mae: loo.mae,
    bias: loo.bias,
    coverage: loo.coverage,
    level: loo.level,
    points: loo.points.map((p) => ({ label: args.labels[p.index], reading: p.reading, predicted: p.predicted, halfWidth: p.halfWidth, error: p.error })),
    curveAtFitPoints,
    words,
    english: words.map((w) => english(w)).join(' '),
  };
}
