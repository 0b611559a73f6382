import type { Database } from 'better-sqlite3';
import { ApiError } from '../../api/errors.js';
import { phrase } from '../../api/phrase.js';
import type { DesignResultRow, DesignSession, DesignSessionState, SessionPredictor } from '../../api/methods/jominy.js';
import { inTransaction, nowIso } from '../tx.js';
import { thisProcess, type ProcessOwner } from '../../runtime/process-owner.js';
import { markDeadOwners } from './dead-owners.js';

/**
 * SQL for Jominy design sessions: `design_sessions` and the ranked chemistries of each run in
 * `design_results`. Results belong to their session (replaced with its run record in one transaction,
 * deleted with it by ON DELETE CASCADE), so the two tables share this one repo.
 */

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
  predictor_id: number | null;
  predictor_name: string | null;
  /** 1: its predictor was trained on synthetic data; 0: not; NULL: not recorded (migration 031). */
  synthetic: number | null;
}

/**
 * The predictor of a session row: `model_id` is nulled by the foreign key when the predictor is deleted, while
 * `predictor_id`/`predictor_name` (migration 023) keep what it was; both null on sessions whose predictor was
 * deleted before they were recorded.
 */
function predictorOf(s: SessionRow): SessionPredictor {
  return { id: s.model_id ?? s.predictor_id, name: s.predictor_name, deleted: s.model_id === null };
}

/** Whether a session rests on a predictor trained on synthetic data; null: not recorded (predictor deleted before migration 031). */
const syntheticOf = (s: SessionRow): boolean | null => (s.synthetic === null ? null : s.synthetic === 1);

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

