import * as tf from '@tensorflow/tfjs';
import { serveTasks } from '../runtime/worker-pool.js';
import { threadMs } from '../runtime/thread-cpu.js';
import { ensureBackend } from './backend.js';
import { modelFromArtifacts } from './model-io.js';
import { SeededDropout } from './seeded-dropout.js';
import { loadFlatWeights, shardGradientSum, type GradResult, type GradTask, type GradWorkerInput, type SharedShardArena } from './data-parallel.js';
import { arriveAndWait, reduceAdamSlice, sliceScratch, type SliceState } from './reduce-scatter.js';
import { provideTransposedFilter } from './kernels/conv2d-forward-gemm.js';
import { provideSharedFilter, sharedTapRuns } from './kernels/shared-tap-products.js';

/**
 * A replica of data-parallel training: holds the model, and per task reads the current weights from shared
 * memory (when their version changed; the large filters' loads deferred, kernels/shared-tap-products.ts), computes the
 * summed-loss gradient of its shard(s) of the batch into their slots of the shared gradient buffer, waits for the step's
 * other workers, then reduces and applies Adam to its own slice of the shared weights (reduce-scatter.ts).
 */
serveTasks<GradTask, GradResult>(async (data) => {
  const input = data as GradWorkerInput;
  const backend = await ensureBackend(input.backend);
  const model = await modelFromArtifacts(input.model);
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const dropouts = model.layers.filter((l): l is SeededDropout => l instanceof SeededDropout);
  const total = input.layout.total;
  const onArena = (a: Float32Array) => (input.arena ? new Float32Array(input.arena.buffer, a.byteOffset, a.length) : a);
  const state: SliceState = {
    // Views of the arena's own buffer: the in-place reduce + Adam runs only on arrays that are views of the arena it
    // imports (it checks), and these hold that however the arrays were cloned on their way here.
    weights: onArena(input.weights),
    m: onArena(input.m),
    v: onArena(input.v),
    grads: onArena(input.grads),
    total,
    transposed: input.layout.transposed,
    filtersT: onArena(input.filtersT),
    ...(input.arena ? { arena: input.arena } : {}),
  };
  // Each shard's scratch for the large filters' products in the arena (none off the arena or without large filters).
  const shared: SharedShardArena | undefined = input.arena && input.layout.scratchFloats ? { arena: input.arena, scratch: onArena(input.scratch) } : undefined;
  const deferred = shared ? new Set(input.layout.transposed.map((t) => t.index)) : undefined;
  const sync = new Int32Array(input.sync);
  const scratch = sliceScratch();
  let version = -1;
  return {
    info: backend,
    run: (task) => {
      const t0 = threadMs();
      const runs0 = sharedTapRuns();
      let t1 = t0;
      let lossSum = 0;
      let failure: unknown = null;
      try {
        if (task.version !== version) {
          // The large filters' loads deferred where their products read the arena (kernels/shared-tap-products.ts): a kernel
          // that needs one on the heap copies it in then.
          loadFlatWeights(vars, input.layout, state.weights, input.backend === 'wasm', deferred);
          // The large filters' transposes were written with these weights (reduce-scatter.ts): the forward kernel
          // copies them instead of transposing each filter in every replica.
          for (const t of input.layout.transposed) {
            const wt = state.filtersT.subarray(t.tOffset, t.tOffset + t.k * t.n);
            provideTransposedFilter(vars[t.index].dataId, wt);
            // In the arena: the products read W and Wᵀ there and write dW into the slot (kernels/shared-tap-products.ts).
            // onHeap false: with an arena the load above was deferred (its heap storage unwritten until a kernel needs it).
            if (shared) provideSharedFilter(vars[t.index].dataId, shared.arena, state.weights.subarray(t.offset, t.offset + t.k * t.n), wt, false);
          }
          version = task.version;
        }
        t1 = threadMs();
        for (const part of task.parts) {
          for (const d of dropouts) d.setStep(task.step, part.shard);
          lossSum += shardGradientSum(model, vars, part, task.shape, state.grads, input.layout, shared).lossSum;
        }
      } catch (err) {
        failure = err;
      }
      const t2 = threadMs();
      // Always arrive, failed or not, so that no other worker waits for this one forever.
      const w0 = performance.now();
      const allWell = arriveAndWait(sync, task.parties, failure !== null);
      const barrierMs = performance.now() - w0;
      if (failure) throw failure;
      if (!allWell) throw new Error('another gradient worker failed this step; the step was not applied');
      const t3 = threadMs();
      reduceAdamSlice(state, task.shards, task.count, input.adam, task.adam, task.slice[0], task.slice[1], scratch);
      const runs1 = sharedTapRuns();
      const sharedLayers = runs1.products - runs0.products + runs1.filterGrads - runs0.filterGrads;
      return { lossSum, loadMs: t1 - t0, gradMs: t2 - t1, reduceAdamMs: threadMs() - t3, barrierMs, sharedLayers };
    },
  };
});
