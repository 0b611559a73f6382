import * as tf from '@tensorflow/tfjs';

// Kernels whose output is their input's data, shared (one more reference) where tfjs-backend-wasm copies it.

/**
 * Identity (tf.clone) on wasm as the cpu and webgl backends do it: the output SHARES the input's data (one more
 * reference), where tfjs-backend-wasm 4.22 copies it. Why: while a training step is recorded, the engine keeps a
 * clone of every tensor a gradient will need (its saveTensorsForBackwardMode), ~140 full copies of the paper
 * model's activations per step (about 1 % of it) for values nobody changes: no wasm kernel and no Ferrolab code
 * writes a tensor's heap buffer after it is made (kernels write only their own new outputs). Strings: the stock
 * kernel.
 */
export function identitySharedKernel(original: tf.KernelConfig | undefined): tf.KernelConfig['kernelFunc'] {
  return (args) => {
    const x = args.inputs.x as tf.TensorInfo;
    if (x.dtype === 'string') {
      if (original) return original.kernelFunc(args);
      throw new Error('Identity on wasm: the stock kernel is missing');
    }
    (args.backend as tf.KernelBackend).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape.slice(), dtype: x.dtype };
  };
}

/**
 * Cast to the dtype the tensor already has, shared the same way (tfjs-backend-wasm copies): ReLU's gradient is
 * dy · cast(step(x), 'float32') — a float32 → float32 cast, a full copy per ReLU layer per step. Other casts: the
 * stock kernel.
 */
export function castSharedKernel(original: tf.KernelConfig | undefined): tf.KernelConfig['kernelFunc'] {
  return (args) => {
    const x = args.inputs.x as tf.TensorInfo;
    const { dtype } = args.attrs as unknown as { dtype: tf.DataType };
    if (dtype !== x.dtype || dtype === 'string' || dtype === 'complex64') {
      if (original) return original.kernelFunc(args);
      throw new Error('Cast on wasm: the stock kernel is missing');
    }
    (args.backend as tf.KernelBackend).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape.slice(), dtype };
  };
}
