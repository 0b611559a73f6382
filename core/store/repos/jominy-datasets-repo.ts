import type { Database } from 'better-sqlite3';
import { notFound } from '../../api/errors.js';
import type { JominyDataset, JominySampleRow } from '../../api/methods/jominy.js';
import type { JominySample } from '../../jominy/dataset.js';
import { inTransaction, nowIso } from '../tx.js';

/**
 * SQL for `jominy_datasets` and its heats in `jominy_samples`. The heats are owned by their dataset (inserted
 * with it in one transaction, deleted with it by ON DELETE CASCADE), so the two tables share this one repo.
 */

interface DatasetRow {
  id: number;
  name: string;
  source: string;
  synthetic: number;
  seed: number | null;
  notes: string | null;
  created_at: string;
  meta_json: string | null;
  n: number;
}

interface SampleRow {
  id: number;
  line_no: number | null;
  heat_id: string | null;
  grade: string | null;
  grain_size: number | null;
  chemistry_json: string;
  hardness_json: string;
}

const toDataset = (r: DatasetRow): JominyDataset => ({
  id: r.id,
  name: r.name,
  source: r.source,
  synthetic: r.synthetic === 1,
  seed: r.seed,
  notes: r.notes,
  createdAt: r.created_at,
  sampleCount: r.n,
  warnings: r.meta_json ? (JSON.parse(r.meta_json).warnings ?? []) : [],
});

const toSample = (r: SampleRow): JominySampleRow => ({
  id: r.id,
  lineNo: r.line_no,
  heatId: r.heat_id,
  grade: r.grade,
  grainSize: r.grain_size,
  chemistry: JSON.parse(r.chemistry_json),
  hardness: JSON.parse(r.hardness_json),
});

const DATASET_SELECT = `SELECT d.*, (SELECT COUNT(*) FROM jominy_samples s WHERE s.dataset_id = d.id) AS n FROM jominy_datasets d`;

export interface NewDataset {
  name: string;
  source: string;
  synthetic: boolean;
  seed: number | null;
  notes: string | null;
  meta: { warnings: unknown[]; [k: string]: unknown };
  samples: JominySample[];
}

export function createJominyDatasetsRepo(db: Database) {
  const repo = {
    /** The dataset row and all its heats, in one transaction. */
    createDataset(d: NewDataset): JominyDataset {
      return inTransaction(db, () => {
        const info = db
          .prepare('INSERT INTO jominy_datasets (name, source, synthetic, seed, notes, created_at, meta_json) VALUES (?, ?, ?, ?, ?, ?, ?)')
          .run(d.name, d.source, d.synthetic ? 1 : 0, d.seed, d.notes, nowIso(), JSON.stringify(d.meta));
        const id = Number(info.lastInsertRowid);
        const ins = db.prepare('INSERT INTO jominy_samples (dataset_id, line_no, heat_id, grade, grain_size, chemistry_json, hardness_json) VALUES (?, ?, ?, ?, ?, ?, ?)');
        for (const s of d.samples) ins.run(id, s.lineNo ?? null, s.heatId, s.grade, s.grainSize, JSON.stringify(s.chemistry), JSON.stringify(s.hardness));
        return repo.getDataset(id);
      });
    },
    listDatasets(): JominyDataset[] {
      return (db.prepare(`${DATASET_SELECT} ORDER BY d.created_at DESC, d.id DESC`).all() as DatasetRow[]).map(toDataset);
    },
    getDataset(id: number): JominyDataset {
      const r = db.prepare(`${DATASET_SELECT} WHERE d.id = ?`).get(id) as DatasetRow | undefined;
      if (!r) throw notFound('Jominy dataset', id);
      return toDataset(r);
    },
    datasetMeta(id: number): Record<string, unknown> {
      const r = db.prepare('SELECT meta_json FROM jominy_datasets WHERE id = ?').get(id) as { meta_json: string | null } | undefined;
      if (!r) throw notFound('Jominy dataset', id);
      return r.meta_json ? JSON.parse(r.meta_json) : {};
    },
    samplesPage(id: number, offset: number, limit: number): { total: number; samples: JominySampleRow[] } {
      const total = repo.getDataset(id).sampleCount;
      const rows = db.prepare('SELECT * FROM jominy_samples WHERE dataset_id = ? ORDER BY id LIMIT ? OFFSET ?').all(id, limit, offset) as SampleRow[];
      return { total, samples: rows.map(toSample) };
    },
    allSamples(id: number): JominySample[] {
      repo.getDataset(id);
      return (db.prepare('SELECT * FROM jominy_samples WHERE dataset_id = ? ORDER BY id').all(id) as SampleRow[]).map((r) => {
        const s = toSample(r);
        return { heatId: s.heatId, grade: s.grade, grainSize: s.grainSize, chemistry: s.chemistry as JominySample['chemistry'], hardness: s.hardness, lineNo: s.lineNo };
      });
    },
    deleteDataset(id: number): void {
      if (db.prepare('DELETE FROM jominy_datasets WHERE id = ?').run(id).changes === 0) throw notFound('Jominy dataset', id);
    },
  };
  return repo;
}

export type JominyDatasetsRepo = ReturnType<typeof createJominyDatasetsRepo>;
