// The issue-13 target: `reproduce segregation --budget quick` and `reproduce jominy --budget quick` each finish in
// under 30 minutes on a 2-core machine. Runs both on the demo data (billet seed 7; 810 synthetic heats, seed 2021)
// through the real registry, and prints the estimate said before the start, the wall time and every table's
// first rows. `--only=segregation|jominy` runs one.
import { benchApp } from './_bench-app.js';
import type { ReproductionJobResult } from '../core/services/experiments/index.js';

// `--only=segregation` (npm run bench passes only dash-words through to the script).
const arg = (name: string) => process.argv.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1);
const only = arg('--only');
const { api, done, close } = benchApp('reproduce-quick');
const rows: string[][] = [];
try {
  const run = async (kind: 'segregation' | 'jominy', input: { billetIds?: number[]; datasetId?: number }) => {
    const t = performance.now();
    const job = await api['experiments.start']({ kind, ...input, budget: 'quick', seed: 1 });
    const r = (await done(job.id)) as ReproductionJobResult;
    const detail = await api['experiments.get']({ id: r.runId });
    rows.push([kind, `${detail.estimateS ?? '?'} s`, `${((performance.now() - t) / 1000).toFixed(0)} s`, String(detail.results.length)]);
    for (const res of detail.results) {
      console.log(`\n## ${res.title} (${res.paperRef}), ${(res.elapsedMs / 1000).toFixed(0)} s`);
      for (const tb of res.tables.slice(0, 2)) {
        console.log(`${tb.title} [${tb.sample}]`);
        console.log(tb.columns.map((c) => c.label).join(' | '));
        for (const row of tb.rows.slice(0, 14))
          console.log(tb.columns.map((c) => {
            const v = row.cells[c.key];
            const p = row.paper?.[c.key];
            const f = (x: unknown) => (typeof x === 'number' ? x.toFixed(c.digits ?? (Number.isInteger(x) ? 0 : 4)) : String(x ?? '–'));
            return p !== undefined && p !== null ? `${f(v)} (paper ${f(p)})` : f(v);
          }).join(' | '));
      }
    }
  };
  if (only !== 'jominy') {
    const { billetId } = (await done((await api['billets.loadDemo']({ seed: 7, variant: 'base' })).id)) as { billetId: number };
    await run('segregation', { billetIds: [billetId] });
  }
  if (only !== 'segregation') {
    const ds = await api['jominy.datasets.synth']({ n: 810, seed: 2021 });
    await run('jominy', { datasetId: ds.id });
  }
  console.log('\n| reproduction | estimate said before the start | wall time | experiments |\n|---|---|---|---|');
  for (const r of rows) console.log(`| ${r.join(' | ')} |`);
} finally {
  await close();
}
