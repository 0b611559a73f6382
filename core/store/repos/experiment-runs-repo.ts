import type { Database } from 'better-sqlite3';
import { notFound } from '../../api/errors.js';
import type { ExperimentInputs, ExperimentResultDto, ExperimentRunInfo } from '../../api/methods/experiments.js';
import { thisProcess, type ProcessOwner } from '../../runtime/process-owner.js';
import { inTransaction, nowIso } from '../tx.js';
import type { Phrase } from '../../api/phrase.js';
import { storedPhraseJson, withErrorPhrase } from './stored-phrase.js';
import { markDeadOwners } from './dead-owners.js';

/**
 * Reproduction runs (migration 018): the run rows, their checkpointed units and the experiments' results. Every
 * unit and every result is one INSERT committed on its own, so whatever a kill interrupts, the units finished
 * before it stay and a resume reads them back instead of computing them.
 */

interface RunRow {
  id: number;
  kind: 'segregation' | 'jominy';
  budget: 'quick' | 'full';
  inputs_json: string;
  seed: number;
  backend: string | null;
  fingerprint: string | null;
  synthetic: number;
  state: ExperimentRunInfo['state'];
  attempt: number;
  experiments_json: string;
  estimate_s: number | null;
  error: string | null;
  error_phrase_json: string | null;
  report_path: string | null;
  created_at: string;
  started_at: string;
  finished_at: string | null;
  elapsed_ms: number;
  interrupted_at: string | null;
  owner_pid: number | null;
  owner_start: string | null;
  units: number;
  results: number;
}

export type ExperimentRunRecord = Omit<ExperimentRunInfo, 'reportFiles'>;

export interface NewExperimentRun {
  kind: 'segregation' | 'jominy';
  budget: 'quick' | 'full';
  inputs: ExperimentInputs;
  seed: number;
}

const SELECT = `SELECT r.*, (SELECT COUNT(*) FROM experiment_units u WHERE u.run_id = r.id) AS units,
  (SELECT COUNT(*) FROM experiment_results x WHERE x.run_id = r.id) AS results FROM experiment_runs r`;

const toRecord = (r: RunRow): ExperimentRunRecord =>
  withErrorPhrase(r.error_phrase_json, {
    id: r.id,
    kind: r.kind,
    budget: r.budget,
    inputs: JSON.parse(r.inputs_json) as ExperimentInputs,
    seed: r.seed,
    backend: r.backend,
    fingerprint: r.fingerprint,
    synthetic: r.synthetic === 1,
    state: r.state,
    attempt: r.attempt,
    experiments: JSON.parse(r.experiments_json) as string[],
    estimateS: r.estimate_s,
    error: r.error,
    reportDir: r.report_path,
    createdAt: r.created_at,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    elapsedMs: r.elapsed_ms,
    interruptedAt: r.interrupted_at,
    unitsDone: r.units,
    resultsDone: r.results,
  });

