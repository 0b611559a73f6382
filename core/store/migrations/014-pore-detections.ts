import type { Migration } from './migration.js';

/**
 * Pores found on a section (issue 11 §4), stored per image CONTENT HASH and detection key (detector version,
 * settings, rim circle and mm/px: a recalibrated rim is a new detection), so the same pixels are never searched
 * twice — a re-imported copy of a section reuses its pores. The pores are JSON; the mask is run-length coded
 * (core/imaging/mask-rle.ts). No foreign key: the row belongs to pixels, not to one billet or image row.
 */
export const m014PoreDetections: Migration = {
  version: 14,
  name: 'pore detections',
  up: (db) => {
    db.exec(`
      CREATE TABLE pore_detections (
        content_hash TEXT NOT NULL,
        detection_key TEXT NOT NULL,
        width INTEGER NOT NULL,
        height INTEGER NOT NULL,
        mm_per_px REAL NOT NULL,
        circle_json TEXT NOT NULL,
        min_diameter_mm REAL NOT NULL,
        pore_count INTEGER NOT NULL,
        area_fraction REAL NOT NULL,
        pores_json TEXT NOT NULL,
        settings_json TEXT NOT NULL,
        mask_rle BLOB NOT NULL,
        seconds REAL NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (content_hash, detection_key)
      );
    `);
  },
};
