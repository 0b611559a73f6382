import { describe, it, expect, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { backends } from './setup-backends.js';
import { buildModel, presetArchitecture } from '../../../core/ml/architecture.js';
import { loadFlatWeights, paramLayout, shardGradientSum, sharedBuffers } from '../../../core/ml/data-parallel.js';
import { transposeRange } from '../../../core/ml/reduce-scatter.js';
import { provideTransposedFilter } from '../../../core/ml/kernels/conv2d-forward-gemm.js';
import { provideSharedFilter, sharedTapRuns } from '../../../core/ml/kernels/shared-tap-products.js';
import { SeededDropout } from '../../../core/ml/seeded-dropout.js';
import { createRng } from '../../../core/runtime/random.js';

beforeAll(async () => {
  await (await backends()).use('wasm');
});

// 8 px, blocks of 256 → 512 → 1024 filters: 3×3×256×512 on 4×4 px and 3×3×512×1024 on 2×2 px, the tap routes'
// layers (as the paper model's blocks 5-6 at 64 px), with dropout so that the shard's masks take part.
const large = presetArchitecture('compact', { inputSize: 8, blocks: 3, convsPerBlock: 1, baseFilters: 256, dense: [8], dropout: 0.2 });
const bits = (a: Float32Array) => new Uint32Array(a.buffer, a.byteOffset, a.length);


describe('a gradient worker’s large-filter products in the shared arena (shared-tap-products.ts)', () => {
  it('give the heap route’s whole shard gradient and loss bit for bit (dW straight into the slot, the filters’ loads deferred), and are taken', () => {
    const model = buildModel(large, 7);
    const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
    const layout = paramLayout(vars, true);
    expect(layout.transposed.map((t) => [t.k, t.n])).toEqual([[9 * 256, 512], [9 * 512, 1024]]);
    expect(layout.scratchFloats).toBeGreaterThan(0);
    const dropouts = model.layers.filter((l): l is SeededDropout => l instanceof SeededDropout);
    const rng = createRng(11);
    // Weights and inputs over several magnitudes, so that any other float order would show in the bits.
    const buf = sharedBuffers(layout.total, 2, layout.transposedTotal, layout.scratchFloats);
    expect(buf.arena).not.toBeNull();
    const arena = buf.arena!;
    vars.forEach((v, i) => {
      const w = v.dataSync() as Float32Array;
      for (let k = 0; k < w.length; k++) buf.weights[layout.offsets[i] + k] = w[k] * (1 + 3 * rng.next()) * (k % 7 === 0 ? 10 : 1);
    });
    transposeRange(buf.weights, layout.transposed, buf.filtersT, 0, layout.total);
    const load = (shared: boolean) => {
      // As grad.worker.ts at a new weight version: load (shared: the large filters' loads deferred), hand over Wᵀ, bind
      // W and Wᵀ in the arena.
      const deferred = shared ? new Set(layout.transposed.map((t) => t.index)) : undefined;
      loadFlatWeights(vars, layout, buf.weights, true, deferred);
      for (const t of layout.transposed) {
        const wt = buf.filtersT.subarray(t.tOffset, t.tOffset + t.k * t.n);
        provideTransposedFilter(vars[t.index].dataId, wt);
        if (shared) provideSharedFilter(vars[t.index].dataId, arena, buf.weights.subarray(t.offset, t.offset + t.k * t.n), wt, false);
      }
    };
    // Shards of 3 (positions not a multiple of 8: padded panels) and 5 in slots 1 and 0: every large-filter product in
    // the arena, no filter ever copied onto the heap. A shard of 20: the 4×4 px layer's forward and dx leave the tap
    // routes (2·20·16 positions > 512 channels) for the stock kernels, which get its deferred weights copied in first.
    for (const [shard, count, products, heapCopies] of [[1, 3, 4, 0], [0, 5, 4, 0], [1, 20, 2, 1]] as const) {
      const x = Float32Array.from({ length: count * 64 }, () => rng.next() * 4 - 1);
      const y = Float32Array.from({ length: count }, () => rng.next() * 2 - 1);
      const part = { shard, x, y, count };
      const run = (shared: boolean) => {
        load(shared);
        for (const d of dropouts) d.setStep(3, shard);
        buf.grads.fill(Number.NaN); // every float of the slot must be written
        const before = sharedTapRuns();
        const r = shardGradientSum(model, vars, part, [8, 8, 1], buf.grads, layout, shared ? { arena, scratch: buf.scratch } : undefined);
        const after = sharedTapRuns();
        const slot = buf.grads.slice(shard * layout.total, (shard + 1) * layout.total);
        return { loss: r.lossSum, slot, products: after.products - before.products, filterGrads: after.filterGrads - before.filterGrads, heapCopies: after.heapCopies - before.heapCopies };
      };
      const heap = run(false);
      const shared = run(true);
      expect(heap.products + heap.filterGrads + heap.heapCopies).toBe(0);
      // forward and dx of the large filters on the tap routes; dW of the 2×2 px one (the 4×4 px one's dW goes by Winograd)
      expect(shared.products).toBe(products);
      expect(shared.filterGrads).toBe(1);
      expect(shared.heapCopies).toBe(heapCopies);
      expect(shared.loss).toBe(heap.loss);
      expect(heap.slot.every((g) => Number.isFinite(g))).toBe(true);
      const a = bits(shared.slot);
      const b = bits(heap.slot);
      let differ = 0;
      for (let k = 0; k < b.length; k++) if (a[k] !== b[k]) differ++;
      expect(differ).toBe(0);
      const big = layout.transposed[1];
      let largest = 0;
      for (let k = big.offset; k < big.offset + big.k * big.n; k++) largest = Math.max(largest, Math.abs(heap.slot[k]));
      expect(largest).toBeGreaterThan(1e-3); // a real gradient, not zeros
    }
    expect(tf.memory().numTensors).toBeLessThan(40);
    // Deferred loads replace each filter's storage and free the last: the heap's tensors stay the same size.
    load(true);
    const held = tf.memory().numBytes;
    for (let k = 0; k < 5; k++) load(true);
    expect(tf.memory().numBytes).toBe(held);
    model.dispose();
  }, 120_000);
});
