import type { Handlers } from '../handler-types.js';
import type { experimentsMethods } from '../../api/methods/experiments.js';

/** The papers' experiments: adapters over the experiments service (core/services/experiments). */
export const experimentsHandlers: Handlers<keyof typeof experimentsMethods> = {
  'experiments.list': (_args, ctx) => ctx.services.experiments.list(),
  'experiments.get': ({ id }, ctx) => ctx.services.experiments.get(id),
  'experiments.start': (args, ctx) => ctx.services.experiments.start(args).job,
  'experiments.resume': ({ id }, ctx) => ctx.services.experiments.resume(id).job,
  'experiments.cancel': ({ id }, ctx) => ({ cancelled: ctx.services.experiments.cancel(id) }),
};
