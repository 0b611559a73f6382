// The reproduction's orchestration cost on the demo billet (85 points, default size), without the experiments:
// loading the data (raw + CLAHE patches, splits, fingerprint) for each budget, and one whole run — job, worker,
// units, report — with the test registry's four-unit experiment. What the experiments themselves take is theirs.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createAppContext } from '../core/app/context.js';
import { localClient } from '../core/app/dispatch.js';
import { loadSegregationData } from '../core/services/experiments/segregation-data.js';
import type { ReproductionJobResult } from '../core/services/experiments/index.js';

const dir = mkdtempSync(join(tmpdir(), 'ferrolab-bench-reproduce-'));
const ctx = createAppContext({ dataDir: dir, shell: 'cli', backend: 'wasm' });
try {
  const api = localClient(ctx);
  let t = performance.now();
  const demo = await ctx.jobs.wait((await api['billets.loadDemo']({ seed: 7, variant: 'base' })).id);
  if (demo.state !== 'done') throw new Error(`demo failed: ${demo.error?.message}`);
  const billetId = (demo.result as { billetId: number }).billetId;
  const rows: [string, string][] = [['demo billet (seed 7, default size)', `${((performance.now() - t) / 1000).toFixed(1)} s`]];
  for (const budget of ['quick', 'full'] as const) {
    t = performance.now();
    const d = await loadSegregationData(ctx.db, ctx.services.sections, [billetId], { budget, seed: 1 });
    rows.push([`data, ${budget}: ${d.points.length} points × ${d.size} px raw + CLAHE, ${d.splits.length} splits`, `${((performance.now() - t) / 1000).toFixed(1)} s`]);
  }
  process.env.FERROLAB_TEST_EXPERIMENTS_REGISTRY = resolve('test/helpers/experiments-registry-fixture.ts');
  t = performance.now();
  const end = await ctx.jobs.wait((await api['experiments.start']({ kind: 'segregation', billetIds: [billetId], budget: 'quick', seed: 1 })).id);
  if (end.state !== 'done') throw new Error(`run failed: ${end.error?.message}`);
  const r = end.result as ReproductionJobResult;
  rows.push([`whole quick run, test registry (${r.unitsComputed} units, report HTML + PDF)`, `${((performance.now() - t) / 1000).toFixed(1)} s`]);
  console.log('| step | wall time |\n|---|---|');
  for (const [a, b] of rows) console.log(`| ${a} | ${b} |`);
} finally {
  await ctx.close();
  rmSync(dir, { recursive: true, force: true });
}
