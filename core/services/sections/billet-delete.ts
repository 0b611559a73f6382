import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { ServiceContext } from '../context.js';
import { createImagesRepo } from '../../store/repos/images-repo.js';
import { createAttachedPatchesRepo } from '../../store/repos/attached-patches-repo.js';
import { sweepAttachedPatchFiles } from '../../imaging/attached-patches.js';
import { removeUnusedSections } from './section-import.js';

/** Deletes a billet's rows (cascade) and then the files no other row uses: sections, attached patches, its reports and previews. */
export function deleteBilletAndFiles(ctx: ServiceContext, id: number): void {
  const attached = createAttachedPatchesRepo(ctx.db);
  const hashes = createImagesRepo(ctx.db, ctx.paths.images).idsForBillet(id).map((i) => i.contentHash);
  const patchHashes = attached.list(id).map((p) => p.contentHash);
  ctx.repos.billets.delete(id);
  sweepAttachedPatchFiles(ctx.paths.images, patchHashes, attached.usedHashes());
  // Rows went first (cascade); a section folder goes only when no other billet shares the same scan.
  removeUnusedSections(ctx, hashes);
  for (const dir of [join(ctx.paths.reports, String(id)), join(ctx.paths.reports, 'previews', String(id))]) rmSync(dir, { recursive: true, force: true });
  ctx.bus.emit({ type: 'data-changed', entity: 'billet', id });
}
