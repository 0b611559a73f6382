import type { Handlers } from '../handler-types.js';
import type { segregationMethods, demoMethods } from '../../api/methods/segregation.js';

/** Sampling points, readings and the demo billet: adapters over the sampling, readings and demo services. */
export const segregationHandlers: Handlers<keyof typeof segregationMethods | keyof typeof demoMethods> = {
  'points.list': ({ billetId }, ctx) => ctx.services.sampling.list(billetId),

  'points.layout': (args, ctx) => ctx.services.sampling.layout(args),

  'points.save': ({ billetId, points, confirmDeleteReadings }, ctx) => ctx.services.sampling.save(billetId, points, confirmDeleteReadings),

  'points.move': ({ billetId, label, xMm, yMm }, ctx) => ctx.services.sampling.move(billetId, label, xMm, yMm),

  'points.patch': ({ billetId, label, set }, ctx) => ctx.services.sampling.patch(billetId, label, set),

  'readings.set': (args, ctx) => ctx.services.readings.set(args),

  'readings.clear': ({ billetId, label }, ctx) => ctx.services.readings.clear(billetId, label),

  'readings.previewCsv': ({ upload, ...a }, ctx) => ctx.services.readings.previewCsv({ ...a, file: ctx.uploads.resolve(upload.uploadId), name: upload.name }),

  'readings.importCsv': ({ upload, ...a }, ctx) => ctx.services.readings.importCsv({ ...a, file: ctx.uploads.resolve(upload.uploadId), name: upload.name }),

  'readings.exportCsv': ({ billetId, delimiter }, ctx) => ctx.services.readings.exportCsv(billetId, delimiter),

  'billets.loadDemo': (args, ctx) => ctx.services.demo.start(args),
};
