import type { Database } from 'better-sqlite3';
import { ApiError } from '../../api/errors.js';
import { phrase } from '../../api/phrase.js';
import type { JominyDataset, JominySampleRow } from '../../api/methods/jominy.js';
import { STANDARD_LAYOUT, type DatasetLayout, type JominySample, type MeasuredAs } from '../../jominy/dataset.js';
import { heatGrades, heatKeys } from '../../jominy/heat-split.js';
import { NO_GRADE } from '../../jominy/dataset-stats.js';
import type { BelowScaleOption } from '../../jominy/csv.js';
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
  layout_json: string | null;
  below_scale_json: string | null;
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
  measured_json: string | null;
  below_scale_from: number | null;
}

/** A dataset stored before layouts existed has the 15 standard distances and every element. */
const layoutOf = (json: string | null): DatasetLayout => (json ? (JSON.parse(json) as DatasetLayout) : { ...STANDARD_LAYOUT, distancesMm: [...STANDARD_LAYOUT.distancesMm], labels: [...STANDARD_LAYOUT.labels], elements: [...STANDARD_LAYOUT.elements] });

/** Distinct heats as counted at import (meta_json.heats); null for a dataset stored before they were counted. */
const storedHeats = (r: DatasetRow): number | null => {
  const v = r.meta_json ? (JSON.parse(r.meta_json) as { heats?: unknown }).heats : undefined;
  return typeof v === 'number' ? v : null;
};

const toDataset = (r: DatasetRow, countHeats: (id: number) => number): JominyDataset => ({
  id: r.id,
  name: r.name,
  source: r.source,
  synthetic: r.synthetic === 1,
  seed: r.seed,
  notes: r.notes,
  createdAt: r.created_at,
  sampleCount: r.n,
  heats: storedHeats(r) ?? countHeats(r.id),
  warnings: r.meta_json ? (JSON.parse(r.meta_json).warnings ?? []) : [],
  layout: layoutOf(r.layout_json),
  // NULL: stored before the count was recorded (migration 027) — "not recorded", never 0
  belowScale: r.below_scale_json ? (JSON.parse(r.below_scale_json) as BelowScaleRecord) : null,
});

/**
 * An element of the dataset this heat did not analyse is stored as JSON null (a gap, never 0) and read back as
 * absent from the heat's chemistry, as the domain code takes it (core/jominy/element-gaps.ts).
 */
const chemistryOf = (json: string): Record<string, number> =>
  Object.fromEntries(Object.entries(JSON.parse(json) as Record<string, number | null>).filter((e): e is [string, number] => typeof e[1] === 'number'));
const chemistryJson = (chemistry: JominySample['chemistry'], elements: readonly string[]): string =>
  JSON.stringify({ ...chemistry, ...Object.fromEntries(elements.filter((el) => typeof (chemistry as Record<string, unknown>)[el] !== 'number').map((el) => [el, null])) });

const toSample = (r: SampleRow): JominySampleRow => ({
  id: r.id,
  lineNo: r.line_no,
  heatId: r.heat_id,
  grade: r.grade,
  grainSize: r.grain_size,
  chemistry: chemistryOf(r.chemistry_json),
  // A missing reading is JSON null (NaN in memory), never 0.
  hardness: (JSON.parse(r.hardness_json) as (number | null)[]).map((v) => (typeof v === 'number' ? v : null)),
  measured: r.measured_json ? (JSON.parse(r.measured_json) as MeasuredAs) : null,
});

const DATASET_SELECT = `SELECT d.*, (SELECT COUNT(*) FROM jominy_samples s WHERE s.dataset_id = d.id) AS n FROM jominy_datasets d`;

export interface NewDataset {
  name: string;
  source: string;
  synthetic: boolean;
  seed: number | null;
  notes: string | null;
  meta: { warnings: unknown[]; [k: string]: unknown };
  /** The dataset's distances and elements (STANDARD_LAYOUT for synthetic data). */
  layout: DatasetLayout;
  samples: JominySample[];
  /** Per distance of the layout: heats read below 20 HRC and left empty, with the import's option. */
  belowScale: BelowScaleRecord;
  /** Per row of `samples`: the layout index from which its cells were left out below 20 HRC (a heat's: its rows' earliest); null: never (csv.ts belowScaleFrom). */
  belowScaleFrom: readonly (number | null)[];
}

/** How the import treated readings below 20 HRC and, per distance, the heats it left out (csv.ts belowScaleLeftOut). */
export interface BelowScaleRecord {
  option: BelowScaleOption;
  heatsLeftOut: number[];
  /** The same per grade (grades with none left out absent); absent from a dataset stored before grades were counted. */
  byGrade?: Record<string, number[]>;
}

/** The rows of the heats whose grade — their first row's (heatGrades), NO_GRADE for none — is `grade`. */
function ofHeatGrade(rows: SampleRow[], grade: string): SampleRow[] {
  const grades = heatGrades(rows, heatKeys(rows.map(sampleKeyOf)));
  return rows.filter((_, i) => (grades[i] ?? NO_GRADE) === grade);
}

const sampleKeyOf = (r: Pick<SampleRow, 'heat_id' | 'grade' | 'chemistry_json'>) => ({ heatId: r.heat_id, grade: r.grade, chemistry: chemistryOf(r.chemistry_json) });

