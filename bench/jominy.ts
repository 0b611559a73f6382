// JoMiner speed: profile evaluations/s (batched over a population), one design (Q = 50, NG = 100),
// and the paper's 243-target evaluation on 1 thread vs all cores. Run: npx tsx bench/jominy.ts [--quick]
import { availableParallelism, loadavg } from 'node:os';
import {
  generateSynthetic, trainPredictor, JominyPredictor, runDesign, defaultConstraints, evaluationTasks, runDesignsInPool, runDesignsInline, summarise,
  synthTruthProfile, arrayToChem, chemToArray, N_ELEMENTS, N_POINTS,
} from '../core/jominy/index.js';

const quick = process.argv.includes('--quick');
const rows: [string, string, string][] = [];
const row = (what: string, value: string, note = '') => {
  rows.push([what, value, note]);
  console.error(`${what}: ${value} ${note}`);
};

// 810 heats → a 30 % test split of 243 target profiles, as in the paper.
const heats = generateSynthetic({ n: 810, seed: 2021 });
let t = performance.now();
const model = trainPredictor(heats, { seed: 7, ...(quick ? { maxHidden: 3, epochs: 40 } : {}) });
row('train predictor (810 synthetic heats, Nh search 1…' + model.training.maxHidden + ', ' + model.training.epochs + ' epochs)', `${((performance.now() - t) / 1000).toFixed(1)} s`, `test MAE ${model.metrics.mae.toFixed(2)} HRC, R² ${model.metrics.r2.toFixed(3)}; A255 MAE ${model.metrics.refMae?.toFixed(2)}`);
const predictor = new JominyPredictor(model);

const Q = 50;
const chems = new Float64Array(Q * N_ELEMENTS);
heats.slice(0, Q).forEach((h, q) => chemToArray(h.chemistry).forEach((v, j) => (chems[q * N_ELEMENTS + j] = v)));
const out = new Float64Array(Q * N_POINTS);
for (let k = 0; k < 200; k++) predictor.predictBatch(chems, Q, out);
let n = 0;
t = performance.now();
while (performance.now() - t < 2000) {
  predictor.predictBatch(chems, Q, out);
  n += Q;
}
row('profile evaluations / s (batches of Q = 50, 1 thread)', `${Math.round(n / ((performance.now() - t) / 1000)).toLocaleString('en')}`, `${model.nets.reduce((a, x) => a + x.nw, 0)} weights in 15 nets`);

const constraints = defaultConstraints(predictor);
const testHeats = model.split.testIndices.map((i) => heats[i]);
const target = testHeats[0].hardness;
t = performance.now();
const d = runDesign(predictor, { objective: { target: { kind: 'curve', hardness: target } }, constraints, seed: 1 });
row('one design, Q = 50, NG = 100 (in this thread)', `${(performance.now() - t).toFixed(0)} ms`, `${d.evaluations} evaluations, deviation ${d.best.deviation.toFixed(3)} HRC`);
t = performance.now();
await runDesignsInPool(model, [{ key: 0, input: { objective: { target: { kind: 'curve', hardness: target } }, constraints, seed: 1 } }], { threads: 1 });
row('one design in a worker thread (incl. worker start)', `${(performance.now() - t).toFixed(0)} ms`, 'what the UI runs');

const targets = quick ? testHeats.slice(0, 40) : testHeats;
const tasks = evaluationTasks(targets, 'base', constraints, {}, 11);
const cores = availableParallelism();
// Interleaved and repeated (1, N, 1, N), best of two: the lab PC is shared, so single runs are noisy.
let t1 = Infinity;
let tn = Infinity;
let one: Awaited<ReturnType<typeof runDesignsInPool>> = [];
let all: Awaited<ReturnType<typeof runDesignsInPool>> = [];
for (let rep = 0; rep < 2; rep++) {
  t = performance.now();
  one = await runDesignsInPool(model, tasks, { threads: 1 });
  t1 = Math.min(t1, performance.now() - t);
  t = performance.now();
  all = await runDesignsInPool(model, tasks, { threads: cores });
  tn = Math.min(tn, performance.now() - t);
}
const same = JSON.stringify(all) === JSON.stringify(one);
row(`${targets.length}-target evaluation, 1 worker thread (best of 2)`, `${(t1 / 1000).toFixed(1)} s`, `${(targets.length / (t1 / 1000)).toFixed(1)} designs/s`);
row(`${targets.length}-target evaluation, ${cores} worker threads (all cores, best of 2)`, `${(tn / 1000).toFixed(1)} s`, `speed-up ×${(t1 / tn).toFixed(2)}; results identical to 1 thread: ${same}`);
if (quick) {
  t = performance.now();
  const inline = await runDesignsInline(model, tasks.slice(0, 5));
  row('5 designs inline (main thread)', `${(performance.now() - t).toFixed(0)} ms`, `identical to pool: ${JSON.stringify(inline) === JSON.stringify(one.slice(0, 5))}`);
}
const s = summarise(targets, all, { r: 3, alpha: 15, objective: 'base' }, model.domain.max, (c) => synthTruthProfile(arrayToChem(c)));
row('evaluation ε / E / S (Eqs. 7–9, vs predictor)', `${s.profile.eps.toFixed(3)} / ${s.profile.E.toFixed(2)} / ${s.profile.S.toFixed(3)} HRC`, `paper: ε 0.27 HRC at r = 3, α = 15`);
row('evaluation ε scored by the generating model', `${s.truth!.eps.toFixed(3)} HRC`, `${s.outOfDomain} of ${targets.length} designs outside the training domain`);
t = performance.now();
const near = await runDesignsInPool(model, evaluationTasks(targets, 'base', constraints, { domainWeight: 2 }, 11), { threads: cores });
const sn = summarise(targets, near, { r: 3, alpha: 15, objective: 'base' }, model.domain.max, (c) => synthTruthProfile(arrayToChem(c)));
row(`same with domainWeight 2 (all cores)`, `${((performance.now() - t) / 1000).toFixed(1)} s`, `ε ${sn.profile.eps.toFixed(3)}, ε(truth) ${sn.truth!.eps.toFixed(3)} HRC, ${sn.outOfDomain} outside the domain`);

const w = Math.max(...rows.map((r) => r[0].length));
const v = Math.max(...rows.map((r) => r[1].length));
console.log(`\nJoMiner benchmark (${cores} cores${quick ? ', --quick' : ''}; Node ${process.version}; load average ${loadavg()[0].toFixed(1)} at the end)`);
console.log(`${'what'.padEnd(w)}  ${'result'.padStart(v)}  note`);
console.log(`${'-'.repeat(w)}  ${'-'.repeat(v)}  ----`);
for (const [a, b, c] of rows) console.log(`${a.padEnd(w)}  ${b.padStart(v)}  ${c}`);
if (!same) process.exitCode = 1;
