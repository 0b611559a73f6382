import { N_ELEMENTS } from './elements.js';

/**
 * Which combinations of two elements the training data covers. The nearest-heat distance of domain.ts sums 15
 * standardised differences, so one combination no heat has — boron at a boron grade's level with the titanium of
 * a plain carbon steel, say — costs little distance and passes; a network then extrapolates an interaction it
 * never saw, and a search exploits it. Here each pair of elements gets a coarse grid of its standardised values
 * (BINS × BINS over ±SPAN sd); the cells a training heat falls in, and their neighbours, are covered; every other
 * cell stores its Chebyshev distance (in cells) to the nearest covered one. A chemistry's gap on a pair is that
 * distance × the cell width (sd units): 0 wherever the data have been, growing as the pair leaves them.
 */
export interface PairCoverage {
  bins: number;
  span: number;
  /** One entry per pair of elements that vary in the data; `gaps`: BINS² hex digits (cells, capped at 15), row = a. */
  pairs: { a: number; b: number; gaps: string }[];
}

const BINS = 16;
const SPAN = 4;

const binOf = (z: number): number => Math.min(BINS - 1, Math.max(0, Math.floor(((z + SPAN) / (2 * SPAN)) * BINS)));

export function buildPairCoverage(points: ArrayLike<number>, n: number, std: readonly number[]): PairCoverage {
  const pairs: PairCoverage['pairs'] = [];
  if (n < 2) return { bins: BINS, span: SPAN, pairs };
  for (let a = 0; a < N_ELEMENTS; a++) {
    if (!(std[a] > 0)) continue;
    for (let b = a + 1; b < N_ELEMENTS; b++) {
      if (!(std[b] > 0)) continue;
      const covered = new Uint8Array(BINS * BINS);
      for (let i = 0; i < n; i++) {
        const ra = binOf(points[i * N_ELEMENTS + a]);
        const rb = binOf(points[i * N_ELEMENTS + b]);
        // the heat's cell and its 8 neighbours: a coarse grid must not call the next cell over "unseen"
        for (let da = -1; da <= 1; da++)
          for (let db = -1; db <= 1; db++) {
            const x = ra + da;
            const y = rb + db;
            if (x >= 0 && x < BINS && y >= 0 && y < BINS) covered[x * BINS + y] = 1;
          }
      }
      const cells = [...covered.keys()].filter((k) => covered[k]);
      let gaps = '';
      for (let k = 0; k < BINS * BINS; k++) {
        let g = 0;
        if (!covered[k]) {
          g = Infinity;
          const x = Math.floor(k / BINS);
          const y = k % BINS;
          for (const c of cells) g = Math.min(g, Math.max(Math.abs(Math.floor(c / BINS) - x), Math.abs((c % BINS) - y)));
        }
        gaps += Math.min(15, g).toString(16);
      }
      pairs.push({ a, b, gaps });
    }
  }
  return { bins: BINS, span: SPAN, pairs };
}

const cellWidth = (c: PairCoverage): number => (2 * c.span) / c.bins;

/**
 * Sum of the pair gaps (sd units) of a standardised chemistry q (15 values). `mask` leaves out every pair with an
 * element it clears (an element the chemistry omits); `anyOf` keeps only pairs with at least one element it sets (the
 * elements the predictor uses: a network that takes boron but not titanium learnt boron's effect on heats that had
 * titanium, so boron without it is an extrapolation though titanium is no input).
 */
const skipPair = (a: number, b: number, mask?: readonly boolean[], anyOf?: readonly boolean[]): boolean =>
  (mask !== undefined && (!mask[a] || !mask[b])) || (anyOf !== undefined && !anyOf[a] && !anyOf[b]);

export function pairGap(c: PairCoverage, q: ArrayLike<number>, mask?: readonly boolean[], anyOf?: readonly boolean[]): number {
  let sum = 0;
  for (const p of c.pairs) {
    if (skipPair(p.a, p.b, mask, anyOf)) continue;
    const g = p.gaps.charCodeAt(binOf(q[p.a]) * c.bins + binOf(q[p.b]));
    // '0'…'9' = 48…57, 'a'…'f' = 97…102
    sum += g <= 57 ? g - 48 : g - 87;
  }
  return sum * cellWidth(c);
}

/** The pairs a standardised chemistry leaves uncovered, with their gap (sd units); `mask` and `anyOf` as in pairGap. */
export function uncoveredPairs(c: PairCoverage, q: ArrayLike<number>, mask?: readonly boolean[], anyOf?: readonly boolean[]): { a: number; b: number; gap: number }[] {
  const out: { a: number; b: number; gap: number }[] = [];
  for (const p of c.pairs) {
    if (skipPair(p.a, p.b, mask, anyOf)) continue;
    const g = parseInt(p.gaps[binOf(q[p.a]) * c.bins + binOf(q[p.b])], 16);
    if (g > 0) out.push({ a: p.a, b: p.b, gap: g * cellWidth(c) });
  }
  return out;
}
