import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createAppContext, type AppContext } from '../../../core/app/context.js';
import { localClient } from '../../../core/app/dispatch.js';
import type { TrainJobResult } from '../../../core/services/cnn/index.js';
import { importModel, exportModel, deleteModel, MODEL_BUNDLE_FORMAT, CNN_MODEL_KIND } from '../../../core/services/cnn/index.js';
import { COMPACT_ARCHITECTURE } from '../../../core/ml/architecture.js';
import { openDatabase, closeDatabase, migrate, migrations, latestSchemaVersion } from '../../../core/store/index.js';
import { createModelsRepo } from '../../../core/store/repos/models-repo.js';
import { tempDir } from '../../helpers/temp.js';
import { log } from '../../../core/runtime/log.js';
import { cliEntry } from '../../helpers/cli-bundle.js';

// The real CLI in a child process, for the SIGKILL test (bundled once: test/helpers/cli-bundle.ts).
let entry: string;
beforeAll(async () => {
  entry = await cliEntry();
});

// Issue 9, item 6: model ids are never reused, and a folder left at models/<id> never makes a save fail.

const t = tempDir('ferrolab-model-ids-');
afterAll(() => t.cleanup());

/** A small but valid Ferrolab model file (16 bytes of weights for a 2×2 float32 tensor). */
const bundle = join(t.dir, 'model.ferrolab-model.json');
writeFileSync(
  bundle,
  JSON.stringify({
    format: MODEL_BUNDLE_FORMAT,
    exportedAt: '2026-01-01T00:00:00.000Z',
    record: {
      kind: CNN_MODEL_KIND, name: 'tiny', architecture: COMPACT_ARCHITECTURE, hyper: {}, seed: 1, datasetFingerprint: 'f', dataset: {}, backend: {},
      history: null, metrics: null, synthetic: true, createdAt: '2026-01-01T00:00:00.000Z', originalId: 99, parentModelId: null,
    },
    modelTopology: { class_name: 'Sequential', config: { layers: [] } },
    weightSpecs: [{ name: 'w', shape: [2, 2], dtype: 'float32' }],
    weightsBase64: Buffer.from(new Float32Array([1, 2, 3, 4]).buffer).toString('base64'),
  }),
);

let n = 0;
function context(): AppContext {
  return createAppContext({ dataDir: join(t.dir, `data-${n++}`), shell: 'cli', backend: 'cpu' });
}

const strays = (ctx: AppContext) => readdirSync(ctx.paths.models).filter((f) => f.startsWith('.stray-'));

