import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baseModelFixture, loadVariant } from '../../helpers/base-model-fixture.js';
import { runCli } from '../../helpers/cli.js';
import type { Correction, KCurveResult, PointPlan } from '../../../core/api/methods/fewer-points.js';
import { choiceSeMultiple } from '../../../core/segregation/fewer-points/index.js';

/**
 * "Measure fewer points" end to end (issue 11 §6): a model trained on a synthetic BASE billet is applied to
 * the low-carbon and the stirring variants; 8 points are proposed, their (synthetic analyser) readings correct
 * the model, and the corrected predictions are scored on the 77 points that were not analysed.
 */
const TIMEOUT = 30 * 60_000;
const VARIANTS = { 'low-carbon': 11, stirring: 13 } as const;

let fx: Awaited<ReturnType<typeof baseModelFixture>>;
const billets: Record<string, number> = {};

beforeAll(async () => {
  fx = await baseModelFixture();
  for (const [variant, seed] of Object.entries(VARIANTS)) billets[variant] = await loadVariant(fx.ctx, variant as keyof typeof VARIANTS, seed);
}, TIMEOUT);

afterAll(async () => fx?.dispose());

async function propose(billetId: number, k: number, seed = 1): Promise<PointPlan> {
  const end = await fx.ctx.jobs.wait((await fx.api['fewerPoints.propose']({ modelId: fx.modelId, billetId, k, seed })).id);
  if (end.state !== 'done') throw new Error(`propose ${end.state}: ${end.error?.message}`);
  return end.result as PointPlan;
}

