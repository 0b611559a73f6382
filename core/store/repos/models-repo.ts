import type { Database } from 'better-sqlite3';
import { ApiError, notFound } from '../../api/errors.js';
import { nowIso } from '../tx.js';
import { testHook } from '../../runtime/test-hooks.js';
import { thisProcess, type ProcessOwner } from '../../runtime/process-owner.js';
import { phrase, type Phrase } from '../../api/phrase.js';
import { storedPhraseJson, withErrorPhrase } from './stored-phrase.js';
import { markDeadOwners } from './dead-owners.js';
import { readScaleWarnings, scaleWarningsJson } from './stored-scale-warnings.js';
import type { StoredScaleCheck } from '../../api/methods/cnn.js';

interface ModelRow {
  id: number;
  kind: string;
  name: string;
  parent_model_id: number | null;
  path: string;
  architecture_json: string;
  hyper_json: string;
  seed: number;
  dataset_fingerprint: string;
  dataset_json: string;
  backend_json: string;
  history_json: string | null;
  metrics_json: string | null;
  synthetic: number;
  scale_warnings_json: string | null;
  created_at: string;
}

/** A stored model as the repo hands it out; the JSON columns parsed. */
export interface ModelRecord {
  id: number;
  kind: string;
  name: string;
  parentModelId: number | null;
  /** Folder relative to the data folder, e.g. `models/7`. */
  path: string;
  architecture: unknown;
  hyper: unknown;
  seed: number;
  datasetFingerprint: string;
  dataset: unknown;
  backend: unknown;
  history: unknown;
  metrics: unknown;
  synthetic: boolean;
  /** Its training sections whose scale their resolution tag contradicts ([]: none; null: not recorded, migration 028). */
  scaleCheck: StoredScaleCheck;
  createdAt: string;
}

/** What a caller supplies; the repo assigns id, folder and time. `scaleCheck` absent: not recorded (NULL). */
export type NewModel = Omit<ModelRecord, 'id' | 'path' | 'createdAt' | 'scaleCheck'> & { scaleCheck?: StoredScaleCheck };

const parse = (s: string | null): unknown => (s === null ? null : JSON.parse(s));

function toRecord(r: ModelRow): ModelRecord {
  return {
    id: r.id,
    kind: r.kind,
    name: r.name,
    parentModelId: r.parent_model_id,
    path: r.path,
    architecture: parse(r.architecture_json),
    hyper: parse(r.hyper_json),
    seed: r.seed,
    datasetFingerprint: r.dataset_fingerprint,
    dataset: parse(r.dataset_json),
    backend: parse(r.backend_json),
    history: parse(r.history_json),
    metrics: parse(r.metrics_json),
    synthetic: r.synthetic === 1,
    scaleCheck: readScaleWarnings(r.scale_warnings_json),
    createdAt: r.created_at,
  };
}

/** `interrupted`: the process running it ended (killed, crashed, power cut) before it finished; set when a data folder opens. */
export type RunState = 'running' | 'done' | 'failed' | 'cancelled' | 'interrupted';

export interface TrainingRunRecord {
  id: number;
  kind: string;
  modelId: number | null;
  state: RunState;
  params: unknown;
  seed: number;
  backend: unknown;
  history: unknown;
  metrics: unknown;
  error: string | null;
  /** `error` as the phrase it was said with (migration 021); absent on older rows and on failures with no words of their own. */
  errorPhrase?: Phrase;
  startedAt: string;
  finishedAt: string | null;
  /** When a run left `running` by a dead process was found and marked `interrupted`. */
  interruptedAt: string | null;
}

interface RunRow {
  id: number;
  kind: string;
  model_id: number | null;
  state: string;
  params_json: string;
  seed: number;
  backend_json: string | null;
  history_json: string | null;
  metrics_json: string | null;
  error: string | null;
  error_phrase_json: string | null;
  started_at: string;
  finished_at: string | null;
  owner_pid: number | null;
  owner_start: string | null;
  interrupted_at: string | null;
}

const toRun = (r: RunRow): TrainingRunRecord =>
  withErrorPhrase(r.error_phrase_json, {
    id: r.id,
    kind: r.kind,
    modelId: r.model_id,
    state: r.state as RunState,
    params: parse(r.params_json),
    seed: r.seed,
    backend: parse(r.backend_json),
    history: parse(r.history_json),
    metrics: parse(r.metrics_json),
    error: r.error,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    interruptedAt: r.interrupted_at,
  });

