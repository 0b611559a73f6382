import type { Database } from 'better-sqlite3';
import { ApiError } from '../../api/errors.js';
import { phrase } from '../../api/phrase.js';
import type { JominyEvaluation } from '../../api/methods/jominy.js';
import { nowIso } from '../tx.js';

/** SQL for `jominy_evaluations`: one row per optimiser evaluation (its parameters and scored runs as JSON). */

interface EvalRow {
  id: number;
  name: string;
  model_id: number | null;
  dataset_id: number | null;
  params_json: string;
  seed: number;
  result_json: string;
  created_at: string;
  /** 1: its predictor or its target heats were synthetic; 0: neither; NULL: not recorded (migration 031). */
  synthetic: number | null;
}

function toEvaluation(r: EvalRow): JominyEvaluation {
  const res = JSON.parse(r.result_json) as { runs: JominyEvaluation['runs']; durationMs: number; threads: number };
  return { id: r.id, name: r.name, modelId: r.model_id, datasetId: r.dataset_id, seed: r.seed, synthetic: r.synthetic === null ? null : r.synthetic === 1, params: JSON.parse(r.params_json), runs: res.runs, durationMs: res.durationMs, threads: res.threads, createdAt: r.created_at };
}

export function createJominyEvaluationsRepo(db: Database) {
  return {
    insertEvaluation(e: { name: string; modelId: number; datasetId: number | null; synthetic: boolean; params: unknown; seed: number; result: unknown }): number {
      const info = db
        .prepare('INSERT INTO jominy_evaluations (name, model_id, dataset_id, params_json, seed, result_json, created_at, synthetic) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
        .run(e.name, e.modelId, e.datasetId, JSON.stringify(e.params), e.seed, JSON.stringify(e.result), nowIso(), e.synthetic ? 1 : 0);
      return Number(info.lastInsertRowid);
    },
    listEvaluations(): JominyEvaluation[] {
      return (db.prepare('SELECT * FROM jominy_evaluations ORDER BY created_at DESC, id DESC').all() as EvalRow[]).map(toEvaluation);
    },
    getEvaluation(id: number): JominyEvaluation {
      const r = db.prepare('SELECT * FROM jominy_evaluations WHERE id = ?').get(id) as EvalRow | undefined;
      if (!r) throw ApiError.said('not_found', phrase('jominyErrors.evaluationNotFound', { id }));
      return toEvaluation(r);
    },
  };
}

export type JominyEvaluationsRepo = ReturnType<typeof createJominyEvaluationsRepo>;
