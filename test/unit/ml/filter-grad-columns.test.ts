import { describe, it, expect, vi } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { backendsForFile } from './setup-backends.js';
import { createRng } from '../../../core/runtime/random.js';
import { convGeometry, type Pad } from '../../../core/ml/kernels/conv-geometry.js';
import { columnsApply, filterGradByColumns, filterGradTapwise } from '../../../core/ml/kernels/filter-grad-columns.js';
import { relErr } from '../../helpers/rel-err.js';

vi.mock('../../../core/ml/kernels/filter-grad-columns.js', async (load) => {
  const real = await load<typeof import('../../../core/ml/kernels/filter-grad-columns.js')>();
  return { ...real, filterGradByColumns: vi.fn(real.filterGradByColumns) };
});

/**
 * The filter gradient of many channels on few pixels as one product colsᵀ · dy on wasm, against the cpu backend's
 * Conv2DBackpropFilter: paddings symmetric, asymmetric, larger than the filter and none; strides 1 and 2; a
 * filter larger than the image; a 1×1 image (the paper model's last block at 32 px).
 */
const be = backendsForFile();

type Case = { x: [number, number, number, number]; f: [number, number]; co: number; pad: Pad; s?: number };
const CASES: Case[] = [
  { x: [2, 7, 7, 5], f: [3, 3], co: 6, pad: 'same' },
  { x: [3, 2, 2, 4], f: [3, 3], co: 5, pad: 'same' }, // 2×2 pixels: most taps fall outside
  { x: [2, 1, 1, 3], f: [3, 3], co: 4, pad: 'same' },
  { x: [1, 6, 8, 2], f: [2, 2], co: 5, pad: 'same' }, // top 0, bottom 1
  { x: [2, 8, 6, 3], f: [3, 3], co: 2, pad: 'valid' },
  { x: [2, 4, 5, 3], f: [3, 3], co: 2, pad: 2 }, // output larger than the input
  { x: [1, 5, 4, 2], f: [3, 2], co: 3, pad: [[0, 0], [2, 0], [0, 3], [0, 0]] },
  { x: [2, 2, 3, 2], f: [5, 5], co: 2, pad: 'same' }, // filter larger than the image
  { x: [2, 9, 7, 3], f: [3, 3], co: 4, pad: 'same', s: 2 },
  { x: [1, 8, 8, 2], f: [3, 3], co: 3, pad: 'valid', s: 2 },
];

function input(c: Case, seed: number) {
  const filterShape: [number, number, number, number] = [c.f[0], c.f[1], c.x[3], c.co];
  const g = convGeometry(c.x, filterShape, c.s ?? 1, c.pad, undefined, 'NHWC');
  const rng = createRng(seed);
  const xs = Float32Array.from({ length: c.x.reduce((a, b) => a * b, 1) }, () => rng.next() * 2 - 1);
  const dys = Float32Array.from({ length: g.batch * g.outH * g.outW * c.co }, () => rng.next() * 2 - 1);
  const dyShape: [number, number, number, number] = [g.batch, g.outH, g.outW, c.co];
  return { g, xs, dys, dyShape, attrs: { strides: c.s ?? 1, pad: c.pad, dataFormat: 'NHWC', dimRoundingMode: undefined, filterShape } as unknown as tf.NamedAttrMap };
}

describe('column-product filter gradient (wasm)', () => {
  it('equals the cpu backend’s dW for every padding and stride', async () => {
    let checked = 0;
    for (const [k, c] of CASES.entries()) {
      const { g, xs, dys, dyShape, attrs } = input(c, 300 + k);
      await be.use('cpu');
      const ref = tf.tidy(() => (tf.engine().runKernel('Conv2DBackpropFilter', { x: tf.tensor4d(xs, c.x), dy: tf.tensor4d(dys, dyShape) }, attrs) as tf.Tensor).dataSync());
      await be.use('wasm');
      const before = tf.memory().numTensors;
      const got = tf.tidy(() => filterGradByColumns(tf.tensor4d(xs, c.x), tf.tensor4d(dys, dyShape), g).dataSync());
      expect(tf.memory().numTensors).toBe(before);
      expect(got.length).toBe(ref.length);
      expect(relErr(ref, got), JSON.stringify(c)).toBeLessThan(1e-5);
      checked++;
    }
    expect(checked).toBe(CASES.length);
  });

  it('tap by tap (taken where most of colsᵀ is padding) equals the cpu backend’s dW for every padding and stride, leaving nothing on the heap', async () => {
    const stored = () => (tf.backend() as unknown as { dataIdMap: { numDataIds(): number } }).dataIdMap.numDataIds();
    for (const [k, c] of CASES.entries()) {
      const { g, xs, dys, dyShape, attrs } = input(c, 500 + k);
      await be.use('cpu');
      const ref = tf.tidy(() => (tf.engine().runKernel('Conv2DBackpropFilter', { x: tf.tensor4d(xs, c.x), dy: tf.tensor4d(dys, dyShape) }, attrs) as tf.Tensor).dataSync());
      await be.use('wasm');
      const before = stored();
      const got = tf.tidy(() => filterGradTapwise(tf.tensor4d(xs, c.x), tf.tensor4d(dys, dyShape), g).dataSync());
      expect(stored()).toBe(before);
      expect(relErr(ref, got), JSON.stringify(c)).toBeLessThan(1e-5);
    }
  });

  it('is what the registered wasm Conv2DBackpropFilter runs on many channels below the tap-wise sizes, and not on the compact preset', async () => {
    await be.use('wasm');
    const geo = (x: [number, number, number, number], co: number) => convGeometry(x, [3, 3, x[3], co], 1, 'same', undefined, 'NHWC');
    expect(columnsApply(geo([8, 7, 7, 1024], 1024))).toBe(true); // the paper model's last block at 224 px
    expect(columnsApply(geo([8, 7, 7, 512], 1024))).toBe(true);
    expect(columnsApply(geo([4, 2, 2, 1024], 1024))).toBe(true); // at 64 px, a data-parallel shard
    expect(columnsApply(geo([8, 8, 8, 128], 256))).toBe(true);
    expect(columnsApply(geo([8, 8, 8, 64], 64))).toBe(false); // the compact preset's last block keeps the conv trick
    expect(columnsApply(geo([64, 8, 8, 32], 32))).toBe(false);
    expect(columnsApply(geo([64, 56, 56, 128], 128))).toBe(false); // colsᵀ over 32 MB
    const c: Case = { x: [2, 3, 3, 128], f: [3, 3], co: 128, pad: 'same' };
    const { xs, dys, dyShape, attrs } = input(c, 9);
    const run = async (backend: 'wasm' | 'cpu') => {
      await be.use(backend);
      return tf.tidy(() => (tf.engine().runKernel('Conv2DBackpropFilter', { x: tf.tensor4d(xs, c.x), dy: tf.tensor4d(dys, dyShape) }, attrs) as tf.Tensor).dataSync());
    };
    const cpu = await run('cpu');
    vi.mocked(filterGradByColumns).mockClear();
    const wasm = await run('wasm');
    expect(vi.mocked(filterGradByColumns)).toHaveBeenCalledTimes(1);
    expect(relErr(cpu, wasm)).toBeLessThan(1e-5);
    vi.mocked(filterGradByColumns).mockClear();
    tf.tidy(() => tf.engine().runKernel('Conv2DBackpropFilter', { x: tf.ones([2, 3, 3, 64]), dy: tf.ones([2, 3, 3, 64]) }, { ...attrs, filterShape: [3, 3, 64, 64] }));
    expect(vi.mocked(filterGradByColumns)).not.toHaveBeenCalled();
  });
});
