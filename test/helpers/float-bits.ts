/** A float array's bit patterns: what "bit for bit" compares. */
export const bits = (a: ArrayLike<number>) => Array.from(new Uint32Array(Float32Array.from(a).buffer));

/** n seeded floats, uniform in [−scale, scale). */
export function random(n: number, rng: { next(): number }, scale = 1): Float32Array {
  return Float32Array.from({ length: n }, () => (rng.next() * 2 - 1) * scale);
}
