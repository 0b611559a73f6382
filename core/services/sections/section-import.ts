import { createPoreDetectionsRepo } from '../../store/repos/pore-detections-repo.js';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ServiceContext } from '../context.js';
import { type ImageRecord } from '../../api/methods/images.js';
import { ApiError } from '../../api/errors.js';
import type { JobControl } from '../../jobs/index.js';
import { inTransaction } from '../../store/tx.js';
import type { BilletInput } from '../../store/repos/billets-repo.js';
import type { Billet } from '../../api/methods/billets.js';
import { testHook } from '../../runtime/test-hooks.js';
import { createImagesRepo } from '../../store/repos/images-repo.js';
import { importSection, discardImportedSection, rimRefusedPhrase, DEFAULT_MAX_PIXELS, type ImportedSection } from '../../imaging/index.js';
import { phrase, type Phrase } from '../../api/phrase.js';

/**
 * Importing a section: staging (core/imaging/import-section), the rows written in one transaction after the files
 * are in place, the pixel limit, and the sweep of section folders no row uses.
 */

export const imagesRepo = (ctx: ServiceContext) => createImagesRepo(ctx.db, ctx.paths.images);

export const MAX_PIXELS_KEY = 'imaging.maxPixels';
/** The configured import pixel limit (Settings), else DEFAULT_MAX_PIXELS (20 000² px). */
export const maxPixelsOf = (ctx: ServiceContext): number => ctx.repos.settings.get<number>(MAX_PIXELS_KEY) ?? DEFAULT_MAX_PIXELS;

/** Removes stored section folders that no image row uses any more. */
export function removeUnusedSections(ctx: ServiceContext, hashes: readonly string[]): void {
  const repo = imagesRepo(ctx);
  for (const h of new Set(hashes)) {
    if (repo.hashUseCount(h) !== 0) continue;
    rmSync(join(ctx.paths.images, h), { recursive: true, force: true });
    createPoreDetectionsRepo(ctx.db).removeHash(h); // the pores of pixels no billet holds any more
  }
}

/**
 * A section folder no row uses and untouched for this long is left by an import killed between renaming its
 * files into place and committing its rows. A live import spends milliseconds in that window (and re-checks
 * its folder under the write lock, below), so an hour leaves every running import alone.
 */
export const ORPHAN_SECTION_AGE_MS = 60 * 60 * 1000;

const SECTION_DIR = /^[0-9a-f]{64}$/;

/**
 * Removes section folders (`images/<sha256>/`) that no image row uses and that are older than `olderThanMs`.
 * The check and the move out of the way happen under the write lock, the deletion after it: an import that
 * reuses such a folder checks it again under the same lock before its rows commit (`commitSectionRows`), so
 * the two can never both believe they won. Returns the hashes removed.
 */
export function sweepOrphanSections(ctx: ServiceContext, olderThanMs = ORPHAN_SECTION_AGE_MS, now = Date.now()): string[] {
  let names: string[];
  try {
    names = readdirSync(ctx.paths.images).filter((n) => SECTION_DIR.test(n));
  } catch {
    return [];
  }
  const old = names.filter((n) => {
    try {
      return now - statSync(join(ctx.paths.images, n)).mtimeMs >= olderThanMs;
    } catch {
      return false;
    }
  });
  if (!old.length) return [];
  const repo = imagesRepo(ctx);
  const moved = inTransaction(ctx.db, () =>
    old.flatMap((h) => {
      if (repo.hashUseCount(h) > 0) return [];
      const aside = join(ctx.paths.images, `.staging-orphan-${randomBytes(6).toString('hex')}`);
      try {
        renameSync(join(ctx.paths.images, h), aside);
        return [{ h, aside }];
      } catch {
        return [];
      }
    }),
  );
  // Killed here, the `.staging-*` names are swept by sweepStaleStaging at a later open.
  for (const m of moved) rmSync(m.aside, { recursive: true, force: true });
  return moved.map((m) => m.h);
}

/** Housekeeping after an import committed: its failure (say, another process holds the lock) must not fail the import. */
function sweepOrphansAfterCommit(ctx: ServiceContext): void {
  try {
    sweepOrphanSections(ctx);
  } catch {
    // the next import sweeps again
  }
}

/**
 * Runs `write` — the rows that make a stored section some billet's image — in one IMMEDIATE transaction, after
 * checking, under the write lock, that the section's folder is still there (an orphan sweep in another process
 * may have taken a folder this import was reusing). If the rows do not commit, files this import created are
 * removed; if the process dies before the commit, the folder stays for the next import of the same bytes to
 * reuse, or for `sweepOrphanSections`.
 */
function commitSectionRows<T>(ctx: ServiceContext, imported: ImportedSection, write: () => T, before?: () => void): T {
  try {
    before?.();
    return inTransaction(ctx.db, () => {
      if (!existsSync(join(ctx.paths.images, imported.contentHash, 'section.json'))) {
        throw ApiError.said('unavailable', phrase('errors.sections.filesRemoved', { name: imported.originalName }));
      }
      return write();
    });
  } catch (err) {
    if (imagesRepo(ctx).hashUseCount(imported.contentHash) === 0) discardImportedSection(ctx.paths.images, imported);
    throw err;
  }
}

