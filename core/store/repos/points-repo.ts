import type { Database } from 'better-sqlite3';
import type { Reading, SamplingPoint } from '../../api/methods/segregation.js';
import { ApiError, notFound } from '../../api/errors.js';
import { replicateStats } from '../../segregation/carbon-values.js';
import { inTransaction } from '../tx.js';
import { phrase } from '../../api/phrase.js';

interface PointRow {
  id: number;
  billet_id: number;
  label: string;
  x_mm: number;
  y_mm: number;
  source: string;
  sort_order: number;
}

interface ReadingRow {
  id: number;
  point_id: number;
  carbon_wt_pct: number;
  replicate_no: number;
  analyzer: string | null;
  operator: string | null;
  measured_at: string | null;
  source: string;
}

export interface NewPoint {
  label: string;
  xMm: number;
  yMm: number;
}

export interface EditedPoint extends NewPoint {
  /** Existing point to move/rename; absent for an added one. */
  id?: number;
}

export const toReading = (r: ReadingRow): Reading => ({
  id: r.id,
  replicateNo: r.replicate_no,
  carbonWtPct: r.carbon_wt_pct,
  analyzer: r.analyzer,
  operator: r.operator,
  measuredAt: r.measured_at,
  source: r.source,
});

function toPoint(p: PointRow, readings: ReadingRow[]): SamplingPoint {
  const rs = readings.sort((a, b) => a.replicate_no - b.replicate_no).map(toReading);
  const st = replicateStats(rs.map((r) => r.carbonWtPct));
  return { id: p.id, label: p.label, xMm: p.x_mm, yMm: p.y_mm, source: p.source, sortOrder: p.sort_order, readings: rs, n: st.n, meanWtPct: st.mean, sdWtPct: st.sd };
}

