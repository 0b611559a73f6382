import { afterAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { migrate, migrations } from '../../../core/store/index.js';
import { createJominyDatasetsRepo } from '../../../core/store/repos/jominy-datasets-repo.js';
import { DISTANCES_MM, ELEMENTS } from '../../../core/jominy/elements.js';
import { tempDir } from '../../helpers/temp.js';

const { dir, cleanup } = tempDir('ferrolab-jominy-migration-');
afterAll(cleanup);

describe('migration 017 (Jominy dataset layout)', () => {
  it('reads a dataset stored before layouts as the 15 standard distances and 15 elements; stores a missing reading as null and reads it as missing', () => {
    const db = new Database(join(dir, 'f.sqlite'));
    migrate(db, migrations.filter((m) => m.version <= 11), 'f.sqlite');
    db.prepare("INSERT INTO jominy_datasets (name, source, synthetic, created_at, meta_json) VALUES ('old', 'csv:old.csv', 0, 'x', '{\"warnings\":[]}')").run();
    const chem = Object.fromEntries(ELEMENTS.map((el) => [el, 0.01]));
    db.prepare('INSERT INTO jominy_samples (dataset_id, heat_id, grade, chemistry_json, hardness_json) VALUES (1, ?, ?, ?, ?)').run('H1', '4140', JSON.stringify(chem), JSON.stringify(DISTANCES_MM.map((_, i) => 58 - i)));
    migrate(db, migrations, 'f.sqlite');
    const repo = createJominyDatasetsRepo(db);
    const old = repo.getDataset(1);
    expect(old.layout).toEqual({ distancesMm: [...DISTANCES_MM], labels: DISTANCES_MM.map((d) => `J${d}`), unit: 'mm', elements: [...ELEMENTS] });
    expect(repo.allSamples(1)[0].hardness).toEqual(DISTANCES_MM.map((_, i) => 58 - i));
    const layout = { distancesMm: [1.5875, 3.175, 6.35], labels: ['J1', 'J2', 'J4'], unit: 'sixteenths' as const, elements: ['C' as const, 'Mn' as const] };
    const ds = repo.createDataset({
      name: 'new', source: 'csv:new.csv', synthetic: false, seed: null, notes: null, meta: { warnings: [] }, layout,
      samples: [{ heatId: 'P1', grade: 'A', grainSize: null, chemistry: { C: 0.4, Mn: 0.8 }, hardness: [55, NaN, 50], measured: { converted: [false, false, true], front: [55, null, 513], back: null } }],
      belowScale: { option: 'empty', heatsLeftOut: [0, 1, 0] },
      belowScaleFrom: [1],
    });
    expect(ds.layout).toEqual(layout);
    // the per-distance count of heats left out below 20 HRC is stored with the dataset and read back (migration 027);
    // a dataset stored before it has none recorded: null, not 0
    expect(repo.getDataset(ds.id).belowScale).toEqual({ option: 'empty', heatsLeftOut: [0, 1, 0] });
    expect(old.belowScale).toBeNull();
    expect((db.prepare('SELECT hardness_json FROM jominy_samples WHERE dataset_id = ?').get(ds.id) as { hardness_json: string }).hardness_json).toBe('[55,null,50]');
    expect(repo.allSamples(ds.id)[0]).toMatchObject({ chemistry: { C: 0.4, Mn: 0.8 }, hardness: [55, NaN, 50], measured: { converted: [false, false, true] } });
    expect(repo.samplesPage(ds.id, 0, 10).samples[0].hardness).toEqual([55, null, 50]);
    expect(repo.samplesPage(ds.id, 0, 10, 'B')).toEqual({ total: 0, samples: [] });
    expect(repo.allSamples(ds.id, 'A')).toHaveLength(1);
    db.close();
  });
});

describe('migration 030 (which heats were left out below 20 HRC, per row)', () => {
  it('a dataset stored before it is recorded per heat only where its counts say no heat was left out; a new import stores each row\'s mark', () => {
    const db = new Database(join(dir, 'g.sqlite'));
    migrate(db, migrations.filter((m) => m.version <= 27), 'g.sqlite');
    const chem = JSON.stringify({ C: 0.4 });
    const add = (name: string, belowScale: string | null) => {
      const id = Number(db.prepare("INSERT INTO jominy_datasets (name, source, synthetic, created_at, meta_json, below_scale_json) VALUES (?, 'csv:x.csv', 0, 'x', '{\"warnings\":[]}', ?)").run(name, belowScale).lastInsertRowid);
      for (const h of ['H1', 'H2']) db.prepare('INSERT INTO jominy_samples (dataset_id, heat_id, grade, chemistry_json, hardness_json) VALUES (?, ?, ?, ?, ?)').run(id, h, 'A', chem, JSON.stringify(DISTANCES_MM.map((_, i) => 50 - i)));
      return id;
    };
    const none = add('none', JSON.stringify({ option: 'empty', heatsLeftOut: DISTANCES_MM.map(() => 0) }));
    const some = add('some', JSON.stringify({ option: 'empty', heatsLeftOut: DISTANCES_MM.map((_, i) => (i === 14 ? 1 : 0)) }));
    const unknown = add('unknown', null);
    migrate(db, migrations, 'g.sqlite');
    const repo = createJominyDatasetsRepo(db);
    expect([repo.belowScaleFrom(none), repo.belowScaleFrom(some), repo.belowScaleFrom(unknown)]).toEqual([[null, null], null, null]);
    const layout = { distancesMm: [1.5, 50], labels: ['J1.5', 'J50'], unit: 'mm' as const, elements: ['C' as const] };
    const ds = repo.createDataset({
      name: 'new', source: 'csv:new.csv', synthetic: false, seed: null, notes: null, meta: { warnings: [] }, layout,
      samples: [{ heatId: 'P1', grade: 'A', grainSize: null, chemistry: { C: 0.4 }, hardness: [55, NaN] }, { heatId: 'P2', grade: 'A', grainSize: null, chemistry: { C: 0.5 }, hardness: [56, 30] }],
      belowScale: { option: 'empty', heatsLeftOut: [0, 1] },
      belowScaleFrom: [1, null],
    });
    expect(repo.belowScaleFrom(ds.id)).toEqual([1, null]);
    db.close();
  });
});