export function createJominyDatasetsRepo(db: Database) {
  // a dataset stored before heats were counted at import: counted from its rows (heat id, grade, chemistry) when read
  const countHeats = (id: number): number => {
    const rows = db.prepare('SELECT heat_id, grade, chemistry_json FROM jominy_samples WHERE dataset_id = ? ORDER BY id').all(id) as Pick<SampleRow, 'heat_id' | 'grade' | 'chemistry_json'>[];
    return new Set(heatKeys(rows.map(sampleKeyOf))).size;
  };
  const repo = {
    /** The dataset row and all its heats, in one transaction. */
    createDataset(d: NewDataset): JominyDataset {
      return inTransaction(db, () => {
        const info = db
          .prepare('INSERT INTO jominy_datasets (name, source, synthetic, seed, notes, created_at, meta_json, layout_json, below_scale_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
          .run(d.name, d.source, d.synthetic ? 1 : 0, d.seed, d.notes, nowIso(), JSON.stringify({ ...d.meta, heats: new Set(heatKeys(d.samples)).size }), JSON.stringify(d.layout), JSON.stringify(d.belowScale));
        if (d.belowScale.heatsLeftOut.length !== d.layout.distancesMm.length) throw new Error(`${d.belowScale.heatsLeftOut.length} below-scale counts for ${d.layout.distancesMm.length} distances`);
        const id = Number(info.lastInsertRowid);
        if (d.belowScaleFrom.length !== d.samples.length) throw new Error(`${d.belowScaleFrom.length} below-scale marks for ${d.samples.length} rows`);
        const ins = db.prepare('INSERT INTO jominy_samples (dataset_id, line_no, heat_id, grade, grain_size, chemistry_json, hardness_json, measured_json, below_scale_from) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
        for (const [k, s] of d.samples.entries()) {
          if (s.hardness.length !== d.layout.distancesMm.length) throw new Error(`a heat has ${s.hardness.length} hardness values for ${d.layout.distancesMm.length} distances`);
          // NaN (not measured) is written as null by JSON.stringify, and read back as NaN: never 0.
          ins.run(id, s.lineNo ?? null, s.heatId, s.grade, s.grainSize, chemistryJson(s.chemistry, d.layout.elements), JSON.stringify(s.hardness), s.measured ? JSON.stringify(s.measured) : null, d.belowScaleFrom[k] ?? -1);
        }
        return repo.getDataset(id);
      });
    },
    listDatasets(): JominyDataset[] {
      return (db.prepare(`${DATASET_SELECT} ORDER BY d.created_at DESC, d.id DESC`).all() as DatasetRow[]).map((r) => toDataset(r, countHeats));
    },
    getDataset(id: number): JominyDataset {
      const r = db.prepare(`${DATASET_SELECT} WHERE d.id = ?`).get(id) as DatasetRow | undefined;
      if (!r) throw ApiError.said('not_found', phrase('jominyErrors.datasetNotFound', { id }));
      return toDataset(r, countHeats);
    },
    datasetMeta(id: number): Record<string, unknown> {
      const r = db.prepare('SELECT meta_json FROM jominy_datasets WHERE id = ?').get(id) as { meta_json: string | null } | undefined;
      if (!r) throw ApiError.said('not_found', phrase('jominyErrors.datasetNotFound', { id }));
      return r.meta_json ? JSON.parse(r.meta_json) : {};
    },
    /**
     * A page of heats; with `grade`, only that grade's heats — a heat's grade is its first row's (heat-split.ts
     * heatGrades), as in the grade statistics and the by-grade split, never each row's own (a row of a heat stored
     * naming another grade, before the import made them one, is shown with its heat).
     */
    samplesPage(id: number, offset: number, limit: number, grade?: string): { total: number; samples: JominySampleRow[] } {
      const ds = repo.getDataset(id);
      if (grade === undefined) {
        const rows = db.prepare('SELECT * FROM jominy_samples WHERE dataset_id = ? ORDER BY id LIMIT ? OFFSET ?').all(id, limit, offset) as SampleRow[];
        return { total: ds.sampleCount, samples: rows.map(toSample) };
      }
      const rows = ofHeatGrade(db.prepare('SELECT * FROM jominy_samples WHERE dataset_id = ? ORDER BY id').all(id) as SampleRow[], grade);
      return { total: rows.length, samples: rows.slice(offset, offset + limit).map(toSample) };
    },
    /** The dataset's rows in order; with `grade`, the rows of that grade's heats (a heat's grade is its first row's). */
    allSamples(id: number, grade?: string): JominySample[] {
      repo.getDataset(id);
      const all = db.prepare('SELECT * FROM jominy_samples WHERE dataset_id = ? ORDER BY id').all(id) as SampleRow[];
      const rows = grade === undefined ? all : ofHeatGrade(all, grade);
      return rows.map((r) => {
        const s = toSample(r);
        return { heatId: s.heatId, grade: s.grade, grainSize: s.grainSize, chemistry: s.chemistry as JominySample['chemistry'], hardness: s.hardness.map((v) => v ?? NaN), measured: s.measured, lineNo: s.lineNo };
      });
    },
    /**
     * Per row, in allSamples' order: the layout index from which its heat was left out below 20 HRC, null: never;
     * null for the whole dataset when it was not recorded per heat (stored before migration 030 with heats left out).
     */
    belowScaleFrom(id: number): (number | null)[] | null {
      repo.getDataset(id);
      const marks = (db.prepare('SELECT below_scale_from FROM jominy_samples WHERE dataset_id = ? ORDER BY id').all(id) as Pick<SampleRow, 'below_scale_from'>[]).map((r) => r.below_scale_from);
      return marks.some((m) => m === null) ? null : marks.map((m) => (m! < 0 ? null : m));
    },
    deleteDataset(id: number): void {
      if (db.prepare('DELETE FROM jominy_datasets WHERE id = ?').run(id).changes === 0) throw ApiError.said('not_found', phrase('jominyErrors.datasetNotFound', { id }));
    },
  };
  return repo;
}

export type JominyDatasetsRepo = ReturnType<typeof createJominyDatasetsRepo>;
