import type { Handlers } from '../handler-types.js';
import type { billetMethods } from '../../api/methods/billets.js';
import { ApiError } from '../../api/errors.js';
import { phrase } from '../../api/phrase.js';

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
    if (confirmName !== b.name) throw ApiError.said('failed_precondition', phrase('errors.app.confirmBilletName', { name: b.name }), { field: 'confirmName' });
    ctx.services.sections.deleteBillet(id);
    return { deleted: true as const };
  },
};
