import { createRng } from '../core/runtime/random.js';
import type { SampleSet } from '../core/ml/tensors.js';

/** A seeded set of random one-channel images and targets: training-speed benches time steps, not what is learnt. */
export function randomSet(n: number, size: number, seed: number): SampleSet {
  const rng = createRng(seed);
  const x = new Float32Array(n * size * size);
  for (let i = 0; i < x.length; i++) x[i] = rng.next();
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) y[i] = rng.next() * 2 - 1;
  return { x, y, count: n, shape: [size, size, 1] };
}
