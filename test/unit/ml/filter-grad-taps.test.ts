import { describe, it, expect, vi } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { backendsForFile } from './setup-backends.js';
import { createRng } from '../../../core/runtime/random.js';
import { convGeometry, type Pad } from '../../../core/ml/kernels/conv-geometry.js';
import { filterGradByTaps, tapsApply, TAPS_MIN_POSITIONS } from '../../../core/ml/kernels/filter-grad-taps.js';
import { relErr } from '../../helpers/rel-err.js';

vi.mock('../../../core/ml/kernels/filter-grad-taps.js', async (load) => {
  const real = await load<typeof import('../../../core/ml/kernels/filter-grad-taps.js')>();
  return { ...real, filterGradByTaps: vi.fn(real.filterGradByTaps) };
});

/**
 * The stride-1 filter gradient on wasm as tap-wise GEMMs over a zero-padded planar layout: every padding the
 * layout has to play (symmetric, asymmetric, larger than the filter, none) and chunk boundaries that fall inside
 * rows and inside the zero rows, against the cpu backend's Conv2DBackpropFilter.
 */
const be = backendsForFile();

type Case = { x: [number, number, number, number]; f: [number, number]; co: number; pad: Pad };
const CASES: Case[] = [
  { x: [2, 9, 7, 3], f: [3, 3], co: 4, pad: 'same' },
  { x: [1, 6, 8, 2], f: [2, 2], co: 5, pad: 'same' }, // top 0, bottom 1
  { x: [3, 5, 5, 4], f: [4, 3], co: 3, pad: 'same' },
  { x: [2, 8, 6, 3], f: [3, 3], co: 2, pad: 'valid' },
  { x: [1, 5, 6, 2], f: [1, 1], co: 3, pad: 'valid' },
  { x: [2, 4, 5, 3], f: [3, 3], co: 2, pad: 2 }, // output larger than the input
  { x: [1, 5, 4, 2], f: [3, 2], co: 3, pad: [[0, 0], [2, 0], [0, 3], [0, 0]] },
  { x: [2, 2, 3, 2], f: [5, 5], co: 2, pad: 'same' }, // filter larger than the image
];


describe('tap-wise filter gradient (stride 1, wasm)', () => {
  it('equals the cpu backend’s dW for every padding, in one chunk and in many', async () => {
    const rng = createRng(2027);
    let checked = 0;
    for (const c of CASES) {
      const filterShape: [number, number, number, number] = [c.f[0], c.f[1], c.x[3], c.co];
      const g = convGeometry(c.x, filterShape, 1, c.pad, undefined, 'NHWC');
      const xs = Float32Array.from({ length: c.x.reduce((a, b) => a * b, 1) }, () => rng.next() * 2 - 1);
      const dys = Float32Array.from({ length: g.batch * g.outH * g.outW * c.co }, () => rng.next() * 2 - 1);
      const attrs = { strides: 1, pad: c.pad, dataFormat: 'NHWC', dimRoundingMode: undefined, filterShape };
      await be.use('cpu');
      const ref = tf.tidy(() => (tf.engine().runKernel('Conv2DBackpropFilter', { x: tf.tensor4d(xs, c.x), dy: tf.tensor4d(dys, [g.batch, g.outH, g.outW, c.co]) }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor).dataSync());
      await be.use('wasm');
      const q = g.batch * (g.inH + Math.max(g.top, g.bottom, g.outH - g.inH, 0)) * (g.inW + Math.max(g.left, g.right, g.outW - g.inW, 0));
      // One chunk; chunks of 1 position; chunks that end inside a row or a zero row.
      for (const chunk of [Infinity, 1, 7, Math.ceil(q / 3)]) {
        const got = tf.tidy(() => filterGradByTaps(tf.tensor4d(xs, c.x), tf.tensor4d(dys, [g.batch, g.outH, g.outW, c.co]), g, chunk).dataSync());
        expect(got.length).toBe(ref.length);
        expect(relErr(ref, got), `${JSON.stringify(c)} chunk ${chunk}`).toBeLessThan(1e-5);
        checked++;
      }
    }
    expect(checked).toBe(CASES.length * 4);
  });

  it('leaves no tensor behind and applies to stride 1 only', async () => {
    await be.use('wasm');
    const before = tf.memory().numTensors;
    const g = convGeometry([2, 6, 6, 3], [3, 3, 3, 4], 1, 'same', undefined, 'NHWC');
    const x = tf.ones([2, 6, 6, 3]) as tf.Tensor4D;
    const dy = tf.ones([2, 6, 6, 4]) as tf.Tensor4D;
    const dw = filterGradByTaps(x, dy, g, 5);
    // All ones: each tap sums x over the positions its shifted window keeps inside the image.
    const v = dw.dataSync();
    expect(v[0]).toBe(2 * 5 * 5); // tap (0,0): rows 0…4 × cols 0…4 of each image
    expect(v[(1 * 3 + 1) * 12]).toBe(2 * 6 * 6); // centre tap: every position
    tf.dispose([x, dy, dw]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('is what the registered wasm Conv2DBackpropFilter runs from 56×56 output positions on (14×14 with Cin·Cout ≥ 128²), stride 1 only', async () => {
    const geo = (x: [number, number, number, number], co: number, s = 1) => convGeometry(x, [3, 3, x[3], co], s, 'same', undefined, 'NHWC');
    expect(TAPS_MIN_POSITIONS).toBe(56 * 56);
    expect(tapsApply(geo([8, 224, 224, 1], 32))).toBe(true);
    expect(tapsApply(geo([1, 56, 56, 2], 4))).toBe(true);
    expect(tapsApply(geo([1, 55, 56, 2], 4))).toBe(false);
    expect(tapsApply(geo([8, 28, 28, 128], 256))).toBe(true); // the paper model's deep layers
    expect(tapsApply(geo([8, 14, 14, 512], 512))).toBe(true);
    expect(tapsApply(geo([8, 7, 7, 1024], 1024))).toBe(false); // there the conv trick is faster
    expect(tapsApply(geo([64, 32, 32, 32], 32))).toBe(false); // the 32 px compact nets stay on the conv trick
    expect(tapsApply(geo([8, 32, 32, 64], 64))).toBe(false); // the compact preset's deeper blocks too
    expect(tapsApply(geo([1, 112, 112, 2], 4, 2))).toBe(false);
    const rng = createRng(56);
    const xs = Float32Array.from({ length: 2 * 56 * 56 * 2 }, () => rng.next() * 2 - 1);
    const dys = Float32Array.from({ length: 2 * 56 * 56 * 3 }, () => rng.next() * 2 - 1);
    const attrs = { strides: 1, pad: 'same', dataFormat: 'NHWC', filterShape: [3, 3, 2, 3] } as unknown as tf.NamedAttrMap;
    const on = async (backend: 'wasm' | 'cpu') => {
      await be.use(backend);
      return tf.tidy(() => (tf.engine().runKernel('Conv2DBackpropFilter', { x: tf.tensor4d(xs, [2, 56, 56, 2]), dy: tf.tensor4d(dys, [2, 56, 56, 3]) }, attrs) as tf.Tensor).dataSync());
    };
    const cpu = await on('cpu');
    vi.mocked(filterGradByTaps).mockClear();
    const wasm = await on('wasm');
    expect(vi.mocked(filterGradByTaps)).toHaveBeenCalledTimes(1);
    expect(relErr(cpu, wasm)).toBeLessThan(1e-5);
  });
});
