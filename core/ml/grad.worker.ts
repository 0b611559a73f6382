import * as tf from '@tensorflow/tfjs';
import { serveTasks } from '../runtime/worker-pool.js';
import { threadMs } from '../runtime/thread-cpu.js';
import { ensureBackend } from './backend.js';
import { modelFromArtifacts } from './model-io.js';
import { SeededDropout } from './seeded-dropout.js';
import { loadFlatWeights, shardGradientSum, type SharedShardArena } from './data-parallel.js';
import type { GradMessage, GradResult, GradTask, GradTraining, GradWorkerInput, TrainingBuffers } from './grad-protocol.js';
import { arriveAndWait, reduceAdamSlice, sliceScratch, type SliceState } from './reduce-scatter.js';
import { provideTransposedFilter } from './kernels/conv2d-forward-gemm.js';
import { provideSharedFilter, sharedTapRuns } from './kernels/shared-tap-products.js';
import type { BackendPreference } from '../api/methods/system.js';

/**
 * A gradient worker of data-parallel training. It loads its backend once and then serves the trainings of a job in
 * turn (gradient-workers.ts): each begins with a GradTraining, from which it builds a replica of that training's model
 * — everything a training reads is the replica's own, made new, so a reused worker computes what a fresh one would;
 * only the compiled code (V8's, the wasm modules on an arena kept across trainings) carries over.
 */
serveTasks<GradMessage, GradResult | null>(async (data) => {
  const input = data as GradWorkerInput;
  const backend = await ensureBackend(input.backend);
  let replica: Replica | null = null;
  let buffers: TrainingBuffers | null = null;
  const drop = () => {
    replica?.model.dispose();
    replica = null;
  };
  return {
    info: backend,
    run: async (msg) => {
      if (msg.kind === 'begin') {
        drop();
        buffers = msg.buffers ?? buffers;
        if (!buffers) throw new Error('a training began without its shared buffers');
        replica = await replicaOf(msg, buffers, input.backend);
        return null;
      }
      if (msg.kind === 'end') {
        drop();
        return null;
      }
      if (!replica) throw new Error('a gradient step came before its training began');
      return stepOf(replica, msg);
    },
  };
});

/** One training's replica: its model, its views of the shared buffers, its weight version and reduce scratch. */
interface Replica {
  model: tf.LayersModel;
  vars: tf.Variable[];
  dropouts: SeededDropout[];
  training: GradTraining;
  state: SliceState;
  shared: SharedShardArena | undefined;
  deferred: Set<number> | undefined;
  sync: Int32Array;
  scratch: Float32Array;
  /** The weight version loaded into `vars` (-1: none yet). */
  version: number;
  /** wasm: the large filters' loads may be deferred (loadFlatWeights). */
  wasm: boolean;
}

async function replicaOf(training: GradTraining, buffers: TrainingBuffers, backend: BackendPreference): Promise<Replica> {
  const model = await modelFromArtifacts(training.model);
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const dropouts = model.layers.filter((l): l is SeededDropout => l instanceof SeededDropout);
  const layout = training.layout;
  const arena = buffers.arena;
  const onArena = (a: Float32Array) => (arena ? new Float32Array(arena.buffer, a.byteOffset, a.length) : a);
  const state: SliceState = {
    // Views of the arena's own buffer: the in-place reduce + Adam runs only on arrays that are views of the arena it
    // imports (it checks), and these hold that however the arrays were cloned on their way here.
    weights: onArena(buffers.weights),
    m: onArena(buffers.m),
    v: onArena(buffers.v),
    grads: onArena(buffers.grads),
    total: layout.total,
    transposed: layout.transposed,
    filtersT: onArena(buffers.filtersT),
    ...(arena ? { arena } : {}),
  };
  // Each shard's scratch for the large filters' products in the arena (none off the arena or without large filters).
  const shared: SharedShardArena | undefined = arena && layout.scratchFloats ? { arena, scratch: onArena(buffers.scratch) } : undefined;
  const deferred = shared ? new Set(layout.transposed.map((t) => t.index)) : undefined;
  return { model, vars, dropouts, training, state, shared, deferred, sync: new Int32Array(buffers.sync), scratch: sliceScratch(), version: -1, wasm: backend === 'wasm' };
}

/**
 * A step of a replica: reads the current weights from shared memory (when their version changed; the large filters'
 * loads deferred, kernels/shared-tap-products.ts), computes the summed-loss gradient of its shard(s) of the batch into
 * their slots of the shared gradient buffer, waits for the step's other workers, then reduces and applies Adam to its
 * own slice of the shared weights (reduce-scatter.ts).
 */
function stepOf(r: Replica, task: GradTask): GradResult {
  const { vars, dropouts, state, shared, deferred } = r;
  const layout = r.training.layout;
  const t0 = threadMs();
  const runs0 = sharedTapRuns();
  let t1 = t0;
  let lossSum = 0;
  let failure: unknown = null;
  try {
    if (task.version !== r.version) {
      // The large filters' loads deferred where their products read the arena (kernels/shared-tap-products.ts): a kernel
      // that needs one on the heap copies it in then.
      loadFlatWeights(vars, layout, state.weights, r.wasm, deferred);
      // The large filters' transposes were written with these weights (reduce-scatter.ts): the forward kernel
      // copies them instead of transposing each filter in every replica.
      for (const t of layout.transposed) {
        const wt = state.filtersT.subarray(t.tOffset, t.tOffset + t.k * t.n);
        provideTransposedFilter(vars[t.index].dataId, wt);
        // In the arena: the products read W and Wᵀ there and write dW into the slot (kernels/shared-tap-products.ts).
        // onHeap false: with an arena the load above was deferred (its heap storage unwritten until a kernel needs it).
        if (shared) provideSharedFilter(vars[t.index].dataId, shared.arena, state.weights.subarray(t.offset, t.offset + t.k * t.n), wt, false);
      }
      r.version = task.version;
    }
    t1 = threadMs();
    for (const part of task.parts) {
      for (const d of dropouts) d.setStep(task.step, part.shard);
      lossSum += shardGradientSum(r.model, vars, part, task.shape, state.grads, layout, shared).lossSum;
    }
  } catch (err) {
    failure = err;
  }
  const t2 = threadMs();
  // Always arrive, failed or not, so that no other worker waits for this one forever.
  const w0 = performance.now();
  const allWell = arriveAndWait(r.sync, task.parties, failure !== null);
  const barrierMs = performance.now() - w0;
  if (failure) throw failure;
  if (!allWell) throw new Error('another gradient worker failed this step; the step was not applied');
  const t3 = threadMs();
  reduceAdamSlice(state, task.shards, task.count, r.training.adam, task.adam, task.slice[0], task.slice[1], r.scratch);
  const runs1 = sharedTapRuns();
  const sharedLayers = runs1.products - runs0.products + runs1.filterGrads - runs0.filterGrads;
  return { lossSum, loadMs: t1 - t0, gradMs: t2 - t1, reduceAdamMs: threadMs() - t3, barrierMs, sharedLayers };
}
