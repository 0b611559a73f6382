import type { Database } from 'better-sqlite3';
import type { CnnMetrics } from '../../api/methods/cnn.js';
import { createModelsRepo, type ModelRecord } from '../../store/repos/models-repo.js';
import type { TrainedImages } from '../../segregation/cnn/sample-label.js';

/**
 * What a model's weights were trained on, its ancestors' included: a fine-tune starts from its parent's weights, so
 * the parent's training billets and points are in-sample to it (core/segregation/cnn/sample-label.ts). A fine-tune
 * stores its ancestors' data with it (`dataset.lineage`, since task 27-G) so that deleting or not exporting the
 * parent loses nothing; an older fine-tune is read through the store's parent chain, and a parent deleted before
 * (the row's parent id then NULL, the training run still naming it) leaves the lineage incomplete: "sample unknown".
 */

type Pos = { billetId: number; xMm: number; yMm: number };

/** One model's own training images and points (its final run's), as the labeller reads them. */
export interface ModelTrainingData {
  id: number;
  name: string;
  billets: Array<{ id: number; name: string; imageHash: string | null }>;
  trainPoints: Pos[];
  testPoints: Pos[];
}

/** A model's ancestors' training data, nearest first; `complete: false` when one of them cannot be read. */
export interface StoredLineage {
  ancestors: ModelTrainingData[];
  complete: boolean;
}

const pos = (p: Pos): Pos => ({ billetId: p.billetId, xMm: p.xMm, yMm: p.yMm });

export function ownTrainingData(rec: ModelRecord): ModelTrainingData {
  const ds = (rec.dataset ?? {}) as { billets?: Array<{ id: number; name?: string; imageHash?: string | null }> };
  const m = rec.metrics as CnnMetrics | null;
  return {
    id: rec.id,
    name: rec.name,
    billets: (ds.billets ?? []).map((b) => ({ id: b.id, name: b.name ?? String(b.id), imageHash: b.imageHash ?? null })),
    trainPoints: (m?.final?.trainPoints ?? []).map(pos),
    testPoints: (m?.final?.testPoints ?? []).map(pos),
  };
}

/** The stored lineage of a record, when it carries one (a fine-tune trained or exported since task 27-G, or an import). */
function storedLineage(rec: ModelRecord): StoredLineage | null {
  const l = (rec.dataset as { lineage?: StoredLineage } | null)?.lineage;
  return l && Array.isArray(l.ancestors) ? { ancestors: l.ancestors, complete: l.complete !== false } : null;
}

/** The model's ancestors' training data: stored with it, else walked through the store. */
export function modelLineage(db: Database, rec: ModelRecord, seen: Set<number> = new Set()): StoredLineage {
  const stored = storedLineage(rec);
  if (stored) return stored;
  const repo = createModelsRepo(db);
  seen.add(rec.id);
  if (rec.parentModelId === null) {
    // no parent row: either never fine-tuned, or fine-tuned from a model deleted since (its run still names it)
    return { ancestors: [], complete: repo.fineTunedFrom(rec.id) === null };
  }
  if (seen.has(rec.parentModelId) || !repo.exists(rec.parentModelId)) return { ancestors: [], complete: false };
  const parent = repo.get(rec.parentModelId);
  const up = modelLineage(db, parent, seen);
  return { ancestors: [ownTrainingData(parent), ...up.ancestors], complete: up.complete };
}

/** What a fine-tune of `parent` stores as its lineage (the parent's own data, then the parent's ancestors'). */
export function lineageForFineTune(db: Database, parent: ModelRecord): StoredLineage {
  const up = modelLineage(db, parent);
  return { ancestors: [ownTrainingData(parent), ...up.ancestors], complete: up.complete };
}

/** The labeller's input for a set of models' data. */
export function trainedImagesOf(models: readonly ModelTrainingData[], complete: boolean): TrainedImages {
  return {
    billets: models.flatMap((m) => m.billets.map((b) => ({ id: b.id, imageHash: b.imageHash }))),
    trainPoints: models.flatMap((m) => m.trainPoints),
    testPoints: models.flatMap((m) => m.testPoints),
    complete,
  };
}

/** Everything the model's weights were trained on: its own data and every ancestor's. */
export function modelTrainedImages(db: Database, modelId: number): TrainedImages {
  const rec = createModelsRepo(db).get(modelId);
  const l = modelLineage(db, rec);
  return trainedImagesOf([ownTrainingData(rec), ...l.ancestors], l.complete);
}
