import type { Handlers } from '../handler-types.js';
import type { fewerPointsMethods } from '../../api/methods/fewer-points.js';

/** "Measure fewer points": adapters over the fewer-points service (core/services/fewer-points). */
export const fewerPointsHandlers: Handlers<keyof typeof fewerPointsMethods> = {
  'fewerPoints.propose': (args, ctx) => ctx.services.fewerPoints.propose(args),
  'fewerPoints.plans': ({ billetId }, ctx) => ctx.services.fewerPoints.plans(billetId),
  'fewerPoints.correct': (args, ctx) => ctx.services.fewerPoints.correct(args),
  'fewerPoints.curve': (args, ctx) => ctx.services.fewerPoints.curve(args),
  'fewerPoints.curves': ({ modelId }, ctx) => ctx.services.fewerPoints.curves(modelId),
};
