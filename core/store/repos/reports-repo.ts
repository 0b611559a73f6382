import type { Database } from 'better-sqlite3';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { ReportInfo } from '../../api/methods/maps.js';
import { notFound } from '../../api/errors.js';
import { nowIso } from '../tx.js';

interface ReportRow {
  id: number;
  billet_id: number | null;
  kind: string;
  title: string;
  path: string;
  fingerprint: string;
  params_json: string;
  created_at: string;
}

export interface NewReport {
  billetId: number | null;
  kind: string;
  title: string;
  /** Relative to the data folder, '/'-separated. */
  path: string;
  fingerprint: string;
  params: { paper?: string; predictionId?: number | null } & Record<string, unknown>;
}

/** Stored reports (the PDF lives under the data folder's reports/; the row says what made it). */
export function createReportsRepo(db: Database, dataDir: string) {
  const toInfo = (r: ReportRow): ReportInfo => {
    const params = JSON.parse(r.params_json) as { paper?: string; predictionId?: number | null };
    let sizeBytes: number | null = null;
    try {
      sizeBytes = statSync(join(dataDir, r.path)).size;
    } catch {
      sizeBytes = null; // the file was removed by hand; the row still says what it was
    }
    return {
      id: r.id,
      billetId: r.billet_id,
      kind: r.kind,
      title: r.title,
      path: r.path,
      fingerprint: r.fingerprint,
      paper: params.paper ?? null,
      predictionId: params.predictionId ?? null,
      sizeBytes,
      createdAt: r.created_at,
    };
  };
  return {
    create(rep: NewReport): ReportInfo {
      const id = Number(
        db
          .prepare('INSERT INTO reports (billet_id, kind, title, path, fingerprint, params_json, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
          .run(rep.billetId, rep.kind, rep.title, rep.path, rep.fingerprint, JSON.stringify(rep.params), nowIso()).lastInsertRowid,
      );
      return this.get(id);
    },
    get(id: number): ReportInfo {
      const r = db.prepare('SELECT * FROM reports WHERE id = ?').get(id) as ReportRow | undefined;
      if (!r) throw notFound('Report', id);
      return toInfo(r);
    },
    list(billetId?: number): ReportInfo[] {
      const rows = (
        billetId === undefined
          ? db.prepare('SELECT * FROM reports ORDER BY created_at DESC, id DESC').all()
          : db.prepare('SELECT * FROM reports WHERE billet_id = ? ORDER BY created_at DESC, id DESC').all(billetId)
      ) as ReportRow[];
      return rows.map(toInfo);
    },
  };
}
export type ReportsRepo = ReturnType<typeof createReportsRepo>;
