// Carbon readings: CSV parse throughput, import into SQLite (one transaction), points list, demo billet.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAppContext } from '../core/app/context.js';
import { localClient } from '../core/app/dispatch.js';
import { layoutPoints, parseReadingsCsv } from '../core/segregation/index.js';

const time = async <T>(fn: () => Promise<T> | T): Promise<[T, number]> => {
  const t = performance.now();
  const r = await fn();
  return [r, performance.now() - t];
};

const labels = layoutPoints({ diameterMm: 600 }).map((p) => p.label);
const rows: string[] = ['Sample name;Weight [g];C [%];S [%];Date'];
for (let i = 0; i < 85 * 20; i++) rows.push(`${labels[i % 85]};0,5012;${(0.4 + (i % 17) * 0.003).toFixed(4).replace('.', ',')};0,012;2026-11-20`);
const csv = rows.join('\r\n');

const table: Array<[string, string]> = [];
const [parsed, tParse] = await time(() => parseReadingsCsv(csv, { knownLabels: labels, replicates: true }));
table.push([`parse ${parsed.rows.length} rows (; + decimal commas, 20 replicates × 85)`, `${tParse.toFixed(1)} ms`]);

const dir = mkdtempSync(join(tmpdir(), 'ferrolab-bench-'));
const ctx = createAppContext({ dataDir: dir, shell: 'cli' });
try {
  const api = localClient(ctx);
  const b = await api['billets.create']({ name: 'bench', nominalDiameterMm: 600 });
  const [, tLayout] = await time(() => api['points.layout']({ billetId: b.id }));
  table.push(['layout hex85 + store 85 points', `${tLayout.toFixed(1)} ms`]);
  const upload = { uploadId: ctx.uploads.saveBytes(Buffer.from(csv)), name: 'bench.csv' };
  const [, tImport] = await time(() => api['readings.importCsv']({ billetId: b.id, upload, unit: 'wt_pct', replicates: true }));
  table.push([`import ${parsed.rows.length} readings (parse + one transaction)`, `${tImport.toFixed(1)} ms`]);
  const [, tList] = await time(() => api['points.list']({ billetId: b.id }));
  table.push(['points.list with mean ± sd (85 points, 1700 readings)', `${tList.toFixed(1)} ms`]);
  const [, tExport] = await time(() => api['readings.exportCsv']({ billetId: b.id }));
  table.push(['export CSV (1700 rows)', `${tExport.toFixed(1)} ms`]);
  for (const size of [1000, 3000]) {
    const [job, tDemo] = await time(async () => ctx.jobs.wait((await api['billets.loadDemo']({ seed: 1, sizePx: size })).id));
    if (job.state !== 'done') throw new Error(job.message);
    table.push([`demo billet ${size} px (generate in worker, import + pyramid, store)`, `${(tDemo / 1000).toFixed(2)} s`]);
  }
} finally {
  await ctx.close();
  rmSync(dir, { recursive: true, force: true });
}

const w = Math.max(...table.map(([k]) => k.length));
console.log(`| ${'step'.padEnd(w)} | time |\n|${'-'.repeat(w + 2)}|------|`);
for (const [k, v] of table) console.log(`| ${k.padEnd(w)} | ${v} |`);
