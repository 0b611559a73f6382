import { createRng } from '../../core/runtime/random.js';
import type { SampleSet } from '../../core/ml/tensors.js';

/**
 * n seeded 8×8 images whose target is their mean brightness, standardised (a relation a tiny CNN learns in a few
 * epochs); `flip` inverts the relation (a validation set that training on the other makes worse).
 */
export function brightnessSet(n: number, seed: number, flip = false): SampleSet {
  const rng = createRng(seed);
  const x = new Float32Array(n * 64);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const level = rng.next();
    let s = 0;
    for (let k = 0; k < 64; k++) {
      const v = Math.min(1, Math.max(0, level + (rng.next() - 0.5) * 0.3));
      x[i * 64 + k] = v;
      s += v;
    }
    y[i] = ((s / 64 - 0.5) / 0.3) * (flip ? -1 : 1);
  }
  return { x, y, count: n, shape: [8, 8, 1] };
}
