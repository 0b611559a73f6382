/**
 * The convolution filter gradient (dW) on webgpu, split over the batch rows.
 *
 * Why: tfjs-backend-webgpu 4.22's Conv2DBackpropFilter runs one thread per filter weight, each summing over
 * every batch row and column. The paper model's first convolutions have 288 and 9 216 weights over
 * 8 × 224 × 224 positions, so a few thousand threads each do 400 000 sequential products: on an H200 the train
 * step was 67 ms per image against a 1.0 ms forward (train/forward 67; PyTorch on the same GPU 0.75 ms).
 * Here each thread sums one filter weight over one chunk of (image, output row) pairs, the chunks chosen so
 * that about a million threads run, and a second pass adds the chunks' partial sums in chunk order (a fixed
 * order: the same device gives the same bits run after run).
 * Only NHWC float32 without dilation is taken over (what every Ferrolab model uses); anything else goes to the
 * stock kernel. Imported only once a webgpu device is open (webgpu-backend.ts), never on wasm/cpu.
 */
import * as tf from '@tensorflow/tfjs';
import { webgpu_util, type WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';

/** Threads the partial-sum pass aims for: enough to fill a large GPU, few enough that the partials stay small. */
export const TARGET_THREADS = 1 << 20;

/**
 * How the N·outHeight (image, output row) pairs are cut: `rowsPerChunk` rows per chunk, `chunks` chunks, so
 * that chunks × filter size is about `target` threads (at least one chunk, at most one row per chunk).
 */
export function filterGradChunks(rows: number, filterSize: number, target = TARGET_THREADS): { chunks: number; rowsPerChunk: number } {
  if (!(rows >= 1) || !(filterSize >= 1)) throw new Error(`filter gradient: ${rows} rows, filter of ${filterSize}`);
  const wanted = Math.min(rows, Math.max(1, Math.ceil(target / filterSize)));
  const rowsPerChunk = Math.ceil(rows / wanted);
  return { chunks: Math.ceil(rows / rowsPerChunk), rowsPerChunk };
}

interface ConvShape {
  batchSize: number;
  inHeight: number;
  inWidth: number;
  inChannels: number;
  outHeight: number;
  outWidth: number;
  outChannels: number;
  filterHeight: number;
  filterWidth: number;
  strideHeight: number;
  strideWidth: number;
  padInfo: { top: number; left: number };
}

/** A program with one thread per output element, 64 to a workgroup (tfjs's flat layout and dispatch). */
abstract class FlatProgram implements Partial<WebGPUProgram> {
  workgroupSize: [number, number, number] = [64, 1, 1];
  size = true;
  dispatchLayout: { x: number[] };
  dispatch: [number, number, number];

  constructor(public outputShape: number[]) {
    this.dispatchLayout = webgpu_util.flatDispatchLayout(outputShape);
    this.dispatch = webgpu_util.computeDispatch(this.dispatchLayout, outputShape, this.workgroupSize);
  }
}

/** One thread per (chunk, filter weight): the weight's sum of x · dy over the chunk's rows. */
class ChunkedFilterGradProgram extends FlatProgram implements WebGPUProgram {
  variableNames = ['x', 'dy'];
  uniforms =
    'pads : vec2<i32>, strides : vec2<i32>, inHeight : i32, inWidth : i32, inChannels : i32, outHeight : i32, outWidth : i32, outChannels : i32, filterHeight : i32, filterWidth : i32, rows : i32, rowsPerChunk : i32,';
  shaderKey = 'ferrolabConv2DFilterGradChunked';

  constructor(chunks: number, c: ConvShape) {
    // Rank 4 (chunk and filter row folded into the first axis): the layout is [chunk][wR][wC][d1][d2].
    super([chunks * c.filterHeight, c.filterWidth, c.inChannels, c.outChannels]);
  }

  getUserCode(): string {
    return `
    fn main(index : i32) {
      if (index < uniforms.size) {
        let d2 = index % uniforms.outChannels;
        var rest = index / uniforms.outChannels;
        let d1 = rest % uniforms.inChannels;
        rest = rest / uniforms.inChannels;
        let wC = rest % uniforms.filterWidth;
        rest = rest / uniforms.filterWidth;
        let wR = rest % uniforms.filterHeight;
        let chunk = rest / uniforms.filterHeight;
        let rowStart = chunk * uniforms.rowsPerChunk;
        let rowEnd = min(rowStart + uniforms.rowsPerChunk, uniforms.rows);
        // Output columns whose input column wC + yC·stride − pad lies inside the image (computed once, not
        // tested per column as the stock kernel does).
        let sw = uniforms.strides[1];
        let last = uniforms.inWidth - 1 + uniforms.pads[1] - wC;
        let yCStart = max(0, (uniforms.pads[1] - wC + sw - 1) / sw);
        var yCEnd = 0;
        if (last >= 0) {
          yCEnd = min(uniforms.outWidth, last / sw + 1);
        }
        var acc = 0.0;
        for (var r = rowStart; r < rowEnd; r = r + 1) {
          let b = r / uniforms.outHeight;
          let yR = r - b * uniforms.outHeight;
          let xR = wR + yR * uniforms.strides[0] - uniforms.pads[0];
          if (xR < 0 || xR >= uniforms.inHeight) {
            continue;
          }
          var xi = ((b * uniforms.inHeight + xR) * uniforms.inWidth + wC + yCStart * sw - uniforms.pads[1]) * uniforms.inChannels + d1;
          var di = (r * uniforms.outWidth + yCStart) * uniforms.outChannels + d2;
          let xStep = sw * uniforms.inChannels;
          for (var yC = yCStart; yC < yCEnd; yC = yC + 1) {
            acc = acc + x[xi] * dy[di];
            xi = xi + xStep;
            di = di + uniforms.outChannels;
          }
        }
        setOutputAtIndex(index, acc);
      }
    }
  `;
  }
}

/** The chunks' partial sums added in chunk order. */
class SumChunksProgram extends FlatProgram implements WebGPUProgram {
  variableNames = ['partials'];
  uniforms = 'chunks : i32,';
  shaderKey = 'ferrolabSumChunks';

  getUserCode(): string {
    return `
    fn main(index : i32) {
      if (index < uniforms.size) {
        var acc = 0.0;
        for (var c = 0; c < uniforms.chunks; c = c + 1) {
          acc = acc + partials[c * uniforms.size + index];
        }
        setOutputAtIndex(index, acc);
      }
    }
  `;
  }
}

interface WebGpuBackendLike {
  runWebGPUProgram(program: WebGPUProgram, inputs: tf.TensorInfo[], dtype: tf.DataType, uniforms?: Array<{ type: string; data: number[] }>): tf.TensorInfo;
  disposeData(dataId: unknown): boolean;
}

interface FilterGradAttrs {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: [number, number, number, number];
}

/** dW of a 2-D convolution on webgpu, or null when the stock kernel should run (NCHW, not float32). */
export function chunkedFilterGrad(x: tf.TensorInfo, dy: tf.TensorInfo, attrs: FilterGradAttrs, backend: WebGpuBackendLike, target = TARGET_THREADS): tf.TensorInfo | null {
  if (attrs.dataFormat === 'NCHW' || x.dtype !== 'float32' || dy.dtype !== 'float32') return null;
  const c = tf.backend_util.computeConv2DInfo(x.shape as [number, number, number, number], attrs.filterShape, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode, false, 'channelsLast');
  const filterSize = c.filterHeight * c.filterWidth * c.inChannels * c.outChannels;
  const rows = c.batchSize * c.outHeight;
  const { chunks, rowsPerChunk } = filterGradChunks(rows, filterSize, target);
  const uniforms = [
    { type: 'int32', data: [c.padInfo.top, c.padInfo.left] },
    { type: 'int32', data: [c.strideHeight, c.strideWidth] },
    { type: 'int32', data: [c.inHeight] },
    { type: 'int32', data: [c.inWidth] },
    { type: 'int32', data: [c.inChannels] },
    { type: 'int32', data: [c.outHeight] },
    { type: 'int32', data: [c.outWidth] },
    { type: 'int32', data: [c.outChannels] },
    { type: 'int32', data: [c.filterHeight] },
    { type: 'int32', data: [c.filterWidth] },
    { type: 'int32', data: [rows] },
    { type: 'int32', data: [rowsPerChunk] },
  ];
  const partials = backend.runWebGPUProgram(new ChunkedFilterGradProgram(chunks, c), [x, dy], 'float32', uniforms);
  if (chunks === 1) {
    return { dataId: partials.dataId, shape: attrs.filterShape.slice(), dtype: 'float32' };
  }
  try {
    return backend.runWebGPUProgram(new SumChunksProgram(attrs.filterShape.slice()), [partials], 'float32', [{ type: 'int32', data: [chunks] }]);
  } finally {
    backend.disposeData(partials.dataId);
  }
}

let stock: tf.KernelConfig | undefined;

/** Puts the chunked dW in place of tfjs's on the webgpu backend (idempotent; the stock kernel stays the fallback). */
export function registerWebGpuFilterGrad(): void {
  const current = tf.getKernel('Conv2DBackpropFilter', 'webgpu');
  if (current && (current as { ferrolab?: boolean }).ferrolab) return;
  stock = current;
  if (current) tf.unregisterKernel('Conv2DBackpropFilter', 'webgpu');
  const config: tf.KernelConfig & { ferrolab: boolean } = {
    kernelName: 'Conv2DBackpropFilter',
    backendName: 'webgpu',
    ferrolab: true,
    kernelFunc: (args) => {
      const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
      const out = chunkedFilterGrad(x, dy, args.attrs as unknown as FilterGradAttrs, args.backend as unknown as WebGpuBackendLike);
      if (out) return out;
      if (!stock) throw new Error('Conv2DBackpropFilter on webgpu: no stock kernel for this layout');
      return stock.kernelFunc(args);
    },
  };
  tf.registerKernel(config);
}

/** tfjs's own kernel (the reference of the tests and the bench's before), once ours is registered. */
export function stockWebGpuFilterGrad(): tf.KernelConfig | undefined {
  return stock;
}
