import type { Database } from 'better-sqlite3';
import type { CurveGuard, KCurveResult } from '../../api/methods/fewer-points.js';
import { createModelsRepo } from '../../store/repos/models-repo.js';
import { billetOutsideRange, curveApplicability, OWN_CHECK_MIN_DRAWS, OWN_CHECK_Z, type CarbonRange } from '../../segregation/fewer-points/index.js';
import { fixed, phrase, type Phrase } from '../../api/phrase.js';
import { english } from '../../runtime/english.js';
import { samplePhrase } from '../../ml/fit-words.js';

/**
 * Whether the expected MAE of a model's K-curves applies to a billet (task 19-C): the store's side of
 * core/segregation/fewer-points/applicability.ts — the model's training carbon range, its stored K-curves as the
 * reference — and the sentences the view, the CLI and the corrected map's notes say.
 */

/** The carbon range of the readings the model was trained on (null: not recorded). */
export function modelTrainingRange(db: Database, modelId: number | null): CarbonRange | null {
  if (modelId === null) return null;
  const ds = createModelsRepo(db).get(modelId).dataset as { carbonRange?: CarbonRange | null } | null;
  const r = ds?.carbonRange ?? null;
  return r && Number.isFinite(r.min) && Number.isFinite(r.max) ? { min: r.min, max: r.max } : null;
}

const pct = (v: number) => Math.round(v * 100);

/** A K-curve's own billet against the range (stored with the curve). */
export function curveRange(readings: readonly number[], range: CarbonRange | null): NonNullable<KCurveResult['range']> {
  const r = billetOutsideRange(readings, range);
  const words: Phrase[] = range === null
    ? [phrase('fewerGuard.noRange')]
    : r.outside
      ? [phrase('fewerGuard.curveOutside', { outside: Math.round(r.outsideShare * readings.length), n: readings.length, share: pct(r.outsideShare), min: fixed(range.min, 3), max: fixed(range.max, 3) })]
      : [];
  return { trainingRange: range, outsideShare: r.outsideShare, outside: r.outside, words, english: words.map((w) => english(w)).join(' ') };
}

/**
 * The guard of one correction: from its K readings, the corrected predictions and the model's stored K-curves
 * (newest first; those on billets outside the range are no reference, and an in-sample curve gives no expected MAE;
 * the newest curve measured with the correction's own method is preferred).
 */
