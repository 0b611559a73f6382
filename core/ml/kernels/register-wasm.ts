import * as tf from '@tensorflow/tfjs';
import { conv2dBackpropFilter, type BackpropFilterAttrs } from './conv2d-backprop-filter.js';
import { conv2dBackpropInput, type BackpropInputAttrs } from './conv2d-backprop-input.js';
import { ensureFilterOnHeap } from './shared-tap-products.js';
import { conv2dForwardGemm, forwardGemmPaysOff } from './conv2d-forward-gemm.js';
import { blockWidth, convInBlocks } from './conv2d-forward-blocks.js';
import { conv2dWinograd, trainingProduct, winogradApplies } from './conv2d-winograd.js';
import { filterGradWinograd, filterGradWinogradApplies, winogradFilterGradOn } from './winograd-filter-grad.js';
import type { WasmStore } from './winograd-filters.js';
import { convGeometry, type Pad } from './conv-geometry.js';
import { maxPoolGrad2x2 } from './max-pool-grad.js';
import { columnSum } from './column-sum.js';
import { castSharedKernel, identitySharedKernel } from './shared-data-kernels.js';
import { stepSimdKernel } from './step-simd.js';

type KernelFunc = tf.KernelConfig['kernelFunc'];

/**
 * A Tensor view of a kernel input. The engine does not count the view as a reference, so the backend
 * refcount is raised here; disposing the view (inside tidy) lowers it again and the input survives.
 */
function asTensor(info: tf.TensorInfo, backend: tf.KernelBackend): tf.Tensor4D {
  const t = tf.engine().makeTensorFromTensorInfo(info, backend) as tf.Tensor4D;
  backend.incRef(info.dataId);
  return t;
}

function isNhwc(format: unknown): boolean {
  return format === undefined || format === 'NHWC' || format === 'channelsLast';
}

/** The wasm backend's heap access (tfjs-backend-wasm's BackendWasm; not in its public typings). */
interface WasmHeap {
  makeOutput(shape: number[], dtype: 'float32'): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array;
}

