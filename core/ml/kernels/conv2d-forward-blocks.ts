import type * as tf from '@tensorflow/tfjs';

/**
 * A forward convolution whose filter outgrows the cache, run as the stock wasm kernel on blocks of output channels.
 * Why: XNNPACK's convolution (one thread) streams the whole packed filter for every few output pixels. The paper
 * model's last blocks at 224 px have 9–38 MB filters (3·3·1024·1024 floats = 38 MB, over a core's share of L3): the
 * stream comes from memory and those layers run at 15–21 GFLOP/s against ~30 elsewhere (bench/cnn-forward-profile.ts).
 * A block of 32–64 output channels (≤ 2 MiB of weights) stays in cache while all the pixels pass over it.
 * Each output value is the same XNNPACK microkernel's sum over the same inputs in the same order — only fewer output
 * channels per call — so the result is bit-identical to the unsplit kernel (tested), in training as in inference.
 * The blocks of a filter are cut once and kept while the filter's data lives (a filter met again, as in inference,
 * reuses them and XNNPACK's packing of them); they are freed at the first call after the filter's data is gone.
 */

/** The wasm backend's heap and storage (tfjs-backend-wasm's BackendWasm; not in its public typings). */
interface WasmStore {
  makeOutput(shape: number[], dtype: 'float32'): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array;
  disposeData(dataId: object, force?: boolean): boolean;
  dataIdMap: { has(dataId: object): boolean };
}

/** Filters larger than this are split (the paper model's 14 px and 7 px blocks at 224 px; nothing of compact). */
export const SPLIT_FILTER_BYTES = 8 << 20;
/** Weights per block at most (a core's L2 is 0.5–2 MiB; XNNPACK packs a block to about its own size). */
const BLOCK_BYTES = 2 << 20;

let enabled = true;

/** Turns the split off and on (the bench's before/after and the tests' stock reference). */
export function useFilterBlocks(on: boolean): void {
  enabled = on;
}

/**
 * Output channels per block for a filter of k = fh·fw·Cin rows and n output channels; 0 when the filter fits the cache
 * unsplit. A power of two (8…n/2), so XNNPACK's 8-wide tiles never straddle two blocks.
 */
export function blockWidth(k: number, n: number): number {
  if (!enabled || 4 * k * n <= SPLIT_FILTER_BYTES) return 0;
  let w = 8;
  while (2 * w * 4 * k <= BLOCK_BYTES && 2 * w < n) w *= 2;
  return w < n ? w : 0;
}

interface Blocks {
  width: number;
  filters: tf.TensorInfo[];
  /** The bias these bias blocks were cut from (null: none). */
  bias: object | null;
  biases: tf.TensorInfo[];
}

/** Blocks by the filter's data id. A Map (not WeakMap): the blocks live on the wasm heap and must be freed by hand. */
const cache = new Map<object, Blocks>();

function free(store: WasmStore, infos: tf.TensorInfo[]): void {
  for (const i of infos) store.disposeData(i.dataId, true);
}

/** Frees the blocks of filters whose data is gone (called before every split convolution). */
function sweep(store: WasmStore): void {
  for (const [id, b] of cache) {
    if (store.dataIdMap.has(id)) continue;
    free(store, b.filters);
    free(store, b.biases);
    cache.delete(id);
  }
}

/** Columns [c0, c1) of a row-major [rows, n] array, as a new heap tensor of the given shape. */
function cutColumns(store: WasmStore, src: tf.TensorInfo, rows: number, n: number, c0: number, c1: number, shape: number[]): tf.TensorInfo {
  const out = store.makeOutput(shape, 'float32');
  const o = store.typedArrayFromHeap(out); // after the allocation: a grown heap detaches older views
  const s = store.typedArrayFromHeap(src);
  const w = c1 - c0;
  for (let r = 0; r < rows; r++) o.set(s.subarray(r * n + c0, r * n + c1), r * w);
  return out;
}

function blocksFor(store: WasmStore, filter: tf.TensorInfo, bias: tf.TensorInfo | undefined, width: number): Blocks {
  const [fh, fw, cin, n] = filter.shape;
  let b = cache.get(filter.dataId);
  if (!b || b.width !== width) {
    if (b) free(store, [...b.filters, ...b.biases]);
    const filters: tf.TensorInfo[] = [];
    for (let c0 = 0; c0 < n; c0 += width) {
      const c1 = Math.min(n, c0 + width);
      filters.push(cutColumns(store, filter, fh * fw * cin, n, c0, c1, [fh, fw, cin, c1 - c0]));
    }
    b = { width, filters, bias: null, biases: [] };
    cache.set(filter.dataId, b);
  }
  const biasId = bias ? bias.dataId : null;
  if (b.bias !== biasId) {
    free(store, b.biases);
    b.biases = bias ? b.filters.map((_, j) => cutColumns(store, bias, 1, n, j * width, Math.min(n, (j + 1) * width), [Math.min(n, (j + 1) * width) - j * width])) : [];
    b.bias = biasId;
  }
  return b;
}

/**
 * Runs `stock` (the wasm Conv2D or FusedConv2D kernel) once per block of output channels and interleaves the
 * blocks' outputs into one NHWC tensor. The caller checked blockWidth() > 0, NHWC, and no per-channel PReLU weights.
 */
export function convInBlocks(args: Parameters<tf.KernelConfig['kernelFunc']>[0], stock: tf.KernelConfig['kernelFunc'], width: number): tf.TensorInfo {
  const store = args.backend as unknown as WasmStore;
  sweep(store);
  const filter = args.inputs.filter as tf.TensorInfo;
  const bias = args.inputs.bias as tf.TensorInfo | undefined;
  const n = filter.shape[3];
  const blocks = blocksFor(store, filter, bias, width);
  let out: tf.TensorInfo | null = null;
  blocks.filters.forEach((f, j) => {
    const part = stock({ ...args, inputs: { ...args.inputs, filter: f, ...(bias ? { bias: blocks.biases[j] } : {}) } }) as tf.TensorInfo;
    if (!out) out = store.makeOutput([...part.shape.slice(0, 3), n], 'float32');
    const o = store.typedArrayFromHeap(out);
    const p = store.typedArrayFromHeap(part);
    const w = part.shape[3];
    const c0 = j * width;
    const pixels = p.length / w;
    for (let r = 0; r < pixels; r++) o.set(p.subarray(r * w, r * w + w), r * n + c0);
    store.disposeData(part.dataId, true);
  });
  return out!;
}

/** Blocks held now (tests: they must go with their filters). */
export function heldFilterBlocks(): number {
  return cache.size;
}
