import { createHash } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, copyFileSync, renameSync, rmSync, writeFileSync, readFileSync, utimesSync } from 'node:fs';
import { basename, join } from 'node:path';
import { checkSignificantBits, decodeGreyPreview, probeImage, refuseLowBitRange, DEFAULT_MAX_PIXELS, type ProbedImage } from './decode.js';
import { buildPyramid, buildThumbnail, type DziInfo } from './pyramid.js';
import { detectCircle, judgeRimFit, type RimFitRefusal } from './circle.js';
import { calibrate } from './calibration.js';
import { readResolutionTag, type ResolutionTag } from './resolution-tag.js';
import { ownedTempName } from '../runtime/temp-leftovers.js';
import type { Calibration, Circle } from './types.js';
import { fixed, phrase, type Phrase } from '../api/phrase.js';

export interface ImportSectionOptions {
  /** The data folder's `images/` directory. */
  imagesDir: string;
  /** The file to import (an upload in tmp, or a path given on the CLI). */
  file: string;
  /** The name the user knows the file by (for messages and records). */
  originalName?: string;
  maxPixels?: number;
  /** The billet's nominal diameter (mm): with the rim it gives the section's mm per px. Never assumed. */
  nominalDiameterMm: number;
  /** Declared significant bits of a 16-bit file (checked against the data; stored in the manifest and the row). */
  significantBits?: number;
  signal?: AbortSignal;
  onProgress?: (fraction: number, message: Phrase) => void;
}

/** The probed image facts (format, size, depth, pages) plus where the stored section lives. */
export interface ImportedSection extends Omit<ProbedImage, 'significantBits'> {
  /**
   * The stored section's key (its folder `images/<key>`): the file's sha256, or with declared significant bits the
   * sha256 of that and the bits — the same bytes read with other bits are other pixels, in a folder of their own.
   */
  contentHash: string;
  /** Declared significant bits, or null (read as stored). */
  significantBits: number | null;
  /** Folder relative to the data folder, `images/<hash>`. */
  relDir: string;
  /** Paths relative to the data folder (for `fileUrl`). */
  sourceRel: string;
  dziRel: string;
  thumbRel: string;
  originalName: string;
  dzi: DziInfo;
  /**
   * Automatic rim detection; null when no circular outline was found, or when the fit was refused (`rimRefused`): the
   * user then gives the rim by hand in Annotate (three rim points).
   */
  circle: Circle | null;
  /** The automatic fit's statistics (also of a refused fit); null: nothing circle-like was found. */
  circleFit: { inliers: number; total: number; rmsResidualPx: number } | null;
  /**
   * Why the automatic fit was not taken (core/imaging/circle.ts `judgeRimFit`: too few rim points on the circle, or
   * most of it outside the image); null: taken, or none found. A refused fit calibrates nothing: a wrong mm/px would
   * size every patch, pore and map of the section without a word.
   */
  rimRefused: RimFitRefusal | null;
  calibration: Calibration | null;
  /** The file's resolution tag when it is believed (core/imaging/resolution-tag.ts), compared with the calibration. */
  resolutionTag: ResolutionTag | null;
  /** False when the same bytes were already stored: the folder was reused, nothing new was written. */
  created: boolean;
}

interface Manifest {
  version: 1;
  contentHash: string;
  /** The source file's sha256 (contentHash unless significant bits were declared). */
  fileSha256?: string;
  sourceFile: string;
  probed: ProbedImage;
  dzi: DziInfo;
  circle: Circle | null;
  circleFit: ImportedSection['circleFit'];
}

/** Why an automatic rim was not taken, in words (the CLI's line, the Annotate view's alert). */
export function rimRefusedPhrase(r: RimFitRefusal): Phrase {
  return phrase('scale.autoRimRefused', { inliers: r.inliers, total: r.total, share: fixed(100 * r.onCircle, 0), outside: fixed(100 * r.outside, 0) });
}

