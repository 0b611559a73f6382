/**
 * "Measure fewer points" (issue 11 §6, task 19-C, question 1(a)): does a low-carbon billet's section image carry
 * enough to reach MAE ≤ 0.008 wt.% at all? A carbon CNN with the settings of test/helpers/base-model-fixture.ts
 * (compact 32 px, 25 epochs, texture blend, model seed 42) is trained on the billet's OWN points (a 300-point grid,
 * synthetic analyser readings of its true field, readings seed 99, 1000 px) and scored on its held-out points
 * (k random 80/20 splits by point; the points of one billet are spatially correlated, so this is an optimistic
 * bound: a model trained on other billets of the grade cannot do better than the image allows here).
 *   npx tsx bench/fewer-points-own-grade.ts [--billets=low-carbon:21,low-carbon:41] [--splits=3] [--data=/tmp/ferrolab-own-grade]
 * Columns: held-out MAE of the CNN alone and of the blend (its weight chosen on these same held-out points: slightly
 * optimistic) against the readings, the CNN's held-out MAE against the TRUE field at the point, and the analyser's
 * own error (readings against the true field) — the part of the reading no image can predict.
 *
 * Measured: see the table in the head of bench/fewer-points-seeds.ts (section 19-C).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createAppContext } from '../core/app/context.js';
import { localClient } from '../core/app/dispatch.js';
import type { TrainJobResult } from '../core/services/cnn/index.js';
import { syntheticReadings, syntheticTrueField, type SyntheticVariant } from '../core/synth/index.js';
import { BASE_MODEL_SETTINGS, loadVariant } from '../test/helpers/base-model-fixture.js';

const arg = (name: string, fallback: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback;
const billets = arg('billets', 'low-carbon:21,low-carbon:41').split(',').map((e) => ({ key: e, variant: e.split(':')[0] as SyntheticVariant, seed: Number(e.split(':')[1]) }));
const splits = Number(arg('splits', '3'));
const data = arg('data', '/tmp/ferrolab-own-grade');
mkdirSync(data, { recursive: true });
const statePath = join(data, 'state.json');
type Row = { key: string; splits: number; seed: number; cnnMae: number; blendMae: number; cnnTrueMae: number; readingNoiseMae: number; heldOut: number; splitMae: number[] };
const state = (existsSync(statePath) ? JSON.parse(readFileSync(statePath, 'utf8')) : { rows: {} }) as { rows: Record<string, Row> };
const ctx = createAppContext({ dataDir: data, shell: 'cli', backend: 'wasm' });
const t0 = Date.now();
const mean = (a: readonly number[]) => a.reduce((s, v) => s + v, 0) / a.length;
try {
  const api = localClient(ctx);
  const s = BASE_MODEL_SETTINGS;
  for (const b of billets) {
    const rowKey = `${b.key}|${splits}|${s.train.seed}`;
    if (state.rows[rowKey]) continue;
    const id = await loadVariant(ctx, b.variant, b.seed);
    const pts = await api['points.layout']({ billetId: id, pattern: 'grid', count: s.grid.count, confirmReplace: true });
    const truth = syntheticTrueField({ seed: b.seed, variant: b.variant });
    const readings = syntheticReadings({ carbonAt: truth }, pts.points, s.grid.readingsSeed);
    for (const r of readings) await api['readings.set']({ billetId: id, label: r.label, values: [r.carbonWtPct] });
    const t = s.train;
    const end = await ctx.jobs.wait((await api['cnn.train']({ ...t, splits, billetIds: [id], architecture: { ...t.architecture, dense: [...t.architecture.dense] } })).id);
    if (end.state !== 'done') throw new Error(`${b.key}: training ${end.state}: ${end.error?.message}`);
    const m = (end.result as TrainJobResult).metrics;
    const held = m.splits.flatMap((sp) => sp.testPoints);
    state.rows[rowKey] = {
      key: b.key,
      splits,
      seed: s.train.seed,
      cnnMae: mean(held.map((p) => Math.abs(p.mean - p.actual))),
      blendMae: m.blend?.heldOut.blendMae ?? NaN,
      cnnTrueMae: mean(held.map((p) => Math.abs(p.mean - truth(p.xMm, p.yMm)))),
      readingNoiseMae: mean(readings.map((r, i) => Math.abs(r.carbonWtPct - truth(pts.points[i].xMm, pts.points[i].yMm)))),
      heldOut: held.length,
      splitMae: m.splits.map((sp) => sp.test?.mae ?? NaN),
    };
    writeFileSync(statePath, JSON.stringify(state));
    console.log(`${b.key} trained at ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  }
  console.log(`own-grade bound: compact CNN + texture blend trained on each billet's own 300 grid points (readings seed ${s.grid.readingsSeed}, model seed ${s.train.seed}), ${splits} random 80/20 splits by point; MAE wt.%`);
  console.log('billet            held-out  CNN    blend   CNN vs true field   analyser (reading vs true)   per split');
  for (const r of Object.values(state.rows)) console.log(`${r.key.padEnd(16)}  ${String(r.heldOut).padStart(5)}  ${r.cnnMae.toFixed(4)}  ${r.blendMae.toFixed(4)}  ${r.cnnTrueMae.toFixed(4).padStart(10)}  ${r.readingNoiseMae.toFixed(4).padStart(18)}          ${r.splitMae.map((v) => v.toFixed(4)).join(' ')}`);
} finally {
  await ctx.close();
}
