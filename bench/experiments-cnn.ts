/**
 * The three carbon-CNN reproduction experiments (architecture sweep, augmentation ablation, CLAHE ablation) at
 * the quick budget on the demo billet, with their time against the stated estimate, printing every table.
 *   npx tsx bench/experiments-cnn.ts [--size=32] [--splits=2] [--only=sweep,augmentation,clahe] [--demo-seed=7] [--seed=42]
 * The data are built as the orchestrator (task 13-E) will: the demo billet's 85 points, patches with and without
 * CLAHE at --size px, --splits random point splits (seed --seed).
 */
import { benchApp } from './_bench-app.js';
import { ensureBackend } from '../core/ml/backend.js';
import { randomPointSplits } from '../core/segregation/cnn/splits.js';
import { memoryContext, type ExperimentResult, type SegregationData, type SegregationExperiment } from '../core/experiments/types.js';
import { architectureSweep } from '../core/experiments/segregation/architecture-sweep.js';
import { augmentationAblation } from '../core/experiments/segregation/augmentation-ablation.js';
import { claheAblation } from '../core/experiments/segregation/clahe-ablation.js';

const arg = (name: string, dflt: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? dflt;
const size = Number(arg('size', '32'));
const nSplits = Number(arg('splits', '2'));
const demoSeed = Number(arg('demo-seed', '7'));
const seed = Number(arg('seed', '42'));
const only = arg('only', 'sweep,augmentation,clahe').split(',');

function printResult(r: ExperimentResult): void {
  console.log(`\n### ${r.title} (${r.paperRef}), ${(r.elapsedMs / 1000).toFixed(0)} s`);
  for (const t of r.tables) {
    console.log(`\n${t.title} [${t.sample}]`);
    const cols = t.columns;
    console.log(`| ${cols.map((c) => c.label + (c.unit ? ` (${c.unit})` : '')).join(' | ')} |`);
    console.log(`|${cols.map(() => '---').join('|')}|`);
    for (const row of t.rows) {
      const cell = (k: string, d?: number) => {
        const v = row.cells[k];
        const mine = v === null || v === undefined ? '—' : typeof v === 'number' ? (d === undefined ? String(v) : v.toFixed(d)) : v;
        const p = row.paper?.[k];
        return p === undefined || p === null ? mine : `${mine} (paper ${typeof p === 'number' && d !== undefined ? p.toFixed(d) : p})`;
      };
      console.log(`| ${cols.map((c) => cell(c.key, c.digits)).join(' | ')} |`);
    }
  }
  console.log('\nnotes:');
  for (const n of r.notes) console.log(`- ${n}`);
  console.log(`seeds: ${JSON.stringify(r.seeds)}`);
}

const { ctx, api, done: wait, close } = benchApp('experiments-cnn');
try {
  const { billetId } = (await wait((await api['billets.loadDemo']({ seed: demoSeed, variant: 'base', sizePx: 1500 })).id)) as { billetId: number };
  const withClahe = await ctx.services.cnn.buildDataset([billetId], { inputSize: size, requireReadings: true });
  const raw = await ctx.services.cnn.buildDataset([billetId], { inputSize: size, requireReadings: true, clahe: null });
  const rawOf = new Map(raw.points.map((p) => [p.label, p.patch]));
  const data: SegregationData = {
    billets: withClahe.billets.map((b) => ({ id: b.id, name: b.name, synthetic: b.synthetic })),
    size,
    points: withClahe.points.map((p) => ({ label: p.label, billetId: p.billetId, xMm: p.xMm, yMm: p.yMm, carbon: p.carbon!, raw: rawOf.get(p.label)!, clahe: p.patch })),
    splits: randomPointSplits(withClahe.points.length, nSplits, seed),
    fingerprint: withClahe.fingerprint,
    synthetic: true,
  };
  await ensureBackend('wasm');
  console.log(`demo billet (seed ${demoSeed}, 1500 px, synthetic): ${data.points.length} points, ${size} px patches, ${nSplits} random point splits (seed ${seed}); wasm`);
  const chosen: [string, SegregationExperiment][] = (
    [
      ['sweep', architectureSweep],
      ['augmentation', augmentationAblation],
      ['clahe', claheAblation],
    ] as const
  ).filter(([k]) => only.includes(k)) as [string, SegregationExperiment][];
  const timing: string[] = [];
  for (const [, exp] of chosen) {
    const est = exp.estimateSeconds(data, 'quick');
    let last = 0;
    const ectx = memoryContext({
      budget: 'quick',
      seed,
      backend: 'wasm',
      progress: (f, m) => {
        if (f - last >= 0.1 || f === 1) {
          last = f;
          process.stderr.write(`  ${exp.id} ${(f * 100).toFixed(0)} % ${m}\n`);
        }
      },
    });
    const r = await exp.run(data, ectx);
    printResult(r);
    timing.push(`| ${exp.id} | ${est.toFixed(0)} | ${(r.elapsedMs / 1000).toFixed(0)} |`);
  }
  console.log('\n| experiment | estimated s | measured s |\n|---|---|---|');
  for (const t of timing) console.log(t);
} finally {
  await close();
}
