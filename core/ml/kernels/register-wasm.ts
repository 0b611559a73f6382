import * as tf from '@tensorflow/tfjs';
import { conv2dBackpropFilter, type BackpropFilterAttrs } from './conv2d-backprop-filter.js';
import { conv2dBackpropInput, type BackpropInputAttrs } from './conv2d-backprop-input.js';
import { conv2dForwardGemm, forwardGemmPaysOff } from './conv2d-forward-gemm.js';
import { convGeometry, type Pad } from './conv-geometry.js';

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

let registered = false;

/**
 * Registers Ferrolab's training kernels on the wasm backend: Conv2DBackpropFilter (missing in
 * tfjs-backend-wasm 4.22) and a faster Conv2DBackpropInput. Both are built from kernels the wasm
 * backend runs fast (XNNPACK conv and matmul). Idempotent.
 */
export function registerWasmConvGradKernels(): void {
  if (registered) return;
  const original = tf.getKernel('Conv2DBackpropInput', 'wasm');

  const backpropFilter: KernelFunc = ({ inputs, attrs, backend }) => {
    const a = attrs as unknown as BackpropFilterAttrs;
    if (!isNhwc(a.dataFormat)) throw new Error(`Conv2DBackpropFilter on wasm: only NHWC is supported (got ${String(a.dataFormat)})`);
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
      if (original) return original.kernelFunc(args);
      throw new Error('Conv2DBackpropInput on wasm: NCHW is not supported');
    }
    return tf.tidy(() => {
      const dy = asTensor(args.inputs.dy as tf.TensorInfo, args.backend as tf.KernelBackend);
      const filter = asTensor(args.inputs.filter as tf.TensorInfo, args.backend as tf.KernelBackend);
      return conv2dBackpropInput(dy, filter, a);
    });
  };

  // Conv2D: the stock kernel, except a large filter on few pixels (conv2d-forward-gemm.ts: no per-step filter packing).
  const stockConv = tf.getKernel('Conv2D', 'wasm');
  const forward: KernelFunc = (args) => {
    const a = args.attrs as unknown as { strides: number | [number, number]; pad: Pad; dataFormat?: string; dilations?: number | [number, number]; dimRoundingMode?: 'floor' | 'round' | 'ceil' };
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
    return stockConv!.kernelFunc(args);
  };
  if (stockConv) {
    tf.unregisterKernel('Conv2D', 'wasm');
    tf.registerKernel({ ...stockConv, kernelFunc: forward });
  }

  if (tf.getKernel('Conv2DBackpropFilter', 'wasm')) tf.unregisterKernel('Conv2DBackpropFilter', 'wasm');
  tf.registerKernel({ kernelName: 'Conv2DBackpropFilter', backendName: 'wasm', kernelFunc: backpropFilter });
  if (original) tf.unregisterKernel('Conv2DBackpropInput', 'wasm');
  tf.registerKernel({ kernelName: 'Conv2DBackpropInput', backendName: 'wasm', kernelFunc: backpropInput });
  registered = true;
}
