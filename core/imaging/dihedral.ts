/**
 * The 8 symmetries of a square (dihedral group D4) applied to raw square pixel arrays: the paper's
 * augmentation (0/90/180/270° rotations and their mirrors). Element k = 4·m + r means "rotate r quarter
 * turns clockwise, then mirror left↔right if m = 1". Each is an exact pixel permutation (no resampling).
 */

export type DihedralIndex = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7;
export const DIHEDRAL: readonly DihedralIndex[] = [0, 1, 2, 3, 4, 5, 6, 7];
export const DIHEDRAL_NAMES = ['identity', 'rot90', 'rot180', 'rot270', 'mirror', 'rot90+mirror', 'rot180+mirror', 'rot270+mirror'] as const;

type Mat = readonly [number, number, number, number]; // [a, b, c, d]: (u, v) → (a·u + b·v, c·u + d·v)

// Quarter turn clockwise in image coordinates (y down): (u, v) → (−v, u).
const R: Mat = [0, -1, 1, 0];
const M: Mat = [-1, 0, 0, 1];
const I: Mat = [1, 0, 0, 1];
const mul = (p: Mat, q: Mat): Mat => [p[0] * q[0] + p[1] * q[2], p[0] * q[1] + p[1] * q[3], p[2] * q[0] + p[3] * q[2], p[2] * q[1] + p[3] * q[3]];

function matrixOf(k: number): Mat {
  let t = I;
  for (let i = 0; i < (k & 3); i++) t = mul(R, t);
  return k >= 4 ? mul(M, t) : t;
}
const MATS: Mat[] = DIHEDRAL.map(matrixOf);
const keyOf = (m: Mat) => m.join(',');
const INDEX_OF = new Map(MATS.map((m, k) => [keyOf(m), k as DihedralIndex]));

/** The element equal to "apply `first`, then `second`". */
export function composeDihedral(second: DihedralIndex, first: DihedralIndex): DihedralIndex {
  return INDEX_OF.get(keyOf(mul(MATS[second], MATS[first])))!;
}

/** The element that undoes `k`. */
export function inverseDihedral(k: DihedralIndex): DihedralIndex {
  return DIHEDRAL.find((j) => composeDihedral(j, k) === 0)!;
}

type PixelArray = Uint8Array | Float32Array | Uint16Array;

/**
 * Applies transform `k` to a `size × size × channels` row-major array and returns a new array of the same type.
 * Works on centred doubled coordinates so odd and even sizes map exactly onto the grid.
 */
export function applyDihedral<T extends PixelArray>(data: T, size: number, k: DihedralIndex, channels = 1): T {
  if (data.length !== size * size * channels) throw new Error(`applyDihedral: expected ${size}×${size}×${channels} values, got ${data.length}`);
  const out = new (data.constructor as { new (n: number): T })(data.length);
  const [a, b, c, d] = MATS[k];
  const n1 = size - 1;
  for (let y = 0; y < size; y++) {
    const v = 2 * y - n1;
    for (let x = 0; x < size; x++) {
      const u = 2 * x - n1;
      const x2 = (a * u + b * v + n1) >> 1;
      const y2 = (c * u + d * v + n1) >> 1;
      const src = (y * size + x) * channels;
      const dst = (y2 * size + x2) * channels;
      for (let ch = 0; ch < channels; ch++) out[dst + ch] = data[src + ch];
    }
  }
  return out;
}
