/**
 * Per-point data of "measure fewer points" (issue 11 §6) for several model seeds, kept in a data folder so the
 * corrections can be compared without retraining: for each seed a carbon CNN with the texture blend is trained
 * on the base billet exactly as test/helpers/base-model-fixture.ts does (seed 42 is the fixture's model), and
 * the seven new billets of bench/fewer-points.ts are predicted; per point the CNN's TTA mean, the texture
 * line's value, the blend, the reading and the place are written to OUT/points.json, with each model's
 * held-out split points (the prior of the two-predictor correction).
 *   npx tsx bench/fewer-points-seeds.ts [--seeds=42,43] [--data=/tmp/ferrolab-fewer-seeds] [--out=same]
 * The data folder is reused: a seed already trained there is not trained again.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createAppContext } from '../core/app/context.js';
import { localClient } from '../core/app/dispatch.js';
import type { TrainJobResult } from '../core/services/cnn/index.js';
import { syntheticReadings, syntheticTrueField } from '../core/synth/index.js';
import { BASE_MODEL_SETTINGS, loadVariant } from '../test/helpers/base-model-fixture.js';
import { createModelsRepo } from '../core/store/repos/models-repo.js';
import { modelPriorSd } from '../core/services/fewer-points/plan-view.js';

const arg = (name: string, fallback: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback;
const seeds = arg('seeds', '42,43').split(',').map(Number);
const baseSeeds = arg('base-seeds', String(BASE_MODEL_SETTINGS.base.seed)).split(',').map(Number);
const data = arg('data', `/tmp/ferrolab-fewer-seeds${baseSeeds.length > 1 ? `-base${baseSeeds.join('-')}` : ''}`);
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
  for (const baseSeed of baseSeeds) {
    if (state.bases[baseSeed] !== undefined) continue;
    const demo = await ctx.jobs.wait((await api['billets.loadDemo']({ ...s.base, seed: baseSeed })).id);
    const id = (demo.result as { billetId: number }).billetId;
    const pts = await api['points.layout']({ billetId: id, pattern: 'grid', count: s.grid.count, confirmReplace: true });
    const truth = syntheticTrueField({ seed: baseSeed, variant: s.base.variant });
    for (const r of syntheticReadings({ carbonAt: truth }, pts.points, s.grid.readingsSeed)) await api['readings.set']({ billetId: id, label: r.label, values: [r.carbonWtPct] });
    state.bases[baseSeed] = id;
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
