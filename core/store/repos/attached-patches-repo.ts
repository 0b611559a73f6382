import type { Database } from 'better-sqlite3';
import { nowIso } from '../tx.js';

export interface AttachedPatchRow {
  id: number;
  billetId: number;
  /** The sampling point's label (case-insensitive key; stored as the point spelled it when attached). */
  label: string;
  contentHash: string;
  originalName: string;
  width: number;
  height: number;
  /** mm per pixel of the captured image (null: not given when attached). */
  mmPerPx: number | null;
  /** The given scale was kept over the images' resolution tag that contradicted it (the user said so on attach). */
  scaleOverTag: boolean;
  createdAt: string;
}

/** What a caller supplies; the repo adds the billet, id and time. */
export type NewAttachedPatch = Omit<AttachedPatchRow, 'id' | 'billetId' | 'createdAt'>;

interface Row {
  id: number;
  billet_id: number;
  point_label: string;
  content_hash: string;
  original_name: string;
  width: number;
  height: number;
  mm_per_px: number | null;
  scale_over_tag: number;
  created_at: string;
}

const toRow = (r: Row): AttachedPatchRow => ({
  id: r.id,
  billetId: r.billet_id,
  label: r.point_label,
  contentHash: r.content_hash,
  originalName: r.original_name,
  width: r.width,
  height: r.height,
  mmPerPx: r.mm_per_px ?? null,
  scaleOverTag: r.scale_over_tag === 1,
  createdAt: r.created_at,
});

/** Patch images attached to sampling points; callers wrap multi-row writes in `inTransaction`. */
export function createAttachedPatchesRepo(db: Database) {
  return {
    list(billetId: number): AttachedPatchRow[] {
      return (db.prepare('SELECT * FROM attached_patches WHERE billet_id = ? ORDER BY point_label').all(billetId) as Row[]).map(toRow);
    },
    /** Makes this the point's one active patch; returns the content hash it replaced (null when it had none). */
    upsert(billetId: number, p: NewAttachedPatch): string | null {
      const old = db.prepare('SELECT content_hash FROM attached_patches WHERE billet_id = ? AND point_label = ?').get(billetId, p.label) as { content_hash: string } | undefined;
      db.prepare(
        `INSERT INTO attached_patches (billet_id, point_label, content_hash, original_name, width, height, mm_per_px, scale_over_tag, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (billet_id, point_label) DO UPDATE SET point_label = excluded.point_label, content_hash = excluded.content_hash,
           original_name = excluded.original_name, width = excluded.width, height = excluded.height, mm_per_px = excluded.mm_per_px, scale_over_tag = excluded.scale_over_tag, created_at = excluded.created_at`,
      ).run(billetId, p.label, p.contentHash, p.originalName, p.width, p.height, p.mmPerPx, p.scaleOverTag ? 1 : 0, nowIso());
      return old ? old.content_hash : null;
    },
    /** Removes the patches of the given labels (all when omitted); returns the removed rows. */
    remove(billetId: number, labels?: readonly string[]): AttachedPatchRow[] {
      const rows = this.list(billetId).filter((r) => !labels || labels.some((l) => l.toLowerCase() === r.label.toLowerCase()));
      const del = db.prepare('DELETE FROM attached_patches WHERE id = ?');
      for (const r of rows) del.run(r.id);
      return rows;
    },
    /** Every content hash some row still uses (to sweep unused files). */
    usedHashes(): Set<string> {
      return new Set((db.prepare('SELECT DISTINCT content_hash AS h FROM attached_patches').all() as { h: string }[]).map((r) => r.h));
    },
  };
}
