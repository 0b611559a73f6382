/**
 * The handcrafted-feature baselines (Supp. Table 2) on the demo billet's data, as `reproduce segregation` would
 * run them: the synthetic demo billet (its seed, 3000 px), its 85 hex points and analyzer readings, a 224 px
 * patch per point (the paper's side, at the image's native scale) with CLAHE, 5 random splits by point.
 * Prints the held-out table, the per-model time and the estimate said before the run.
 *   npx tsx bench/feature-baselines.ts [--budget=quick|full] [--seed=N] [--splits=K] [--source=clahe|raw|both] [--estimate-only]
 */
import { generateSyntheticBillet, syntheticReadings } from '../core/synth/index.js';
import { layoutPoints } from '../core/segregation/layouts.js';
import { applyClahe, cutWindow, DEFAULT_CLAHE } from '../core/imaging/index.js';
import { randomPointSplits } from '../core/segregation/cnn/splits.js';
import { DEMO_SEED, demoReadingsSeed } from '../core/services/demo/demo-billet.js';
import { createFeatureBaselines, type FeatureSource } from '../core/experiments/segregation/feature-baselines.js';
import { memoryContext, type SegregationData } from '../core/experiments/types.js';

const arg = (k: string, d: string) => process.argv.find((a) => a.startsWith(`--${k}=`))?.split('=')[1] ?? d;
const budget = arg('budget', 'quick') as 'quick' | 'full';
const seed = Number(arg('seed', '1'));
const k = Number(arg('splits', '5'));
const source = arg('source', 'clahe') as FeatureSource;
const featureBaselines = createFeatureBaselines({ featureSource: source });
const SIDE = 224;

const t0 = performance.now();
const b = generateSyntheticBillet({ seed: DEMO_SEED });
const pts = layoutPoints({ pattern: 'hex85', diameterMm: b.diameterMm });
const readings = syntheticReadings(b, pts, demoReadingsSeed(DEMO_SEED));
const points = await Promise.all(
  readings.map(async (r) => {
    const cx = b.circle.cx + r.xMm / b.mmPerPx;
    const cy = b.circle.cy + r.yMm / b.mmPerPx;
    const raw = cutWindow({ data: b.data, width: b.width, height: b.height }, cx, cy, SIDE).data;
    return { label: r.label, billetId: 1, xMm: r.xMm, yMm: r.yMm, carbon: r.carbonWtPct, raw, clahe: await applyClahe(raw, SIDE, SIDE, DEFAULT_CLAHE) };
  }),
);
const data: SegregationData = {
  billets: [{ id: 1, name: `demo seed ${DEMO_SEED}`, synthetic: true }],
  size: SIDE,
  points,
  splits: randomPointSplits(points.length, k, seed),
  fingerprint: 'bench',
  synthetic: true,
};
console.log(`data: ${points.length} points, ${SIDE} px patches (features of: ${source}), ${k} splits (seed ${seed}), prepared in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
console.log(`estimate (${budget}): ${featureBaselines.estimateSeconds(data, budget)} s`);

if (process.argv.includes('--estimate-only')) {
  for (const bud of ['quick', 'full'] as const) console.log(`estimate (${bud}): ${featureBaselines.estimateSeconds(data, bud)} s`);
  process.exit(0);
}

// Seconds per model, from the units it computes (key "<model>/<budget>/split-<s>").
const perModel = new Map<string, number>();
const ctx = memoryContext({ budget, seed });
const inner = ctx.unit.bind(ctx);
ctx.unit = async <T,>(key: string, compute: () => Promise<T>): Promise<T> => {
  const t = performance.now();
  const v = await inner(key, compute);
  const id = key.split('/')[0];
  perModel.set(id, (perModel.get(id) ?? 0) + performance.now() - t);
  return v;
};
const t1 = performance.now();
const r = await featureBaselines.run(data, ctx);
console.log(`run: ${((performance.now() - t1) / 1000).toFixed(1)} s (texture features of ${points.length} patches: ${((perModel.get('features') ?? 0) / 1000).toFixed(1)} s)`);
const t = r.tables[0];
const f = (v: unknown, d: number) => (typeof v === 'number' ? v.toFixed(d) : String(v ?? '—'));
console.log(`\n${t.title} [${t.sample}, mean ± sd over ${k} splits; paper in brackets]`);
console.log('| model | MAE wt.% | R² Eq.2 | R² det | bias wt.% | chosen | time s |');
console.log('|---|---|---|---|---|---|---|');
for (const row of t.rows) {
  const c = row.cells;
  const p = row.paper;
  const label = String(c.model);
  const secs = perModel.get(row.key);
  console.log(
    `| ${label} | ${f(c.mae, 4)} ± ${f(c.maeSd, 4)}${p ? ` (${f(p.mae, 4)})` : ''} | ${f(c.r2, 3)} ± ${f(c.r2Sd, 3)}${p ? ` (${f(p.r2, 3)})` : ''} | ${f(c.r2Determination, 3)} | ${f(c.bias, 4)} | ${c.params} | ${secs === undefined ? '—' : (secs / 1000).toFixed(1)} |`,
  );
}
