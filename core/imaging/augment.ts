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

/**
 * The training augmentations of the paper's ablation (Supp. Table 1), as subsets of the dihedral group that
 * always contain the identity (the patch itself): `none` = the patch only (1 copy); `rotation` = 0/90/180/270°
 * (4); `mirror` = the patch and its left↔right mirror (2); `both` = rotations and their mirrors, the whole
 * group (8, the default and what every model before the switch was trained with). Test-time augmentation at
 * prediction stays the whole group whatever a model was trained with.
 */
export type Augmentation = 'none' | 'rotation' | 'mirror' | 'both';
export const AUGMENTATIONS: readonly Augmentation[] = ['none', 'rotation', 'mirror', 'both'];
export const DEFAULT_AUGMENTATION: Augmentation = 'both';

const AUGMENTATION_TRANSFORMS: Record<Augmentation, readonly DihedralIndex[]> = {
  none: [0],
  rotation: [0, 1, 2, 3],
  mirror: [0, 4],
  both: DIHEDRAL,
};

/** The dihedral transforms a training set is expanded with; throws a sentence for an unknown name. */
export function augmentationTransforms(a: Augmentation = DEFAULT_AUGMENTATION): readonly DihedralIndex[] {
  const t = AUGMENTATION_TRANSFORMS[a];
  if (!t) throw new Error(`augmentation must be one of ${AUGMENTATIONS.join(', ')}, got "${String(a)}"`);
  return t;
}