interface SectionImportControl {
  signal?: AbortSignal;
  onProgress?: (fraction: number, message: string | Phrase) => void;
}

const stageSection = (ctx: ServiceContext, file: string, originalName: string, nominalDiameterMm: number, significantBits: number | undefined, c: SectionImportControl) =>
  importSection({
    imagesDir: ctx.paths.images,
    file,
    originalName,
    nominalDiameterMm,
    significantBits,
    maxPixels: maxPixelsOf(ctx),
    signal: c.signal,
    onProgress: (f, m) => c.onProgress?.(0.95 * f, m),
  });

/**
 * Imports a section file for a billet and makes it the billet's image (replacing the previous one). Files are
 * staged by `importSection`; the row is written in one transaction; if that fails the new files are removed.
 */
export async function importBilletSection(
  ctx: ServiceContext,
  args: { billetId: number; file: string; originalName: string; nominalDiameterMm?: number; significantBits?: number },
  ctl?: JobControl,
): Promise<ImageRecord> {
  const billet = ctx.repos.billets.get(args.billetId);
  const nominal = args.nominalDiameterMm ?? billet.nominalDiameterMm;
  const repo = imagesRepo(ctx);
  const imported = await stageSection(ctx, args.file, args.originalName, nominal, args.significantBits, { signal: ctl?.signal, onProgress: (f, m) => ctl?.progress(f, m) });
  let replaced: Array<{ id: number; contentHash: string }> = [];
  const id = commitSectionRows(ctx, imported, () => {
    ctl?.throwIfCancelled();
    if (args.nominalDiameterMm !== undefined && args.nominalDiameterMm !== billet.nominalDiameterMm) {
      ctx.repos.billets.update(args.billetId, { nominalDiameterMm: args.nominalDiameterMm });
    }
    const previous = repo.forBillet(args.billetId);
    replaced = repo.idsForBillet(args.billetId);
    for (const r of replaced) repo.deleteRow(r.id);
    return repo.insert(args.billetId, imported, nominal, imported.circle ? { circle: imported.circle, source: 'auto' } : null, previous?.settings);
  });
  removeUnusedSections(ctx, replaced.map((r) => r.contentHash).filter((h) => h !== imported.contentHash));
  sweepOrphansAfterCommit(ctx);
  ctx.bus.emit({ type: 'data-changed', entity: 'image', id });
  ctx.bus.emit({ type: 'data-changed', entity: 'billet', id: args.billetId });
  return { ...repo.get(id), rimRefused: refusal(imported) };
}

/** Why the import did not take its automatic rim, said once in its answer (the section is stored without a rim). */
function refusal(imported: ImportedSection): Phrase | null {
  return imported.rimRefused ? rimRefusedPhrase(imported.rimRefused) : null;
}

/**
 * Creates a billet from a section file (CLI `billet import`): the billet and its first image appear together
 * or not at all. The files are stored first (staged, then renamed into `images/<sha256>/`); the billet row and
 * the image row are then written in ONE transaction. A kill before that commit leaves no billet — only a
 * section folder that the retry reuses (same bytes) or that `sweepOrphanSections` removes — so the retry does
 * not meet "already exists". The name is checked before the slow import too, to fail fast.
 */
export async function createBilletWithSection(
  ctx: ServiceContext,
  args: { billet: BilletInput; file: string; originalName: string; significantBits?: number },
  c: SectionImportControl = {},
): Promise<{ billet: Billet; image: ImageRecord }> {
  if (ctx.repos.billets.findByName(args.billet.name)) throw ApiError.said('conflict', phrase('errors.store.billetNameTaken', { name: args.billet.name }), { field: 'name' });
  const nominal = args.billet.nominalDiameterMm;
  const imported = await stageSection(ctx, args.file, args.originalName, nominal, args.significantBits, c);
  const repo = imagesRepo(ctx);
  const { billetId, imageId } = commitSectionRows(
    ctx,
    imported,
    () => {
      const billet = ctx.repos.billets.create({ ...args.billet, nominalDiameterMm: nominal });
      testHook('billet-import:billet-row');
      const imageId = repo.insert(billet.id, imported, nominal, imported.circle ? { circle: imported.circle, source: 'auto' } : null);
      return { billetId: billet.id, imageId };
    },
    () => {
      testHook('billet-import:files-in-place');
      c.signal?.throwIfAborted();
    },
  );
  c.onProgress?.(1, phrase('jobs.sections.imported'));
  sweepOrphansAfterCommit(ctx);
  ctx.bus.emit({ type: 'data-changed', entity: 'billet', id: billetId });
  ctx.bus.emit({ type: 'data-changed', entity: 'image', id: imageId });
  return { billet: ctx.repos.billets.get(billetId), image: { ...repo.get(imageId), rimRefused: refusal(imported) } };
}
