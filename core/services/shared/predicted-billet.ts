import type { Database } from 'better-sqlite3';
import { createPointsRepo } from '../../store/repos/points-repo.js';
import { sameReadings } from '../../segregation/cnn/same-section.js';
import type { PredictedBillet, TrainedImages } from '../../segregation/cnn/sample-label.js';

/**
 * The billet a model predicts, as its sample labels need it: its id, its section's content hash and the training
 * billets whose readings it repeats (core/segregation/cnn/same-section.ts). A training billet's section scanned again
 * at another resolution, or its patches attached to a new billet, has another hash or none: it was labelled
 * out-of-sample and "82 of 85 readings inside their intervals, out-of-sample" shown as evidence of the model's
 * calibration, on readings the model trained on. A training billet deleted since has no readings to compare.
 */
export function predictedBillet(db: Database, billetId: number, imageHash: string | null, trained: Pick<TrainedImages, 'billets'>): PredictedBillet {
  const points = createPointsRepo(db);
  const readingsOf = (id: number) => new Map(points.list(id).filter((p) => p.meanWtPct !== null).map((p) => [p.label, p.meanWtPct!] as const));
  const own = readingsOf(billetId);
  const sameReadingsAs = new Set<number>();
  if (own.size) for (const b of trained.billets) if (b.id !== billetId && sameReadings(own, readingsOf(b.id)).oneSection) sameReadingsAs.add(b.id);
  return { id: billetId, imageHash, sameReadingsAs };
}
