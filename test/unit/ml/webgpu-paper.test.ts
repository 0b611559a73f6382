import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { relDiff, webGpuForTests } from '../../helpers/webgpu.js';
import { buildModel, PAPER_ARCHITECTURE, presetArchitecture } from '../../../core/ml/architecture.js';
import { predictAll } from '../../../core/ml/tensors.js';
import { predictTta } from '../../../core/ml/tta.js';
import { gradCamAsync, gradCam } from '../../../core/ml/gradcam.js';
import { trainRegressor } from '../../../core/ml/trainer.js';
import { clearGpuFailure, readBack } from '../../../core/ml/webgpu-backend.js';
import { inferenceBatch, largestTensorBytesPerSample } from '../../../core/ml/webgpu-limits.js';
import { createRng } from '../../../core/runtime/random.js';

let env: Awaited<ReturnType<typeof webGpuForTests>>;
beforeAll(async () => {
  env = await webGpuForTests();
});
afterEach(() => clearGpuFailure());


function uniform(n: number, seed: number): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: n }, () => rng.next());
}

/** A 512 px input through a 1×1 conv of `filters` channels: one sample's activation is 512·512·filters·4 bytes. */
function wideModel(filters: number): tf.Sequential {
  const m = tf.sequential();
  m.add(tf.layers.conv2d({ inputShape: [512, 512, 1], filters, kernelSize: 1, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }) }));
  m.add(tf.layers.globalAveragePooling2d({}));
  m.add(tf.layers.dense({ units: 1, kernelInitializer: tf.initializers.glorotUniform({ seed: 4 }) }));
  return m;
}

