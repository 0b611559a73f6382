import { describe, it, expect, afterEach, vi } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { useWasmWithRouteReset } from '../../helpers/wasm-routes.js';
import { bits, random } from '../../helpers/float-bits.js';
import { createRng } from '../../../core/runtime/random.js';
import { heldWinogradFilters, transformFilter, useWinograd, winogradRuns } from '../../../core/ml/kernels/conv2d-winograd.js';
import { buildModel, presetArchitecture } from '../../../core/ml/architecture.js';
import { relErr } from '../../helpers/rel-err.js';
import { gradCam } from '../../../core/ml/gradcam.js';
import { exactGemm, fmaGemm, packB, relaxedSimdAvailable, useFmaGemm } from '../../../core/ml/kernels/gemm-fma-simd.js';
import { transformFilterInto } from '../../../core/ml/kernels/winograd-filter-transform-simd.js';

/**
 * Inference 3×3 convolutions by Winograd F(2×2, 3×3) on wasm (core/ml/kernels/conv2d-winograd.ts): within float
 * tolerance of the stock kernel (1e-5 of the largest output per layer, 1e-4 on a model's output), deterministic,
 * and the stock kernel wherever the route cannot run; the two GEMMs (FMA, exact). Training on the route:
 * wasm-winograd-training.test.ts.
 */

type Shape4 = [number, number, number, number];

useWasmWithRouteReset();
afterEach(() => vi.restoreAllMocks());

/** Runs fn with the route on, then off (the stock kernel); returns both outputs. */
function onOff(fn: () => tf.Tensor): { winograd: Float32Array; stock: Float32Array } {
  useWinograd(true);
  const winograd = tf.tidy(() => fn().dataSync() as Float32Array);
  useWinograd(false);
  const stock = tf.tidy(() => fn().dataSync() as Float32Array);
  useWinograd(true);
  return { winograd, stock };
}

function tensors(x: Shape4, w: Shape4, seed: number) {
  const rng = createRng(seed);
  return {
    x: tf.tensor4d(random(x.reduce((a, b) => a * b), rng), x),
    // He-like scale, so outputs are O(1) whatever Cin
    w: tf.tensor4d(random(w.reduce((a, b) => a * b), rng, Math.sqrt(6 / (9 * w[2]))), w),
    b: tf.tensor1d(random(w[3], rng, 0.5)),
  };
}

/**
 * An m×k by k×n product's operands on the wasm heap, as the route lays them out: `load` writes A and packs B, `run`
 * applies a GEMM (m a multiple of 4, n of 8) and copies C out, `dispose` frees all three.
 */
function heapProduct(m: number, k: number, n: number) {
  const heap = tf.backend() as unknown as { makeOutput(s: number[], d: 'float32'): tf.TensorInfo; typedArrayFromHeap(i: tf.TensorInfo): Float32Array; disposeData(id: object, force?: boolean): boolean };
  const [ai, bi, ci] = [heap.makeOutput([m, k], 'float32'), heap.makeOutput([k, n], 'float32'), heap.makeOutput([m, n], 'float32')];
  return {
    heap,
    bi,
    load(a: Float32Array, b: Float32Array) {
      heap.typedArrayFromHeap(ai).set(a);
      packB(b, k, n, heap.typedArrayFromHeap(bi));
    },
    run(gemm: ReturnType<typeof exactGemm>): Float32Array {
      gemm!(heap.typedArrayFromHeap(ai).byteOffset, heap.typedArrayFromHeap(bi).byteOffset, heap.typedArrayFromHeap(ci).byteOffset, m / 4, n / 8);
      return heap.typedArrayFromHeap(ci).slice();
    },
    dispose: () => {
      for (const i of [ai, bi, ci]) heap.disposeData(i.dataId, true);
    },
  };
}

