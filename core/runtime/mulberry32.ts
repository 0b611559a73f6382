/**
 * mulberry32: a 32-bit-state generator, uniform in [0, 1), identical on every platform and Node version.
 * The one uniform source behind the seeded random streams of the ML code and of JoMiner, so a stored
 * seed replays a result bit for bit in the main thread or in a worker.
 */
export function mulberry32(seed: number): { next: () => number; state: () => number } {
  let s = seed >>> 0;
  return {
    next(): number {
      s = (s + 0x6d2b79f5) >>> 0;
      let t = s;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    },
    state: () => s,
  };
}