export function createExperimentRunsRepo(db: Database) {
  const repo = {
    /** A new run, `running`, attempt 1, owned by this process. */
    create(run: NewExperimentRun): ExperimentRunRecord {
      const owner = thisProcess();
      const at = nowIso();
      const id = Number(
        db
          .prepare(
            `INSERT INTO experiment_runs (kind, budget, inputs_json, seed, state, attempt, created_at, started_at, owner_pid, owner_start) VALUES (?, ?, ?, ?, 'running', 1, ?, ?, ?, ?)`,
          )
          .run(run.kind, run.budget, JSON.stringify(run.inputs), run.seed, at, at, owner.pid, owner.startTag).lastInsertRowid,
      );
      return repo.get(id);
    },
    get(id: number): ExperimentRunRecord {
      const r = db.prepare(`${SELECT} WHERE r.id = ?`).get(id) as RunRow | undefined;
      if (!r) throw notFound('Experiment run', id);
      return toRecord(r);
    },
    list(limit = 200): ExperimentRunRecord[] {
      return (db.prepare(`${SELECT} ORDER BY r.id DESC LIMIT ?`).all(limit) as RunRow[]).map(toRecord);
    },
    /**
     * Takes a stopped run up again: `running`, owned by this process, attempt + 1. Refuses (returns false) a run
     * that is running or done — checked and written in one transaction, so two resumes cannot both win.
     */
    reopen(id: number): boolean {
      return inTransaction(db, () => {
        const run = repo.get(id);
        if (run.state === 'running' || run.state === 'done') return false;
        const owner = thisProcess();
        db.prepare(
          `UPDATE experiment_runs SET state = 'running', attempt = attempt + 1, error = NULL, error_phrase_json = NULL, finished_at = NULL, interrupted_at = NULL, started_at = ?, owner_pid = ?, owner_start = ? WHERE id = ?`,
        ).run(nowIso(), owner.pid, owner.startTag, id);
        return true;
      });
    },
    /** What the data loading found (fingerprint, synthetic), the backend, the planned experiments and the estimate. */
    describe(id: number, patch: { fingerprint?: string; synthetic?: boolean; backend?: string; experiments?: string[]; estimateS?: number; reportDir?: string }): void {
      const sets: string[] = [];
      const vals: unknown[] = [];
      const put = (col: string, v: unknown) => {
        sets.push(`${col} = ?`);
        vals.push(v);
      };
      if (patch.fingerprint !== undefined) put('fingerprint', patch.fingerprint);
      if (patch.synthetic !== undefined) put('synthetic', patch.synthetic ? 1 : 0);
      if (patch.backend !== undefined) put('backend', patch.backend);
      if (patch.experiments !== undefined) put('experiments_json', JSON.stringify(patch.experiments));
      if (patch.estimateS !== undefined) put('estimate_s', patch.estimateS);
      if (patch.reportDir !== undefined) put('report_path', patch.reportDir);
      if (!sets.length) return;
      db.prepare(`UPDATE experiment_runs SET ${sets.join(', ')} WHERE id = ?`).run(...vals, id);
    },
    /** Ends an attempt; `elapsedMs` of this attempt is added to the run's total. A failure's English words and its phrase land in the same UPDATE as its state. */
    finish(id: number, state: 'done' | 'failed' | 'cancelled', fields: { error?: string | null; errorPhrase?: Phrase | null; elapsedMs: number }): void {
      db.prepare(`UPDATE experiment_runs SET state = ?, error = ?, error_phrase_json = ?, finished_at = ?, elapsed_ms = elapsed_ms + ? WHERE id = ?`).run(
        state,
        fields.error ?? null,
        storedPhraseJson(fields.errorPhrase),
        nowIso(),
        Math.round(fields.elapsedMs),
        id,
      );
    },
    /** One finished unit, committed on its own (a unit already stored is kept: the first value wins). */
    putUnit(runId: number, key: string, value: unknown, elapsedMs: number, attempt: number): void {
      db.prepare('INSERT OR IGNORE INTO experiment_units (run_id, unit_key, value_json, elapsed_ms, attempt, created_at) VALUES (?, ?, ?, ?, ?, ?)').run(
        runId,
        key,
        JSON.stringify(value),
        Math.round(elapsedMs),
        attempt,
        nowIso(),
      );
    },
    units(runId: number): Record<string, unknown> {
      const rows = db.prepare('SELECT unit_key, value_json FROM experiment_units WHERE run_id = ?').all(runId) as { unit_key: string; value_json: string }[];
      return Object.fromEntries(rows.map((r) => [r.unit_key, JSON.parse(r.value_json) as unknown]));
    },
    /** How many units each attempt computed (attempt → count): what a resume did and did not recompute. */
    unitsByAttempt(runId: number): Record<number, number> {
      const rows = db.prepare('SELECT attempt, COUNT(*) AS n FROM experiment_units WHERE run_id = ? GROUP BY attempt').all(runId) as { attempt: number; n: number }[];
      return Object.fromEntries(rows.map((r) => [r.attempt, r.n]));
    },
    putResult(runId: number, position: number, result: ExperimentResultDto): void {
      db.prepare('INSERT OR REPLACE INTO experiment_results (run_id, experiment_id, position, result_json, created_at) VALUES (?, ?, ?, ?, ?)').run(
        runId,
        result.id,
        position,
        JSON.stringify(result),
        nowIso(),
      );
    },
    results(runId: number): ExperimentResultDto[] {
      const rows = db.prepare('SELECT result_json FROM experiment_results WHERE run_id = ? ORDER BY position, experiment_id').all(runId) as { result_json: string }[];
      return rows.map((r) => JSON.parse(r.result_json) as ExperimentResultDto);
    },
    /** Runs left `running` by a process that is gone are marked interrupted (called when the folder opens). */
    markInterrupted(isAlive: (owner: ProcessOwner) => boolean, at = nowIso()): number[] {
      return markDeadOwners(
        db,
        isAlive,
        `SELECT id, owner_pid, owner_start FROM experiment_runs WHERE state = 'running'`,
        `UPDATE experiment_runs SET state = 'interrupted', interrupted_at = ? WHERE id = ? AND state = 'running'`,
        (id) => [at, id],
      );
    },
  };
  return repo;
}

export type ExperimentRunsRepo = ReturnType<typeof createExperimentRunsRepo>;
