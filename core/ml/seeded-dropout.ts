import * as tf from '@tensorflow/tfjs';
import { childSeed } from '../runtime/random.js';

interface SeededDropoutArgs {
  rate: number;
  seed: number;
  name?: string;
}

/**
 * Dropout whose masks are reproducible AND different at every training step. tfjs's own Dropout
 * either uses Math.random (not reproducible) or, given a seed, draws the same mask on every call.
 * Here call k uses seed (base + k), so a run with the same seed replays exactly.
 */
export class SeededDropout extends tf.layers.Layer {
  static className = 'FerrolabSeededDropout';
  readonly rate: number;
  readonly seed: number;
  private calls = 0;
  /** Data-parallel training: which shard of the batch this replica sees (0 = the whole batch, or shard 0). */
  private shard = 0;

  constructor(args: SeededDropoutArgs) {
    super({ name: args.name });
    if (!(args.rate >= 0 && args.rate < 1)) throw new Error(`dropout rate must be in [0, 1), got ${args.rate}`);
    this.rate = args.rate;
    this.seed = args.seed >>> 0;
    this.supportsMasking = true;
  }

  /** Restarts the mask sequence (a fresh training run with the same seed draws the same masks). */
  resetSequence(): void {
    this.calls = 0;
    this.shard = 0;
  }

  /**
   * A replica of data-parallel training (core/ml/data-parallel.ts) draws the mask of training step `step`
   * for shard `shard` of the batch: shard 0 uses exactly the seed the single-threaded run uses at that step
   * (so one worker replays it), other shards a child of it, so masks are deterministic for a seed and a
   * worker count and independent between shards.
   */
  setStep(step: number, shard: number): void {
    this.calls = step;
    this.shard = shard;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    if (!kwargs.training || this.rate === 0) return tf.clone(x);
    const stepSeed = (this.seed + this.calls++) >>> 0;
    const seed = this.shard === 0 ? stepSeed : childSeed(stepSeed, this.shard) >>> 0;
    return tf.tidy(() => {
      const keep = tf.cast(tf.greaterEqual(tf.randomUniform(x.shape, 0, 1, 'float32', seed), this.rate), 'float32');
      return tf.mul(x, tf.mul(keep, 1 / (1 - this.rate)));
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), rate: this.rate, seed: this.seed };
  }
}

tf.serialization.registerClass(SeededDropout);
