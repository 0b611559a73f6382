import type { Database } from 'better-sqlite3';
import { notFound } from '../../api/errors.js';
import { nowIso } from '../tx.js';

/** The model's prediction at one point of the billet when a plan was made (wt.%; width = what weighted the proposal). */
export interface PlanPrediction {
  label: string;
  xMm: number;
  yMm: number;
  predicted: number;
  sd: number;
  width: number;
}

export interface StoredPlan<C = unknown> {
  id: number;
  billetId: number;
  modelId: number | null;
  modelName: string;
  k: number;
  seed: number;
  widthSource: string;
  widthWeight: number;
  labels: string[];
  predictions: PlanPrediction[];
  priorSd: number;
  /** What the billet was to the model (in-sample / held-out / out-of-sample). */
  sample: string;
  correction: C | null;
  correctedAt: string | null;
  createdAt: string;
}

export interface StoredCurve<C = unknown> {
  id: number;
  billetId: number;
  modelId: number | null;
  modelName: string;
  seed: number;
  draws: number;
  selection: string;
  curve: C;
  createdAt: string;
}

interface PlanRow {
  id: number; billet_id: number; model_id: number | null; model_name: string; k: number; seed: number; width_source: string; width_weight: number;
  labels_json: string; predictions_json: string; prior_sd: number; sample: string; correction_json: string | null; corrected_at: string | null; created_at: string;
}
interface CurveRow { id: number; billet_id: number; model_id: number | null; model_name: string; seed: number; draws: number; selection: string; curve_json: string; created_at: string }

const toPlan = (r: PlanRow): StoredPlan => ({
  id: r.id,
  billetId: r.billet_id,
  modelId: r.model_id,
  modelName: r.model_name,
  k: r.k,
  seed: r.seed,
  widthSource: r.width_source,
  widthWeight: r.width_weight,
  labels: JSON.parse(r.labels_json) as string[],
  predictions: JSON.parse(r.predictions_json) as PlanPrediction[],
  priorSd: r.prior_sd,
  sample: r.sample,
  correction: r.correction_json ? (JSON.parse(r.correction_json) as unknown) : null,
  correctedAt: r.corrected_at,
  createdAt: r.created_at,
});
const toCurve = (r: CurveRow): StoredCurve => ({
  id: r.id, billetId: r.billet_id, modelId: r.model_id, modelName: r.model_name, seed: r.seed, draws: r.draws, selection: r.selection, curve: JSON.parse(r.curve_json) as unknown, createdAt: r.created_at,
});

/** Point plans ("measure fewer points": proposed points + their correction) and stored K-curves (schema 016). */
export function createPointPlansRepo(db: Database) {
  return {
    create(p: Omit<StoredPlan, 'id' | 'correction' | 'correctedAt' | 'createdAt'>): StoredPlan {
      const id = Number(
        db.prepare(
          `INSERT INTO point_plans (billet_id, model_id, model_name, k, seed, width_source, width_weight, labels_json, predictions_json, prior_sd, sample, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(p.billetId, p.modelId, p.modelName, p.k, p.seed, p.widthSource, p.widthWeight, JSON.stringify(p.labels), JSON.stringify(p.predictions), p.priorSd, p.sample, nowIso()).lastInsertRowid,
      );
      return this.get(id);
    },
    get(id: number): StoredPlan {
      const r = db.prepare('SELECT * FROM point_plans WHERE id = ?').get(id) as PlanRow | undefined;
      if (!r) throw notFound('Point plan', id);
      return toPlan(r);
    },
    /** The newest plan of a billet (for one model when given), or null. */
    latest(billetId: number, modelId?: number): StoredPlan | null {
      const r = (modelId === undefined
        ? db.prepare('SELECT * FROM point_plans WHERE billet_id = ? ORDER BY created_at DESC, id DESC LIMIT 1').get(billetId)
        : db.prepare('SELECT * FROM point_plans WHERE billet_id = ? AND model_id = ? ORDER BY created_at DESC, id DESC LIMIT 1').get(billetId, modelId)) as PlanRow | undefined;
      return r ? toPlan(r) : null;
    },
    list(billetId: number): StoredPlan[] {
      return (db.prepare('SELECT * FROM point_plans WHERE billet_id = ? ORDER BY created_at DESC, id DESC').all(billetId) as PlanRow[]).map(toPlan);
    },
    setCorrection(id: number, correction: unknown): StoredPlan {
      const info = db.prepare('UPDATE point_plans SET correction_json = ?, corrected_at = ? WHERE id = ?').run(JSON.stringify(correction), nowIso(), id);
      if (info.changes === 0) throw notFound('Point plan', id);
      return this.get(id);
    },
    createCurve(c: Omit<StoredCurve, 'id' | 'createdAt'>): StoredCurve {
      const id = Number(
        db.prepare('INSERT INTO k_curves (billet_id, model_id, model_name, seed, draws, selection, curve_json, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
          .run(c.billetId, c.modelId, c.modelName, c.seed, c.draws, c.selection, JSON.stringify(c.curve), nowIso()).lastInsertRowid,
      );
      return toCurve(db.prepare('SELECT * FROM k_curves WHERE id = ?').get(id) as CurveRow);
    },
    /** The newest curves (of one model when given), newest first. */
    curves(modelId?: number, limit = 20): StoredCurve[] {
      const rows = (modelId === undefined
        ? db.prepare('SELECT * FROM k_curves ORDER BY created_at DESC, id DESC LIMIT ?').all(limit)
        : db.prepare('SELECT * FROM k_curves WHERE model_id = ? ORDER BY created_at DESC, id DESC LIMIT ?').all(modelId, limit)) as CurveRow[];
      return rows.map(toCurve);
    },
  };
}
export type PointPlansRepo = ReturnType<typeof createPointPlansRepo>;
