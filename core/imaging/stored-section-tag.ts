import { open } from 'node:fs/promises';
import { storedSectionSource } from './import-section.js';
import { readResolutionTag, type ResolutionTag } from './resolution-tag.js';

/**
 * What the header of a stored section's file says of its resolution tag, or why it could not be read: `lasting` when
 * reading again would find the same (the file or its manifest gone, damaged, or a header sharp rejects), not when the
 * file was there but the system refused it this time (EACCES, EBUSY from an antivirus or a backup, EMFILE, EIO on a
 * network folder: anything but ENOENT/ENOTDIR).
 */
export type StoredSectionTag = { readable: true; tag: ResolutionTag | null } | { readable: false; reason: string; lasting: boolean };

/**
 * Reads the resolution tag of a section already in the data folder (`images/<contentHash>/`, the manifest's source
 * file) with the reader the import uses (`readResolutionTag`: sharp's metadata — the header, not the pixels). For
 * sections imported before the tag was stored (task 26-D). Never throws.
 *
 * The file is opened (and closed) first because sharp's own errors carry no errno: a refusal there says only that
 * libvips could not load the file. Once the system has opened it, what sharp refuses is taken as the file's header.
 */
export async function readStoredSectionTag(imagesDir: string, contentHash: string, page: number): Promise<StoredSectionTag> {
  let source: string;
  try {
    source = storedSectionSource(imagesDir, contentHash);
    await (await open(source, 'r')).close();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException | null)?.code;
    // no errno: the manifest is damaged (bad JSON, no source named); ENOENT/ENOTDIR: the folder or file is gone
    return { readable: false, reason: reasonOf(err), lasting: typeof code !== 'string' || code === 'ENOENT' || code === 'ENOTDIR' };
  }
  try {
    return { readable: true, tag: await readResolutionTag(source, page) };
  } catch (err) {
    return { readable: false, reason: reasonOf(err), lasting: true };
  }
}

const reasonOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));
