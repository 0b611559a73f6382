import { describe, it, expect, beforeAll, afterEach } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { backends } from './setup-backends.js';
import { buildModel, presetArchitecture, type ArchitectureSpec } from '../../../core/ml/architecture.js';
import { trainRegressor, type TrainOptions } from '../../../core/ml/trainer.js';
import { GradientWorkers } from '../../../core/ml/gradient-workers.js';
import { liveWorkers, setWorkerCap, workerCap, workersInUse, workersStarted } from '../../../core/runtime/worker.js';
import { runExperiment, runSplit, type ExperimentInput } from '../../../core/segregation/cnn/experiment.js';
import { finalFitSplit, randomPointSplits } from '../../../core/segregation/cnn/splits.js';
import { createRng } from '../../../core/runtime/random.js';
import { brightnessSet } from '../../helpers/brightness-set.js';

/**
 * A job's gradient workers kept alive across its trainings (core/ml/gradient-workers.ts): a training on reused workers
 * gives the same bits as on fresh ones, and a failed or cancelled training leaves none alive for the next to read.
 */
const small = presetArchitecture('compact', { inputSize: 8, blocks: 2, baseFilters: 2, dense: [8], dropout: 0.2 });
// Two filters of ≥ 2^20 weights: their products run in the shared arena (transposes, per-shard scratch, deferred loads).
const large = presetArchitecture('compact', { inputSize: 8, blocks: 3, convsPerBlock: 1, baseFilters: 256, dense: [4], dropout: 0.1 });

const flat = (m: tf.LayersModel) => m.getWeights().flatMap((w) => Array.from(w.dataSync()));
const cap = workerCap();
/** Weights that are not the same float (Object.is: -0 and NaN told apart); a count, so a failure prints no 3 M-float diff. */
const differing = (a: number[], b: number[]) => (a.length !== b.length ? -1 : a.reduce((n, v, i) => n + (Object.is(v, b[i]) ? 0 : 1), 0));

beforeAll(async () => {
  await (await backends()).use('wasm');
});

afterEach(() => setWorkerCap(cap));

async function train(arch: ArchitectureSpec, seed: number, workers: GradientWorkers | null, extra: Partial<TrainOptions> = {}) {
  const model = buildModel(arch, seed);
  try {
    const r = await trainRegressor(model, brightnessSet(10, seed), null, {
      epochs: 2, batchSize: 4, learningRate: arch === large ? 0.001 : 0.01, patience: 10, seed,
      parallel: { workers: 2, ...(workers ? { gradientWorkers: workers } : {}) },
      ...extra,
    });
    return { w: flat(model), loss: r.history.map((h) => h.loss), steps: r.parallel!.steps };
  } finally {
    model.dispose();
  }
}

/** The job's next training started fresh workers (`counts`) and gives the bits a training on fresh workers gives. */
async function expectNextOnFreshWorkers(job: GradientWorkers, counts: GradientWorkers['counts']) {
  const next = await train(small, 11, job);
  expect(job.counts).toEqual(counts);
  await job.close();
  const fresh = await train(small, 11, null);
  expect(differing(next.w, fresh.w)).toBe(0);
  expect(next.loss).toEqual(fresh.loss);
}

