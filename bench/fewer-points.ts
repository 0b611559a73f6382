/**
 * "Measure fewer points" (issue 11 §6): the held-out curve of expected MAE against K for a model trained on a
 * synthetic BASE billet (the test's model: test/helpers/base-model-fixture.ts) applied to the low-carbon and
 * stirring variants (and another base billet), several billet seeds each.
 *   npx tsx bench/fewer-points.ts [--draws=20] [--seed=1] [--selection=proposed|random]
 * For each billet and K: `fewerPoints.curve` (the job the app and `ferrolab segregation k-curve` run) — K points
 * chosen as the workflow proposes them (the draw's seed picks the first), their readings correct the model,
 * MAE over the other points against their readings, mean ± sd over the draws; K = 0 is the model as it is.
 * Minutes: one training (cached per code version), then one TTA prediction per billet.
 *
 * Measured (commit after b71d8bd, 2-core shared machine; model: 1000 px base billet seed 7, 229 training points):
 * mean K = 0 / 2 / 4 / 8 / 16 MAE — low-carbon (seeds 11, 21, 41) 0.0187 / 0.0151 / 0.0138 / 0.0128 / 0.0124;
 * stirring (13, 23, 43) 0.0080 / 0.0083 / 0.0082 / 0.0079 / 0.0077; coverage of the 90 % intervals at K = 8
 * 86–91 %. The ≤ 0.008 wt.% target at K = 8 is met on the stirring billets 13 and 23, not on 43 (0.0094) and
 * not on any low-carbon billet (best 0.0095): there the base-trained model also loses correlation, which no
 * level or slope restores (a fit to all 85 readings leaves 0.0079 on seed 11). `--selection=random` is within
 * ±0.0006 of the proposal on every billet.
 */
import { baseModelFixture, loadVariant, BASE_MODEL_SETTINGS } from '../test/helpers/base-model-fixture.js';
import type { KCurveResult } from '../core/api/methods/fewer-points.js';
import { STANDARD_KS } from '../core/segregation/fewer-points/index.js';

const arg = (name: string, fallback: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback;
const draws = Number(arg('draws', '20'));
const seed = Number(arg('seed', '1'));
const selection = arg('selection', 'proposed') as 'proposed' | 'random';
const BILLETS: Array<['low-carbon' | 'stirring' | 'base', number]> = [
  ['low-carbon', 11], ['low-carbon', 21], ['low-carbon', 41],
  ['stirring', 13], ['stirring', 23], ['stirring', 43],
  ['base', 31],
];

const t0 = Date.now();
const fx = await baseModelFixture();
try {
  console.log(`model ${fx.modelId}: compact 32 px, trained on base billet seed ${BASE_MODEL_SETTINGS.base.seed} (${BASE_MODEL_SETTINGS.base.sizePx} px, ${fx.trained.metrics.final.trainPoints.length} training points of a ${BASE_MODEL_SETTINGS.grid.count}-point grid); ready in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  console.log(`selection ${selection}, ${draws} draws per K, curve seed ${seed}; MAE (wt.%) on the points NOT analysed, against their readings\n`);
  const header = `variant      seed  ${STANDARD_KS.map((k) => `K=${k}`.padStart(15)).join('')}   uncorr.  cov90@K8`;
  console.log(header);
  const byVariant = new Map<string, KCurveResult[]>();
  for (const [variant, billetSeed] of BILLETS) {
    const billetId = await loadVariant(fx.ctx, variant, billetSeed);
    const end = await fx.ctx.jobs.wait((await fx.api['fewerPoints.curve']({ modelId: fx.modelId, billetId, ks: [...STANDARD_KS], draws, seed, selection })).id);
    if (end.state !== 'done') throw new Error(`${variant} ${billetSeed}: ${end.error?.message}`);
    const c = end.result as KCurveResult;
    byVariant.set(variant, [...(byVariant.get(variant) ?? []), c]);
    const k8 = c.rows.find((r) => r.k === 8)!;
    console.log(`${variant.padEnd(12)} ${String(billetSeed).padStart(4)}  ${c.rows.map((r) => `${r.mae.toFixed(4)}±${r.maeSd.toFixed(4)}`.padStart(15)).join('')}   ${c.rows[0].uncorrectedMae.toFixed(4)}   ${(k8.coverage * 100).toFixed(0)} %`);
  }
  console.log('\nmean over the billets of each variant:');
  for (const [variant, curves] of byVariant) {
    const mean = (k: number) => curves.reduce((a, c) => a + c.rows.find((r) => r.k === k)!.mae, 0) / curves.length;
    console.log(`${variant.padEnd(12)} n=${curves.length}  ${STANDARD_KS.map((k) => mean(k).toFixed(4).padStart(15)).join('')}`);
  }
  console.log(`\ntotal ${((Date.now() - t0) / 1000).toFixed(0)} s`);
} finally {
  await fx.dispose();
}
