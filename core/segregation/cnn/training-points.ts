import { phrase, type Phrase } from '../../api/phrase.js';

/**
 * How many of a model's dataset points its stored weights were trained on (task 28-B): the dataset holds every point
 * with a reading (85 of B7), but the stored model's run gave gradients only on its training points (76); the rest chose
 * its stopping epoch (validation, 9) or were held out for its test (a model stored without a refit is split 1's).
 * Printing the dataset's count as "trained on" made the card claim 9 points more than the weights saw. Counted from
 * the final run's stored point lists; null where they cannot tell (no metrics, no training points recorded, or lists
 * that do not fit in the dataset), and then the words say so instead of printing the larger figure.
 */
export interface TrainingPointCounts {
  /** Points of the dataset (every point with a reading). */
  points: number;
  /** Those the stored weights trained on. */
  trained: number;
  /** Those that only chose the stopping epoch (early stopping's validation set). */
  validation: number;
  /** Those held out from the stored model (its test set; 0 for a refit on all points). */
  heldOut: number;
}

export function trainingPointCounts(points: number, final: { trainPoints: readonly unknown[]; testPoints: readonly unknown[] } | null | undefined): TrainingPointCounts | null {
  if (!final || !Array.isArray(final.trainPoints) || !Array.isArray(final.testPoints)) return null;
  const trained = final.trainPoints.length;
  const heldOut = final.testPoints.length;
  if (trained === 0 || trained + heldOut > points) return null;
  return { points, trained, validation: points - trained - heldOut, heldOut };
}

/** The counts in words, naming the billets ("76 of the 85 points of B7 trained its weights (9 …, 0 held out)"). */
export function trainingPointsPhrase(counts: TrainingPointCounts | null, points: number, billets: string): Phrase {
  if (!counts) return phrase('carbonFigures.trainingPointsUnknown', { points, billets });
  return phrase('carbonFigures.trainingPoints', { trained: counts.trained, points: counts.points, billets, validation: counts.validation, heldOut: counts.heldOut });
}

/** A model a fine-tune starts from (its parent, the parent's parent…): its name and what its stored weights trained on. */
export interface AncestorTraining {
  id: number;
  name: string;
  /** Its stored model's training points, by billet and position (none: not recorded). */
  trainPoints: ReadonlyArray<{ billetId: number; xMm: number; yMm: number }>;
  billets: readonly string[];
}

/** Same sampling position: coordinates are stored to well under a micrometre (as sample-label.ts). */
const pointKey = (p: { billetId: number; xMm: number; yMm: number }) => `${p.billetId}:${Math.round(p.xMm * 1e6)}:${Math.round(p.yMm * 1e6)}`;

/**
 * The distinct (billet, point) pairs the ancestors trained on: a child fine-tuned on its parent's billet trains on the
 * same points again, and summing each model's count would say each of those twice.
 */
export function ancestorPointCount(ancestors: readonly AncestorTraining[]): number {
  return new Set(ancestors.flatMap((a) => a.trainPoints.map(pointKey))).size;
}

/**
 * A fine-tune's weights start from its parent's, so what they saw includes what every ancestor trained on: said after
 * its own count. An ancestor whose data is gone (deleted before it was stored with the fine-tune) or recorded no
 * training points makes that part "not known", never left out. `own` unchanged for a model fine-tuned from none.
 */
export function withAncestorsPhrase(own: Phrase, ancestors: readonly AncestorTraining[], complete: boolean): Phrase {
  if (!ancestors.length && complete) return own;
  if (!complete || ancestors.some((a) => a.trainPoints.length === 0)) return phrase('carbonFigures.fineTuneAncestorsUnknown', { own });
  const billets = [...new Set(ancestors.flatMap((a) => a.billets))].join(', ') || '—';
  const models = ancestors.map((a) => `${a.name} (#${a.id})`).join(' ← ');
  return phrase('carbonFigures.fineTuneAncestors', { own, models, points: ancestorPointCount(ancestors), billets });
}
