import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Phrase } from '../../../core/api/phrase.js';
import { localClient } from '../../../core/app/dispatch.js';
import { migrate, migrations } from '../../../core/store/index.js';
import { createModelsRepo } from '../../../core/store/repos/models-repo.js';
import { createExperimentRunsRepo } from '../../../core/store/repos/experiment-runs-repo.js';
import { tempContext, tempDir } from '../../helpers/temp.js';
import { demoBilletIn } from '../../helpers/demo-billet.js';
import { rendererSay, sayLang } from '../../helpers/renderer-say.js';

/**
 * Issue 15: a failed CNN training or experiment run keeps its failure as the phrase it was said with (migration 021)
 * beside the English words, so RunHistory and the Experiments view word it in the interface language with
 * `say(errorPhrase, error)`; a row stored before the phrase existed shows its English. The runs fail for real: their
 * billet has sampling points but no carbon readings. `say` is the interface's own (renderer/src/lib/phrase.ts), its
 * i18n module stood in for by an i18next instance on the core catalog (test/helpers/renderer-say.ts).
 */
vi.mock('../../../renderer/src/lib/i18n.svelte', async () => (await import('../../helpers/renderer-say.js')).i18nStandIn());
const say = await rendererSay();

const worded = (p: Phrase | undefined, english: string | null) =>
  Object.fromEntries((['en', 'zh', 'it'] as const).map((l) => ((sayLang.current = l), [l, say(p, english)])));

const ctx = tempContext();
const api = localClient(ctx);
let billetId: number;
let billetName: string;
afterAll(() => ctx.dispose());

beforeAll(async () => {
  billetId = await demoBilletIn(ctx, { seed: 3, sizePx: 256 });
  const list = await api['points.list']({ billetId });
  billetName = list.billetName;
  // the billet keeps its sampling points; every carbon reading is removed, as a user clearing them would
  for (const p of list.points) await api['readings.clear']({ billetId, label: p.label });
}, 120_000);

describe('a failed run is listed with its failure as a phrase, worded in each language', () => {
  const expected = () => ({
    en: `Billet "${billetName}" has no sampling points with carbon readings`,
    zh: `铸坯“${billetName}”没有带碳含量读数的取样点`,
    it: `La billetta «${billetName}» non ha punti di campionamento con letture di carbonio`,
  });

  it('a CNN training refused by its data (no readings): RunHistory shows it in zh and it', async () => {
    const job = await api['cnn.train']({
      billetIds: [billetId], preset: 'compact', architecture: { inputSize: 16, blocks: 2, baseFilters: 2, dense: [4], dropout: 0 },
      hyper: { epochs: 1 }, splits: 1, refit: false, seed: 1,
    });
    const end = await ctx.jobs.wait(job.id);
    expect(end.state).toBe('failed');
    const [run] = await api['cnn.runs.list']({});
    expect(run.state).toBe('failed');
    expect(run.error).toBe(expected().en);
    expect(run.errorPhrase).toEqual({ code: 'errors.cnn.noReadings', params: { name: billetName } });
    expect(worded(run.errorPhrase, run.error)).toEqual(expected());
  });

  it('an experiment run refused by its data: the Experiments view shows it in zh and it; a resume clears it with the English', async () => {
    const end = await ctx.jobs.wait((await api['experiments.start']({ kind: 'segregation', billetIds: [billetId], budget: 'quick', seed: 5 })).id);
    expect(end.state).toBe('failed');
    const runId = (await api['experiments.list']({}))[0].id;
    const detail = await api['experiments.get']({ id: runId });
    expect(detail.state).toBe('failed');
    expect(detail.error).toBe(expected().en);
    expect(detail.errorPhrase).toEqual({ code: 'errors.cnn.noReadings', params: { name: billetName } });
    expect(worded(detail.errorPhrase, detail.error)).toEqual(expected());
    expect((await api['experiments.list']({})).find((r) => r.id === runId)?.errorPhrase?.code).toBe('errors.cnn.noReadings');
    // reopening the run for a resume forgets the old failure, words and phrase together
    expect(createExperimentRunsRepo(ctx.db).reopen(runId)).toBe(true);
    const reopened = await api['experiments.get']({ id: runId });
    expect(reopened.error).toBeNull();
    expect(reopened).not.toHaveProperty('errorPhrase');
  });
});

describe('a run stored before migration 021 keeps its English', () => {
  it('no phrase column then: after the migration the row has no errorPhrase and say shows its English in every language', () => {
    const t = tempDir('ferrolab-stored-failures-');
    try {
      const file = join(t.dir, 'schema20.sqlite');
      const db = new Database(file);
      migrate(db, migrations.filter((m) => m.version <= 20), file);
      db.exec(`
        INSERT INTO training_runs (kind, state, params_json, seed, error, started_at, finished_at) VALUES ('carbon-cnn', 'failed', '{}', 1, 'training failed: old words', 't', 't');
        INSERT INTO experiment_runs (kind, budget, inputs_json, seed, state, error, created_at, started_at) VALUES ('segregation', 'quick', '{"names":[]}', 1, 'failed', 'old experiment words', 't', 't');
      `);
      migrate(db, migrations, file);
      const [run] = createModelsRepo(db).listRuns('carbon-cnn');
      expect(run.error).toBe('training failed: old words');
      expect(run).not.toHaveProperty('errorPhrase');
      expect(worded(run.errorPhrase, run.error)).toEqual({ en: 'training failed: old words', zh: 'training failed: old words', it: 'training failed: old words' });
      const [exp] = createExperimentRunsRepo(db).list();
      expect(exp).not.toHaveProperty('errorPhrase');
      expect(worded(exp.errorPhrase, exp.error).zh).toBe('old experiment words');
      // a phrase this version cannot read (a code from another version) is no phrase: the English words stand
      db.prepare(`UPDATE training_runs SET error_phrase_json = ?`).run(JSON.stringify({ code: 'errors.fromTheFuture', params: {} }));
      expect(createModelsRepo(db).listRuns('carbon-cnn')[0]).not.toHaveProperty('errorPhrase');
      db.close();
    } finally {
      t.cleanup();
    }
  });
});