/** Sampling points of billets, each with its carbon readings aggregated. */
export function createPointsRepo(db: Database) {
  const requireBillet = (billetId: number) => {
    if (!db.prepare('SELECT 1 FROM billets WHERE id = ?').get(billetId)) throw notFound('Billet', billetId);
  };
  const touch = (billetId: number) => db.prepare('UPDATE billets SET updated_at = ? WHERE id = ?').run(new Date().toISOString(), billetId);
  const insert = (billetId: number, p: NewPoint, source: string, order: number) =>
    Number(
      db.prepare('INSERT INTO sampling_points (billet_id, label, x_mm, y_mm, source, sort_order) VALUES (?, ?, ?, ?, ?, ?)')
        .run(billetId, p.label, p.xMm, p.yMm, source, order).lastInsertRowid,
    );
  const readingCountOf = (pointIds: number[]): number => {
    if (!pointIds.length) return 0;
    const row = db.prepare(`SELECT COUNT(*) AS n FROM carbon_readings WHERE point_id IN (${pointIds.map(() => '?').join(',')})`).get(...pointIds) as { n: number };
    return row.n;
  };
  const checkLabels = (pts: readonly NewPoint[]) => {
    const seen = new Set<string>();
    pts.forEach((p, i) => {
      const k = p.label.toLowerCase();
      if (seen.has(k)) throw ApiError.said('invalid_argument', phrase('errors.store.labelTwice', { label: p.label }), { field: `points.${i}.label` });
      seen.add(k);
    });
  };

  const repo = {
    list(billetId: number): SamplingPoint[] {
      requireBillet(billetId);
      const pts = db.prepare('SELECT * FROM sampling_points WHERE billet_id = ? ORDER BY sort_order, id').all(billetId) as PointRow[];
      const rs = db
        .prepare('SELECT r.* FROM carbon_readings r JOIN sampling_points p ON p.id = r.point_id WHERE p.billet_id = ?')
        .all(billetId) as ReadingRow[];
      const by = new Map<number, ReadingRow[]>();
      for (const r of rs) {
        const list = by.get(r.point_id);
        if (list) list.push(r);
        else by.set(r.point_id, [r]);
      }
      return pts.map((p) => toPoint(p, by.get(p.id) ?? []));
    },
    get(billetId: number, label: string): SamplingPoint {
      const p = db.prepare('SELECT * FROM sampling_points WHERE billet_id = ? AND label = ?').get(billetId, label) as PointRow | undefined;
      if (!p) throw ApiError.said('not_found', phrase('errors.store.noPoint', { billet: String(billetId), label }), { field: 'label' });
      const rs = db.prepare('SELECT * FROM carbon_readings WHERE point_id = ?').all(p.id) as ReadingRow[];
      return toPoint(p, rs);
    },
    labels(billetId: number): string[] {
      return (db.prepare('SELECT label FROM sampling_points WHERE billet_id = ? ORDER BY sort_order, id').all(billetId) as { label: string }[]).map((r) => r.label);
    },
    readingCount(billetId: number): number {
      const row = db
        .prepare('SELECT COUNT(*) AS n FROM carbon_readings r JOIN sampling_points p ON p.id = r.point_id WHERE p.billet_id = ?')
        .get(billetId) as { n: number };
      return row.n;
    },
    /**
     * Replaces all points of a billet by a fresh layout, in one transaction. Existing readings would be
     * deleted with their points, so that needs `confirmReplace`.
     */
    replaceAll(billetId: number, pts: readonly NewPoint[], source: string, confirmReplace: boolean): SamplingPoint[] {
      checkLabels(pts);
      return inTransaction(db, () => {
        requireBillet(billetId);
        const n = repo.readingCount(billetId);
        if (n > 0 && !confirmReplace) {
          throw ApiError.said('failed_precondition', n === 1 ? phrase('errors.store.layoutDeletesOne') : phrase('errors.store.layoutDeletes', { n }), {
            field: 'confirmReplace',
            details: { readingCount: n },
          });
        }
        db.prepare('DELETE FROM sampling_points WHERE billet_id = ?').run(billetId);
        pts.forEach((p, i) => insert(billetId, p, source, i + 1));
        touch(billetId);
        return repo.list(billetId);
      });
    },
    /**
     * Moves one point: one UPDATE of its row (and the billet's updated_at), nothing else rewritten — a drag
     * must not cost a write of every point. A point that changes position becomes 'edited', as in saveSet.
     */
    /**
     * Changes one point — its label and/or position — in one row: its readings (keyed by the point's id) and
     * every other point stay as they are. A new label may not be another point's (case-insensitive).
     */
    patch(billetId: number, label: string, set: { label?: string; xMm?: number; yMm?: number }): SamplingPoint {
      return inTransaction(db, () => {
        requireBillet(billetId);
        const p = repo.get(billetId, label);
        const next = { label: set.label ?? p.label, xMm: set.xMm ?? p.xMm, yMm: set.yMm ?? p.yMm };
        if (next.label === p.label && next.xMm === p.xMm && next.yMm === p.yMm) return p;
        if (next.label.toLowerCase() !== p.label.toLowerCase()) {
          const clash = db.prepare('SELECT 1 FROM sampling_points WHERE billet_id = ? AND lower(label) = lower(?)').get(billetId, next.label);
          if (clash) throw ApiError.said('invalid_argument', phrase('errors.store.labelTaken', { label: next.label }), { field: 'set.label' });
        }
        db.prepare("UPDATE sampling_points SET label = ?, x_mm = ?, y_mm = ?, source = 'edited' WHERE id = ?").run(next.label, next.xMm, next.yMm, p.id);
        touch(billetId);
        return repo.get(billetId, next.label);
      });
    },
    move(billetId: number, label: string, xMm: number, yMm: number): SamplingPoint {
      return inTransaction(db, () => {
        requireBillet(billetId);
        const p = repo.get(billetId, label);
        if (p.xMm === xMm && p.yMm === yMm) return p;
        db.prepare("UPDATE sampling_points SET x_mm = ?, y_mm = ?, source = 'edited' WHERE id = ?").run(xMm, yMm, p.id);
        touch(billetId);
        return repo.get(billetId, label);
      });
    },
    /**
     * Saves an edited point set (the UI's undo/redo works on whole sets): points with an id are
     * moved/renamed, points without one are added, points of the billet not in the set are deleted —
     * which, for points with readings, needs `confirmDeleteReadings`.
     */
    saveSet(billetId: number, pts: readonly EditedPoint[], confirmDeleteReadings: boolean): SamplingPoint[] {
      checkLabels(pts);
      return inTransaction(db, () => {
        requireBillet(billetId);
        const current = db.prepare('SELECT * FROM sampling_points WHERE billet_id = ?').all(billetId) as PointRow[];
        const byId = new Map(current.map((p) => [p.id, p]));
        pts.forEach((p, i) => {
          if (p.id !== undefined && !byId.has(p.id)) {
            throw ApiError.said('not_found', phrase('errors.store.pointOfOtherBillet', { id: String(p.id), label: p.label, billet: String(billetId) }), { field: `points.${i}.id` });
          }
        });
        const kept = new Set(pts.filter((p) => p.id !== undefined).map((p) => p.id!));
        const removed = current.filter((p) => !kept.has(p.id));
        const lost = readingCountOf(removed.map((p) => p.id));
        if (lost > 0 && !confirmDeleteReadings) {
          const labels = removed.map((p) => p.label);
          throw ApiError.said('failed_precondition', lost === 1 ? phrase('errors.store.deleteLosesOne', { labels: labels.join(', ') }) : phrase('errors.store.deleteLoses', { labels: labels.join(', '), n: lost }), {
            field: 'confirmDeleteReadings',
            details: { readingCount: lost, labels },
          });
        }
        const del = db.prepare('DELETE FROM sampling_points WHERE id = ?');
        for (const p of removed) del.run(p.id);
        // Labels may be swapped between kept points: park them first so UNIQUE(billet_id, label) holds.
        const park = db.prepare('UPDATE sampling_points SET label = ? WHERE id = ?');
        for (const id of kept) park.run(`\u0000tmp-${id}`, id);
        const upd = db.prepare('UPDATE sampling_points SET label = ?, x_mm = ?, y_mm = ?, sort_order = ?, source = CASE WHEN x_mm = ? AND y_mm = ? THEN source ELSE ? END WHERE id = ?');
        pts.forEach((p, i) => {
          if (p.id !== undefined) upd.run(p.label, p.xMm, p.yMm, i + 1, p.xMm, p.yMm, 'edited', p.id);
          else insert(billetId, p, 'added', i + 1);
        });
        touch(billetId);
        return repo.list(billetId);
      });
    },
  };
  return repo;
}
export type PointsRepo = ReturnType<typeof createPointsRepo>;
