import { mulberry32 } from '../runtime/mulberry32.js';

/**
 * Seeded pseudo-random numbers for every random choice of the ML code (shuffles, splits, dropout
 * masks, initialisers): mulberry32, small and fast, identical on every platform.
 */
export interface Prng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [0, n). */
  int(n: number): number;
  /** A 32-bit seed for a child stream (e.g. one per split or per layer). */
  seed(): number;
}

export function createPrng(seed: number): Prng {
  const { next } = mulberry32(seed);
  return {
    next,
    int: (n) => Math.floor(next() * n),
    seed: () => Math.floor(next() * 4294967296) >>> 0,
  };
}

/** Fisher–Yates shuffle of a copy. */
export function shuffled<T>(items: readonly T[], rng: Prng): T[] {
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** Derives a stable child seed from a parent seed and a tag, so adding a stream never shifts another. */
export function childSeed(seed: number, tag: number): number {
  return createPrng((seed ^ Math.imul(tag + 1, 0x9e3779b1)) >>> 0).seed();
}
