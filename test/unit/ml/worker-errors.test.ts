import * as tf from '@tensorflow/tfjs';
import { readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildModel, presetArchitecture } from '../../../core/ml/architecture.js';
import { modelToArtifacts, writeModelDir } from '../../../core/ml/model-io.js';
import { InferencePool } from '../../../core/ml/parallel-inference.js';
import { JobManager } from '../../../core/jobs/job-manager.js';
import { runWorker } from '../../../core/runtime/worker.js';
import { EventBus } from '../../../core/jobs/event-bus.js';
import { reportPhraser } from '../../../core/report/report-i18n.js';
import { clearGpuFailure, recordGpuFailure, throwIfGpuFailed } from '../../../core/ml/webgpu-backend.js';
import { toErrorBody } from '../../../core/api/errors.js';
import type { JobInfo } from '../../../core/api/events.js';
import { tempDir } from '../../helpers/temp.js';

/**
 * Issue 15: a failure inside a worker thread reaches the job's `error.phrase`, so the interface words it in Chinese
 * or Italian. The workers fail for real: an inference worker is handed a model whose files are damaged.
 */
const arch = presetArchitecture('compact', { inputSize: 8, blocks: 2, baseFilters: 2, dense: [4], dropout: 0 });
let root: string;
let cleanup: () => void;

/** A stored model folder of a tiny real network; `damage` spoils it the way a disk or another program would. */
async function modelDir(name: string, damage: (dir: string) => void): Promise<string> {
  const dir = join(root, name);
  const model = buildModel(arch, 1);
  writeModelDir(dir, await modelToArtifacts(model));
  model.dispose();
  damage(dir);
  return dir;
}

/** Predicts with the damaged model in an inference worker, as a job; resolves with the finished job. */
async function predictAsJob(dir: string): Promise<JobInfo> {
  const jobs = new JobManager(new EventBus(), 0);
  const job = jobs.start('cnn-predict', 'predict', async () => {
    const pool = new InferencePool(dir, arch.inputSize, 1, { mean: 0.4, scale: 0.1 }, { backend: 'cpu', workers: 1 });
    try {
      return await pool.predict([new Uint8Array(arch.inputSize * arch.inputSize)]);
    } finally {
      await pool.close();
    }
  });
  return jobs.wait(job.id);
}

beforeAll(async () => {
  await tf.setBackend('cpu');
  ({ dir: root, cleanup } = tempDir('ferrolab-worker-errors-'));
});
afterAll(() => cleanup());

describe('a worker that fails on a damaged model file fails its job with a phrase', () => {
  it('(the same model undamaged predicts: the checks refuse only what is broken)', async () => {
    const dir = await modelDir('intact', () => undefined);
    const end = await predictAsJob(dir);
    expect(end.state).toBe('done');
    const { mean } = end.result as { mean: number[] };
    expect(mean).toHaveLength(1);
    expect(Number.isFinite(mean[0])).toBe(true);
  });

  it('weights cut short: the worker refuses the files, and the job says so in zh and it', async () => {
    const dir = await modelDir('short', (d) => truncateSync(join(d, 'weights.bin'), 10));
    const end = await predictAsJob(dir);
    expect(end.state).toBe('failed');
    expect(end.error?.code).toBe('failed_precondition');
    const p = end.error!.phrase!;
    expect(p.code).toBe('workerErrors.modelFile.weightsSize');
    expect(p.params).toMatchObject({ dir, bytes: 10 });
    expect(end.phrase).toEqual(p);
    // the English frame keeps the pool's words; the phrase is the worker's own sentence
    expect(end.error!.message).toMatch(/^inference worker: weights in .* have 10 bytes, the manifest needs \d+$/);
    expect(reportPhraser('zh')(p)).toMatch(/中的权重有 10 字节，清单要求 \d+ 字节$/);
    expect(reportPhraser('it')(p)).toMatch(/hanno 10 byte, il manifesto ne richiede \d+$/);
  });

  it('a network tfjs cannot build: its own text is quoted inside the sentence of each language', async () => {
    const dir = await modelDir('bogus-layer', (d) => {
      const file = join(d, 'model.json');
      writeFileSync(file, readFileSync(file, 'utf8').replace('"class_name":"Conv2D"', '"class_name":"NoSuchLayer"'));
    });
    const end = await predictAsJob(dir);
    expect(end.state).toBe('failed');
    const p = end.error!.phrase!;
    expect(p.code).toBe('workerErrors.modelFile.unloadable');
    expect(String(p.params.detail)).toMatch(/NoSuchLayer/);
    expect(reportPhraser('zh')(p)).toMatch(/^无法加载模型的网络（.*NoSuchLayer.*）：其文件已损坏/);
    expect(reportPhraser('it')(p)).toMatch(/^impossibile caricare la rete del modello \(.*NoSuchLayer.*\): i suoi file sono danneggiati/);
  });

  it('a model folder without its model.json', async () => {
    const dir = await modelDir('no-json', (d) => writeFileSync(join(d, 'model.json'), '{"modelTopology": '));
    const end = await predictAsJob(dir);
    expect(end.error?.phrase?.code).toBe('workerErrors.modelFile.notJson');
    expect(reportPhraser('it')(end.error!.phrase!)).toContain('non si legge come JSON');
  });
});

