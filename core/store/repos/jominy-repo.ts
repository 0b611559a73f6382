import type { Database } from 'better-sqlite3';
import { notFound } from '../../api/errors.js';
import type { DesignResultRow, DesignSession, DesignSessionState, JominyDataset, JominyEvaluation, JominySampleRow } from '../../api/methods/jominy.js';
import type { JominySample } from '../../jominy/dataset.js';
import { inTransaction, nowIso } from '../tx.js';
import { thisProcess, type ProcessOwner } from '../../runtime/process-owner.js';

/** SQL for JoMiner: datasets + heats, predictors (models.kind = 'jominy'), design sessions + results, evaluations. */

interface DatasetRow {
  id: number;
  name: string;
  source: string;
  synthetic: number;
  seed: number | null;
  notes: string | null;
  created_at: string;
  meta_json: string | null;
  n: number;
}

interface SampleRow {
  id: number;
  line_no: number | null;
  heat_id: string | null;
  grade: string | null;
  grain_size: number | null;
  chemistry_json: string;
  hardness_json: string;
}

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

interface SessionRow {
  id: number;
  name: string;
  model_id: number | null;
  parent_session_id: number | null;
  target_json: string;
  settings_json: string;
  seed: number;
  run_json: string | null;
  created_at: string;
  updated_at: string;
  owner_pid: number | null;
  owner_start: string | null;
  interrupted_at: string | null;
}

interface ResultRow {
  rank: number;
  chemistry_json: string;
  profile_json: string;
  deviation: number;
  cost_term: number;
  in_domain: number;
  objective: number | null;
  detail_json: string | null;
}

const toDataset = (r: DatasetRow): JominyDataset => ({
  id: r.id,
  name: r.name,
  source: r.source,
  synthetic: r.synthetic === 1,
  seed: r.seed,
  notes: r.notes,
  createdAt: r.created_at,
  sampleCount: r.n,
  warnings: r.meta_json ? (JSON.parse(r.meta_json).warnings ?? []) : [],
});

const toSample = (r: SampleRow): JominySampleRow => ({
  id: r.id,
  lineNo: r.line_no,
  heatId: r.heat_id,
  grade: r.grade,
  grainSize: r.grain_size,
  chemistry: JSON.parse(r.chemistry_json),
  hardness: JSON.parse(r.hardness_json),
});

const DATASET_SELECT = `SELECT d.*, (SELECT COUNT(*) FROM jominy_samples s WHERE s.dataset_id = d.id) AS n FROM jominy_datasets d`;

export interface NewDataset {
  name: string;
  source: string;
  synthetic: boolean;
  seed: number | null;
  notes: string | null;
  meta: { warnings: unknown[]; [k: string]: unknown };
  samples: JominySample[];
}

