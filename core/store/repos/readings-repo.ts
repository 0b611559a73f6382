import type { Database } from 'better-sqlite3';
import { ApiError } from '../../api/errors.js';
import { appendedReplicateNo, carbonProblem, MAX_CARBON_WT_PCT, MAX_REPLICATES } from '../../segregation/carbon-values.js';
import { phrase, plain } from '../../api/phrase.js';
import { inTransaction, nowIso } from '../tx.js';

export interface ReadingMeta {
  analyzer?: string | null;
  operator?: string | null;
  measuredAt?: string | null;
}

export interface ImportedReading extends ReadingMeta {
  label: string;
  replicateNo: number;
  carbonWtPct: number;
  /** Line of the source file, for error messages. */
  line?: number;
}

/** Carbon readings (wt.%) of sampling points; every multi-row write is one transaction. */
export function createReadingsRepo(db: Database) {
  const pointId = (billetId: number, label: string): number => {
    const row = db.prepare('SELECT id FROM sampling_points WHERE billet_id = ? AND label = ?').get(billetId, label) as { id: number } | undefined;
    if (!row) throw ApiError.said('not_found', phrase('errors.store.noPoint', { billet: String(billetId), label }), { field: 'label' });
    return row.id;
  };
  const insertStmt = () =>
    db.prepare(
      `INSERT INTO carbon_readings (point_id, carbon_wt_pct, replicate_no, analyzer, operator, measured_at, source, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
  const touch = (billetId: number) => db.prepare('UPDATE billets SET updated_at = ? WHERE id = ?').run(nowIso(), billetId);
  const check = (v: number, where: string) => {
    const p = carbonProblem(v);
    if (p) throw new ApiError('invalid_argument', `${where}: ${p}`);
  };

  /** A typed value (the Annotate view's cell) refused in the user's language, naming the point and which value. */
  const checkTyped = (v: number, label: string, n: number) => {
    // 0 is what an analyser shows for an empty or failed burn, never a steel's carbon (the CSV import refuses it too)
    if (v === 0) throw ApiError.said('invalid_argument', phrase('errors.readings.valueZero', { label, n }), { field: 'values' });
    if (!carbonProblem(v)) return;
    const said = !Number.isFinite(v)
      ? phrase('errors.readings.valueNotNumber', { label, n })
      : v < 0
        ? phrase('errors.readings.valueNegative', { label, n, value: plain(v) })
        : phrase('errors.readings.valueAbove', { label, n, value: plain(v), max: plain(MAX_CARBON_WT_PCT) });
    throw ApiError.said('invalid_argument', said, { field: 'values' });
  };

  return {
    /** Replaces the point's replicates by `values` (replicates 1…n). */
    setValues(billetId: number, label: string, values: readonly number[], meta: ReadingMeta = {}, source = 'manual'): void {
      if (values.length < 1 || values.length > MAX_REPLICATES) throw ApiError.said('invalid_argument', phrase('errors.readings.valueCount', { max: MAX_REPLICATES }), { field: 'values' });
      values.forEach((v, i) => checkTyped(v, label, i + 1));
      inTransaction(db, () => {
        const id = pointId(billetId, label);
        db.prepare('DELETE FROM carbon_readings WHERE point_id = ?').run(id);
        const ins = insertStmt();
        const now = nowIso();
        values.forEach((v, i) => ins.run(id, v, i + 1, meta.analyzer ?? null, meta.operator ?? null, meta.measuredAt ?? null, source, now));
        touch(billetId);
      });
    },
    clear(billetId: number, label: string): void {
      inTransaction(db, () => {
        db.prepare('DELETE FROM carbon_readings WHERE point_id = ?').run(pointId(billetId, label));
        touch(billetId);
      });
    },
    /**
     * Writes a whole parsed file at once. `replace`: each point in the file ends up with exactly the
     * file's replicates; `append`: they are numbered after the replicates the point already has, marked or not (a
     * label's mark orders burns within its file, parseReadingsCsv). Any failure rolls everything back.
     */
    importRows(billetId: number, rows: readonly ImportedReading[], mode: 'replace' | 'append', source: string): { imported: number; points: number } {
      rows.forEach((r) => check(r.carbonWtPct, r.line ? `line ${r.line}` : r.label));
      return inTransaction(db, () => {
        const ids = new Map<string, number>();
        for (const r of rows) if (!ids.has(r.label)) ids.set(r.label, pointId(billetId, r.label));
        const stored = new Map<number, number[]>();
        for (const id of ids.values()) {
          if (mode === 'replace') {
            db.prepare('DELETE FROM carbon_readings WHERE point_id = ?').run(id);
            stored.set(id, []);
          } else {
            const rows = db.prepare('SELECT replicate_no AS n FROM carbon_readings WHERE point_id = ?').all(id) as { n: number }[];
            stored.set(id, rows.map((x) => x.n));
          }
        }
        const ins = insertStmt();
        const now = nowIso();
        for (const r of rows) {
          const id = ids.get(r.label)!;
          const rep = appendedReplicateNo(r.replicateNo, stored.get(id)!);
          if (rep > MAX_REPLICATES) throw ApiError.said('invalid_argument', r.line ? phrase('errors.readings.tooManyReplicatesLine', { line: r.line, label: r.label, max: MAX_REPLICATES }) : phrase('errors.readings.tooManyReplicates', { label: r.label, max: MAX_REPLICATES }));
          ins.run(id, r.carbonWtPct, rep, r.analyzer ?? null, r.operator ?? null, r.measuredAt ?? null, source, now);
        }
        touch(billetId);
        return { imported: rows.length, points: ids.size };
      });
    },
  };
}
export type ReadingsRepo = ReturnType<typeof createReadingsRepo>;