export function correctionGuard(args: {
  readings: readonly number[];
  corrected: readonly number[];
  offset: number;
  residualSd: number;
  range: CarbonRange | null;
  curves: readonly KCurveResult[];
  /** The correction's method: a curve measured with it is preferred as the source of the expected MAE. */
  method?: KCurveResult['method'];
  /** The billet's own leave-one-out MAE (task 20-C): tested against the source curve's own LOO at K; null/absent: not tested. */
  looMae?: number | null;
  /**
   * Whether the correction was chosen on the readings (task 21-C): then its own check is the chosen candidate's LOO,
   * and a curve of the old fixed rule (no `choice`) measured another procedure's check — not alike.
   */
  chosen?: boolean;
  /**
   * The billet being corrected (task 27-G): a curve measured on it drew its K points from these very readings and
   * scored them on the rest, the analysed ones included, so it is no expected MAE for this correction (nor a
   * reference of another billet's level shift); absent: no curve is taken for this billet's own.
   */
  billetId?: number;
}): CurveGuard {
  const inRange = args.curves.filter((c) => c.range !== undefined && !c.range.outside && c.floor?.offset !== undefined);
  const known = inRange.filter((c) => c.billetId !== args.billetId);
  const k = args.readings.length;
  // an expected MAE comes only from a curve on points the model did not train on: held-out or out-of-sample to it
  // (an in-sample curve, or one whose sample is unknown — a deleted ancestor — gives none)
  const independent = (c: KCurveResult) => (c.sample === 'held-out' || c.sample === 'out-of-sample') && c.rows.some((r) => r.k <= k);
  const pick = (cs: readonly KCurveResult[]) => cs.find((c) => c.method === args.method && c.choice !== undefined) ?? cs.find((c) => c.method === args.method) ?? cs[0];
  const usable = known.filter(independent);
  // a curve that measured the workflow's choice (task 21-C) before one of the rule-based correction it replaced
  const source = pick(usable);
  // the curve that would have been taken were it not measured on this billet itself: said, so the lab knows why it is not
  const ownBillet = pick(inRange.filter(independent));
  const skippedOwn = ownBillet && ownBillet.billetId === args.billetId ? ownBillet : null;
  const row = source ? [...source.rows].filter((r) => r.k <= k).sort((x, y) => y.k - x.k)[0] : null;
  const expected = source && row ? { k: row.k, mae: row.mae, curveId: source.id, billetId: source.billetId, sample: source.sample } : null;
  // the third sign's reference (task 20-C): what the same check showed on the source curve's billet, at the largest K ≤ this K
  // like with like only: the source curve measured with this correction's method on proposed points (a curve of another
  // method, or of random points, shows another check's spread); a spread of 0 would flag almost any billet
  const ruleCurve = !!source && args.chosen === true && source.choice === undefined;
  const alike = !!source && source.method === args.method && source.selection === 'proposed' && !ruleCurve;
  const looRow = alike && args.looMae != null ? [...source!.rows].filter((r) => r.k <= k && r.looMae !== undefined && r.looMaeSd !== undefined && r.looMaeSd > 0 && r.draws >= OWN_CHECK_MIN_DRAWS).sort((x, y) => y.k - x.k)[0] : undefined;
  const ownRef = source && looRow ? { k: looRow.k, looMae: looRow.looMae!, looMaeSd: looRow.looMaeSd!, draws: looRow.draws, curveId: source.id, billetId: source.billetId } : null;
  const a = curveApplicability({
    readings: args.readings, corrected: args.corrected, trainingRange: args.range, offset: args.offset, residualSd: args.residualSd, referenceShifts: known.map((c) => c.floor!.offset!),
    ownCheck: ownRef ? { looMae: args.looMae!, referenceMae: ownRef.looMae, referenceSd: ownRef.looMaeSd } : null,
  });
  // Without a training range nothing says the curves' billets and this one are alike: no expected MAE is handed on.
  const applies = a.applies && a.trainingRange !== null;
  const words: Phrase[] = [];
  if (applies) {
    words.push(expected
      ? phrase('fewerGuard.applies', { k: expected.k, mae: fixed(expected.mae, 4), curve: expected.curveId, billet: expected.billetId, sample: samplePhrase(expected.sample) })
      : phrase('fewerGuard.appliesNoCurve'));
  } else if (a.trainingRange === null) {
    words.push(phrase('fewerGuard.notApplyNoRange'));
  } else {
    // the lead names what tripped the guard: the range, else the level shift, else the billet's own check
    words.push(a.outsideRange ? phrase('fewerGuard.notApply') : a.levelShift ? phrase('fewerGuard.notApplyShift') : phrase('fewerCheck.notApply'));
  }
  if (skippedOwn) words.push(phrase('fewerGuard.ownBillet', { curve: skippedOwn.id, k }));
  if (a.trainingRange !== null) words.push(phrase('fewerGuard.outside', { outside: a.analysedOutside, k, share: pct(a.outsideShare), min: fixed(a.trainingRange.min, 3), max: fixed(a.trainingRange.max, 3), corrected: pct(a.correctedOutsideShare) }));
  if (a.levelShift) {
    words.push(a.referenceBillets
      ? phrase('fewerGuard.shift', { offset: fixed(a.offset, 4), reference: fixed(a.referenceShift, 4), billets: a.referenceBillets, limit: fixed(a.offsetLimit, 4) })
      : phrase('fewerGuard.shiftNoCurve', { offset: fixed(a.offset, 4), limit: fixed(a.offsetLimit, 4) }));
  }
  if (a.ownCheckHigh && ownRef) {
    words.push(phrase('fewerCheck.high', { mae: fixed(args.looMae!, 4), k: ownRef.k, reference: fixed(ownRef.looMae, 4), sd: fixed(ownRef.looMaeSd, 4), draws: ownRef.draws, curve: ownRef.curveId, billet: ownRef.billetId, limit: fixed(a.ownCheckLimit!, 4), z: fixed(OWN_CHECK_Z, 2) }));
  } else if (source && args.looMae != null && !ownRef && a.trainingRange !== null) {
    // not tested: say why (another method or random points; a curve from before the LOO was recorded; too few draws for
    // its spread; no row at or below this K with a spread)
    const below = source.rows.filter((r) => r.k <= k && r.looMae !== undefined);
    if (ruleCurve) words.push(phrase('fewerChoice.curveRule', { curve: source.id }));
    else if (!alike) words.push(phrase('fewerCheck.otherMethod', { curve: source.id }));
    else if (!source.rows.some((r) => r.looMae !== undefined)) words.push(phrase('fewerCheck.notTested', { curve: source.id }));
    else if (below.length && below.every((r) => r.draws < OWN_CHECK_MIN_DRAWS)) words.push(phrase('fewerCheck.fewDraws', { curve: source.id, draws: below[0].draws, min: OWN_CHECK_MIN_DRAWS }));
    else words.push(phrase('fewerCheck.noRow', { curve: source.id, k }));
  }
  // the advice: for a billet outside the model's knowledge (range, shift) train on the grade; for one only its own check flags, analyse more
  if (!applies && a.trainingRange !== null) words.push(a.outsideRange || a.levelShift ? phrase('fewerGuard.advice') : phrase('fewerCheck.advice'));
  const { trainingRange, analysed, analysedOutside, outsideShare, correctedOutsideShare, offset, referenceShift, referenceBillets, offsetLimit } = a;
  return {
    applies, outsideRange: a.outsideRange, levelShift: a.levelShift, trainingRange, analysed, analysedOutside, outsideShare, correctedOutsideShare,
    offset, referenceShift, referenceBillets, offsetLimit,
    ownCheckHigh: a.ownCheckHigh, ownCheckReference: ownRef ? { ...ownRef, limit: a.ownCheckLimit! } : null,
    // a figure that does not apply is not handed on, not even in the JSON: no confident wrong number
    expected: applies ? expected : null, words, english: words.map((w) => english(w)).join(' '),
  };
}