describe('measure fewer points on new billets (trained on a base billet)', () => {
  /**
   * Issue 11 §6's target is K = 8 → MAE ≤ 0.008 wt.% on the remaining points of both variants. Measured with
   * this test's model (see bench/fewer-points.ts for 7 billets, bench/fewer-points-methods.ts for 2 model seeds):
   * met on the stirring variant, NOT on the low-carbon one, where the model trained on the base billet also loses
   * correlation (its predictions lie outside the carbon it was trained on) and even the best level, slope or mix of
   * CNN and texture line fitted to ALL 85 readings leaves 0.0079–0.0089.
   * What the test holds the workflow to, on the curve's mean over 24 seeded draws of the 8 points (one draw moves
   * by ±0.001–0.002, the mean of 24 by ≈ 0.0003), with a stated margin over what was measured (curve seed 1, 24
   * draws, 2026-11-30, today's training kernels: Winograd and the exact product, task 20-A). Since task 21-C the
   * correction is CHOSEN on the 8 readings (core/segregation/fewer-points/choose.ts: none, level, level + slope, each ±
   * kriging, by leave-one-out, the simplest within 2 SE of the best; no "none" when the readings leave the training
   * range), and the curve measures that whole procedure. Rule-based correction → chosen:
   *   stirring 13: K = 8 0.0079 ± 0.0010 → 0.0074 ± 0.0002 against 0.0074 uncorrected (the blend is nearly unbiased
   *     there: the rule's level and slope only added their noise, × 1.07; the choice keeps the model on all 24 draws,
   *     × 1.000): ≤ 0.0077 (the 0.008 with a margin of 0.0003 now, not 0.0001) and ≤ 1.03 × uncorrected;
   *   low-carbon 11: K = 8 0.0103 ± 0.0010 → 0.0106 ± 0.0012 against 0.0119 uncorrected (× 0.87 → × 0.89: on 7 of 24
   *     draws the readings lie inside the training range and the uncorrected model is kept; level on 16, slope on 1):
   *     ≤ 0.0110 (margin 0.0004) and ≤ 0.92 × uncorrected (margin 0.03). A correction that did nothing would read 1.0.
   * The single proposed plan (seed 1) is one draw (measured 0.0077 stirring, none chosen, = uncorrected; 0.0094
   * low-carbon, level): it is held to the curve's mean plus two draws' sd.
   */
  it.each([
    ['stirring', 0.0077, 1.03],
    ['low-carbon', 0.011, 0.92],
  ] as const)('%s: propose 8 points, correct with their readings; held-out MAE of the other 77 ≤ %s wt.% and ≤ %s × uncorrected', async (variant, maxMae, maxRatio) => {
    const billetId = billets[variant];
    const plan = await propose(billetId, 8);
    expect(plan.labels).toHaveLength(8);
    expect(new Set(plan.labels).size).toBe(8);
    expect(plan.seed).toBe(1);
    expect(plan.sample).toBe('out-of-sample');
    expect(plan.measured).toBe(8); // the demo billet has a reading at every point
    // Weighted by the model's calibrated (split-conformal) half-widths — one width for every point with the default method.
    expect(plan.widthSource).toBe('calibrated-interval');
    expect(plan.widthWeight).toBe(1);
    const widths = new Set(plan.points.map((p) => p.width));
    expect(widths.size).toBe(1);
    expect([...widths][0]).toBeGreaterThan(0);
    const c = await fx.api['fewerPoints.correct']({ billetId, modelId: fx.modelId });
    expect(c.planId).toBe(plan.id);
    expect(c.correction.k).toBe(8);
    expect(c.missing).toEqual([]);
    expect(c.points.filter((p) => p.analysed).map((p) => p.label).sort()).toEqual([...plan.labels].sort());
    const check = c.check!;
    expect(check.n).toBe(77);
    // The check is what it says: MAE of the corrected values over the points not analysed.
    const rest = c.points.filter((p) => !p.analysed);
    expect(check.mae).toBeCloseTo(rest.reduce((a, p) => a + Math.abs(p.corrected - p.reading!), 0) / rest.length, 12);
    const [stored] = await fx.api['fewerPoints.plans']({ billetId });
    expect(stored.id).toBe(plan.id);
    expect(stored.correctedAt).not.toBeNull();
    // Task 19-C: the K-curves' expected MAE is measured on billets the model knows. The low-carbon billet's readings
    // lie below the base billet's training range (0.388–0.492 wt.%): its K readings say so, with the numbers; the
    // stirring billet's do not (bench/fewer-points-guard.ts: flagged on 70–100 % of K = 8 proposals on low-carbon
    // billets, 0–5 % on stirring and base ones).
    const g = c.guard!;
    expect(g.trainingRange!.min).toBeGreaterThan(0.38);
    expect(g.analysed).toBe(8);
    expect(g.analysedOutside).toBe(c.points.filter((p) => p.analysed && (p.reading! < g.trainingRange!.min || p.reading! > g.trainingRange!.max)).length);
    expect(g.offset).toBeCloseTo(c.correction.offset, 12);
    if (variant === 'low-carbon') {
      expect(g).toMatchObject({ applies: false, outsideRange: true, expected: null });
      expect(g.analysedOutside).toBeGreaterThanOrEqual(3);
      expect(g.words[0].code).toBe('fewerGuard.notApply');
      expect(g.english).toContain(`${g.analysedOutside} of 8 analysed readings`);
    } else {
      expect(g).toMatchObject({ applies: true, outsideRange: false, levelShift: false });
      expect(g.analysedOutside).toBeLessThanOrEqual(2);
    }

    // Task 20-C: the billet's own check — each of the 8 analysed readings predicted by the correction refitted on the other 7
    const own = c.ownCheck!;
    expect(own).toMatchObject({ n: 8, fitPoints: 7, level: 0.9 });
    expect(own.points.map((p) => p.label).sort()).toEqual([...plan.labels].sort());
    expect(own.mae).toBeCloseTo(own.points.reduce((a, p) => a + Math.abs(p.error), 0) / 8, 12);
    for (const p of own.points) expect(p.reading).toBe(c.points.find((q) => q.label === p.label)!.reading);
    // held-out: not the in-sample residuals of the correction made with all 8 (a fit pulls those towards the readings);
    // with no correction nothing was fitted, and the model's error at the readings is out-of-sample as it stands (none with
    // kriging is not "no correction": its residuals are kriged, task 21-C2)
    const inSample = c.points.filter((p) => p.analysed).reduce((a, p) => a + Math.abs(p.corrected - p.reading!), 0) / 8;
    if (c.correction.kind === 'none' && c.correction.method === 'level-slope') {
      expect(own.mae!).toBeCloseTo(inSample, 12);
      expect(own.words.map((w) => w.code)).toContain('fewerChoice.ownNone'); // and not called pessimistic
    } else expect(own.mae!).toBeGreaterThan(inSample);
    // Task 21-C: the correction was chosen on the 8 readings, and the own check is the chosen candidate's figure
    const ch = c.choice!;
    expect(ch).toMatchObject({ rule: 'loo-simplest-within-se', seMultiple: choiceSeMultiple(8), k: 8 });
    expect(ch.candidates.map((x) => x.name)).toEqual(['none', 'none+kriging', 'level', 'level+kriging', 'level+slope', 'level+slope+kriging']);
    const picked = ch.candidates[ch.chosen];
    expect(ch.chosenName).toBe(picked.name);
    expect(c.correction.kind).toBe(picked.trend);
    expect(c.correction.method).toBe(picked.kriging ? 'residual-kriging' : 'level-slope');
    expect(picked.looMae).toBeCloseTo(own.mae!, 12);
    expect(picked.excess).toBeLessThanOrEqual(ch.seMultiple * picked.excessSe + 1e-12);
    // none of the simpler allowed candidates was within the multiple (t quantile, 2.36 at K = 8) of SE of the best
    for (const x of ch.candidates.slice(0, ch.chosen)) if (x.allowed) expect(x.excess).toBeGreaterThan(ch.seMultiple * x.excessSe);
    expect(ch.outsideRange).toBe(variant === 'low-carbon');
    expect(ch.candidates.filter((x) => !x.allowed).length).toBe(variant === 'low-carbon' ? 2 : 0);
    expect(ch.english).toContain(`Correction chosen on this billet's own 8 readings:`);
    // a billet the base-trained model never saw: its readings are out-of-sample to it, and the check says so (task 27-G)
    expect(own.english).toContain(`This billet's own check: MAE ${own.mae!.toFixed(4)} wt.% on this billet's own readings, each left out of the correction in turn (leave-one-out, K−1 points); to the model these readings are out-of-sample: a section image the model never trained on.`);

    const end = await fx.ctx.jobs.wait((await fx.api['fewerPoints.curve']({ modelId: fx.modelId, billetId, ks: [0, 8], draws: 24, seed: 1 })).id);
    const curve = end.result as KCurveResult;
    const [k0, k8] = curve.rows;
    console.log(`${variant} seed ${VARIANTS[variant]}: plan seed 1 K=8 MAE ${check.mae.toFixed(4)} (uncorrected ${check.uncorrectedMae.toFixed(4)}, coverage ${check.coverage.toFixed(2)}, ${ch.chosenName}); curve K=8 over 24 draws ${k8.mae.toFixed(5)} ± ${k8.maeSd.toFixed(4)} vs K=0 ${k0.mae.toFixed(5)} (× ${(k8.mae / k8.uncorrectedMae).toFixed(3)} of uncorrected ${k8.uncorrectedMae.toFixed(5)}), coverage ${k8.coverage.toFixed(3)}, chosen ${JSON.stringify(k8.chosen)}`);
    expect(curve.choice).toBe('loo-simplest-within-se');
    expect(k8.mae).toBeLessThanOrEqual(maxMae);
    expect(k8.mae).toBeLessThanOrEqual(maxRatio * k8.uncorrectedMae);
    // the 90 % intervals' coverage over the draws (issue 11 §3: 85–95 %; measured 0.90 and 0.86), margin 0.05 below
    expect(k8.coverage).toBeGreaterThan(0.8);
    expect(k8.coverage).toBeLessThan(0.97);
    expect(check.mae).toBeLessThanOrEqual(k8.mae + 2 * k8.maeSd);
    // the curve's own billet against the range, stored with it; a curve on a billet inside the range is then the
    // reference of a correction's expected MAE (the low-carbon curve is not)
    expect(curve.range!.outside).toBe(variant === 'low-carbon');
    // the level shift the billet needed (all 85 readings; the predictions are the plan's, made by the same model)
    expect(curve.floor!.offset).toBeCloseTo(c.points.reduce((a, p) => a + p.reading! - p.predicted, 0) / c.points.length, 6);
    // corrected again on the very billet the curve was measured on, with all its readings (the 8 analysed included):
    // the curve is no expected MAE for it nor the reference of its own check, and the guard says why (task 27-G)
    const again = await fx.api['fewerPoints.correct']({ billetId, modelId: fx.modelId });
    expect(again.guard!.expected).toBeNull();
    if (variant === 'stirring') {
      expect(again.guard!.ownCheckReference).toBeNull();
      expect(again.guard!.words.map((w) => w.code)).toContain('fewerGuard.ownBillet');
      expect(again.guard!.english).toContain(`K-curve ${curve.id} was measured on this billet itself, with all its readings, the 8 analysed here included`);
      expect(again.ownCheck!.mae).toBeCloseTo(own.mae!, 12);
    } else expect(again.guard!.applies).toBe(false);
    // the curve records the same check per K over its draws: the third sign's reference for other billets
    expect(k8.looMae).toBeGreaterThan(0);
    expect(k8.looMaeSd).toBeGreaterThan(0);
  }, TIMEOUT);

  /**
   * Issue 11 §6, the corrected map: the low-carbon billet's predicted map (model trained on the base billet,
   * biased by ≈ −0.015 wt.%) corrected with 8 analysed readings is stored with the map as two layers, labelled
   * with its readings, K and method, and is closer to the generator's true field than the map as predicted.
   */
  it('the corrected map: stored with the predicted map, labelled, closer to the true field than the uncorrected map', async () => {
    const billetId = billets['low-carbon'];
    // the default lattice (16.8 mm on this 600 mm billet, ≈ 940 patches): on a 30 mm lattice the smoothing itself
    // was worse than the raw mosaic (MAE against the true field 0.0190 against 0.0158)
    const end = await fx.ctx.jobs.wait((await fx.api['maps.predict']({ billetId, modelId: fx.modelId })).id);
    expect(end.state).toBe('done');
    const predictionId = (end.result as { predictionId: number }).predictionId;
    await expect(fx.api['maps.render']({ billetId, layer: 'corrected', predictionId, settings: {} })).rejects.toMatchObject({ code: 'failed_precondition', message: expect.stringContaining('not been corrected') });
    const pages = async () => {
      const r = await fx.api['maps.report']({ billetId, predictionId, paper: 'A4', settings: {} });
      return (readFileSync(join(fx.dataDir, r.path), 'latin1').match(/\/Type \/Page\b/g) ?? []).length;
    };
    const pagesBefore = await pages();
    const plan = await propose(billetId, 8, 1);
    const c = await fx.api['fewerPoints.correct']({ billetId, planId: plan.id });
    // kriging was offered (the default method): the chosen correction says whether it krigs (measured: level, no kriging)
    const krigs = c.choice!.candidates[c.choice!.chosen].kriging;
    expect(c.correction.method).toBe(krigs ? 'residual-kriging' : 'level-slope');
    if (krigs) expect(c.correction.variogram!.pairs).toBeGreaterThan(100); // fitted to the model's held-out residuals on its training billet
    else expect(c.correction.variogram).toBeNull();
    expect(c.correction.kind).not.toBe('none'); // outside the training range the uncorrected model is no candidate
    expect(c.map!.predictionId).toBe(predictionId);
    expect(c.map!.field).toBe('smoothed');
    const info = (await fx.api['maps.predictions']({ billetId })).find((p) => p.id === predictionId)!;
    expect(info.corrected).toMatchObject({ planId: plan.id, k: 8, method: c.correction.method, field: 'smoothed', level: 0.9 });
    expect([...info.corrected!.labels].sort()).toEqual([...plan.labels].sort());

    const predicted = await fx.api['maps.render']({ billetId, layer: 'predicted', predictionId, settings: { widthPx: 400 } });
    const corrected = await fx.api['maps.render']({ billetId, layer: 'corrected', predictionId, settings: { widthPx: 400 } });
    expect(corrected.method).toContain('K = 8 analysed points');
    expect(corrected.method).toContain(plan.labels[0]);
    expect(corrected.method).toContain(krigs ? 'Regression-kriging' : 'Trend only');
    // the layer's note (the PDF's corrected pages) says which correction was chosen and on which figures (task 21-C)
    expect(corrected.method).toContain(c.choice!.english);
    // the layer's note (what the PDF's corrected pages print) says the K-curves' expected MAE does not apply here (task 19-C)
    expect(c.guard!.applies).toBe(false);
    expect(corrected.method).toContain(c.guard!.english);
    expect(corrected.method).toContain('does not apply to this billet');
    // …and the billet's own leave-one-out check (task 20-C)
    expect(corrected.method).toContain(c.ownCheck!.english);
    const before = predicted.truthError!;
    const after = corrected.truthError!;
    expect(after.cells).toBe(before.cells);
    // Measured with this fixture (plan seed 1): MAE against the true field 0.0121 → 0.0092 wt.% (−0.0029, × 0.76;
    // with the direct training kernels' model, before task 20-A: 0.0120 → 0.0080; before the texture blend, whose
    // model is less biased on this billet: 0.0161 → 0.0107). Held to −0.002 and × 0.85.
    expect(after.maeWtPct).toBeLessThan(before.maeWtPct - 0.002);
    expect(after.maeWtPct).toBeLessThan(0.85 * before.maeWtPct);
    const hw = await fx.api['maps.render']({ billetId, layer: 'corrected-uncertainty', predictionId, settings: { widthPx: 400 } });
    expect(hw.unit).toContain('of the corrected map');
    const widths = hw.grid.values.filter((v): v is number => v !== null);
    expect(widths.length).toBe(after.cells);
    expect(Math.min(...widths)).toBeGreaterThan(0);
    console.log(`corrected map of low-carbon ${VARIANTS['low-carbon']}: MAE vs truth ${before.maeWtPct.toFixed(4)} → ${after.maeWtPct.toFixed(4)} wt.% (RMSE ${before.rmseWtPct.toFixed(4)} → ${after.rmseWtPct.toFixed(4)}), ${after.cells} cells, mean ±${(widths.reduce((a, b) => a + b, 0) / widths.length).toFixed(4)}`);
    const csv = await fx.api['maps.exportCsv']({ billetId, layer: 'corrected', predictionId, settings: {} });
    expect(csv.fileName).toContain('-corrected-k8-grid.csv');
    // the PDF of the corrected map's prediction carries its corrected and corrected-uncertainty pages
    expect(await pages()).toBeGreaterThanOrEqual(pagesBefore + 2);
  }, TIMEOUT);

  it('the held-out curve: MAE per K over seeded draws, stored, K = 0 being the model as it is', async () => {
    const billetId = billets['low-carbon'];
    const end = await fx.ctx.jobs.wait((await fx.api['fewerPoints.curve']({ modelId: fx.modelId, billetId, ks: [0, 2, 8], draws: 4, seed: 5 })).id);
    expect(end.state).toBe('done');
    const curve = end.result as KCurveResult;
    expect(curve.rows.map((r) => r.k)).toEqual([0, 2, 8]);
    expect(curve.rows[0].mae).toBeCloseTo(curve.rows[0].uncorrectedMae, 12);
    expect(curve.rows[2].draws).toBe(4);
    expect(curve.rows[2].mae).toBeLessThan(curve.rows[0].mae);
    expect(curve.sample).toBe('out-of-sample');
    expect(curve.seed).toBe(5);
    const stored = await fx.api['fewerPoints.curves']({ modelId: fx.modelId });
    expect(stored[0].id).toBe(curve.id);
    expect(stored[0].rows).toEqual(curve.rows);
    // its floors (all 85 readings, in-sample), stored with it: on this biased billet the best level alone already
    // beats the model as it is, and no held-out K row passes the level + slope floor (measured 0.0089 / 0.0080)
    expect(stored[0].floor).toEqual(curve.floor);
    expect(curve.floor!.points).toBe(85);
    expect(curve.floor!.level).toBeLessThan(curve.rows[0].uncorrectedMae);
    for (const r of curve.rows) expect(r.mae).toBeGreaterThan(curve.floor!.levelSlope);
  }, TIMEOUT);

  it('refuses what it cannot do, naming the field; nothing is stored', async () => {
    const billetId = billets.stirring;
    await expect(fx.api['fewerPoints.propose']({ modelId: fx.modelId, billetId, k: 85 })).rejects.toMatchObject({ code: 'invalid_argument', field: 'k' });
    await expect(fx.api['fewerPoints.propose']({ modelId: fx.modelId, billetId, k: 4, widths: [1, 2, 3] })).rejects.toMatchObject({ code: 'invalid_argument', field: 'widths' });
    // A plan whose points have no readings yet cannot correct anything: it says which points to analyse.
    const plan = await propose(billetId, 3, 9);
    for (const label of plan.labels) await fx.api['readings.clear']({ billetId, label });
    const before = (await fx.api['fewerPoints.plans']({ billetId })).find((p) => p.id === plan.id)!;
    expect(before.measured).toBe(0);
    await expect(fx.api['fewerPoints.correct']({ billetId, planId: plan.id })).rejects.toMatchObject({ code: 'failed_precondition', message: expect.stringContaining(plan.labels.join(', ')) });
    expect((await fx.api['fewerPoints.plans']({ billetId })).find((p) => p.id === plan.id)!.correctedAt).toBeNull();
    // The curve needs more measured points than the largest K + 1.
    await expect(fx.api['fewerPoints.curve']({ modelId: fx.modelId, billetId, ks: [84] })).rejects.toMatchObject({ code: 'failed_precondition', field: 'ks' });
  }, TIMEOUT);

  it('CLI: propose-points, correct and k-curve print what they did; --json carries the same', async () => {
    const billetId = String(billets['low-carbon']);
    const model = String(fx.modelId);
    const p = await runCli(fx.dataDir, 'segregation', 'propose-points', '--model', model, '--billet', billetId, '--k', '6', '--seed', '3', '--json');
    expect(p.rc).toBe(0);
    const plan = JSON.parse(p.out) as PointPlan;
    expect(plan.k).toBe(6);
    expect(plan.seed).toBe(3);
    const c = await runCli(fx.dataDir, 'segregation', 'correct', '--model', model, '--billet', billetId);
    expect(c.rc).toBe(0);
    expect(c.out).toContain(`corrected with 6 analysed points of plan ${plan.id}`);
    expect(c.out).toMatch(/check on the 79 points with readings that were not used \(out-of-sample \(an image never trained on\)\): MAE 0\.0\d{3} wt\.% corrected vs 0\.0\d{3} uncorrected/);
    const j = await runCli(fx.dataDir, 'segregation', 'correct', '--model', model, '--billet', billetId, '--json');
    const corr = JSON.parse(j.out) as Correction;
    expect(corr.check!.n).toBe(79);
    // the guard is in the JSON and in the text, with its numbers (task 19-C)
    expect(corr.guard!.analysed).toBe(6);
    expect(c.out).toContain(corr.guard!.applies ? 'expected MAE: ' : 'EXPECTED MAE DOES NOT APPLY: ');
    expect(c.out).toContain(`${corr.guard!.analysedOutside} of 6 analysed readings`);
    // the billet's own check in the JSON and in the text (task 20-C)
    expect(corr.ownCheck).toMatchObject({ n: 6, fitPoints: 5 });
    expect(corr.ownCheck!.points).toHaveLength(6);
    expect(c.out).toContain(`own check (leave-one-out): This billet's own check: MAE ${corr.ownCheck!.mae!.toFixed(4)} wt.% on this billet's own readings, each left out of the correction in turn (leave-one-out, K−1 points); to the model these readings are out-of-sample: a section image the model never trained on. Each of the 6 analysed readings is predicted by the same correction refitted on the other 5.`);
    // the choice, in the JSON and in the text with every candidate's figure (task 21-C)
    expect(corr.choice!.k).toBe(6);
    expect(c.out).toContain(`correction chosen: ${corr.choice!.chosenName} (the simplest candidate within ${choiceSeMultiple(6).toFixed(2)} standard errors (the two-sided 95 % t quantile for 6 readings) of the best by leave-one-out MAE on the 6 readings`);
    for (const x of corr.choice!.candidates) expect(c.out).toContain(`   ${x.name.padEnd(22)}  ${x.looMae.toFixed(4)}`);
    expect(c.out).toContain('   ← chosen');
    const k = await runCli(fx.dataDir, 'segregation', 'k-curve', '--model', model, '--billet', billetId, '--ks', '0,4', '--draws', '2');
    expect(k.rc).toBe(0);
    expect(k.out).toContain('expected MAE against K');
    // the low-carbon billet lies outside the model's training range: its curve says it is not the expected MAE of billets the model knows
    expect(k.out).toMatch(/NOT THE EXPECTED MAE OF BILLETS THE MODEL KNOWS: This billet lies outside the model's training carbon range: \d+ of 85 readings \(\d+ %\) outside 0\.\d{3}–0\.\d{3} wt\.%/);
    expect(k.out).toMatch(/\n {3}4 {3}0\.0\d{3} ± 0\.0\d{3}/);
    // the curve's own check per K (task 20-C): none at K = 0, mean ± sd of the LOO MAE at K = 4
    expect(k.out).toContain('own check (LOO of the K readings, mean ± sd)');
    expect(k.out).toMatch(/\n {3}4 {3}0\.0\d{3} ± 0\.0\d{3} .* % {3,}0\.0\d{3} ± 0\.0\d{3} {3}chosen: [a-z+]+ \d+ %.*\n/);
    // the curve measured the whole procedure, the choice included (task 21-C)
    expect(k.out).toContain('each draw’s correction chosen on its own K readings as the workflow does');
    expect(k.out).toMatch(/Floor on this billet \(in-sample, fitted to all 85 readings\): MAE 0\.0\d{3} wt\.% with the best level, 0\.0\d{3} wt\.% with the best level and slope/);
    const bad = await runCli(fx.dataDir, 'segregation', 'propose-points', '--model', model, '--billet', billetId, '--k', '0x8');
    expect(bad.rc).toBe(2);
  }, TIMEOUT);
});