describe('Winograd F(2×2, 3×3) inference convolutions (wasm)', () => {
  it('the filter transform is G g Gᵀ: a filter with one tap set gives the textbook rows', () => {
    // one (Cin, Cout) pair; the centre tap = 1: G e₄ Gᵀ = outer([0, ½, −½, 0], [0, ½, −½, 0])
    const w = new Float32Array(9);
    w[4] = 1;
    const u = transformFilter(w, 1, 1).map((a) => a[0] + 0);
    const col = [0, 0.5, -0.5, 0];
    expect(u).toEqual(col.flatMap((r) => col.map((c) => r * c + 0))); // + 0: −0 and 0 are the same number here
  });

  it('the SIMD filter transform writes transformFilter’s bits into both GEMM layouts, extreme magnitudes included', () => {
    const store = tf.backend() as unknown as { makeOutput(s: number[], d: 'float32'): tf.TensorInfo; typedArrayFromHeap(i: tf.TensorInfo): Float32Array; disposeData(id: object, force?: boolean): boolean };
    const rng = createRng(5);
    // [cin, cout, packed]: a paper shape, a 4-column (row-major only) one, and one whose width-8 groups are odd in number
    for (const [cin, cout, packed] of [[64, 128, true], [64, 128, false], [12, 20, false], [8, 24, true]] as const) {
      // Weights spanning 2^-60 … 2^40 with signs, zeros and exact ties: sums in doubles whose float32 rounding is delicate.
      const w = Float32Array.from({ length: 9 * cin * cout }, (_, i) => (i % 11 === 0 ? 0 : (rng.next() - 0.5) * 2 ** Math.floor(rng.next() * 100 - 60)));
      const filter = tf.tensor4d(w, [3, 3, cin, cout]);
      const us = Array.from({ length: 16 }, () => store.makeOutput([cin, cout], 'float32'));
      const at = (info: tf.TensorInfo) => store.typedArrayFromHeap(info).byteOffset;
      const filterInfo = { dataId: filter.dataId, shape: filter.shape, dtype: 'float32' } as tf.TensorInfo;
      expect(transformFilterInto(at(filterInfo), cin, cout, us.map(at), packed)).toBe(true);
      const ref = transformFilter(w, cin, cout);
      const want = new Float32Array(cin * cout);
      ref.forEach((u, k) => {
        if (packed) packB(u, cin, cout, want);
        else want.set(u);
        expect(bits(store.typedArrayFromHeap(us[k]))).toEqual(bits(want));
      });
      const mags = Array.from(w, Math.abs).filter((v) => v > 0);
      expect([Math.min(...mags) < 2 ** -50, Math.max(...mags) > 2 ** 30]).toEqual([true, true]); // the extremes were there
      for (const u of us) store.disposeData(u.dataId, true);
      filter.dispose();
    }
  });

  it('the relaxed-SIMD FMA matrix product (Node 20: behind a V8 flag it turns on) equals a float64 product within 1e-6', () => {
    expect(relaxedSimdAvailable()).toBe(true);
    const [m, k, n] = [12, 20, 24];
    const rng = createRng(11);
    const a = random(m * k, rng);
    const b = random(k * n, rng);
    const { heap, bi, load, run, dispose } = heapProduct(m, k, n);
    load(a, b);
    expect(heap.typedArrayFromHeap(bi).subarray(8, 16)).toEqual(b.subarray(n, n + 8)); // panel 0, row 1: b[1][0…8]
    const gemm = fmaGemm(k, n)!;
    expect(gemm).not.toBeNull();
    const got = run(gemm);
    const ref = new Float64Array(m * n);
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) for (let kk = 0; kk < k; kk++) ref[i * n + j] += a[i * k + kk] * b[kk * n + j];
    expect(relErr(ref, got)).toBeLessThan(1e-6);
    expect(relErr(ref, got)).toBeGreaterThan(0); // float32 sums, not the reference's
    dispose();
    expect(fmaGemm(k, 12)).toBeNull(); // columns not a multiple of 8: the caller keeps XNNPACK's product
    useFmaGemm(false);
    expect(fmaGemm(k, n)).toBeNull();
  });

  it('the exact matrix product (training) is float32 multiply then add, in k order: bit for bit a JavaScript replay of it, and not the FMA product', () => {
    const [m, k, n] = [8, 37, 16];
    const rng = createRng(12);
    const a = random(m * k, rng);
    const b = random(k * n, rng);
    const { load, run, dispose } = heapProduct(m, k, n);
    load(a, b);
    const exact = run(exactGemm(k, n));
    // acc = fround(acc + fround(a·b)) for kk = 0 … k−1: IEEE float32, what every CPU computes
    const replay = new Float32Array(m * n);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let acc = 0;
        for (let kk = 0; kk < k; kk++) acc = Math.fround(acc + Math.fround(a[i * k + kk] * b[kk * n + j]));
        replay[i * n + j] = acc;
      }
    }
    expect(bits(exact)).toEqual(bits(replay));
    // Where the CPU fuses (x86 FMA3, Arm): relaxed_madd rounds once per term, other bits on these 37-term sums
    expect(relaxedSimdAvailable()).toBe(true);
    const fused = run(fmaGemm(k, n));
    // −1 + (1 + 2⁻¹²)²: 2⁻¹¹ + 2⁻²⁴ fused, 2⁻¹¹ when the product is rounded first
    const probe = new Float32Array(m * k).fill(0);
    const probeB = new Float32Array(k * n).fill(0);
    probe[0] = -1;
    probe[1] = 1 + 2 ** -12;
    probeB[0] = 1;
    probeB[n] = 1 + 2 ** -12;
    load(probe, probeB);
    const fuses = run(fmaGemm(k, n))[0] !== 2 ** -11;
    expect(run(exactGemm(k, n))[0]).toBe(2 ** -11);
    load(a, b);
    if (fuses) expect(bits(fused)).not.toEqual(bits(exact));
    else expect(bits(fused)).toEqual(bits(exact));
    // the inference switch does not touch it
    useFmaGemm(false);
    expect(bits(run(exactGemm(k, n)))).toEqual(bits(exact));
    expect(exactGemm(k, 12)).toBeNull();
    dispose();
  });

  it('Winograd with the FMA product and with XNNPACK’s product (relaxed SIMD off) both stay within 1e-5 of the stock kernel', () => {
    const { x, w, b } = tensors([2, 14, 14, 64], [3, 3, 64, 64], 90);
    const run = () => tf.tidy(() => tf.fused.conv2d({ x, filter: w, strides: 1, pad: 'same', bias: b, activation: 'relu' }).dataSync() as Float32Array);
    useWinograd(false);
    const stock = run();
    useWinograd(true);
    const fma = run();
    useFmaGemm(false);
    const xnn = run();
    expect(relErr(stock, fma)).toBeLessThan(1e-5);
    expect(relErr(stock, xnn)).toBeLessThan(1e-5);
    expect(bits(fma)).not.toEqual(bits(xnn)); // two float paths: the switch did change the product
    tf.dispose([x, w, b]);
  });

  // The paper model's channel pairs, on a few pixels (≥ 16 tiles per image, so the route is taken); odd sides crop.
  const layers: Array<{ x: Shape4; cout: number }> = [
    { x: [1, 16, 16, 32], cout: 32 },
    { x: [3, 10, 10, 64], cout: 128 },
    { x: [4, 8, 8, 256], cout: 256 },
    { x: [2, 7, 7, 512], cout: 512 },
    { x: [2, 7, 7, 1024], cout: 1024 },
  ];

  it('on the paper layers’ channel counts: FusedConv2D (bias + ReLU, and linear) and Conv2D within 1e-5 of the stock kernel, repeatable bit for bit', () => {
    for (const [i, l] of layers.entries()) {
      const { x, w, b } = tensors(l.x, [3, 3, l.x[3], l.cout], 30 + i);
      const before = winogradRuns();
      const fused = onOff(() => tf.fused.conv2d({ x, filter: w, strides: 1, pad: 'same', bias: b, activation: 'relu' }));
      expect(winogradRuns()).toBe(before + 1); // the route was taken (once: on)
      expect(relErr(fused.stock, fused.winograd)).toBeLessThan(1e-5);
      expect(relErr(fused.stock, fused.winograd)).toBeGreaterThan(0); // a different float path, not the stock kernel
      expect(fused.winograd.some((v) => v === 0) && fused.winograd.some((v) => v > 0.1)).toBe(true);
      const again = tf.tidy(() => tf.fused.conv2d({ x, filter: w, strides: 1, pad: 'same', bias: b, activation: 'relu' }).dataSync());
      expect(bits(again)).toEqual(bits(fused.winograd));
      // each image's numbers do not depend on the batch it is in (so not on TTA chunks or workers): the first image alone
      const first = tf.tidy(() => tf.fused.conv2d({ x: tf.slice(x, 0, 1), filter: w, strides: 1, pad: 'same', bias: b, activation: 'relu' }).dataSync());
      expect(bits(first)).toEqual(bits(fused.winograd.subarray(0, first.length)));
      const plain = onOff(() => tf.conv2d(x, w, 1, 'same'));
      expect(relErr(plain.stock, plain.winograd)).toBeLessThan(1e-5);
      expect(plain.winograd.some((v) => v < -0.1)).toBe(true); // no ReLU here
      tf.dispose([x, w, b]);
    }
  });

  it('valid and explicit padding, odd sides and batches within 1e-5 of the stock kernel', () => {
    const cases: Array<{ x: Shape4; cout: number; pad: 'valid' | 'same' | number }> = [
      { x: [2, 13, 19, 8], cout: 12, pad: 'valid' },
      { x: [3, 9, 11, 16], cout: 20, pad: 2 },
      { x: [1, 17, 15, 12], cout: 8, pad: 'same' },
    ];
    for (const [i, c] of cases.entries()) {
      const { x, w, b } = tensors(c.x, [3, 3, c.x[3], c.cout], 50 + i);
      const before = winogradRuns();
      const r = onOff(() => tf.fused.conv2d({ x, filter: w, strides: 1, pad: c.pad, bias: b }));
      expect(winogradRuns()).toBe(before + 1);
      expect(r.winograd.length).toBe(r.stock.length);
      expect(relErr(r.stock, r.winograd)).toBeLessThan(1e-5);
      tf.dispose([x, w, b]);
    }
  });

  it('other convolutions go to the stock kernel bit for bit: stride 2, 5×5, one input channel, too few tiles, another activation', () => {
    const cases: Array<{ x: Shape4; w: Shape4; s: number; act: 'relu' | 'elu' }> = [
      { x: [2, 16, 16, 8], w: [3, 3, 8, 8], s: 2, act: 'relu' },
      { x: [2, 16, 16, 8], w: [5, 5, 8, 8], s: 1, act: 'relu' },
      { x: [2, 16, 16, 1], w: [3, 3, 1, 8], s: 1, act: 'relu' },
      { x: [8, 6, 6, 8], w: [3, 3, 8, 8], s: 1, act: 'relu' }, // 9 tiles per image (72 in the batch)
      { x: [2, 16, 16, 8], w: [3, 3, 8, 8], s: 1, act: 'elu' },
    ];
    for (const [i, c] of cases.entries()) {
      const { x, w, b } = tensors(c.x, c.w, 60 + i);
      const before = winogradRuns();
      const r = onOff(() => tf.fused.conv2d({ x, filter: w, strides: c.s, pad: 'same', bias: b, activation: c.act }));
      expect(winogradRuns()).toBe(before);
      expect(bits(r.winograd)).toEqual(bits(r.stock));
      tf.dispose([x, w, b]);
    }
  });

  it('where the transforms cannot be compiled (no wasm SIMD) the stock kernel runs, bit for bit', () => {
    // 36 channels: a transform module not made yet, so it is compiled now, and refused
    const { x, w, b } = tensors([2, 12, 12, 36], [3, 3, 36, 36], 70);
    useWinograd(false);
    const stock = tf.tidy(() => tf.fused.conv2d({ x, filter: w, strides: 1, pad: 'same', bias: b, activation: 'relu' }).dataSync());
    useWinograd(true);
    const wasm = (globalThis as unknown as { WebAssembly: { validate(bytes: Uint8Array): boolean } }).WebAssembly; // not in the project's TS libs
    const validate = vi.spyOn(wasm, 'validate').mockReturnValue(false);
    const before = winogradRuns();
    const got = tf.tidy(() => tf.fused.conv2d({ x, filter: w, strides: 1, pad: 'same', bias: b, activation: 'relu' }).dataSync());
    expect(validate).toHaveBeenCalled();
    expect(winogradRuns()).toBe(before);
    expect(bits(got)).toEqual(bits(stock));
    tf.dispose([x, w, b]);
  });

  it('keeps a filter’s transform while the filter lives, frees it when the filter is disposed (a model’s dispose too), and leaves no engine tensors', () => {
    const rng = createRng(5);
    const x = tf.tensor4d(random(2 * 12 * 12 * 64, rng), [2, 12, 12, 64]);
    const conv = (f: tf.Tensor4D) => tf.tidy(() => tf.conv2d(x, f, 1, 'same').dataSync() as Float32Array);
    const w1 = tf.tensor4d(random(9 * 64 * 64, rng, 0.1), [3, 3, 64, 64]);
    conv(w1);
    const held = heldWinogradFilters();
    const numTensors = tf.memory().numTensors;
    conv(w1);
    expect(heldWinogradFilters()).toBe(held); // not made again
    expect(tf.memory().numTensors).toBe(numTensors);
    w1.dispose();
    expect(heldWinogradFilters()).toBe(held - 1); // at once, not at the next call
    const w2 = tf.tensor4d(random(9 * 64 * 64, rng, 0.1), [3, 3, 64, 64]);
    const w3 = w2.clone(); // shares w2's data: the transform stays until both are gone
    conv(w2);
    expect(heldWinogradFilters()).toBe(held);
    w2.dispose();
    expect(heldWinogradFilters()).toBe(held);
    w3.dispose();
    expect(heldWinogradFilters()).toBe(held - 1);
    // a model's filters: made by its first prediction, freed by its dispose
    const model = buildModel(presetArchitecture('compact', { inputSize: 32 }), 3);
    const before = heldWinogradFilters();
    tf.tidy(() => (model.predict(tf.zeros([1, 32, 32, 1])) as tf.Tensor).dataSync());
    expect(heldWinogradFilters()).toBeGreaterThan(before);
    model.dispose();
    expect(heldWinogradFilters()).toBe(before);
    x.dispose();
  });

  it('a whole model’s prediction (paper preset at 64 px, compact) within 1e-4 of the stock kernels', async () => {
    for (const preset of ['paper', 'compact'] as const) {
      const a = presetArchitecture(preset, { inputSize: 64 });
      const model = buildModel(a, 3);
      const rng = createRng(4);
      const xs = random(8 * 64 * 64, rng).map((v) => (v + 1) / 2);
      const x = tf.tensor4d(xs, [8, 64, 64, 1]);
      const before = winogradRuns();
      const r = onOff(() => model.predict(x) as tf.Tensor);
      // the layers with ≥ 16 tiles per image (64…8 px) took the route but the first (one input channel): 7 in both
      expect(winogradRuns() - before).toBe(7);
      expect(new Set(r.winograd).size).toBeGreaterThan(1);
      expect(relErr(r.stock, r.winograd)).toBeLessThan(1e-4);
      model.dispose();
      x.dispose();
    }
  });

  it('Grad-CAM never takes the route (the layers before its tape, its backward after): one prediction whatever the layer', () => {
    const a = presetArchitecture('compact', { inputSize: 64 });
    const m = buildModel(a, 3);
    const img = random(64 * 64, createRng(8)).map((v) => (v + 1) / 2);
    const before = winogradRuns();
    const r1 = gradCam(m, img, 1);
    const r2 = gradCam(m, img, 2);
    expect(winogradRuns()).toBe(before);
    expect(r1.prediction).toBe(r2.prediction);
    m.dispose();
  });
});
