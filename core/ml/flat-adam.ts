/**
 * Adam on flat Float32Arrays: what tf.train.adam's applyGradients computes, element by element, in one pass
 * and without a tensor. Data-parallel training (data-parallel.ts) keeps the weights and Adam's moments in shared
 * memory and each gradient worker updates its own contiguous slice of them (reduce-scatter): Adam is elementwise,
 * so a slice update is exactly the whole-array update restricted to the slice, whoever computes it.
 * Every operation is rounded to float32 (Math.fround) in tfjs's order, so the result is that of a float32
 * evaluation of tfjs's formula: m, v updated, bias-corrected by 1 − β^t, w += −lr · m̂ / (√v̂ + ε).
 */
export interface AdamConfig {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
}

/** The per-step factors 1 − β1^t and 1 − β2^t, rounded as tfjs rounds them (its β^t are float32 running products). */
export interface AdamFactors {
  oma1: number;
  oma2: number;
}

export function checkAdamConfig(config: AdamConfig): void {
  for (const [k, v] of Object.entries(config)) if (!Number.isFinite(v)) throw new Error(`Adam: ${k} must be a finite number, got ${v}`);
}

/** Counts Adam's steps and gives each step's factors (β^t as tfjs keeps them: float32 scalars starting at β). */
export class AdamClock {
  private accBeta1: number;
  private accBeta2: number;

  constructor(readonly config: AdamConfig) {
    checkAdamConfig(config);
    this.accBeta1 = Math.fround(config.beta1);
    this.accBeta2 = Math.fround(config.beta2);
  }

  /** The factors of the next step (then advances). */
  next(): AdamFactors {
    const f = Math.fround;
    const out = { oma1: f(1 - this.accBeta1), oma2: f(1 - this.accBeta2) };
    this.accBeta1 = f(this.accBeta1 * f(this.config.beta1));
    this.accBeta2 = f(this.accBeta2 * f(this.config.beta2));
    return out;
  }
}

/**
 * One Adam update of weights/m/v over [from, to) from the mean gradient, read at grad[i − gradOffset] (a chunk
 * buffer holding only [gradOffset, …) will do).
 */
export function adamRange(config: AdamConfig, k: AdamFactors, weights: Float32Array, m: Float32Array, v: Float32Array, grad: Float32Array, gradOffset: number, from: number, to: number): void {
  adamInto(config, k, { w: weights, m, v }, grad, gradOffset, { w: weights, m, v }, from, to);
}

/** Weights and Adam's two moments of a range of parameters. */
export interface AdamArrays {
  w: Float32Array;
  m: Float32Array;
  v: Float32Array;
}

/**
 * The update of adamRange read from `src` and written to `dst` (the same arrays: in place). The single-threaded
 * wasm step (heap-adam.ts) writes new buffers, as the weights' old data may be shared (a clone of them).
 */
export function adamInto(config: AdamConfig, k: AdamFactors, src: AdamArrays, grad: Float32Array, gradOffset: number, dst: AdamArrays, from: number, to: number): void {
  const f = Math.fround;
  const b1 = f(config.beta1);
  const b2 = f(config.beta2);
  const c1 = f(1 - config.beta1);
  const c2 = f(1 - config.beta2);
  const eps = f(config.epsilon);
  const negLr = f(-config.learningRate);
  const { oma1, oma2 } = k;
  const { w: ws, m: ms, v: vs } = src;
  const { w: wd, m: md, v: vd } = dst;
  for (let i = from; i < to; i++) {
    const g = grad[i - gradOffset];
    const mi = f(f(ms[i] * b1) + f(g * c1));
    const vi = f(f(vs[i] * b2) + f(f(g * g) * c2));
    md[i] = mi;
    vd[i] = vi;
    const mh = f(mi / oma1);
    const vh = f(vi / oma2);
    wd[i] = f(f(f(mh / f(f(Math.sqrt(vh)) + eps)) * negLr) + ws[i]);
  }
}

/** Adam over a whole flat array with its own moments (the reference the data-parallel slices must equal). */
export class FlatAdam {
  private readonly m: Float32Array;
  private readonly v: Float32Array;
  private readonly clock: AdamClock;

  constructor(readonly size: number, readonly config: AdamConfig) {
    this.clock = new AdamClock(config);
    this.m = new Float32Array(size);
    this.v = new Float32Array(size);
  }

  /** One update of `weights` in place from the mean gradient `grad` (both `size` floats). */
  apply(weights: Float32Array, grad: Float32Array): void {
    adamRange(this.config, this.clock.next(), weights, this.m, this.v, grad, 0, 0, this.size);
  }
}
