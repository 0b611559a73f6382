import { describe, expect, it } from 'vitest';
import type { Database } from 'better-sqlite3';
import { leaveOneOut, pureNugget, choiceLooRatioSpread, type PlacedPair, type ResidualVariogram } from '../../../core/segregation/fewer-points/index.js';
import { createRng } from '../../../core/runtime/random.js';
import { correctPlan } from '../../../core/services/fewer-points/correct-plan.js';
import { correctionGuard, curveRange } from '../../../core/services/fewer-points/curve-guard.js';
import { ownCheck } from '../../../core/services/fewer-points/own-check.js';
import { correctionWords, noteEnglish } from '../../../core/services/shared/map-notes.js';
import { correctionReport } from '../../../core/cli/commands/fewer-points.js';
import { reportPhraser } from '../../../core/report/report-i18n.js';
import type { StoredPlan } from '../../../core/store/repos/point-plans-repo.js';
import type { SamplingPoint } from '../../../core/api/methods/segregation.js';
import type { KCurveResult } from '../../../core/api/methods/fewer-points.js';

/**
 * Task 21-C2: the words of a correction CHOSEN on the readings (task 21-C) say what was done. "None + kriging" is not
 * uncorrected (its residuals are kriged); a chosen slope has no "from 8 points and when significant"; the own check of
 * a choice is not "slightly pessimistic"; and it is not compared with a K-curve of the old fixed rule.
 */
const WIDE = { min: 0.3, max: 0.6 };
const PRIOR = 0.006;

/** 12 points on a disc; readings = prediction + a smooth field about 0 (no level to fix) + noise 0.0005 (seed 5). */
function fieldBillet(): (PlacedPair & { label: string })[] {
  const rng = createRng(5);
  return Array.from({ length: 12 }, (_, i) => {
    const a = (i / 12) * 2 * Math.PI * 5, r = 30 + 240 * Math.sqrt((i + 0.5) / 12);
    const x = r * Math.cos(a), y = r * Math.sin(a);
    const predicted = 0.4 + 0.1 * rng.next();
    return { label: `P${i + 1}`, xMm: x, yMm: y, predicted, reading: predicted + 0.012 * Math.sin(x / 70) + 0.0005 * rng.normal() };
  });
}
const VG: ResidualVariogram = { ...pureNugget(1, 'test residuals'), structuredShare: 0.9, lengthScaleMm: 120 };

/** A plan over the points (all analysed), without a model (so no stored map: the database is never touched). */
function planOf(pts: readonly (PlacedPair & { label: string })[]): { plan: StoredPlan; readings: SamplingPoint[] } {
  const plan: StoredPlan = {
    id: 3, billetId: 2, modelId: null, modelName: 'm', k: pts.length, seed: 1, widthSource: 'given', widthWeight: 0, labels: pts.map((p) => p.label),
    predictions: pts.map((p) => ({ label: p.label, xMm: p.xMm, yMm: p.yMm, predicted: p.predicted, sd: 0, width: 0 })), priorSd: PRIOR, sample: 'out-of-sample', correction: null, correctedAt: null, createdAt: '2026-11-30T00:00:00Z',
  };
  return { plan, readings: pts.map((p) => ({ label: p.label, meanWtPct: p.reading }) as unknown as SamplingPoint) };
}
const NO_DB = {} as Database;

