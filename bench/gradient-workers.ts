/**
 * What keeping a job's gradient workers alive across its trainings saves (core/ml/gradient-workers.ts; issue 14):
 * `npm run bench gradient-workers [-- --presets=paper,compact --size=64 --batch=16 --workers=2 --trainings=3 --epochs=4 --reps=1]`.
 * A job of `--trainings` data-parallel trainings (a paper CNN job: two k-splits and the final fit), each `--epochs`
 * epochs of 10 steps on wasm, run twice per rep: every training on fresh workers (before), and all on one set of
 * workers (now). Per training: the first 10 steps (the workers' start and model set-up included), then the whole
 * training; per job: the sum. Both in wall time and in this process's CPU (all its threads: the workers, V8's
 * background compilers and GC — what a busy machine's other load does not inflate much). One short untimed training
 * first warms this thread's own code, so the modes differ only in their workers.
 *
 * Workers start from the sources through tsx here (≈ 0.6 s more CPU per fresh pair, compact, than the app’s compiled files): to time
 * them as the app starts them, point FERROLAB_TEST_WORKER_BUNDLE at a test run's worker bundle
 * (test-output/cli-bundle-<version>-workers, of this code) and FERROLAB_TEST_WORKER_ROOT at the checkout.
 *
 * Measured 2026-12-01 (2-core AMD EPYC shared with three other sessions, load 5–11: wall too noisy to quote), bundled
 * workers, two runs, this process's CPU in s — second and third trainings; the first is fresh in both modes:
 * | preset | first 10 steps, kept | first 10, fresh | whole training, kept | fresh | job of 3, kept | fresh |
 * |---|---|---|---|---|---|---|
 * | paper | 6.6–7.4 | 10.1–11.7 | 23.6–26.0 | 27.8–31.9 | 76.3, 82.0 | 86.2, 92.5 |
 * | compact | 0.8–0.9 | 3.3–3.8 | 3.3–3.8 | 6.1–7.0 | 12.6, 14.8 | 18.3, 19.7 |
 */
import { selectBackend } from '../core/ml/backend.js';
import { buildModel, presetArchitecture } from '../core/ml/architecture.js';
import { trainRegressor } from '../core/ml/trainer.js';
import { GradientWorkers } from '../core/ml/gradient-workers.js';
import { setWorkerCap } from '../core/runtime/worker.js';
import { randomSet } from './_random-set.js';
import { list, num } from './_cnn-options.js';

const STEPS_PER_EPOCH = 10;


const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

interface Timed {
  wallMs: number;
  cpuMs: number;
}

interface Training {
  first10: Timed;
  whole: Timed;
}

async function training(preset: 'paper' | 'compact', size: number, batch: number, workers: number, epochs: number, seed: number, job: GradientWorkers | null): Promise<Training> {
  const model = buildModel(presetArchitecture(preset, { inputSize: size }), seed);
  const set = randomSet(batch * STEPS_PER_EPOCH, size, seed);
  const w0 = performance.now();
  const c0 = cpuMs();
  let first10: Timed | null = null;
  await trainRegressor(model, set, null, {
    epochs,
    batchSize: batch,
    learningRate: 1e-4,
    patience: epochs + 1,
    seed,
    parallel: { workers, ...(job ? { gradientWorkers: job } : {}) },
    onEpoch: (l) => {
      if (l.epoch === 1) first10 = { wallMs: performance.now() - w0, cpuMs: cpuMs() - c0 };
    },
  });
  const whole = { wallMs: performance.now() - w0, cpuMs: cpuMs() - c0 };
  model.dispose();
  return { first10: first10!, whole };
}

async function job(preset: 'paper' | 'compact', reuse: boolean, o: { size: number; batch: number; workers: number; trainings: number; epochs: number }): Promise<Training[]> {
  const handle = reuse ? new GradientWorkers({ workers: o.workers }) : null;
  const out: Training[] = [];
  try {
    for (let t = 0; t < o.trainings; t++) out.push(await training(preset, o.size, o.batch, o.workers, o.epochs, 11 + t, handle));
  } finally {
    await handle?.close();
  }
  return out;
}

const f = (ms: number) => (ms / 1000).toFixed(2);
const sum = (ts: Training[], k: 'first10' | 'whole', m: keyof Timed) => ts.reduce((s, t) => s + t[k][m], 0);

async function main(): Promise<void> {
  await selectBackend('wasm');
  const presets = list('presets', ['paper', 'compact']) as Array<'paper' | 'compact'>;
  const o = { size: num('size', 64), batch: num('batch', 16), workers: num('workers', 2), trainings: num('trainings', 3), epochs: num('epochs', 4) };
  const reps = num('reps', 1);
  setWorkerCap(o.workers);
  console.log(`wasm, ${o.workers} workers, batch ${o.batch}, ${o.size} px, ${o.trainings} trainings of ${o.epochs * STEPS_PER_EPOCH} steps per job; seconds (wall | this process's CPU, all threads)`);
  console.log('| preset | rep | workers | training | first 10 steps wall | first 10 CPU | whole training wall | whole CPU |');
  console.log('|---|---|---|---|---|---|---|---|');
  const totals: string[] = [];
  for (const preset of presets) {
    await training(preset, o.size, o.batch, o.workers, 1, 1, null); // warms this thread's code (untimed)
    for (let rep = 1; rep <= reps; rep++) {
      for (const reuse of [false, true]) {
        const ts = await job(preset, reuse, o);
        ts.forEach((t, i) => console.log(`| ${preset} | ${rep} | ${reuse ? 'kept' : 'fresh'} | ${i + 1} | ${f(t.first10.wallMs)} | ${f(t.first10.cpuMs)} | ${f(t.whole.wallMs)} | ${f(t.whole.cpuMs)} |`));
        totals.push(`| ${preset} | ${rep} | ${reuse ? 'kept' : 'fresh'} | ${f(sum(ts, 'first10', 'wallMs'))} | ${f(sum(ts, 'first10', 'cpuMs'))} | ${f(sum(ts, 'whole', 'wallMs'))} | ${f(sum(ts, 'whole', 'cpuMs'))} |`);
      }
    }
  }
  console.log('\nPer job (sums over its trainings):');
  console.log('| preset | rep | workers | first 10 steps wall | first 10 CPU | whole job wall | whole job CPU |');
  console.log('|---|---|---|---|---|---|---|');
  for (const t of totals) console.log(t);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