describe('webgpu on the paper preset and near the device limits', () => {
  it('a 224 px paper-preset forward (one image) completes with finite output equal to wasm (relative 1e-4)', async () => {
    const x = uniform(224 * 224, 7);
    const run = async (backend: 'wasm' | 'webgpu') => {
      await env.use(backend);
      const m = buildModel(PAPER_ARCHITECTURE, 7);
      const out = await predictAll(m, x, 1, [224, 224, 1]);
      m.dispose();
      return out;
    };
    const ref = await run('wasm');
    const gpu = await run('webgpu');
    expect(Number.isFinite(gpu[0])).toBe(true);
    expect(gpu[0]).not.toBe(0);
    expect(relDiff(gpu, ref)).toBeLessThan(1e-4);
  });

  it('why it once "produced nothing": a batch of 32 at 224 px needs a 196 MiB binding; batches are cut to what the device binds', async () => {
    await env.use('webgpu');
    const m = buildModel(PAPER_ARCHITECTURE, 7);
    const per = largestTensorBytesPerSample(m);
    expect(per).toBe(224 * 224 * 32 * 4); // the first conv block's output
    const limit = env.adapter.maxStorageBufferBindingSize!;
    expect(inferenceBatch(m, 32)).toBe(Math.min(32, Math.floor(limit / per)));
    if (limit < 32 * per) expect(inferenceBatch(m, 32)).toBeLessThan(32);
    m.dispose();
  });

  it('a batch over the binding limit, run raw, is a clear error — never zeros; predictAll cuts it and gets the right numbers', async () => {
    const limit = env.adapter.maxStorageBufferBindingSize!;
    // Filters so that one sample fits and two do not, whatever this device's limit.
    const filters = Math.max(1, Math.floor((0.55 * limit) / (512 * 512 * 4)));
    await env.use('webgpu');
    const m = wideModel(filters);
    // Flat images: the model's output is then dense(relu(v·w + b)) per sample, known exactly without a reference run.
    const levels = [0.25, 0.75];
    const x = new Float32Array(2 * 512 * 512);
    levels.forEach((v, i) => x.fill(v, i * 512 * 512, (i + 1) * 512 * 512));
    const [kw, kb, dw, db] = await Promise.all(m.getWeights().map(async (t) => (await t.data()) as Float32Array));
    const expected = levels.map((v) => {
      let s = db[0];
      for (let f = 0; f < filters; f++) s += Math.max(0, v * kw[f] + kb[f]) * dw[f];
      return s;
    });
    const raw = m.predict(tf.tensor4d(x, [2, 512, 512, 1])) as tf.Tensor;
    const refusedErr = await readBack(raw).catch((e: unknown) => e);
    expect(refusedErr).toMatchObject({ message: expect.stringMatching(/WebGPU: the GPU refused a command .*larger than the maximum storage buffer binding size.*--backend wasm/) });
    // the same failure as a code (issue 15): Dawn's own text quoted inside the sentence of the user's language
    expect(refusedErr).toMatchObject({ code: 'unavailable', phrase: { code: 'workerErrors.gpu.refused', params: { detail: expect.stringMatching(/larger than the maximum storage buffer binding size/) } } });
    raw.dispose();
    clearGpuFailure();
    const out = await predictAll(m, x, 2, [512, 512, 1]);
    expect(relDiff(out, expected)).toBeLessThan(1e-4);
    expect(Math.abs(expected[0] - expected[1])).toBeGreaterThan(1e-3); // two different answers, both right
    // Training cannot cut its batch: it refuses before the first step, naming the batch that fits.
    const set = { x, y: new Float32Array(2), count: 2, shape: [512, 512, 1] as [number, number, number] };
    await expect(trainRegressor(m, set, null, { epochs: 1, batchSize: 2, learningRate: 1e-3, patience: 1, seed: 1 })).rejects.toThrow(
      /WebGPU: a training batch of 2 needs a \d+ MiB GPU buffer, but this GPU binds at most \d+ MiB in one shader; use a batch size of at most 1, or run with --backend wasm/,
    );
    await expect(trainRegressor(m, set, null, { epochs: 1, batchSize: 2, learningRate: 1e-3, patience: 1, seed: 1 })).rejects.toMatchObject({ phrase: { code: 'workerErrors.gpu.batchTooLarge', params: { batch: 2, fits: 1 } } });
    m.dispose();
    // One sample that cannot fit at all is refused, not run.
    const huge = wideModel(Math.ceil((1.2 * limit) / (512 * 512 * 4)));
    await expect(predictAll(huge, x.subarray(0, 512 * 512), 1, [512, 512, 1])).rejects.toThrow(/one sample of this network needs a \d+ MiB GPU buffer.*--backend wasm/);
    huge.dispose();
  });

  it('TTA and Grad-CAM on webgpu equal cpu; the synchronous Grad-CAM refuses webgpu instead of failing inside tfjs', async () => {
    const arch = presetArchitecture('compact', { inputSize: 16, blocks: 2, convsPerBlock: 1, baseFilters: 4, dense: [8], dropout: 0.1 });
    const rng = createRng(5);
    const patches = Array.from({ length: 3 }, () => Uint8Array.from({ length: 256 }, () => Math.floor(rng.next() * 256)));
    const run = async (backend: 'cpu' | 'webgpu') => {
      await env.use(backend);
      const m = buildModel(arch, 13);
      const tta = await predictTta(m, patches, 16, 1, { mean: 0.4, scale: 0.1 });
      const cam = await gradCamAsync(m, Float32Array.from(patches[0], (v) => v / 255), 2);
      if (backend === 'webgpu') expect(() => gradCam(m, new Float32Array(256), 1)).toThrow(/use gradCamAsync/);
      m.dispose();
      return { tta, cam };
    };
    const cpu = await run('cpu');
    const gpu = await run('webgpu');
    expect(relDiff(gpu.tta.mean, cpu.tta.mean)).toBeLessThan(1e-4);
    expect(relDiff(gpu.tta.sd, cpu.tta.sd)).toBeLessThan(1e-3);
    expect(cpu.cam.rawMax).toBeGreaterThan(0);
    expect(relDiff(gpu.cam.cam, cpu.cam.cam)).toBeLessThan(1e-3);
    expect(Math.abs(gpu.cam.prediction - cpu.cam.prediction)).toBeLessThan(1e-4 * Math.max(1, Math.abs(cpu.cam.prediction)));
  });

  // Last in the file: it destroys this thread's device.
  it('a lost device fails every later prediction with a clear error, never a number', async () => {
    await env.use('webgpu');
    const m = buildModel(presetArchitecture('compact', { inputSize: 16, blocks: 2, convsPerBlock: 1, baseFilters: 4, dense: [8] }), 3);
    const x = uniform(256, 1);
    expect(Number.isFinite((await predictAll(m, x, 1, [16, 16, 1]))[0])).toBe(true);
    (tf.backend() as unknown as { device: { destroy(): void } }).device.destroy();
    for (let i = 0; i < 2; i++) await expect(predictAll(m, x, 1, [16, 16, 1])).rejects.toThrow(/WebGPU: .*device was lost.*restart Ferrolab.*--backend wasm/);
  });
});
