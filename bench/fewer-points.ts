/**
 * "Measure fewer points" (issue 11 §6): the held-out curve of expected MAE against K for a model trained on a
 * synthetic BASE billet (the test's model: test/helpers/base-model-fixture.ts) applied to the low-carbon and
 * stirring variants (and another base billet), several billet seeds each. Each draw's correction is CHOSEN on its K
 * readings as the workflow does (core/segregation/fewer-points/choose.ts: none / level / level + slope, each ± residual
 * kriging, by leave-one-out MAE on the K readings, the simplest within t(0.975, K − 1) paired SE of the best; "none" no
 * candidate when the readings leave the model's training range), with the kriging candidates offered
 * (`residual-kriging`, the default) or not (`level-slope`), and the kriging with a maximin (space-filling) proposal.
 *   npx tsx bench/fewer-points.ts [--draws=20] [--seed=1] [--selection=proposed|random]
 * For each billet and K: `fewerPoints.curve` (the job the app and `ferrolab segregation k-curve` run) — K points
 * chosen as the workflow proposes them (the draw's seed picks the first), their readings correct the model,
 * MAE over the other points against their readings, mean ± sd over the draws; K = 0 is the model as it is; under
 * each row the share of draws that chose each candidate. The maximin rows call the same curve
 * (core/segregation/fewer-points) on the same predictions with design maximin.
 * Minutes: one training (cached per code version), then TTA predictions per billet.
 *
 * Measured 2026-11-30 (task 22-B, branch t22b; 2-core machine shared with five agents, 182 s with the model cached;
 * model: the texture-blended CNN on the 1000 px base billet seed 7, 229 training points, training range 0.388–0.492
 * wt.%; residual variogram 80 % structured at 32 mm; curve seed 1, 20 draws). MAE wt.% on the points NOT analysed at
 * K = 0 / 2 / 4 / 8 / 16 with the default (kriging offered), coverage of the 90 % intervals at K = 8, and the
 * candidates chosen at K = 8:
 *   low-carbon 11  0.0118 0.0122 0.0108 0.0107 0.0096  85 %   level 70 %, none 30 %
 *   low-carbon 21  0.0166 0.0165 0.0160 0.0155 0.0145  86 %   level 95 %, level+slope 5 %
 *   low-carbon 41  0.0146 0.0136 0.0135 0.0126 0.0119  90 %   level 100 %
 *   stirring 13    0.0074 0.0077 0.0080 0.0074 0.0073  90 %   none 100 %
 *   stirring 23    0.0084 0.0084 0.0087 0.0084 0.0083  91 %   none 85 %, none+kriging 10 %, level 5 %
 *   stirring 43    0.0084 0.0091 0.0084 0.0084 0.0084  91 %   none 100 %
 *   base 31        0.0070 0.0070 0.0070 0.0070 0.0070  90 %   none 100 %
 * Without the kriging candidates (`level-slope`) every figure is the same within 0.0001. Means per variant at K = 0 / 2 /
 * 4 / 8 / 16: low-carbon 0.0143 0.0141 0.0134 0.0129 0.0120, stirring 0.0081 0.0084 0.0084 0.0081 0.0080, base 0.0070 at
 * every K. The maximin proposal: low-carbon 0.0150 0.0141 0.0128 0.0121 at K = 2 / 4 / 8 / 16 (worse at K ≤ 4: low-carbon 21
 * 0.0202 at K = 2), stirring 0.0085 0.0081 0.0081 0.0080, base 0.0071 0.0071 0.0068 0.0067 — no better overall, so the
 * proposal is unchanged.
 * Reading: on the unbiased billets (stirring, base) K = 8 and 16 equal K = 0 (the choice keeps the model on 85–100 % of
 * draws; the old fixed rule cost up to +0.0005 there), at K = 2–4 a few draws still correct and cost up to 0.0007 on
 * one billet (stirring 13 at K = 4: 0.0080 ± 0.0020, 2 of 20 draws corrected; stirring 43 at K = 2: 0.0091); on the
 * low-carbon billets the level is chosen on 70–100 % of K = 8 draws and K = 8 gives × 0.91, 0.93, 0.86 of K = 0. The
 * ≤ 0.008 target at K = 8 is met on stirring 13 and base 31, not on stirring 23/43 (0.0084) nor any low-carbon billet
 * (0.0107–0.0155): what remains is the model's own point-wise error (bench/fewer-points-diagnosis.ts; floors in
 * bench/fewer-points-methods.ts), which a model trained across the grade removes (bench/fewer-points-seeds.ts).
 *
 * Before (2026-11-29/30, commit 04a3204: the fixed rule — level shrunk by James–Stein, slope from K = 8 when
 * significant — the same settings on the model trained with that day's kernels, K = 0 0.0117 0.0166 0.0145 0.0071 0.0083
 * 0.0084 0.0068; tables in the history of this file): K = 8 low-carbon 11 0.0095, 21 0.0147, 41 0.0126; stirring 13
 * 0.0074, 23 0.0085, 43 0.0089; base 31 0.0071. The rule and the choice on today's model, same proposals:
 * bench/fewer-points-methods.ts --part=choice (low-carbon 11 0.0103 against 0.0106: most of the difference above is the
 * model). The residual kriging added nothing to the level/slope correction (the new billets' residuals show no spatial
 * correlation at lags ≥ 40 mm), and the texture blend lowered K = 0 by 10–35 %.
 */
