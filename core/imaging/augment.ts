import { applyDihedral, DIHEDRAL, type DihedralIndex } from './dihedral.js';

/** A labelled square grey sample as the dataset holds it (one copy per point, never 8). */
export interface AugmentSource<T extends Uint8Array | Float32Array = Uint8Array | Float32Array> {
  label: string;
  size: number;
  data: T;
  /** Target value (e.g. carbon wt.%), carried through unchanged. */
  target?: number;
}

export interface AugmentedSample<T extends Uint8Array | Float32Array = Uint8Array | Float32Array> extends AugmentSource<T> {
  transform: DihedralIndex;
}

/**
 * Yields each sample under each requested dihedral transform, computing the transformed pixels on demand so
 * the dataset stays one copy per point. `order` lets a training loop shuffle (sample, transform) pairs with
 * its own seeded permutation: pass indices into the flat list of `samples.length × transforms.length` pairs.
 */
export function* augmentDihedral<T extends Uint8Array | Float32Array>(
  samples: readonly AugmentSource<T>[],
  opts: { transforms?: readonly DihedralIndex[]; order?: readonly number[] } = {},
): Generator<AugmentedSample<T>> {
  const transforms = opts.transforms ?? DIHEDRAL;
  const n = samples.length * transforms.length;
  const order = opts.order ?? Array.from({ length: n }, (_, i) => i);
  for (const i of order) {
    if (!Number.isInteger(i) || i < 0 || i >= n) throw new Error(`augmentDihedral: order index ${i} outside 0..${n - 1}`);
    const s = samples[Math.floor(i / transforms.length)];
    const t = transforms[i % transforms.length];
    yield { ...s, data: t === 0 ? s.data : applyDihedral(s.data, s.size, t), transform: t };
  }
}

/** Number of items `augmentDihedral` yields for the given sample count. */
export function augmentedCount(sampleCount: number, transforms: readonly DihedralIndex[] = DIHEDRAL): number {
  return sampleCount * transforms.length;
}