export function createDesignSessionsRepo(db: Database) {
  const repo = {
    /**
     * A session whose run is `running` is owned by this process (see markInterruptedSessions). The predictor's id
     * and name are recorded beside `model_id`, read from its row (they outlive the predictor: `predictor`); a copy
     * passes its original's. The predictor's row is read and the session inserted in one IMMEDIATE transaction: a
     * predictor (or parent session) deleted by another process before it — after the service loaded it — is refused
     * in words, never a raw foreign-key failure, and nothing is stored.
     */
    createSession(s: { name: string; modelId: number | null; predictor?: SessionPredictor; synthetic?: boolean | null; parentSessionId: number | null; target: unknown; settings: unknown; seed: number; run: unknown }): number {
      return inTransaction(db, () => {
        const now = nowIso();
        const owner = thisProcess();
        const row = s.modelId === null ? null : (db.prepare('SELECT name, synthetic FROM models WHERE id = ?').get(s.modelId) as { name: string; synthetic: number } | undefined);
        if (s.modelId !== null && !row) throw ApiError.said('failed_precondition', phrase('jominyErrors.predictorDeletedMeanwhile', { id: s.modelId }), { field: 'modelId' });
        if (s.parentSessionId !== null && !db.prepare('SELECT 1 FROM design_sessions WHERE id = ?').get(s.parentSessionId)) {
          throw ApiError.said('not_found', phrase('jominyErrors.sessionNotFound', { id: s.parentSessionId }), { field: 'parentSessionId' });
        }
        const recorded = s.predictor ?? { id: s.modelId, name: row?.name ?? null };
        // synthetic: read from the predictor's row with its name (a copy passes its original's, which may be unknown)
        const synthetic = s.synthetic !== undefined ? s.synthetic : row ? row.synthetic === 1 : null;
        const info = db
          .prepare('INSERT INTO design_sessions (name, model_id, predictor_id, predictor_name, parent_session_id, target_json, settings_json, seed, run_json, created_at, updated_at, owner_pid, owner_start, synthetic) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
          .run(s.name, s.modelId, recorded.id, recorded.name, s.parentSessionId, JSON.stringify(s.target), JSON.stringify(s.settings), s.seed, s.run === null ? null : JSON.stringify(s.run), now, now, owner.pid, owner.startTag, synthetic === null ? null : synthetic ? 1 : 0);
        return Number(info.lastInsertRowid);
      });
    },
    /**
     * Marks `interrupted` (run.state, and interrupted_at = the time) every session whose run is still `running`
     * and whose owning process is gone, in one transaction; sessions of live processes are left alone.
     * Returns the ids marked.
     */
    markInterruptedSessions(isAlive: (owner: ProcessOwner) => boolean, at = nowIso()): number[] {
      return markDeadOwners(
        db,
        isAlive,
        `SELECT id, owner_pid, owner_start FROM design_sessions WHERE run_json IS NOT NULL AND json_extract(run_json, '$.state') = 'running'`,
        `UPDATE design_sessions SET run_json = json_set(run_json, '$.state', 'interrupted'), interrupted_at = ?, updated_at = ?
         WHERE id = ? AND json_extract(run_json, '$.state') = 'running'`,
        (id) => [at, at, id],
      );
    },
    /** Stores a run's record and replaces its results, in one transaction. */
    finishSession(id: number, run: unknown, results: DesignResultRow[]): void {
      inTransaction(db, () => {
        db.prepare('UPDATE design_sessions SET run_json = ?, updated_at = ? WHERE id = ?').run(JSON.stringify(run), nowIso(), id);
        db.prepare('DELETE FROM design_results WHERE session_id = ?').run(id);
        const ins = db.prepare('INSERT INTO design_results (session_id, rank, chemistry_json, profile_json, deviation, cost_term, in_domain, created_at, objective, detail_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
        const now = nowIso();
        for (const r of results) {
          ins.run(id, r.rank, JSON.stringify(r.chemistry), JSON.stringify(r.profile), r.deviation, r.costTerm, r.domain.inDomain ? 1 : 0, now, r.objective, JSON.stringify({ reference: r.reference, weightedDeviation: r.weightedDeviation, domain: r.domain, capped: r.capped, outside: r.outside, noNetwork: r.noNetwork, interval: r.interval ?? null, meet: r.meet ?? null }));
        }
      });
    },
    setSessionRun(id: number, run: unknown): void {
      db.prepare('UPDATE design_sessions SET run_json = ?, updated_at = ? WHERE id = ?').run(JSON.stringify(run), nowIso(), id);
    },
    getSession(id: number): DesignSession {
      const s = db.prepare('SELECT * FROM design_sessions WHERE id = ?').get(id) as SessionRow | undefined;
      if (!s) throw ApiError.said('not_found', phrase('jominyErrors.sessionNotFound', { id }));
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
          ...(detail.outside ? { outside: detail.outside } : {}),
          ...(detail.noNetwork ? { noNetwork: detail.noNetwork } : {}),
          ...(detail.interval !== undefined ? { interval: detail.interval } : {}),
          ...(detail.meet !== undefined ? { meet: detail.meet } : {}),
        };
      });
      return {
        id: s.id,
        name: s.name,
        modelId: s.model_id,
        predictor: predictorOf(s),
        synthetic: syntheticOf(s),
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
        predictor: predictorOf(s),
        synthetic: syntheticOf(s),
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
      if (db.prepare('UPDATE design_sessions SET name = ?, updated_at = ? WHERE id = ?').run(name, nowIso(), id).changes === 0) throw ApiError.said('not_found', phrase('jominyErrors.sessionNotFound', { id }));
    },
    duplicateSession(id: number, name: string): number {
      return inTransaction(db, () => {
        const s = repo.getSession(id);
        const copy = repo.createSession({ name, modelId: s.modelId, predictor: s.predictor, synthetic: s.synthetic ?? null, parentSessionId: s.id, target: s.target, settings: s.settings, seed: s.seed, run: s.run });
        if (s.run) repo.finishSession(copy, s.run, s.results);
        // A copy of an interrupted session says when its original was found interrupted.
        db.prepare('UPDATE design_sessions SET interrupted_at = ? WHERE id = ?').run(s.interruptedAt, copy);
        return copy;
      });
    },
    deleteSession(id: number): void {
      if (db.prepare('DELETE FROM design_sessions WHERE id = ?').run(id).changes === 0) throw ApiError.said('not_found', phrase('jominyErrors.sessionNotFound', { id }));
    },
  };
  return repo;
}

export type DesignSessionsRepo = ReturnType<typeof createDesignSessionsRepo>;
