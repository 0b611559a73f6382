import { describe, it, expect } from 'vitest';
import type { Worker } from 'node:worker_threads';
import { FlatAdam, AdamClock } from '../../../core/ml/flat-adam.js';
import { reduceAdamSlice, reduceShards, resetBarrier, segmentCuts, sliceBounds, sliceScratch, SYNC_INTS, type TransposedFilter } from '../../../core/ml/reduce-scatter.js';
import { sharedBuffers } from '../../../core/ml/data-parallel.js';
import { arenaTransposer } from '../../../core/ml/filter-transpose-simd.js';
import { transposeFilter } from '../../../core/ml/kernels/conv2d-forward-gemm.js';
import { arenaPages, canReduceAdamInPlace, sharedArena } from '../../../core/ml/adam-shared.js';
import { createRng } from '../../../core/runtime/random.js';
import { liveWorkers, startWorker } from '../../../core/runtime/worker.js';

const barrierWorker = new URL('../../helpers/barrier.worker.js', import.meta.url);

/** A barrier party in its own thread; `gone` is listened for from the start (the exit may come before anyone awaits it). */
function party(sync: SharedArrayBuffer, parties: number, failed: boolean): { worker: Worker; answer: Promise<boolean>; gone: Promise<number> } {
  const worker = startWorker(barrierWorker, { workerData: { sync, parties, failed } });
  const answer = new Promise<boolean>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  const gone = new Promise<number>((resolve) => worker.once('exit', resolve));
  return { worker, answer, gone };
}

