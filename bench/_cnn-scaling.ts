/**
 * The data-parallel scaling table of `npm run bench cnn`: epoch throughput of training on 1…N gradient
 * workers (and this thread alone), paper preset and compact at 64 px (`--scaling-size`), on wasm; then, from the workers' own
 * thread-CPU phases (immune to other load on a shared machine), the share of a step that does not divide over
 * workers and what that gives on 2 and 8 cores (Amdahl).
 */
import { buildModel, presetArchitecture } from '../core/ml/architecture.js';
import { trainRegressor } from '../core/ml/trainer.js';
import type { ParallelTiming } from '../core/ml/data-parallel.js';
import { setWorkerCap, workerCap } from '../core/runtime/worker.js';
import { threadMs } from '../core/runtime/thread-cpu.js';
import { randomSet } from './_random-set.js';
import { Worker } from 'node:worker_threads';
import { benchOptions as o } from './_cnn-options.js';


interface Measured {
  imgS: number;
  /** Timed steps. */
  steps: number;
  /** This thread's CPU ms per timed step (the single-threaded run: the whole step). */
  ownCpuMs: number;
  /**
   * The process's CPU ms per timed step outside this thread and the workers' timed phases: V8's background threads
   * (optimizing compiler, GC) and the workers' message handling. On 2 cores it competes with 2 workers, not with 1.
   */
  otherCpuMs: number;
  /** The workers' phases over the timed epochs only (the warm-up's page faults and first compilations left out). */
  parallel: ParallelTiming | null;
}

/** b − a, field by field (the cumulative timings of two epochs' ends). */
function timingDiff(b: ParallelTiming, a: ParallelTiming): ParallelTiming {
  const d = { ...b };
  // workers, threads: settings; the fastest step: the run's (the warm-up's steps are slower, never the fastest on an idle machine).
  for (const k of Object.keys(b) as Array<keyof ParallelTiming>) if (k !== 'workers' && k !== 'threads' && k !== 'fastestStepSeconds') d[k] = b[k] - a[k];
  return d;
}

/** Images per second of the timed epochs (the untimed warm-up epochs start the workers and let V8 optimize), and the timed steps' CPU. */
async function throughput(preset: 'paper' | 'compact', samples: number, workers: number | null): Promise<Measured> {
  const a = presetArchitecture(preset, { inputSize: o.scalingSize });
  const model = buildModel(a, 1);
  const perEpoch = Math.ceil(samples / o.scalingBatch);
  const warmup = Math.max(1, Math.ceil(o.scalingWarmupSteps / perEpoch));
  const epochs = warmup + o.scalingEpochs;
  // This thread's and the process's CPU at each epoch's end: the timed window is from the warm-up's end.
  const marks: Array<{ own: number; proc: number }> = [];
  const mark = () => {
    const u = process.cpuUsage();
    marks.push({ own: threadMs(), proc: (u.user + u.system) / 1000 });
  };
  const r = await trainRegressor(model, randomSet(samples, o.scalingSize, 3), null, {
    epochs,
    batchSize: o.scalingBatch,
    learningRate: 1e-4,
    patience: epochs + 1,
    seed: 1,
    parallel: workers === null ? undefined : { workers },
    onEpoch: mark,
  });
  model.dispose();
  const steps = o.scalingEpochs * perEpoch;
  const from = marks[warmup - 1];
  const to = marks[marks.length - 1];
  const parallel = r.parallelByEpoch ? timingDiff(r.parallelByEpoch[r.parallelByEpoch.length - 1], r.parallelByEpoch[warmup - 1]) : null;
  const workersMs = parallel ? (parallel.loadCpuSeconds + parallel.gradCpuSeconds + parallel.reduceAdamCpuSeconds) * 1000 : 0;
  const timed = r.history.slice(warmup);
  return {
    imgS: (samples * timed.length) / timed.reduce((s, h) => s + h.seconds, 0),
    steps,
    ownCpuMs: (to.own - from.own) / steps,
    otherCpuMs: (to.proc - from.proc - (to.own - from.own) - workersMs) / steps,
    parallel,
  };
}

/**
 * Per-step thread-CPU model of data-parallel training, from the 1- and 2-worker runs: a shard's gradient costs
 * F (fixed: weight-dependent work every replica repeats — the convolutions' filter packing and transposes) plus a
 * part proportional to its samples; reduce + Adam (A) divides over the workers; reloading weights (L) does not.
 * step(n) = F + (G1 − F)/n + A/n + L, with G1 the whole batch's gradient on one worker and F = 2·G2 − G1.
 */
