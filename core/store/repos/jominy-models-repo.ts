import type { Database } from 'better-sqlite3';
import { ApiError } from '../../api/errors.js';
import { phrase } from '../../api/phrase.js';
import { inTransaction, nowIso } from '../tx.js';

/**
 * SQL for Jominy predictors: the rows of `models` with kind = 'jominy'. The CNN rows of the same table are
 * models-repo.ts's; every query here is limited to kind 'jominy', so neither repo can see the other's rows.
 */

export interface ModelRowJ {
  id: number;
  name: string;
  path: string;
  seed: number;
  dataset_json: string;
  backend_json: string;
  metrics_json: string | null;
  hyper_json: string;
  synthetic: number;
  created_at: string;
}

export interface NewJominyModel {
  name: string;
  path: string;
  architecture: unknown;
  hyper: unknown;
  seed: number;
  fingerprint: string;
  dataset: unknown;
  backend: unknown;
  history: unknown;
  metrics: unknown;
  synthetic: boolean;
}

export function createJominyModelsRepo(db: Database) {
  const repo = {
    insertModel(m: NewJominyModel): number {
      const info = db
        .prepare(
          `INSERT INTO models (kind, name, path, architecture_json, hyper_json, seed, dataset_fingerprint, dataset_json, backend_json, history_json, metrics_json, synthetic, created_at)
           VALUES ('jominy', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(m.name, m.path, JSON.stringify(m.architecture), JSON.stringify(m.hyper), m.seed, m.fingerprint, JSON.stringify(m.dataset), JSON.stringify(m.backend), JSON.stringify(m.history), JSON.stringify(m.metrics), m.synthetic ? 1 : 0, nowIso());
      return Number(info.lastInsertRowid);
    },
    /**
     * File and row land together: `placeFile` runs inside the row's IMMEDIATE write transaction, so the
     * open-time sweep of models/ (core/app/orphan-models.ts), which takes the same lock, never sees a file
     * without its row. If `placeFile` or the insert throws, nothing is committed (the caller removes the file).
     */
    insertModelWithFile(m: NewJominyModel, placeFile: () => void): number {
      return inTransaction(db, () => {
        placeFile();
        return repo.insertModel(m);
      });
    },
    listModels(): ModelRowJ[] {
      return db.prepare("SELECT * FROM models WHERE kind = 'jominy' ORDER BY created_at DESC, id DESC").all() as ModelRowJ[];
    },
    getModel(id: number): ModelRowJ {
      const r = db.prepare("SELECT * FROM models WHERE kind = 'jominy' AND id = ?").get(id) as ModelRowJ | undefined;
      if (!r) throw ApiError.said('not_found', phrase('jominyErrors.predictorNotFound', { id }));
      return r;
    },
    deleteModel(id: number): void {
      if (db.prepare("DELETE FROM models WHERE kind = 'jominy' AND id = ?").run(id).changes === 0) throw ApiError.said('not_found', phrase('jominyErrors.predictorNotFound', { id }));
    },
  };
  return repo;
}

export type JominyModelsRepo = ReturnType<typeof createJominyModelsRepo>;
