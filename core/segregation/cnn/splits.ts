import { childSeed, createRng, shuffled } from '../../runtime/random.js';
import { phrase, type Phrase } from '../../api/phrase.js';
import { RefusedError } from '../../runtime/refused.js';

/** Indices into the dataset's point list. Augmented copies are made per point, so they never straddle subsets. */
export interface PointSplit {
  /** The split's name in English (stored with its run and its epochs). */
  name: string;
  /** `name` as a phrase, for the interface's language. */
  namePhrase?: Phrase;
  train: number[];
  val: number[];
  test: number[];
  /** Seed of this split's model initialisation, shuffles and dropout. */
  seed: number;
}

export type SplitMode = 'random' | 'leave-one-billet-out';

export interface SplitOptions {
  /** Fraction of points held out for testing in random splits (paper: 20 %). */
  testFraction?: number;
  /** Fraction of the training points used for early stopping (paper: 10 %). */
  valFraction?: number;
}

function carveValidation(trainPool: number[], valFraction: number, seed: number): { train: number[]; val: number[] } {
  const order = shuffled(trainPool, createRng(seed));
  const nVal = Math.max(1, Math.round(order.length * valFraction));
  if (order.length - nVal < 1) throw RefusedError.said('failed_precondition', phrase('errors.cnn.noValidation'));
  return { val: order.slice(0, nVal).sort((a, b) => a - b), train: order.slice(nVal).sort((a, b) => a - b) };
}

/** k random splits BY SAMPLING POINT: test = testFraction of points, val = valFraction of the rest. */
export function randomPointSplits(pointCount: number, k: number, seed: number, opts: SplitOptions = {}): PointSplit[] {
  const testFraction = opts.testFraction ?? 0.2;
  const valFraction = opts.valFraction ?? 0.1;
  if (!Number.isInteger(k) || k < 1 || k > 50) throw RefusedError.said('invalid_argument', phrase('errors.cnn.splitCount', { k: String(k) }), { field: 'splits' });
  const nTest = Math.max(1, Math.round(pointCount * testFraction));
  if (pointCount - nTest < 3) throw RefusedError.said('failed_precondition', pointCount === 1 ? phrase('errors.cnn.tooFewToSplitOne', { need: nTest + 3 }) : phrase('errors.cnn.tooFewToSplit', { n: pointCount, need: nTest + 3 }));
  const all = Array.from({ length: pointCount }, (_, i) => i);
  return Array.from({ length: k }, (_, s) => {
    const order = shuffled(all, createRng(childSeed(seed, s)));
    const test = order.slice(0, nTest).sort((a, b) => a - b);
    const { train, val } = carveValidation(order.slice(nTest), valFraction, childSeed(seed, 100 + s));
    return { name: `split ${s + 1}/${k}`, namePhrase: phrase('cnnSplit.random', { n: s + 1, k }), train, val, test, seed: childSeed(seed, 200 + s) };
  });
}

/** One split per billet: that billet's points are the test set, the other billets train (and validate). */
export function leaveOneBilletOutSplits(billetOfPoint: readonly number[], billetNames: ReadonlyMap<number, string>, seed: number, opts: SplitOptions = {}): PointSplit[] {
  const billets = [...new Set(billetOfPoint)];
  if (billets.length < 2) throw RefusedError.said('failed_precondition', phrase('errors.cnn.leaveOneOutBillets'), { field: 'splitMode' });
  const valFraction = opts.valFraction ?? 0.1;
  return billets.map((b, s) => {
    const test = billetOfPoint.flatMap((pb, i) => (pb === b ? [i] : []));
    const pool = billetOfPoint.flatMap((pb, i) => (pb !== b ? [i] : []));
    const { train, val } = carveValidation(pool, valFraction, childSeed(seed, 100 + s));
    const billet = billetNames.get(b) ?? `billet ${b}`;
    return { name: `without ${billet}`, namePhrase: billetNames.has(b) ? phrase('cnnSplit.withoutBillet', { billet }) : phrase('cnnSplit.withoutBilletId', { id: b }), train, val, test, seed: childSeed(seed, 200 + s) };
  });
}

/** The final model: every point trains, 10 % validates early stopping; nothing is held out. */
export function finalFitSplit(pointCount: number, seed: number, opts: SplitOptions = {}): PointSplit {
  const all = Array.from({ length: pointCount }, (_, i) => i);
  const { train, val } = carveValidation(all, opts.valFraction ?? 0.1, childSeed(seed, 999));
  return { name: 'final model (all points)', namePhrase: phrase('cnnSplit.final'), train, val, test: [], seed: childSeed(seed, 1999) };
}

/**
 * The phrase of a split's English name as the functions above make it, for names stored without their phrase (a
 * training run's epoch curves are keyed by name); null for any other name, which is shown as stored.
 */
export function splitNamePhrase(name: string): Phrase | null {
  const random = /^split (\d+)\/(\d+)$/.exec(name);
  if (random) return phrase('cnnSplit.random', { n: Number(random[1]), k: Number(random[2]) });
  if (name === 'final model (all points)') return phrase('cnnSplit.final');
  const billetId = /^without billet (\d+)$/.exec(name);
  if (billetId) return phrase('cnnSplit.withoutBilletId', { id: Number(billetId[1]) });
  if (name.startsWith('without ') && name.length > 'without '.length) return phrase('cnnSplit.withoutBillet', { billet: name.slice('without '.length) });
  return null;
}

/** Throws when a point is in two subsets of a split (the leak the paper's image-level split had). */
export function assertDisjoint(split: PointSplit): void {
  const seen = new Map<number, string>();
  for (const [name, list] of [['train', split.train], ['val', split.val], ['test', split.test]] as const) {
    for (const i of list) {
      const prev = seen.get(i);
      if (prev) throw new Error(`${split.name}: point ${i} is in both ${prev} and ${name}`);
      seen.set(i, name);
    }
  }
}
