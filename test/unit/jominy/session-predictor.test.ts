import { afterAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { createAppContext } from '../../../core/app/context.js';
import { localClient } from '../../../core/app/dispatch.js';
import { migrate, migrations } from '../../../core/store/index.js';
import { jobResult } from '../../helpers/job-result.js';
import { runCli } from '../../helpers/cli.js';
import { tempDir } from '../../helpers/temp.js';

/**
 * A design session keeps the predictor that made it (issue 24, item 1). Deleting the predictor keeps its sessions as
 * records — their stored results unchanged, the predictor's id and name said, `deleted` true — and a run that names
 * such a session as its parent is refused before anything is stored. Before: `model_id` was nulled by the foreign key,
 * nothing said which predictor it had been, and a run with any predictor could take it as parent.
 */
describe('design sessions whose predictor was deleted', () => {
  const { dir, cleanup } = tempDir('ferrolab-session-predictor-');
  afterAll(cleanup);
  const TARGET = { kind: 'curve' as const, hardness: [52, 51, 49, 46, 42, 39, 37, 35, 32, 30, 29, 28, 27, 26, 25] };
  const GA = { ga: { population: 10, generations: 3, topK: 2 } };

  it('keeps the session as a record of its predictor, refuses a run that continues it, and the CLI says so', async () => {
    const ctx = createAppContext({ dataDir: dir, shell: 'cli', backend: 'wasm' });
    const api = localClient(ctx);
    const train = async (seed: number, name: string) => {
      const ds = await api['jominy.datasets.synth']({ n: 120, seed });
      return ((await jobResult(ctx, (await api['jominy.models.train']({ datasetId: ds.id, seed: 1, maxHidden: 2, epochs: 5, ensemble: 0, name })).id)) as { modelId: number }).modelId;
    };
    const a = await train(29, 'predictor A');
    const b = await train(41, 'predictor B');
    const design = async (modelId: number, parentSessionId?: number) =>
      ((await jobResult(ctx, (await api['jominy.design']({ modelId, target: TARGET, settings: GA, seed: 3, parentSessionId })).id)) as { sessionId: number }).sessionId;
    const sa = await design(a);
    const sb = await design(b);
    const before = await api['jominy.sessions.get']({ id: sa });
    expect(before.predictor).toEqual({ id: a, name: 'predictor A', deleted: false });

    // a parent made with another (live) predictor is refused too: a run continues only its own predictor's session
    await expect(design(b, sa)).rejects.toMatchObject({ code: 'invalid_argument', field: 'parentSessionId', phrase: { code: 'jominyErrors.sessionOtherPredictor', params: { session: sa, other: a, id: b } } });

    await api['jominy.models.delete']({ id: a });
    const after = await api['jominy.sessions.get']({ id: sa });
    expect(after.modelId).toBeNull();
    expect(after.predictor).toEqual({ id: a, name: 'predictor A', deleted: true });
    // the record's numbers are the run's as stored, not recomputed with anything
    expect(after.results).toEqual(before.results);
    expect(after.results[0].deviation).toBeGreaterThan(0);
    expect((await api['jominy.sessions.list']({})).find((s) => s.id === sa)!.predictor).toEqual({ id: a, name: 'predictor A', deleted: true });
    // a copy of the record is a record of the same predictor
    const csv = await api['jominy.sessions.export']({ id: sa, format: 'csv' });
    expect(csv.content.split('\n')[1]).toMatch(new RegExp(`^# predictor ${a} \\(predictor A\\), deleted since: this session is a record of its run; seed 3; `));
    expect(JSON.parse((await api['jominy.sessions.export']({ id: sa, format: 'json' })).content).session.predictor).toEqual({ id: a, name: 'predictor A', deleted: true });
    const copy = await api['jominy.sessions.duplicate']({ id: sa });
    expect(copy.predictor).toEqual({ id: a, name: 'predictor A', deleted: true });

    // a run with the record as parent is refused with the predictor named, and stores no session
    const count = (await api['jominy.sessions.list']({})).length;
    const refused = api['jominy.design']({ modelId: b, target: TARGET, settings: GA, seed: 3, parentSessionId: sa });
    await expect(refused).rejects.toMatchObject({
      code: 'failed_precondition',
      field: 'parentSessionId',
      message: `Design session ${sa} was made with predictor #${a} (predictor A), which was deleted: it is kept as a record of that run and cannot be run again or continued with another predictor`,
    });
    expect((await api['jominy.sessions.list']({})).length).toBe(count);
    // the live predictor's own session still continues
    expect(await design(b, sb)).toBeGreaterThan(sb);
    await ctx.close();

    // the CLI says the same, in the list and in the session's own report
    const list = await runCli(dir, 'jominy', 'sessions');
    expect(list.rc).toBe(0);
    const line = (id: number) => list.out.split('\n').find((l) => l.startsWith(String(id).padStart(4)))!;
    expect(line(sa)).toContain(`; made with predictor #${a} (predictor A), which was deleted: a record of that run (its numbers are that predictor's); it cannot be run again)`);
    expect(line(sb)).toContain(`, predictor #${b} (predictor B))`);
    const show = await runCli(dir, 'jominy', 'sessions', 'show', String(sa));
    expect(show.rc).toBe(0);
    expect(show.out.split('\n')[1]).toBe(`made with predictor #${a} (predictor A), which was deleted: a record of that run (its numbers are that predictor's); it cannot be run again`);
    expect(show.out).toContain(`   1 ${before.results[0].deviation.toFixed(3).padStart(8)}`);
  });

  it('migration 023 records the predictor of sessions stored before it; one already deleted stays unknown', () => {
    const file = join(dir, 'old.sqlite');
    const db = new Database(file);
    db.pragma('foreign_keys = ON');
    migrate(db, migrations.filter((m) => m.version <= 22), file);
    db.prepare(`INSERT INTO models (id, kind, name, path, architecture_json, hyper_json, seed, dataset_fingerprint, dataset_json, backend_json, synthetic, created_at) VALUES (7, 'jominy', 'kept', 'models/x.json', '{}', '{}', 1, 'f', '{}', '{}', 0, 'now')`).run();
    const ins = db.prepare(`INSERT INTO design_sessions (name, model_id, parent_session_id, target_json, settings_json, seed, created_at, updated_at) VALUES (?, ?, NULL, '{"kind":"curve","hardness":[]}', '{}', 1, 'now', 'now')`);
    ins.run('live', 7);
    ins.run('orphan', null);
    migrate(db, migrations, file);
    expect(db.prepare('SELECT name, model_id, predictor_id, predictor_name FROM design_sessions ORDER BY id').all()).toEqual([
      { name: 'live', model_id: 7, predictor_id: 7, predictor_name: 'kept' },
      { name: 'orphan', model_id: null, predictor_id: null, predictor_name: null },
    ]);
    db.close();
  });
});
