import type { SampleLabel } from '../../api/methods/cnn.js';

/**
 * Whether a prediction is in-sample, held-out or out-of-sample, decided by WHAT the model saw, not by billet
 * id: the same section image loaded twice is two billets with one content hash, and a model trained on one
 * has seen every patch of the other. A fine-tuned model saw what its parent (and the parent's parent…) saw too:
 * its weights start from theirs, so `TrainedImages` is the union over the model and every ancestor. Rules, per
 * predicted point:
 * - its section image (content hash) was never in the training data, nor its billet (a billet re-imaged
 *   after training keeps the readings the model learnt) → out-of-sample;
 * - same image and the position of a point the stored model or an ancestor trained on → in-sample;
 * - same image and the position of a point held out from them (a test point of the stored model or of an
 *   ancestor, trained on by none) → held-out;
 * - same image, any other position → in-sample: its patch is cut from an image the model trained on and may
 *   overlap training patches, so it is not an independent test (a conservative label, never a flattering one).
 * When an ancestor's training data cannot be read (`complete: false`: a parent deleted before its data was stored
 * with the fine-tune), a point that is not in-sample by what is known is `unknown`, never held-out or out-of-sample.
 */

export interface TrainedImages {
  /** Training billets with the content hash of their section (null: attached patch images only). */
  billets: ReadonlyArray<{ id: number; imageHash: string | null }>;
  /** Positions the stored model (or an ancestor) trained on, and those held out from it, by training billet id. */
  trainPoints: ReadonlyArray<{ billetId: number; xMm: number; yMm: number }>;
  testPoints: ReadonlyArray<{ billetId: number; xMm: number; yMm: number }>;
  /** False when an ancestor's training data is unknown (absent: complete). */
  complete?: boolean;
}

/** Same sampling position: coordinates are stored to well under a micrometre. */
const SAME_MM = 1e-6;

/**
 * A predicted billet as the labels see it: its id, its section's content hash, and the training billets whose readings
 * it repeats (same-section.ts: the same section scanned again at another resolution, or a training billet's patches
 * attached to it — no hash tells those apart; they were labelled out-of-sample, their coverage shown as evidence).
 */
export interface PredictedBillet {
  id: number;
  imageHash: string | null;
  sameReadingsAs?: ReadonlySet<number>;
}

/** The training billets whose section is this billet's (same id, the same content hash, or the same readings). */
export function sameImageBillets(trained: Pick<TrainedImages, 'billets'>, billet: PredictedBillet): Set<number> {
  return new Set(trained.billets.filter((b) => b.id === billet.id || (billet.imageHash !== null && b.imageHash === billet.imageHash) || billet.sameReadingsAs?.has(b.id)).map((b) => b.id));
}

export function samplePointLabeller(trained: TrainedImages, billet: PredictedBillet): (p: { xMm: number; yMm: number }) => SampleLabel {
  const sameImage = sameImageBillets(trained, billet);
  const complete = trained.complete !== false;
  if (!sameImage.size) return () => (complete ? 'out-of-sample' : 'unknown');
  const at = (list: TrainedImages['trainPoints'], p: { xMm: number; yMm: number }) =>
    list.some((q) => sameImage.has(q.billetId) && Math.abs(q.xMm - p.xMm) < SAME_MM && Math.abs(q.yMm - p.yMm) < SAME_MM);
  return (p) => (at(trained.trainPoints, p) ? 'in-sample' : !at(trained.testPoints, p) ? 'in-sample' : complete ? 'held-out' : 'unknown');
}

/**
 * What a map of a billet's section is to a model, taken as a whole: in-sample when the model (or an ancestor)
 * trained on this section image (same billet, or the same content hash), whose every cell it has seen;
 * out-of-sample otherwise — unknown instead when an ancestor's training data is unknown.
 */
export function imageSample(trained: Pick<TrainedImages, 'billets' | 'complete'>, billet: PredictedBillet): 'in-sample' | 'out-of-sample' | 'unknown' {
  if (sameImageBillets(trained, billet).size) return 'in-sample';
  return trained.complete === false ? 'unknown' : 'out-of-sample';
}

/** The label of figures pooled over points: the least independent one present (in-sample beats unknown beats held-out). */
export function pooledSample(labels: readonly SampleLabel[]): SampleLabel {
  if (labels.includes('in-sample')) return 'in-sample';
  if (labels.includes('unknown')) return 'unknown';
  if (labels.includes('held-out')) return 'held-out';
  return 'out-of-sample';
}

/** One split's held-out points that an ancestor trained on (in-sample to it) or whose sample to it is unknown. */
export interface SplitAncestorOverlap {
  name: string;
  n: number;
  inAncestors: number;
  unknown: number;
}

/**
 * A fine-tune's k-split figures against what its ancestors trained on: every split's model starts from the parent's
 * weights, so a split's test point the parent trained on (in-sample to the ancestors, by the rules above) is held out
 * from the fine-tune only, not from the model. Empty when no split has such a point (nor an unknown one).
 */
export function splitAncestorOverlap(
  ancestors: TrainedImages,
  billets: ReadonlyArray<{ id: number; imageHash: string | null }>,
  splits: ReadonlyArray<{ name: string; testPoints: ReadonlyArray<{ billetId: number; xMm: number; yMm: number }> }>,
): SplitAncestorOverlap[] {
  const hash = new Map(billets.map((b) => [b.id, b.imageHash]));
  const labellers = new Map<number, (p: { xMm: number; yMm: number }) => SampleLabel>();
  const labelOf = (p: { billetId: number; xMm: number; yMm: number }) => {
    let f = labellers.get(p.billetId);
    if (!f) labellers.set(p.billetId, (f = samplePointLabeller(ancestors, { id: p.billetId, imageHash: hash.get(p.billetId) ?? null })));
    return f(p);
  };
  const out = splits.map((s) => {
    const labels = s.testPoints.map(labelOf);
    return { name: s.name, n: labels.length, inAncestors: labels.filter((l) => l === 'in-sample').length, unknown: labels.filter((l) => l === 'unknown').length };
  });
  return out.some((s) => s.inAncestors > 0 || s.unknown > 0) ? out : [];
}
