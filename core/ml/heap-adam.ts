import * as tf from '@tensorflow/tfjs';
import type { AdamConfig } from './flat-adam.js';
import { adamIntoFast } from './adam-simd.js';

/**
 * tf.train.adam whose step, on the wasm backend, is one SIMD pass per variable (adam-simd.ts: tfjs's formula,
 * every operation in float32 in tfjs's order) instead of tfjs's ~12 tensor ops, each a full pass over the
 * variable into a new buffer. Why: on the paper model (21 M parameters) the stock step costs ~155 ms (thread CPU,
 * ~2 % of a training step at batch 8), the SIMD pass ~80 (bench/adam-step.ts). The result is BIT FOR BIT the
 * stock optimizer's (the wasm kernels it replaces are IEEE float32 multiply, add, divide and square root, as are
 * the SIMD lanes): a seeded training follows the same path with either (test/unit/ml/heap-adam.test.ts). Other
 * backends: the stock step.
 *
 * New weights and moments go to NEW heap buffers that the variables are then pointed at (Variable.assign), as
 * the stock step does: the old buffers may be shared — a clone of the weights (the trainer's best-epoch copy)
 * shares its data with the variable — so they must not be written in place. The moments are kept in the same
 * variables as the stock optimizer's, so getWeights/setWeights and the serialised config are unchanged.
 */

interface WasmHeap {
  makeOutput(shape: number[], dtype: 'float32'): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array;
}

/** The stock optimizer's state, private in its typings. */
interface AdamState {
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
  accumulatedFirstMoment: Array<{ originalName: string; variable: tf.Variable } | undefined>;
  accumulatedSecondMoment: Array<{ originalName: string; variable: tf.Variable } | undefined>;
  incrementIterations(): void;
}

export class HeapAdamOptimizer extends tf.AdamOptimizer {
  override applyGradients(variableGradients: Parameters<tf.AdamOptimizer['applyGradients']>[0]): void {
    if (tf.getBackend() !== 'wasm') {
      super.applyGradients(variableGradients);
      return;
    }
    const self = this as unknown as AdamState;
    const heap = tf.backend() as unknown as WasmHeap;
    const names = Array.isArray(variableGradients) ? variableGradients.map((v) => v.name) : Object.keys(variableGradients);
    const config: AdamConfig = { learningRate: this.learningRate, beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
    // sub(1, accBeta) in float32: 1 − a is exact in a double, then rounded once.
    const factors = { oma1: Math.fround(1 - self.accBeta1.dataSync()[0]), oma2: Math.fround(1 - self.accBeta2.dataSync()[0]) };
    names.forEach((name, i) => {
      const value = tf.engine().registeredVariables[name];
      const moment = (slot: AdamState['accumulatedFirstMoment'], suffix: string) => {
        if (slot[i] == null) slot[i] = { originalName: `${name}/${suffix}`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
        return slot[i]!.variable;
      };
      const m = moment(self.accumulatedFirstMoment, 'm');
      const v = moment(self.accumulatedSecondMoment, 'v');
      const gradient = Array.isArray(variableGradients) ? variableGradients[i].tensor : variableGradients[name];
      if (gradient == null) return;
      if (value.dtype !== 'float32' || gradient.dtype !== 'float32') {
        throw new Error(`Adam on wasm: variable ${name} is ${value.dtype} with a ${gradient.dtype} gradient; only float32 is trained`);
      }
      const shape = value.shape.slice();
      const outs = { w: heap.makeOutput(shape, 'float32'), m: heap.makeOutput(shape, 'float32'), v: heap.makeOutput(shape, 'float32') };
      // Views after the last allocation: a heap growth detaches earlier ones.
      const view = (t: tf.TensorInfo) => heap.typedArrayFromHeap(t);
      adamIntoFast(config, factors, { w: view(value), m: view(m), v: view(v) }, view(gradient), 0, { w: view(outs.w), m: view(outs.m), v: view(outs.v) }, 0, value.size);
      for (const [target, info] of [[m, outs.m], [v, outs.v], [value, outs.w]] as const) {
        const t = tf.engine().makeTensorFromTensorInfo(info);
        target.assign(t);
        t.dispose();
      }
    });
    tf.tidy(() => {
      self.accBeta1.assign(tf.mul(self.accBeta1, this.beta1));
      self.accBeta2.assign(tf.mul(self.accBeta2, this.beta2));
    });
    self.incrementIterations();
  }
}

/** tf.train.adam(learningRate) — same defaults: β1 0.9, β2 0.999, ε the backend's — with the heap step on wasm. */
export function adam(learningRate: number): tf.AdamOptimizer {
  return new HeapAdamOptimizer(learningRate, 0.9, 0.999);
}
