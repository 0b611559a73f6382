/**
 * Is the training estimate's measured step the step a run takes? `segregation train` states "one warm training step
 * … × planned steps" before the first epoch (core/ml/step-timer.ts measureTrainStep, first thing in the fresh
 * training worker). For a few small configurations, each in a FRESH process (cold, as each training job's worker
 * is): the probe as it was before 27-I (one untimed step, median of the next 3) and as it is (WARM_UP: discarded
 * until warm), then a real run's epochs (core/segregation/cnn/experiment.ts, 61 training points × 8 views,
 * 7 validation points, 3 epochs), on wasm, one thread. Prints estimate vs actual, both in this thread's CPU seconds
 * (Linux; wall elsewhere) so that other work on a shared machine stays out: the product times wall clock.
 * Second table: the reproduction's step model (core/experiments/segregation/cnn-protocol.ts stepSeconds, scaled by
 * the warm 32 px reference step as the reproduction worker does) against warm steps measured at other sizes.
 * Run: npx tsx bench/train-estimate-step.ts [--epochs=3]
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ensureBackend } from '../core/ml/backend.js';
import { measureTrainStep, WARM_UP, type WarmUpRule } from '../core/ml/step-timer.js';
import { presetArchitecture, type ArchitectureSpec } from '../core/ml/architecture.js';
import { runExperiment } from '../core/segregation/cnn/experiment.js';
import { threadCpuClock, threadMs } from './_thread-cpu.js';
import { FULL_CNN, networkCost, QUICK_CNN, referenceArchitecture, stepSeconds } from '../core/experiments/segregation/cnn-protocol.js';
import { scratchArchitecture } from '../core/experiments/segregation/transfer-learning.js';
import { REFERENCE_STEP_ARCHITECTURE, REFERENCE_STEP_SECONDS } from '../core/experiments/runner.js';

const arg = (name: string, dflt: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? dflt;
const epochs = Number(arg('epochs', '3'));
const CONFIGS: { name: string; a: ArchitectureSpec; batch: 16 | 32 }[] = [
  { name: 'compact 32 px, 3 blocks, b16', a: presetArchitecture('compact', { inputSize: 32, blocks: 3 }), batch: 16 },
  { name: 'compact 32 px, 4 blocks, b16', a: presetArchitecture('compact', { inputSize: 32 }), batch: 16 },
  { name: 'compact 48 px, 4 blocks, b32', a: presetArchitecture('compact', { inputSize: 48 }), batch: 32 },
];
const BEFORE: WarmUpRule = { minDiscard: 1, maxDiscard: 1, warmUpSeconds: 0, timed: 3 };

const child = arg('child', '');
if (child === 'model') {
  await ensureBackend('wasm');
  const clock = () => threadMs() / 1000;
  const ref = await measureTrainStep(REFERENCE_STEP_ARCHITECTURE, 16, WARM_UP, clock);
  const speed = ref.seconds / REFERENCE_STEP_SECONDS;
  console.log(`\nstep model × ${speed.toFixed(3)} (reference: 32 px, 4 blocks, b16 measured ${(ref.seconds * 1000).toFixed(1)} ms, model ${(REFERENCE_STEP_SECONDS * 1000).toFixed(1)} ms)`);
  console.log('| network | layers | batch × multiply-adds | measured warm step (ms) | step model × speed (ms) | measured / model |');
  console.log('|---|---|---|---|---|---|');
  const nets: [string, ArchitectureSpec, number][] = [['scratch 16 px', scratchArchitecture(16), 16], ['quick reference 16 px', referenceArchitecture(QUICK_CNN, 16), 16], ['quick reference 32 px', referenceArchitecture(QUICK_CNN, 32), 16], ['scratch 64 px', scratchArchitecture(64), 16], ['quick reference 64 px', referenceArchitecture(QUICK_CNN, 64), 16], ['scratch 96 px', scratchArchitecture(96), 16], ['scratch 128 px, b32', scratchArchitecture(128), 32], ['full reference 32 px', referenceArchitecture(FULL_CNN, 32), 16]];
  for (const [name, a, b] of nets) {
    const m = await measureTrainStep(a, b, WARM_UP, clock);
    const model = stepSeconds(a, b) * speed;
    console.log(`| ${name} | ${networkCost(a).layers} | ${(b * networkCost(a).multiplyAdds / 1e6).toFixed(0)} M | ${(m.seconds * 1000).toFixed(1)} | ${(model * 1000).toFixed(1)} | ${(m.seconds / model).toFixed(2)} |`);
  }
} else if (child) {
  const [i, probe] = child.split(':');
  const c = CONFIGS[Number(i)];
  await ensureBackend('wasm');
  const n = 61;
  const size = c.a.inputSize;
  const clock = () => threadMs() / 1000;
  const t0 = clock();
  const step = await measureTrainStep(c.a, c.batch, probe === 'before' ? BEFORE : WARM_UP, clock);
  const probeSeconds = clock() - t0;
  const patches = Array.from({ length: n + 7 }, (_, k) => Uint8Array.from({ length: size * size }, (_, j) => (k * 31 + j * 17) % 256));
  const carbon = patches.map((_, k) => 0.42 + 0.001 * (k % 13));
  const r0 = clock();
  const run = await runExperiment({ architecture: c.a, hyper: { epochs, batchSize: c.batch, learningRate: 0.002, patience: 100 }, patches, carbon, splits: [{ name: 's', train: Array.from({ length: n }, (_, k) => k), val: [61, 62, 63, 64, 65, 66, 67], test: [], seed: 1 }], final: null });
  const steps = epochs * Math.ceil((n * 8) / c.batch);
  // the whole run (its epochs, validation included, and its final evaluation), in this thread's CPU time
  const actual = run.splits.length ? clock() - r0 : 0;
  console.log(JSON.stringify({ step, probeSeconds, steps, actual }));
} else {
  console.log(`clock: ${threadCpuClock ? 'this thread\'s CPU time' : 'wall (no per-thread CPU clock here)'}`);
  console.log(`| configuration | probe | probe took (s) | discarded | cold step (ms) | step used (ms) | estimate (s) | actual, ${epochs} epochs + evaluation (s) | actual / estimate |`);
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (let i = 0; i < CONFIGS.length; i++) {
    for (const probe of ['before', 'warm']) {
      const r = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), `--child=${i}:${probe}`, `--epochs=${epochs}`], { encoding: 'utf8' });
      const line = r.stdout.split('\n').find((l) => l.startsWith('{'));
      if (!line) throw new Error(`child ${i}:${probe} failed: ${r.stderr}`);
      const o = JSON.parse(line) as { step: { seconds: number; discarded: number; coldSeconds: number }; probeSeconds: number; steps: number; actual: number };
      const est = o.step.seconds * o.steps;
      console.log(`| ${CONFIGS[i].name} | ${probe === 'before' ? 'before 27-I (1 untimed, median of 3)' : 'warm (WARM_UP)'} | ${o.probeSeconds.toFixed(2)} | ${o.step.discarded} | ${(o.step.coldSeconds * 1000).toFixed(0)} | ${(o.step.seconds * 1000).toFixed(1)} | ${est.toFixed(1)} | ${o.actual.toFixed(1)} | ${(o.actual / est).toFixed(2)} |`);
    }
  }
  const r = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--child=model'], { encoding: 'utf8' });
  console.log(r.stdout.split('\n').filter((l) => l.startsWith('|') || l.startsWith('step model') || l === '').join('\n'));
}