function stepModel(one: ParallelTiming, two: ParallelTiming) {
  const g1 = (one.gradCpuSeconds / one.steps) * 1000;
  const g2 = (two.gradCpuSeconds / two.steps / two.threads) * 1000;
  const a = (one.reduceAdamCpuSeconds / one.steps) * 1000;
  const l = (one.loadCpuSeconds / one.steps) * 1000;
  const f = Math.min(g1, Math.max(0, 2 * g2 - g1));
  const step = (n: number) => f + (g1 - f) / n + a / n + l;
  return { g1, g2, a, l, f, step, serial: (f + l) / step(1) };
}
/** ms per step of the busiest worker's phases ('critical') or of all workers' phases together ('all'). */
function perStep(p: ParallelTiming, what: 'critical' | 'all'): number {
  const s = what === 'critical' ? p.criticalCpuSeconds : p.loadCpuSeconds + p.gradCpuSeconds + p.reduceAdamCpuSeconds;
  return (s / p.steps) * 1000;
}

/**
 * 2 workers against 1 on 2 idle cores from the measured CPU: 1 worker's step is its own CPU (the other threads take
 * the spare core), 2 workers' is at least their busiest worker's CPU and at least half of all the CPU of the step,
 * the other threads' (V8's compiler and GC, messages) included.
 */
function twoCoreSpeedup(one: Measured, two: Measured): number {
  const t1 = Math.max(perStep(one.parallel!, 'critical'), (perStep(one.parallel!, 'all') + one.otherCpuMs) / 2);
  const t2 = Math.max(perStep(two.parallel!, 'critical'), (perStep(two.parallel!, 'all') + two.otherCpuMs) / 2);
  return t1 / t2;
}

/**
 * What this machine gives right now for `n` independent busy threads (plain JS loops, nothing shared): the
 * ceiling of any speed-up in the table. On a machine shared with other work it is well below n.
 */
async function machineParallelism(n: number): Promise<number> {
  const code = `const { parentPort } = require('node:worker_threads'); const t = performance.now(); let x = 0; for (let i = 0; i < 3e8; i++) x += Math.sqrt(i); parentPort.postMessage(performance.now() - t + (x < 0 ? 1 : 0));`;
  const run = (k: number) =>
    Promise.all(
      Array.from({ length: k }, () => new Promise<number>((resolve, reject) => {
        const w = new Worker(code, { eval: true });
        w.once('message', (ms: number) => {
          resolve(ms);
          void w.terminate();
        });
        w.once('error', reject);
      })),
    );
  const one = (await run(1))[0];
  const many = await run(n);
  return (n * one) / Math.max(...many);
}