export async function sha256File(file: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(file)) h.update(chunk as Buffer);
  return h.digest('hex');
}

const EXT: Record<ProbedImage['format'], string> = { png: '.png', jpeg: '.jpg', tiff: '.tif' };

/**
 * Imports an etched section: checks the header (format, pixel limit), stores the original bytes under
 * `images/<sha256>/`, builds a Deep Zoom pyramid and a thumbnail, and finds the rim. All files are written into
 * a private staging folder that is renamed into place only when everything succeeded, so a failure or
 * cancellation leaves nothing behind. Identical bytes imported twice share one folder.
 *
 * The database row is the caller's job; if that fails, call `discardImportedSection` for a `created` result.
 */
export async function importSection(opts: ImportSectionOptions): Promise<ImportedSection> {
  const name = opts.originalName ?? basename(opts.file);
  const maxPixels = opts.maxPixels ?? DEFAULT_MAX_PIXELS;
  const progress = opts.onProgress ?? (() => {});
  progress(0, phrase('jobs.sections.header'));
  const header = await probeImage(opts.file, { maxPixels, displayName: name, refuseTurned: true });
  const bits = opts.significantBits;
  // the brightest sample as stored, read once for both checks (a stream over the whole image: gigabytes at the limit)
  const storedMax = bits !== undefined ? await checkSignificantBits(opts.file, header, bits, { maxPixels, displayName: name }) : undefined;
  const probed: ProbedImage = bits !== undefined ? { ...header, significantBits: bits } : header;
  opts.signal?.throwIfAborted();
  progress(0.05, phrase('jobs.sections.hashing'));
  const fileSha256 = await sha256File(opts.file);
  const hash = bits !== undefined ? createHash('sha256').update(`${fileSha256}\nsignificant bits ${bits}`).digest('hex') : fileSha256;
  const relDir = `images/${hash}`;
  const finalDir = join(opts.imagesDir, hash);
  const sourceFile = `source${EXT[probed.format]}`;
  let manifest: Manifest | null = null;
  let created = false;
  if (existsSync(join(finalDir, 'section.json'))) {
    // The folder may be an earlier version's import of the same bytes, made before 16-bit low-range data was refused:
    // reusing it must not let those bytes past the check (nothing is stored when it refuses; the folder is theirs).
    await refuseLowBitRange(opts.file, probed, 0, { maxPixels, displayName: name, storedMax });
    manifest = JSON.parse(readFileSync(join(finalDir, 'section.json'), 'utf8')) as Manifest;
    // Reused — perhaps the folder of an earlier import killed before its rows committed. Touching it tells the
    // orphan sweep (which only takes folders untouched for an hour) that an import is about to use it.
    touch(finalDir);
  } else {
    mkdirSync(opts.imagesDir, { recursive: true });
    const staging = join(opts.imagesDir, ownedTempName('.staging-'));
    mkdirSync(staging);
    try {
      copyFileSync(opts.file, join(staging, sourceFile));
      const src = join(staging, sourceFile);
      opts.signal?.throwIfAborted();
      progress(0.1, phrase('jobs.sections.pixels'));
      // Decoding a preview reads every pixel once: truncated/corrupt files fail here, before the slow pyramid.
      const preview = await decodeGreyPreview(src, probed, 1024, { maxPixels, displayName: name });
      await refuseLowBitRange(src, probed, preview.image.data.reduce((m, v) => (v > m ? v : m), 0), { maxPixels, displayName: name, storedMax });
      opts.signal?.throwIfAborted();
      progress(0.2, phrase('jobs.sections.rim'));
      const det = detectCircle(preview.image);
      const s = preview.scale;
      const circle = det ? { cx: (det.circle.cx + 0.5) * s - 0.5, cy: (det.circle.cy + 0.5) * s - 0.5, r: det.circle.r * s } : null;
      opts.signal?.throwIfAborted();
      progress(0.3, phrase('jobs.sections.pyramid'));
      const dzi = await buildPyramid(src, probed, staging, maxPixels);
      opts.signal?.throwIfAborted();
      progress(0.9, phrase('jobs.sections.thumbnail'));
      await buildThumbnail(src, probed, join(staging, 'thumb.png'), maxPixels);
      manifest = {
        version: 1,
        contentHash: hash,
        fileSha256,
        sourceFile,
        probed,
        dzi,
        circle,
        circleFit: det ? { inliers: det.inliers, total: det.total, rmsResidualPx: det.rmsResidual * s } : null,
      };
      writeFileSync(join(staging, 'section.json'), JSON.stringify(manifest, null, 2));
      opts.signal?.throwIfAborted();
      if (existsSync(join(finalDir, 'section.json'))) {
        // The same bytes finished importing concurrently: keep theirs (identical content), drop ours.
        rmSync(staging, { recursive: true, force: true });
      } else {
        if (existsSync(finalDir)) rmSync(finalDir, { recursive: true, force: true }); // a folder without manifest is debris
        renameSync(staging, finalDir);
        created = true;
      }
    } catch (err) {
      rmSync(staging, { recursive: true, force: true });
      throw err;
    }
  }
  const m = manifest!;
  // the header again, not the pixels: also for a reused folder (whose manifest, perhaps older, does not hold it)
  const resolutionTag = await readResolutionTag(opts.file, m.probed.page);
  const nominal = opts.nominalDiameterMm;
  // judged here, not at detection: a folder stored by an earlier version (same bytes imported again) is judged too
  const rimRefused = m.circle && m.circleFit ? judgeRimFit(m.circleFit, m.circle, m.probed.width, m.probed.height) : null;
  const circle = rimRefused ? null : m.circle;
  progress(1, phrase('jobs.sections.imported'));
  return {
    contentHash: hash,
    relDir,
    sourceRel: `${relDir}/${m.sourceFile}`,
    dziRel: `${relDir}/tiles.dzi`,
    thumbRel: `${relDir}/thumb.png`,
    originalName: name,
    format: m.probed.format,
    width: m.probed.width,
    height: m.probed.height,
    channels: m.probed.channels,
    bitDepth: m.probed.bitDepth,
    significantBits: m.probed.significantBits ?? null,
    pages: m.probed.pages,
    page: m.probed.page,
    dzi: m.dzi,
    circle,
    circleFit: m.circleFit,
    rimRefused,
    calibration: circle ? calibrate(circle, nominal) : null,
    resolutionTag,
    created,
  };
}

