import type { Database } from 'better-sqlite3';
import type { Circle, DetectedPore, PoreDetectorSettings } from '../../imaging/index.js';
import { nowIso } from '../tx.js';

interface Row {
  content_hash: string;
  detection_key: string;
  width: number;
  height: number;
  mm_per_px: number;
  circle_json: string;
  min_diameter_mm: number;
  pore_count: number;
  area_fraction: number;
  pores_json: string;
  settings_json: string;
  mask_rle: Buffer;
  seconds: number;
  created_at: string;
}

export interface StoredPoreDetection {
  contentHash: string;
  detectionKey: string;
  width: number;
  height: number;
  mmPerPx: number;
  circle: Circle;
  minDiameterMm: number;
  poreCount: number;
  areaFraction: number;
  pores: DetectedPore[];
  settings: PoreDetectorSettings;
  /** Run-length coded mask (core/imaging/mask-rle.ts). */
  maskRle: Uint8Array;
  /** Detector wall time, s. */
  seconds: number;
  createdAt: string;
}

const toStored = (r: Row): StoredPoreDetection => ({
  contentHash: r.content_hash,
  detectionKey: r.detection_key,
  width: r.width,
  height: r.height,
  mmPerPx: r.mm_per_px,
  circle: JSON.parse(r.circle_json) as Circle,
  minDiameterMm: r.min_diameter_mm,
  poreCount: r.pore_count,
  areaFraction: r.area_fraction,
  pores: JSON.parse(r.pores_json) as DetectedPore[],
  settings: JSON.parse(r.settings_json) as PoreDetectorSettings,
  maskRle: new Uint8Array(r.mask_rle.buffer, r.mask_rle.byteOffset, r.mask_rle.byteLength),
  seconds: r.seconds,
  createdAt: r.created_at,
});

/** Pore detections per section content hash and detection key (migration 014). */
export function createPoreDetectionsRepo(db: Database) {
  return {
    get(contentHash: string, detectionKey: string): StoredPoreDetection | null {
      const r = db.prepare('SELECT * FROM pore_detections WHERE content_hash = ? AND detection_key = ?').get(contentHash, detectionKey) as Row | undefined;
      return r ? toStored(r) : null;
    },
    /** Forgets every detection of a section's pixels (its last image row is gone). */
    removeHash(contentHash: string): void {
      db.prepare('DELETE FROM pore_detections WHERE content_hash = ?').run(contentHash);
    },
    /** One statement: a detection is stored whole or not at all; a second writer of the same key changes nothing. */
    put(d: Omit<StoredPoreDetection, 'createdAt'>): void {
      db.prepare(
        `INSERT OR IGNORE INTO pore_detections (content_hash, detection_key, width, height, mm_per_px, circle_json, min_diameter_mm, pore_count, area_fraction, pores_json, settings_json, mask_rle, seconds, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        d.contentHash,
        d.detectionKey,
        d.width,
        d.height,
        d.mmPerPx,
        JSON.stringify(d.circle),
        d.minDiameterMm,
        d.poreCount,
        d.areaFraction,
        JSON.stringify(d.pores),
        JSON.stringify(d.settings),
        Buffer.from(d.maskRle.buffer, d.maskRle.byteOffset, d.maskRle.byteLength),
        d.seconds,
        nowIso(),
      );
    },
  };
}