export async function scalingTable(): Promise<{ lines: string[]; paperBest: { workers: number; imgS: number } | null }> {
  const cap = workerCap();
  setWorkerCap(o.maxWorkers);
  const out: string[] = [];
  let paperBest: { workers: number; imgS: number } | null = null;
  try {
    const counts = o.scalingWorkers.length ? [...new Set(o.scalingWorkers)].sort((a, b) => a - b) : Array.from({ length: o.maxWorkers }, (_, i) => i + 1);
    if (counts[0] !== 1) counts.unshift(1); // every speed-up is against 1 worker
    setWorkerCap(Math.max(o.maxWorkers, counts[counts.length - 1]));
    const busiest = counts[counts.length - 1];
    const ceiling = await machineParallelism(busiest);
    const ceiling2 = busiest === 2 ? ceiling : await machineParallelism(2);
    out.push(`Machine check: ${busiest} independent busy threads did ${ceiling.toFixed(2)}× the work of one right now (ideal ${busiest}×); no speed-up below can exceed it.`);
    out.push(`Data-parallel training on wasm, epoch throughput (batch ${o.scalingBatch}, ${o.scalingEpochs} timed epoch(s) after warm-up epochs of at least ${o.scalingWarmupSteps} steps in all; seed 1, data seed 3).`);
    out.push('Per timed step, thread-CPU ms (other load stays out): the busiest worker (or this thread alone), and its parts summed over workers: reload weights / shard gradients / reduce + Adam of the slices;');
    out.push("then the process's CPU outside this thread and those phases (V8's optimizing compiler and GC threads, messages: on 2 cores it competes with 2 workers, not with 1).");
    out.push(`| preset (${o.scalingSize} px) | samples/epoch | gradient workers | img/s | speed-up vs 1 worker | CPU ms/step, busiest | reload / gradients / reduce+Adam | other threads |`);
    out.push('|---|---|---|---|---|---|---|---|');
    const expect: string[] = [];
    for (const preset of ['paper', 'compact'] as const) {
      if (o.quick && preset === 'paper') continue;
      const samples = preset === 'paper' ? o.scalingPaperSamples : o.scalingCompactSamples;
      const alone = await throughput(preset, samples, null);
      out.push(`| ${preset} | ${samples} | none (this thread) | ${alone.imgS.toFixed(1)} | – | ${alone.ownCpuMs.toFixed(0)} | – | ${alone.otherCpuMs.toFixed(0)} |`);
      let one: Measured | null = null;
      let two: Measured | null = null;
      for (const w of counts) {
        const m = await throughput(preset, samples, w);
        if (w === 1) one = m;
        if (w === 2) two = m;
        const p = m.parallel!;
        const per = (s: number) => ((s / p.steps) * 1000).toFixed(0);
        out.push(`| ${preset} | ${samples} | ${w}${p.threads < w ? ` (on ${p.threads} threads)` : ''} | ${m.imgS.toFixed(1)} | ${(m.imgS / one!.imgS).toFixed(2)}× | ${per(p.criticalCpuSeconds)} | ${per(p.loadCpuSeconds)} / ${per(p.gradCpuSeconds)} / ${per(p.reduceAdamCpuSeconds)} | ${m.otherCpuMs.toFixed(0)} |`);
        if (preset === 'paper' && (!paperBest || m.imgS > paperBest.imgS)) paperBest = { workers: w, imgS: m.imgS };
        process.stderr.write(`  scaling ${preset} ${w} worker(s): ${m.imgS.toFixed(1)} img/s\n`);
      }
      if (one?.parallel && two?.parallel && two.parallel.threads === 2) {
        const s = stepModel(one.parallel, two.parallel);
        const eff2 = Math.min(2, ceiling2) / 2;
        const cpu2 = s.step(1) / s.step(2);
        const cpu8 = s.step(1) / s.step(8);
        expect.push(
          `${preset}: a step on 1 worker takes ${s.step(1).toFixed(0)} ms CPU: gradients ${s.g1.toFixed(0)} (of which ${s.f.toFixed(0)} fixed per shard: F = 2·${s.g2.toFixed(0)} − ${s.g1.toFixed(0)}), reduce + Adam ${s.a.toFixed(0)} (divided over the workers), reload ${s.l.toFixed(1)}. ` +
            `Share that does not divide: ${(s.serial * 100).toFixed(0)} % → ${cpu2.toFixed(2)}× on 2 idle cores (× ${ceiling2.toFixed(2)}/2 as 2 busy threads run on this machine now = ${(cpu2 * eff2).toFixed(2)}×; with the quiet 1.74: ${(cpu2 * 0.87).toFixed(2)}×), ${cpu8.toFixed(1)}× on 8 (Amdahl; memory bandwidth lowers it). ` +
            `2 workers vs this thread alone: ${(alone.ownCpuMs / s.step(2)).toFixed(2)}× in CPU per step. ` +
            `Measured CPU per timed step, the other threads' included: 1 worker ${perStep(one.parallel, 'critical').toFixed(0)} (their ${one.otherCpuMs.toFixed(0)} ms on the spare core), 2 workers ${perStep(two.parallel, 'all').toFixed(0)} + ${two.otherCpuMs.toFixed(0)} on 2 cores → ${twoCoreSpeedup(one, two).toFixed(2)}× on 2 idle cores. ` +
            `Fastest step in wall time (the nearest to an idle machine while load comes and goes): 1 worker ${(one.parallel.fastestStepSeconds * 1000).toFixed(1)} ms, 2 workers ${(two.parallel.fastestStepSeconds * 1000).toFixed(1)} → ${(one.parallel.fastestStepSeconds / two.parallel.fastestStepSeconds).toFixed(2)}×.`,
        );
      }
    }
    out.push('', ...expect.map((e) => `Expected scaling — ${e}`));
  } finally {
    setWorkerCap(cap);
  }
  return { lines: out, paperBest };
}
