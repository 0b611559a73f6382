import type { ForkingRng } from '../runtime/random.js';

/**
 * Seeded 2-D gradient (Perlin) noise and fractal sums of it. Output of `noise2` is roughly in [−1, 1] with
 * standard deviation ≈ 0.2–0.25; `fbm` sums octaves with halving amplitude.
 */
export interface Noise2 {
  noise2(x: number, y: number): number;
  fbm(x: number, y: number, octaves: number, lacunarity?: number, gain?: number): number;
}

export function createNoise(rng: ForkingRng): Noise2 {
  const perm = new Uint8Array(512);
  const p = Array.from({ length: 256 }, (_, i) => i);
  for (let i = 255; i > 0; i--) {
    const j = rng.int(i + 1);
    [p[i], p[j]] = [p[j], p[i]];
  }
  for (let i = 0; i < 512; i++) perm[i] = p[i & 255];
  const gx = new Float64Array(256), gy = new Float64Array(256);
  for (let i = 0; i < 256; i++) {
    const a = rng.next() * 2 * Math.PI;
    gx[i] = Math.cos(a);
    gy[i] = Math.sin(a);
  }
  const fade = (t: number) => t * t * t * (t * (t * 6 - 15) + 10);
  const noise2 = (x: number, y: number): number => {
    const xf = Math.floor(x), yf = Math.floor(y);
    const X = xf & 255, Y = yf & 255;
    const dx = x - xf, dy = y - yf;
    const h00 = perm[X + perm[Y]], h10 = perm[X + 1 + perm[Y]], h01 = perm[X + perm[Y + 1]], h11 = perm[X + 1 + perm[Y + 1]];
    const n00 = gx[h00] * dx + gy[h00] * dy;
    const n10 = gx[h10] * (dx - 1) + gy[h10] * dy;
    const n01 = gx[h01] * dx + gy[h01] * (dy - 1);
    const n11 = gx[h11] * (dx - 1) + gy[h11] * (dy - 1);
    const u = fade(dx), v = fade(dy);
    return (n00 + u * (n10 - n00)) + v * ((n01 + u * (n11 - n01)) - (n00 + u * (n10 - n00)));
  };
  return {
    noise2,
    fbm(x, y, octaves, lacunarity = 2, gain = 0.5) {
      let s = 0, a = 1, f = 1, norm = 0;
      for (let o = 0; o < octaves; o++) {
        s += a * noise2(x * f + o * 17.31, y * f - o * 9.17);
        norm += a;
        a *= gain;
        f *= lacunarity;
      }
      return s / norm;
    },
  };
}

/** Samples a regular grid (origin x0,y0, spacing h, nx × ny) bilinearly; clamps outside. */
export function bilinear(grid: Float32Array | Float64Array, nx: number, ny: number, gx: number, gy: number): number {
  const x = gx < 0 ? 0 : gx > nx - 1 ? nx - 1 : gx;
  const y = gy < 0 ? 0 : gy > ny - 1 ? ny - 1 : gy;
  const x0 = Math.min(nx - 2, Math.floor(x)), y0 = Math.min(ny - 2, Math.floor(y));
  const fx = x - x0, fy = y - y0;
  const i = y0 * nx + x0;
  const a = grid[i] + fx * (grid[i + 1] - grid[i]);
  const b = grid[i + nx] + fx * (grid[i + nx + 1] - grid[i + nx]);
  return a + fy * (b - a);
}
