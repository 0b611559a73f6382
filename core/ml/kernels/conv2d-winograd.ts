import * as tf from '@tensorflow/tfjs';
import type { ConvGeometry } from './conv-geometry.js';
import { inputRowTransform, outputRowTransform } from './winograd-transforms-simd.js';
import { exactGemm, fmaGemm } from './gemm-fma-simd.js';
import { filterTransformFor, sweep, type WasmStore } from './winograd-filters.js';

export { transformFilter, heldWinogradFilters } from './winograd-filters.js';

/**
 * 3×3 / stride-1 convolutions as Winograd F(2×2, 3×3) on the wasm backend: inference, and training's taped forward
 * and dx (a 3×3 stride-1 layer's input gradient is a stride-1 convolution of dy with the rotated filter,
 * conv2d-backprop-input.ts).
 * Why: the paper model is 3×3 convolutions all through, and XNNPACK's direct convolution on 128-bit wasm SIMD
 * (no fused multiply-add) reaches ~30 GFLOP/s per core, where PyTorch's AVX-512 kernels reach ~60. Winograd
 * computes each 2×2 block of outputs from a 4×4 window with 16 multiplies per (Cin, Cout) pair instead of 36:
 * 16 plain GEMMs V_ξ[tiles × Cin] · U_ξ[Cin × Cout] between an input and an output transform that only add and
 * subtract (winograd-transforms-simd.ts). Paper model, 224 px, batch 8, one core: 266 → 95 ms/img (PyTorch one
 * thread 120; XNNPACK products instead of FMA: 150), bench/cnn-winograd.ts.
 *
 * Two float paths for the 16 products (gemm-fma-simd.ts):
 * - Inference (no tape, no training run in this thread: prediction, TTA, maps): relaxed-SIMD fused multiply-add
 *   where V8 has it, else XNNPACK's matrix product. relaxed_madd rounds once or twice depending on the CPU, so the
 *   last bits of a prediction may differ between PCs (never between runs on one).
 * - Training (a gradient tape recording, or a training run in this thread — beginTrainingRun / inTrainingRun: the
 *   steps, the backward pass that runs after the tape closes, the validation, a data-parallel worker's shard):
 *   the exact product, a separate IEEE multiply and add, whose bits are the same on every CPU; never FMA, never
 *   XNNPACK's (a layer whose output channels are not a multiple of 8 keeps the stock kernel). Adam turns last-bit
 *   differences of near-zero gradients into whole steps, so one fused rounding would give another model on another
 *   PC; with the exact product a seed gives the same weights whether or not the CPU fuses (test/unit/ml/
 *   wasm-winograd-training.test.ts). A training step's loss and gradients stay within float tolerance of the stock
 *   kernels, but they are another float path: seeded models differ from those made before 2026-11-30 (the model
 *   record says which kernels trained it: core/ml/training-kernels.ts).
 * Grad-CAM (withoutWinograd) keeps the stock kernels throughout.
 *
 * U = G g Gᵀ is made once per filter and kept while the filter's data lives (heap data, not engine tensors; freed
 * when the filter's data is disposed). Training's weights are new tensors at every step, so each
 * step transforms its filters again, in wasm SIMD straight into the GEMMs' layout (winograd-filter-transform-simd.ts:
 * 181 → 35–43 ms per paper model and step at 224 px, the same bits as the JavaScript transform).
 * Tolerance: Winograd reorders the sums (and G holds ½), so results differ from the direct convolution in the last
 * bits: measured max |Δ| ~1e-6 of the largest output per layer, 2.3e-6 relative on the paper model's output at 224 px
 * and 1.7e-6 at 64 px (FMA products; 2.2e-6 / 1.6e-6 with XNNPACK's; batch 8, input seed 7, weights seed 1);
 * test/unit/ml/wasm-winograd.test.ts asserts ≤ 1e-5 per layer and ≤ 1e-4
 * on a model. Deterministic: fixed operation order, one thread, and each image's tiles are GEMM rows of their own.
 * Memory: U is 16/9 of the filter (and XNNPACK packs its own copy when its product is used); the paper model at 224 px
 * grows the wasm heap from 447 to 644 MiB (batch 8; V_ξ and M_ξ are made per chunk of ≤ 8 MiB and freed). Freed with
 * the filter's data (a wrapped disposeData), so the next model's weights reuse the space: two paper models predicted
 * one after the other, 404 → 337 MiB of heap (bench/winograd-memory.ts).
 * Where the route cannot run (another backend, no wasm SIMD, channels not a multiple of 4, another activation,
 * stride or dilation, or too few tiles to pay for the larger transformed filter) the caller uses the stock kernel;
 * in inference without relaxed SIMD (or output channels not a multiple of 8) the GEMMs are XNNPACK's.
 */

