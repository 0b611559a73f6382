// The reproduction's orchestration cost on the demo billet (85 points, default size), without the experiments:
// loading the data (raw + CLAHE patches, splits, fingerprint) for each budget, and one whole run — job, worker,
// units, report — with the test registry's four-unit experiment. What the experiments themselves take is theirs.
import { resolve } from 'node:path';
import { benchApp } from './_bench-app.js';
import { loadSegregationData } from '../core/services/experiments/segregation-data.js';
import type { ReproductionJobResult } from '../core/services/experiments/index.js';

const { ctx, api, done, close } = benchApp('reproduce');
try {
  let t = performance.now();
  const { billetId } = (await done((await api['billets.loadDemo']({ seed: 7, variant: 'base' })).id)) as { billetId: number };
  const rows: [string, string][] = [['demo billet (seed 7, default size)', `${((performance.now() - t) / 1000).toFixed(1)} s`]];
  for (const budget of ['quick', 'full'] as const) {
    t = performance.now();
    const d = await loadSegregationData(ctx.db, ctx.services.sections, [billetId], { budget, seed: 1 });
    rows.push([`data, ${budget}: ${d.points.length} points × ${d.size} px raw + CLAHE, ${d.splits.length} splits`, `${((performance.now() - t) / 1000).toFixed(1)} s`]);
  }
  process.env.FERROLAB_TEST_EXPERIMENTS_REGISTRY = resolve('test/helpers/experiments-registry-fixture.ts');
  t = performance.now();
  const r = (await done((await api['experiments.start']({ kind: 'segregation', billetIds: [billetId], budget: 'quick', seed: 1 })).id)) as ReproductionJobResult;
  rows.push([`whole quick run, test registry (${r.unitsComputed} units, report HTML + PDF)`, `${((performance.now() - t) / 1000).toFixed(1)} s`]);
  console.log('| step | wall time |\n|---|---|');
  for (const [a, b] of rows) console.log(`| ${a} | ${b} |`);
} finally {
  await close();
}
