import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import type { ImageRecord } from '../../api/methods/images.js';
import { notFound } from '../../api/errors.js';
import { inTransaction, nowIso } from '../tx.js';
import { resolveImagingSettings, type ImagingSettings } from '../../imaging/settings.js';
import { TILE_OVERLAP, TILE_SIZE, type DziInfo } from '../../imaging/pyramid.js';
import type { Circle, CircleSource } from '../../imaging/types.js';
import type { ImportedSection } from '../../imaging/import-section.js';
import { log } from '../../runtime/log.js';
import { scaleContradiction, trustedResolutionTag } from '../../imaging/resolution-tag.js';

interface ImageRow {
  id: number;
  billet_id: number;
  content_hash: string;
  original_name: string;
  format: string;
  width: number;
  height: number;
  channels: number | null;
  bit_depth: number | null;
  significant_bits: number | null;
  mm_per_px: number | null;
  circle_cx_px: number | null;
  circle_cy_px: number | null;
  circle_r_px: number | null;
  circle_source: string | null;
  created_at: string;
  page: number;
  pages: number;
  auto_circle_json: string | null;
  patch_settings_json: string | null;
  nominal_diameter_mm: number;
  tag_px_per_inch: number | null;
  tag_read: TagRead;
}

/** Whether the section's file was read for its resolution tag (migration 026). */
export type TagRead = 'pending' | 'read' | 'unreadable';

const SELECT = 'SELECT i.*, b.nominal_diameter_mm FROM images i JOIN billets b ON b.id = i.billet_id';

/**
 * Image rows. The section's files live in `images/<content_hash>/` (see core/imaging/import-section.ts); the DZI
 * geometry is read from the folder's manifest, falling back to the pyramid constants.
 */
