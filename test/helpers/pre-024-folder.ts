import Database from 'better-sqlite3';
import sharp from 'sharp';
import type { SyntheticBillet } from '../../core/synth/index.js';

/** A synthetic section's pixels as a "real" scan (no synthetic label) carrying a scanner's resolution tag of `density` px/inch. */
export function taggedScan(b: SyntheticBillet, format: 'png' | 'tiff', density: number): Promise<Buffer> {
  return sharp(b.data, { raw: { width: b.width, height: b.height, channels: 1 } }).withMetadata({ density }).toFormat(format).toBuffer();
}

/**
 * Turns a closed data folder's database back to schema `version` (23–25, or 27): the columns later migrations added
 * are dropped and their versions forgotten, so the next open migrates it as it would a folder an older Ferrolab made.
 * The rows are those an older import wrote: migrations 024–031 only added these columns (task 26-D; 027 the Jominy
 * datasets' below-scale count, which no section test stores; 028/029 the scale warnings of models and maps; 030 the
 * Jominy rows' below-scale marks; 031 the synthetic label of design sessions and evaluations).
 */
export function rewindSchema(dbFile: string, version: 23 | 24 | 25 | 27): void {
  const db = new Database(dbFile);
  try {
    db.transaction(() => {
      db.exec('ALTER TABLE design_sessions DROP COLUMN synthetic');
      db.exec('ALTER TABLE jominy_evaluations DROP COLUMN synthetic');
      db.exec('ALTER TABLE jominy_samples DROP COLUMN below_scale_from');
      db.exec('ALTER TABLE predicted_maps DROP COLUMN scale_warnings_json');
      db.exec('ALTER TABLE models DROP COLUMN scale_warnings_json');
      if (version < 27) db.exec('ALTER TABLE jominy_datasets DROP COLUMN below_scale_json');
      if (version < 26) db.exec('ALTER TABLE images DROP COLUMN tag_read');
      if (version < 25) db.exec('ALTER TABLE attached_patches DROP COLUMN scale_over_tag');
      if (version < 24) db.exec('ALTER TABLE images DROP COLUMN tag_px_per_inch');
      db.prepare('DELETE FROM schema_version WHERE version > ?').run(version);
      db.pragma(`user_version = ${version}`);
    })();
  } finally {
    db.close();
  }
}