describe('the training worker (one-shot) fails on a damaged base model: the job says so', () => {
  it('fine-tuning from a network tfjs cannot build: the worker\'s said failure keeps its code and phrase', async () => {
    const model = buildModel(arch, 1);
    const artifacts = await modelToArtifacts(model);
    model.dispose();
    const bogus = { ...artifacts, modelTopology: JSON.parse(JSON.stringify(artifacts.modelTopology).replace('"class_name":"Conv2D"', '"class_name":"NoSuchLayer"')) as object };
    const n = 10;
    const size = arch.inputSize;
    const jobs = new JobManager(new EventBus(), 0);
    const job = jobs.start('cnn-train', 'train', () =>
      runWorker(new URL('../../../core/segregation/cnn/train.worker.js', import.meta.url), {
        what: 'training',
        workerData: {
          backend: 'cpu',
          size,
          patchBuffer: new Uint8Array(n * size * size).map((_, i) => (i * 37) % 256),
          experiment: {
            architecture: arch,
            hyper: { epochs: 1, batchSize: 4, learningRate: 0.01, patience: 1 },
            carbon: Array.from({ length: n }, (_, i) => 0.3 + 0.01 * i),
            splits: [{ name: 'split 1', train: [0, 1, 2, 3, 4, 5], val: [6, 7], test: [8, 9], seed: 1 }],
            final: null,
            baseModel: bogus,
          },
        },
      }),
    );
    const end = await jobs.wait(job.id);
    expect(end.state).toBe('failed');
    expect(end.error?.code).toBe('failed_precondition');
    expect(end.error?.message).toMatch(/^training failed: the model's network cannot be loaded \(.*NoSuchLayer/);
    expect(end.error?.phrase?.code).toBe('workerErrors.modelFile.unloadable');
    expect(reportPhraser('it')(end.error!.phrase)).toMatch(/^impossibile caricare la rete del modello \(.*NoSuchLayer/);
  });
});

describe('the JoMiner training worker refuses data it cannot train on, said as a code', () => {
  it('no distance measured by enough heats: the refusal crosses the thread as a RefusedError with its phrase', async () => {
    const { generateSynthetic } = await import('../../../core/jominy/synth.js');
    const { trainInWorker } = await import('../../../core/jominy/train-job.js');
    // 40 heats, but each hardness point measured on at most 3 of them
    const samples = generateSynthetic({ n: 40, seed: 3 }).map((x, i) => ({ ...x, hardness: x.hardness.map((h, j) => (i < 3 && j === 0 ? h : Number.NaN)) }));
    const jobs = new JobManager(new EventBus(), 0);
    const job = jobs.start('jominy.train', 'train', () => trainInWorker(samples, { seed: 1, maxHidden: 1, epochs: 2 }));
    const end = await jobs.wait(job.id);
    expect(end.state).toBe('failed');
    expect(end.error?.code).toBe('failed_precondition');
    expect(end.error?.phrase?.code).toBe('workerErrors.jominy.noDistance');
    expect(end.error?.message).toMatch(/^JoMiner training failed: no distance was measured by enough heats to train a network \(at least \d+ training/);
    expect(reportPhraser('zh')(end.error!.phrase)).toMatch(/^没有任何距离被足够多的炉次测量过，无法训练网络（每个距离至少需要 \d+ 个训练/);
  });
});

describe('GPU failures are said, with their code', () => {
  it('out of memory and a lost device become unavailable errors worded in each language', () => {
    clearGpuFailure();
    recordGpuFailure('GPUOutOfMemoryError', 'Out of memory while allocating a buffer\n - While calling CreateBuffer');
    let err: unknown = null;
    try {
      throwIfGpuFailed();
    } catch (e) {
      err = e;
    }
    const body = toErrorBody(err);
    expect(body.code).toBe('unavailable');
    expect(body.phrase).toEqual({ code: 'workerErrors.gpu.outOfMemory', params: { detail: 'Out of memory while allocating a buffer' } });
    expect(reportPhraser('zh')(body.phrase)).toBe('WebGPU：GPU 显存不足（Out of memory while allocating a buffer）；结果已丢弃——请使用 --backend wasm 运行（设置 → 机器学习后端 → WebAssembly）');
    expect(reportPhraser('it')(body.phrase)).toMatch(/^WebGPU: la GPU ha esaurito la memoria \(Out of memory while allocating a buffer\); il risultato è stato scartato — esegui con --backend wasm/);
    clearGpuFailure();
    recordGpuFailure('lost', 'driver reset');
    try {
      throwIfGpuFailed();
    } catch (e) {
      err = e;
    }
    expect(toErrorBody(err).phrase).toEqual({ code: 'workerErrors.gpu.lost', params: { detail: 'driver reset' } });
    clearGpuFailure();
  });
});

describe('an error with no words of its own is framed by the work that failed', () => {
  it('a pool task throwing a plain error: its text quoted in "<work> failed"', async () => {
    const { WorkerPool } = await import('../../../core/runtime/worker-pool.js');
    const pool = new WorkerPool<number, number, string>(new URL('../foundation/square.worker.js', import.meta.url), { size: 1, workerData: { offset: 0 }, what: 'GA' });
    try {
      const err = await pool.run(-2).catch((e: unknown) => e);
      const body = toErrorBody(err);
      expect(body).toMatchObject({ code: 'internal', message: 'negative: -2', phrase: { code: 'workerErrors.failed.ga', params: { detail: 'negative: -2' } } });
      expect((err as Error).name).toBe('RangeError');
      expect(reportPhraser('zh')(body.phrase)).toBe('遗传算法（GA）失败：negative: -2');
      expect(reportPhraser('it')(body.phrase)).toBe("L'algoritmo genetico (GA) non è riuscito: negative: -2");
    } finally {
      await pool.close();
    }
  });
});
