import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openSection, type ProbedImage } from './decode.js';

export const TILE_SIZE = 256;
export const TILE_OVERLAP = 1;
export const THUMB_MAX_SIDE = 512;

/** What the viewer needs to address tiles (from the .dzi written by libvips). */
export interface DziInfo {
  width: number;
  height: number;
  tileSize: number;
  overlap: number;
  format: string;
  /** Deep Zoom levels: level L has size ceil(W / 2^(maxLevel − L)); tiles at `<name>_files/L/col_row.<format>`. */
  maxLevel: number;
}

/**
 * Writes a Deep Zoom pyramid `<dir>/tiles.dzi` + `<dir>/tiles_files/` (JPEG tiles, 8-bit) from the chosen page.
 * libvips streams the source in strips, so a 10 000² scan does not need its full decode in memory.
 */
export async function buildPyramid(file: string, probed: ProbedImage, dir: string, maxPixels?: number): Promise<DziInfo> {
  await openSection(file, probed, maxPixels)
    .flatten({ background: '#000000' })
    .toColourspace(probed.channels >= 3 ? 'srgb' : 'b-w')
    .jpeg({ quality: 88, mozjpeg: false })
    .tile({ size: TILE_SIZE, overlap: TILE_OVERLAP, layout: 'dz', container: 'fs' })
    .toFile(join(dir, 'tiles'));
  return readDzi(join(dir, 'tiles.dzi'));
}

export function readDzi(path: string): DziInfo {
  const xml = readFileSync(path, 'utf8');
  const attr = (name: string) => {
    const m = new RegExp(`${name}="([^"]+)"`).exec(xml);
    if (!m) throw new Error(`${path}: no ${name} attribute`);
    return m[1];
  };
  const width = Number(attr('Width'));
  const height = Number(attr('Height'));
  return {
    width,
    height,
    tileSize: Number(attr('TileSize')),
    overlap: Number(attr('Overlap')),
    format: attr('Format'),
    maxLevel: Math.ceil(Math.log2(Math.max(width, height))),
  };
}

/** A PNG thumbnail fitted inside THUMB_MAX_SIDE px. */
export async function buildThumbnail(file: string, probed: ProbedImage, outFile: string, maxPixels?: number): Promise<{ width: number; height: number }> {
  const info = await openSection(file, probed, maxPixels)
    .flatten({ background: '#000000' })
    .resize({ width: THUMB_MAX_SIDE, height: THUMB_MAX_SIDE, fit: 'inside', withoutEnlargement: true })
    .toColourspace(probed.channels >= 3 ? 'srgb' : 'b-w')
    .png()
    .toFile(outFile);
  return { width: info.width, height: info.height };
}

