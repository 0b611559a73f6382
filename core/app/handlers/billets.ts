import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Handlers } from '../handler-types.js';
import { billetMethods } from '../../api/methods/billets.js';
import { ApiError } from '../../api/errors.js';
import { imagesRepo, removeUnusedSections, attachedRepo } from './images.js';
import { sweepAttachedPatchFiles } from '../../imaging/attached-patches.js';

export const billetHandlers: Handlers<keyof typeof billetMethods> = {
  'billets.list': (_a, ctx) => ctx.repos.billets.list(),
  'billets.get': ({ id }, ctx) => ctx.repos.billets.get(id),
  'billets.create': (args, ctx) => {
    const b = ctx.repos.billets.create(args);
    ctx.bus.emit({ type: 'data-changed', entity: 'billet', id: b.id });
    return b;
  },
  'billets.update': ({ id, ...patch }, ctx) => {
    const b = ctx.repos.billets.update(id, patch);
    ctx.bus.emit({ type: 'data-changed', entity: 'billet', id });
    return b;
  },
  'billets.delete': ({ id, confirmName }, ctx) => {
    const b = ctx.repos.billets.get(id);
    // The name must be typed back: deleting a billet deletes its readings, which cannot be re-measured.
    if (confirmName !== b.name) throw new ApiError('failed_precondition', `To delete billet "${b.name}", confirm its exact name`, { field: 'confirmName' });
    const hashes = imagesRepo(ctx).idsForBillet(id).map((i) => i.contentHash);
    const patchHashes = attachedRepo(ctx).list(id).map((p) => p.contentHash);
    ctx.repos.billets.delete(id);
    sweepAttachedPatchFiles(ctx.paths.images, patchHashes, attachedRepo(ctx).usedHashes());
    // Rows went first (cascade); a section folder goes only when no other billet shares the same scan.
    removeUnusedSections(ctx, hashes);
    for (const dir of [join(ctx.paths.reports, String(id)), join(ctx.paths.reports, 'previews', String(id))]) rmSync(dir, { recursive: true, force: true });
    ctx.bus.emit({ type: 'data-changed', entity: 'billet', id });
    return { deleted: true as const };
  },
};
