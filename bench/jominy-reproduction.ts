// JoMiner reproduction (issue 13-D): runJominyReproduction on the synthetic protocol (810 heats seed 2021,
// predictor seed 7, its 243 test heats as targets), budget quick or full, and prints every table with the paper's
// values beside ours, the estimate said before the run and the time it took. Table 4 ends with the no-search
// baseline (closest training heat) and the reference (the targets' own chemistry), each vs the predictor and vs
// the generating model. Measured (seed 11, predictor seed 7, 2 threads, load ~20): quick 74–85 s, full 590 s.
// Run: npx tsx bench/jominy-reproduction.ts [--budget quick|full] [--threads N] [--search paper-ga|default] [--seed S]
import { availableParallelism, loadavg } from 'node:os';
import { SYNTH_MODEL_ID, type SearchKind } from '../core/jominy/index.js';
import { estimateJominySeconds, runJominyReproduction, type JominyReproductionInput } from '../core/experiments/jominy/index.js';
import { memoryContext, type Cell, type ExperimentTable } from '../core/experiments/types.js';
import { argValue, printTable, protocol } from './_jominy-common.js';

const budget = (argValue('--budget') ?? 'quick') as 'quick' | 'full';
const threads = Number(argValue('--threads') ?? availableParallelism());
const seed = Number(argValue('--seed') ?? 11);
const { model, targets, trainSeconds } = protocol(false);
if (trainSeconds !== null) console.error(`trained the predictor in ${trainSeconds.toFixed(0)} s`);
const input: JominyReproductionInput = { model, targets, generator: SYNTH_MODEL_ID, threads, search: (argValue('--search') ?? 'paper-ga') as SearchKind, dataset: { name: 'synthetic protocol (810 heats, seed 2021)' } };
const estimate = estimateJominySeconds(input, budget);
console.error(`estimate: ${estimate} s on ${threads} threads`);
const t0 = performance.now();
let last = -1;
const results = await runJominyReproduction(input, memoryContext({ budget, seed, progress: (f, m) => { if (Math.floor(f * 10) > last) { last = Math.floor(f * 10); console.error(`${(100 * f).toFixed(0)} % ${m}`); } } }));
const took = (performance.now() - t0) / 1000;

const fmt = (v: Cell | undefined, digits = 3): string => (v === null || v === undefined ? '–' : typeof v === 'number' ? v.toFixed(digits) : v);
function print(t: ExperimentTable, columns?: string[]): void {
  const cols = t.columns.filter((c) => !columns || columns.includes(c.key));
  printTable(`${t.title} [${t.sample}]`, cols.map((c) => `${c.label}${c.unit ? ` (${c.unit})` : ''}`), t.rows.map((r) => cols.map((c) => {
    const v = fmt(r.cells[c.key], c.digits ?? 3);
    const p = r.paper?.[c.key];
    return p === undefined ? v : `${v} (paper ${fmt(p, c.digits ?? 3)})`;
  })));
}
for (const r of results) {
  console.log(`\n=== ${r.title} (${r.paperRef}) — ${(r.elapsedMs / 1000).toFixed(0)} s`);
  for (const t of r.tables) {
    // The per-point table of the sweep is long: its chosen cell only.
    if (t.id === 'table-4-points') print({ ...t, rows: t.rows.filter((x) => x.key.startsWith('r3-a15-')) });
    else print(t);
  }
}
console.log(`\nnotes:\n- ${results[0].notes.join('\n- ')}`);
console.log(`\nbudget ${budget}, design seed ${seed}, predictor seed ${model.seed} (test MAE ${model.metrics.mae.toFixed(2)} HRC), search ${input.search}, ${threads} threads; estimate ${estimate} s, took ${took.toFixed(0)} s; load ${loadavg()[0].toFixed(1)}`);
