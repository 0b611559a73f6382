import { applyClahe } from '../../../core/imaging/clahe.js';
import { createRng } from '../../../core/runtime/random.js';
import { randomPointSplits } from '../../../core/segregation/cnn/splits.js';
import { memoryContext, type ExperimentContext, type SegregationData } from '../../../core/experiments/types.js';

/**
 * Tiny segregation data for the experiment tests: `n` points of `size` px whose carbon is a known function of
 * the patch's mean brightness (darker etch = more carbon), on a weakly contrasted "etched" texture of smooth
 * blobs plus grain noise, and the same patch after CLAHE (8 px window, slope 3).
 */
export async function syntheticSegregation(n = 24, size = 16, seed = 5, splits = 2): Promise<SegregationData> {
  const rng = createRng(seed);
  const points = [];
  for (let i = 0; i < n; i++) {
    const carbon = 0.3 + 0.2 * (i / (n - 1));
    const base = 170 - 150 * (carbon - 0.3); // 170 … 140 grey
    const fx = 0.4 + rng.next() * 0.6;
    const fy = 0.4 + rng.next() * 0.6;
    const ph = rng.next() * 6.28;
    const raw = new Uint8Array(size * size);
    for (let y = 0; y < size; y++)
      for (let x = 0; x < size; x++) {
        const blob = 12 * Math.sin(fx * x + ph) * Math.sin(fy * y + ph / 2);
        raw[y * size + x] = Math.max(0, Math.min(255, Math.round(base + blob + (rng.next() - 0.5) * 16)));
      }
    const clahe = await applyClahe(raw, size, size, { width: 8, height: 8, maxSlope: 3 });
    points.push({ label: `P${i + 1}`, billetId: 1, xMm: i, yMm: 0, carbon, raw, clahe: new Uint8Array(clahe) });
  }
  return {
    billets: [{ id: 1, name: 'synthetic', synthetic: true }],
    size,
    points,
    splits: randomPointSplits(n, splits, seed),
    fingerprint: `test-${seed}`,
    synthetic: true,
  };
}

/** A memory context that counts how many units were actually computed (not taken from the store). */
export function countingContext(store = new Map<string, unknown>()): ExperimentContext & { store: Map<string, unknown>; computed: string[] } {
  const base = memoryContext({ store, seed: 11 });
  const computed: string[] = [];
  return {
    ...base,
    computed,
    unit<T>(key: string, compute: () => Promise<T>): Promise<T> {
      return base.unit(key, () => {
        computed.push(key);
        return compute();
      });
    },
  };
}