export function createImagesRepo(db: Database, imagesDir: string) {
  const dziOf = (r: ImageRow): DziInfo => {
    const manifest = join(imagesDir, r.content_hash, 'section.json');
    if (existsSync(manifest)) {
      try {
        const m = JSON.parse(readFileSync(manifest, 'utf8')) as { dzi?: DziInfo };
        if (m.dzi) return m.dzi;
      } catch (err) {
        // fall through to the constants: the manifest is advisory for the viewer
        log.warn('images', 'unreadable section manifest; the viewer uses the standard tiling', { imageId: r.id, manifest, err });
      }
    }
    return { width: r.width, height: r.height, tileSize: TILE_SIZE, overlap: TILE_OVERLAP, format: 'jpeg', maxLevel: Math.ceil(Math.log2(Math.max(r.width, r.height))) };
  };
  const toRecord = (r: ImageRow): ImageRecord => {
    const rel = `images/${r.content_hash}`;
    const circle = r.circle_r_px !== null && r.circle_cx_px !== null && r.circle_cy_px !== null ? { cx: r.circle_cx_px, cy: r.circle_cy_px, r: r.circle_r_px } : null;
    const mmPerPx = circle ? r.nominal_diameter_mm / (2 * circle.r) : r.mm_per_px;
    // stored only when believed at import; the rule is applied again so a stored value can never bypass it
    const resolutionTag = r.tag_px_per_inch !== null ? trustedResolutionTag({ density: r.tag_px_per_inch, resolutionUnit: 'inch' }) : null;
    return {
      id: r.id,
      billetId: r.billet_id,
      contentHash: r.content_hash,
      originalName: r.original_name,
      format: r.format,
      width: r.width,
      height: r.height,
      channels: r.channels,
      bitDepth: r.bit_depth,
      significantBits: r.significant_bits ?? null,
      page: r.page ?? 0,
      pages: r.pages ?? 1,
      circle,
      circleSource: (r.circle_source as CircleSource | null) ?? null,
      autoCircle: r.auto_circle_json ? (JSON.parse(r.auto_circle_json) as Circle) : null,
      nominalDiameterMm: r.nominal_diameter_mm,
      mmPerPx,
      resolutionTag,
      resolutionTagRead: r.tag_read,
      scaleWarning: circle && mmPerPx !== null ? scaleContradiction({ mmPerPx, nominalDiameterMm: r.nominal_diameter_mm, rimRadiusPx: circle.r }, resolutionTag) : null,
      dziRel: `${rel}/tiles.dzi`,
      tilesRel: `${rel}/tiles_files`,
      thumbRel: `${rel}/thumb.png`,
      dzi: dziOf(r),
      settings: resolveImagingSettings(r.patch_settings_json ? (JSON.parse(r.patch_settings_json) as Partial<ImagingSettings>) : null),
      createdAt: r.created_at,
    };
  };
  const repo = {
    get(id: number): ImageRecord {
      const r = db.prepare(`${SELECT} WHERE i.id = ?`).get(id) as ImageRow | undefined;
      if (!r) throw notFound('Image', id);
      return toRecord(r);
    },
    /** The billet's current section (the newest row), or null. */
    forBillet(billetId: number): ImageRecord | null {
      const r = db.prepare(`${SELECT} WHERE i.billet_id = ? ORDER BY i.id DESC LIMIT 1`).get(billetId) as ImageRow | undefined;
      return r ? toRecord(r) : null;
    },
    /**
     * What the CNN's section reader needs of the billet's newest row: its file, rim and the patch side the
     * image's settings ask for (`patch.sizeMm`, the default physical patch of a model trained on it).
     */
    cnnSource(billetId: number): { contentHash: string; circle: Circle | null; settingsSizeMm: number | null } | null {
      const r = db.prepare('SELECT content_hash, circle_cx_px, circle_cy_px, circle_r_px, patch_settings_json FROM images WHERE billet_id = ? ORDER BY id DESC LIMIT 1').get(billetId) as
        | Pick<ImageRow, 'content_hash' | 'circle_cx_px' | 'circle_cy_px' | 'circle_r_px' | 'patch_settings_json'>
        | undefined;
      if (!r) return null;
      const circle = r.circle_r_px !== null && r.circle_cx_px !== null && r.circle_cy_px !== null ? { cx: r.circle_cx_px, cy: r.circle_cy_px, r: r.circle_r_px } : null;
      // Settings are stored as ImagingSettings: the patch side is under `patch` (an old reader looked for a
      // top-level `sizeMm` that was never written, so every model cut native pixels).
      const stored = r.patch_settings_json ? (JSON.parse(r.patch_settings_json) as { patch?: { sizeMm?: number | null } }) : {};
      return { contentHash: r.content_hash, circle, settingsSizeMm: stored.patch?.sizeMm ?? null };
    },
    /** The billet's newest calibrated section (what a map underlay is drawn from), or null. */
    latestCalibrated(billetId: number): { contentHash: string; width: number; circle: Circle } | null {
      const r = db
        .prepare('SELECT content_hash, width, circle_cx_px, circle_cy_px, circle_r_px FROM images WHERE billet_id = ? AND circle_r_px IS NOT NULL ORDER BY id DESC LIMIT 1')
        .get(billetId) as { content_hash: string; width: number; circle_cx_px: number; circle_cy_px: number; circle_r_px: number } | undefined;
      return r ? { contentHash: r.content_hash, width: r.width, circle: { cx: r.circle_cx_px, cy: r.circle_cy_px, r: r.circle_r_px } } : null;
    },
    /** Inserts the row for an imported section; call inside the caller's transaction. */
    insert(billetId: number, s: ImportedSection, nominalDiameterMm: number, circle: { circle: Circle; source: CircleSource } | null, settings?: ImagingSettings): number {
      const c = circle?.circle ?? null;
      return Number(
        db
          .prepare(
            `INSERT INTO images (billet_id, content_hash, original_name, format, width, height, channels, bit_depth, significant_bits, mm_per_px,
               circle_cx_px, circle_cy_px, circle_r_px, circle_source, created_at, page, pages, auto_circle_json, patch_settings_json, tag_px_per_inch, tag_read)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'read')`,
          )
          .run(
            billetId, s.contentHash, s.originalName, s.format, s.width, s.height, s.channels, s.bitDepth, s.significantBits,
            c ? nominalDiameterMm / (2 * c.r) : null, c?.cx ?? null, c?.cy ?? null, c?.r ?? null, circle?.source ?? null,
            nowIso(), s.page, s.pages, s.circle ? JSON.stringify(s.circle) : null, settings ? JSON.stringify(settings) : null,
            s.resolutionTag?.pxPerInch ?? null,
          ).lastInsertRowid,
      );
    },
    /** The sections not yet read for their resolution tag (migration 026), oldest first: the background sweep's list. */
    tagPendingIds(): number[] {
      return db.prepare("SELECT id FROM images WHERE tag_read = 'pending' ORDER BY id").pluck().all() as number[];
    },
    /** The stored file of a section not yet read for its resolution tag (migration 026), or null when it was. */
    tagPending(id: number): { contentHash: string; page: number } | null {
      const r = db.prepare("SELECT content_hash, page FROM images WHERE id = ? AND tag_read = 'pending'").get(id) as { content_hash: string; page: number } | undefined;
      return r ? { contentHash: r.content_hash, page: r.page ?? 0 } : null;
    },
    /**
     * Stores what the file's header said (a believed tag's px/inch, or null for none) or that it could not be read —
     * once: only a row still pending changes, in one transaction, so two readers of the same section store one answer.
     * True when this call stored it.
     */
    storeTagRead(id: number, read: { readable: true; pxPerInch: number | null } | { readable: false }, opts: { busyWaitMs?: number } = {}): boolean {
      const store = () => inTransaction(db, () =>
        read.readable
          ? db.prepare("UPDATE images SET tag_px_per_inch = ?, tag_read = 'read' WHERE id = ? AND tag_read = 'pending'").run(read.pxPerInch, id).changes === 1
          : db.prepare("UPDATE images SET tag_read = 'unreadable' WHERE id = ? AND tag_read = 'pending'").run(id).changes === 1,
      );
      if (opts.busyWaitMs === undefined) return store();
      // a shorter wait for the write lock than the connection's, for this store only (better-sqlite3 waits synchronously,
      // so nothing else runs on this connection before the timeout is put back)
      const before = db.pragma('busy_timeout', { simple: true }) as number;
      db.pragma(`busy_timeout = ${Math.max(0, Math.round(opts.busyWaitMs))}`);
      try {
        return store();
      } finally {
        db.pragma(`busy_timeout = ${before}`);
      }
    },
    setCircle(id: number, circle: Circle, source: CircleSource): ImageRecord {
      const rec = repo.get(id);
      db.prepare('UPDATE images SET circle_cx_px = ?, circle_cy_px = ?, circle_r_px = ?, circle_source = ?, mm_per_px = ? WHERE id = ?').run(
        circle.cx, circle.cy, circle.r, source, rec.nominalDiameterMm / (2 * circle.r), id,
      );
      return repo.get(id);
    },
    setSettings(id: number, settings: ImagingSettings): ImageRecord {
      repo.get(id);
      db.prepare('UPDATE images SET patch_settings_json = ? WHERE id = ?').run(JSON.stringify(settings), id);
      return repo.get(id);
    },
    /** All image rows of a billet (replaced on re-import). */
    idsForBillet(billetId: number): Array<{ id: number; contentHash: string }> {
      return (db.prepare('SELECT id, content_hash FROM images WHERE billet_id = ?').all(billetId) as Array<{ id: number; content_hash: string }>).map((r) => ({ id: r.id, contentHash: r.content_hash }));
    },
    deleteRow(id: number): void {
      db.prepare('DELETE FROM images WHERE id = ?').run(id);
    },
    /** How many rows still use a stored section folder (it is removed only when none does). */
    hashUseCount(contentHash: string): number {
      return (db.prepare('SELECT COUNT(*) AS n FROM images WHERE content_hash = ?').get(contentHash) as { n: number }).n;
    },
  };
  return repo;
}
export type ImagesRepo = ReturnType<typeof createImagesRepo>;