describe('none + kriging is said as kriged, not as uncorrected', () => {
  it('the view data, the CLI, the own check and the map note all say residual kriging without a level', () => {
    const { plan, readings } = planOf(fieldBillet());
    const c = correctPlan(NO_DB, plan, readings, 0.9, 'residual-kriging', VG, { range: WIDE, curves: [] });
    expect(c.choice!.chosenName).toBe('none+kriging');
    expect(c.correction).toMatchObject({ kind: 'none', method: 'residual-kriging' });
    // the residuals are kriged: the analysed points are moved (not "the model's predictions stand")
    const moved = c.points.filter((p) => Math.abs(p.corrected - p.predicted) > 1e-4);
    expect(moved.length).toBeGreaterThan(6);
    // map note (its English is intervalMethod): kriging without a level, its interval with no SE; not the level's words
    expect(c.correction.intervalMethod).toContain('Residual kriging without a level: no level or slope was applied');
    expect(c.correction.intervalMethod).toContain('t(df) · √(nugget + kriging variance), scaled by s');
    expect(c.correction.intervalMethod).not.toContain('Regression-kriging: the trend (level');
    // own check: the refits krig the K − 1 residuals, so it is the chosen candidate's figure, not "nothing was fitted"
    expect(c.ownCheck!.words.map((w) => w.code)).toContain('fewerChoice.ownChosen');
    expect(c.ownCheck!.english).not.toContain('Nothing was fitted');
    const cli = correctionReport(c);
    expect(cli).toContain("no level or slope applied; the analysed points' residuals about the model's predictions are kriged");
    expect(cli).not.toContain('no correction applied');
    expect(cli).toContain('residual kriging: covariance shape from the test residuals');
  });

  it("the kriging's interval words come as the phrases its English is made of (the panel says them in Italian and Chinese); the trend alone keeps its one phrase", () => {
    const { plan, readings } = planOf(fieldBillet());
    const c = correctPlan(NO_DB, plan, readings, 0.9, 'residual-kriging', VG, { range: WIDE, curves: [] });
    const ps = c.correction.intervalMethodPhrases!;
    expect(ps.map((p) => p.code)).toContain('fewerChoice.note.noneKriging');
    expect(noteEnglish(ps).replace(/\.$/, '')).toBe(c.correction.intervalMethod);
    expect(c.correction.intervalMethodPhrase).toBeUndefined();
    const it_ = ps.map((p) => reportPhraser('it')(p)).join(' ');
    expect(it_).not.toContain('Residual kriging');
    const trend = correctPlan(NO_DB, plan, readings, 0.9, 'level-slope', VG, { range: WIDE, curves: [] });
    expect(trend.correction.intervalMethodPhrases).toBeUndefined();
    expect(trend.correction.intervalMethodPhrase).toBeDefined();
  });

  it('the uncorrected model (none without kriging) keeps its own words', () => {
    const { plan, readings } = planOf(fieldBillet());
    const c = correctPlan(NO_DB, plan, readings, 0.9, 'level-slope', VG, { range: WIDE, curves: [] });
    expect(c.choice!.chosenName).toBe('none');
    expect(c.points.every((p) => p.corrected === p.predicted)).toBe(true);
    expect(c.ownCheck!.words.map((w) => w.code)).toContain('fewerChoice.ownNone');
    expect(correctionReport(c)).toContain("no correction applied: the model's predictions stand");
    expect(noteEnglish(correctionWords('level-slope', VG, 'none'))).toMatch(/^Interval for a reading: t\(df\) · s,/);
  });
});

