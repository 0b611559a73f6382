import type { Database } from 'better-sqlite3';
import type { Billet } from '../../api/methods/billets.js';
import { ApiError, notFound } from '../../api/errors.js';
import { inTransaction, nowIso } from '../tx.js';
import { phrase } from '../../api/phrase.js';

interface BilletRow {
  id: number;
  name: string;
  steel_grade: string | null;
  heat: string | null;
  nominal_diameter_mm: number;
  casting_notes: string | null;
  bulk_carbon_wt_pct: number | null;
  synthetic: number;
  created_at: string;
  updated_at: string;
  point_count: number;
  reading_count: number;
  image_count: number;
  attached_patch_count: number;
}

export interface BilletInput {
  name: string;
  steelGrade?: string | null;
  heat?: string | null;
  /** Required: a billet's scale follows from it (the column's DEFAULT 600 of migration 001 is never relied on). */
  nominalDiameterMm: number;
  castingNotes?: string | null;
  bulkCarbonWtPct?: number | null;
  synthetic?: boolean;
  syntheticJson?: string | null;
}

const SELECT = `
  SELECT b.*,
    (SELECT COUNT(*) FROM sampling_points p WHERE p.billet_id = b.id) AS point_count,
    (SELECT COUNT(*) FROM carbon_readings r JOIN sampling_points p ON p.id = r.point_id WHERE p.billet_id = b.id) AS reading_count,
    (SELECT COUNT(*) FROM images i WHERE i.billet_id = b.id) AS image_count,
    (SELECT COUNT(*) FROM attached_patches a WHERE a.billet_id = b.id) AS attached_patch_count
  FROM billets b`;

function toBillet(r: BilletRow): Billet {
  return {
    id: r.id,
    name: r.name,
    steelGrade: r.steel_grade,
    heat: r.heat,
    nominalDiameterMm: r.nominal_diameter_mm,
    castingNotes: r.casting_notes,
    bulkCarbonWtPct: r.bulk_carbon_wt_pct,
    synthetic: r.synthetic === 1,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    pointCount: r.point_count,
    readingCount: r.reading_count,
    imageCount: r.image_count,
    attachedPatchCount: r.attached_patch_count,
  };
}

function uniqueName(db: Database, name: string, exceptId?: number): void {
  const row = db.prepare('SELECT id FROM billets WHERE name = ?').get(name) as { id: number } | undefined;
  if (row && row.id !== exceptId) throw ApiError.said('conflict', phrase('errors.store.billetNameTaken', { name }), { field: 'name' });
}

export function createBilletsRepo(db: Database) {
  return {
    list(): Billet[] {
      return (db.prepare(`${SELECT} ORDER BY b.created_at DESC, b.id DESC`).all() as BilletRow[]).map(toBillet);
    },
    get(id: number): Billet {
      const row = db.prepare(`${SELECT} WHERE b.id = ?`).get(id) as BilletRow | undefined;
      if (!row) throw notFound('Billet', id);
      return toBillet(row);
    },
    findByName(name: string): Billet | undefined {
      const row = db.prepare(`${SELECT} WHERE b.name = ?`).get(name) as BilletRow | undefined;
      return row ? toBillet(row) : undefined;
    },
    create(input: BilletInput): Billet {
      return inTransaction(db, () => {
        uniqueName(db, input.name);
        const now = nowIso();
        const info = db
          .prepare(
            `INSERT INTO billets (name, steel_grade, heat, nominal_diameter_mm, casting_notes, bulk_carbon_wt_pct, synthetic, synthetic_json, created_at, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(
            input.name,
            input.steelGrade ?? null,
            input.heat ?? null,
            input.nominalDiameterMm,
            input.castingNotes ?? null,
            input.bulkCarbonWtPct ?? null,
            input.synthetic ? 1 : 0,
            input.syntheticJson ?? null,
            now,
            now,
          );
        return this.get(Number(info.lastInsertRowid));
      });
    },
    update(id: number, patch: Partial<BilletInput>): Billet {
      return inTransaction(db, () => {
        this.get(id);
        if (patch.name !== undefined) uniqueName(db, patch.name, id);
        const cols: Record<string, unknown> = {
          name: patch.name,
          steel_grade: patch.steelGrade,
          heat: patch.heat,
          nominal_diameter_mm: patch.nominalDiameterMm,
          casting_notes: patch.castingNotes,
          bulk_carbon_wt_pct: patch.bulkCarbonWtPct,
        };
        const set = Object.entries(cols).filter(([, v]) => v !== undefined);
        if (set.length) {
          db.prepare(`UPDATE billets SET ${set.map(([k]) => `${k} = ?`).join(', ')}, updated_at = ? WHERE id = ?`).run(
            ...set.map(([, v]) => v),
            nowIso(),
            id,
          );
        }
        return this.get(id);
      });
    },
    delete(id: number): void {
      const info = db.prepare('DELETE FROM billets WHERE id = ?').run(id);
      if (info.changes === 0) throw notFound('Billet', id);
    },
    syntheticInfo(id: number): unknown {
      const row = db.prepare('SELECT synthetic_json FROM billets WHERE id = ?').get(id) as { synthetic_json: string | null } | undefined;
      if (!row) throw notFound('Billet', id);
      return row.synthetic_json ? JSON.parse(row.synthetic_json) : null;
    },
  };
}
export type BilletsRepo = ReturnType<typeof createBilletsRepo>;
