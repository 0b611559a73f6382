import { describe, it, expect } from 'vitest';
import { adamInto } from '../../../core/ml/flat-adam.js';
import { adamIntoFast, adamSimdAvailable } from '../../../core/ml/adam-simd.js';
import { createRng } from '../../../core/runtime/random.js';

/** The SIMD Adam update must be the scalar float32 one (flat-adam.ts, itself tf.train.adam's bit for bit) bit for bit. */
describe('Adam in WebAssembly SIMD', () => {
  it('compiles here (Node has WebAssembly SIMD), so the tests below test the SIMD module and not the fallback', () => {
    expect(adamSimdAvailable()).toBe(true);
  });

  it('gives the scalar update bit for bit: edge values, lengths off the 4-lane and chunk grid, offsets, in place and into', () => {
    const rng = createRng(12);
    const n = 2 * 16384 + 11;
    const special = [0, -0, 1e-40, -1e-38, 3e38, -3e38, 1e-7, 1];
    const value = (scale: number) => (rng.next() < 0.05 ? special[Math.floor(rng.next() * special.length)] : (rng.next() - 0.5) * scale * (rng.next() < 0.1 ? 1e4 : 1));
    const arr = (scale: number, pos = false) => Float32Array.from({ length: n }, () => (pos ? Math.abs(value(scale)) : value(scale)));
    const src = { w: arr(1), m: arr(0.01), v: arr(1e-4, true) };
    const grad = arr(0.01);
    const cfg = { learningRate: 3e-4, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 };
    const k = { oma1: Math.fround(1 - Math.fround(0.9 * 0.9)), oma2: Math.fround(1 - Math.fround(0.999 * 0.999)) };
    const bits = (a: Float32Array) => Array.from(new Uint32Array(a.buffer.slice(0)));
    for (const [from, to, gOff] of [[0, n, 0], [3, n - 2, 0], [16380, 16390, 16380], [5, 6, 5]]) {
      const g = grad.subarray(gOff);
      const ref = { w: src.w.slice(), m: src.m.slice(), v: src.v.slice() };
      adamInto(cfg, k, src, g, gOff, ref, from, to);
      const into = { w: src.w.slice(), m: src.m.slice(), v: src.v.slice() };
      adamIntoFast(cfg, k, src, g, gOff, into, from, to);
      const inPlace = { w: src.w.slice(), m: src.m.slice(), v: src.v.slice() };
      adamIntoFast(cfg, k, inPlace, g, gOff, inPlace, from, to);
      for (const key of ['w', 'm', 'v'] as const) {
        expect(bits(into[key]), `${key} [${from}, ${to})`).toEqual(bits(ref[key]));
        expect(bits(inPlace[key]), `${key} in place [${from}, ${to})`).toEqual(bits(ref[key]));
      }
    }
    // The update moved the weights (a broken module writing nothing would leave them).
    const out = { w: src.w.slice(), m: src.m.slice(), v: src.v.slice() };
    adamIntoFast(cfg, k, src, grad, 0, out, 0, n);
    let moved = 0;
    for (let i = 0; i < n; i++) if (out.w[i] !== src.w[i]) moved++;
    expect(moved).toBeGreaterThan(n * 0.9);
  });
});