export function createJominyRepo(db: Database) {
  const repo = {
    createDataset(d: NewDataset): JominyDataset {
      return inTransaction(db, () => {
        const info = db
          .prepare('INSERT INTO jominy_datasets (name, source, synthetic, seed, notes, created_at, meta_json) VALUES (?, ?, ?, ?, ?, ?, ?)')
          .run(d.name, d.source, d.synthetic ? 1 : 0, d.seed, d.notes, nowIso(), JSON.stringify(d.meta));
        const id = Number(info.lastInsertRowid);
        const ins = db.prepare('INSERT INTO jominy_samples (dataset_id, line_no, heat_id, grade, grain_size, chemistry_json, hardness_json) VALUES (?, ?, ?, ?, ?, ?, ?)');
        for (const s of d.samples) ins.run(id, s.lineNo ?? null, s.heatId, s.grade, s.grainSize, JSON.stringify(s.chemistry), JSON.stringify(s.hardness));
        return repo.getDataset(id);
      });
    },
    listDatasets(): JominyDataset[] {
      return (db.prepare(`${DATASET_SELECT} ORDER BY d.created_at DESC, d.id DESC`).all() as DatasetRow[]).map(toDataset);
    },
    getDataset(id: number): JominyDataset {
      const r = db.prepare(`${DATASET_SELECT} WHERE d.id = ?`).get(id) as DatasetRow | undefined;
      if (!r) throw notFound('Jominy dataset', id);
      return toDataset(r);
    },
    datasetMeta(id: number): Record<string, unknown> {
      const r = db.prepare('SELECT meta_json FROM jominy_datasets WHERE id = ?').get(id) as { meta_json: string | null } | undefined;
      if (!r) throw notFound('Jominy dataset', id);
      return r.meta_json ? JSON.parse(r.meta_json) : {};
    },
    samplesPage(id: number, offset: number, limit: number): { total: number; samples: JominySampleRow[] } {
      const total = repo.getDataset(id).sampleCount;
      const rows = db.prepare('SELECT * FROM jominy_samples WHERE dataset_id = ? ORDER BY id LIMIT ? OFFSET ?').all(id, limit, offset) as SampleRow[];
      return { total, samples: rows.map(toSample) };
    },
    allSamples(id: number): JominySample[] {
      repo.getDataset(id);
      return (db.prepare('SELECT * FROM jominy_samples WHERE dataset_id = ? ORDER BY id').all(id) as SampleRow[]).map((r) => {
        const s = toSample(r);
        return { heatId: s.heatId, grade: s.grade, grainSize: s.grainSize, chemistry: s.chemistry as JominySample['chemistry'], hardness: s.hardness, lineNo: s.lineNo };
      });
    },
    deleteDataset(id: number): void {
      if (db.prepare('DELETE FROM jominy_datasets WHERE id = ?').run(id).changes === 0) throw notFound('Jominy dataset', id);
    },

    insertModel(m: { name: string; path: string; architecture: unknown; hyper: unknown; seed: number; fingerprint: string; dataset: unknown; backend: unknown; history: unknown; metrics: unknown; synthetic: boolean }): number {
      const info = db
        .prepare(
          `INSERT INTO models (kind, name, path, architecture_json, hyper_json, seed, dataset_fingerprint, dataset_json, backend_json, history_json, metrics_json, synthetic, created_at)
           VALUES ('jominy', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(m.name, m.path, JSON.stringify(m.architecture), JSON.stringify(m.hyper), m.seed, m.fingerprint, JSON.stringify(m.dataset), JSON.stringify(m.backend), JSON.stringify(m.history), JSON.stringify(m.metrics), m.synthetic ? 1 : 0, nowIso());
      return Number(info.lastInsertRowid);
    },
    listModels(): ModelRowJ[] {
      return db.prepare("SELECT * FROM models WHERE kind = 'jominy' ORDER BY created_at DESC, id DESC").all() as ModelRowJ[];
    },
    getModel(id: number): ModelRowJ {
      const r = db.prepare("SELECT * FROM models WHERE kind = 'jominy' AND id = ?").get(id) as ModelRowJ | undefined;
      if (!r) throw notFound('Jominy predictor', id);
      return r;
    },
    deleteModel(id: number): void {
      if (db.prepare("DELETE FROM models WHERE kind = 'jominy' AND id = ?").run(id).changes === 0) throw notFound('Jominy predictor', id);
    },

    /** A session whose run is `running` is owned by this process (see markInterruptedSessions). */
    createSession(s: { name: string; modelId: number | null; parentSessionId: number | null; target: unknown; settings: unknown; seed: number; run: unknown }): number {
      const now = nowIso();
      const owner = thisProcess();
      const info = db
        .prepare('INSERT INTO design_sessions (name, model_id, parent_session_id, target_json, settings_json, seed, run_json, created_at, updated_at, owner_pid, owner_start) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
        .run(s.name, s.modelId, s.parentSessionId, JSON.stringify(s.target), JSON.stringify(s.settings), s.seed, s.run === null ? null : JSON.stringify(s.run), now, now, owner.pid, owner.startTag);
      return Number(info.lastInsertRowid);
    },
    /**
     * Marks `interrupted` (run.state, and interrupted_at = the time) every session whose run is still `running`
     * and whose owning process is gone, in one transaction; sessions of live processes are left alone.
     * Returns the ids marked.
     */
    markInterruptedSessions(isAlive: (owner: ProcessOwner) => boolean, at = nowIso()): number[] {
      return inTransaction(db, () => {
        const running = db
          .prepare(`SELECT id, owner_pid, owner_start FROM design_sessions WHERE run_json IS NOT NULL AND json_extract(run_json, '$.state') = 'running'`)
          .all() as Pick<SessionRow, 'id' | 'owner_pid' | 'owner_start'>[];
        const mark = db.prepare(
          `UPDATE design_sessions SET run_json = json_set(run_json, '$.state', 'interrupted'), interrupted_at = ?, updated_at = ?
           WHERE id = ? AND json_extract(run_json, '$.state') = 'running'`,
        );
        const dead = running.filter((r) => !isAlive({ pid: r.owner_pid, startTag: r.owner_start }));
        for (const r of dead) mark.run(at, at, r.id);
        return dead.map((r) => r.id);
      });
    },
    /** Stores a run's record and replaces its results, in one transaction. */
    finishSession(id: number, run: unknown, results: DesignResultRow[]): void {
      inTransaction(db, () => {
        db.prepare('UPDATE design_sessions SET run_json = ?, updated_at = ? WHERE id = ?').run(JSON.stringify(run), nowIso(), id);
        db.prepare('DELETE FROM design_results WHERE session_id = ?').run(id);
        const ins = db.prepare('INSERT INTO design_results (session_id, rank, chemistry_json, profile_json, deviation, cost_term, in_domain, created_at, objective, detail_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
        const now = nowIso();
        for (const r of results) {
          ins.run(id, r.rank, JSON.stringify(r.chemistry), JSON.stringify(r.profile), r.deviation, r.costTerm, r.domain.inDomain ? 1 : 0, now, r.objective, JSON.stringify({ reference: r.reference, weightedDeviation: r.weightedDeviation, domain: r.domain, capped: r.capped }));
        }
      });
    },
    setSessionRun(id: number, run: unknown): void {
      db.prepare('UPDATE design_sessions SET run_json = ?, updated_at = ? WHERE id = ?').run(JSON.stringify(run), nowIso(), id);
    },
    getSession(id: number): DesignSession {
      const s = db.prepare('SELECT * FROM design_sessions WHERE id = ?').get(id) as SessionRow | undefined;
      if (!s) throw notFound('Design session', id);
      const results = (db.prepare('SELECT * FROM design_results WHERE session_id = ? ORDER BY rank').all(id) as ResultRow[]).map((r): DesignResultRow => {
        const detail = r.detail_json ? JSON.parse(r.detail_json) : {};
        return {
          rank: r.rank,
          chemistry: JSON.parse(r.chemistry_json),
          profile: JSON.parse(r.profile_json),
          reference: detail.reference ?? null,
          objective: r.objective ?? r.deviation + r.cost_term,
          deviation: r.deviation,
          weightedDeviation: detail.weightedDeviation ?? r.deviation,
          costTerm: r.cost_term,
          domain: detail.domain ?? { inDomain: r.in_domain === 1, outOfRange: [], distance: 0, threshold: 0 },
          ...(detail.capped ? { capped: detail.capped } : {}),
        };
      });
      return {
        id: s.id,
        name: s.name,
        modelId: s.model_id,
        parentSessionId: s.parent_session_id,
        seed: s.seed,
        target: JSON.parse(s.target_json),
        settings: JSON.parse(s.settings_json),
        run: s.run_json ? JSON.parse(s.run_json) : null,
        results,
        interruptedAt: s.interrupted_at,
        createdAt: s.created_at,
        updatedAt: s.updated_at,
      };
    },
    listSessions() {
      const rows = db
        .prepare(
          `SELECT s.*, (SELECT MIN(r.deviation) FROM design_results r WHERE r.session_id = s.id AND r.rank = 1) AS best
           FROM design_sessions s ORDER BY s.created_at DESC, s.id DESC`,
        )
        .all() as (SessionRow & { best: number | null })[];
      return rows.map((s) => ({
        id: s.id,
        name: s.name,
        modelId: s.model_id,
        parentSessionId: s.parent_session_id,
        seed: s.seed,
        targetKind: (JSON.parse(s.target_json) as { kind: 'curve' | 'band' }).kind,
        state: s.run_json ? (JSON.parse(s.run_json) as { state: DesignSessionState }).state : ('draft' as const),
        bestDeviation: s.best,
        interruptedAt: s.interrupted_at,
        createdAt: s.created_at,
        updatedAt: s.updated_at,
      }));
    },
    renameSession(id: number, name: string): void {
      if (db.prepare('UPDATE design_sessions SET name = ?, updated_at = ? WHERE id = ?').run(name, nowIso(), id).changes === 0) throw notFound('Design session', id);
    },
    duplicateSession(id: number, name: string): number {
      return inTransaction(db, () => {
        const s = repo.getSession(id);
        const copy = repo.createSession({ name, modelId: s.modelId, parentSessionId: s.id, target: s.target, settings: s.settings, seed: s.seed, run: s.run });
        if (s.run) repo.finishSession(copy, s.run, s.results);
        // A copy of an interrupted session says when its original was found interrupted.
        db.prepare('UPDATE design_sessions SET interrupted_at = ? WHERE id = ?').run(s.interruptedAt, copy);
        return copy;
      });
    },
    deleteSession(id: number): void {
      if (db.prepare('DELETE FROM design_sessions WHERE id = ?').run(id).changes === 0) throw notFound('Design session', id);
    },

    insertEvaluation(e: { name: string; modelId: number; datasetId: number | null; params: unknown; seed: number; result: unknown }): number {
      const info = db
        .prepare('INSERT INTO jominy_evaluations (name, model_id, dataset_id, params_json, seed, result_json, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(e.name, e.modelId, e.datasetId, JSON.stringify(e.params), e.seed, JSON.stringify(e.result), nowIso());
      return Number(info.lastInsertRowid);
    },
    listEvaluations(): JominyEvaluation[] {
      return (db.prepare('SELECT * FROM jominy_evaluations ORDER BY created_at DESC, id DESC').all() as EvalRow[]).map(toEvaluation);
    },
    getEvaluation(id: number): JominyEvaluation {
      const r = db.prepare('SELECT * FROM jominy_evaluations WHERE id = ?').get(id) as EvalRow | undefined;
      if (!r) throw notFound('Jominy evaluation', id);
      return toEvaluation(r);
    },
  };
  return repo;
}

interface EvalRow {
  id: number;
  name: string;
  model_id: number | null;
  dataset_id: number | null;
  params_json: string;
  seed: number;
  result_json: string;
  created_at: string;
}

function toEvaluation(r: EvalRow): JominyEvaluation {
  const res = JSON.parse(r.result_json) as { runs: JominyEvaluation['runs']; durationMs: number; threads: number };
  return { id: r.id, name: r.name, modelId: r.model_id, datasetId: r.dataset_id, seed: r.seed, params: JSON.parse(r.params_json), runs: res.runs, durationMs: res.durationMs, threads: res.threads, createdAt: r.created_at };
}

export type JominyRepo = ReturnType<typeof createJominyRepo>;
