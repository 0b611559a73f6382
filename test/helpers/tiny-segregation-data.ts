import { createRng } from '../../core/runtime/random.js';
import { randomPointSplits } from '../../core/segregation/cnn/splits.js';
import type { SegregationData } from '../../core/experiments/types.js';

/**
 * A tiny billet for experiment tests: `n` textured patches whose carbon is a known linear function of their
 * mean brightness (darker etch = more carbon, as in the synthetic billets), plus seeded splits.
 */
export function tinySegregationData(opts: { n?: number; size?: number; seed?: number; splits?: number } = {}): SegregationData {
  const n = opts.n ?? 32;
  const size = opts.size ?? 16;
  const rng = createRng(opts.seed ?? 7);
  const points = Array.from({ length: n }, (_, i) => {
    const brightness = 70 + 110 * rng.next();
    const raw = Uint8Array.from({ length: size * size }, () => Math.max(0, Math.min(255, Math.round(brightness + 25 * (rng.next() - 0.5)))));
    return {
      label: `P${i + 1}`,
      billetId: 1,
      xMm: i,
      yMm: 0,
      carbon: 0.42 + 0.06 * ((125 - brightness) / 55) + 0.001 * (rng.next() - 0.5),
      raw,
      clahe: raw,
    };
  });
  return {
    billets: [{ id: 1, name: 'tiny', synthetic: true }],
    size,
    points,
    splits: randomPointSplits(n, opts.splits ?? 2, opts.seed ?? 7),
    fingerprint: 'tiny',
    synthetic: true,
  };
}
