import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { relDiff, webGpuForTests } from '../../helpers/webgpu.js';
import { chunkedFilterGrad, filterGradChunks, stockWebGpuFilterGrad } from '../../../core/ml/kernels/webgpu-filter-grad.js';
import { createRng } from '../../../core/runtime/random.js';

/**
 * The chunked filter gradient on webgpu (kernels/webgpu-filter-grad.ts) against the cpu backend's dW, the
 * reference: shapes with 'same' and 'valid' padding, strides 1 and 2, 1×1 and 2×2 filters, odd sizes (the
 * asymmetric 'same' pad), chunks that divide the rows and chunks that do not, and one chunk (no second pass).
 */
const TOL = 1e-5;
let env: Awaited<ReturnType<typeof webGpuForTests>>;
beforeAll(async () => {
  env = await webGpuForTests();
});

function uniform(n: number, seed: number): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: n }, () => 2 * rng.next() - 1);
}

interface Case {
  x: [number, number, number, number];
  filter: [number, number, number, number];
  strides: number;
  pad: 'same' | 'valid';
}

const CASES: Case[] = [
  { x: [2, 9, 9, 3], filter: [3, 3, 3, 5], strides: 1, pad: 'same' },
  { x: [3, 10, 11, 2], filter: [3, 3, 2, 4], strides: 2, pad: 'valid' },
  { x: [2, 7, 7, 3], filter: [2, 2, 3, 2], strides: 2, pad: 'same' },
  { x: [2, 5, 6, 4], filter: [1, 1, 4, 3], strides: 1, pad: 'valid' },
  { x: [1, 12, 5, 1], filter: [3, 3, 1, 6], strides: 1, pad: 'same' },
];

/** dW = d sum(conv2d(x, w) · r) / dw on a backend, through tf.grad (the registered kernel). */
async function gradOn(backend: 'cpu' | 'webgpu', c: Case, seed: number): Promise<Float32Array> {
  await env.use(backend);
  const x = tf.tensor4d(uniform(c.x.reduce((a, b) => a * b), seed), c.x);
  const w = tf.tensor4d(uniform(c.filter.reduce((a, b) => a * b), seed + 1), c.filter);
  const y = tf.conv2d(x, w, c.strides, c.pad);
  const r = tf.tensor(uniform(y.size, seed + 2), y.shape);
  const g = tf.grad((wv: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(x, wv as tf.Tensor4D, c.strides, c.pad), r)))(w);
  const out = (await g.data()) as Float32Array;
  tf.dispose([x, w, y, r, g]);
  return out;
}

/** The kernel called directly with a chosen thread target (so the chunk count is the test's). */
async function chunkedOn(c: Case, seed: number, target: number): Promise<Float32Array> {
  await env.use('webgpu');
  const x = tf.tensor4d(uniform(c.x.reduce((a, b) => a * b), seed), c.x);
  const w = tf.tensor4d(uniform(c.filter.reduce((a, b) => a * b), seed + 1), c.filter);
  const y = tf.conv2d(x, w, c.strides, c.pad);
  const r = tf.tensor(uniform(y.size, seed + 2), y.shape);
  const info = chunkedFilterGrad(x, r, { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', filterShape: c.filter }, tf.backend() as never, target);
  expect(info).not.toBeNull();
  const g = tf.engine().makeTensorFromTensorInfo(info!);
  expect(g.shape).toEqual(c.filter);
  const out = (await g.data()) as Float32Array;
  tf.dispose([x, w, y, r, g]);
  return out;
}

describe('chunk choice', () => {
  it('aims at the thread target, never more chunks than rows, never an empty chunk', () => {
    expect(filterGradChunks(1792, 288)).toEqual({ chunks: 1792, rowsPerChunk: 1 }); // paper conv1_1, batch 8
    expect(filterGradChunks(1792, 9216)).toEqual({ chunks: 112, rowsPerChunk: 16 }); // conv1_2: 1.03 M threads
    expect(filterGradChunks(56, 3 * 3 * 1024 * 1024)).toEqual({ chunks: 1, rowsPerChunk: 56 }); // conv6_2
    for (const [rows, size, target] of [[18, 135, 200], [15, 48, 1000], [7, 1, 5], [100, 3, 1 << 20]]) {
      const { chunks, rowsPerChunk } = filterGradChunks(rows, size, target);
      expect(chunks).toBeLessThanOrEqual(rows);
      expect((chunks - 1) * rowsPerChunk).toBeLessThan(rows); // the last chunk has a row
      expect(chunks * rowsPerChunk).toBeGreaterThanOrEqual(rows); // every row is in a chunk
    }
    expect(() => filterGradChunks(0, 9)).toThrow(/0 rows/);
  });
});

describe('chunked filter gradient on webgpu', () => {
  it('is the registered kernel, with tfjs\'s kept as the fallback', () => {
    expect((tf.getKernel('Conv2DBackpropFilter', 'webgpu') as { ferrolab?: boolean }).ferrolab).toBe(true);
    expect(stockWebGpuFilterGrad()?.backendName).toBe('webgpu');
  });

  it.each(CASES.map((c, i) => [i, c] as const))('case %i: tf.grad on webgpu equals the cpu reference', async (i, c) => {
    const ref = await gradOn('cpu', c, 10 * i + 1);
    const gpu = await gradOn('webgpu', c, 10 * i + 1);
    expect(relDiff(gpu, ref)).toBeLessThan(TOL);
  });

  it('gives the same dW with one chunk, uneven chunks and one row per chunk', async () => {
    for (const [i, c] of CASES.entries()) {
      const ref = await gradOn('cpu', c, 100 + i);
      const size = c.filter.reduce((a, b) => a * b);
      // target 1: one chunk; 3·size: three-ish chunks (uneven for most row counts); huge: one row per chunk.
      for (const target of [1, 3 * size, 1 << 30]) {
        const got = await chunkedOn(c, 100 + i, target);
        expect(relDiff(got, ref), `case ${i}, target ${target}`).toBeLessThan(TOL);
      }
    }
  });

  it('leaves NCHW to the stock kernel', async () => {
    await env.use('webgpu');
    const x = tf.zeros([1, 2, 4, 4]);
    const dy = tf.zeros([1, 3, 4, 4]);
    expect(chunkedFilterGrad(x, dy, { strides: 1, pad: 'same', dataFormat: 'NCHW', filterShape: [3, 3, 2, 3] }, tf.backend() as never)).toBeNull();
    tf.dispose([x, dy]);
  });
});