export interface RawModelRow { id: number; name: string; hyper_json: string; dataset_json: string; backend_json: string; metrics_json: string | null; synthetic: number; created_at: string; seed: number; scale_warnings_json: string | null }

/** Trained models and the runs that made them (tables `models`, `training_runs` of schema 001, `training_epochs` of 010). */
export function createModelsRepo(db: Database) {
  /**
   * A run's history is its appended epoch rows, per run name in insertion order; a run stored before
   * migration 010 has none and keeps the history_json it was written with.
   */
  const withEpochs = (runs: TrainingRunRecord[]): TrainingRunRecord[] => {
    if (!runs.length) return runs;
    const rows = db
      .prepare(`SELECT run_id, run_name, log_json FROM training_epochs WHERE run_id IN (${runs.map(() => '?').join(',')}) ORDER BY id`)
      .all(...runs.map((r) => r.id)) as { run_id: number; run_name: string; log_json: string }[];
    const byRun = new Map<number, Record<string, unknown[]>>();
    for (const r of rows) {
      let h = byRun.get(r.run_id);
      if (!h) byRun.set(r.run_id, (h = {}));
      (h[r.run_name] ??= []).push(JSON.parse(r.log_json));
    }
    return runs.map((r) => (byRun.has(r.id) ? { ...r, history: byRun.get(r.id) } : r));
  };
  const repo = {
    /** Every stored model's file path (relative to the data folder, '/' separated), of every kind. */
    allPaths(): Set<string> {
      return new Set((db.prepare('SELECT path FROM models').all() as { path: string }[]).map((r) => r.path.replace(/\\/g, '/')));
    },
    list(kind?: string): ModelRecord[] {
      const rows = (kind
        ? db.prepare('SELECT * FROM models WHERE kind = ? ORDER BY created_at DESC, id DESC').all(kind)
        : db.prepare('SELECT * FROM models ORDER BY created_at DESC, id DESC').all()) as ModelRow[];
      return rows.map(toRecord);
    },
    exists(id: number): boolean {
      return Boolean(db.prepare('SELECT 1 FROM models WHERE id = ?').get(id));
    },
    /** The row's JSON columns unparsed, for readers that must survive a damaged or foreign record (the report's fallback model card). */
    getRaw(id: number): RawModelRow | null {
      return (db.prepare('SELECT * FROM models WHERE id = ?').get(id) as RawModelRow | undefined) ?? null;
    },
    get(id: number): ModelRecord {
      const row = db.prepare('SELECT * FROM models WHERE id = ?').get(id) as ModelRow | undefined;
      if (!row) throw notFound('Model', id);
      return toRecord(row);
    },
    /**
     * Inserts the record with its folder `models/<id>`; `writeFiles(relPath)` runs inside the same
     * transaction, so a failure to write the files leaves no record (and vice versa). Call inside
     * inTransaction. Ids are never reused (AUTOINCREMENT, schema 008); a process killed after `writeFiles`
     * renamed the folder into place but before the COMMIT leaves a folder under an id the next insert gets
     * again — `writeModelDir` moves such a stray folder aside instead of failing.
     */
    insert(m: NewModel, writeFiles: (relPath: string, id: number) => void): ModelRecord {
      const info = db
        .prepare(
          `INSERT INTO models (kind, name, parent_model_id, path, architecture_json, hyper_json, seed, dataset_fingerprint, dataset_json, backend_json, history_json, metrics_json, synthetic, scale_warnings_json, created_at)
           VALUES (?, ?, ?, '', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          m.kind,
          m.name,
          m.parentModelId,
          JSON.stringify(m.architecture),
          JSON.stringify(m.hyper),
          m.seed,
          m.datasetFingerprint,
          JSON.stringify(m.dataset),
          JSON.stringify(m.backend),
          JSON.stringify(m.history),
          JSON.stringify(m.metrics),
          m.synthetic ? 1 : 0,
          scaleWarningsJson(m.scaleCheck ?? null),
          nowIso(),
        );
      const id = Number(info.lastInsertRowid);
      const rel = `models/${id}`;
      db.prepare('UPDATE models SET path = ? WHERE id = ?').run(rel, id);
      writeFiles(rel, id);
      testHook('model-save:files-in-place');
      return repo.get(id);
    },
    rename(id: number, name: string): ModelRecord {
      const info = db.prepare('UPDATE models SET name = ? WHERE id = ?').run(name, id);
      if (info.changes === 0) throw notFound('Model', id);
      return repo.get(id);
    },
    delete(id: number): ModelRecord {
      const rec = repo.get(id);
      db.prepare('DELETE FROM models WHERE id = ?').run(id);
      return rec;
    },
    /**
     * The base model a stored model was fine-tuned from, as its training run recorded it (params.baseModelId), even
     * when that base is deleted (the row's parent_model_id is then NULL); null when no run says so.
     */
    fineTunedFrom(id: number): number | null {
      const rows = db.prepare("SELECT params_json FROM training_runs WHERE model_id = ? AND state = 'done'").all(id) as { params_json: string }[];
      for (const r of rows) {
        const base = (parse(r.params_json) as { baseModelId?: unknown } | null)?.baseModelId;
        if (typeof base === 'number') return base;
      }
      return null;
    },
    children(id: number): number[] {
      return (db.prepare('SELECT id FROM models WHERE parent_model_id = ?').all(id) as { id: number }[]).map((r) => r.id);
    },

    /** A new run, `running`, owned by this process (see markInterruptedRuns). */
    startRun(kind: string, params: unknown, seed: number): number {
      const owner = thisProcess();
      return Number(
        db
          .prepare(`INSERT INTO training_runs (kind, state, params_json, seed, started_at, owner_pid, owner_start) VALUES (?, 'running', ?, ?, ?, ?, ?)`)
          .run(kind, JSON.stringify(params), seed, nowIso(), owner.pid, owner.startTag).lastInsertRowid,
      );
    },
    updateRun(id: number, patch: { backend?: unknown }): void {
      if (patch.backend !== undefined) db.prepare('UPDATE training_runs SET backend_json = ? WHERE id = ?').run(JSON.stringify(patch.backend), id);
    },
    /** Ends a run; a failure's English words and its phrase land in the same UPDATE as its state. */
    finishRun(id: number, state: Exclude<RunState, 'running'>, fields: { modelId?: number | null; metrics?: unknown; history?: unknown; error?: string | null; errorPhrase?: Phrase | null }): void {
      db.prepare(
        `UPDATE training_runs SET state = ?, model_id = COALESCE(?, model_id), metrics_json = COALESCE(?, metrics_json), history_json = COALESCE(?, history_json), error = ?, error_phrase_json = ?, finished_at = ? WHERE id = ?`,
      ).run(
        state,
        fields.modelId ?? null,
        fields.metrics === undefined ? null : JSON.stringify(fields.metrics),
        fields.history === undefined ? null : JSON.stringify(fields.history),
        fields.error ?? null,
        storedPhraseJson(fields.errorPhrase),
        nowIso(),
        id,
      );
    },
    /** Appends one epoch of a running training: one small INSERT, whatever the epoch number. */
    appendEpoch(runId: number, runName: string, log: { epoch: number }): void {
      db.prepare('INSERT INTO training_epochs (run_id, run_name, epoch, log_json) VALUES (?, ?, ?, ?)').run(runId, runName, log.epoch, JSON.stringify(log));
    },
    getRun(id: number): TrainingRunRecord {
      const row = db.prepare('SELECT * FROM training_runs WHERE id = ?').get(id) as RunRow | undefined;
      if (!row) throw notFound('Training run', id);
      return withEpochs([toRun(row)])[0];
    },
    /**
     * Marks `interrupted` (with the time) every run still `running` whose owning process is gone, in one
     * transaction; a run whose owner lives (this process included) is left alone. Returns the ids marked.
     */
    markInterruptedRuns(isAlive: (owner: ProcessOwner) => boolean, at = nowIso()): number[] {
      return markDeadOwners(
        db,
        isAlive,
        `SELECT id, owner_pid, owner_start FROM training_runs WHERE state = 'running'`,
        `UPDATE training_runs SET state = 'interrupted', interrupted_at = ? WHERE id = ? AND state = 'running'`,
        (id) => [at, id],
      );
    },
    listRuns(kind?: string, limit = 50): TrainingRunRecord[] {
      const rows = (kind
        ? db.prepare('SELECT * FROM training_runs WHERE kind = ? ORDER BY id DESC LIMIT ?').all(kind, limit)
        : db.prepare('SELECT * FROM training_runs ORDER BY id DESC LIMIT ?').all(limit)) as RunRow[];
      return withEpochs(rows.map(toRun));
    },
  };
  return repo;
}
export type ModelsRepo = ReturnType<typeof createModelsRepo>;

export function assertModelName(name: string): string {
  const n = name.trim();
  if (!n || n.length > 200) throw ApiError.said('invalid_argument', phrase('errors.store.modelName', { max: 200 }), { field: 'name' });
  return n;
}