/**
 * The stored source file of the section folder `images/<contentHash>/` (its manifest names it). Throws when the
 * manifest is missing or damaged.
 */
export function storedSectionSource(imagesDir: string, contentHash: string): string {
  const m = JSON.parse(readFileSync(join(imagesDir, contentHash, 'section.json'), 'utf8')) as Partial<Manifest>;
  if (typeof m.sourceFile !== 'string' || basename(m.sourceFile) !== m.sourceFile) throw new Error(`the section manifest of ${contentHash} names no source file`);
  return join(imagesDir, contentHash, m.sourceFile);
}

function touch(dir: string): void {
  const now = new Date();
  try {
    utimesSync(dir, now, now);
  } catch {
    // advisory only
  }
}

/** Removes a freshly created section folder (when the caller's database write failed). */
export function discardImportedSection(imagesDir: string, imported: Pick<ImportedSection, 'contentHash' | 'created'>): void {
  if (imported.created) rmSync(join(imagesDir, imported.contentHash), { recursive: true, force: true });
}

/** Probe data of a stored section (for decoding it again for patches). */
export function storedSectionProbe(imagesDir: string, contentHash: string): { file: string; probed: ProbedImage } {
  const dir = join(imagesDir, contentHash);
  const m = JSON.parse(readFileSync(join(dir, 'section.json'), 'utf8')) as Manifest;
  return { file: join(dir, m.sourceFile), probed: m.probed };
}