describe('gradient workers kept across a job’s trainings', () => {
  it('a seeded training gives the same weights and losses on reused workers as on fresh ones (same layout, and another)', async () => {
    setWorkerCap(2);
    const job = new GradientWorkers({ workers: 2 });
    try {
      // Small model, then the large one (a new arena on the same workers), then the large one again (the arena zeroed
      // and reused, with the workers' modules on it): each must equal its run on fresh workers.
      const a = await train(small, 3, job);
      const b1 = await train(large, 5, job);
      const b2 = await train(large, 5, job);
      const c = await train(small, 11, job);
      expect(job.counts).toEqual({ trainings: 4, reused: 3, poolsStarted: 1 });
      // Between trainings the workers stay (two threads of the cap held), with no model of theirs.
      expect(liveWorkers()).toBe(2);
      expect(workersInUse()).toBe(2);
      await job.close();
      expect(liveWorkers()).toBe(0);
      expect(workersInUse()).toBe(0);
      const freshA = await train(small, 3, null);
      const freshB = await train(large, 5, null);
      const freshC = await train(small, 11, null);
      expect(differing(a.w, freshA.w)).toBe(0);
      expect(a.loss).toEqual(freshA.loss);
      expect(differing(b1.w, freshB.w)).toBe(0);
      expect(b1.loss).toEqual(freshB.loss);
      expect(differing(b2.w, freshB.w)).toBe(0);
      expect(b2.loss).toEqual(freshB.loss);
      expect(differing(c.w, freshC.w)).toBe(0);
      expect(c.loss).toEqual(freshC.loss);
      // Not a vacuous comparison: the runs trained (2 epochs of ⌈10 / 4⌉ steps) and differ from each other.
      expect(a.steps).toBe(6);
      expect(differing(c.w, a.w)).toBeGreaterThan(0);
      const init = buildModel(small, 3);
      const start = flat(init);
      init.dispose();
      expect(Math.max(...a.w.map((v, i) => Math.abs(v - start[i])))).toBeGreaterThan(1e-3);
    } finally {
      await job.close();
    }
    expect(liveWorkers()).toBe(0);
  }, 240_000);

  it('a failed training terminates the job’s workers; the next starts fresh ones and gives the fresh bits', async () => {
    setWorkerCap(2);
    const job = new GradientWorkers({ workers: 2 });
    try {
      await train(small, 3, job);
      let liveInRun = 0;
      const failing = train(small, 4, job, {
        onEpoch: () => {
          liveInRun = liveWorkers();
          throw new Error('the job failed here');
        },
      });
      await expect(failing).rejects.toThrow('the job failed here');
      expect(liveInRun).toBe(2);
      // Discarded, not kept for the next training: no thread alive or leased although the job's handle is still open.
      expect(liveWorkers()).toBe(0);
      expect(workersInUse()).toBe(0);
      await expectNextOnFreshWorkers(job, { trainings: 3, reused: 1, poolsStarted: 2 });
    } finally {
      await job.close();
    }
    expect(liveWorkers()).toBe(0);
  }, 120_000);

  it('a worker that exits while the job’s workers are idle is replaced: the next training starts fresh ones and gives the fresh bits', async () => {
    setWorkerCap(2);
    const job = new GradientWorkers({ workers: 2 });
    try {
      await train(small, 3, job);
      expect(liveWorkers()).toBe(2);
      // Reaches into the handle's pool: nothing in the product kills an idle gradient worker, a crash of its thread does.
      const pool = (job as unknown as { pool: { slots: { worker: { terminate(): Promise<number> } }[] } }).pool;
      await pool.slots[0].worker.terminate();
      await expect.poll(() => liveWorkers()).toBe(1);
      await expectNextOnFreshWorkers(job, { trainings: 2, reused: 0, poolsStarted: 2 });
    } finally {
      await job.close();
    }
    expect(liveWorkers()).toBe(0);
    expect(workersInUse()).toBe(0);
  }, 120_000);

  it('cancelling a training with a step in flight stops the job’s workers (AbortError), and a closed handle refuses', async () => {
    setWorkerCap(2);
    const job = new GradientWorkers({ workers: 2 });
    try {
      await train(small, 3, job);
      const ac = new AbortController();
      const p = train(small, 4, job, {
        epochs: 50,
        patience: 100,
        signal: ac.signal,
        // A microtask runs at the trainer's next await: the next step's shards are then posted and being computed.
        onEpoch: (l) => {
          if (l.epoch === 1) queueMicrotask(() => ac.abort());
        },
      });
      await expect(p).rejects.toMatchObject({ name: 'AbortError' });
      expect(liveWorkers()).toBe(0);
      expect(workersInUse()).toBe(0);
      await job.close();
      await expect(train(small, 5, job)).rejects.toThrow('the gradient workers were closed');
      expect(liveWorkers()).toBe(0);
    } finally {
      await job.close();
    }
  }, 120_000);
});

describe('a CNN job (runExperiment) with data-parallel training', () => {
  it('trains its splits and final fit on one pair of gradient workers, each run as on fresh workers, none left after', async () => {
    setWorkerCap(2);
    // 20 points of 8×8 px whose carbon is their mean grey level (a relation the small net learns a little of in 2 epochs).
    const rng = createRng(21);
    const patches = Array.from({ length: 20 }, () => Uint8Array.from({ length: 64 }, () => Math.floor(rng.next() * 256)));
    const carbon = patches.map((p) => 0.1 + (p.reduce((s, v) => s + v, 0) / 64 / 255) * 0.5);
    const input: ExperimentInput = {
      architecture: small,
      hyper: { epochs: 2, batchSize: 4, learningRate: 0.01, patience: 10, augment: 'none' },
      patches,
      carbon,
      splits: randomPointSplits(20, 2, 5),
      final: finalFitSplit(20, 5),
      parallel: { workers: 2 },
    };
    const started = workersStarted();
    const live: number[] = [];
    const job = await runExperiment(input, { onEpoch: () => live.push(liveWorkers()) });
    // 3 trainings on 2 workers started once (each training started its own 2 before: 6).
    expect(workersStarted() - started).toBe(2);
    expect(live).toEqual([2, 2, 2, 2, 2, 2]);
    expect(liveWorkers()).toBe(0);
    expect(workersInUse()).toBe(0);
    // Each split as runSplit trains it alone, on fresh workers: the same losses and the same test predictions.
    for (let s = 0; s < 2; s++) {
      const alone = await runSplit(input, input.splits[s]);
      expect(job.splits[s].history.map((h) => [h.loss, h.valMae])).toEqual(alone.history.map((h) => [h.loss, h.valMae]));
      expect(job.splits[s].testPoints).toEqual(alone.testPoints);
      expect(job.splits[s].testPoints.length).toBeGreaterThan(0);
    }
    const finalAlone = await runSplit(input, input.final!);
    expect(job.final.history.map((h) => h.loss)).toEqual(finalAlone.history.map((h) => h.loss));
    expect(job.final.trainPoints).toEqual(finalAlone.trainPoints);
    expect(liveWorkers()).toBe(0);
  }, 180_000);
});
