/**
 * Adam on flat Float32Arrays: what tf.train.adam's applyGradients computes, element by element, in one pass
 * and without a tensor. Data-parallel training (data-parallel.ts) keeps the weights in shared memory; running
 * tfjs's Adam there meant ~15 tensor ops per variable, a tensor per gradient and a read-back of every weight
 * per step, all on the coordinating thread while the gradient workers wait (the serial share of a step).
 * Every operation is rounded to float32 (Math.fround) in tfjs's order, so the result is that of a float32
 * evaluation of tfjs's formula: m, v updated, bias-corrected by 1 − β^t, w += −lr · m̂ / (√v̂ + ε).
 */
export interface AdamConfig {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
}

export class FlatAdam {
  private readonly m: Float32Array;
  private readonly v: Float32Array;
  /** β1^t and β2^t as tfjs keeps them (float32 scalars, starting at β). */
  private accBeta1: number;
  private accBeta2: number;

  constructor(readonly size: number, readonly config: AdamConfig) {
    for (const [k, v] of Object.entries(config)) if (!Number.isFinite(v)) throw new Error(`Adam: ${k} must be a finite number, got ${v}`);
    this.m = new Float32Array(size);
    this.v = new Float32Array(size);
    this.accBeta1 = Math.fround(config.beta1);
    this.accBeta2 = Math.fround(config.beta2);
  }

  /** One update of `weights` in place from the mean gradient `grad` (both `size` floats). */
  apply(weights: Float32Array, grad: Float32Array): void {
    const f = Math.fround;
    const b1 = f(this.config.beta1);
    const b2 = f(this.config.beta2);
    const c1 = f(1 - this.config.beta1);
    const c2 = f(1 - this.config.beta2);
    const eps = f(this.config.epsilon);
    const negLr = f(-this.config.learningRate);
    const oma1 = f(1 - this.accBeta1);
    const oma2 = f(1 - this.accBeta2);
    const { m, v } = this;
    for (let i = 0; i < this.size; i++) {
      const g = grad[i];
      const mi = f(f(m[i] * b1) + f(g * c1));
      const vi = f(f(v[i] * b2) + f(f(g * g) * c2));
      m[i] = mi;
      v[i] = vi;
      const mh = f(mi / oma1);
      const vh = f(vi / oma2);
      weights[i] = f(f(f(mh / f(f(Math.sqrt(vh)) + eps)) * negLr) + weights[i]);
    }
    this.accBeta1 = f(this.accBeta1 * b1);
    this.accBeta2 = f(this.accBeta2 * b2);
  }
}
