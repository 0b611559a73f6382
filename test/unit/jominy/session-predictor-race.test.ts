import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { openDatabase } from '../../../core/store/index.js';
import { createJominyModelsRepo } from '../../../core/store/repos/jominy-models-repo.js';
import { createDesignSessionsRepo } from '../../../core/store/repos/design-sessions-repo.js';
import { tempDir } from '../../helpers/temp.js';

/**
 * A design run loads its predictor, then stores its session. Another process (the CLI, another window) deleting the
 * predictor in between made the INSERT fail with SQLite's raw "FOREIGN KEY constraint failed". Now the session's
 * predictor is read and the session inserted in one IMMEDIATE transaction, and a predictor gone by then is refused in
 * the catalog's words (jominyErrors.predictorDeletedMeanwhile), with nothing stored. The deletion is made through a
 * second connection to the same file, as another process would.
 */
describe('a predictor deleted by another process between a run’s load and its session', () => {
  const { dir, cleanup } = tempDir('ferrolab-session-race-');
  afterAll(cleanup);
  const file = join(dir, 'ferrolab.sqlite');
  const session = (modelId: number, parentSessionId: number | null = null) => ({
    name: 'run', modelId, parentSessionId, target: { kind: 'curve', hardness: [50] }, settings: {}, seed: 1, run: { state: 'running' },
  });

  it('is refused in words (not a raw foreign-key failure), and nothing is stored', () => {
    const mine = openDatabase(file).db;
    const other = openDatabase(file).db;
    try {
      const models = createJominyModelsRepo(mine);
      const model = { path: 'models/x.json', architecture: {}, hyper: {}, seed: 1, fingerprint: 'f', dataset: {}, backend: {}, history: {}, metrics: {}, synthetic: true };
      const kept = models.insertModel({ ...model, name: 'kept' });
      const gone = models.insertModel({ ...model, name: 'gone' });
      const sessions = createDesignSessionsRepo(mine);
      const first = sessions.createSession(session(kept));
      expect(sessions.getSession(first).predictor).toEqual({ id: kept, name: 'kept', deleted: false });

      // the run has loaded predictor `gone`; another process deletes it before the session is stored
      expect(other.prepare('DELETE FROM models WHERE id = ?').run(gone).changes).toBe(1);
      const count = () => (mine.prepare('SELECT COUNT(*) AS n FROM design_sessions').get() as { n: number }).n;
      let thrown: unknown = null;
      try {
        sessions.createSession(session(gone));
      } catch (e) {
        thrown = e;
      }
      // before: SqliteError "FOREIGN KEY constraint failed"
      expect(thrown).toMatchObject({ code: 'failed_precondition', field: 'modelId', phrase: { code: 'jominyErrors.predictorDeletedMeanwhile', params: { id: gone } } });
      expect((thrown as Error).message).toBe(`Jominy predictor #${gone} was deleted (in another window or by another process) while this design run was being set up: nothing was stored; choose another predictor`);
      expect(count()).toBe(1);

      // a parent session deleted meanwhile likewise: refused by name, nothing stored
      const parent = sessions.createSession(session(kept));
      other.prepare('DELETE FROM design_sessions WHERE id = ?').run(parent);
      expect(() => sessions.createSession(session(kept, parent))).toThrow(expect.objectContaining({ code: 'not_found', field: 'parentSessionId' }));
      expect(count()).toBe(1);
    } finally {
      other.close();
      mine.close();
    }
  });
});
