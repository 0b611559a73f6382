/**
 * Per-point data of "measure fewer points" (issue 11 §6) for several model seeds, kept in a data folder so the
 * corrections can be compared without retraining: for each seed a carbon CNN with the texture blend is trained
 * on the base billet exactly as test/helpers/base-model-fixture.ts does (seed 42 is the fixture's model), and
 * the seven new billets of bench/fewer-points.ts are predicted; per point the CNN's TTA mean, the texture
 * line's value, the blend, the reading and the place are written to OUT/points.json, with each model's
 * held-out split points (the prior of the two-predictor correction).
 *   npx tsx bench/fewer-points-seeds.ts [--seeds=42,43] [--data=/tmp/ferrolab-fewer-seeds] [--out=same]
 *   npx tsx bench/fewer-points-seeds.ts --seeds=42,43 --base-seeds=7,17,27   (a base SET of three base billets)
 *   npx tsx bench/fewer-points-seeds.ts --seeds=42 --base-seeds=7,low-carbon:51   (a set with a billet of another variant)
 * The data folder is reused: a seed already trained there is not trained again. Then bench/fewer-points-methods.ts
 * prints the K-curves from OUT/points.json.
 *
 * Measured 2026-11-30 (commit 6d71462 and before it, 2-core machine shared with six agents; one base billet: 1 + 2
 * min of training per seed, three: 15 and 10 min). K-curve with regression kriging (the workflow's default), K
 * points as the workflow proposes them, curve seed 1, 20 draws; MAE wt.% on the points NOT analysed against their
 * readings at K = 0 / 2 / 4 / 8 / 16, coverage of the 90 % intervals at K = 8.
 *   ONE base billet (seed 7), model seed 42 — the cap on the variogram's length scale changes nothing here:
 *     low-carbon 11   0.0117 0.0113 0.0099 0.0095 0.0088  87 %
 *     low-carbon 21   0.0166 0.0165 0.0157 0.0147 0.0147  90 %
 *     low-carbon 41   0.0145 0.0133 0.0131 0.0126 0.0115  85 %
 *     stirring 13     0.0071 0.0073 0.0077 0.0074 0.0073  91 %
 *     stirring 23     0.0083 0.0092 0.0089 0.0085 0.0086  92 %
 *     stirring 43     0.0084 0.0096 0.0086 0.0089 0.0086  89 %
 *     base 31         0.0068 0.0075 0.0071 0.0071 0.0070  89 %
 *   ONE base billet, model seed 43, before the cap (variogram 35 % structured at 524 mm) → after (14 % at 262 mm):
 *     low-carbon 11   0.0132 0.0127 0.0110 0.0107 0.0097  84 % → 0.0132 0.0127 0.0110 0.0107 0.0097  88 %
 *     low-carbon 21   0.0217 0.0178 0.0174 0.0160 0.0152  86 % → 0.0217 0.0181 0.0173 0.0160 0.0152  88 %
 *     low-carbon 41   0.0173 0.0136 0.0133 0.0134 0.0122  81 % → 0.0173 0.0136 0.0135 0.0135 0.0122  85 %
 *     stirring 13     0.0070 0.0076 0.0081 0.0076 0.0077  82 % → 0.0070 0.0073 0.0079 0.0075 0.0076  86 %
 *     stirring 23     0.0083 0.0094 0.0088 0.0088 0.0090  86 % → 0.0083 0.0092 0.0086 0.0086 0.0089  90 %
 *     stirring 43     0.0085 0.0099 0.0093 0.0088 0.0090  86 % → 0.0085 0.0097 0.0091 0.0087 0.0089  90 %
 *     base 31         0.0075 0.0084 0.0079 0.0083 0.0080  82 % → 0.0075 0.0083 0.0077 0.0081 0.0079  86 %
 *   A base SET of three base billets (seeds 7, 17, 27; 900 training points), model seeds 42 | 43:
 *     low-carbon 11   0.0088 0.0095 0.0090 0.0086 0.0083  88 % | 0.0078 0.0083 0.0082 0.0078 0.0078  94 %
 *     low-carbon 21   0.0148 0.0151 0.0150 0.0152 0.0139  90 % | 0.0147 0.0166 0.0155 0.0157 0.0147  84 %
 *     low-carbon 41   0.0119 0.0120 0.0119 0.0118 0.0112  90 % | 0.0110 0.0122 0.0116 0.0113 0.0108  91 %
 *     stirring 13     0.0069 0.0075 0.0071 0.0073 0.0069  90 % | 0.0064 0.0067 0.0066 0.0067 0.0065  92 %
 *     stirring 23     0.0075 0.0081 0.0079 0.0078 0.0076  91 % | 0.0076 0.0081 0.0080 0.0076 0.0078  92 %
 *     stirring 43     0.0079 0.0091 0.0081 0.0083 0.0078  90 % | 0.0083 0.0085 0.0085 0.0087 0.0084  89 %
 *     base 31         0.0061 0.0065 0.0062 0.0064 0.0063  91 % | 0.0066 0.0073 0.0071 0.0074 0.0067  89 %
 *   Mean K = 8 over the seven billets: one base billet 0.0098 (seed 42), 0.0104 (seed 43, capped); base set 0.0093, 0.0093.
 * Reading: the ≤ 0.008 target at K = 8 is met with one base billet on stirring 13 and base 31; with the base set on
 * stirring 13 and 23 and base 31 for both seeds and on low-carbon 11 for seed 43 — never on low-carbon 21 and 41.
 * No correction with K readings can there: the floors of bench/fewer-points-methods.ts (best level, level + slope, or
 * mix of CNN and texture line fitted to ALL 85 readings) are 0.0094–0.0154 on low-carbon 21 and 41 (0.0072–0.0102
 * on low-carbon 11) over the four models. The base set removes
 * most of the bias (K = 0 falls 10–40 % on the low-carbon billets), after which K readings add little or cost a
 * little. Corrections tried on the same data (fewer-points-methods.ts), none kept: the two-predictor correction
 * (mean K = 8 0.0100 / 0.0105 against 0.0098 / 0.0104 with one base billet, 0.0097 / 0.0096 against 0.0093 with the
 * base set, and much worse at K = 2: 0.0132 against 0.0107); a Bayesian (NIG) level with its prior scale by marginal
 * likelihood (the same MAE as James–Stein to 0.0001); radial terms ρ, ρ² (worse at K ≤ 4, equal at 8).
 *
 * Task 19-C (2026-11-30, commit 2665ffd and after, 2-core machine shared with four agents): is K = 8 ≤ 0.008 reachable
 * on low-carbon billets? Model seed 42 (and 43 where said), the fixture's settings (compact 32 px, 25 epochs, texture blend, 1000 px,
 * each training billet read at the fixture's grid, readings seed 99).
 * (a) Information bound, bench/fewer-points-own-grade.ts: a CNN trained on the billet's OWN grid points, held-out MAE
 *     over 3 random 80/20 splits by point (189 held-out points; optimistic: neighbours of a held-out point trained):
 *       billet          held-out MAE  per split                 vs true field   analyser alone
 *       low-carbon 21   0.0069        0.0077 0.0069 0.0061      0.0058          0.0039
 *       low-carbon 41   0.0070        0.0064 0.0082 0.0065      0.0057          0.0041
 *       low-carbon 11   0.0090*       0.0061 0.0137 0.0072      0.0080          0.0039
 *       base 7          0.0102*       0.0068 0.0165 0.0071      0.0087          0.0039
 *     * one run of three stopped badly (the same split seed on both billets); the blend rescues it: 0.0077 and 0.0066.
 *     The image of a low-carbon billet carries enough for ≤ 0.008: the obstacle is what the model was trained on.
 * (b) Training sets that hold billets of the low-carbon grade (K-curve, kriging correction, as in the tables above):
 *   base 7 + low-carbon 51 (C0 0.382; training readings 0.335–0.492 wt.%), 600 points, 10 min of training:
 *     low-carbon 11   0.0071 0.0074 0.0075 0.0073 0.0071  89 %   floor (level) 0.0067
 *     low-carbon 21   0.0113 0.0124 0.0133 0.0150 0.0127  84 %                 0.0115
 *     low-carbon 41   0.0086 0.0090 0.0092 0.0091 0.0083  83 %                 0.0080
 *     stirring 13     0.0074 0.0079 0.0076 0.0075 0.0075  87 %                 0.0070
 *     stirring 23     0.0068 0.0074 0.0072 0.0071 0.0071  89 %                 0.0064
 *     stirring 43     0.0089 0.0099 0.0096 0.0091 0.0094  87 %                 0.0084
 *     base 31         0.0068 0.0078 0.0076 0.0076 0.0070  85 %                 0.0064
 *   base 7 + low-carbon 51, 57 (C0 0.382, 0.365: the grade's range; readings 0.298–0.492), 900 points, 10 min:
 *     low-carbon 11   0.0068 0.0073 0.0070 0.0072 0.0070  94 %                 0.0068
 *     low-carbon 21   0.0105 0.0112 0.0113 0.0107 0.0107  92 %                 0.0106
 *     low-carbon 41   0.0082 0.0088 0.0086 0.0084 0.0081  93 %                 0.0082
 *     stirring 13     0.0068 0.0072 0.0071 0.0070 0.0070  95 %                 0.0068
 *     stirring 23     0.0067 0.0074 0.0073 0.0067 0.0071  96 %                 0.0066
 *     stirring 43     0.0087 0.0090 0.0089 0.0091 0.0089  91 %                 0.0087
 *     base 31         0.0063 0.0068 0.0067 0.0067 0.0067  95 %                 0.0063
 *   base 7, 17 + low-carbon 51, 57, 62 (C0 0.368 the third), 1500 points, 24 min; model seed 42 | seed 43 (9 min):
 *     low-carbon 11   0.0061 0.0063 0.0062 0.0063 0.0064  91 %  0.0061 | 0.0065 0.0070 0.0068 0.0068 0.0066  92 %  0.0065
 *     low-carbon 21   0.0082 0.0092 0.0087 0.0086 0.0086  90 %  0.0082 | 0.0088 0.0099 0.0093 0.0092 0.0088  90 %  0.0085
 *     low-carbon 41   0.0071 0.0078 0.0078 0.0075 0.0072  90 %  0.0071 | 0.0082 0.0092 0.0085 0.0085 0.0081  93 %  0.0082
 *     stirring 13     0.0069 0.0071 0.0071 0.0074 0.0070  93 %  0.0067 | 0.0076 0.0077 0.0075 0.0075 0.0073  93 %  0.0069
 *     stirring 23     0.0067 0.0073 0.0069 0.0067 0.0068  91 %  0.0066 | 0.0071 0.0074 0.0070 0.0069 0.0066  89 %  0.0063
 *     stirring 43     0.0080 0.0095 0.0087 0.0083 0.0084  92 %  0.0080 | 0.0090 0.0094 0.0091 0.0089 0.0089  90 %  0.0084
 *     base 31         0.0064 0.0068 0.0067 0.0070 0.0066  94 %  0.0063 | 0.0066 0.0078 0.0067 0.0067 0.0066  92 %  0.0064
 *   Mean K = 8 over the seven billets: 0.0090, 0.0080, 0.0074 | 0.0078 (one base billet: 0.0098). With the level-slope
 *   correction instead of kriging: 0.0085, 0.0080, 0.0073 | 0.0078 (low-carbon 21 0.0083, stirring 43 0.0081, seed 42).
 * Reading: no correction of a base-trained model meets ≤ 0.008 on low-carbon billets (floors above). A model trained on
 * billets spanning the grade's bulk carbon does on 5 of the 7 billets for seed 42 (low-carbon 11 and 41 included;
 * misses by 0.0003–0.0006 on low-carbon 21 and stirring 43) and on 4 for seed 43 (low-carbon 11; 21, 41 and stirring
 * 43 at 0.0085–0.0092); the bias is then gone (K = 0 is as good as K = 8: the K readings only confirm the level).
 * With such a model the guard (core/segregation/fewer-points/applicability.ts) flags none of the seven billets at
 * K = 8 (bench/fewer-points-guard.ts, both seeds); with the base-trained model it flags 80–100 % of the K = 8
 * proposals on low-carbon billets and 0–5 % on stirring and base ones. It does not see what remains: low-carbon 21
 * at 0.0086–0.0092 with the grade-spanning model lies inside its range and needs no level shift.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createAppContext } from '../core/app/context.js';
import { localClient } from '../core/app/dispatch.js';
import type { TrainJobResult } from '../core/services/cnn/index.js';
import { syntheticReadings, syntheticTrueField, type SyntheticVariant } from '../core/synth/index.js';
import { BASE_MODEL_SETTINGS, loadVariant } from '../test/helpers/base-model-fixture.js';
import { createModelsRepo } from '../core/store/repos/models-repo.js';
import { modelPriorSd } from '../core/services/fewer-points/plan-view.js';

const arg = (name: string, fallback: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback;
const seeds = arg('seeds', '42,43').split(',').map(Number);
// a training billet is `seed` (the base variant) or `variant:seed` (e.g. low-carbon:51: train on the grade measured)
const baseEntries = arg('base-seeds', String(BASE_MODEL_SETTINGS.base.seed)).split(',').map((e) => {
  const [v, sd] = e.includes(':') ? e.split(':') : [BASE_MODEL_SETTINGS.base.variant, e];
  return { key: e, variant: v as SyntheticVariant, seed: Number(sd) };
});
const baseSeeds = baseEntries.map((b) => b.key);
const data = arg('data', `/tmp/ferrolab-fewer-seeds${baseSeeds.length > 1 ? `-base${baseSeeds.join('-').replaceAll(':', '')}` : ''}`);
const out = arg('out', data);
export const SEED_BILLETS = [['low-carbon', 11], ['low-carbon', 21], ['low-carbon', 41], ['stirring', 13], ['stirring', 23], ['stirring', 43], ['base', 31]] as const;

mkdirSync(data, { recursive: true });
const statePath = join(data, 'state.json');
const state = (existsSync(statePath) ? JSON.parse(readFileSync(statePath, 'utf8')) : { models: {}, billets: {}, bases: {} }) as { bases: Record<string, number>; models: Record<string, number>; billets: Record<string, number> };
const save = () => writeFileSync(statePath, JSON.stringify(state));
const ctx = createAppContext({ dataDir: data, shell: 'cli', backend: 'wasm' });
const t0 = Date.now();
try {
  const api = localClient(ctx);
  const s = BASE_MODEL_SETTINGS;
  // the base billet(s), each read at the fixture's dense grid (several: a base SET, said so in the output)
  for (const { key, variant, seed: baseSeed } of baseEntries) {
    if (state.bases[key] !== undefined) continue;
    const demo = await ctx.jobs.wait((await api['billets.loadDemo']({ ...s.base, variant, seed: baseSeed })).id);
    const id = (demo.result as { billetId: number }).billetId;
    const pts = await api['points.layout']({ billetId: id, pattern: 'grid', count: s.grid.count, confirmReplace: true });
    const truth = syntheticTrueField({ seed: baseSeed, variant });
    for (const r of syntheticReadings({ carbonAt: truth }, pts.points, s.grid.readingsSeed)) await api['readings.set']({ billetId: id, label: r.label, values: [r.carbonWtPct] });
    state.bases[key] = id;
    save();
  }
  console.log(`trained on base billet${baseSeeds.length > 1 ? 's' : ''} seed ${baseSeeds.join(', ')} (${s.grid.count} grid points each)`);
  for (const seed of seeds) {
    if (state.models[seed] !== undefined) continue;
    const t = s.train;
    const end = await ctx.jobs.wait((await api['cnn.train']({ ...t, seed, billetIds: baseSeeds.map((b) => state.bases[b]), architecture: { ...t.architecture, dense: [...t.architecture.dense] } })).id);
    if (end.state !== 'done') throw new Error(`seed ${seed}: ${end.error?.message}`);
    state.models[seed] = (end.result as TrainJobResult).modelId;
    save();
    console.log(`seed ${seed}: model ${state.models[seed]} at ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  }
  for (const [variant, seed] of SEED_BILLETS) {
    const key = `${variant}|${seed}`;
    if (state.billets[key] === undefined) {
      state.billets[key] = await loadVariant(ctx, variant, seed);
      save();
    }
  }
  const models = seeds.map((seed) => {
    const modelId = state.models[seed];
    const metrics = createModelsRepo(ctx.db).get(modelId).metrics as TrainJobResult['metrics'];
    const blend = metrics.blend!;
    const heldOut = metrics.splits.flatMap((sp, si) => sp.testPoints.map((p, k) => ({ xMm: p.xMm, yMm: p.yMm, cnn: p.mean, texture: blend.splitTexture[si][k], actual: p.actual, billetId: p.billetId })));
    return { seed, modelId, cnnWeight: blend.cnnWeight, priorSd: modelPriorSd(ctx.db, modelId), heldOut };
  });
  const billets = [];
  for (const [variant, seed] of SEED_BILLETS) {
    const per: Record<string, unknown> = {};
    for (const m of models) {
      const pred = await ctx.services.cnn.predict(m.modelId, state.billets[`${variant}|${seed}`], {});
      per[m.seed] = pred.points.filter((p) => p.actual !== null).map((p) => ({ label: p.label, xMm: p.xMm, yMm: p.yMm, mean: p.mean, sd: p.sd, cnn: p.components!.cnn, texture: p.components!.texture, reading: p.actual }));
    }
    billets.push({ variant, seed, points: per });
    console.log(`${variant} ${seed} predicted at ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  }
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'points.json'), JSON.stringify({ baseSeeds, models, billets }));
  console.log(`wrote ${join(out, 'points.json')} in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
} finally {
  await ctx.close();
}
