/**
 * The data-parallel scaling table of `npm run bench cnn`: epoch throughput of training on 1…N gradient
 * workers (and this thread alone), paper preset at 64 px and compact, on wasm; plus what 8 cores should
 * give by Amdahl's law from the measured 1 → 2 step.
 */
import { buildModel, presetArchitecture } from '../core/ml/architecture.js';
import { trainRegressor } from '../core/ml/trainer.js';
import { setWorkerCap, workerCap } from '../core/runtime/worker.js';
import { createRng } from '../core/runtime/random.js';
import type { SampleSet } from '../core/ml/tensors.js';
import { Worker } from 'node:worker_threads';
import { benchOptions as o } from './_cnn-options.js';

function randomSet(n: number, size: number, seed: number): SampleSet {
  const rng = createRng(seed);
  const x = new Float32Array(n * size * size);
  for (let i = 0; i < x.length; i++) x[i] = rng.next();
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) y[i] = rng.next() * 2 - 1;
  return { x, y, count: n, shape: [size, size, 1] };
}

/** Images per second of the timed epochs (the first, untimed, starts the workers), and the serial share of a step. */
async function throughput(preset: 'paper' | 'compact', samples: number, workers: number | null): Promise<{ imgS: number; serial: number | null }> {
  const a = presetArchitecture(preset, { inputSize: 64 });
  const model = buildModel(a, 1);
  const epochs = 1 + o.scalingEpochs;
  const r = await trainRegressor(model, randomSet(samples, 64, 3), null, {
    epochs,
    batchSize: o.scalingBatch,
    learningRate: 1e-4,
    patience: epochs + 1,
    seed: 1,
    parallel: workers === null ? undefined : { workers },
  });
  model.dispose();
  const timed = r.history.slice(1);
  const p = r.parallel;
  return { imgS: (samples * timed.length) / timed.reduce((s, h) => s + h.seconds, 0), serial: p ? p.serialSeconds / (p.serialSeconds + p.workerSeconds * p.workers) : null };
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
    const ceiling = await machineParallelism(counts[counts.length - 1]);
    out.push(`Machine check: ${counts[counts.length - 1]} independent busy threads did ${ceiling.toFixed(2)}× the work of one right now (ideal ${counts[counts.length - 1]}×); no speed-up below can exceed it.`);
    out.push(`Data-parallel training on wasm, epoch throughput (batch ${o.scalingBatch}, ${o.scalingEpochs} timed epoch(s) after a warm-up; seed 1, data seed 3)`);
    out.push('| preset (64 px) | samples/epoch | gradient workers | img/s | speed-up vs 1 worker |');
    out.push('|---|---|---|---|---|');
    const expect: string[] = [];
    for (const preset of ['paper', 'compact'] as const) {
      if (o.quick && preset === 'paper') continue;
      const samples = preset === 'paper' ? o.scalingPaperSamples : o.scalingCompactSamples;
      const alone = (await throughput(preset, samples, null)).imgS;
      out.push(`| ${preset} | ${samples} | none (this thread) | ${alone.toFixed(1)} | – |`);
      let one = 0;
      let two = 0;
      let serialOne: number | null = null;
      for (const w of counts) {
        const m = await throughput(preset, samples, w);
        const t = m.imgS;
        if (w === 1) {
          one = t;
          serialOne = m.serial;
        }
        if (w === 2) two = t;
        out.push(`| ${preset} | ${samples} | ${w} | ${t.toFixed(1)} | ${(t / one).toFixed(2)}× |`);
        if (preset === 'paper' && (!paperBest || t > paperBest.imgS)) paperBest = { workers: w, imgS: t };
        process.stderr.write(`  scaling ${preset} ${w} worker(s): ${t.toFixed(1)} img/s\n`);
      }
      if (two > 0) {
        // t2/t1 = 1 / (f + (1 − f)/2)  →  serial fraction f = 2·t1/t2 − 1.
        const f = Math.min(1, Math.max(0, (2 * one) / two - 1));
        const s8 = 1 / (f + (1 - f) / 8);
        expect.push(`${preset}: serial fraction ${(f * 100).toFixed(0)} % from the 1 → 2 step → about ${s8.toFixed(1)}× on 8 physical cores (Amdahl; memory bandwidth and a shared machine lower it)`);
      }
      if (serialOne !== null) {
        // Measured inside each step of the 1-worker run (less exposed to load swings than two separate runs).
        const a = (n: number) => 1 / (serialOne! + (1 - serialOne!) / n);
        expect.push(`${preset}: reduce + Adam + weight sharing take ${(serialOne * 100).toFixed(0)} % of a 1-worker step → about ${a(2).toFixed(2)}× on 2, ${a(8).toFixed(1)}× on 8 cores (Amdahl)`);
      }
    }
    out.push('', ...expect.map((e) => `Expected on 8 cores — ${e}`));
  } finally {
    setWorkerCap(cap);
  }
  return { lines: out, paperBest };
}