describe('reduce-scatter (the workers’ half of a data-parallel step)', () => {
  it('slices reduced and updated separately equal the whole-array reduction + Adam bit for bit, for any slicing, and keep the large filters’ transposes', () => {
    const rng = createRng(5);
    const total = 40_001; // crosses the 16 384-float chunks, odd so slices are uneven
    const shards = [0, 1, 2];
    const cfg = { learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 };
    const w0 = Float32Array.from({ length: total }, () => rng.next() * 2 - 1);
    const steps = Array.from({ length: 4 }, () => Float32Array.from({ length: 3 * total }, () => (rng.next() - 0.5) * (rng.next() < 0.05 ? 50 : 0.2)));

    const ref = w0.slice();
    const adam = new FlatAdam(total, cfg);
    for (const g of steps) adam.apply(ref, reduceShards(g, shards, total, 10, new Float32Array(total)));

    // Two "filters" inside the parameters (k × n, row-major), whose transposes must follow the updated weights.
    // The third is tap-major (9 taps of 7 input channels, as a 3×3 conv filter): a transpose per tap block.
    const transposed: TransposedFilter[] = [
      { index: 0, offset: 5, tOffset: 0, k: 97, n: 211 },
      { index: 1, offset: 25_000, tOffset: 97 * 211, k: 30, n: 500 },
      { index: 2, offset: 39_000, tOffset: 97 * 211 + 30 * 500, k: 9 * 7, n: 15, taps: 9 },
    ];
    const tTotal = 97 * 211 + 30 * 500 + 9 * 7 * 15;
    for (const parts of [1, 2, 3, 7]) {
      const state = { weights: w0.slice(), m: new Float32Array(total), v: new Float32Array(total), grads: new Float32Array(3 * total), total, transposed, filtersT: new Float32Array(tTotal) };
      const clock = new AdamClock(cfg);
      const scratch = sliceScratch();
      for (const g of steps) {
        state.grads.set(g);
        const k = clock.next();
        // Slices in reverse: the order the workers finish in cannot matter.
        for (let p = parts - 1; p >= 0; p--) {
          const [from, to] = sliceBounds(total, parts, p);
          reduceAdamSlice(state, shards, 10, cfg, k, from, to, scratch);
        }
      }
      expect(state.weights).toEqual(ref);
      for (const t of transposed) {
        expect(state.filtersT.subarray(t.tOffset, t.tOffset + t.k * t.n)).toEqual(transposeFilter(ref.subarray(t.offset, t.offset + t.k * t.n), t.k, t.n, undefined, t.taps));
      }
    }
    let moved = 0;
    for (let i = 0; i < total; i++) moved = Math.max(moved, Math.abs(ref[i] - w0[i]));
    expect(moved).toBeGreaterThan(0.03); // four steps of lr 0.01 moved the weights
  });

  it('in place in a shared arena (any number of evenly spaced slots, any batch) the slices give the copying path’s weights and moments bit for bit', () => {
    const rng = createRng(17);
    const total = 40_003; // odd: slices end off the 4-lane grid, the tails go the copying way
    const cfg = { learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 };
    const special = [0, -0, 1e-40, 3e38, -3e38, 1e-7];
    const value = () => (rng.next() < 0.03 ? special[Math.floor(rng.next() * special.length)] : (rng.next() - 0.5) * (rng.next() < 0.05 ? 50 : 0.2));
    const w0 = Float32Array.from({ length: total }, () => rng.next() * 2 - 1);
    const steps = Array.from({ length: 3 }, () => Float32Array.from({ length: 4 * total }, value));
    // The first index where the arrays differ (Object.is: −0 is not 0), or −1; toEqual over 40 000 floats takes seconds.
    const firstDiff = (a: Float32Array, b: Float32Array) => {
      for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return i;
      return a.length === b.length ? -1 : -2;
    };
    // 1/10, 1/12, 1/3, 1/7 and 1/6 are not float32 numbers: the scaling must be JavaScript's (double, then rounded);
    // powers of two take the float32 product. 2 slots have their own loop, other counts the general one.
    const cases = [[[0, 1], 16], [[1, 0], 32], [[0, 1], 10], [[0], 7], [[0], 4], [[0, 1, 2], 12], [[0, 1, 2], 8], [[0, 1, 2, 3], 3], [[3, 1], 6], [[0, 2, 3], 8]] as const;
    for (const [shards, count] of cases) {
      const arena = sharedArena(arenaPages(7 * total))!;
      expect(arena).not.toBeNull();
      expect(canReduceAdamInPlace(arena, shards, count)).toBe(shards.join() !== '0,2,3'); // slots 0, 2, 3 are not evenly spaced: copies
      const view = (k: number, n: number) => new Float32Array(arena.buffer, k * total * 4, n);
      const ref = { weights: w0.slice(), m: new Float32Array(total), v: new Float32Array(total), grads: new Float32Array(4 * total), total, transposed: [], filtersT: new Float32Array(0) };
      for (const parts of [1, 2, 3, 7]) {
        const state = { weights: view(0, total), m: view(1, total), v: view(2, total), grads: view(3, 4 * total), total, transposed: [], filtersT: new Float32Array(0), arena };
        state.weights.set(w0);
        state.m.fill(0);
        state.v.fill(0);
        const clock = new AdamClock(cfg);
        const refClock = new AdamClock(cfg);
        if (parts === 1) {
          ref.weights.set(w0);
          ref.m.fill(0);
          ref.v.fill(0);
        }
        for (const g of steps) {
          state.grads.set(g);
          const k = clock.next();
          for (let p = parts - 1; p >= 0; p--) {
            const [from, to] = sliceBounds(total, parts, p);
            reduceAdamSlice(state, shards, count, cfg, k, from, to, sliceScratch());
          }
          if (parts === 1) {
            ref.grads.set(g);
            reduceAdamSlice(ref, shards, count, cfg, refClock.next(), 0, total, sliceScratch()); // no arena: the copying path
          }
        }
        expect(firstDiff(state.weights, ref.weights)).toBe(-1);
        expect(firstDiff(state.m, ref.m)).toBe(-1);
        expect(firstDiff(state.v, ref.v)).toBe(-1);
      }
      let moved = 0;
      for (let i = 0; i < total; i++) if (ref.weights[i] !== w0[i]) moved++;
      expect(moved).toBeGreaterThan(total * 0.9);
    }
  });

  it('in place with the large filters’ transposes in the arena (fused segments, SIMD tiles) gives the copying path’s weights, moments and transposes bit for bit', () => {
    const rng = createRng(23);
    // Filters whose rows, columns and offsets fall on and off the 4-lane grid: tap-major with Cin 12 and with Cin 7,
    // a plain one with n = 37 at an odd offset, and one of 9 × 128 × 64 = 73 728 floats (more than one fused segment).
    const transposed: TransposedFilter[] = [
      { index: 0, offset: 8, tOffset: 0, k: 9 * 12, n: 40, taps: 9 },
      { index: 1, offset: 5003, tOffset: 4320, k: 30, n: 37 },
      { index: 2, offset: 7000, tOffset: 4320 + 1110, k: 9 * 7, n: 20, taps: 9 },
      { index: 3, offset: 10_001, tOffset: 4320 + 1110 + 1260, k: 9 * 128, n: 64, taps: 9 },
    ];
    const total = 90_003;
    const tTotal = 4320 + 1110 + 1260 + 73_728;
    const cfg = { learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 };
    const special = [0, -0, 1e-40, 3e38, -3e38, 1e-7];
    const value = () => (rng.next() < 0.03 ? special[Math.floor(rng.next() * special.length)] : (rng.next() - 0.5) * (rng.next() < 0.05 ? 50 : 0.2));
    const w0 = Float32Array.from({ length: total }, () => rng.next() * 2 - 1);
    const steps = Array.from({ length: 3 }, () => Float32Array.from({ length: 2 * total }, value));
    const bits = (a: Float32Array) => new Uint32Array(a.buffer, a.byteOffset, a.length);
    // The first index whose bits differ (−1: none); toEqual over 90 000 floats would take seconds.
    const firstDiff = (a: Float32Array, b: Float32Array) => {
      const [x, y] = [bits(a), bits(b)];
      if (x.length !== y.length) return -2;
      for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return i;
      return -1;
    };
    // The reference: plain arrays, so the copying path and the JavaScript transposes.
    const ref = { weights: w0.slice(), m: new Float32Array(total), v: new Float32Array(total), grads: new Float32Array(2 * total), total, transposed, filtersT: new Float32Array(tTotal) };
    const refClock = new AdamClock(cfg);
    for (const g of steps) {
      ref.grads.set(g);
      reduceAdamSlice(ref, [0, 1], 16, cfg, refClock.next(), 0, total, sliceScratch());
    }
    for (const t of transposed) expect(firstDiff(ref.filtersT.subarray(t.tOffset, t.tOffset + t.k * t.n), transposeFilter(ref.weights.subarray(t.offset, t.offset + t.k * t.n), t.k, t.n, undefined, t.taps))).toBe(-1);
    for (const parts of [1, 2, 3, 7]) {
      const buf = sharedBuffers(total, 2, tTotal);
      expect(buf.arena).not.toBeNull();
      expect(arenaTransposer(buf.arena!, buf.weights, buf.filtersT)).not.toBeNull(); // the SIMD tiles run, not the JavaScript fallback
      expect(buf.filtersT.byteOffset % 64).toBe(0);
      const state = { weights: buf.weights, m: buf.m, v: buf.v, grads: buf.grads, total, transposed, filtersT: buf.filtersT, arena: buf.arena! };
      state.weights.set(w0);
      const clock = new AdamClock(cfg);
      for (const g of steps) {
        state.grads.set(g);
        const k = clock.next();
        for (let p = parts - 1; p >= 0; p--) {
          const [from, to] = sliceBounds(total, parts, p);
          reduceAdamSlice(state, [0, 1], 16, cfg, k, from, to, sliceScratch());
        }
      }
      expect(firstDiff(state.weights, ref.weights)).toBe(-1);
      expect(firstDiff(state.m, ref.m)).toBe(-1);
      expect(firstDiff(state.v, ref.v)).toBe(-1);
      expect(firstDiff(state.filtersT, ref.filtersT)).toBe(-1);
    }
  });

  it('cuts a slice into fused segments on whole filter rows, ending at the slice’s end', () => {
    const transposed: TransposedFilter[] = [
      { index: 1, offset: 300_000, tOffset: 0, k: 9 * 256, n: 512, taps: 9 },
      { index: 0, offset: 10, tOffset: 0, k: 50, n: 1000 },
    ];
    for (const [from, to] of [[0, 1_500_000], [5, 20_000], [600_000, 700_001], [1_400_000, 1_500_000]]) {
      const cuts = segmentCuts(transposed, from, to);
      expect(cuts[cuts.length - 1]).toBe(to);
      cuts.forEach((c, i) => expect(c).toBeGreaterThan(i ? cuts[i - 1] : from));
      for (const c of cuts.slice(0, -1)) {
        const f = transposed.find((t) => c >= t.offset && c <= t.offset + t.k * t.n);
        expect(f).toBeDefined(); // every inner cut is in or at the end of a filter …
        expect((c - f!.offset) % f!.n).toBe(0); // … on a row boundary
      }
    }
    // Inside the large filter, segments of 128 rows of 512 (65 536 floats).
    expect(segmentCuts(transposed, 300_000, 300_000 + 3 * 65_536 + 7)).toEqual([300_000 + 65_536, 300_000 + 2 * 65_536, 300_000 + 3 * 65_536, 300_000 + 3 * 65_536 + 7]);
  });

  it('reduces in one pass exactly as the copy, float32 adds in shard order, then × 1/count did', () => {
    const rng = createRng(9);
    const total = 5000;
    const g = Float32Array.from({ length: 4 * total }, () => (rng.next() - 0.5) * (rng.next() < 0.1 ? 1e3 : 1e-3));
    for (const shards of [[0], [1, 0], [0, 1, 2], [3, 1, 0, 2]]) {
      for (const count of [16, 3, 7]) {
        const ref = g.slice(shards[0] * total, shards[0] * total + total);
        for (let k = 1; k < shards.length; k++) for (let i = 0; i < total; i++) ref[i] += g[shards[k] * total + i];
        for (let i = 0; i < total; i++) ref[i] *= 1 / count;
        expect(reduceShards(g, shards, total, count, new Float32Array(total))).toEqual(ref);
        // …and on a part [from, to), as the slices use it.
        expect(reduceShards(g, shards, total, count, new Float32Array(1234), 100, 1334)).toEqual(ref.subarray(100, 1334));
      }
    }
  });

  it('the tap-major transpose holds each tap’s block W_t[Cin, Cout] transposed, one after the other', () => {
    const [taps, cin, n] = [9, 5, 6];
    const w = Float32Array.from({ length: taps * cin * n }, (_, i) => i);
    const t = transposeFilter(w, taps * cin, n, undefined, taps);
    for (let tap = 0; tap < taps; tap++) for (let c = 0; c < cin; c++) for (let o = 0; o < n; o++) expect(t[tap * n * cin + o * cin + c]).toBe(w[(tap * cin + c) * n + o]);
    // taps = 1 is the plain transpose [n, k].
    const p = transposeFilter(w, taps * cin, n);
    expect(p[3 * taps * cin + 17]).toBe(w[17 * n + 3]);
  });

  it('slices cover every parameter once', () => {
    for (const [total, parts] of [[10, 3], [5, 5], [3, 4], [40_001, 7]]) {
      const seen = new Uint8Array(total);
      for (let p = 0; p < parts; p++) {
        const [a, b] = sliceBounds(total, parts, p);
        for (let i = a; i < b; i++) seen[i]++;
      }
      expect(seen.every((c) => c === 1)).toBe(true);
    }
  });

  it('the barrier lets every party through once all have arrived, and tells all of them when one failed', async () => {
    const sync = new SharedArrayBuffer(SYNC_INTS * 4);
    const ok = [party(sync, 3, false), party(sync, 3, false), party(sync, 3, false)];
    expect(await Promise.all(ok.map((p) => p.answer))).toEqual([true, true, true]);
    await Promise.all(ok.map((p) => p.gone));

    resetBarrier(new Int32Array(sync));
    const oneFailed = [party(sync, 2, false), party(sync, 2, true)];
    expect(await Promise.all(oneFailed.map((p) => p.answer))).toEqual([false, false]);
    await Promise.all(oneFailed.map((p) => p.gone));
  }, 60_000);

  it('a worker blocked at the barrier (its partner never came: cancel, crash) ends on terminate', async () => {
    const sync = new SharedArrayBuffer(SYNC_INTS * 4);
    const before = liveWorkers();
    const lonely = party(sync, 2, false);
    // It has arrived (the count is 1) and waits; nothing else will ever arrive.
    const count = new Int32Array(sync);
    const arrival = (Atomics as unknown as { waitAsync(a: Int32Array, i: number, v: number): { async: boolean; value: Promise<string> | string } }).waitAsync(count, 0, 0);
    if (arrival.async) await arrival.value;
    expect(Atomics.load(count, 0)).toBe(1);
    let answered = false;
    void lonely.answer.then(() => (answered = true), () => undefined);
    await lonely.worker.terminate();
    await lonely.gone;
    expect(answered).toBe(false);
    expect(liveWorkers()).toBe(before);
  }, 60_000);
});