import { baseModelFixture, loadVariant, BASE_MODEL_SETTINGS } from '../test/helpers/base-model-fixture.js';
import type { KCurveResult } from '../core/api/methods/fewer-points.js';
import { STANDARD_KS, expectedMaeByK, TTA_SPREAD_WIDTH_WEIGHT } from '../core/segregation/fewer-points/index.js';
import { modelPriorSd, modelResidualVariogram, toMeasured } from '../core/services/fewer-points/plan-view.js';
import { modelTrainingRange } from '../core/services/fewer-points/curve-guard.js';

const arg = (name: string, fallback: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback;
const draws = Number(arg('draws', '20'));
const seed = Number(arg('seed', '1'));
const selection = arg('selection', 'proposed') as 'proposed' | 'random';
const BILLETS: Array<['low-carbon' | 'stirring' | 'base', number]> = [
  ['low-carbon', 11], ['low-carbon', 21], ['low-carbon', 41],
  ['stirring', 13], ['stirring', 23], ['stirring', 43],
  ['base', 31],
];
type Row = { k: number; mae: number; maeSd: number; coverage: number; uncorrectedMae: number; chosen?: Record<string, number> };

const t0 = Date.now();
const fx = await baseModelFixture();
try {
  const vg = modelResidualVariogram(fx.ctx.db, fx.modelId);
  const trainingRange = modelTrainingRange(fx.ctx.db, fx.modelId);
  console.log(`model ${fx.modelId}: compact 32 px, trained on base billet seed ${BASE_MODEL_SETTINGS.base.seed} (${BASE_MODEL_SETTINGS.base.sizePx} px, ${fx.trained.metrics.final.trainPoints.length} training points of a ${BASE_MODEL_SETTINGS.grid.count}-point grid); ready in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  console.log(`residual variogram (${vg.source}, ${vg.pairs} pairs): ${(vg.structuredShare * 100).toFixed(0)} % structured, length scale ${vg.lengthScaleMm.toFixed(0)} mm, sd ${Math.sqrt(vg.totalVar).toFixed(4)} wt.%`);
  console.log(`  bins (lag mm: pairs, √γ wt.%): ${vg.bins.map((b) => `${b.lagMm.toFixed(0)}: ${b.pairs}, ${Math.sqrt(b.semivariance).toFixed(4)}`).join(' | ')}`);
  console.log(`selection ${selection}, ${draws} draws per K, curve seed ${seed}; each draw's correction chosen on its K readings (choose.ts; training range ${trainingRange ? `${trainingRange.min}–${trainingRange.max}` : 'not recorded'} wt.%); MAE (wt.%) on the points NOT analysed, against their readings\n`);
  console.log(`variant      seed  correction          ${STANDARD_KS.map((k) => `K=${k}`.padStart(15)).join('')}   cov90@K8`);
  const all = new Map<string, Row[][]>();
  const line = (variant: string, billetSeed: number, name: string, rows: Row[]) => {
    const k8 = rows.find((r) => r.k === 8)!;
    console.log(`${variant.padEnd(12)} ${String(billetSeed).padStart(4)}  ${name.padEnd(18)}  ${rows.map((r) => `${r.mae.toFixed(4)}±${r.maeSd.toFixed(4)}`.padStart(15)).join('')}   ${(k8.coverage * 100).toFixed(0)} %`);
    // the shares of the candidates chosen per K (K ≥ 1)
    console.log(`${''.padEnd(19)}chosen: ${rows.filter((r) => r.chosen).map((r) => `K=${r.k} ${Object.entries(r.chosen!).sort().map(([n, v]) => `${n} ${(v * 100).toFixed(0)} %`).join(', ')}`).join(' | ')}`);
    const key = `${variant}|${name}`;
    all.set(key, [...(all.get(key) ?? []), rows]);
  };
  for (const [variant, billetSeed] of BILLETS) {
    const billetId = await loadVariant(fx.ctx, variant, billetSeed);
    for (const method of ['level-slope', 'residual-kriging'] as const) {
      const end = await fx.ctx.jobs.wait((await fx.api['fewerPoints.curve']({ modelId: fx.modelId, billetId, ks: [...STANDARD_KS], draws, seed, selection, method })).id);
      if (end.state !== 'done') throw new Error(`${variant} ${billetSeed}: ${end.error?.message}`);
      line(variant, billetSeed, method, (end.result as KCurveResult).rows);
    }
    const pred = await fx.ctx.services.cnn.predict(fx.modelId, billetId, {});
    const mm = expectedMaeByK(toMeasured(pred.points), { ks: STANDARD_KS, draws, seed, selection, priorSd: modelPriorSd(fx.ctx.db, fx.modelId), widthWeight: TTA_SPREAD_WIDTH_WEIGHT, method: 'residual-kriging', variogram: vg, design: 'maximin', choose: { trainingRange } });
    line(variant, billetSeed, 'kriging, maximin', mm.rows);
    console.log(`${''.padEnd(19)}uncorrected MAE ${mm.rows[0].uncorrectedMae.toFixed(4)}`);
  }
  console.log('\nmean over the billets of each variant:');
  for (const [key, curves] of all) {
    const mean = (k: number) => curves.reduce((a, c) => a + c.find((r) => r.k === k)!.mae, 0) / curves.length;
    const [variant, name] = key.split('|');
    console.log(`${variant.padEnd(12)} n=${curves.length}  ${name.padEnd(18)}${STANDARD_KS.map((k) => mean(k).toFixed(4).padStart(15)).join('')}`);
  }
  console.log(`\ntotal ${((Date.now() - t0) / 1000).toFixed(0)} s`);
} finally {
  await fx.dispose();
}
