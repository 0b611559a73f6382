import { afterAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { migrate, migrations } from '../../../core/store/index.js';
import { createDesignSessionsRepo } from '../../../core/store/repos/design-sessions-repo.js';
import { createJominyEvaluationsRepo } from '../../../core/store/repos/jominy-evaluations-repo.js';
import { tempDir } from '../../helpers/temp.js';

/**
 * Migration 031: a design session and an evaluation stored before it get the synthetic label from the rows still
 * stored (the predictor's `models.synthetic`, the target dataset's); where that is gone it stays not recorded (null),
 * never "not synthetic".
 */
describe('migration 031 (synthetic label of design sessions and evaluations)', () => {
  const { dir, cleanup } = tempDir('ferrolab-m031-');
  afterAll(cleanup);

  it('fills the label from the predictor and the dataset still stored, null where they are gone', () => {
    const db = new Database(join(dir, 'm.sqlite'));
    migrate(db, migrations.filter((m) => m.version <= 30), 'm.sqlite');
    const model = (name: string, synthetic: number) =>
      Number(db.prepare("INSERT INTO models (kind, name, path, architecture_json, hyper_json, seed, dataset_fingerprint, dataset_json, backend_json, synthetic, created_at) VALUES ('jominy', ?, 'm.json', '{}', '{}', 1, 'f', '{}', '{}', ?, 'x')").run(name, synthetic).lastInsertRowid);
    const dataset = (synthetic: number) => Number(db.prepare("INSERT INTO jominy_datasets (name, source, synthetic, created_at) VALUES ('d', 'x', ?, 'x')").run(synthetic).lastInsertRowid);
    const session = (modelId: number | null) =>
      Number(db.prepare("INSERT INTO design_sessions (name, model_id, target_json, settings_json, seed, created_at, updated_at) VALUES ('s', ?, '{\"kind\":\"curve\",\"hardness\":[]}', '{}', 1, 'x', 'x')").run(modelId).lastInsertRowid);
    const evaluation = (modelId: number, datasetId: number | null) =>
      Number(db.prepare("INSERT INTO jominy_evaluations (name, model_id, dataset_id, params_json, seed, result_json, created_at) VALUES ('e', ?, ?, '{}', 1, '{\"runs\":[],\"durationMs\":0,\"threads\":1}', 'x')").run(modelId, datasetId).lastInsertRowid);
    const [synth, real] = [model('S', 1), model('R', 0)];
    const [synthData, realData] = [dataset(1), dataset(0)];
    const sessions = [session(synth), session(real), session(null)];
    const evals = [evaluation(real, synthData), evaluation(synth, realData), evaluation(real, realData), evaluation(real, null), evaluation(synth, null)];
    migrate(db, migrations, 'm.sqlite');
    const s = createDesignSessionsRepo(db);
    expect(sessions.map((id) => s.getSession(id).synthetic)).toEqual([true, false, null]);
    expect(s.listSessions().sort((a, b) => a.id - b.id).map((x) => x.synthetic)).toEqual([true, false, null]);
    const e = createJominyEvaluationsRepo(db);
    // synthetic when either side is; not synthetic only when both are known real; a real predictor on a deleted dataset: unknown
    expect(evals.map((id) => e.getEvaluation(id).synthetic)).toEqual([true, true, false, null, true]);
    // a new session takes its predictor's label when it is made
    const made = s.createSession({ name: 'new', modelId: synth, parentSessionId: null, target: {}, settings: {}, seed: 1, run: null });
    expect(s.getSession(made).synthetic).toBe(true);
    db.close();
  });
});
