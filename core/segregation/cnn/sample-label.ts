import type { SampleLabel } from '../../api/methods/cnn.js';

/**
 * Whether a prediction is in-sample, held-out or out-of-sample, decided by WHAT the model saw, not by billet
 * id: the same section image loaded twice is two billets with one content hash, and a model trained on one
 * has seen every patch of the other. Rules, per predicted point:
 * - its section image (content hash) was never in the training data, nor its billet (a billet re-imaged
 *   after training keeps the readings the model learnt) → out-of-sample;
 * - same image and the position of a point the stored model trained on → in-sample;
 * - same image and the position of a point held out from that model (its split's test set) → held-out;
 * - same image, any other position → in-sample: its patch is cut from an image the model trained on and may
 *   overlap training patches, so it is not an independent test (a conservative label, never a flattering one).
 */

export interface TrainedImages {
  /** Training billets with the content hash of their section (null: attached patch images only). */
  billets: ReadonlyArray<{ id: number; imageHash: string | null }>;
  /** Positions the stored model trained on, and those held out from it, by training billet id. */
  trainPoints: ReadonlyArray<{ billetId: number; xMm: number; yMm: number }>;
  testPoints: ReadonlyArray<{ billetId: number; xMm: number; yMm: number }>;
}

/** Same sampling position: coordinates are stored to well under a micrometre. */
const SAME_MM = 1e-6;

export function samplePointLabeller(trained: TrainedImages, billet: { id: number; imageHash: string | null }): (p: { xMm: number; yMm: number }) => SampleLabel {
  const sameImage = new Set(trained.billets.filter((b) => b.id === billet.id || (billet.imageHash !== null && b.imageHash === billet.imageHash)).map((b) => b.id));
  if (!sameImage.size) return () => 'out-of-sample';
  const at = (list: TrainedImages['trainPoints'], p: { xMm: number; yMm: number }) =>
    list.some((q) => sameImage.has(q.billetId) && Math.abs(q.xMm - p.xMm) < SAME_MM && Math.abs(q.yMm - p.yMm) < SAME_MM);
  return (p) => (at(trained.trainPoints, p) ? 'in-sample' : at(trained.testPoints, p) ? 'held-out' : 'in-sample');
}

/**
 * What a map of a billet's section is to a model, taken as a whole: in-sample when the model trained on this section
 * image (same billet, or the same content hash), whose every cell it has seen; out-of-sample otherwise.
 */
export function imageSample(trained: Pick<TrainedImages, 'billets'>, billet: { id: number; imageHash: string | null }): 'in-sample' | 'out-of-sample' {
  return trained.billets.some((b) => b.id === billet.id || (billet.imageHash !== null && b.imageHash === billet.imageHash)) ? 'in-sample' : 'out-of-sample';
}

/** The label of figures pooled over points: the least independent one present (in-sample beats held-out). */
export function pooledSample(labels: readonly SampleLabel[]): SampleLabel {
  if (labels.includes('in-sample')) return 'in-sample';
  if (labels.includes('held-out')) return 'held-out';
  return 'out-of-sample';
}
