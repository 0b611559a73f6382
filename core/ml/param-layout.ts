import * as tf from '@tensorflow/tfjs';
import { isLargeFilter } from './kernels/conv2d-forward-gemm.js';
import type { TransposedFilter } from './reduce-scatter.js';
import { deferredFilter, sharedScratchFloats } from './kernels/shared-tap-products.js';
import type { WasmStore } from './kernels/tap-products.js';

/** Where each trainable variable lives in data-parallel training's flat shared buffers (data-parallel.ts). */
export interface ParamLayout {
  shapes: number[][];
  sizes: number[];
  /** Float offset of each trainable variable in the flat weight (and per-shard gradient) buffers. */
  offsets: number[];
  total: number;
  /** Large filters whose transposes the workers keep beside the weights (wasm only; see reduce-scatter.ts). */
  transposed: TransposedFilter[];
  transposedTotal: number;
  /** Floats of arena scratch per shard for the large filters' products in shared memory (kernels/shared-tap-products.ts); 0 without them. */
  scratchFloats: number;
}

/** `withTransposed`: keep the large filters' transposes (the wasm forward kernel streams them). */
export function paramLayout(vars: readonly tf.Variable[], withTransposed = false): ParamLayout {
  const shapes = vars.map((v) => v.shape.slice());
  const sizes = vars.map((v) => v.size);
  const offsets: number[] = [];
  let total = 0;
  for (const s of sizes) {
    offsets.push(total);
    total += s;
  }
  const transposed: TransposedFilter[] = [];
  let transposedTotal = 0;
  if (withTransposed) {
    shapes.forEach((sh, index) => {
      if (!isLargeFilter(sh)) return;
      transposed.push({ index, offset: offsets[index], tOffset: transposedTotal, k: sh[0] * sh[1] * sh[2], n: sh[3], taps: sh[0] * sh[1] });
      transposedTotal += sizes[index];
    });
  }
  const scratchFloats = transposed.length ? sharedScratchFloats(transposed.map((t) => shapes[t.index])) : 0;
  return { shapes, sizes, offsets, total, transposed, transposedTotal, scratchFloats };
}

/**
 * Loads flat weights (the shared buffer) into the variables. Each new tensor hands its data to its variable and is
 * then disposed (tidy): left alive, it would keep every earlier weight set in memory — a whole model per step in a
 * gradient worker. `view`: the backend copies the values at creation (wasm's heap), so a view of the buffer will do;
 * cpu keeps the array itself, which the workers overwrite at the next step, so it gets a copy.
 * `deferred` (wasm): variables given fresh heap storage left unwritten instead (kernels/shared-tap-products.ts,
 * deferredFilter): the caller binds each at once to its weights in the shared arena, from where the kernels read them
 * (provideSharedFilter); until then the kernels and the shard refuse to run on it (an unbound one would be read as
 * whatever the malloc left).
 */
export function loadFlatWeights(vars: readonly tf.Variable[], layout: ParamLayout, flat: Float32Array, view: boolean, deferred?: ReadonlySet<number>): void {
  tf.tidy(() => {
    vars.forEach((v, i) => {
      if (deferred?.has(i)) {
        v.assign(tf.engine().makeTensorFromTensorInfo(deferredFilter(tf.backend() as unknown as WasmStore, v.shape)));
        return;
      }
      const off = layout.offsets[i];
      const end = off + layout.sizes[i];
      v.assign(tf.tensor(view ? flat.subarray(off, end) : flat.slice(off, end), v.shape));
    });
  });
}

