import { mulberry32 } from '../runtime/mulberry32.js';

/**
 * Seeded pseudo-random numbers. Every random choice in JoMiner (splits, weight init, synthetic
 * heats, GA) draws from one of these so that a stored seed reproduces a result bit for bit,
 * in the main thread or in a worker.
 */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Standard normal. */
  normal(): number;
  /** Integer in [0, n). */
  int(n: number): number;
  /** Uniform in [a, b). */
  uniform(a: number, b: number): number;
  /** The generator's internal state, to resume it elsewhere. */
  state(): number;
}

export function createRng(seed: number): Rng {
  const gen = mulberry32(seed);
  const next = gen.next;
  let spare: number | null = null;
  return {
    next,
    normal() {
      if (spare !== null) {
        const v = spare;
        spare = null;
        return v;
      }
      let u = 0;
      while (u === 0) u = next();
      const v = next();
      const r = Math.sqrt(-2 * Math.log(u));
      spare = r * Math.sin(2 * Math.PI * v);
      return r * Math.cos(2 * Math.PI * v);
    },
    int: (n) => Math.floor(next() * n),
    uniform: (a, b) => a + (b - a) * next(),
    state: gen.state,
  };
}

/** A child seed for sub-task k (a target, a restart): independent of how tasks are scheduled. */
export function deriveSeed(seed: number, k: number): number {
  let h = (seed ^ Math.imul(k + 1, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

/** Fisher–Yates shuffle of 0..n-1. */
export function permutation(n: number, rng: Rng): number[] {
  const p = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [p[i], p[j]] = [p[j], p[i]];
  }
  return p;
}
