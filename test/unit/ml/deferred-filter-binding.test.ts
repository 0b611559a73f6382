import { describe, it, expect, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { backends } from './setup-backends.js';
import { deferredFilter, ensureFilterOnHeap, provideSharedFilter, withSharedShard } from '../../../core/ml/kernels/shared-tap-products.js';
import type { WasmStore } from '../../../core/ml/kernels/tap-products.js';

beforeAll(async () => {
  await (await backends()).use('wasm');
});

// Task 22-F item 4: a deferred filter's heap storage is left unwritten until it is bound to its weights in the arena;
// read before that it held whatever the malloc left, silently. Now a read of it and a shard started with it refuse.
describe('a deferred filter (shared-tap-products.ts)', () => {
  it('refuses to be read, or a shard to start, until it is bound; bound, its heap data is its weights', () => {
    const store = tf.backend() as unknown as WasmStore;
    const arena = { buffer: new ArrayBuffer(4 * 64) };
    const w = new Float32Array(arena.buffer, 0, 24);
    w.forEach((_, k) => (w[k] = k * 0.5 - 3));
    const wt = new Float32Array(arena.buffer, 4 * 24, 24);
    const scratch = new Float32Array(arena.buffer, 4 * 48, 16);
    const info = deferredFilter(store, [1, 1, 4, 6]);
    expect(() => ensureFilterOnHeap(store, info)).toThrow(/deferred filter was read before it was bound/);
    expect(() => withSharedShard(arena, scratch, new Map(), () => 1)).toThrow(/1 deferred filter\(s\) loaded but not bound/);
    provideSharedFilter(info.dataId, arena, w, wt, false);
    expect(withSharedShard(arena, scratch, new Map(), () => 1)).toBe(1);
    ensureFilterOnHeap(store, info);
    expect(Array.from(store.typedArrayFromHeap(info) as Float32Array)).toEqual(Array.from(w));
    tf.engine().makeTensorFromTensorInfo(info).dispose();
  });
});
