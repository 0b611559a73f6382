import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import type { ServiceContext } from '../context.js';
import { createImagesRepo } from '../../store/repos/images-repo.js';
import type { Underlay } from '../shared/underlay.js';

/**
 * The billet's latest calibrated section as an underlay for its map: the thumbnail (enough under a map) with
 * the rim circle scaled from full-resolution pixels to the thumbnail's. Null when there is none.
 */
export async function sectionUnderlay(ctx: ServiceContext, billetId: number): Promise<Underlay | null> {
  const row = createImagesRepo(ctx.db, ctx.paths.images).latestCalibrated(billetId);
  if (!row) return null;
  const dir = join(ctx.paths.images, row.contentHash);
  const file = ['thumb.png', 'thumb.jpg', 'thumb.webp'].map((name) => join(dir, name)).find((f) => existsSync(f));
  if (!file) return null;
  const full = row.width;
  const image = readFileSync(file);
  const meta = await sharp(image).metadata();
  const k = (meta.width ?? full) / full; // thumbnail px per full-resolution px
  return { image, circle: { cx: row.circle.cx * k, cy: row.circle.cy * k, r: row.circle.r * k } };
}
