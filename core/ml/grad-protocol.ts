import type { BackendPreference } from '../api/methods/system.js';
import type { ModelArtifactsPlain } from './model-io.js';
import type { AdamConfig, AdamFactors } from './flat-adam.js';
import type { ParamLayout } from './param-layout.js';
import { arenaPages, sharedArena, type WebAssemblyMemory } from './adam-shared.js';

/**
 * What the data-parallel coordinator (data-parallel.ts, gradient-workers.ts) and its gradient workers (grad.worker.ts)
 * say to each other, and the shared memory they train in.
 */

/** What a gradient worker loads once, when it starts: its backend. Each training's model comes with a GradTraining. */
export interface GradWorkerInput {
  backend: BackendPreference;
}

/** A training's shared memory: every worker and the coordinator see the same floats. */
export interface TrainingBuffers {
  /** layout.total floats: the current weights. */
  weights: Float32Array;
  /** layout.total floats each: Adam's first and second moments. */
  m: Float32Array;
  v: Float32Array;
  /** shards × layout.total floats: one gradient slot per shard. */
  grads: Float32Array;
  /**
   * The shared WebAssembly.Memory the arrays are views of (null where shared WebAssembly memory is missing: then
   * plain SharedArrayBuffers): the workers' reduce + Adam then runs in place in it (adam-shared.ts).
   */
  arena: WebAssemblyMemory | null;
  /** The step's barrier (reduce-scatter.ts). */
  sync: SharedArrayBuffer;
  /** layout.transposedTotal floats: the large filters' transposes, always those of `weights` (in the arena, after the slots). */
  filtersT: Float32Array;
  /** shards × layout.scratchFloats floats: each shard's scratch for the large filters' products in the arena (kernels/shared-tap-products.ts). */
  scratch: Float32Array;
}

/**
 * Begins a training on a worker: it drops the replica it holds and builds this one from `model`, as a fresh worker
 * would (gradient-workers.ts). `buffers` null: the worker keeps the previous training's (the coordinator zeroed them).
 */
export interface GradTraining {
  kind: 'begin';
  model: ModelArtifactsPlain;
  layout: ParamLayout;
  adam: AdamConfig;
  buffers: TrainingBuffers | null;
}

/** A training ended well: the worker drops its replica and waits for the next GradTraining. */
export interface GradEnd {
  kind: 'end';
}

/** One shard of a batch: samples [start, end) as NHWC floats and their targets. */
export interface ShardPart {
  shard: number;
  x: Float32Array;
  y: Float32Array;
  count: number;
}

export interface GradTask {
  kind: 'step';
  /** Weight version: the worker reloads the shared weights when it changes. */
  version: number;
  /** Training step of the run (0-based): selects the dropout masks. */
  step: number;
  shape: [number, number, number];
  /** The shards this worker computes (usually one). */
  parts: ShardPart[];
  /** Every non-empty shard of the step, in reduction order. */
  shards: number[];
  /** Samples in the whole batch. */
  count: number;
  /** Workers taking part in this step (the barrier's parties). */
  parties: number;
  /** The parameters [from, to) this worker reduces and updates. */
  slice: [number, number];
  adam: AdamFactors;
}

export type GradMessage = GradTraining | GradEnd | GradTask;

/** A worker's answer to a step: the summed loss of its shards and its phases (thread-CPU ms; the barrier in wall ms). */
export interface GradResult {
  lossSum: number;
  loadMs: number;
  gradMs: number;
  reduceAdamMs: number;
  barrierMs: number;
  /** Large-filter layers (forward, dx, dW) computed in the shared arena, not on the heap (kernels/shared-tap-products.ts). */
  sharedLayers: number;
}

/**
 * Weights, moments, the gradient slots and the large filters' transposes (`transposedTotal` floats) in one shared
 * arena (views; typed arrays over shared memory reach the workers as views of the same memory), each region 16-byte
 * aligned, the transposes 64-byte (filter-transpose-simd.ts writes them there in SIMD, whole cache lines at a time).
 */
export function sharedBuffers(total: number, slots: number, transposedTotal: number, scratchFloats = 0): Omit<TrainingBuffers, 'sync'> {
  const stride = Math.ceil(total / 4) * 4;
  const tAt = Math.ceil((stride * 3 + slots * total) / 16) * 16;
  const sAt = Math.ceil((tAt + transposedTotal) / 16) * 16;
  const floats = sAt + slots * scratchFloats;
  const arena = sharedArena(arenaPages(floats));
  const buffer = arena ? arena.buffer : new SharedArrayBuffer(floats * 4);
  const view = (at: number, n: number) => new Float32Array(buffer, at * 4, n);
  // The slots are `total` floats apart (the reduction's indexing): one region of slots · total floats.
  return { weights: view(0, total), m: view(stride, total), v: view(2 * stride, total), grads: view(3 * stride, slots * total), filtersT: view(tAt, transposedTotal), scratch: view(sAt, slots * scratchFloats), arena };
}