type KernelArgs = Parameters<tf.KernelConfig['kernelFunc']>[0];

let enabled = true;

/** Turns the route off and on (the bench's before/after, the tests' stock reference). */
export function useWinograd(on: boolean): void {
  enabled = on;
}

/**
 * Training runs in progress in this thread (trainRegressor): while one is, the route takes the exact product. A training
 * step's backward pass runs after the gradient tape has closed, so the tape alone does not say that a dx convolution
 * (or the validation's prediction) belongs to a training. In the app each training runs in its own worker thread, so
 * predictions elsewhere keep the FMA product.
 */
let trainingRuns = 0;

/** Marks a training run in this thread; call the returned function once when it ends (a finally). */
export function beginTrainingRun(): () => void {
  trainingRuns++;
  let ended = false;
  return () => {
    if (!ended) {
      ended = true;
      trainingRuns--;
    }
  };
}

/** Runs `f` (synchronous) as part of a training run: a data-parallel worker's shard gradient. */
export function inTrainingRun<T>(f: () => T): T {
  const end = beginTrainingRun();
  try {
    return f();
  } finally {
    end();
  }
}

/** Runs `f` (synchronous: a model.predict or a gradient inside tf.tidy) on the stock kernels, without the route: Grad-CAM (core/ml/gradcam.ts). */
export function withoutWinograd<T>(f: () => T): T {
  const was = enabled;
  enabled = false;
  try {
    return f();
  } finally {
    enabled = was;
  }
}

/** Whether a convolution now belongs to a training (the exact product) rather than to inference (FMA where it exists). */
export function trainingProduct(): boolean {
  return trainingRuns > 0 || tapeRecording();
}

/**
 * Fewer 2×2 output tiles per image than this (outputs under 7×7 px) and the 16/9 larger transformed filter streams more
 * bytes than the multiplies save. Per image, not per batch: the route must not depend on how many images share a batch,
 * so a patch's prediction is the same number whatever chunk or worker it falls in (each image's tiles are GEMM rows of
 * their own: their sums do not depend on the other rows).
 */
export const MIN_TILES_PER_IMAGE = 16;

/**
 * Whether a convolution of this geometry takes the route: 3×3, stride 1, no dilation, channels in multiples of 4
 * (four float32 lanes), more than 4 input channels (the first layer's single channel gains nothing), enough tiles per image.
 */
export function winogradApplies(g: ConvGeometry, dilations: [number, number]): boolean {
  return (
    enabled &&
    tf.getBackend() === 'wasm' &&
    g.fh === 3 &&
    g.fw === 3 &&
    g.sh === 1 &&
    g.sw === 1 &&
    dilations[0] === 1 &&
    dilations[1] === 1 &&
    g.inC % 4 === 0 &&
    g.outC % 4 === 0 &&
    g.inC > 4 &&
    Math.ceil(g.outH / 2) * Math.ceil(g.outW / 2) >= MIN_TILES_PER_IMAGE &&
    g.outW > 2 // ≥ 2 tiles in a row: no GEMM ever has one row (XNNPACK's one-row kernel may sum in another order)
  );
}

/** A gradient tape is recording (tf.grad, variableGrads, fit): a training's forward. */
function tapeRecording(): boolean {
  return (tf.engine().state as unknown as { gradientDepth: number }).gradientDepth > 0;
}


let runs = 0;

/** Convolutions this route has computed since the process started (tests and the bench: was the route taken). */
export function winogradRuns(): number {
  return runs;
}

/** Bytes of V_ξ (all 16) per chunk of tile rows: large enough for long GEMMs, small enough to stay in cache. */
const CHUNK_BYTES = 8 << 20;

const addr = (store: WasmStore, info: tf.TensorInfo) => store.typedArrayFromHeap(info).byteOffset;

/**
 * The convolution (FusedConv2D's bias and ReLU included when given) by Winograd F(2×2, 3×3); null when the
 * transforms cannot run here (the caller then uses the stock kernel). The caller checked winogradApplies().
 */