describe('model ids and folders', () => {
  it('a stray models/<next id> folder does not make a model import fail: it is moved aside, with a warning, untouched', async () => {
    const ctx = context();
    mkdirSync(join(ctx.paths.models, '1'));
    writeFileSync(join(ctx.paths.models, '1', 'keep.txt'), 'left by someone');
    const warn = vi.spyOn(log, 'warn').mockImplementation(() => {});
    try {
      const rec = importModel(ctx, bundle, 'first');
      expect(rec.id).toBe(1);
      expect(rec.path).toBe('models/1');
      expect(JSON.parse(readFileSync(join(ctx.paths.models, '1', 'model.json'), 'utf8')).format).toBe('layers-model');
      expect(existsSync(join(ctx.paths.models, '1', 'keep.txt'))).toBe(false);
      const aside = strays(ctx);
      expect(aside).toHaveLength(1);
      expect(aside[0]).toMatch(/^\.stray-1-/);
      expect(readFileSync(join(ctx.paths.models, aside[0], 'keep.txt'), 'utf8')).toBe('left by someone');
      expect(warn).toHaveBeenCalledTimes(1);
      expect(warn.mock.calls[0][1]).toMatch(/belonged to no stored model.*moved aside/);
      expect(warn.mock.calls[0][2]).toMatchObject({ from: join(ctx.paths.models, '1'), to: join(ctx.paths.models, aside[0]) });
    } finally {
      warn.mockRestore();
      await ctx.close();
    }
  });

  it('a CNN training whose models/<next id> folder is taken still stores its model at the end, moving the folder aside', async () => {
    const ctx = context();
    const api = localClient(ctx);
    const warn = vi.spyOn(log, 'warn').mockImplementation(() => {});
    try {
      const demo = await ctx.jobs.wait((await api['billets.loadDemo']({ seed: 3, variant: 'base', sizePx: 600 })).id);
      const billetId = (demo.result as { billetId: number }).billetId;
      mkdirSync(join(ctx.paths.models, '1'));
      writeFileSync(join(ctx.paths.models, '1', 'keep.txt'), 'stray');
      const job = await api['cnn.train']({
        billetIds: [billetId], preset: 'compact', architecture: { inputSize: 16, blocks: 2, baseFilters: 2, dense: [4], dropout: 0 },
        hyper: { epochs: 1 }, splits: 1, refit: false, seed: 1,
      });
      const end = await ctx.jobs.wait(job.id);
      expect(end.error?.message ?? null).toBeNull();
      expect((end.result as TrainJobResult).modelId).toBe(1);
      expect(existsSync(join(ctx.paths.models, '1', 'model.json'))).toBe(true);
      expect(strays(ctx)).toHaveLength(1);
      expect(warn).toHaveBeenCalledTimes(1);
    } finally {
      warn.mockRestore();
      await ctx.close();
    }
  });

  it('an exported model file carries a checksum: a weight or a figure changed in transit is refused, not imported with the old metrics', async () => {
    // One base64 letter changed in the weights (a bit flipped on a USB stick) kept the length and imported silently,
    // the stored metrics and interval coverage then describing weights that were no longer the trained ones.
    const ctx = context();
    try {
      const rec = importModel(ctx, bundle, 'original');
      const out = join(t.dir, 'exported.ferrolab-model.json');
      exportModel(ctx, rec.id, out);
      const good = JSON.parse(readFileSync(out, 'utf8'));
      expect(good.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(importModel(ctx, out, 'again').name).toBe('again');
      const w = good.weightsBase64 as string;
      const flipped = { ...good, weightsBase64: `${w[0] === 'A' ? 'B' : 'A'}${w.slice(1)}` };
      writeFileSync(out, JSON.stringify(flipped));
      const rows = createModelsRepo(ctx.db).list().length;
      expect(() => importModel(ctx, out, 'damaged')).toThrow('the model file is damaged: its content does not match the checksum written when it was exported (sha256); export it again from the PC that made it');
      writeFileSync(out, JSON.stringify({ ...good, record: { ...good.record, seed: 2 } }));
      expect(() => importModel(ctx, out, 'edited')).toThrow(/does not match the checksum/);
      expect(createModelsRepo(ctx.db).list().length).toBe(rows);
    } finally {
      await ctx.close();
    }
  });

  it('deleting the newest model and creating another does not reuse its id (nor its folder)', async () => {
    const ctx = context();
    try {
      const a = importModel(ctx, bundle, 'a');
      const b = importModel(ctx, bundle, 'b');
      expect([a.id, b.id]).toEqual([1, 2]);
      deleteModel(ctx, b.id);
      const c = importModel(ctx, bundle, 'c');
      expect(c.id).toBe(3);
      expect(c.path).toBe('models/3');
      expect(createModelsRepo(ctx.db).list().map((m) => m.id).sort()).toEqual([1, 3]);
    } finally {
      await ctx.close();
    }
  });

  it('a model import SIGKILLed after its folder is in place but before the row commits: reopening moves the folder aside; the next import gets that id and succeeds', async () => {
    const ctx0 = context();
    const dir = ctx0.paths.root;
    await ctx0.close();
    const child = spawn(process.execPath, [entry, 'model', 'import', '--file', bundle, '--data', dir], {
      env: { ...process.env, FERROLAB_TEST_HOLD_AT: 'model-save:files-in-place' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    await new Promise<void>((resolve) => {
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        if (stderr.includes('ferrolab-test-hold model-save:files-in-place')) {
          child.kill('SIGKILL');
          resolve();
        }
      });
      child.once('exit', () => resolve());
    });
    await new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r(null) : child.once('exit', r)));
    expect(child.signalCode, stderr).toBe('SIGKILL');
    const ctx = createAppContext({ dataDir: dir, shell: 'cli', backend: 'cpu' });
    const warn = vi.spyOn(log, 'warn').mockImplementation(() => {});
    try {
      expect(createModelsRepo(ctx.db).list()).toEqual([]);
      // the killed save's folder was moved aside when the folder opened (core/app/orphan-models.ts)
      expect(existsSync(join(ctx.paths.models, '1'))).toBe(false);
      expect(strays(ctx)).toHaveLength(1);
      const rec = importModel(ctx, bundle, 'retry');
      expect(rec.id).toBe(1);
      expect(existsSync(join(ctx.paths.models, '1', 'model.json'))).toBe(true);
      expect(strays(ctx)).toHaveLength(1);
      expect(warn).not.toHaveBeenCalled(); // nothing left in the way of the new save
    } finally {
      warn.mockRestore();
      await ctx.close();
    }
  });

  it('a model import that fails after its folder is in place leaves no row and no folder; the next one needs no clean-up', async () => {
    const ctx = context();
    const warn = vi.spyOn(log, 'warn').mockImplementation(() => {});
    try {
      process.env.FERROLAB_TEST_FAIL_AT = 'model-save:files-in-place';
      try {
        expect(() => importModel(ctx, bundle, 'x')).toThrow(/injected failure at model-save:files-in-place/);
      } finally {
        delete process.env.FERROLAB_TEST_FAIL_AT;
      }
      expect(createModelsRepo(ctx.db).list()).toEqual([]);
      expect(readdirSync(ctx.paths.models)).toEqual([]);
      expect(importModel(ctx, bundle, 'y').id).toBe(1);
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
      await ctx.close();
    }
  });

  it('migration 008 rebuilds models with AUTOINCREMENT, keeping every row, id and foreign key', () => {
    const file = join(t.dir, 'schema7.sqlite');
    const raw = new Database(file);
    raw.pragma('foreign_keys = ON');
    migrate(raw, migrations.filter((m) => m.version <= 7), file);
    const ins = raw.prepare(
      `INSERT INTO models (id, kind, name, parent_model_id, path, architecture_json, hyper_json, seed, dataset_fingerprint, dataset_json, backend_json, history_json, metrics_json, synthetic, created_at)
       VALUES (?, ?, ?, ?, ?, '{}', '{}', 7, 'fp', '{}', '{}', NULL, '{"mae":0.01}', 0, 't')`,
    );
    ins.run(1, 'carbon-cnn', 'one', null, 'models/1');
    ins.run(2, 'jominy', 'two', null, 'models/jominy-x.json');
    ins.run(5, 'carbon-cnn', 'five', 1, 'models/5');
    raw.exec(`
      INSERT INTO billets (id, name, created_at, updated_at) VALUES (1, 'B', 't', 't');
      INSERT INTO training_runs (kind, model_id, state, params_json, seed, started_at) VALUES ('carbon-cnn', 5, 'done', '{}', 1, 't');
      INSERT INTO design_sessions (name, model_id, target_json, settings_json, seed, created_at, updated_at) VALUES ('s', 2, '{}', '{}', 1, 't', 't');
      INSERT INTO jominy_evaluations (name, model_id, params_json, seed, result_json, created_at) VALUES ('e', 2, '{}', 1, '{}', 't');
      INSERT INTO predicted_maps (billet_id, model_id, stride_mm, patch_count, masked_count, grid_json, points_json, params_json, created_at) VALUES (1, 1, 5, 1, 0, '{}', '[]', '{}', 't');
    `);
    const snapshot = (db: Database.Database) => ({
      models: db.prepare('SELECT * FROM models ORDER BY id').all(),
      runs: db.prepare('SELECT model_id FROM training_runs').all(),
      sessions: db.prepare('SELECT model_id FROM design_sessions').all(),
      evaluations: db.prepare('SELECT model_id FROM jominy_evaluations').all(),
      maps: db.prepare('SELECT model_id FROM predicted_maps').all(),
    });
    const before = snapshot(raw);
    raw.close();

    const { db, schemaVersion } = openDatabase(file);
    try {
      expect(schemaVersion).toBe(latestSchemaVersion);
      // every row and value kept; columns later migrations add (028: scale warnings) come as NULL, not recorded
      const after = snapshot(db);
      expect(after.models.map((r) => (r as { scale_warnings_json: unknown }).scale_warnings_json)).toEqual(before.models.map(() => null));
      expect({ ...after, models: after.models.map((r) => Object.fromEntries(Object.entries(r as object).filter(([k]) => k !== 'scale_warnings_json'))) }).toEqual(before);
      expect(db.pragma('foreign_key_check')).toEqual([]);
      expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
      expect((db.prepare("SELECT sql FROM sqlite_master WHERE name = 'models'").get() as { sql: string }).sql).toMatch(/AUTOINCREMENT/);
      expect(db.prepare("SELECT name FROM sqlite_master WHERE name LIKE 'models_%'").all()).toEqual([]);
      // Deleting the newest model still applies its foreign-key actions, and its id is not handed out again.
      db.prepare('DELETE FROM models WHERE id = 5').run();
      expect(db.prepare('SELECT model_id FROM training_runs').get()).toEqual({ model_id: null });
      const id = createModelsRepo(db).insert(
        { kind: 'carbon-cnn', name: 'new', parentModelId: 1, architecture: {}, hyper: {}, seed: 1, datasetFingerprint: 'f', dataset: {}, backend: {}, history: null, metrics: null, synthetic: false },
        () => {},
      ).id;
      expect(id).toBe(6);
    } finally {
      closeDatabase(db);
    }
  });
});