interface PoolGradAttrs {
  filterSize: number | [number, number];
  strides: number | [number, number];
  pad: 'valid' | 'same' | number;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

/**
 * MaxPoolGrad for 2×2 / stride 2 / no padding (what the presets use) in one pass, bit-identical to the stock
 * kernel (max-pool-grad.ts); any other pooling: the stock kernel.
 */
function maxPoolGradKernel(original: tf.KernelConfig | undefined): KernelFunc {
  return (args) => {
    const { dy, input } = args.inputs as { dy: tf.TensorInfo; input: tf.TensorInfo };
    const a = args.attrs as unknown as PoolGradAttrs;
    const info = tf.backend_util.computePool2DInfo(input.shape as [number, number, number, number], a.filterSize, a.strides, 1, a.pad, a.dimRoundingMode);
    const p = info.padInfo;
    const fits =
      input.dtype === 'float32' && dy.dtype === 'float32' && info.filterHeight === 2 && info.filterWidth === 2 && info.strideHeight === 2 && info.strideWidth === 2 &&
      info.dilationHeight === 1 && info.dilationWidth === 1 && p.top === 0 && p.left === 0 && p.bottom === 0 && p.right === 0 &&
      info.outHeight === Math.floor(info.inHeight / 2) && info.outWidth === Math.floor(info.inWidth / 2);
    if (!fits) {
      if (original) return original.kernelFunc(args);
      throw new Error(`MaxPoolGrad on wasm: no kernel for this pooling (${info.filterHeight}×${info.filterWidth}, stride ${info.strideHeight})`);
    }
    const heap = args.backend as unknown as WasmHeap;
    const out = heap.makeOutput(input.shape.slice(), 'float32');
    maxPoolGrad2x2(heap.typedArrayFromHeap(input), heap.typedArrayFromHeap(dy), heap.typedArrayFromHeap(out), {
      batch: info.batchSize,
      inH: info.inHeight,
      inW: info.inWidth,
      channels: info.inChannels,
      outH: info.outHeight,
      outW: info.outWidth,
    });
    return out;
  };
}

/**
 * Sum over every axis but the last (bias gradients) in one pass, bit-identical to the stock kernel (same
 * float32 additions in the same order, column-sum.ts); any other reduction: the stock kernel.
 */
function sumKernel(original: tf.KernelConfig | undefined): KernelFunc {
  return (args) => {
    const x = args.inputs.x as tf.TensorInfo;
    const { axis, keepDims } = args.attrs as unknown as { axis: number | number[]; keepDims: boolean };
    const rank = x.shape.length;
    // In ascending order only: the stock kernel reduces the axes in the order given (it transposes them to the
    // end in that order), so [2, 0, 1] adds the same numbers in another order.
    const axes = tf.util.parseAxisParam(axis, x.shape);
    const leading = rank >= 2 && axes.length === rank - 1 && axes.every((v, i) => v === i);
    const size = tf.util.sizeFromShape(x.shape);
    if (!leading || x.dtype !== 'float32' || size === 0) {
      if (original) return original.kernelFunc(args);
      throw new Error('Sum on wasm: the stock kernel is missing');
    }
    const cols = x.shape[rank - 1];
    const heap = args.backend as unknown as WasmHeap;
    const out = heap.makeOutput(keepDims ? [...x.shape.slice(0, -1).map(() => 1), cols] : [cols], 'float32');
    columnSum(heap.typedArrayFromHeap(x), size / cols, cols, heap.typedArrayFromHeap(out));
    return out;
  };
}

/** Replaces a wasm kernel, keeping the stock one's setup (it binds the C++ function the fallback calls). */
function replace(name: string, make: (original: tf.KernelConfig | undefined) => KernelFunc): void {
  const original = tf.getKernel(name, 'wasm');
  if (original) tf.unregisterKernel(name, 'wasm');
  tf.registerKernel({ kernelName: name, backendName: 'wasm', kernelFunc: make(original), ...(original?.setupFunc ? { setupFunc: original.setupFunc } : {}) });
}

/** Output channels per block for a forward Conv2D / FusedConv2D on wasm (0: the stock kernel whole). */
function forwardBlockWidth(args: Parameters<KernelFunc>[0]): number {
  const { x, filter, bias, preluActivationWeights } = args.inputs as Record<string, tf.TensorInfo | undefined>;
  const a = args.attrs as { dataFormat?: string };
  // Per-channel PReLU weights would need blocks too; no preset uses them.
  if (!x || !filter || preluActivationWeights || !isNhwc(a.dataFormat) || x.dtype !== 'float32' || filter.shape.length !== 4) return 0;
  const [fh, fw, cin, n] = filter.shape;
  // The bias is cut per block as n floats: any other bias (a broadcast [1], a wrong length) goes to the stock
  // kernel, which accepts or refuses it as tfjs does, rather than the blocks reading past it.
  if (bias && !(bias.shape.length === 1 && bias.shape[0] === n)) return 0;
  return blockWidth(fh * fw * cin, n);
}

interface ForwardAttrs {
  strides: number | [number, number];
  pad: Pad;
  dataFormat?: string;
  dilations?: number | [number, number];
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  activation?: string;
}

/**
 * A convolution by Winograd (conv2d-winograd.ts: inference, and training's forward and dx) when it applies: 3×3 stride 1, NHWC float32,
 * bias one per output channel, activation none or ReLU; null otherwise (the caller's other routes).
 */
function winogradForward(args: Parameters<KernelFunc>[0]): tf.TensorInfo | null {
  const { x, filter, bias, preluActivationWeights } = args.inputs as Record<string, tf.TensorInfo | undefined>;
  const a = args.attrs as unknown as ForwardAttrs;
  const activation = a.activation ?? 'linear';
  if (!x || !filter || preluActivationWeights || (activation !== 'linear' && activation !== 'relu')) return null;
  if (!isNhwc(a.dataFormat) || x.dtype !== 'float32' || filter.dtype !== 'float32' || x.shape.length !== 4 || filter.shape.length !== 4) return null;
  if (bias && !(bias.dtype === 'float32' && bias.shape.length === 1 && bias.shape[0] === filter.shape[3])) return null;
  const d = a.dilations ?? 1;
  const dil: [number, number] = typeof d === 'number' ? [d, d] : d;
  const g = convGeometry(x.shape, filter.shape, a.strides, a.pad, a.dimRoundingMode, a.dataFormat);
  if (!winogradApplies(g, dil)) return null;
  ensureFilterOnHeap(args.backend as unknown as WasmStore, filter);
  return conv2dWinograd(args, g, activation);
}

/**
 * dW by Winograd F(3×3, 4×4) or F(3×3, 2×2) (winograd-filter-grad.ts) in a training run only, like dx (the exact product): 3×3 stride 1,
 * NHWC float32, where the forward route applies and this one pays; null otherwise (the caller's other routes).
 */
function winogradFilterGrad(args: Parameters<KernelFunc>[0]): tf.TensorInfo | null {
  const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const a = args.attrs as unknown as BackpropFilterAttrs;
  if (!winogradFilterGradOn() || !trainingProduct() || x.dtype !== 'float32' || dy.dtype !== 'float32' || x.shape.length !== 4) return null;
  const g = convGeometry(x.shape, a.filterShape, a.strides, a.pad, a.dimRoundingMode, a.dataFormat);
  if (!filterGradWinogradApplies(g) || dy.shape[1] !== g.outH || dy.shape[2] !== g.outW || dy.shape[3] !== g.outC) return null;
  return filterGradWinograd(args.backend as unknown as WasmStore, x, dy, g);
}

let registered = false;

/**
 * Registers Ferrolab's training kernels on the wasm backend: Conv2DBackpropFilter (missing in
 * tfjs-backend-wasm 4.22) and a faster Conv2DBackpropInput, both built from kernels the wasm backend runs
 * fast (XNNPACK conv and matmul); MaxPoolGrad and Sum (bias gradients) in one pass over the heap for the
 * cases training hits — bit-identical to the stock kernels, so they change the speed and not the float
 * path of a seeded training — and the stock kernels for the rest. 3×3 stride-1 convolutions by Winograd
 * (conv2d-winograd.ts, within 1e-5 of the stock kernel; training with the exact product, inference with FMA), and
 * their dW in training runs by Winograd F(3×3, 4×4) or F(3×3, 2×2) (winograd-filter-grad.ts, exact product). Idempotent.
 */
export function registerWasmConvGradKernels(): void {
  if (registered) return;
  const original = tf.getKernel('Conv2DBackpropInput', 'wasm');

  const backpropFilter: KernelFunc = ({ inputs, attrs, backend }) => {
    const a = attrs as unknown as BackpropFilterAttrs;
    if (!isNhwc(a.dataFormat)) throw new Error(`Conv2DBackpropFilter on wasm: only NHWC is supported (got ${String(a.dataFormat)})`);
    const winograd = winogradFilterGrad({ inputs, attrs, backend });
    if (winograd) return winograd;
    return tf.tidy(() => {
      const x = asTensor(inputs.x as tf.TensorInfo, backend as tf.KernelBackend);
      const dy = asTensor(inputs.dy as tf.TensorInfo, backend as tf.KernelBackend);
      return conv2dBackpropFilter(x, dy, a);
    });
  };

  const backpropInput: KernelFunc = (args) => {
    const a = args.attrs as unknown as BackpropInputAttrs;
    if (!isNhwc(a.dataFormat)) {
      // NCHW never occurs in our models; the stock kernel handles it (slowly) rather than failing.
      ensureFilterOnHeap(args.backend as unknown as WasmStore, args.inputs.filter as tf.TensorInfo);
      if (original) return original.kernelFunc(args);
      throw new Error('Conv2DBackpropInput on wasm: NCHW is not supported');
    }
    return tf.tidy(() => {
      const dy = asTensor(args.inputs.dy as tf.TensorInfo, args.backend as tf.KernelBackend);
      const filter = asTensor(args.inputs.filter as tf.TensorInfo, args.backend as tf.KernelBackend);
      return conv2dBackpropInput(dy, filter, a);
    });
  };

  // Conv2D: Winograd where it applies; else the stock kernel, except a large filter on few pixels (conv2d-forward-gemm.ts: no per-step filter packing).
  const stockConv = tf.getKernel('Conv2D', 'wasm');
  const forward: KernelFunc = (args) => {
    // Winograd where it applies (conv2d-winograd.ts), taped or not.
    const winograd = winogradForward(args);
    if (winograd) return winograd;
    const a = args.attrs as unknown as ForwardAttrs;
    const x = args.inputs.x as tf.TensorInfo;
    const filter = args.inputs.filter as tf.TensorInfo;
    const d = a.dilations ?? 1;
    const dil: [number, number] = typeof d === 'number' ? [d, d] : d;
    if (isNhwc(a.dataFormat) && x.shape.length === 4 && filter.shape.length === 4) {
      const g = convGeometry(x.shape, filter.shape, a.strides, a.pad, a.dimRoundingMode, a.dataFormat);
      if (forwardGemmPaysOff(g, dil)) {
        return tf.tidy(() => conv2dForwardGemm(asTensor(x, args.backend as tf.KernelBackend), asTensor(filter, args.backend as tf.KernelBackend), g));
      }
    }
    // The stock kernel reads the filter on the heap (a data-parallel worker may have deferred its load: shared-tap-products.ts).
    ensureFilterOnHeap(args.backend as unknown as WasmStore, filter);
    // A filter larger than the cache: the same kernel on blocks of output channels (bit-identical, conv2d-forward-blocks.ts).
    const width = forwardBlockWidth(args);
    if (width) return convInBlocks(args, stockConv!.kernelFunc, width);
    return stockConv!.kernelFunc(args);
  };
  if (stockConv) {
    tf.unregisterKernel('Conv2D', 'wasm');
    tf.registerKernel({ ...stockConv, kernelFunc: forward });
  }
  // FusedConv2D (conv + bias + activation: what model.predict runs): Winograd where it applies, else the stock kernel or blocks as above.
  const stockFused = tf.getKernel('FusedConv2D', 'wasm');
  if (stockFused) {
    tf.unregisterKernel('FusedConv2D', 'wasm');
    const fused: KernelFunc = (args) => {
      ensureFilterOnHeap(args.backend as unknown as WasmStore, args.inputs.filter as tf.TensorInfo);
      const winograd = winogradForward(args);
      if (winograd) return winograd;
      const w = forwardBlockWidth(args);
      return w ? convInBlocks(args, stockFused.kernelFunc, w) : stockFused.kernelFunc(args);
    };
    tf.registerKernel({ ...stockFused, kernelFunc: fused });
  }

  replace('MaxPoolGrad', maxPoolGradKernel);
  replace('Sum', sumKernel);
  replace('Identity', identitySharedKernel);
  replace('Cast', castSharedKernel);
  replace('Step', stepSimdKernel);
  if (tf.getKernel('Conv2DBackpropFilter', 'wasm')) tf.unregisterKernel('Conv2DBackpropFilter', 'wasm');
  tf.registerKernel({ kernelName: 'Conv2DBackpropFilter', backendName: 'wasm', kernelFunc: backpropFilter });
  if (original) tf.unregisterKernel('Conv2DBackpropInput', 'wasm');
  tf.registerKernel({ kernelName: 'Conv2DBackpropInput', backendName: 'wasm', kernelFunc: backpropInput });
  registered = true;
}