export function conv2dWinograd(args: KernelArgs, g: ConvGeometry, activation: 'linear' | 'relu'): tf.TensorInfo | null {
  const store = args.backend as unknown as WasmStore;
  const { x, filter, bias } = args.inputs as { x: tf.TensorInfo; filter: tf.TensorInfo; bias?: tf.TensorInfo };
  const { batch, inH, inW, inC, outH, outW, outC, top, left } = g;
  const input = inputRowTransform(inC);
  const output = outputRowTransform(outC, !!bias, activation === 'relu');
  const matMul = tf.getKernel('BatchMatMul', 'wasm');
  if (!input || !output || !matMul) return null;
  // The 16 GEMMs (gemm-fma-simd.ts): in a training the exact SIMD product or the stock kernel, never another float
  // path; in inference relaxed-SIMD FMA where this V8 has it, else XNNPACK's matrix product.
  const training = trainingProduct();
  const simd = training ? exactGemm(inC, outC) : fmaGemm(inC, outC);
  if (training && !simd) return null;
  sweep(store);
  runs++;
  const us = filterTransformFor(store, filter, simd !== null);
  const ty = Math.ceil(outH / 2);
  const tx = Math.ceil(outW / 2);
  // The input padded so that every tile's 4×4 window lies inside: rows/columns 2·t … 2·t + 3, zeros outside the image.
  const hp = 2 * ty + 2;
  const wp = 2 * tx + 2;
  const padded = store.makeOutput([batch, hp, wp, inC], 'float32');
  {
    const p = store.typedArrayFromHeap(padded);
    const xs = store.typedArrayFromHeap(x);
    p.fill(0);
    const cols = Math.min(inW, wp - left);
    for (let b = 0; b < batch; b++) {
      for (let y = 0; y < inH && y + top < hp; y++) {
        const src = ((b * inH + y) * inW) * inC;
        p.set(xs.subarray(src, src + cols * inC), ((b * hp + y + top) * wp + left) * inC);
      }
    }
  }
  const even = 2 * ty === outH && 2 * tx === outW;
  const full = store.makeOutput([batch, 2 * ty, 2 * tx, outC], 'float32');
  const rowsPerChunk = Math.max(1, Math.floor(CHUNK_BYTES / (16 * 4 * tx * Math.max(inC, outC))));
  const rows = batch * ty;
  const pBase = addr(store, padded);
  const outBase = addr(store, full);
  const biasAddr = bias ? addr(store, bias) : 0;
  for (let q0 = 0; q0 < rows; q0 += rowsPerChunk) {
    const q1 = Math.min(rows, q0 + rowsPerChunk);
    const tiles = (q1 - q0) * tx;
    // The SIMD kernels compute rows four at a time: up to 3 rows more, never read back.
    const rowsAlloc = simd ? 4 * Math.ceil(tiles / 4) : tiles;
    const vs = Array.from({ length: 16 }, () => store.makeOutput([rowsAlloc, inC], 'float32'));
    const vAddr = vs.map((v) => addr(store, v));
    for (let q = q0; q < q1; q++) {
      const b = Math.floor(q / ty);
      const t = q % ty;
      input(pBase + (b * hp + 2 * t) * wp * inC * 4, wp * inC * 4, tx, (q - q0) * tx * inC * 4, ...vAddr);
    }
    const ms = simd
      ? vs.map((_, k) => {
          const m = store.makeOutput([rowsAlloc, outC], 'float32');
          simd(vAddr[k], addr(store, us[k]), addr(store, m), rowsAlloc / 4, outC / 8);
          return m;
        })
      : vs.map((v, k) => matMul.kernelFunc({ inputs: { a: v, b: us[k] }, backend: args.backend, attrs: { transposeA: false, transposeB: false } }) as tf.TensorInfo);
    for (const v of vs) store.disposeData(v.dataId, true);
    const mAddr = ms.map((m) => addr(store, m));
    for (let q = q0; q < q1; q++) {
      const b = Math.floor(q / ty);
      const t = q % ty;
      output(outBase + (b * 2 * ty + 2 * t) * 2 * tx * outC * 4, 2 * tx * outC * 4, tx, (q - q0) * tx * outC * 4, biasAddr, ...mAddr);
    }
    for (const m of ms) store.disposeData(m.dataId, true);
  }
  store.disposeData(padded.dataId, true);
  if (even) return full;
  // An odd side (the paper model's 7 px layers): the last tile row/column computed one pixel too many; crop it.
  const out = store.makeOutput([batch, outH, outW, outC], 'float32');
  const o = store.typedArrayFromHeap(out);
  const f = store.typedArrayFromHeap(full);
  for (let b = 0; b < batch; b++) {
    for (let y = 0; y < outH; y++) {
      const src = ((b * 2 * ty + y) * 2 * tx) * outC;
      o.set(f.subarray(src, src + outW * outC), ((b * outH + y) * outW) * outC);
    }
  }
  store.disposeData(full.dataId, true);
  return out;
}
