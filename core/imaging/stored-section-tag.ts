import { storedSectionSource } from './import-section.js';
import { readResolutionTag, type ResolutionTag } from './resolution-tag.js';

/** What the header of a stored section's file says of its resolution tag, or why it could not be read. */
export type StoredSectionTag = { readable: true; tag: ResolutionTag | null } | { readable: false; reason: string };

/**
 * Reads the resolution tag of a section already in the data folder (`images/<contentHash>/`, the manifest's source
 * file) with the reader the import uses (`readResolutionTag`: sharp's metadata — the header, not the pixels). For
 * sections imported before the tag was stored (task 26-D). A folder, manifest or file that is gone or damaged is
 * answered as not readable, with the reason, never thrown.
 */
export async function readStoredSectionTag(imagesDir: string, contentHash: string, page: number): Promise<StoredSectionTag> {
  try {
    return { readable: true, tag: await readResolutionTag(storedSectionSource(imagesDir, contentHash), page) };
  } catch (err) {
    return { readable: false, reason: err instanceof Error ? err.message : String(err) };
  }
}
