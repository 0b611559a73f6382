/**
 * Seeded random streams: the one module behind every random choice (ML shuffles, splits, dropout and
 * initialisers; JoMiner splits, weights, synthetic heats and GA; synthetic billets; RANSAC).
 *
 * Two generators, each written once, because stored seeds replay through both:
 * - mulberry32 (`createRng`): a 32-bit state that can be read back (`state()`), used by the ML code and JoMiner.
 * - sfc32 seeded through splitmix32 (`createForkingRng`): passes PractRand, and `fork(tag)` gives independent
 *   child streams so adding draws to one purpose never shifts another; used by synthetic billets and RANSAC.
 * Both are 32-bit integer arithmetic only: the same numbers on every platform and Node version, in the main
 * thread or in a worker. Changing either changes every stored seed's result: the known answers in
 * test/unit/foundation/random.test.ts guard them.
 */

const TWO_32 = 4294967296;

/** What both generators offer, derived from one uniform source. */
export interface RandomStream {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform in [lo, hi). */
  uniform(lo: number, hi: number): number;
  /** Integer in [0, n). */
  int(n: number): number;
  /** Standard normal (Box–Muller, both values used: the second is kept for the next call). */
  normal(): number;
}

/** mulberry32 stream (ML, JoMiner). */
export interface Rng extends RandomStream {
  /** The generator's internal state, to resume it elsewhere. */
  state(): number;
  /** A 32-bit seed for a child stream (e.g. one per split or per layer); consumes one draw. */
  seed(): number;
}

/** sfc32 stream with forks (synthetic billets, RANSAC). */
export interface ForkingRng extends RandomStream {
  /** Independent child stream, e.g. one per purpose so adding draws to one never shifts another. */
  fork(tag: number): ForkingRng;
}

/** mulberry32: the raw uniform source in [0, 1) and its state. */
export function mulberry32(seed: number): { next: () => number; state: () => number } {
  let s = seed >>> 0;
  return {
    next(): number {
      s = (s + 0x6d2b79f5) >>> 0;
      let t = s;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / TWO_32;
    },
    state: () => s,
  };
}

function streamOf(next: () => number): RandomStream {
  let spare: number | null = null;
  return {
    next,
    uniform: (lo, hi) => lo + (hi - lo) * next(),
    int: (n) => Math.floor(next() * n),
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
  };
}

export function createRng(seed: number): Rng {
  const gen = mulberry32(seed);
  return { ...streamOf(gen.next), state: gen.state, seed: () => Math.floor(gen.next() * TWO_32) >>> 0 };
}

function splitmix32(a: number): () => number {
  return () => {
    a = (a + 0x9e3779b9) | 0;
    let z = a;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

export function createForkingRng(seed: number): ForkingRng {
  const sm = splitmix32(seed >>> 0);
  let a = sm(), b = sm(), c = sm(), d = sm();
  const u32 = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  for (let i = 0; i < 12; i++) u32();
  return {
    ...streamOf(() => u32() / TWO_32),
    fork: (tag) => createForkingRng((u32() ^ Math.imul(tag + 1, 0x27d4eb2d)) >>> 0),
  };
}

/**
 * A child seed for sub-task k (a JoMiner target, a GA restart) by hashing: independent of how tasks are
 * scheduled and of any stream's position.
 */
export function deriveSeed(seed: number, k: number): number {
  let h = (seed ^ Math.imul(k + 1, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

/** A child seed for an ML stream (split, layer): the first draw of mulberry32 on the mixed seed. */
export function childSeed(seed: number, tag: number): number {
  return createRng((seed ^ Math.imul(tag + 1, 0x9e3779b1)) >>> 0).seed();
}

/** Fisher–Yates shuffle of a copy. */
export function shuffled<T>(items: readonly T[], rng: RandomStream): T[] {
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** A random order of 0..n-1 (the same draws as `shuffled` of the identity). */
export function permutation(n: number, rng: RandomStream): number[] {
  return shuffled(Array.from({ length: n }, (_, i) => i), rng);
}
