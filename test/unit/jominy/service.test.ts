import { describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DISTANCES_MM, ELEMENTS } from '../../../core/jominy/elements.js';
import { a255CoversAll, strongestBaseline } from '../../../core/jominy/baselines.js';
import { jominyServiceSession } from '../../helpers/jominy-service.js';
import { generateSynthetic } from '../../../core/jominy/synth.js';
import { writeJominyCsv } from '../../../core/jominy/csv.js';

// The service is built from explicit deps (repos, paths, jobs, bus, uploads), with no AppContext: what the
// composition root does. The contract end to end is test/unit/jominy/api.test.ts.
const uploadFiles = new Map<string, string>();
const { dir, db, events, jobs, repos, paths, svc } = jominyServiceSession({ uploads: uploadFiles });

const dataChanged = (entity: string) => events.filter((e) => e.type === 'data-changed' && e.entity === entity).map((e) => (e as { id: number }).id);

describe('JominyService built from explicit deps', () => {
  it('imports a CSV upload: a refused file stores nothing; a good one is stored and announced once', () => {
    const header = ['heat_id', ...ELEMENTS, ...DISTANCES_MM.map((d) => `J${d}`)].join(',');
    const row = (b: string) => ['H1', 0.4, 0.8, 0.25, 0.01, 0.02, 0.1, 1, 0.1, 0.2, b, 0, 0, 0.01, 0.02, 0, 58, 57, 52, 45, 38, 34, 32, 30, 28, 26, 25, 24, 23, 22, 21].join(',');
    writeFileSync(join(dir, 'bad.csv'), `${header}\n${row('25')}\n`);
    writeFileSync(join(dir, 'good.csv'), `${header}\n${row('0.002')}\n`);
    uploadFiles.set('bad', join(dir, 'bad.csv'));
    uploadFiles.set('good', join(dir, 'good.csv'));
    expect(() => svc.datasets.importCsv({ uploadId: 'bad', name: 'bad.csv' })).toThrow(/ppm/);
    expect(svc.datasets.list()).toEqual([]);
    const ds = svc.datasets.importCsv({ uploadId: 'good', name: 'good.csv' });
    expect(ds).toMatchObject({ name: 'good', source: 'csv:good.csv', sampleCount: 1, synthetic: false });
    expect(dataChanged('jominy-dataset')).toEqual([ds.id]);
  });

  it('trains through the job manager: the predictor file and its row land together, and delete removes both', async () => {
    const ds = svc.datasets.synth({ n: 60, seed: 4 });
    const job = svc.predictors.train({ datasetId: ds.id, seed: 1, maxHidden: 2, epochs: 5 });
    const end = await jobs.wait(job.id);
    expect(end.state).toBe('done');
    const { modelId } = end.result as { modelId: number };
    const row = repos.models.getModel(modelId);
    expect(row.path).toMatch(/^models\/jominy-[0-9a-f-]+\.json$/);
    expect(existsSync(join(dir, row.path))).toBe(true);
    expect(svc.predictors.get(modelId)).toMatchObject({ id: modelId, datasetId: ds.id, seed: 1 });
    expect(dataChanged('jominy-model')).toEqual([modelId]);
    svc.predictors.remove(modelId);
    expect(existsSync(join(dir, row.path))).toBe(false);
    expect(svc.predictors.list()).toEqual([]);
  });
});

describe('baselines and skill through the service', () => {
  it('stores the split and the baselines with the model; a predictor trained before them says it has none', async () => {
    const ds = svc.datasets.synth({ n: 60, seed: 5 });
    const end = await jobs.wait(svc.predictors.train({ datasetId: ds.id, seed: 1, maxHidden: 2, epochs: 5, split: 'by-grade' }).id);
    expect(end.state).toBe('done');
    const { modelId, skill } = end.result as { modelId: number; skill: number };
    const d = svc.predictors.get(modelId);
    expect(d).toMatchObject({ splitMode: 'by-grade', skill, baselines: { split: 'by-grade', fallbackHeats: d.splitHeats!.test, testHeats: d.splitHeats!.test, testRows: d.split.test } });
    // the skill stated is over the baseline the model beats by least, whichever it is
    const o = d.baselines!.overall.skill;
    expect(skill).toBe(Math.min(...[o.vsTrainMean, o.vsGradeMean, o.vsA255].filter((v): v is number => v !== null)));
    expect(d.baselines!.strongest).toBe(strongestBaseline(o, a255CoversAll(d.baselines!.points)));
    expect(svc.predictors.list().find((m) => m.id === modelId)).toMatchObject({ splitMode: 'by-grade', skill });

    // As written before baselines existed: no skill in the file or the row, no split mode.
    const row = repos.models.getModel(modelId);
    const file = JSON.parse(readFileSync(join(dir, row.path), 'utf8'));
    delete file.metrics.skill;
    delete file.split.mode;
    writeFileSync(join(dir, row.path), JSON.stringify(file));
    const metrics = JSON.parse(row.metrics_json!);
    delete metrics.skill;
    delete metrics.split.mode;
    db.prepare('UPDATE models SET metrics_json = ?, created_at = ? WHERE id = ?').run(JSON.stringify(metrics), '2020-01-01T00:00:00.000Z', modelId);
    expect(svc.predictors.get(modelId)).toMatchObject({ splitMode: 'random', skill: null, baselines: null });
  });

  it('refuses a by-grade split where heats have no grade', () => {
    // 36: the gate's minimum at the default fractions, by grade too (task 27-C)
    const heats = generateSynthetic({ n: 36, seed: 2 }).map((h) => ({ ...h, grade: null }));
    writeFileSync(join(dir, 'nogrades.csv'), writeJominyCsv(heats, { synthetic: 'no grades' }));
    uploadFiles.set('nogrades', join(dir, 'nogrades.csv'));
    const ds = svc.datasets.importCsv({ uploadId: 'nogrades', name: 'nogrades.csv' });
    expect(() => svc.predictors.train({ datasetId: ds.id, seed: 1, split: 'by-grade' })).toThrow('a by-grade split needs a grade on every heat: 36 heats of "nogrades" have none');
  });
});

describe('jominy models repo: a file placed with its row', () => {
  const model = { name: 'm', path: 'models/x.json', architecture: [], hyper: {}, seed: 1, fingerprint: 'f', dataset: {}, backend: { name: 'b' }, history: [], metrics: {}, synthetic: true };

  it('places the file inside the row’s write transaction (the lock the open-time sweep of models/ takes)', () => {
    let inside = false;
    const id = repos.models.insertModelWithFile(model, () => {
      inside = db.inTransaction;
      mkdirSync(paths.models, { recursive: true });
    });
    expect(inside).toBe(true);
    expect(repos.models.getModel(id).name).toBe('m');
    repos.models.deleteModel(id);
  });

  it('commits no row when placing the file fails', () => {
    const before = repos.models.listModels().length;
    expect(() => repos.models.insertModelWithFile(model, () => {
      throw new Error('disk full');
    })).toThrow('disk full');
    expect(repos.models.listModels()).toHaveLength(before);
  });
});