describe('a chosen correction is not worded by the fixed rule', () => {
  it('a chosen slope or level: no "from 8 points and when significant" in the note; the rule keeps it', () => {
    // a clear slope on 6 readings (the rule would not even consider one below 8)
    const pts = fieldBillet().slice(0, 6).map((p) => ({ ...p, reading: 0.45 + 1.8 * (p.predicted - 0.45) + 0.0003 * Math.sin(p.xMm) }));
    const { plan, readings } = planOf(pts);
    const c = correctPlan(NO_DB, plan, readings, 0.9, 'level-slope', VG, { range: WIDE, curves: [] });
    expect(c.correction.kind).toBe('level+slope');
    expect(c.correction.intervalMethod).not.toContain('from 8 points');
    expect(c.correction.intervalMethod).toContain('a slope is a candidate from 4 readings on, with no significance test');
    for (const chosen of ['level', 'level+slope', 'none'] as const) {
      for (const method of ['level-slope', 'residual-kriging'] as const) expect(noteEnglish(correctionWords(method, VG, chosen))).not.toContain('from 8 points');
    }
    expect(noteEnglish(correctionWords('level-slope', VG))).toContain('from 8 points and when significant');
    expect(noteEnglish(correctionWords('residual-kriging', VG))).toContain('from 8 points and when significant');
  });

  it('the own check of a chosen level says it is the figure the choice was made on, with the spread measured with the choice', () => {
    const pts = fieldBillet().slice(0, 8).map((p, i) => ({ ...p, reading: p.predicted - 0.02 + 0.003 * Math.cos(i * 2.1) }));
    const loo = leaveOneOut(pts, pureNugget(1, 'x'), { priorSd: PRIOR, trend: 'level' }, 0.9)!;
    const guard = correctionGuard({ readings: pts.map((p) => p.reading), corrected: [], offset: -0.02, residualSd: 0.003, range: null, curves: [], method: 'level-slope', looMae: loo.mae, chosen: true });
    const own = ownCheck({ loo, labels: pts.map((p) => p.label), level: 0.9, guard, curves: [], chosen: { trend: 'level', kriging: false } });
    expect(own.words.map((w) => w.code)).toEqual(['fewerCheck.loo', 'fewerCheck.coverage', 'fewerChoice.ownChosen']);
    expect(own.english).not.toContain('pessimistic');
    const s = choiceLooRatioSpread(8);
    expect(s).toMatchObject({ k: 8, low: 0.52, high: 1.74 });
    expect(own.english).toContain('the very figure the correction was chosen on (if anything optimistic by that choice)');
    expect(own.english).toContain('at K = 8, with the correction chosen as here, its ratio to the MAE on the points that were not analysed averaged 1.04 and 1.02 (two seeds), one billet\'s ratio lying between 0.52 and 1.74 (5–95 %)');
  });
});

describe('the own check of a choice is not compared with a K-curve of the old fixed rule', () => {
  const RANGE = { min: 0.388, max: 0.492 };
  const readings = [0.405, 0.414, 0.431, 0.402];
  const curve = (over: Partial<KCurveResult> = {}): KCurveResult => ({
    id: 7, billetId: 5, modelId: 1, modelName: 'm', seed: 1, draws: 20, selection: 'proposed', method: 'level-slope', level: 0.9, points: 85, sample: 'out-of-sample',
    rows: [0, 2, 4].map((k) => ({ k, draws: k ? 20 : 1, mae: 0.009 - k * 0.0002, maeSd: 0, maeMin: 0, maeMax: 0, uncorrectedMae: 0.009, coverage: 0.9, meanHalfWidth: 0.01, slopeShare: 0, ...(k >= 2 ? { looMae: 0.0075, looMaeSd: 0.0012 } : {}) })),
    floor: { points: 85, level: 0.007, levelSlope: 0.007, offset: -0.012 },
    range: curveRange(readings, RANGE),
    createdAt: '2026-11-30T00:00:00Z',
    ...over,
  });
  const guardOf = (c: KCurveResult, chosen: boolean) =>
    correctionGuard({ readings, corrected: readings, offset: -0.014, residualSd: 0.006, range: RANGE, curves: [c], method: 'level-slope', looMae: 0.05, chosen });

  it('a choice against a rule curve: not compared, and it says the curve measured the old rule', () => {
    const g = guardOf(curve(), true);
    // a LOO of 0.05 far above the rule curve's 0.0075 ± 0.0012 would trip the third sign if it were compared
    expect(g).toMatchObject({ ownCheckHigh: false, ownCheckReference: null });
    expect(g.words.map((w) => w.code)).toContain('fewerChoice.curveRule');
    expect(g.words.map((w) => w.code)).not.toContain('fewerCheck.otherMethod');
    expect(g.english).toContain('K-curve 7 measured the old fixed rule');
    expect(g.english).toContain('Measure the K-curve again');
  });

  it('…compared against a curve that measured the choice, and a rule correction against a rule curve', () => {
    const chosenCurve = guardOf(curve({ choice: 'loo-simplest-within-se' }), true);
    expect(chosenCurve).toMatchObject({ ownCheckHigh: true, applies: false });
    expect(chosenCurve.ownCheckReference).toMatchObject({ k: 4, looMae: 0.0075, curveId: 7 });
    const rule = guardOf(curve(), false);
    expect(rule.ownCheckHigh).toBe(true);
    expect(rule.words.map((w) => w.code)).not.toContain('fewerChoice.curveRule');
  });
});
